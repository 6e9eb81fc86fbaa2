/**
 * Report-type cues (issue 7): what separates a complaint (pengaduan), a suggestion (aspirasi) and a
 * question (permintaan informasi) lies largely in words the tokeniser drops as stopwords and in
 * punctuation: question marks (anywhere, at the end, in the title, in the first sentence), question
 * words, requests for information, suggestion verbs, every stopword, and the length of the text. They
 * are appended to the model input as synthetic tokens (`isyarat…`), chosen so that the stemmer leaves
 * them unchanged. Chosen by stratified 5-fold CV, seeds 1 and 2 (docs/routing.md). Pure.
 */
import { STOPWORDS } from './normalise.ts';

/** Prefix of every cue token. */
export const CUE_PREFIX = 'isyarat';

const QUESTION_WORDS =
  /\b(apakah|apa|bagaimana|gimana|berapa|kapan|kenapa|mengapa|dimana|kemana|siapa|bisakah|bolehkah|adakah|mungkinkah)\b/g;
const QUESTION_TITLE =
  /^\W*(apakah|apa|bagaimana|gimana|berapa|kapan|kenapa|mengapa|dimana|siapa|bisakah|bolehkah|adakah|mohon info|info|informasi|tanya|pertanyaan|cara|syarat|prosedur)\b/;
const REQUEST =
  /\b(mohon|minta|meminta|ingin|mau)\s+(info|informasi|penjelasan|konfirmasi|kejelasan|jawaban|tanya)/;
const SUGGEST =
  /\b(usul|usulan|mengusulkan|saran|menyarankan|sebaiknya|seharusnya|semestinya|harap|berharap|agar|supaya)\b/g;
const FIRST_QUESTION = /\b(apakah|bagaimana|berapa|kapan|bisakah|bolehkah|mohon info)/;

/** The cue tokens of a report (title and body as the citizen wrote them). */
export function reportTypeCues(title: string, body: string): string[] {
  const t = title.toLowerCase();
  const b = body.toLowerCase();
  const all = `${t}\n${b}`;
  const cues: string[] = [];
  // Every stopword occurrence (the tokeniser drops them).
  for (const w of all.match(/[a-z]+/g) ?? []) if (STOPWORDS.has(w)) cues.push(`${CUE_PREFIX}kata${w}`);
  const marks = (all.match(/\?/g) ?? []).length;
  for (let i = 0; i < Math.min(marks, 3); i++) cues.push(`${CUE_PREFIX}tanya`);
  if (/\?\s*$/.test(b) || /\?[^.?!]*$/.test(b.slice(-60))) cues.push(`${CUE_PREFIX}tanyaakhir`);
  if (t.includes('?')) cues.push(`${CUE_PREFIX}tanyajudul`);
  if (QUESTION_TITLE.test(t)) cues.push(`${CUE_PREFIX}judultanya`);
  if (REQUEST.test(all)) cues.push(`${CUE_PREFIX}mintainfo`);
  for (const m of all.matchAll(QUESTION_WORDS)) cues.push(`${CUE_PREFIX}tanya${m[1]}`);
  for (const m of all.matchAll(SUGGEST)) cues.push(`${CUE_PREFIX}usul${m[1]}`);
  const first = b.split(/(?<=[.?!])\s|\n/)[0] ?? '';
  if (first.includes('?')) cues.push(`${CUE_PREFIX}awaltanya`);
  if (FIRST_QUESTION.test(first)) cues.push(`${CUE_PREFIX}awaltanyakata`);
  const n = b.length;
  cues.push(`${CUE_PREFIX}panjang${n < 100 ? 'a' : n < 200 ? 'b' : n < 400 ? 'c' : n < 800 ? 'd' : 'e'}`);
  return cues;
}

const QUESTION_MARK_CUES = new Set(['tanya', 'tanyaakhir', 'tanyajudul', 'awaltanya']);
const HIDDEN_CUES = new Set(['judultanya', 'mintainfo', 'awaltanyakata']);

/**
 * Stopwords that say what the citizen wants (asking, requesting, suggesting); the other stopword cues (`di`, `yang`,
 * `dan`…) help the model but mean nothing to a verifier, so they are not shown.
 */
const TELLING_STOPWORDS = new Set([
  'mohon',
  'minta',
  'tolong',
  'harap',
  'ingin',
  'mau',
  'perlu',
  'bisa',
  'bisakah',
  'boleh',
  'bolehkah',
  'apakah',
  'apa',
  'bagaimana',
  'berapa',
  'kapan',
  'kenapa',
  'mengapa',
  'dimana',
  'siapa',
  'agar',
  'supaya',
  'sebaiknya',
  'seharusnya',
  'semestinya',
]);

/**
 * How a cue token reads in "the words that drove it": a question-mark cue as `?`, a question, request or
 * suggestion word as the word itself; structural cues (length, title or first sentence shape) and plain function
 * words (`di`, `yang`…) as null (not shown). Any other term is returned unchanged.
 */
export function displayCue(term: string): string | null {
  if (!term.startsWith(CUE_PREFIX)) return term;
  const cue = term.slice(CUE_PREFIX.length);
  if (QUESTION_MARK_CUES.has(cue)) return '?';
  if (HIDDEN_CUES.has(cue) || cue.startsWith('panjang')) return null;
  if (cue.startsWith('kata') && !TELLING_STOPWORDS.has(cue.slice('kata'.length))) return null;
  for (const p of ['kata', 'tanya', 'usul']) if (cue.startsWith(p)) return cue.slice(p.length);
  return term;
}
