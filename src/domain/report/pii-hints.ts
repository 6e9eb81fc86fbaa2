/**
 * Spots personal data typed into free text (a NIK, a phone number, an email address) so the form can warn
 * the reporter before the text is published, and masks it where a text reaches the public unreviewed.
 * Heuristic and deliberately eager: a false warning or a masked number costs a second look, a missed NIK on a
 * public page costs much more. One set of patterns serves both, so what the form warns about is what the public
 * pages hide.
 */

/** The kinds of personal data the report form warns about. */
export type PiiKind = 'nik' | 'phone' | 'email';

/** What replaces a NIK in stored text. */
export const NIK_MASK = '[nik-disembunyikan]';

/** What replaces each kind of personal data in masked text. */
export const PII_MASKS: Readonly<Record<PiiKind, string>> = {
  nik: NIK_MASK,
  phone: '[telepon-disembunyikan]',
  email: '[email-disembunyikan]',
};

/**
 * A NIK: 16 digits, written whole, in four groups of four, or as region–birth date–serial (6-6-4), with one kind
 * of separator (space, dash or dot). Not part of a longer number.
 */
const NIK = /(?<!\p{N})(?:\d{16}|\d{4}([ .-])\d{4}\1\d{4}\1\d{4}|\d{6}([ .-])\d{6}\2\d{4})(?!\p{N})/gu;

/**
 * An email address, also with `(at)` / `[at]` for `@`. Local part and labels are bounded (64 and 63 characters), so a
 * long run without `@` costs linear time.
 */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}(?:@|\s?[[(]\s?at\s?[\])]\s?)[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.\p{L}{2,24}(?![\p{L}\p{N}-])/giu;

/**
 * An Indonesian mobile number: `08…`, `628…`, `+628…` or `(+62) 8…`, digits grouped by single spaces, dashes or
 * dots. The digit count is checked by `isPhone`.
 */
const MOBILE = /(?<!\p{N})(?:(?:\(\+?62\)|\+62|62)[ .-]?|0)8\d{1,3}(?:[ .-]?\d{1,5}){1,5}(?!\p{N})/gu;

/**
 * An Indonesian landline with its area code: `0541 741234`, `(0541) 741-234`, `021-5551234`, `+62 21 5551234`.
 * Area codes start 2–7 or 9 (8 is mobile). The digit count is checked by `isPhone`.
 */
const LANDLINE =
  /(?<!\p{N})(?:(?:\(\+?62\)|\+62)[ .-]?\(?0?|\(0|0)[2-79]\d{1,2}\)?[ .-]?\d{2,4}(?:[ .-]?\d{2,4}){0,3}(?!\p{N})/gu;

/** An amount just before a number (`Rp 628.500.000.000`, `IDR 0812…`): never a phone number. */
const AMOUNT_BEFORE = /(?:\bRp\.?|\bIDR)\s?$/i;
/** Thousands grouped with dots (`628.500.000`): an amount, unless the number starts with `0` or `+`. */
const THOUSANDS = /^\d{1,3}(?:\.\d{3})+$/;

/** Whether a MOBILE or LANDLINE candidate is a phone number: enough digits after the prefix, not an amount. */
function isPhone(match: string, text: string, offset: number, landline: boolean): boolean {
  if (AMOUNT_BEFORE.test(text.slice(Math.max(0, offset - 5), offset))) return false;
  if (/^62/.test(match) && THOUSANDS.test(match)) return false;
  const national = match
    .replace(/\D/g, '')
    .replace(/^(?:62|0)/, '')
    .replace(/^0/, '');
  return landline ? national.length >= 8 && national.length <= 12 : national.length >= 9;
}

/** Each kind's masking step, in the order they run (emails first: an address may hold digits). */
const STEPS: Array<[PiiKind, (text: string) => string]> = [
  ['email', (text) => text.replace(EMAIL, PII_MASKS.email)],
  ['nik', (text) => text.replace(NIK, PII_MASKS.nik)],
  [
    'phone',
    (text) =>
      text
        .replace(MOBILE, (m: string, at: number, all: string) =>
          isPhone(m, all, at, false) ? PII_MASKS.phone : m,
        )
        .replace(LANDLINE, (m: string, at: number, all: string) =>
          isPhone(m, all, at, true) ? PII_MASKS.phone : m,
        ),
  ],
];

const ORDER: readonly PiiKind[] = ['nik', 'phone', 'email'];

/** The kinds of personal data that `texts` seem to contain, in a fixed order (NIK, phone, email). */
export function detectPersonalData(...texts: Array<string | undefined>): PiiKind[] {
  let text = texts.filter(Boolean).join('\n');
  const found = new Set<PiiKind>();
  for (const [kind, mask] of STEPS) {
    const next = mask(text);
    if (next !== text) found.add(kind);
    text = next;
  }
  return ORDER.filter((k) => found.has(k));
}

/**
 * The text with NIKs, phone numbers and email addresses replaced by `PII_MASKS` placeholders. For text that reaches
 * the public without a verifier reading it first (a reporter's dispute reason or acceptance comment): presenters
 * mask on output, the stored text is unchanged, so staff and the reporter still read what was written.
 */
export function maskPersonalData(text: string): string {
  return STEPS.reduce((out, [, mask]) => mask(out), text);
}

/**
 * The text with NIK-like numbers (16 digits) masked. For channels that cannot warn the writer before the text is
 * published (email, SMS), as the web form does: a NIK never needs to be public.
 */
export function maskNik(text: string): string {
  return text.replace(NIK, NIK_MASK);
}
