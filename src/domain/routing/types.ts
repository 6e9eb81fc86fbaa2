/** Types shared by the routing model and its serialisation. Pure. */
import type { FeatureOptions, Stem, Vocabulary } from './features.ts';

/** The learning algorithm. */
export type Algorithm = 'logreg' | 'cnb' | 'mnb' | 'svm';

/** A trained model. Treat as opaque; store it with `serialise` (serialise.ts). */
export interface Model {
  algorithm: Algorithm;
  features: FeatureOptions;
  labels: string[];
  vocab: Vocabulary;
  /** Sparse weights, compressed rows per feature: `rowStart[f]..rowStart[f+1]` index `cols`/`qvals`. */
  rowStart: Int32Array;
  cols: Int32Array;
  /** Quantised weights; the weight is `qvals[k] * scale`. */
  qvals: Int32Array;
  scale: number;
  bias: Float64Array;
  temperature: number;
  stem: Stem;
  /** Prediction buffers and per-word feature memo, built on first use (never serialised). */
  cache?: PredictCache;
}

/** Per-model prediction state: word → feature ids memo tables and reusable count buffers. */
export interface PredictCache {
  /** Feature ids of a body word (its stem, and its char n-grams when they come from every word). */
  word: Map<string, Int32Array>;
  /** Feature ids of a title word (title stem and title char n-grams, when enabled). */
  title: Map<string, Int32Array>;
  /** The stem of each word seen (for bigrams). */
  stems: Map<string, string>;
  counts: Float64Array;
  touched: Int32Array;
  isChar: Uint8Array;
}

/**
 * Default cap on the verified reports one routing training reads, the most recently verified (docs/routing.md "Training
 * a large instance": about 15 s and 0.25 GB per 100,000 reports).
 */
export const ROUTING_TRAINING_MAX_ROWS = 500_000;
