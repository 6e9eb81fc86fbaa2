/** Types shared by the routing model and its serialisation. Pure. */
import type { FeatureOptions, Stem, Vocabulary } from './features.ts';

/** The learning algorithm. */
export type Algorithm = 'logreg' | 'cnb' | 'mnb';

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
}
