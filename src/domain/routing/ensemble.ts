/**
 * The routing classifier used by the product: a weighted ensemble of linear models (by default NBSVM
 * plus a linear SVM with title character n-grams (weight 0.5)) whose calibrated probabilities are
 * averaged. Chosen by stratified 5-fold cross-validation (docs/routing.md). Also builds the model
 * input text from a report's fields. Pure: the stemmer is a parameter.
 */
import { CLASSIFICATIONS } from '../report/report.ts';
import { reportTypeCues } from './cues.ts';
import { wordDocsOf } from './encode.ts';
import { tokensOf, type Stem } from './features.ts';
import { fitTemperature } from './linear.ts';
import {
  deserialise,
  scoreTokens,
  serialise,
  topTerms,
  train,
  type HeldOut,
  type Model,
  type Prediction,
  type SerialisedModel,
  type TrainingExample,
  type TrainOptionsInput,
} from './model.ts';

/** Identifies the JSON format of an ensemble. */
export const ENSEMBLE_FORMAT = 'aduan.routing.ensemble';
/** Current version of the ensemble JSON format. */
export const ENSEMBLE_VERSION = 1;

/** A trained ensemble: members share the label set (and order). */
export interface Ensemble {
  labels: string[];
  members: { model: Model; weight: number }[];
  /**
   * Temperature of the combined output (`poolTemperature`): the weighted mean of the members' calibrated
   * probabilities is raised to 1 / temperature and renormalised. 1 (or absent, in ensembles stored before it
   * existed) leaves the mean as it is. Fitted on the members' held-out rows (`ensembleTemperature`).
   */
  temperature?: number;
}

/** What to train: one entry per member. */
export type EnsembleSpec = { options: TrainOptionsInput; weight: number }[];

/**
 * The default ensemble, chosen by stratified 5-fold CV (seeds 1 and 2) on the LAPOR! 2017 training
 * split (docs/routing.md): NBSVM (one-vs-rest squared-hinge SVM on stems whose features are scaled
 * by the Naive Bayes log-count ratio, Wang & Manning 2012) averaged with a plain one-vs-rest SVM on
 * stems plus character 3–5-grams of the title (weight 0.5). Both with C = 0.3 and balanced classes.
 */
export const DEFAULT_ENSEMBLE: EnsembleSpec = [
  { options: { algorithm: 'svm', svmC: 0.3, nbAlpha: 1, nbBeta: 0.25 }, weight: 1 },
  {
    options: {
      algorithm: 'svm',
      svmC: 0.3,
      features: { charNgrams: [3, 5], charScope: 'title', charWeight: 0.5 },
    },
    weight: 1,
  },
];

/**
 * The report-type (classification) ensemble: DEFAULT_ENSEMBLE plus a third NBSVM member that reads the title
 * only (`wordScope: 'title'`). Chosen by CV (docs/routing.md, "Fifth pass"): report-type accuracy +0.006 ± 0.011
 * on 40 folds never used for choosing (better in 27, worse in 7); it lowers agency macro-F1 (−0.02), so the
 * agency and category models keep DEFAULT_ENSEMBLE.
 */
export const REPORT_TYPE_ENSEMBLE: EnsembleSpec = [
  ...DEFAULT_ENSEMBLE,
  {
    options: { algorithm: 'svm', svmC: 0.3, nbAlpha: 1, nbBeta: 0.25, features: { wordScope: 'title' } },
    weight: 1,
  },
];

/** The previous product ensemble (LR + title char n-grams, CNB), kept for comparison in benchmarks. */
export const PREVIOUS_ENSEMBLE: EnsembleSpec = [
  {
    options: { algorithm: 'logreg', features: { charNgrams: [3, 5], charScope: 'title', charWeight: 0.5 } },
    weight: 1,
  },
  { options: { algorithm: 'cnb' }, weight: 1 },
];

/**
 * Training settings by data size. Up to 20,000 reports: the CV-chosen defaults (3 calibration refits).
 * Above: fewer SGD / SVM coordinate-descent epochs (they converge in fewer passes over more data), label updates skipped when
 * their gradient is below 1e-3, and the temperature fitted on one held-out slice (10 %, at most
 * 5,000 rows) instead of refits, so that 100,000 reports train in under a minute (docs/benchmarks.md).
 */
export function sizeOptions(n: number): TrainOptionsInput {
  if (n <= 20_000) return {};
  return {
    epochs: n > 60_000 ? 2 : 3,
    svmEpochs: n > 60_000 ? 2 : 4,
    calibration: 'holdout',
    calibrationFolds: 10,
    holdoutMax: 5000,
    gradientCutoff: 1e-3,
  };
}

/** The JSON-able form of an ensemble. */
export interface SerialisedEnsemble {
  format: typeof ENSEMBLE_FORMAT;
  version: number;
  weights: number[];
  members: SerialisedModel[];
  /** Optional: absent (= 1) in ensembles stored before 2026-11-28. */
  temperature?: number;
}

/** Train every member of `spec` on the same examples and label set. Throws on an empty training set. */
export function trainEnsemble(
  examples: readonly TrainingExample[],
  spec: EnsembleSpec = DEFAULT_ENSEMBLE,
  stem?: Stem,
  shared: TrainOptionsInput = sizeOptions(examples.length),
): Ensemble {
  if (examples.length === 0) throw new Error('trainEnsemble: no examples');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const words = wordDocsOf(examples.map((e) => e.text));
  const heldOut: HeldOut[] = [];
  const members = spec.map((m) => ({
    model: train(
      examples,
      { ...shared, ...m.options, labels, features: { ...shared.features, ...m.options.features } },
      stem,
      words,
      (h) => heldOut.push(h),
    ),
    weight: m.weight,
  }));
  const temperature = ensembleTemperature(
    heldOut,
    members.map((m) => m.weight),
    labels.length,
  );
  return { labels, members, temperature };
}

/**
 * The temperature that calibrates the members' combined output, fitted (by the same negative log-likelihood
 * search as each member's own temperature) on the rows every member held out while calibrating, scored with the
 * weighted mean of their calibrated probabilities. Why: a mean of calibrated members is not calibrated itself; with
 * the title-only third member of the report-type model it was under-confident (expected calibration error 0.038
 * against 0.017 for the pair, docs/routing.md). 1 when there is a single member or the members held out different
 * rows (other seeds or calibration settings).
 */
export function ensembleTemperature(
  heldOut: readonly HeldOut[],
  weights: readonly number[],
  L: number,
): number {
  const first = heldOut[0];
  if (!first || heldOut.length < 2 || heldOut.length !== weights.length || first.rows.length === 0) return 1;
  const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (heldOut.some((h) => !same(h.rows, first.rows) || !same(h.gold, first.gold))) return 1;
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) return 1;
  const logMean = new Float64Array(first.probs.length);
  for (let i = 0; i < logMean.length; i++) {
    let p = 0;
    heldOut.forEach((h, m) => (p += weights[m]! * h.probs[i]!));
    logMean[i] = Math.log(Math.max(1e-12, p / total));
  }
  return Math.round(fitTemperature(logMean, first.gold, L) * 10_000) / 10_000;
}

/** `p` (a probability vector) raised to 1 / temperature and renormalised, in place; unchanged at temperature 1. */
export function poolTemperature(p: Float64Array, temperature = 1): Float64Array {
  if (temperature === 1 || !(temperature > 0)) return p;
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] = Math.exp(Math.log(Math.max(1e-300, p[i]!)) / temperature);
  if (sum > 0) for (let i = 0; i < p.length; i++) p[i] = p[i]! / sum;
  return p;
}

/**
 * Weighted mean of the members' calibrated probabilities, with the ensemble's own temperature applied, in the order
 * of `ensemble.labels`.
 */
export function ensembleProbabilities(ensemble: Ensemble, text: string): Float64Array {
  return combine(ensemble, tokensOf(text)).p;
}

function combine(ensemble: Ensemble, tokens: ReturnType<typeof tokensOf>) {
  const p = new Float64Array(ensemble.labels.length);
  let total = 0;
  const scored = ensemble.members.map(({ model, weight }) => {
    const s = scoreTokens(model, tokens);
    for (let i = 0; i < p.length; i++) p[i] = p[i]! + weight * s.probs[i]!;
    total += weight;
    return s;
  });
  if (total > 0) for (let i = 0; i < p.length; i++) p[i] = p[i]! / total;
  poolTemperature(p, ensemble.temperature);
  return { p, scored };
}

/**
 * The top `k` labels, best first, with the ensemble's confidence and the words that drove them
 * (from the members' explanations, first member first, without repeats). The text is tokenised once
 * and vectorised once per member. With `among`, only those labels compete and the confidence is conditional on
 * the answer being one of them: p(label) / Σ p(among) (e.g. the units of one agency's tree); no label of the set
 * known to the model gives no suggestions.
 */
export function suggest(ensemble: Ensemble, text: string, k = 3, among?: ReadonlySet<string>): Prediction[] {
  const { p, scored } = combine(ensemble, tokensOf(text));
  let candidates = [...p.keys()];
  if (among) {
    candidates = candidates.filter((c) => among.has(ensemble.labels[c]!));
    const mass = candidates.reduce((a, c) => a + p[c]!, 0);
    if (mass > 0) for (const c of candidates) p[c] = p[c]! / mass;
  }
  const ranked = candidates.sort((a, b) => p[b]! - p[a]! || a - b).slice(0, k);
  return ranked.map((c) => {
    const words = new Set<string>();
    ensemble.members.forEach(({ model }, m) => {
      for (const w of topTerms(model, scored[m]!.x, c)) words.add(w);
    });
    return { label: ensemble.labels[c]!, confidence: p[c]!, topTerms: [...words].slice(0, 5) };
  });
}

/** Plain JSON form of an ensemble (for the `routing_models.model` column). */
export function serialiseEnsemble(ensemble: Ensemble): SerialisedEnsemble {
  return {
    format: ENSEMBLE_FORMAT,
    version: ENSEMBLE_VERSION,
    weights: ensemble.members.map((m) => m.weight),
    members: ensemble.members.map((m) => serialise(m.model)),
    ...(ensemble.temperature !== undefined && ensemble.temperature !== 1
      ? { temperature: ensemble.temperature }
      : {}),
  };
}

/** Rebuild an ensemble from JSON. Throws on an unknown format, version or inconsistent members. */
export function deserialiseEnsemble(data: unknown, stem?: Stem): Ensemble {
  const d = data as SerialisedEnsemble;
  if (typeof d !== 'object' || d === null || d.format !== ENSEMBLE_FORMAT)
    throw new Error('not a routing ensemble');
  if (d.version !== ENSEMBLE_VERSION) throw new Error(`unsupported ensemble version ${String(d.version)}`);
  if (!Array.isArray(d.members) || d.members.length === 0 || d.weights.length !== d.members.length)
    throw new Error('corrupt routing ensemble');
  const members = d.members.map((m, i) => ({ model: deserialise(m, stem), weight: d.weights[i]! }));
  const labels = members[0]!.model.labels;
  if (members.some((m) => m.model.labels.join('\u0000') !== labels.join('\u0000')))
    throw new Error('corrupt routing ensemble: label sets differ');
  if (d.temperature !== undefined && !(typeof d.temperature === 'number' && d.temperature > 0))
    throw new Error('corrupt routing ensemble: temperature');
  return {
    labels: [...labels],
    members,
    ...(d.temperature !== undefined ? { temperature: d.temperature } : {}),
  };
}

/** Report fields used as model input. */
export interface RoutingInput {
  title: string;
  body: string;
  regionCode?: string | null | undefined;
  classification?: string | null | undefined;
  /** Append the report-type cue tokens (cues.ts): for the classification (report type) model. */
  cues?: boolean | undefined;
}

/**
 * The model input text: the title on the first line (title features read it there), the body, then
 * synthetic tokens for the region (every prefix of the code: province, kab/kota, …) and classification.
 */
export function routingText(r: RoutingInput): string {
  const extras: string[] = [];
  if (r.regionCode) {
    const parts = r.regionCode.split('.');
    for (let i = 1; i <= Math.min(parts.length, 3); i++) extras.push(`wilayah${parts.slice(0, i).join('x')}`);
  }
  if (r.classification) extras.push(`klasifikasi${r.classification.replace(/[^a-z]/gi, '')}`);
  if (r.cues) extras.push(...reportTypeCues(r.title, r.body));
  return `${r.title.replace(/\s+/g, ' ')}\n${r.body}${extras.length ? `\n${extras.join(' ')}` : ''}`;
}

/**
 * What a synthetic token of `routingText` stands for, so "the words that drove it" can name it instead of
 * showing `wilayah64x71` or `klasifikasipengaduan`: a region code (dotted) or a classification. Null for an
 * ordinary word.
 */
export function routingTokenMeaning(
  term: string,
): { kind: 'region'; code: string } | { kind: 'classification'; value: string } | null {
  const region = /^wilayah(\d+(?:x\d+)*)$/.exec(term);
  if (region) return { kind: 'region', code: region[1]!.replace(/x/g, '.') };
  const cls = /^klasifikasi([a-z]+)$/i.exec(term);
  if (cls) {
    const value = CLASSIFICATIONS.find((c) => c.replace(/[^a-z]/gi, '') === cls[1]!.toLowerCase());
    if (value) return { kind: 'classification', value };
  }
  return null;
}
