/**
 * Compact, versioned JSON form of a routing model, for storage in the database. Weights are stored as
 * quantised integers in compressed sparse rows. Pure.
 */
import { vocabularyFrom, type FeatureOptions, type Stem } from './features.ts';
import type { Algorithm, Model } from './types.ts';

/** Identifies the JSON format. */
export const MODEL_FORMAT = 'aduan.routing.model';
/** Current version of the JSON format; {@link deserialise} rejects other versions. */
export const MODEL_VERSION = 1;

/** The JSON-able form of a model. */
export interface SerialisedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  algorithm: Algorithm;
  features: FeatureOptions;
  labels: string[];
  terms: string[];
  idf: number[];
  /** Number of stored weights of each feature (row lengths). */
  rowLengths: number[];
  /** Label index of each stored weight. */
  cols: number[];
  /** Quantised weight values (multiply by `scale`). */
  qvals: number[];
  scale: number;
  bias: number[];
  temperature: number;
}

/** Turn a model into plain JSON data (no functions, no typed arrays). */
export function serialise(model: Model): SerialisedModel {
  const rowLengths: number[] = [];
  for (let f = 0; f + 1 < model.rowStart.length; f++)
    rowLengths.push(model.rowStart[f + 1]! - model.rowStart[f]!);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    algorithm: model.algorithm,
    features: {
      ...model.features,
      charNgrams: model.features.charNgrams ? [...model.features.charNgrams] : null,
    },
    labels: [...model.labels],
    terms: [...model.vocab.terms],
    idf: [...model.vocab.idf],
    rowLengths,
    cols: [...model.cols],
    qvals: [...model.qvals],
    scale: model.scale,
    bias: [...model.bias],
    temperature: model.temperature,
  };
}

/**
 * Rebuild a model from its JSON form. `stem` must be the same stemmer used in training when the
 * model was trained with stemming. Throws on an unknown format/version or inconsistent arrays.
 */
export function deserialise(data: unknown, stem?: Stem): Model {
  const d = data as SerialisedModel;
  if (typeof d !== 'object' || d === null || d.format !== MODEL_FORMAT)
    throw new Error('not a routing model');
  if (d.version !== MODEL_VERSION) throw new Error(`unsupported routing model version ${String(d.version)}`);
  if (d.features.stemming && !stem) throw new Error('this routing model needs a stemmer');
  const F = d.terms.length;
  if (d.idf.length !== F || d.rowLengths.length !== F || d.cols.length !== d.qvals.length) {
    throw new Error('corrupt routing model: array lengths differ');
  }
  const rowStart = new Int32Array(F + 1);
  for (let f = 0; f < F; f++) rowStart[f + 1] = rowStart[f]! + d.rowLengths[f]!;
  if (rowStart[F] !== d.cols.length) throw new Error('corrupt routing model: row lengths');
  if (d.bias.length !== d.labels.length) throw new Error('corrupt routing model: bias length');
  return {
    algorithm: d.algorithm,
    features: d.features,
    labels: [...d.labels],
    vocab: vocabularyFrom([...d.terms], d.idf),
    rowStart,
    cols: Int32Array.from(d.cols),
    qvals: Int32Array.from(d.qvals),
    scale: d.scale,
    bias: Float64Array.from(d.bias),
    temperature: d.temperature,
    stem: stem ?? ((w: string) => w),
  };
}
