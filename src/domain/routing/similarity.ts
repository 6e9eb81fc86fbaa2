/**
 * Text similarity for duplicate detection: a bag-of-words cosine over normalised tokens (informal
 * spellings expanded, stopwords removed), which is robust to reordered sentences and added text, and
 * the candidate search terms used for PostgreSQL full text. Pure.
 */
import { tokenise } from './normalise.ts';

/**
 * Word counts of a text after normalisation, each word of 3+ letters counted under `key(word)` (the word itself by
 * default; a stemmer counts *diperbaiki* and *perbaikan* as one).
 */
export function wordCounts(text: string, key: (word: string) => string = (w) => w): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of tokenise(text)) {
    if (w.length < 3) continue;
    const k = key(w);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** Cosine similarity of two word-count maps, with sublinear term frequency (1 + ln tf). */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const weight = (n: number) => 1 + Math.log(n);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [w, n] of a) {
    const x = weight(n);
    na += x * x;
    const m = b.get(w);
    if (m !== undefined) dot += x * weight(m);
  }
  for (const n of b.values()) nb += weight(n) ** 2;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The search terms of a text for an OR full-text query: its most frequent distinct normalised words
 * (at most `max`), each `[a-z0-9]+` so they are safe in `to_tsquery`.
 */
export function searchTerms(text: string, max = 24): string[] {
  return [...wordCounts(text).entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, max)
    .map(([w]) => w);
}

/** A lexeme of the search query with the share of all reports that contain it (estimated for a rare one). */
export interface LexemeShare {
  lexeme: string;
  share: number;
}

/**
 * A lexeme in more than this share of all reports is too common to pick candidates by on its own: it says little about
 * which report is the same one, and every report it matches is read and ranked (in a busy kab/kota, tens of thousands).
 */
export const COMMON_TERM_SHARE = 0.02;
/** With fewer distinctive lexemes than this, the common ones are asked for in pairs. */
export const MIN_DISTINCT_TERMS = 3;
/**
 * The distinctive lexemes asked for, rarest first, add up to at most this share of all reports (beyond the first
 * MIN_DISTINCT_TERMS): it bounds the rows a lookup reads and ranks.
 */
export const CANDIDATE_SHARE_BUDGET = 0.05;
/** How many of the rarest common lexemes are paired. */
const PAIR_TERMS = 4;

const quoteLexeme = (l: string) => `'${l.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/**
 * The candidate query (a tsquery of exact lexemes): any of the text's distinctive lexemes (share ≤ `maxShare`). When
 * the text has fewer than MIN_DISTINCT_TERMS of them, also any two of its PAIR_TERMS rarest common lexemes together,
 * so that a text of common words still finds its duplicates without matching most of a busy kab/kota. Null when there
 * is no lexeme. Shares come from PostgreSQL's statistics of `reports.search`; without them (a table never analysed)
 * every share is 0 and every lexeme is distinctive.
 *
 * `pairBudget` bounds the shares of the common lexemes asked for (paired, or alone when the text has one): the rarest
 * are taken while their shares add up to at most it. When the full-text index leads, it reads each lexeme's whole
 * list of reports, and a common lexeme's list is long (a pair of words in 7 % of 1,000,000 reports: 60–85 ms).
 */
export function distinctiveTsquery(
  lexemes: readonly LexemeShare[],
  maxShare = COMMON_TERM_SHARE,
  budget = CANDIDATE_SHARE_BUDGET,
  pairBudget = Number.POSITIVE_INFINITY,
): string | null {
  const sorted = [...new Map(lexemes.map((l) => [l.lexeme, l])).values()]
    .filter((l) => l.lexeme !== '')
    .sort((a, b) => a.share - b.share || (a.lexeme < b.lexeme ? -1 : 1));
  const distinct: string[] = [];
  let total = 0;
  for (const l of sorted) {
    if (l.share > maxShare) break;
    total += l.share;
    if (total > budget && distinct.length >= MIN_DISTINCT_TERMS) break;
    distinct.push(quoteLexeme(l.lexeme));
  }
  const common = sorted.filter((l) => l.share > maxShare);
  if (distinct.length >= MIN_DISTINCT_TERMS || common.length === 0)
    return distinct.length ? distinct.join(' | ') : null;
  const pool: string[] = [];
  let read = 0;
  for (const l of common.slice(0, PAIR_TERMS)) {
    read += l.share;
    if (read > pairBudget) break;
    pool.push(quoteLexeme(l.lexeme));
  }
  const pairs =
    common.length === 1 ? pool : pool.flatMap((a, i) => pool.slice(i + 1).map((b) => `(${a} & ${b})`));
  const terms = [...distinct, ...pairs];
  return terms.length ? terms.join(' | ') : null;
}

/**
 * The similarity score of a candidate in [0, 1]: body+title word cosine blended with the title's
 * trigram similarity (from pg_trgm), which catches typos in short titles.
 */
export function similarityScore(wordCosine: number, titleTrigram: number): number {
  return 0.75 * wordCosine + 0.25 * titleTrigram;
}

/** Proximity: full bonus within this distance of the other report's point (metres)… */
export const NEAR_FULL_M = 150;
/** …falling linearly to none at this distance. Also the radius of the nearby candidate search. */
export const NEAR_RADIUS_M = 1_000;
/** The largest bonus a nearby report gets on top of its text score (docs/benchmarks.md: duplicate detection). */
export const DEFAULT_NEAR_BONUS = 0.15;

/**
 * The score added for being close: `bonus` within NEAR_FULL_M, falling linearly to 0 at NEAR_RADIUS_M; 0 when
 * either report has no point. Text still decides: a nearby report on another problem stays below the threshold.
 */
export function proximityBonus(distanceM: number | null, bonus = DEFAULT_NEAR_BONUS): number {
  if (distanceM === null || !(distanceM < NEAR_RADIUS_M)) return 0;
  const share = Math.min(1, (NEAR_RADIUS_M - distanceM) / (NEAR_RADIUS_M - NEAR_FULL_M));
  return bonus * share;
}
