/**
 * Feature extraction for the routing classifier: word unigrams and bigrams of stems, character
 * n-grams inside word boundaries, a document-frequency-pruned vocabulary and TF-IDF weighting with
 * sublinear term frequency and L2 normalisation. Pure: the stemmer is passed in as a function.
 */
import { tokenise } from './normalise.ts';

/** A stemming function (word → stem). The identity function disables stemming. */
export type Stem = (word: string) => string;

/** The identity stemmer. */
export const noStem: Stem = (word) => word;

/** Which features to extract and how to weight them. */
export interface FeatureOptions {
  /** Include word bigrams of adjacent stems. */
  wordBigrams: boolean;
  /** Character n-gram lengths `[min, max]` inside word boundaries, or null for none. */
  charNgrams: [number, number] | null;
  /** Stem the words (the stemmer itself is supplied at train/deserialise time). */
  stemming: boolean;
  /** `tfidf`: (1 + log tf) · idf, L2-normalised. `count`: raw counts (for the Naive Bayes baseline). */
  weighting: 'tfidf' | 'count';
  /** Keep at most this many features (the most frequent by document frequency). */
  maxFeatures: number;
  /** Drop features seen in fewer documents than this. */
  minDf: number;
  /** Weight of the (separately normalised) character n-gram block relative to the word block. */
  charWeight: number;
  /**
   * Where character n-grams come from: the whole text, or only its first line (the title), which is
   * short and keyword-dense. Absent in models stored before this option existed (= `all`).
   */
  charScope?: 'all' | 'title';
  /** Also emit the title's (first line's) stems as separate `t:` features. */
  titleWords?: boolean;
  /**
   * Where the word features (and bigrams) come from: the whole text, or only its first line (the title): a member
   * that reads the title alone. Absent in models stored before this option existed (= `all`).
   */
  wordScope?: 'all' | 'title';
}

/**
 * Defaults chosen by 5-fold cross-validation (see docs/routing.md): on the LAPOR! 2017 data neither
 * bigrams nor character n-grams (`[3, 5]`, weight 0.3) improved macro-F1, so both are off by default.
 */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordBigrams: false,
  charNgrams: null,
  stemming: true,
  weighting: 'tfidf',
  maxFeatures: 60_000,
  minDf: 2,
  charWeight: 0.3,
};

/** Prefixes of the feature namespaces: word unigram, word bigram, character n-gram. */
export const TERM_PREFIX = { word: 'w:', bigram: 'b:', char: 'c:', title: 't:' } as const;

/** The word tokens of a model input and of its title (its first line). */
export interface Tokens {
  words: string[];
  title: string[];
}

/** Tokenise a model input once; every feature extractor reads these tokens. */
export function tokensOf(text: string): Tokens {
  const nl = text.indexOf('\n');
  return { words: tokenise(text), title: tokenise(nl < 0 ? text : text.slice(0, nl)) };
}

/** The character n-grams (`[min, max]`) of one word inside `<word>` boundaries, prefixed. */
export function charTerms(word: string, range: readonly [number, number]): string[] {
  const padded = `<${word}>`;
  const out: string[] = [];
  for (let n = range[0]; n <= range[1]; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.push(TERM_PREFIX.char + padded.slice(i, i + n));
  }
  return out;
}

/**
 * Turn a text into its list of feature terms (with repetitions), each prefixed by its namespace
 * (see {@link TERM_PREFIX}).
 */
export function extractTerms(text: string, options: FeatureOptions, stem: Stem): string[] {
  return termsOfTokens(tokensOf(text), options, stem);
}

/** {@link extractTerms} on already tokenised text. */
export function termsOfTokens(tokens: Tokens, options: FeatureOptions, stem: Stem): string[] {
  const words = options.wordScope === 'title' ? tokens.title : tokens.words;
  const stems = options.stemming ? words.map((w) => stem(w)) : words;
  const terms: string[] = [];
  for (const s of stems) terms.push(TERM_PREFIX.word + s);
  const titleWords = tokens.title;
  if (options.titleWords) {
    for (const w of titleWords) terms.push(TERM_PREFIX.title + (options.stemming ? stem(w) : w));
  }
  if (options.wordBigrams) {
    for (let i = 1; i < stems.length; i++) terms.push(`${TERM_PREFIX.bigram}${stems[i - 1]} ${stems[i]}`);
  }
  if (options.charNgrams) {
    for (const w of options.charScope === 'title' ? titleWords : words)
      for (const t of charTerms(w, options.charNgrams)) terms.push(t);
  }
  return terms;
}

/** A vocabulary: term list, reverse index and inverse document frequencies. */
export interface Vocabulary {
  terms: string[];
  index: Map<string, number>;
  idf: Float64Array;
}

/**
 * Build a vocabulary from tokenised documents: keep terms with document frequency ≥ `minDf`, at most
 * `maxFeatures` of them (highest document frequency first, ties broken alphabetically for determinism),
 * and compute smoothed idf = ln((1 + n) / (1 + df)) + 1.
 */
export function buildVocabulary(docs: readonly string[][], options: FeatureOptions): Vocabulary {
  const df = new Map<string, number>();
  for (const doc of docs) {
    for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df.entries()]
    .filter(([, n]) => n >= options.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, options.maxFeatures);
  const terms = kept.map(([t]) => t);
  const idf = new Float64Array(terms.length);
  kept.forEach(([, n], i) => (idf[i] = Math.log((1 + docs.length) / (1 + n)) + 1));
  return vocabularyFrom(terms, idf);
}

/** Rebuild a vocabulary (with its index) from a term list and idf values. */
export function vocabularyFrom(terms: string[], idf: ArrayLike<number>): Vocabulary {
  const index = new Map<string, number>();
  terms.forEach((t, i) => index.set(t, i));
  return { terms, index, idf: Float64Array.from(idf) };
}

/** A sparse vector: sorted feature indices and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array | Float32Array;
}

/**
 * Vectorise a document's terms against a vocabulary. Unknown terms are ignored. With `tfidf` weighting
 * each value is (1 + ln tf) · idf; the word block and the character n-gram block are L2-normalised
 * separately, the character block is scaled by `charWeight`, and the whole vector is L2-normalised.
 * With `count` weighting the value is the raw count.
 */
export function vectorise(
  terms: readonly string[],
  vocab: Vocabulary,
  weighting: FeatureOptions['weighting'],
  charWeight = 1,
): SparseVector {
  const tf = new Map<number, number>();
  for (const t of terms) {
    const i = vocab.index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
  const val = new Float64Array(idx.length);
  let norm = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const count = tf.get(i)!;
    const v = weighting === 'count' ? count : (1 + Math.log(count)) * vocab.idf[i]!;
    val[k] = v;
    norm += v * v;
  }
  if (weighting === 'tfidf' && norm > 0) {
    // Normalise the word block and the character block separately, weight the latter, then renormalise.
    const isChar = Uint8Array.from(idx, (i) => (vocab.terms[i]!.startsWith(TERM_PREFIX.char) ? 1 : 0));
    const blockNorm = [0, 0];
    for (let k = 0; k < val.length; k++) blockNorm[isChar[k]!]! += val[k]! ** 2;
    const factor = [
      blockNorm[0]! > 0 ? 1 / Math.sqrt(blockNorm[0]!) : 0,
      blockNorm[1]! > 0 ? charWeight / Math.sqrt(blockNorm[1]!) : 0,
    ];
    let total = 0;
    for (let k = 0; k < val.length; k++) {
      val[k] = val[k]! * factor[isChar[k]!]!;
      total += val[k]! ** 2;
    }
    const inv = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let k = 0; k < val.length; k++) val[k] = val[k]! * inv;
  }
  return { idx, val };
}

/**
 * Shows an explanation term (a stem, or two stems of a bigram) as the words of `text`: each stem becomes the word of
 * the text written most often for it (the first on a tie; the stem itself when the text writes it), so a verifier
 * reads "pelayanan", "diperbaiki" where the model's features are "layan", "baik". A term the text does not contain
 * (a region name, a cue) is returned unchanged.
 */
export function surfaceWords(text: string, stem: Stem): (term: string) => string {
  const counts = new Map<string, Map<string, number>>();
  for (const word of tokenise(text)) {
    const s = stem(word);
    const forms = counts.get(s) ?? new Map<string, number>();
    forms.set(word, (forms.get(word) ?? 0) + 1);
    counts.set(s, forms);
  }
  const surface = (s: string): string => {
    const forms = counts.get(s);
    if (!forms || forms.has(s)) return s;
    let best = s;
    let most = 0;
    for (const [word, n] of forms) if (n > most) [best, most] = [word, n];
    return best;
  };
  return (term) => term.split(' ').map(surface).join(' ');
}

/** Strip the namespace prefix and boundary markers from a term for display. */
export function displayTerm(term: string): string {
  return term.slice(2).replace(/[<>]/g, '');
}
