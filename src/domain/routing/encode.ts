/**
 * Fast feature encoding for training and prediction. Every distinct word is stemmed and split into
 * character n-grams once (memo tables), terms are interned to integer ids, documents become flat
 * `Int32Array` term-id lists, and vectors are built in compressed sparse rows (CSR) with typed arrays
 * and reused scratch buffers, so no objects are allocated per feature. The features and weights are
 * exactly those of `extractTerms` + `vectorise` (features.ts). Pure.
 */
import {
  TERM_PREFIX,
  charTerms,
  vocabularyFrom,
  type FeatureOptions,
  tokensOf,
  type Stem,
  type Vocabulary,
} from './features.ts';

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

const EMPTY = new Int32Array(0);

/**
 * Tokenised documents as ids into one list of distinct words: document `d`'s words are
 * `ids[docStart[d] .. docStart[d + 1]]`, its title's words `titleIds[titleStart[d] .. titleStart[d + 1]]`.
 * Only the distinct words are kept as strings, so many documents can be held at little cost.
 */
export interface WordDocs {
  words: string[];
  docStart: Int32Array;
  ids: Int32Array;
  titleStart: Int32Array;
  titleIds: Int32Array;
}

/** Tokenise texts (see `tokensOf`) into {@link WordDocs}. */
export function wordDocsOf(texts: readonly string[]): WordDocs {
  const words: string[] = [];
  const index = new Map<string, number>();
  const idOf = (w: string): number => {
    let id = index.get(w);
    if (id === undefined) {
      id = words.length;
      words.push(w);
      index.set(w, id);
    }
    return id;
  };
  const ids = new IntList(texts.length * 48);
  const titleIds = new IntList(texts.length * 8);
  const docStart = new Int32Array(texts.length + 1);
  const titleStart = new Int32Array(texts.length + 1);
  texts.forEach((text, d) => {
    const t = tokensOf(text);
    for (const w of t.words) ids.push(idOf(w));
    for (const w of t.title) titleIds.push(idOf(w));
    docStart[d + 1] = ids.length;
    titleStart[d + 1] = titleIds.length;
  });
  return { words, docStart, ids: ids.toArray(), titleStart, titleIds: titleIds.toArray() };
}

/** Documents as interned term ids: document `d` is `termIds[docStart[d] .. docStart[d + 1]]`. */
export interface EncodedDocs {
  /** Term strings by id (with their namespace prefix). */
  terms: string[];
  docStart: Int32Array;
  termIds: Int32Array;
}

/**
 * Encode tokenised documents into interned term ids, with the same terms (and repetitions) as
 * `termsOfTokens`. Stemming and character n-grams are computed once per distinct word.
 */
export function encodeDocs(docs: WordDocs, options: FeatureOptions, stem: Stem): EncodedDocs {
  const terms: string[] = [];
  const termIndex = new Map<string, number>();
  const intern = (term: string): number => {
    let id = termIndex.get(term);
    if (id === undefined) {
      id = terms.length;
      terms.push(term);
      termIndex.set(term, id);
    }
    return id;
  };
  const W = docs.words.length;
  const stems: (string | undefined)[] = new Array<string | undefined>(W);
  const stemmed = (w: number): string =>
    (stems[w] ??= options.stemming ? stem(docs.words[w]!) : docs.words[w]!);
  const wordTerm = new Int32Array(W).fill(-1);
  const titleTerm = new Int32Array(W).fill(-1);
  const chars: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(W);
  const charIds = (w: number): Int32Array =>
    (chars[w] ??= options.charNgrams
      ? Int32Array.from(charTerms(docs.words[w]!, options.charNgrams), intern)
      : EMPTY);
  const bigramMemo = new Map<number, number>();
  const out = new IntList(docs.ids.length * 2 + 1024);
  const N = docs.docStart.length - 1;
  const docStart = new Int32Array(N + 1);
  const charSource = options.charScope === 'title' ? 'title' : 'words';
  const [wordStart, wordList] =
    options.wordScope === 'title' ? [docs.titleStart, docs.titleIds] : [docs.docStart, docs.ids];
  for (let d = 0; d < N; d++) {
    let prev = -1;
    for (let k = wordStart[d]!; k < wordStart[d + 1]!; k++) {
      const w = wordList[k]!;
      let id = wordTerm[w]!;
      if (id < 0) id = wordTerm[w] = intern(TERM_PREFIX.word + stemmed(w));
      out.push(id);
      if (options.wordBigrams && prev >= 0) {
        const key = prev * 67_108_864 + id;
        let b = bigramMemo.get(key);
        if (b === undefined) {
          b = intern(`${TERM_PREFIX.bigram}${terms[prev]!.slice(2)} ${terms[id]!.slice(2)}`);
          bigramMemo.set(key, b);
        }
        out.push(b);
      }
      prev = id;
    }
    if (options.titleWords) {
      for (let k = docs.titleStart[d]!; k < docs.titleStart[d + 1]!; k++) {
        const w = docs.titleIds[k]!;
        let id = titleTerm[w]!;
        if (id < 0) id = titleTerm[w] = intern(TERM_PREFIX.title + stemmed(w));
        out.push(id);
      }
    }
    if (options.charNgrams) {
      const [from, to, list] =
        charSource === 'title'
          ? [docs.titleStart[d]!, docs.titleStart[d + 1]!, docs.titleIds]
          : [docs.docStart[d]!, docs.docStart[d + 1]!, docs.ids];
      for (let k = from; k < to; k++) {
        const ids = charIds(list[k]!);
        for (let j = 0; j < ids.length; j++) out.push(ids[j]!);
      }
    }
    docStart[d + 1] = out.length;
  }
  return { terms, docStart, termIds: out.toArray() };
}

/** A vocabulary selected from encoded documents, with the map from term id to feature index. */
export interface Selection {
  vocab: Vocabulary;
  /** Feature index of each term id, or -1 when the term was not kept. */
  featureOf: Int32Array;
}

/**
 * Choose the vocabulary from the documents `rows` (all when null), exactly like `buildVocabulary`:
 * df ≥ `minDf`, at most `maxFeatures` by descending df (ties alphabetical), smoothed idf rounded to
 * 4 decimals (the stored precision).
 */
export function selectVocabulary(
  enc: EncodedDocs,
  rows: Int32Array,
  options: Pick<FeatureOptions, 'minDf' | 'maxFeatures'>,
): Selection {
  const T = enc.terms.length;
  const df = new Int32Array(T);
  const lastSeen = new Int32Array(T).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    const d = rows[r]!;
    for (let k = enc.docStart[d]!; k < enc.docStart[d + 1]!; k++) {
      const t = enc.termIds[k]!;
      if (lastSeen[t] !== r) {
        lastSeen[t] = r;
        df[t] = df[t]! + 1;
      }
    }
  }
  const candidates: number[] = [];
  for (let t = 0; t < T; t++) if (df[t]! >= options.minDf) candidates.push(t);
  candidates.sort((a, b) => {
    const byDf = df[b]! - df[a]!;
    if (byDf !== 0) return byDf;
    const x = enc.terms[a]!;
    const y = enc.terms[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const kept = candidates.slice(0, options.maxFeatures);
  const featureOf = new Int32Array(T).fill(-1);
  const idf = new Float64Array(kept.length);
  const n = rows.length;
  kept.forEach((t, i) => {
    featureOf[t] = i;
    idf[i] = Number((Math.log((1 + n) / (1 + df[t]!)) + 1).toFixed(4));
  });
  return {
    vocab: vocabularyFrom(
      kept.map((t) => enc.terms[t]!),
      idf,
    ),
    featureOf,
  };
}

/** Vectors in compressed sparse rows: vector `r` is `idx/val[rowPtr[r] .. rowPtr[r + 1]]`. */
export interface CsrVectors {
  rowPtr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

/** Reusable buffers to turn term counts into one weighted vector without allocating per feature. */
export class Vectoriser {
  private readonly counts: Float64Array;
  private readonly touched: Int32Array;
  private readonly isChar: Uint8Array;
  private size = 0;
  constructor(
    private readonly vocab: Vocabulary,
    private readonly weighting: FeatureOptions['weighting'],
    private readonly charWeight: number,
  ) {
    const F = vocab.terms.length;
    this.counts = new Float64Array(F);
    this.touched = new Int32Array(F);
    this.isChar = Uint8Array.from(vocab.terms, (t) => (t.startsWith(TERM_PREFIX.char) ? 1 : 0));
  }
  /** Count one occurrence of feature `f`. */
  add(f: number): void {
    if (this.counts[f] === 0) this.touched[this.size++] = f;
    this.counts[f] = this.counts[f]! + 1;
  }
  /**
   * Write the weighted vector of the counted features (sorted by feature index) into `idx`/`val` from
   * `at`, reset the buffers and return the number of entries. Same weights as `vectorise`.
   */
  flush(idx: Int32Array, val: Float32Array | Float64Array, at: number): number {
    const m = this.size;
    const order = this.touched;
    // Insertion sort: vectors are short, and this avoids a subarray object per document.
    for (let i = 1; i < m; i++) {
      const v = order[i]!;
      let j = i - 1;
      while (j >= 0 && order[j]! > v) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = v;
    }
    const { counts, isChar } = this;
    const idf = this.vocab.idf;
    let word = 0;
    let char = 0;
    for (let k = 0; k < m; k++) {
      const f = order[k]!;
      const c = counts[f]!;
      const v = this.weighting === 'count' ? c : (1 + Math.log(c)) * idf[f]!;
      idx[at + k] = f;
      val[at + k] = v;
      if (isChar[f]) char += v * v;
      else word += v * v;
      counts[f] = 0;
    }
    this.size = 0;
    if (this.weighting === 'tfidf' && word + char > 0) {
      const fw = word > 0 ? 1 / Math.sqrt(word) : 0;
      const fc = char > 0 ? this.charWeight / Math.sqrt(char) : 0;
      let total = 0;
      for (let k = 0; k < m; k++) {
        const v = val[at + k]! * (isChar[idx[at + k]!] ? fc : fw);
        val[at + k] = v;
        total += v * v;
      }
      const inv = total > 0 ? 1 / Math.sqrt(total) : 0;
      for (let k = 0; k < m; k++) val[at + k] = val[at + k]! * inv;
    }
    return m;
  }
}

/** Vectorise the documents `rows` against a selected vocabulary into CSR. */
export function vectoriseDocs(
  enc: EncodedDocs,
  rows: Int32Array,
  selection: Selection,
  options: Pick<FeatureOptions, 'weighting' | 'charWeight'>,
): CsrVectors {
  const { featureOf } = selection;
  const vectoriser = new Vectoriser(selection.vocab, options.weighting, options.charWeight);
  let capacity = 0;
  for (let r = 0; r < rows.length; r++) capacity += enc.docStart[rows[r]! + 1]! - enc.docStart[rows[r]!]!;
  const idx = new Int32Array(capacity);
  const val = new Float32Array(capacity);
  const rowPtr = new Int32Array(rows.length + 1);
  let at = 0;
  for (let r = 0; r < rows.length; r++) {
    const d = rows[r]!;
    for (let k = enc.docStart[d]!; k < enc.docStart[d + 1]!; k++) {
      const f = featureOf[enc.termIds[k]!]!;
      if (f >= 0) vectoriser.add(f);
    }
    at += vectoriser.flush(idx, val, at);
    rowPtr[r + 1] = at;
  }
  return { rowPtr, idx: idx.slice(0, at), val: val.slice(0, at) };
}
