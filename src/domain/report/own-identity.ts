/**
 * The reporter's own identity taken out of a text the reporter wrote (pure). aduan holds the identity sealed
 * (name, email, phone, NIK) and shows it only to staff allowed to see the reporter, but a reporter often signs a
 * reply or a dispute ("Saya Budi, hubungi 0812…"): stored as written, that text would carry the identity to the
 * agency of an anonim report, and the name even to the public, where only number and address patterns are masked.
 * So texts by the reporter are stored with their own name, email address and phone number masked wherever written
 * (as the email channel masks the sender and the SMS channel the sender's number), and every NIK-like number masked
 * (a NIK never needs to travel in free text). Staff who may see the reporter still read the sealed identity.
 */
import { EMAIL_MASK, escapeRegExp, maskSender } from './email-text.ts';
import { maskNik } from './pii-hints.ts';
import { maskOwnNumber } from './sms-text.ts';

/** The identity a report holds sealed (the fields of a reporter). */
export interface OwnIdentity {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  nik?: string | undefined;
}

/**
 * Words that introduce a person by name ("saya Budi", "pak Budi", "panggil saja Budi", "a.n. Budi"): a single word of
 * the reporter's name is masked only after one of them. Alone, such a word may be a street or a place ("Jalan Ahmad
 * Yani" from a reporter named Ahmad), which the agency needs.
 */
const NAME_CUE = String.raw`(?:saya|aku|nama(?:\s+saya)?|panggil(?:\s+saja)?|pak|bu|bapak|ibu|sdr|sdri|saudara|saudari|mas|mbak|kak|bang|a\.\s?n\.?|atas\s+nama)`;

/** `text` with each word of `name` (3+ letters) masked where a `NAME_CUE` introduces it. */
function maskNameWords(text: string, name: string | undefined): string {
  const words = (name ?? '').split(/\s+/).filter((w) => [...w].length >= 3 && /\p{L}/u.test(w));
  if (!words.length) return text;
  const any = words.map(escapeRegExp).join('|');
  // The cue, then one or more of the name's words in a row (each masked).
  const re = new RegExp(
    String.raw`(?<![\p{L}\p{N}])(${NAME_CUE})(\s+)((?:(?:${any})(?![\p{L}\p{N}])\s*)+)`,
    'giu',
  );
  return text.replace(re, (_m, cue: string, space: string, run: string) => {
    const trailing = /\s*$/u.exec(run)![0];
    const masked = run
      .trim()
      .split(/\s+/u)
      .map(() => EMAIL_MASK.name)
      .join(' ');
    return `${cue}${space}${masked}${trailing}`;
  });
}

/**
 * Words with which a writer introduces *themselves* ("nama saya Budi", "saya bernama Budi", "perkenalkan, saya Budi"):
 * the name after them is the writer's even when aduan does not know it (an SMS or an anonim report carries no name).
 * "bernama" alone is not among them: "petugas bernama Joko" names someone else, whom the agency may need.
 */
const SELF_INTRO = String.raw`(?:nama\s+saya(?:\s+adalah)?|saya\s+bernama|perkenalkan\s*,?\s*(?:nama\s+)?saya)`;

/** `text` with up to three capitalised words after a self-introduction masked (the writer's own name, unknown). */
function maskSelfIntroduced(text: string): string {
  // The cue is matched in any case; the name's words are told by their capital letter, checked without the `i` flag
  // (under `iu`, \p{Lu} would match lower case too): "nama saya tidak penting" keeps its words.
  const re = new RegExp(
    String.raw`(?<![\p{L}\p{N}])(${SELF_INTRO})(\s*:?\s+)([\p{L}'.-]+(?:\s+[\p{L}'.-]+){0,2})`,
    'giu',
  );
  return text.replace(re, (m, cue: string, space: string, run: string) => {
    const words = run.split(/(\s+)/u);
    let named = 0;
    for (let i = 0; i < words.length; i += 2) {
      if (!/^\p{Lu}/u.test(words[i]!)) break;
      words[i] = EMAIL_MASK.name;
      named++;
    }
    return named ? `${cue}${space}${words.join('')}` : m;
  });
}

/**
 * `text` with the reporter's own name (whole, a word of it introduced as a name, or any name the writer introduces
 * as their own), email address and phone number, and every NIK, masked.
 */
export function maskOwnIdentity(text: string, who: OwnIdentity): string {
  let out = maskSender(text, { address: who.email ?? '', name: who.name });
  out = maskNameWords(out, who.name);
  out = maskSelfIntroduced(out);
  if (who.phone) out = maskOwnNumber(out, who.phone);
  return maskNik(out);
}
