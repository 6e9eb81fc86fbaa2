/**
 * What aduan stores of an inbound SMS's words (pure; src/commands/receive-sms.ts calls it). An SMS report is
 * anonymous and its text becomes public once verified (page, JSON API, Open311), and SMS cannot warn the writer
 * first as the web form does, so personal data is taken out before the text is stored:
 *
 * - the sender's own number, in any common format (`081377788899`, `+62 813-7778-8899`, `62813…`, `(+62) 813…`,
 *   `813 7778 8899`), becomes `[telepon-disembunyikan]` (as `maskSender` does for an email sender's address);
 * - every other phone number, email address and NIK is masked as public comments are (`maskPersonalData`).
 *
 * The sender's number stays sealed as the report's reporter contact, for the staff allowed to see it.
 */
import { maskPersonalData, PII_MASKS } from './pii-hints.ts';

/** The least letters/digits an SMS complaint must hold: the web form's minimum body length (report-form.ts). */
export const SMS_MIN_TEXT = 20;

/**
 * The text with the sender's own number masked wherever it is written, whatever the prefix (`0`, `62`, `+62`,
 * `(+62)` or none) and whatever single separators (space, dash, dot) group its digits. `phone` is the canonical
 * `62…` number (`normalisePhone`).
 */
export function maskOwnNumber(text: string, phone: string): string {
  const national = phone.replace(/\D/g, '').replace(/^62/, '').replace(/^0/, '');
  // A short or odd number would mask ordinary figures in the text.
  if (national.length < 8) return text;
  const digits = [...national].join('[ .-]?');
  const prefix = String.raw`(?:(?:\(\+?62\)|\+?62)[ .-]?\(?0?\)?|\(?0\)?)?`;
  return text.replace(new RegExp(String.raw`(?<!\p{N})${prefix}${digits}(?!\p{N})`, 'gu'), PII_MASKS.phone);
}

/** What is stored of an SMS text: the sender's number, other phone numbers, email addresses and NIKs masked. */
export function smsText(text: string, phone: string): string {
  return maskPersonalData(maskOwnNumber(text, phone));
}

/**
 * Whether a text has enough real words to be a complaint: at least `SMS_MIN_TEXT` characters once symbols and
 * emoji are dropped and words are joined by single spaces (the web form asks for 20 characters).
 */
export function hasComplaintText(text: string): boolean {
  return text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().length >= SMS_MIN_TEXT;
}
