/**
 * Fast vectorisation at prediction time: each model keeps memo tables from a word to its feature ids
 * (stem, character n-grams) and reusable count buffers, so a suggestion allocates nothing per
 * feature once the words have been seen. Gives exactly the vector of `vectorise(extractTerms(…))`.
 * Pure (the memo lives on the model object).
 */
import { TERM_PREFIX, charTerms, type SparseVector, type Tokens } from './features.ts';
import type { Model, PredictCache } from './types.ts';

/** Largest number of memoised words per table before it is cleared. */
const MEMO_LIMIT = 200_000;

function cacheOf(model: Model): PredictCache {
  if (model.cache) return model.cache;
  const F = model.vocab.terms.length;
  model.cache = {
    word: new Map(),
    title: new Map(),
    stems: new Map(),
    counts: new Float64Array(F),
    touched: new Int32Array(F),
    isChar: Uint8Array.from(model.vocab.terms, (t) => (t.startsWith(TERM_PREFIX.char) ? 1 : 0)),
  };
  return model.cache;
}

function stemOf(model: Model, cache: PredictCache, w: string): string {
  if (!model.features.stemming) return w;
  let s = cache.stems.get(w);
  if (s === undefined) {
    s = model.stem(w);
    if (cache.stems.size >= MEMO_LIMIT) cache.stems.clear();
    cache.stems.set(w, s);
  }
  return s;
}

function idsOf(model: Model, terms: string[]): Int32Array {
  const out: number[] = [];
  for (const t of terms) {
    const f = model.vocab.index.get(t);
    if (f !== undefined) out.push(f);
  }
  return Int32Array.from(out);
}

function wordIds(model: Model, cache: PredictCache, w: string): Int32Array {
  let ids = cache.word.get(w);
  if (ids === undefined) {
    const terms = [TERM_PREFIX.word + stemOf(model, cache, w)];
    const { charNgrams, charScope } = model.features;
    if (charNgrams && charScope !== 'title') terms.push(...charTerms(w, charNgrams));
    ids = idsOf(model, terms);
    if (cache.word.size >= MEMO_LIMIT) cache.word.clear();
    cache.word.set(w, ids);
  }
  return ids;
}

function titleIds(model: Model, cache: PredictCache, w: string): Int32Array {
  let ids = cache.title.get(w);
  if (ids === undefined) {
    const terms: string[] = [];
    const { charNgrams, charScope, titleWords } = model.features;
    if (titleWords) terms.push(TERM_PREFIX.title + stemOf(model, cache, w));
    if (charNgrams && charScope === 'title') terms.push(...charTerms(w, charNgrams));
    ids = idsOf(model, terms);
    if (cache.title.size >= MEMO_LIMIT) cache.title.clear();
    cache.title.set(w, ids);
  }
  return ids;
}

/** The weighted sparse vector of tokenised text under a model (TF-IDF or counts, see features.ts). */
export function vectoriseTokens(model: Model, tokens: Tokens): SparseVector {
  const cache = cacheOf(model);
  const { counts, touched, isChar } = cache;
  let size = 0;
  const add = (f: number) => {
    if (counts[f] === 0) touched[size++] = f;
    counts[f] = counts[f]! + 1;
  };
  const { features } = model;
  const words = features.wordScope === 'title' ? tokens.title : tokens.words;
  for (const w of words) {
    const ids = wordIds(model, cache, w);
    for (let k = 0; k < ids.length; k++) add(ids[k]!);
  }
  if (features.wordBigrams) {
    for (let i = 1; i < words.length; i++) {
      const a = stemOf(model, cache, words[i - 1]!);
      const b = stemOf(model, cache, words[i]!);
      const f = model.vocab.index.get(`${TERM_PREFIX.bigram}${a} ${b}`);
      if (f !== undefined) add(f);
    }
  }
  if (features.titleWords || (features.charNgrams && features.charScope === 'title')) {
    for (const w of tokens.title) {
      const ids = titleIds(model, cache, w);
      for (let k = 0; k < ids.length; k++) add(ids[k]!);
    }
  }
  const idx = touched.slice(0, size).sort();
  const val = new Float64Array(size);
  const idf = model.vocab.idf;
  let word = 0;
  let char = 0;
  for (let k = 0; k < size; k++) {
    const f = idx[k]!;
    const c = counts[f]!;
    counts[f] = 0;
    const v = features.weighting === 'count' ? c : (1 + Math.log(c)) * idf[f]!;
    val[k] = v;
    if (isChar[f]) char += v * v;
    else word += v * v;
  }
  if (features.weighting === 'tfidf' && word + char > 0) {
    const fw = word > 0 ? 1 / Math.sqrt(word) : 0;
    const fc = char > 0 ? features.charWeight / Math.sqrt(char) : 0;
    let total = 0;
    for (let k = 0; k < size; k++) {
      val[k] = val[k]! * (isChar[idx[k]!] ? fc : fw);
      total += val[k]! ** 2;
    }
    const inv = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let k = 0; k < size; k++) val[k] = val[k]! * inv;
  }
  return { idx, val };
}
