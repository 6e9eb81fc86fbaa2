/**
 * Spots personal data typed into free text (a NIK, a phone number, an email address) so the form can warn
 * the reporter before the text is published. Heuristic and deliberately eager: a false warning costs a
 * second look, a missed NIK on a public page costs much more.
 */

/** The kinds of personal data the report form warns about. */
export type PiiKind = 'nik' | 'phone' | 'email';

const PATTERNS: Array<[PiiKind, RegExp]> = [
  ['nik', /(?<!\d)\d{16}(?!\d)/],
  ['phone', /(?<![\d])(?:\+62|62|0)8[\d -]{7,13}\d(?!\d)/],
  ['email', /[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}/],
];

/** The kinds of personal data that `text` seems to contain, in a fixed order. */
export function detectPersonalData(...texts: Array<string | undefined>): PiiKind[] {
  const all = texts.filter(Boolean).join('\n');
  return PATTERNS.filter(([, re]) => re.test(all)).map(([kind]) => kind);
}

/** What replaces a NIK in stored text. */
export const NIK_MASK = '[nik-disembunyikan]';

/**
 * The text with NIK-like numbers (16 digits) masked. For channels that cannot warn the writer before the text is
 * published (email, SMS), as the web form does: a NIK never needs to be public.
 */
export function maskNik(text: string): string {
  return text.replace(/(?<!\d)\d{16}(?!\d)/g, NIK_MASK);
}
