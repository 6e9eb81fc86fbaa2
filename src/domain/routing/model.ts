/**
 * The routing classifier: train a linear text classifier (logistic regression or Naive Bayes) on
 * past dispositions, predict the top-k labels with calibrated confidences and the terms that drove
 * them, and (de)serialise the model as compact, versioned JSON data. Pure: the stemmer is a parameter.
 */
import {
  DEFAULT_FEATURE_OPTIONS,
  TERM_PREFIX,
  displayTerm,
  noStem,
  tokensOf,
  type FeatureOptions,
  type SparseVector,
  type Stem,
  type Tokens,
} from './features.ts';
import {
  encodeDocs,
  selectVocabulary,
  vectoriseDocs,
  wordDocsOf,
  type EncodedDocs,
  type WordDocs,
} from './encode.ts';
import {
  fitLinearSvm,
  fitLogistic,
  fitNaiveBayes,
  fitTemperature,
  softmax,
  type Dataset,
  type DenseLinear,
  type LinearFitOptions,
} from './linear.ts';
import { displayCue } from './cues.ts';
import { vectoriseTokens } from './predict-cache.ts';
import { seededRandom, stratifiedFolds } from './random.ts';
import type { Algorithm, Model } from './types.ts';

export type { Algorithm, Model } from './types.ts';

/** A training example: report text, the agency/category it finally belonged to, and labels it was returned from. */
export interface TrainingExample {
  text: string;
  label: string;
  /** Labels this report was returned from as *bukan wewenang*: the model learns it does not belong there. */
  negativeLabels?: readonly string[];
}

/** Training options; every field has a default (see {@link DEFAULT_TRAIN_OPTIONS}). */
export interface TrainOptions extends LinearFitOptions {
  algorithm: Algorithm;
  features: FeatureOptions;
  /** Seed of the PRNG used for shuffling and calibration folds. */
  seed: number;
  /** Internal stratified folds used to fit the softmax temperature (0 or 1 = no calibration). */
  calibrationFolds: number;
  /**
   * `folds`: fit the temperature on out-of-fold scores of `calibrationFolds` refits, then train the
   * served model on everything (small data). `holdout`: train once on all but a stratified
   * `1 / calibrationFolds` slice (at most `holdoutMax` rows), fit the temperature on that slice, and
   * serve that model (large data: one fit instead of k + 1).
   */
  calibration?: 'folds' | 'holdout';
  /** Largest held-out calibration slice (default 5,000 rows). */
  holdoutMax?: number;
  /** Keep at most this many non-zero weights in the stored model (largest magnitude first). */
  maxWeights: number;
  /** Fix the label set (and order); defaults to the sorted labels of the examples. */
  labels?: readonly string[];
  /**
   * Tune one additive score offset per label on the out-of-fold calibration scores (needs
   * `calibrationFolds` ≥ 2): `true` / `'macroF1'` maximises macro-F1 (favours small labels that a
   * plain argmax under-predicts), `'accuracy'` maximises accuracy (moves the class priors).
   */
  tuneBias?: boolean | 'macroF1' | 'accuracy';
  /** SVM (`svm`): inverse regularisation C. */
  svmC?: number;
  /** SVM: passes of dual coordinate descent (default 10; it stops earlier once converged). */
  svmEpochs?: number;
  /** SVM: NBSVM log-count-ratio smoothing (0 = plain SVM). */
  nbAlpha?: number;
  /** SVM: NBSVM interpolation β (1 = none). */
  nbBeta?: number;
}

/** Defaults chosen by 5-fold cross-validation on the LAPOR! 2017 training split (see docs/routing.md). */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  algorithm: 'logreg',
  features: DEFAULT_FEATURE_OPTIONS,
  seed: 1,
  calibrationFolds: 3,
  maxWeights: 300_000,
  epochs: 10,
  learningRate: 0.5,
  l2: 1e-4,
  negativeWeight: 1,
  classWeight: 'balanced',
  alpha: 0.3,
};

/** Options accepted by {@link train}: any subset of {@link TrainOptions}, feature options included. */
export type TrainOptionsInput = Partial<Omit<TrainOptions, 'features'>> & {
  features?: Partial<FeatureOptions>;
};

/** One suggestion: a label, its calibrated confidence in [0, 1] and the terms that contributed most. */
export interface Prediction {
  label: string;
  confidence: number;
  topTerms: string[];
}

const QUANT_LEVELS = 10_000;
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function resolveOptions(opts: TrainOptionsInput): TrainOptions {
  const features = { ...DEFAULT_FEATURE_OPTIONS, ...opts.features };
  // A title-only member reads nothing of the body: its character n-grams, if any, come from the title too.
  if (features.wordScope === 'title' && features.charNgrams && features.charScope !== 'title')
    throw new Error("train: wordScope 'title' needs charScope 'title' (or no character n-grams)");
  return { ...DEFAULT_TRAIN_OPTIONS, ...opts, features };
}

function fitDense(data: Dataset, F: number, L: number, o: TrainOptions): DenseLinear {
  if (o.algorithm === 'logreg') return fitLogistic(data, F, L, o, seededRandom(o.seed));
  if (o.algorithm === 'svm')
    return fitLinearSvm(
      data,
      F,
      L,
      {
        C: o.svmC ?? 1,
        epochs: o.svmEpochs ?? 10,
        classWeight: o.classWeight,
        negativeWeight: o.negativeWeight,
        nbAlpha: o.nbAlpha ?? 0,
        nbBeta: o.nbBeta ?? 1,
      },
      seededRandom(o.seed),
    );
  return fitNaiveBayes(data, F, L, o, o.algorithm === 'cnb' ? 'complement' : 'multinomial');
}

/**
 * Centre each feature's weights across labels (softmax is invariant to that), keep the `maxWeights`
 * largest, quantise them to integers on a common scale. The magnitude threshold is found with a
 * histogram over quantisation levels instead of a sort.
 */
function compress(dense: DenseLinear, F: number, L: number, maxWeights: number) {
  const w = dense.weights;
  let maxAbs = 0;
  for (let i = 0; i < F; i++) {
    let mean = 0;
    for (let c = 0; c < L; c++) mean += w[i * L + c]!;
    mean /= L;
    for (let c = 0; c < L; c++) {
      const v = w[i * L + c]! - mean;
      w[i * L + c] = v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  const scale = maxAbs > 0 ? maxAbs / QUANT_LEVELS : 1;
  // Keep |q| ≥ minLevel: the level at which the tail of a histogram over levels reaches
  // maxWeights values (ties at that level are cut in feature order by the cap below).
  let minLevel = 1;
  if (F * L > maxWeights) {
    const histogram = new Int32Array(QUANT_LEVELS + 2);
    for (let k = 0; k < w.length; k++) {
      histogram[Math.min(QUANT_LEVELS + 1, Math.round(Math.abs(w[k]!) / scale))]! += 1;
    }
    let tail = 0;
    for (let level = QUANT_LEVELS + 1; level >= 1; level--) {
      tail += histogram[level]!;
      if (tail >= maxWeights) {
        minLevel = level;
        break;
      }
    }
  }
  const rowStart = new Int32Array(F + 1);
  let nnz = 0;
  for (let k = 0; k < w.length; k++) if (Math.abs(Math.round(w[k]! / scale)) >= minLevel) nnz++;
  nnz = Math.min(nnz, maxWeights);
  const cols = new Int32Array(nnz);
  const qvals = new Int32Array(nnz);
  let at = 0;
  for (let i = 0; i < F; i++) {
    for (let c = 0; c < L && at < nnz; c++) {
      const q = Math.round(w[i * L + c]! / scale);
      if (q !== 0 && Math.abs(q) >= minLevel) {
        cols[at] = c;
        qvals[at] = q;
        at++;
      }
    }
    rowStart[i + 1] = at;
  }
  return { rowStart, cols, qvals, scale };
}

/** Raw (uncalibrated) linear scores of a vector, per label, into `z` (allocated when absent). */
function rawScores(model: Model, x: SparseVector, z = new Float64Array(model.labels.length)): Float64Array {
  z.set(model.bias);
  for (let k = 0; k < x.idx.length; k++) {
    const f = x.idx[k]!;
    const v = x.val[k]! * model.scale;
    for (let j = model.rowStart[f]!; j < model.rowStart[f + 1]!; j++) {
      const c = model.cols[j]!;
      z[c] = z[c]! + v * model.qvals[j]!;
    }
  }
  return z;
}

/** Labels and negative labels of the examples as index arrays. */
interface Targets {
  y: Int32Array;
  negPtr: Int32Array;
  neg: Int32Array;
}

function targetsOf(examples: readonly TrainingExample[], labels: readonly string[]): Targets {
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const y = new Int32Array(examples.length);
  const negPtr = new Int32Array(examples.length + 1);
  const neg: number[] = [];
  examples.forEach((e, n) => {
    y[n] = labelIndex.get(e.label)!;
    for (const l of e.negativeLabels ?? []) {
      const c = labelIndex.get(l);
      if (c !== undefined) neg.push(c);
    }
    negPtr[n + 1] = neg.length;
  });
  return { y, negPtr, neg: Int32Array.from(neg) };
}

/** The dataset of the documents `rows`: their vectors and their targets. */
function datasetOf(
  vectors: { rowPtr: Int32Array; idx: Int32Array; val: Float32Array },
  t: Targets,
  rows: Int32Array,
): Dataset {
  const negPtr = new Int32Array(rows.length + 1);
  const neg: number[] = [];
  const y = new Int32Array(rows.length);
  rows.forEach((d, r) => {
    y[r] = t.y[d]!;
    for (let j = t.negPtr[d]!; j < t.negPtr[d + 1]!; j++) neg.push(t.neg[j]!);
    negPtr[r + 1] = neg.length;
  });
  return { ...vectors, y, negPtr, neg: Int32Array.from(neg) };
}

/** Fit on the documents `rows`; also returns the vocabulary selection to score other documents. */
function trainOn(
  enc: EncodedDocs,
  t: Targets,
  rows: Int32Array,
  labels: string[],
  o: TrainOptions,
  stem: Stem,
) {
  const selection = selectVocabulary(enc, rows, o.features);
  const vectors = vectoriseDocs(enc, rows, selection, o.features);
  const F = selection.vocab.terms.length;
  const L = labels.length;
  const dense = fitDense(datasetOf(vectors, t, rows), F, L, o);
  const packed = compress(dense, F, L, o.maxWeights);
  const bias = dense.bias.map((b) => round(b, 6));
  const model: Model = {
    algorithm: o.algorithm,
    features: o.features,
    labels,
    vocab: selection.vocab,
    ...packed,
    bias,
    temperature: 1,
    stem,
  };
  return { model, selection };
}

/** Raw scores (`n * L + c`) of the documents `rows` under a model trained by {@link trainOn}. */
function scoresOf(
  enc: EncodedDocs,
  rows: Int32Array,
  fitted: ReturnType<typeof trainOn>,
  o: TrainOptions,
): Float64Array {
  const L = fitted.model.labels.length;
  const vectors = vectoriseDocs(enc, rows, fitted.selection, o.features);
  const out = new Float64Array(rows.length * L);
  const z = new Float64Array(L);
  for (let r = 0; r < rows.length; r++) {
    const from = vectors.rowPtr[r]!;
    const to = vectors.rowPtr[r + 1]!;
    rawScores(fitted.model, { idx: vectors.idx.subarray(from, to), val: vectors.val.subarray(from, to) }, z);
    out.set(z, r * L);
  }
  return out;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * Train a model. `stem` is the stemming function (required when `features.stemming` is on; defaults
 * to the identity). Calibration: the softmax temperature is fitted on held-out scores, either from
 * `calibrationFolds` internal stratified folds (default) or from one held-out slice
 * (`calibration: 'holdout'`, for large data). `words` may pass the examples' tokenised texts
 * (`wordDocsOf`) when several models are trained on the same texts. Throws on an empty training set.
 */
export function train(
  examples: readonly TrainingExample[],
  opts: TrainOptionsInput = {},
  stem: Stem = noStem,
  words?: WordDocs,
  onHeldOut?: (heldOut: HeldOut) => void,
): Model {
  if (examples.length === 0) throw new Error('train: no examples');
  const o = resolveOptions(opts);
  const labels = o.labels ? [...o.labels] : [...new Set(examples.map((e) => e.label))].sort();
  const enc = encodeDocs(words ?? wordDocsOf(examples.map((e) => e.text)), o.features, stem);
  const targets = targetsOf(examples, labels);
  const L = labels.length;
  const k = o.calibrationFolds;
  if (k < 2 || examples.length < 2 * k)
    return trainOn(enc, targets, range(examples.length), labels, o, stem).model;
  const folds = stratifiedFolds(
    examples.map((e) => e.label),
    k,
    o.seed + 7,
  );
  const rowsWhere = (keep: (n: number) => boolean) => Int32Array.from(range(examples.length).filter(keep));
  let model: Model;
  const scoreParts: Float64Array[] = [];
  const goldParts: Int32Array[] = [];
  const rowParts: Int32Array[] = [];
  if (o.calibration === 'holdout') {
    // One stratified slice (fold 0), capped at holdoutMax rows, is held out.
    const max = o.holdoutMax ?? 5000;
    let held = 0;
    const isHeld = new Uint8Array(examples.length);
    for (let n = 0; n < examples.length && held < max; n++) {
      if (folds[n] !== 0) continue;
      isHeld[n] = 1;
      held++;
    }
    const heldRows = rowsWhere((n) => isHeld[n] === 1);
    const fitted = trainOn(
      enc,
      targets,
      rowsWhere((n) => isHeld[n] === 0),
      labels,
      o,
      stem,
    );
    model = fitted.model;
    rowParts.push(heldRows);
    scoreParts.push(scoresOf(enc, heldRows, fitted, o));
    goldParts.push(Int32Array.from(heldRows, (n) => targets.y[n]!));
  } else {
    model = trainOn(enc, targets, range(examples.length), labels, o, stem).model;
    for (let f = 0; f < k; f++) {
      const heldRows = rowsWhere((n) => folds[n] === f);
      const fitted = trainOn(
        enc,
        targets,
        rowsWhere((n) => folds[n] !== f),
        labels,
        o,
        stem,
      );
      rowParts.push(heldRows);
      scoreParts.push(scoresOf(enc, heldRows, fitted, o));
      goldParts.push(Int32Array.from(heldRows, (n) => targets.y[n]!));
    }
  }
  const scores = concat(scoreParts, Float64Array);
  const gold = concat(goldParts, Int32Array);
  if (o.tuneBias) {
    const rows = Array.from({ length: gold.length }, (_, n) => scores.subarray(n * L, (n + 1) * L));
    const offsets = tuneOffsets(rows, [...gold], L, o.tuneBias === 'accuracy' ? 'accuracy' : 'macroF1');
    model.bias = model.bias.map((b, c) => round(b + offsets[c]!, 6));
    for (const s of rows) s.forEach((v, c) => (s[c] = v + offsets[c]!));
  }
  model.temperature = round(fitTemperature(scores, gold, L), 4);
  if (onHeldOut) {
    const probs = new Float32Array(scores.length);
    for (let n = 0; n < gold.length; n++)
      probs.set(softmax(scores.subarray(n * L, (n + 1) * L), model.temperature), n * L);
    onHeldOut({ rows: concat(rowParts, Int32Array), gold, probs });
  }
  return model;
}

/**
 * The rows held out while the temperature was fitted (all rows, fold by fold, or the held-out slice), with
 * their gold label index and calibrated probabilities (row-major, labels in model order). Members trained with
 * the same seed, label set and calibration settings hold out the same rows, so an ensemble can calibrate its
 * combined output on them (`ensembleTemperature` in ensemble.ts).
 */
export interface HeldOut {
  rows: Int32Array;
  gold: Int32Array;
  probs: Float32Array;
}

function concat<T extends Float64Array | Int32Array>(parts: T[], Type: { new (n: number): T }): T {
  const out = new Type(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

function accuracyOf(scores: readonly Float64Array[], gold: readonly number[], offsets: Float64Array): number {
  const L = offsets.length;
  let ok = 0;
  scores.forEach((s, n) => {
    let best = 0;
    for (let c = 1; c < L; c++) if (s[c]! + offsets[c]! > s[best]! + offsets[best]!) best = c;
    if (best === gold[n]) ok++;
  });
  return scores.length > 0 ? ok / scores.length : 0;
}

function macroF1Of(scores: readonly Float64Array[], gold: readonly number[], offsets: Float64Array): number {
  const L = offsets.length;
  const tp = new Float64Array(L);
  const predicted = new Float64Array(L);
  const support = new Float64Array(L);
  scores.forEach((s, n) => {
    let best = 0;
    for (let c = 1; c < L; c++) if (s[c]! + offsets[c]! > s[best]! + offsets[best]!) best = c;
    predicted[best]! += 1;
    support[gold[n]!]! += 1;
    if (best === gold[n]) tp[best]! += 1;
  });
  let sum = 0;
  let labels = 0;
  for (let c = 0; c < L; c++) {
    if (support[c] === 0 && predicted[c] === 0) continue;
    labels++;
    const denominator = predicted[c]! + support[c]!;
    sum += denominator > 0 ? (2 * tp[c]!) / denominator : 0;
  }
  return labels > 0 ? sum / labels : 0;
}

/**
 * Per-label additive offsets maximising macro-F1 (or accuracy) of argmax(score + offset) on held-out
 * scores, by coordinate ascent over a grid scaled to the scores' spread. Ties keep the smaller change.
 */
export function tuneOffsets(
  scores: readonly Float64Array[],
  gold: readonly number[],
  L: number,
  objective: 'macroF1' | 'accuracy' = 'macroF1',
): Float64Array {
  const metric = objective === 'accuracy' ? accuracyOf : macroF1Of;
  const offsets = new Float64Array(L);
  if (scores.length === 0) return offsets;
  let spread = 0;
  for (const s of scores) spread += Math.max(...s) - Math.min(...s);
  spread /= scores.length;
  const grid = Array.from({ length: 21 }, (_, i) => ((i - 10) / 10) * 0.5 * spread);
  let best = metric(scores, gold, offsets);
  for (let round = 0; round < 2; round++) {
    for (let c = 0; c < L; c++) {
      const keep = offsets[c]!;
      let bestValue = keep;
      for (const delta of grid) {
        offsets[c] = delta;
        const f = metric(scores, gold, offsets);
        if (f > best + 1e-9 || (Math.abs(f - best) <= 1e-9 && Math.abs(delta) < Math.abs(bestValue))) {
          if (f > best + 1e-9) best = f;
          bestValue = delta;
        }
      }
      offsets[c] = bestValue;
    }
  }
  return offsets;
}

/** Calibrated probabilities of every label for a text, in the order of `model.labels`. */
export function probabilities(model: Model, text: string): Float64Array {
  return probabilitiesOfTokens(model, tokensOf(text));
}

/** {@link probabilities} on already tokenised text. */
export function probabilitiesOfTokens(model: Model, tokens: Tokens): Float64Array {
  return softmax(rawScores(model, vectoriseTokens(model, tokens)), model.temperature);
}

/**
 * The top `k` labels for a text, most likely first, each with its calibrated confidence and the
 * (up to 5) word features that contributed most to that label's score.
 */
export function predict(model: Model, text: string, k = 3): Prediction[] {
  const x = vectoriseTokens(model, tokensOf(text));
  const probs = softmax(rawScores(model, x), model.temperature);
  const ranked = [...probs.keys()].sort((a, b) => probs[b]! - probs[a]! || a - b).slice(0, k);
  return ranked.map((c) => ({
    label: model.labels[c]!,
    confidence: probs[c]!,
    topTerms: topTerms(model, x, c),
  }));
}

/** A text's vector and calibrated probabilities under one model (for ensembles). */
export function scoreTokens(model: Model, tokens: Tokens): { x: SparseVector; probs: Float64Array } {
  const x = vectoriseTokens(model, tokens);
  return { x, probs: softmax(rawScores(model, x), model.temperature) };
}

/**
 * The (up to `n`) word features of `text` that pushed each of `labels` up the most: the explanation
 * shown next to a suggestion. Labels unknown to the model get an empty list.
 */
export function explain(
  model: Model,
  text: string,
  labels: readonly string[],
  n = 5,
): Record<string, string[]> {
  const x = vectoriseTokens(model, tokensOf(text));
  const out: Record<string, string[]> = {};
  for (const label of labels) {
    const c = model.labels.indexOf(label);
    out[label] = c < 0 ? [] : topTerms(model, x, c, n);
  }
  return out;
}

/** The (up to `n`) word features of vector `x` that added the most to label index `label`. */
export function topTerms(model: Model, x: SparseVector, label: number, n = 5): string[] {
  const contributions: [number, number][] = [];
  for (let k = 0; k < x.idx.length; k++) {
    const f = x.idx[k]!;
    const term = model.vocab.terms[f]!;
    if (term.startsWith(TERM_PREFIX.char)) continue;
    for (let j = model.rowStart[f]!; j < model.rowStart[f + 1]!; j++) {
      if (model.cols[j] !== label) continue;
      const v = x.val[k]! * model.qvals[j]!;
      if (v > 0) contributions.push([f, v]);
    }
  }
  const shown = contributions.flatMap(([f, v]) => {
    const t = displayCue(displayTerm(model.vocab.terms[f]!));
    return t === null ? [] : [[t, v] as const];
  });
  const sorted = [...shown].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return [...new Set(sorted.map(([t]) => t))].slice(0, n);
}

export { serialise, deserialise, MODEL_FORMAT, MODEL_VERSION, type SerialisedModel } from './serialise.ts';
