/**
 * The reporter's own identity taken out of a text the reporter wrote (pure). aduan holds the identity sealed
 * (name, email, phone, NIK) and shows it only to staff allowed to see the reporter, but a reporter often signs a
 * reply or a dispute ("Saya Budi, hubungi 0812…"): stored as written, that text would carry the identity to the
 * agency of an anonim report, and the name even to the public, where only number and address patterns are masked.
 * So texts by the reporter are stored with their own name, email address and phone number masked wherever written
 * (as the email channel masks the sender and the SMS channel the sender's number), and every NIK-like number masked
 * (a NIK never needs to travel in free text). Staff who may see the reporter still read the sealed identity.
 */
import { maskSender } from './email-text.ts';
import { maskNik } from './pii-hints.ts';
import { maskOwnNumber } from './sms-text.ts';

/** The identity a report holds sealed (the fields of a reporter). */
export interface OwnIdentity {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  nik?: string | undefined;
}

/** `text` with the reporter's own name, email address and phone number, and every NIK, masked. */
export function maskOwnIdentity(text: string, who: OwnIdentity): string {
  let out = maskSender(text, { address: who.email ?? '', name: who.name });
  if (who.phone) out = maskOwnNumber(out, who.phone);
  return maskNik(out);
}
