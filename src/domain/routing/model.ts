/**
 * The routing classifier: train a linear text classifier (logistic regression or Naive Bayes) on
 * past dispositions, predict the top-k labels with calibrated confidences and the terms that drove
 * them, and (de)serialise the model as compact, versioned JSON data. Pure: the stemmer is a parameter.
 */
import {
  DEFAULT_FEATURE_OPTIONS,
  TERM_PREFIX,
  buildVocabulary,
  displayTerm,
  extractTerms,
  noStem,
  vectorise,
  type FeatureOptions,
  type SparseVector,
  type Stem,
} from './features.ts';
import {
  fitLogistic,
  fitNaiveBayes,
  fitTemperature,
  softmax,
  type DenseLinear,
  type LinearFitOptions,
  type VectorExample,
} from './linear.ts';
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
  /** Keep at most this many non-zero weights in the stored model (largest magnitude first). */
  maxWeights: number;
  /** Fix the label set (and order); defaults to the sorted labels of the examples. */
  labels?: readonly string[];
  /**
   * Tune one additive score offset per label to maximise macro-F1 on the out-of-fold calibration
   * scores (needs `calibrationFolds` ≥ 2). Favours small labels that a plain argmax under-predicts.
   */
  tuneBias?: boolean;
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
  return {
    ...DEFAULT_TRAIN_OPTIONS,
    ...opts,
    features: { ...DEFAULT_FEATURE_OPTIONS, ...opts.features },
  };
}

function fitDense(examples: VectorExample[], F: number, L: number, o: TrainOptions): DenseLinear {
  if (o.algorithm === 'logreg') return fitLogistic(examples, F, L, o, seededRandom(o.seed));
  return fitNaiveBayes(examples, F, L, o, o.algorithm === 'cnb' ? 'complement' : 'multinomial');
}

/**
 * Centre each feature's weights across labels (softmax is invariant to that), keep the `maxWeights`
 * largest, quantise them to integers on a common scale.
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
  let threshold = 0.5; // in quantisation units: values that round to 0 are dropped anyway
  if (F * L > maxWeights) {
    const mags = Float32Array.from(w, (v) => Math.abs(v) / scale).sort();
    threshold = Math.max(threshold, mags[mags.length - maxWeights]!);
  }
  const rowStart = new Int32Array(F + 1);
  const cols: number[] = [];
  const qvals: number[] = [];
  for (let i = 0; i < F; i++) {
    for (let c = 0; c < L; c++) {
      const q = Math.round(w[i * L + c]! / scale);
      if (Math.abs(w[i * L + c]! / scale) >= threshold && q !== 0 && cols.length < maxWeights) {
        cols.push(c);
        qvals.push(q);
      }
    }
    rowStart[i + 1] = cols.length;
  }
  return { rowStart, cols: Int32Array.from(cols), qvals: Int32Array.from(qvals), scale };
}

/** Raw (uncalibrated) linear scores of a vector, per label. */
function rawScores(model: Model, x: SparseVector): Float64Array {
  const z = Float64Array.from(model.bias);
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

function trainUncalibrated(
  termDocs: string[][],
  examples: readonly TrainingExample[],
  labels: string[],
  o: TrainOptions,
  stem: Stem,
): Model {
  const vocab = buildVocabulary(termDocs, o.features);
  vocab.idf = vocab.idf.map((v) => round(v, 4));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const vectors: VectorExample[] = examples.map((e, n) => ({
    x: vectorise(termDocs[n]!, vocab, o.features.weighting, o.features.charWeight),
    y: labelIndex.get(e.label)!,
    negatives: (e.negativeLabels ?? []).flatMap((l) => labelIndex.get(l) ?? []),
  }));
  const F = vocab.terms.length;
  const L = labels.length;
  const dense = fitDense(vectors, F, L, o);
  const packed = compress(dense, F, L, o.maxWeights);
  const bias = dense.bias.map((b) => round(b, 6));
  return {
    algorithm: o.algorithm,
    features: o.features,
    labels,
    vocab,
    ...packed,
    bias,
    temperature: 1,
    stem,
  };
}

/**
 * Train a model. `stem` is the stemming function (required when `features.stemming` is on; defaults
 * to the identity). Calibration: the softmax temperature is fitted on out-of-fold scores from
 * `calibrationFolds` internal stratified folds. Throws on an empty training set.
 */
export function train(
  examples: readonly TrainingExample[],
  opts: TrainOptionsInput = {},
  stem: Stem = noStem,
): Model {
  if (examples.length === 0) throw new Error('train: no examples');
  const o = resolveOptions(opts);
  const labels = o.labels ? [...o.labels] : [...new Set(examples.map((e) => e.label))].sort();
  const termDocs = examples.map((e) => extractTerms(e.text, o.features, stem));
  const model = trainUncalibrated(termDocs, examples, labels, o, stem);
  if (o.calibrationFolds >= 2 && examples.length >= 2 * o.calibrationFolds) {
    const folds = stratifiedFolds(
      examples.map((e) => e.label),
      o.calibrationFolds,
      o.seed + 7,
    );
    const scores: Float64Array[] = [];
    const gold: number[] = [];
    for (let k = 0; k < o.calibrationFolds; k++) {
      const inTrain = folds.map((f) => f !== k);
      const sub = trainUncalibrated(
        termDocs.filter((_, n) => inTrain[n]),
        examples.filter((_, n) => inTrain[n]),
        labels,
        o,
        stem,
      );
      examples.forEach((e, n) => {
        if (inTrain[n]) return;
        scores.push(
          rawScores(sub, vectorise(termDocs[n]!, sub.vocab, o.features.weighting, o.features.charWeight)),
        );
        gold.push(labels.indexOf(e.label));
      });
    }
    if (o.tuneBias) {
      const offsets = tuneOffsets(scores, gold, labels.length);
      model.bias = model.bias.map((b, c) => round(b + offsets[c]!, 6));
      for (const s of scores) s.forEach((v, c) => (s[c] = v + offsets[c]!));
    }
    model.temperature = round(fitTemperature(scores, gold), 4);
  }
  return model;
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
 * Per-label additive offsets maximising macro-F1 of argmax(score + offset) on held-out scores, by
 * coordinate ascent over a grid scaled to the scores' spread. Ties keep the smaller change.
 */
export function tuneOffsets(
  scores: readonly Float64Array[],
  gold: readonly number[],
  L: number,
): Float64Array {
  const offsets = new Float64Array(L);
  if (scores.length === 0) return offsets;
  let spread = 0;
  for (const s of scores) spread += Math.max(...s) - Math.min(...s);
  spread /= scores.length;
  const grid = Array.from({ length: 21 }, (_, i) => ((i - 10) / 10) * 0.5 * spread);
  let best = macroF1Of(scores, gold, offsets);
  for (let round = 0; round < 2; round++) {
    for (let c = 0; c < L; c++) {
      const keep = offsets[c]!;
      let bestValue = keep;
      for (const delta of grid) {
        offsets[c] = delta;
        const f = macroF1Of(scores, gold, offsets);
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
  const x = vectorise(
    extractTerms(text, model.features, model.stem),
    model.vocab,
    model.features.weighting,
    model.features.charWeight,
  );
  return softmax(rawScores(model, x), model.temperature);
}

/**
 * The top `k` labels for a text, most likely first, each with its calibrated confidence and the
 * (up to 5) word features that contributed most to that label's score.
 */
export function predict(model: Model, text: string, k = 3): Prediction[] {
  const x = vectorise(
    extractTerms(text, model.features, model.stem),
    model.vocab,
    model.features.weighting,
    model.features.charWeight,
  );
  const probs = softmax(rawScores(model, x), model.temperature);
  const ranked = [...probs.keys()].sort((a, b) => probs[b]! - probs[a]! || a - b).slice(0, k);
  return ranked.map((c) => ({
    label: model.labels[c]!,
    confidence: probs[c]!,
    topTerms: topTerms(model, x, c),
  }));
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
  const x = vectorise(
    extractTerms(text, model.features, model.stem),
    model.vocab,
    model.features.weighting,
    model.features.charWeight,
  );
  const out: Record<string, string[]> = {};
  for (const label of labels) {
    const c = model.labels.indexOf(label);
    out[label] = c < 0 ? [] : topTerms(model, x, c, n);
  }
  return out;
}

function topTerms(model: Model, x: SparseVector, label: number, n = 5): string[] {
  const contributions: [string, number][] = [];
  for (let k = 0; k < x.idx.length; k++) {
    const f = x.idx[k]!;
    const term = model.vocab.terms[f]!;
    if (term.startsWith(TERM_PREFIX.char)) continue;
    for (let j = model.rowStart[f]!; j < model.rowStart[f + 1]!; j++) {
      if (model.cols[j] !== label) continue;
      const v = x.val[k]! * model.qvals[j]!;
      if (v > 0) contributions.push([displayTerm(term), v]);
    }
  }
  contributions.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return [...new Set(contributions.map(([t]) => t))].slice(0, n);
}

export { serialise, deserialise, MODEL_FORMAT, MODEL_VERSION, type SerialisedModel } from './serialise.ts';
