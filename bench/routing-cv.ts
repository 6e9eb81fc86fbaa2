/**
 * Cross-validation experiments for the routing classifier (issue 7): runs stratified 5-fold CV on the
 * LAPOR! 2017 training file for a list of variants and prints mean ± sd. Bench only (reads ../shared).
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { STOPWORDS } from '../src/domain/routing/normalise.ts';
import {
  DEFAULT_ENSEMBLE,
  REPORT_TYPE_ENSEMBLE,
  ensembleTemperature,
  poolTemperature,
  PREVIOUS_ENSEMBLE,
  routingText,
} from '../src/domain/routing/ensemble.ts';
import { evaluate, meanSd } from '../src/domain/routing/metrics.ts';
import {
  probabilities,
  train,
  type HeldOut,
  type Model,
  type TrainOptionsInput,
} from '../src/domain/routing/model.ts';
import { seededRandom, shuffleInPlace, stratifiedFolds } from '../src/domain/routing/random.ts';
import { reportTypeCues } from '../src/domain/routing/cues.ts';
import { stem } from '../src/integrations/indonesian-stemmer.ts';
import { charTerms, tokensOf } from '../src/domain/routing/features.ts';
import { trainSemiSupervised } from '../src/domain/routing/semi-supervised.ts';

type Row = Record<string, string>;
const BACKGROUND = '__background__';
const file = process.env.TRAIN ?? '../shared/data/lapor-2017/train.csv';
const rows = parse(readFileSync(file, 'utf8'), {
  columns: true,
  bom: true,
  relax_column_count: true,
}) as Row[];

interface Variant {
  name: string;
  text: (r: Row) => string;
  /** `text`: this member's own model input (default: the variant's `text`), e.g. the title only. */
  members: { opts: TrainOptionsInput; weight: number; text?: (r: Row) => string }[];
  /** Per-label additive log-probability offsets tuned for accuracy on 3 inner folds of the training part. */
  tunePrior?: boolean;
  /** Mix in a centroid classifier in an LSA space built from every non-test row: p = (1 − weight)·p + weight·p_lsa. */
  lsa?: { dims: number; weight: number; temperature: number };
  /** Mix in a k-nearest-neighbour vote (cosine of stem TF-IDF): p = (1 − weight)·p + weight·p_knn. */
  knn?: { k: number; weight: number };
  /** Rows of labels below the min count join the training part as one background label, never predicted. */
  background?: boolean;
  /**
   * Stacking: instead of the weighted mean, a multinomial logistic regression (L2 `l2`, optionally with balanced
   * class weights) over the members' standardised log-probabilities, fitted on out-of-fold member predictions
   * from 3 inner stratified folds of the training part and applied to the members trained on the whole part.
   * `tied`: label l's score reads only the members' log p(l), one weight per member and label (L2 towards 1, the
   * log-linear pool) plus a free bias per label, instead of every member log-probability of every label.
   */
  stack?: { l2: number; balanced: boolean; tied?: boolean };
  /**
   * Training augmentation: every training row also joins as `copies` noisy copies (each word dropped with
   * probability `dropout`, the body's sentences shuffled, typos as `typos()` with probability `typo`); test folds
   * are untouched.
   */
  augment?: { copies: number; dropout: number; typo: number; shuffle: boolean };
  /**
   * Pair specialists (session 7): label pairs confused at least `min` times in the members' own held-out
   * (calibration) predictions get a two-label model (the same members, trained on those two labels' rows only).
   * When a test row's top two labels are such a pair, their shared probability mass is re-split:
   * (1 − mix) · the ensemble's own ratio + mix · the specialist's.
   */
  pairs?: { min: number; mix: number };
  /** Session 8: pool the members by the weighted mean of their log-probabilities (a geometric mean) instead. */
  geometric?: boolean;
  /**
   * Session 8, label-noise filtering: training rows whose gold label gets a mean out-of-fold probability below
   * `below` in the members' own calibration folds are dropped, and the members are trained again without them.
   */
  clean?: { below: number };
  /** Session 11: called with each fold's training part before the members are trained (per-fold feature selection). */
  prepare?: (tr: Row[], label: string) => void;
  /**
   * Session 17, a factorised place model: a second classifier learns which place a text is about (DKI Jakarta, Kota
   * Semarang, Kota Bandung, Kendal, national) from every labelled row outside the test fold, rare agencies included
   * (the place is read off the agency's name, or the `kpd_yth` addressee, as a training label only); each agency's
   * probability is multiplied by p(place of the agency)^weight.
   * Session 18: `of` labels a row with another factor instead of its place (the agency's sector, `sectorOf`).
   */
  place?: { weight: number; of?: (r: Row) => string | null };
  /**
   * Session 18, a fastText-style member (`fastTextVoter`): averaged learned embeddings of word, word-bigram and
   * character n-gram features, softmax, SGD; mixed in as p = (1 − weight)·p + weight·p_ft (weight 1: alone).
   */
  fastText?: FastTextOptions & { weight: number };
  /**
   * Session 18, label names as training documents (dataless classification, Chang et al. 2008): each label's own
   * name joins the training part `labelNames` times as a report with that title and an empty body.
   */
  labelNames?: number;
  /** Session 22: hand-written prototype reports per label (title, body), each joining the training part `copies` times. */
  prototypes?: { docs: Record<string, [string, string][]>; copies: number };
  /**
   * Session 19, self-training (Yarowsky 1995; Nigam et al. 2000): the members, once trained, label the rows outside
   * the training part (`pool`: the test fold only, as the product's pending reports; or also the rows of rare
   * labels); rows whose pooled probability reaches `threshold` join the training part with that label (`copies` of
   * each), and the members are trained again.
   */
  selfTrain?: { threshold: number; pool: 'test' | 'all' | 'half'; copies: number; product?: boolean };
}

/** The label-name documents of `Variant.labelNames` for a fold's training part. */
function labelNameRows(v: Variant, tr: Row[], label: string): { row: Row; label: string }[] {
  const names = [...new Set(tr.map((r) => r[label]!))].sort();
  const protos = names.flatMap((l) =>
    (v.prototypes?.docs[l] ?? []).flatMap(([title, text]) =>
      Array.from({ length: v.prototypes!.copies }, () => ({ row: { title, text }, label: l })),
    ),
  );
  return [
    ...names.flatMap((l) =>
      Array.from({ length: v.labelNames ?? 0 }, () => ({ row: { title: l, text: '' }, label: l })),
    ),
    ...protos,
  ];
}

const PLACE_NAMES: [string, string][] = [
  ['semarang', 'semarang'],
  ['bandung', 'bandung'],
  ['kendal', 'kendal'],
  ['palangka', 'palangkaraya'],
  ['dki', 'dki'],
  ['jakarta', 'dki'],
];
const NATIONAL =
  /^(Kementerian|Direktorat|Badan|BPJS|PT |Komisi|Lembaga|Kepolisian|Kejaksaan|Mahkamah|Ombudsman|Sekretariat|Kantor Staf|Bank|Otoritas)/;
/** PLACE=gaz: region names (provinces, kab/kota, full and bare) of src/assets/regions.csv, longest first. */
const placeGazetteer = (() => {
  const regs = parse(readFileSync('src/assets/regions.csv', 'utf8'), { columns: true }) as Row[];
  const norm = (x: string) =>
    x
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const codes = new Map<string, Set<string>>();
  const add = (name: string, code: string) => {
    const k = norm(name);
    if (k.length < 4) return;
    if (!codes.has(k)) codes.set(k, new Set());
    codes.get(k)!.add(code);
  };
  for (const r of regs) {
    if (r.level === '1') add(r.nama!, r.kode!);
    if (r.level === '2') {
      add(r.nama!, r.kode!);
      add(r.nama!.replace(/^(kabupaten administrasi|kota administrasi|kabupaten|kota)\s+/i, ''), r.kode!);
      add(r.nama!.replace(/^kabupaten\s+/i, 'kab '), r.kode!);
    }
  }
  add('jakarta', '31');
  const phrases = [...codes.keys()].sort((a, b) => b.length - a.length);
  return (name: string): string | null => {
    const t = ` ${norm(name)} `;
    const hit = phrases.find((k) => t.includes(` ${k} `));
    if (!hit) return null;
    const cs = [...codes.get(hit)!];
    // An ambiguous name (Kabupaten and Kota Probolinggo) reads as the province they share.
    return cs.length === 1
      ? cs[0]!
      : cs.every((c) => c.slice(0, 2) === cs[0]!.slice(0, 2))
        ? cs[0]!.slice(0, 2)
        : null;
  };
})();
/** The place a row's agency serves (a training label of the place model), or null when the name does not say. */
function placeOf(r: Row): string | null {
  if (process.env.PLACE === 'gaz') {
    const found = placeGazetteer(r.kpd_yth ?? '') ?? placeGazetteer(r.agency_group ?? '');
    // PLACE_DEPTH=1: provinces only (a kab/kota code read as its province).
    const at = found && process.env.PLACE_DEPTH === '1' ? found.slice(0, 2) : found;
    return at ?? (NATIONAL.test(r.agency_group ?? '') ? 'national' : null);
  }
  if ((r.kpd_yth ?? '').trim()) return 'dki';
  const a = r.agency_group ?? '';
  for (const [k, v] of PLACE_NAMES) if (a.toLowerCase().includes(k)) return v;
  return NATIONAL.test(a) ? 'national' : null;
}

/** The place model of a fold (see `Variant.place`) and each label's place index in it (−1: unknown). */
function placeModel(v: Variant, outside: Row[], tr: Row[], label: string, labels: string[]) {
  const factorOf = v.place?.of ?? placeOf;
  const ex = outside.flatMap((r) => {
    const at = factorOf(r);
    return at ? [{ text: v.text(r), label: at }] : [];
  });
  const member = v.members[0]!;
  const model = train(ex, { ...member.opts, labels: undefined } as TrainOptionsInput, stem);
  const labelPlace = labels.map((l) => {
    const n = new Map<string, number>();
    for (const r of tr)
      if (r[label] === l) {
        const at = factorOf(r);
        if (at) n.set(at, (n.get(at) ?? 0) + 1);
      }
    const best = [...n].sort((a, b) => b[1] - a[1])[0];
    return best ? model.labels.indexOf(best[0]) : -1;
  });
  return { model, labelPlace };
}

/** Training rows (indices) whose gold label's mean held-out probability over the members is below `below`. */
function noisyRows(trained: Trained[], below: number): Set<number> {
  const L = trained[0]!.model.labels.length;
  const sum = new Map<number, number>();
  for (const m of trained) {
    const h = m.heldOut!;
    h.rows.forEach((row, n) =>
      sum.set(row, (sum.get(row) ?? 0) + h.probs[n * L + h.gold[n]!]! / trained.length),
    );
  }
  return new Set([...sum].filter(([, p]) => p < below).map(([row]) => row));
}

/** The confused label pairs (`Variant.pairs`) from the members' held-out predictions, as "i,j" with i < j. */
function confusedPairs(trained: Trained[], L: number, min: number): [number, number][] {
  const h0 = trained[0]!.heldOut!;
  const counts = new Map<string, number>();
  for (let r = 0; r < h0.rows.length; r++) {
    let top = 0,
      best = -1;
    for (let l = 0; l < L; l++) {
      let p = 0;
      for (const m of trained) p += m.weight * m.heldOut!.probs[r * L + l]!;
      if (p > best) [best, top] = [p, l];
    }
    const g = h0.gold[r]!;
    if (top === g) continue;
    const k = `${Math.min(g, top)},${Math.max(g, top)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= min).map(([k]) => k.split(',').map(Number) as [number, number]);
}

/** Offsets (grid −1.5..1.5 in 0.25 steps, first label fixed at 0) maximising inner out-of-fold accuracy. */
function tunePrior(v: Variant, tr: Row[], label: string, seed: number): Float64Array {
  const folds = stratifiedFolds(
    tr.map((r) => r[label]!),
    3,
    seed + 101,
  );
  const labels = [...new Set(tr.map((r) => r[label]!))].sort();
  const L = labels.length;
  const logp: Float64Array[] = new Array(tr.length);
  for (let f = 0; f < 3; f++) {
    const inner = tr.filter((_, i) => folds[i] !== f);
    const ex = inner.map((r) => ({ text: v.text(r), label: r[label]! }));
    const models = v.members.map((m) => [train(ex, { ...m.opts, labels }, stem), m.weight] as const);
    tr.forEach((r, i) => {
      if (folds[i] !== f) return;
      const p = new Float64Array(L);
      for (const [m, w] of models) probabilities(m, v.text(r)).forEach((x, j) => (p[j] = p[j]! + w * x));
      logp[i] = p.map((x) => Math.log(x + 1e-12));
    });
  }
  const gold = tr.map((r) => labels.indexOf(r[label]!));
  const grid: number[] = [];
  for (let g = -1.5; g <= 1.5001; g += 0.25) grid.push(g);
  let best = new Float64Array(L);
  let bestAcc = -1;
  const off = new Float64Array(L);
  const search = (j: number): void => {
    if (j === L) {
      let ok = 0;
      for (let i = 0; i < tr.length; i++) {
        let arg = 0;
        for (let k = 1; k < L; k++) if (logp[i]![k]! + off[k]! > logp[i]![arg]! + off[arg]!) arg = k;
        if (arg === gold[i]) ok++;
      }
      // Ties prefer the smallest total shift (closest to no change).
      const acc = ok - 1e-6 * off.reduce((a, b) => a + Math.abs(b), 0);
      if (acc > bestAcc) {
        bestAcc = acc;
        best = off.slice();
      }
      return;
    }
    for (const g of grid) {
      off[j] = g;
      search(j + 1);
    }
  };
  search(1);
  return best;
}

const plain = (r: Row) => `${r.title}\n${r.text}`;
const CUE_WORDS =
  /\b(apakah|bagaimana|berapa|kapan|kenapa|mengapa|dimana|siapa|mohon|minta|informasi|info|tanya|bertanya|usul|usulan|saran|harap|sebaiknya)\b/g;
/** Report-type cues as synthetic tokens: a question mark, question words and request words (stopwords). */
const cued = (r: Row) => {
  const t = `${r.title}\n${r.text}`;
  const cues = [...t.toLowerCase().matchAll(CUE_WORDS)].map((m) => `isyarat${m[1]}`);
  if (t.includes('?')) cues.push('isyarattandatanya');
  return `${t}\n${cues.join(' ')}`;
};
/** Every stopword occurrence (the tokeniser drops them) as a synthetic token, plus the question mark. */
const stopCued = (r: Row) => {
  const t = `${r.title}\n${r.text}`;
  const cues = (t.toLowerCase().match(/[a-z]+/g) ?? [])
    .filter((w) => STOPWORDS.has(w))
    .map((w) => `isyarat${w}`);
  if (t.includes('?')) cues.push('isyarattandatanya');
  return `${t}\n${cues.join(' ')}`;
};
/**
 * The product's model input (`routingText`) with a region: the only region cue in the file is the
 * `kpd_yth` addressee (Pemprov DKI Jakarta), i.e. region code 31.
 */
const region = (r: Row) =>
  routingText({ title: r.title ?? '', body: r.text ?? '', regionCode: r.kpd_yth ? '31' : null });
const titled = (k: number) => (r: Row) => `${`${r.title}\n`.repeat(k)}${r.text}`;

/**
 * PERTURB=p: typos in the test rows only (each word of 4+ letters, with probability p, gets one of: two
 * neighbouring letters swapped, a letter dropped, a letter doubled), to measure robustness to misspelling.
 */
const PERTURB = Number(process.env.PERTURB ?? 0);
function typos(text: string, rand: () => number, p = PERTURB): string {
  return text.replace(/[A-Za-z]{4,}/g, (w) => {
    if (rand() >= p) return w;
    const i = 1 + Math.floor(rand() * (w.length - 2));
    const op = Math.floor(rand() * 3);
    if (op === 0) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    if (op === 1) return w.slice(0, i) + w.slice(i + 1);
    return w.slice(0, i) + w[i] + w.slice(i);
  });
}

/** A noisy copy of a row for training augmentation (`Variant.augment`): title and body both. */
function noisyCopy(r: Row, a: NonNullable<Variant['augment']>, rand: () => number): Row {
  const drop = (s: string) => {
    const words = s.split(/\s+/).filter(Boolean);
    const kept = words.filter(() => rand() >= a.dropout);
    return (kept.length ? kept : words).join(' ');
  };
  let body = r.text ?? '';
  if (a.shuffle) body = shuffleInPlace(body.split(/(?<=[.!?])\s+/), rand).join(' ');
  return { ...r, title: typos(drop(r.title ?? ''), rand, a.typo), text: typos(drop(body), rand, a.typo) };
}

type Trained = { model: Model; weight: number; text: (r: Row) => string; heldOut?: HeldOut };

/** Train every member of `v` on `tr` (plus `extra` examples in the variant's own input), on a fixed label set. */
function trainMembers(
  v: Variant,
  tr: Row[],
  label: string,
  labels?: string[],
  extra: { row: Row; label: string }[] = [],
): Trained[] {
  return v.members.map((m) => {
    const text = m.text ?? v.text;
    const ex = [
      ...tr.map((r) => ({ text: text(r), label: r[label]! })),
      ...extra.map((e) => ({ text: text(e.row), label: e.label })),
    ];
    const opts = labels ? { ...m.opts, labels } : m.opts;
    let heldOut: HeldOut | undefined;
    const model = train(
      ex,
      opts,
      m.opts.features?.stemming === false ? undefined : stem,
      undefined,
      (h) => (heldOut = h),
    );
    return { model, weight: m.weight, text, ...(heldOut ? { heldOut } : {}) };
  });
}

/** Members' log-probabilities concatenated (the stacking meta-learner's input). */
const stackFeatures = (models: Trained[], r: Row): Float64Array => {
  const parts = models.map((m) => probabilities(m.model, m.text(r)));
  const x = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) for (const q of p) x[o++] = Math.log(q + 1e-6);
  return x;
};

/**
 * The stacking meta-learner (`Variant.stack`): out-of-fold member log-probabilities from 3 inner stratified folds
 * of `tr`, standardised, then a multinomial logistic regression fitted by full-batch gradient descent with
 * Nesterov momentum. Returns p(label | member outputs) for a row given the members trained on all of `tr`.
 */
function fitStack(v: Variant, tr: Row[], label: string, labels: string[], seed: number) {
  const s = v.stack!;
  const folds = stratifiedFolds(
    tr.map((r) => r[label]!),
    3,
    seed + 101,
  );
  const X: Float64Array[] = new Array(tr.length);
  for (let f = 0; f < 3; f++) {
    const models = trainMembers(
      v,
      tr.filter((_, i) => folds[i] !== f),
      label,
      labels,
    );
    tr.forEach((r, i) => {
      if (folds[i] === f) X[i] = stackFeatures(models, r);
    });
  }
  const n = tr.length;
  const D = X[0]!.length;
  const L = labels.length;
  const mean = new Float64Array(D);
  const sd = new Float64Array(D);
  for (const x of X) for (let d = 0; d < D; d++) mean[d] = mean[d]! + x[d]! / n;
  for (const x of X) for (let d = 0; d < D; d++) sd[d] = sd[d]! + (x[d]! - mean[d]!) ** 2 / n;
  for (let d = 0; d < D; d++) sd[d] = Math.sqrt(sd[d]!) || 1;
  const Z = X.map((x) => x.map((t, d) => (t - mean[d]!) / sd[d]!));
  const gold = tr.map((r) => labels.indexOf(r[label]!));
  const count = new Float64Array(L);
  for (const g of gold) count[g] = count[g]! + 1;
  const rowWeight = gold.map((g) => (s.balanced ? n / (L * count[g]!) : 1));
  if (s.tied) return fitTiedStack(X, gold, rowWeight, L, s.l2);
  const P = L * (D + 1); // per label: D weights, then the bias
  let w = new Float64Array(P);
  let prev = new Float64Array(P);
  const grad = new Float64Array(P);
  const scores = (wt: Float64Array, z: Float64Array) => {
    const out = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      let a = wt[l * (D + 1) + D]!;
      for (let d = 0; d < D; d++) a += wt[l * (D + 1) + d]! * z[d]!;
      out[l] = a;
    }
    const m = Math.max(...out);
    let sum = 0;
    for (let l = 0; l < L; l++) sum += out[l] = Math.exp(out[l]! - m);
    for (let l = 0; l < L; l++) out[l] = out[l]! / sum;
    return out;
  };
  const lr = 0.1;
  for (let it = 1; it <= 800; it++) {
    const mom = (it - 1) / (it + 2);
    const y = w.map((x, j) => x + mom * (x - prev[j]!));
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const p = scores(y, Z[i]!);
      for (let l = 0; l < L; l++) {
        const e = (rowWeight[i]! * (p[l]! - (gold[i] === l ? 1 : 0))) / n;
        for (let d = 0; d < D; d++) grad[l * (D + 1) + d] = grad[l * (D + 1) + d]! + e * Z[i]![d]!;
        grad[l * (D + 1) + D] = grad[l * (D + 1) + D]! + e;
      }
    }
    for (let l = 0; l < L; l++)
      for (let d = 0; d < D; d++) grad[l * (D + 1) + d] = grad[l * (D + 1) + d]! + s.l2 * y[l * (D + 1) + d]!;
    prev = w;
    w = y.map((x, j) => x - lr * grad[j]!);
    // STACK_DEBUG=1: the gradient norm at the end (convergence check of the meta-learner).
    if (process.env.STACK_DEBUG && it === 800)
      console.error(`stack |grad| ${Math.hypot(...grad).toExponential(2)}`);
  }
  return (models: Trained[], r: Row) =>
    scores(
      w,
      stackFeatures(models, r).map((t, d) => (t - mean[d]!) / sd[d]!),
    );
}

/** The `tied` meta-learner of {@link fitStack}: score_l = b_l + Σ_m w_ml · log p_m(l), by the same descent. */
function fitTiedStack(X: Float64Array[], gold: number[], rowWeight: number[], L: number, l2: number) {
  const n = X.length;
  const D = X[0]!.length; // M · L, member-major
  const M = D / L;
  let w = new Float64Array(D + L).fill(1);
  w.fill(0, D);
  let prev = w.slice();
  const grad = new Float64Array(D + L);
  const scores = (wt: Float64Array, x: Float64Array) => {
    const out = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      let a = wt[D + l]!;
      for (let m = 0; m < M; m++) a += wt[m * L + l]! * x[m * L + l]!;
      out[l] = a;
    }
    const top = Math.max(...out);
    let sum = 0;
    for (let l = 0; l < L; l++) sum += out[l] = Math.exp(out[l]! - top);
    for (let l = 0; l < L; l++) out[l] = out[l]! / sum;
    return out;
  };
  const lr = 0.005; // log-probabilities reach −14: a smaller step than for standardised inputs
  const iterations = Number(process.env.STACK_IT ?? 3000);
  for (let it = 1; it <= iterations; it++) {
    const mom = (it - 1) / (it + 2);
    const y = w.map((x, j) => x + mom * (x - prev[j]!));
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const p = scores(y, X[i]!);
      for (let l = 0; l < L; l++) {
        const e = (rowWeight[i]! * (p[l]! - (gold[i] === l ? 1 : 0))) / n;
        for (let m = 0; m < M; m++) grad[m * L + l] = grad[m * L + l]! + e * X[i]![m * L + l]!;
        grad[D + l] = grad[D + l]! + e;
      }
    }
    for (let j = 0; j < D; j++) grad[j] = grad[j]! + l2 * (y[j]! - 1);
    prev = w;
    w = y.map((x, j) => x - lr * grad[j]!);
    if (process.env.STACK_DEBUG && it === iterations)
      console.error(`tied stack |grad| ${Math.hypot(...grad).toExponential(2)}`);
  }
  return (models: Trained[], r: Row) => scores(w, stackFeatures(models, r));
}

/**
 * UNITS=1 (session 8): the unit (disposisi) task on real labels. The file's BPJS Kesehatan reports name the branch
 * office (KC / KCU) that handled them in `addressed_agency`: units of one agency. Reports the agency kept itself
 * are left out, as the product's unit model leaves them out.
 */
const UNITS = process.env.UNITS === '1';
const pool = UNITS
  ? rows.filter(
      (r) => r.agency_group === 'BPJS Kesehatan' && /^BPJS Kesehatan KCU? /.test(r.addressed_agency ?? ''),
    )
  : rows;

/** The kab/kota of each BPJS Kesehatan branch office in the file (Kemendagri codes). */
const BRANCH_REGION: Record<string, string> = {
  Palangkaraya: '62.71',
  Sampit: '62.02',
  Sibolga: '12.73',
  Padang: '13.71',
  Kabanjahe: '12.06',
  'Padang Sidempuan': '12.77',
  'Biak Numfor': '91.06',
  Palu: '72.71',
  Medan: '12.71',
};

/**
 * UNITS=1 with a region: the report's region as a citizen would give it, the branch's kab/kota, except that with
 * probability `REGION_NOISE` (per report, fixed by its id) it is another branch's kab/kota (filed from elsewhere).
 */
function branchRegion(r: Row): string | null {
  const branch = /^BPJS Kesehatan KCU? (.+)$/.exec(r.addressed_agency ?? '')?.[1] ?? '';
  const own = BRANCH_REGION[branch];
  if (!own) return null;
  const noise = Number(process.env.REGION_NOISE ?? 0);
  const rand = seededRandom(Number(r.lapor_id));
  if (rand() >= noise) return own;
  const others = Object.values(BRANCH_REGION).filter((c) => c !== own);
  return others[Math.floor(rand() * others.length)]!;
}

function cv(label: string, minCount: number, v: Variant, seeds: number[]) {
  const all = pool.filter((r) => (r[label] ?? '').trim() !== '');
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r[label]!, (counts.get(r[label]!) ?? 0) + 1);
  const data = all.filter((r) => counts.get(r[label]!)! >= minCount);
  const acc: number[] = [],
    f1: number[] = [],
    top3: number[] = [];
  const t0 = performance.now();
  const confusion = new Map<string, number>();
  const calibration: [number, number][] = [];
  const pooled: number[] = [];
  const pairCounts: number[] = [];
  const dropped: number[] = [];
  // HOLDOUT=time: one split instead of CV, the newest 20 % of the rows (by LAPOR! tracking number) as test.
  const temporal = process.env.HOLDOUT === 'time';
  const byAge = [...data.keys()].sort((a, b) => Number(data[a]!.lapor_id) - Number(data[b]!.lapor_id));
  const newest = new Set(byAge.slice(Math.floor(data.length * 0.8)));
  for (let run = 0; run < (temporal ? 1 : seeds.length * 5); run++) {
    const f = run % 5;
    const folds = temporal
      ? data.map((_, i) => (newest.has(i) ? f : f + 1))
      : stratifiedFolds(
          data.map((r) => r[label]!),
          5,
          seeds[Math.floor(run / 5)]!,
        );
    // TRAIN_FRACTION=0.5: a learning curve; each label's training rows are cut to that share (seeded), the test fold stays whole.
    const tr = trainShare(
      data.filter((_, i) => folds[i] !== f),
      label,
      run,
    );
    const te = data.filter((_, i) => folds[i] === f);
    const rare = all.filter((r) => counts.get(r[label]!)! < minCount);
    const augRand = seededRandom(1000 + run);
    v.prepare?.(tr, label);
    const trained = trainMembers(
      v,
      v.augment
        ? tr.flatMap((r) => [
            r,
            ...Array.from({ length: v.augment!.copies }, () => noisyCopy(r, v.augment!, augRand)),
          ])
        : tr,
      label,
      undefined,
      [
        ...(v.background ? rare.map((r) => ({ row: r, label: BACKGROUND })) : []),
        ...labelNameRows(v, tr, label),
      ],
    );
    if (v.clean) {
      const drop = noisyRows(trained, v.clean.below);
      dropped.push(drop.size);
      trained.splice(
        0,
        trained.length,
        ...trainMembers(
          v,
          tr.filter((_, i) => !drop.has(i)),
          label,
        ),
      );
    }
    // SELF_POOL=half: the test fold's rows are split in two; each half is scored by members self-trained on the other
    // half only (no test row labels itself: the gain that carries over to reports arriving after training).
    let crossModels: Map<Row, [Model, number, (r: Row) => string][]> | null = null;
    if (v.selfTrain) {
      const st = v.selfTrain;
      const names = trained[0]!.model.labels;
      const total = trained.reduce((a, m) => a + m.weight, 0);
      const pseudoOf = (candidates: Row[]) =>
        candidates.flatMap((r) => {
          const p = new Float64Array(names.length);
          for (const m of trained)
            probabilities(m.model, m.text(r)).forEach((x, i) => (p[i] = p[i]! + (m.weight * x) / total));
          const top = p.indexOf(Math.max(...p));
          return p[top]! >= st.threshold
            ? Array.from({ length: st.copies }, () => ({ row: r, label: names[top]! }))
            : [];
        });
      const retrain = (pseudo: { row: Row; label: string }[]) =>
        trainMembers(v, tr, label, undefined, [...labelNameRows(v, tr, label), ...pseudo]);
      // The product's own function (src/domain/routing/semi-supervised.ts): it picks its pseudo-labels itself.
      const product = (pool: Row[]): Trained[] => {
        const fit = trainSemiSupervised(
          tr.map((r) => ({ text: v.text(r), label: r[label]! })),
          v.members.map((m) => ({ options: m.opts, weight: m.weight })),
          stem,
          {
            labelDocs: labelNameRows({ ...v, labelNames: 1 }, tr, label).map((e) => ({
              text: v.text(e.row),
              label: e.label,
            })),
            labelDocCopies: v.labelNames ?? 0,
            unlabelled: pool.map((r) => v.text(r)),
            threshold: st.threshold,
          },
        );
        dropped.push(fit.selfTrained);
        return fit.ensemble.members.map((m) => ({ model: m.model, weight: m.weight, text: v.text }));
      };
      if (st.pool === 'half') {
        const halves = [te.filter((_, i) => i % 2 === 0), te.filter((_, i) => i % 2 === 1)];
        crossModels = new Map();
        for (const [k, half] of halves.entries()) {
          const other = halves[1 - k]!;
          const pseudo = st.product ? [] : pseudoOf(other);
          if (!st.product) dropped.push(pseudo.length / st.copies);
          const set = (st.product ? product(other) : retrain(pseudo)).map(
            (m): [Model, number, (r: Row) => string] => [m.model, m.weight, m.text],
          );
          for (const r of half) crossModels.set(r, set);
        }
      } else {
        const pool = st.pool === 'all' ? [...te, ...rare] : te;
        if (st.product) trained.splice(0, trained.length, ...product(pool));
        else {
          const pseudo = pseudoOf(pool);
          dropped.push(pseudo.length / st.copies);
          trained.splice(0, trained.length, ...retrain(pseudo));
        }
      }
    }
    const models: [Model, number, (r: Row) => string][] = trained.map((m) => [m.model, m.weight, m.text]);
    const labels = models[0]![0].labels;
    // POOL_T=1: the product's ensemble temperature (ensembleTemperature / poolTemperature in ensemble.ts).
    const poolT =
      process.env.POOL_T === '1' && trained.every((m) => m.heldOut)
        ? ensembleTemperature(
            trained.map((m) => m.heldOut!),
            trained.map((m) => m.weight),
            labels.length,
          )
        : 1;
    if (poolT !== 1) pooled.push(poolT);
    const specialists = v.pairs
      ? confusedPairs(trained, labels.length, v.pairs.min).map(([a, b]) => ({
          a,
          b,
          members: trainMembers(
            v,
            tr.filter((r) => r[label] === labels[a] || r[label] === labels[b]),
            label,
            [labels[a]!, labels[b]!],
          ),
        }))
      : [];
    if (v.pairs) pairCounts.push(specialists.length);
    const stacked = v.stack ? fitStack(v, tr, label, labels, seeds[Math.floor(run / 5)]! + 1000 * f) : null;
    const bg = labels.indexOf(BACKGROUND);
    const lsa = v.lsa
      ? lsaVoter(
          rows.filter((r) => !te.includes(r)).map((r) => v.text(r)),
          tr.map((r) => v.text(r)),
          tr.map((r) => r[label]!),
          labels,
          v.lsa.dims,
        )
      : null;
    const knn = v.knn
      ? knnVoter(
          tr.map((r) => v.text(r)),
          tr.map((r) => r[label]!),
          labels,
        )
      : null;
    const place = v.place
      ? placeModel(
          v,
          all.filter((r) => !te.includes(r)),
          tr,
          label,
          labels,
        )
      : null;
    const ft = v.fastText
      ? fastTextVoter(
          tr.map((r) => v.text(r)),
          tr.map((r) => r[label]!),
          labels,
          v.fastText,
          run + 1,
        )
      : null;
    const offset = v.tunePrior ? tunePrior(v, tr, label, seeds[Math.floor(run / 5)]!) : null;
    const rand = seededRandom(run + 1);
    const tested = PERTURB
      ? te.map((r): Row => ({ ...r, title: typos(r.title ?? '', rand), text: typos(r.text ?? '', rand) }))
      : te;
    const ranked = tested.map((r) => {
      const p = stacked ? stacked(trained, r) : new Float64Array(labels.length);
      if (!stacked) {
        for (const [m, w, text] of crossModels?.get(te[tested.indexOf(r)]!) ?? models)
          probabilities(m, text(r)).forEach(
            (x, i) => (p[i] = p[i]! + w * (v.geometric ? Math.log(Math.max(x, 1e-12)) : x)),
          );
        if (v.geometric) {
          const top = Math.max(...p);
          for (let i = 0; i < p.length; i++) p[i] = Math.exp(p[i]! - top);
        }
        if (poolT !== 1) {
          const total = models.reduce((a, [, w]) => a + w, 0);
          for (let i = 0; i < p.length; i++) p[i] = p[i]! / total;
          poolTemperature(p, poolT);
        }
      }
      if (specialists.length && v.pairs) {
        const order = [...p.keys()].sort((x, y) => p[y]! - p[x]!);
        const [i, j] = [order[0]!, order[1]!];
        const sp = specialists.find((q) => (q.a === i && q.b === j) || (q.a === j && q.b === i));
        if (sp) {
          const q = new Float64Array(2);
          let w = 0;
          for (const m of sp.members) {
            const pr = probabilities(m.model, m.text(r));
            q[0] = q[0]! + m.weight * pr[0]!;
            q[1] = q[1]! + m.weight * pr[1]!;
            w += m.weight;
          }
          const mass = p[sp.a]! + p[sp.b]!;
          const own = p[sp.a]! / mass;
          const pa = (1 - v.pairs.mix) * own + (v.pairs.mix * q[0]!) / w;
          p[sp.a] = mass * pa;
          p[sp.b] = mass * (1 - pa);
        }
      }
      if (place && v.place) {
        const q = probabilities(place.model, v.text(r));
        for (let i = 0; i < p.length; i++) {
          const at = place.labelPlace[i]!;
          if (at >= 0) p[i] = p[i]! * Math.pow(q[at]! + 1e-6, v.place.weight);
        }
      }
      if (ft && v.fastText) {
        const q = ft(v.text(r));
        const sum = p.reduce((a, b) => a + b, 0) || 1;
        for (let i = 0; i < p.length; i++)
          p[i] = (1 - v.fastText.weight) * (p[i]! / sum) + v.fastText.weight * q[i]!;
      }
      if (lsa && v.lsa) {
        const q = lsa(v.text(r), v.lsa.temperature);
        const total = v.members.reduce((a, m) => a + m.weight, 0);
        for (let i = 0; i < p.length; i++) p[i] = (1 - v.lsa.weight) * (p[i]! / total) + v.lsa.weight * q[i]!;
      }
      if (knn && v.knn) {
        const q = knn(v.text(r), v.knn.k);
        const total = v.members.reduce((a, m) => a + m.weight, 0);
        for (let i = 0; i < p.length; i++) p[i] = (1 - v.knn.weight) * (p[i]! / total) + v.knn.weight * q[i]!;
      }
      if (!offset && bg < 0) {
        // Calibration (CALIB=1): the top label's share of the probability mass, and whether it was right.
        const sum = p.reduce((a, b) => a + b, 0);
        const top = p.indexOf(Math.max(...p));
        calibration.push([p[top]! / sum, labels[top] === r[label] ? 1 : 0]);
      }
      if (offset) for (let i = 0; i < p.length; i++) p[i] = Math.log(p[i]! + 1e-12) + offset[i]!;
      if (bg >= 0) p[bg] = -Infinity;
      return [...p.keys()]
        .sort((a, b) => p[b]! - p[a]!)
        .slice(0, 3)
        .map((i) => labels[i]!);
    });
    const m = evaluate(
      te.map((r) => r[label]!),
      ranked,
      labels.filter((l) => l !== BACKGROUND),
    );
    // MISS=1: print the misrouted rows' titles (local error analysis only; the titles are real reports, never publish).
    if (process.env.MISS)
      te.forEach((r, i) => {
        if (ranked[i]![0] !== r[label]) console.log(`  miss ${r[label]} -> ${ranked[i]![0]} | ${r.title}`);
      });
    if (process.env.CONF)
      te.forEach((r, i) => {
        const k = `${r[label]} -> ${ranked[i]![0]}`;
        confusion.set(k, (confusion.get(k) ?? 0) + 1);
      });
    acc.push(m.accuracy);
    f1.push(m.macroF1);
    top3.push(m.top3Accuracy);
  }
  const s = (x: number[]) => {
    const { mean, sd } = meanSd(x);
    return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  console.log(
    process.env.FOLDS ? `folds ${v.name}: ${JSON.stringify({ acc, f1, top3 })}\n` : '',
    process.env.CONF
      ? [...confusion]
          .sort()
          .map(([k, n]) => `  ${k}: ${n}`)
          .join('\n')
      : '',
    process.env.CALIB ? `${calibrationReport(calibration)}\n` : '',
    pairCounts.length ? `  pair specialists per fold: ${meanSd(pairCounts).mean.toFixed(1)}\n` : '',
    dropped.length
      ? `  training rows ${v.selfTrain ? 'added by self-training' : 'dropped as noisy'} per fold: ${meanSd(dropped).mean.toFixed(1)}\n`
      : '',
    pooled.length
      ? `  ensemble temperature per fold: ${meanSd(pooled).mean.toFixed(3)} ± ${meanSd(pooled).sd.toFixed(3)}\n`
      : '',
    `${label}\t${v.name}\tseeds ${seeds.join('+')}\tacc ${s(acc)}\tmF1 ${s(f1)}\ttop3 ${s(top3)}\t${((performance.now() - t0) / (1000 * acc.length)).toFixed(2)} s/fold`,
  );
}

const LR: TrainOptionsInput = {};
const CNB: TrainOptionsInput = { algorithm: 'cnb' };
const TC: TrainOptionsInput = { features: { charNgrams: [3, 5], charScope: 'title' } };
const MNB: TrainOptionsInput = { algorithm: 'mnb', features: { stemming: false, weighting: 'count' } };
const variants: Record<string, Variant> = {
  mnb: { name: 'MNB baseline', text: plain, members: [{ opts: MNB, weight: 1 }] },
  lr: { name: 'LR', text: plain, members: [{ opts: LR, weight: 1 }] },
  lrT2: { name: 'LR title×2', text: titled(2), members: [{ opts: LR, weight: 1 }] },
  lrT3: { name: 'LR title×3', text: titled(3), members: [{ opts: LR, weight: 1 }] },
  cnbT2: { name: 'CNB title×2', text: titled(2), members: [{ opts: CNB, weight: 1 }] },
  ens: {
    name: 'LR+CNB',
    text: plain,
    members: [
      { opts: LR, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  ensT2: {
    name: 'LR+CNB title×2',
    text: titled(2),
    members: [
      { opts: LR, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  lrE20: { name: 'LR ep20', text: plain, members: [{ opts: { epochs: 20 }, weight: 1 }] },
  lrL2: { name: 'LR l2 1e-5', text: plain, members: [{ opts: { l2: 1e-5 }, weight: 1 }] },
  lrL3: { name: 'LR l2 1e-3', text: plain, members: [{ opts: { l2: 1e-3 }, weight: 1 }] },
  lrNoBal: { name: 'LR unbalanced', text: plain, members: [{ opts: { classWeight: 'none' }, weight: 1 }] },
  lrNoStemT2: {
    name: 'LR nostem title×2',
    text: titled(2),
    members: [{ opts: { features: { stemming: false } }, weight: 1 }],
  },
  ensStemNo: {
    name: 'LR stem + LR nostem',
    text: titled(2),
    members: [
      { opts: LR, weight: 1 },
      { opts: { features: { stemming: false } }, weight: 1 },
    ],
  },
  lrTB: {
    name: 'LR title×2 tuned bias',
    text: titled(2),
    members: [{ opts: { tuneBias: true }, weight: 1 }],
  },
  lrTW: {
    name: 'LR titleWords',
    text: plain,
    members: [{ opts: { features: { titleWords: true } }, weight: 1 }],
  },
  lrTC: {
    name: 'LR title×2 + title char',
    text: titled(2),
    members: [{ opts: { features: { charNgrams: [3, 5], charScope: 'title' } }, weight: 1 }],
  },
  lrTC1: {
    name: 'LR + title char',
    text: plain,
    members: [{ opts: { features: { charNgrams: [3, 5], charScope: 'title' } }, weight: 1 }],
  },
  ensTB: {
    name: 'LR+CNB tuned bias',
    text: plain,
    members: [
      { opts: { tuneBias: true }, weight: 1 },
      { opts: { algorithm: 'cnb', tuneBias: true }, weight: 1 },
    ],
  },
  ensE20: {
    name: 'LR ep20 + CNB title×2',
    text: titled(2),
    members: [
      { opts: { epochs: 20 }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  ensTC: {
    name: 'LR title char + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [3, 5], charScope: 'title' } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  ensTW: {
    name: 'LR titleWords + CNB titleWords',
    text: plain,
    members: [
      { opts: { features: { titleWords: true } }, weight: 1 },
      { opts: { algorithm: 'cnb', features: { titleWords: true } }, weight: 1 },
    ],
  },
  e1: {
    name: 'LR tc+tw + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [3, 5], charScope: 'title', titleWords: true } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  e2: {
    name: 'LR tc cw0.5 + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [3, 5], charScope: 'title', charWeight: 0.5 } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  e3: {
    name: 'LR tc + CNB a0.1',
    text: plain,
    members: [{ opts: TC }, { opts: { algorithm: 'cnb', alpha: 0.1 } }].map((m) => ({
      opts: m.opts as TrainOptionsInput,
      weight: 1,
    })),
  },
  e4: {
    name: 'LR tc + CNB a1',
    text: plain,
    members: [{ opts: TC }, { opts: { algorithm: 'cnb', alpha: 1 } }].map((m) => ({
      opts: m.opts as TrainOptionsInput,
      weight: 1,
    })),
  },
  e5: {
    name: 'LR tc ×2 + CNB',
    text: plain,
    members: [
      { opts: TC, weight: 2 },
      { opts: CNB, weight: 1 },
    ],
  },
  e6: {
    name: 'LR tc + CNB ×2',
    text: plain,
    members: [
      { opts: TC, weight: 1 },
      { opts: CNB, weight: 2 },
    ],
  },
  e7: {
    name: 'LR tc ep20 + CNB',
    text: plain,
    members: [
      { opts: { ...TC, epochs: 20 }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  e8: {
    name: 'LR tc c2-5 + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [2, 5], charScope: 'title' } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  e9: {
    name: 'LR tc + CNB tc',
    text: plain,
    members: [
      { opts: TC, weight: 1 },
      { opts: { ...TC, algorithm: 'cnb' }, weight: 1 },
    ],
  },
  f1: {
    name: 'LR tc cw0.7 + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [3, 5], charScope: 'title', charWeight: 0.7 } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  f2: {
    name: 'LR tc cw1 + CNB',
    text: plain,
    members: [
      { opts: { features: { charNgrams: [3, 5], charScope: 'title', charWeight: 1 } }, weight: 1 },
      { opts: CNB, weight: 1 },
    ],
  },
  ...extraVariants(),
  ...pass4Variants(),
  ...pass6Variants(),
  ...pass7Variants(),
  ...pass8Variants(),
  ...pass11Variants(),
  ...pass17Variants(),
  ...pass18Variants(),
  ...pass19Variants(),
  ...pass22Variants(),
  product: {
    name: 'product (DEFAULT_ENSEMBLE)',
    text: plain,
    members: DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
  },
  productEpochs: {
    name: `product, SVM epochs ${process.env.SVM_EPOCHS ?? 10}`,
    text: plain,
    members: DEFAULT_ENSEMBLE.map((m) => ({
      opts: { ...m.options, svmEpochs: Number(process.env.SVM_EPOCHS ?? 10) },
      weight: m.weight,
    })),
  },
  previous: {
    name: 'previous product (LR tc + CNB)',
    text: plain,
    members: PREVIOUS_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
  },
};

/** Variants tried for issue 7's accuracy pass (2026-11-28), on top of the product ensemble `e2`. */
function extraVariants(): Record<string, Variant> {
  const TC5 = { charNgrams: [3, 5] as [number, number], charScope: 'title' as const, charWeight: 0.5 };
  const ens = (name: string, members: [TrainOptionsInput, number][], text = plain): Variant => ({
    name,
    text,
    members: members.map(([opts, weight]) => ({ opts, weight })),
  });
  return {
    g1: ens('LR tc + CNB + MNB', [
      [{ features: TC5 }, 1],
      [CNB, 1],
      [{ algorithm: 'mnb', features: { weighting: 'count' } }, 1],
    ]),
    g2: ens('LR tc bigrams + CNB', [
      [{ features: { ...TC5, wordBigrams: true } }, 1],
      [CNB, 1],
    ]),
    g3: ens('LR tc + CNB bigrams', [
      [{ features: TC5 }, 1],
      [{ algorithm: 'cnb', features: { wordBigrams: true } }, 1],
    ]),
    g4: ens('LR tc + CNB tc', [
      [{ features: TC5 }, 1],
      [{ algorithm: 'cnb', features: TC5 }, 1],
    ]),
    g5: ens('LR tc l2 3e-4 + CNB', [
      [{ features: TC5, l2: 3e-4 }, 1],
      [CNB, 1],
    ]),
    g6: ens('LR tc ep5 + CNB', [
      [{ features: TC5, epochs: 5 }, 1],
      [CNB, 1],
    ]),
    g7: ens('LR tc minDf1 + CNB minDf1', [
      [{ features: { ...TC5, minDf: 1 } }, 1],
      [{ algorithm: 'cnb', features: { minDf: 1 } }, 1],
    ]),
    g8: ens('LR tc + CNB + LR nostem', [
      [{ features: TC5 }, 1],
      [CNB, 1],
      [{ features: { stemming: false } }, 1],
    ]),
    g9: ens(
      'LR tc + CNB, kpd_yth',
      [
        [{ features: TC5 }, 1],
        [CNB, 1],
      ],
      (r) => `${plain(r)}${r.kpd_yth ? `\nkepada${r.kpd_yth.replace(/[^a-z]/gi, '')}` : ''}`,
    ),
    g10: ens('LR tc lr0.3 + CNB', [
      [{ features: TC5, learningRate: 0.3 }, 1],
      [CNB, 1],
    ]),
    g11: ens('LR tc lr1 + CNB', [
      [{ features: TC5, learningRate: 1 }, 1],
      [CNB, 1],
    ]),
    ...svmVariants(ens, TC5),
    ...typeVariants(ens, TC5),
  };
}
/** Variants of the second accuracy pass (2026-11-28): linear SVM, NBSVM, char n-grams of the whole text. */
function svmVariants(
  ens: (name: string, members: [TrainOptionsInput, number][], text?: (r: Row) => string) => Variant,
  TC5: { charNgrams: [number, number]; charScope: 'title'; charWeight: number },
): Record<string, Variant> {
  const C = Number(process.env.SVM_C ?? 1);
  const SVM: TrainOptionsInput = { algorithm: 'svm', svmC: C };
  const NBSVM: TrainOptionsInput = { algorithm: 'svm', svmC: C, nbAlpha: 1, nbBeta: 0.25 };
  const CH = { charNgrams: [2, 5] as [number, number], charScope: 'all' as const, charWeight: 0.5 };
  return {
    h1: ens('SVM', [[SVM, 1]]),
    h2: ens('SVM tc', [[{ ...SVM, features: TC5 }, 1]]),
    h3: ens('SVM char2-5 all', [[{ ...SVM, features: CH }, 1]]),
    h4: ens('NBSVM', [[NBSVM, 1]]),
    h5: ens('NBSVM tc', [[{ ...NBSVM, features: TC5 }, 1]]),
    h6: ens('SVM tc + CNB', [
      [{ ...SVM, features: TC5 }, 1],
      [CNB, 1],
    ]),
    h7: ens('LR tc + CNB + SVM tc', [
      [{ features: TC5 }, 1],
      [CNB, 1],
      [{ ...SVM, features: TC5 }, 1],
    ]),
    h8: ens('NBSVM tc + CNB', [
      [{ ...NBSVM, features: TC5 }, 1],
      [CNB, 1],
    ]),
    h9: ens('NBSVM b1', [[{ ...NBSVM, nbBeta: 1 }, 1]]),
    h10: ens('SVM bigrams', [[{ ...SVM, features: { wordBigrams: true } }, 1]]),
    k1: ens(
      'LR tc + CNB, region',
      [
        [{ features: TC5 }, 1],
        [CNB, 1],
      ],
      region,
    ),
    k2: ens(
      'SVM tc + CNB, region',
      [
        [{ ...SVM, features: TC5 }, 1],
        [CNB, 1],
      ],
      region,
    ),
    k3: ens('NBSVM, region', [[NBSVM, 1]], region),
    k4: ens('SVM tc, region', [[{ ...SVM, features: TC5 }, 1]], region),
    k5: ens(
      'NBSVM + CNB, region',
      [
        [NBSVM, 1],
        [CNB, 1],
      ],
      region,
    ),
    k6: ens(
      'NBSVM + SVM tc, region',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      region,
    ),
    k7: ens(
      'NBSVM + SVM tc + CNB, region',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
        [CNB, 1],
      ],
      region,
    ),
    m1: ens(
      'LR tc + CNB, cues',
      [
        [{ features: TC5 }, 1],
        [CNB, 1],
      ],
      cued,
    ),
    m2: ens(
      'NBSVM + SVM tc, cues',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      cued,
    ),
    m3: ens('NBSVM + SVM tc', [
      [NBSVM, 1],
      [{ ...SVM, features: TC5 }, 1],
    ]),
    m4: ens(
      'NBSVM + SVM tc + CNB, cues',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
        [CNB, 1],
      ],
      cued,
    ),
    m5: ens('SVM tc, cues', [[{ ...SVM, features: TC5 }, 1]], cued),
    m6: ens('LR tc, cues', [[{ features: TC5 }, 1]], cued),
    m7: ens(
      'NBSVM + SVM tc, stopword cues',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      stopCued,
    ),
    m8: ens('SVM tc, stopword cues', [[{ ...SVM, features: TC5 }, 1]], stopCued),
    n1: ens(
      'NBSVM bigrams + SVM tc, region',
      [
        [{ ...NBSVM, features: { wordBigrams: true } }, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      region,
    ),
    n2: ens(
      'NBSVM + SVM tc, region + cues',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      (r) => `${region(r)}\n${cued(r).split('\n').pop()}`,
    ),
    n3: ens(
      'NBSVM + SVM tc bigrams, region',
      [
        [NBSVM, 1],
        [{ ...SVM, features: { ...TC5, wordBigrams: true } }, 1],
      ],
      region,
    ),
    n4: ens(
      'NBSVM ×2 + SVM tc, region',
      [
        [NBSVM, 2],
        [{ ...SVM, features: TC5 }, 1],
      ],
      region,
    ),
    n5: ens(
      'NBSVM + SVM tc ×2, region',
      [
        [NBSVM, 1],
        [{ ...SVM, features: TC5 }, 2],
      ],
      region,
    ),
    n6: ens(
      'NBSVM tc0.3 + SVM tc, region',
      [
        [{ ...NBSVM, features: { ...TC5, charWeight: 0.3 } }, 1],
        [{ ...SVM, features: TC5 }, 1],
      ],
      region,
    ),
    r1: ens('NBSVM a0.5 + SVM tc', [
      [{ ...NBSVM, nbAlpha: 0.5 }, 1],
      [{ ...SVM, features: TC5 }, 1],
    ]),
    r2: ens('NBSVM b0.5 + SVM tc', [
      [{ ...NBSVM, nbBeta: 0.5 }, 1],
      [{ ...SVM, features: TC5 }, 1],
    ]),
    h11: ens('SVM char2-5 all + CNB', [
      [{ ...SVM, features: CH }, 1],
      [CNB, 1],
    ]),
  };
}

/** Report-type cue tokens (third accuracy pass): what separates a complaint, a suggestion and a question. */
const QUESTION_WORDS =
  /\b(apakah|apa|bagaimana|gimana|berapa|kapan|kenapa|mengapa|dimana|kemana|siapa|bisakah|bolehkah|adakah|mungkinkah)\b/g;
const REQUEST =
  /\b(mohon|minta|meminta|ingin|mau)\s+(info|informasi|penjelasan|konfirmasi|kejelasan|jawaban|tanya)/;
const SUGGEST =
  /\b(usul|usulan|mengusulkan|saran|menyarankan|sebaiknya|seharusnya|semestinya|harap|berharap|agar|supaya)\b/g;
function richCues(r: Row, o: { length?: boolean; words?: boolean; first?: boolean } = {}): string[] {
  const title = (r.title ?? '').toLowerCase();
  const body = (r.text ?? '').toLowerCase();
  const all = `${title}\n${body}`;
  const cues: string[] = [];
  const q = (all.match(/\?/g) ?? []).length;
  for (let i = 0; i < Math.min(q, 3); i++) cues.push('isyarattanya');
  if (/\?\s*$/.test(body) || /\?[^.?!]*$/.test(body.slice(-60))) cues.push('isyarattanyaakhir');
  if (title.includes('?')) cues.push('isyarattanyajudul');
  QUESTION_WORDS.lastIndex = 0;
  if (
    /^\W*(apakah|apa|bagaimana|gimana|berapa|kapan|kenapa|mengapa|dimana|siapa|bisakah|bolehkah|adakah|mohon info|info|informasi|tanya|pertanyaan|cara|syarat|prosedur)\b/.test(
      title,
    )
  )
    cues.push('isyaratjudultanya');
  if (REQUEST.test(all)) cues.push('isyaratmintainfo');
  if (o.words !== false) {
    for (const m of all.matchAll(QUESTION_WORDS)) cues.push(`isyarattanya${m[1]}`);
    for (const m of all.matchAll(SUGGEST)) cues.push(`isyaratusul${m[1]}`);
  }
  if (o.first !== false) {
    const first = body.split(/(?<=[.?!])\s|\n/)[0] ?? '';
    if (first.includes('?')) cues.push('isyaratawaltanya');
    if (/\b(apakah|bagaimana|berapa|kapan|bisakah|bolehkah|mohon info)/.test(first))
      cues.push('isyaratawaltanyakata');
  }
  if (o.length !== false) {
    const n = body.length;
    cues.push(`isyaratpanjang${n < 100 ? 'a' : n < 200 ? 'b' : n < 400 ? 'c' : n < 800 ? 'd' : 'e'}`);
  }
  return cues;
}
/** Stopwords replaced in place by cue tokens (so that bigrams see them), plus the other cues. */
function inlineCued(r: Row): string {
  const inline = (x: string) =>
    x.toLowerCase().replace(/[a-z]+/g, (w) => (STOPWORDS.has(w) ? `isyaratkata${w}` : w));
  const cues = reportTypeCues(r.title ?? '', r.text ?? '').filter((c) => !c.startsWith('isyaratkata'));
  return `${inline(r.title ?? '')}\n${inline(r.text ?? '')}\n${cues.join(' ')}`;
}
/** The shipped report-type input with the body's first sentence joined to the title line. */
function firstLine(r: Row): string {
  const body = r.text ?? '';
  const first = (body.split(/(?<=[.?!])\s|\n/)[0] ?? '').slice(0, 200);
  const text = routingText({ title: r.title ?? '', body, cues: true });
  const nl = text.indexOf('\n');
  return `${text.slice(0, nl)} ${first}${text.slice(nl)}`;
}
function richCued(o: Parameters<typeof richCues>[1] = {}): (r: Row) => string {
  return (r) => `${plain(r)}\n${richCues(r, o).join(' ')}`;
}

function typeVariants(
  ens: (name: string, members: [TrainOptionsInput, number][], text?: (r: Row) => string) => Variant,
  TC5: { charNgrams: [number, number]; charScope: 'title'; charWeight: number },
): Record<string, Variant> {
  const C = Number(process.env.SVM_C ?? 0.3);
  const CW = (process.env.CW ?? 'balanced') as 'balanced' | 'none';
  const NB: TrainOptionsInput = { algorithm: 'svm', svmC: C, nbAlpha: 1, nbBeta: 0.25, classWeight: CW };
  const SV: TrainOptionsInput = { algorithm: 'svm', svmC: C, features: TC5, classWeight: CW };
  const pair: [TrainOptionsInput, number][] = [
    [NB, 1],
    [SV, 1],
  ];
  return {
    t0: ens(`product-like C${C} ${CW}`, pair),
    t1: ens(`NBSVM + SVM tc, rich cues C${C} ${CW}`, pair, richCued()),
    t2: ens(`.. cues without length C${C} ${CW}`, pair, richCued({ length: false })),
    t3: ens(`.. cues without words C${C} ${CW}`, pair, richCued({ words: false })),
    t4: ens(`.. cues without first sentence C${C} ${CW}`, pair, richCued({ first: false })),
    t5: ens(`SVM tc alone, rich cues C${C} ${CW}`, [[SV, 1]], richCued()),
    t6: ens(`NBSVM alone, rich cues C${C} ${CW}`, [[NB, 1]], richCued()),
    t7: ens(
      `LR tc + CNB, rich cues`,
      [
        [{ features: TC5, classWeight: CW }, 1],
        [CNB, 1],
      ],
      richCued(),
    ),
    t9: { ...ens(`NBSVM + SVM tc, rich cues, tuned prior C${C} ${CW}`, pair, richCued()), tunePrior: true },
    t10: { ...ens(`product-like, tuned prior C${C} ${CW}`, pair), tunePrior: true },
    t11: ens(
      `NBSVM + SVM tc, rich + stopword cues C${C} ${CW}`,
      pair,
      (r) => `${stopCued(r)} ${richCues(r).join(' ')}`,
    ),
    t12: ens(
      `NBSVM + SVM char2-5 all, rich cues C${C} ${CW}`,
      [
        [NB, 1],
        [{ ...SV, features: { charNgrams: [2, 5], charScope: 'all', charWeight: 0.5 } }, 1],
      ],
      richCued(),
    ),
    t13: ens(
      `NBSVM + SVM tc, rich cues, bias→accuracy C${C} ${CW}`,
      pair.map(([o, w]) => [{ ...o, tuneBias: 'accuracy' }, w] as [TrainOptionsInput, number]),
      richCued(),
    ),
    t14: ens(
      `NBSVM + SVM tc, rich + stopword cues, bias→accuracy C${C} ${CW}`,
      pair.map(([o, w]) => [{ ...o, tuneBias: 'accuracy' }, w] as [TrainOptionsInput, number]),
      (r) => `${stopCued(r)} ${richCues(r).join(' ')}`,
    ),
    t15: {
      ...ens(
        `NBSVM + SVM tc, rich + stopword cues, tuned prior C${C} ${CW}`,
        pair,
        (r) => `${stopCued(r)} ${richCues(r).join(' ')}`,
      ),
      tunePrior: true,
    },
    t16: ens(
      `product-like, bias→accuracy C${C} ${CW}`,
      pair.map(([o, w]) => [{ ...o, tuneBias: 'accuracy' }, w] as [TrainOptionsInput, number]),
    ),
    // The shipped report-type input: routingText with the cue tokens of src/domain/routing/cues.ts.
    typeProduct: ens(`product + report-type cues (routingText cues) C${C} ${CW}`, pair, (r) =>
      routingText({ title: r.title ?? '', body: r.text ?? '', cues: true }),
    ),
    t24: ens(
      `NBSVM + SVM tc ×2, routingText cues C${C} ${CW}`,
      [
        [NB, 1],
        [SV, 2],
      ],
      (r) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true }),
    ),
    t25: ens(
      `NBSVM ×2 + SVM tc, routingText cues C${C} ${CW}`,
      [
        [NB, 2],
        [SV, 1],
      ],
      (r) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true }),
    ),
    t26: ens(
      `NBSVM b0.5 + SVM tc cw0.3, routingText cues C${C} ${CW}`,
      [
        [{ ...NB, nbBeta: 0.5 }, 1],
        [{ ...SV, features: { ...TC5, charWeight: 0.3 } }, 1],
      ],
      (r) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true }),
    ),
    t27: ens(`title + first sentence as first line, cues C${C} ${CW}`, pair, firstLine),
    t28: ens(
      `title words (t:) on SVM tc, cues C${C} ${CW}`,
      [
        [NB, 1],
        [{ ...SV, features: { ...TC5, titleWords: true } }, 1],
      ],
      (r) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true }),
    ),
    t29: ens(
      `title + first sentence as first line, t: words on SVM tc, cues C${C} ${CW}`,
      [
        [NB, 1],
        [{ ...SV, features: { ...TC5, titleWords: true } }, 1],
      ],
      firstLine,
    ),
    typeRegion: ens(`product + report-type cues + region C${C} ${CW}`, pair, (r) =>
      routingText({
        title: r.title ?? '',
        body: r.text ?? '',
        cues: true,
        regionCode: r.kpd_yth ? '31' : null,
      }),
    ),
    t20: ens(
      `NBSVM + SVM tc bigrams, inline stopword cues C${C} ${CW}`,
      [
        [NB, 1],
        [{ ...SV, features: { ...TC5, wordBigrams: true } }, 1],
      ],
      inlineCued,
    ),
    t21: ens(
      `NBSVM + SVM tc + SVM bigrams, inline stopword cues C${C} ${CW}`,
      [...pair, [{ ...SV, features: { wordBigrams: true } }, 1]],
      inlineCued,
    ),
    t22: ens(`NBSVM + SVM tc, inline stopword cues C${C} ${CW}`, pair, inlineCued),
    t23: ens(
      `NBSVM bigrams + SVM tc, inline stopword cues C${C} ${CW}`,
      [
        [{ ...NB, features: { wordBigrams: true } }, 1],
        [SV, 1],
      ],
      inlineCued,
    ),
    t8: ens(
      `NBSVM + SVM tc + LR tc, rich cues C${C} ${CW}`,
      [...pair, [{ features: TC5, classWeight: CW }, 1]],
      richCued(),
    ),
  };
}

/**
 * L2-normalised stem TF-IDF (sublinear tf, smoothed idf) over a corpus, keeping terms with document frequency ≥
 * `minDf`: the corpus vectors, and `vec` for any text with the corpus statistics.
 */
function stemTfIdf(corpus: string[], minDf: number) {
  const bag = (t: string) => {
    const m = new Map<string, number>();
    for (const w of tokensOf(t).words) {
      const s = stem(w);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  };
  const bags = corpus.map(bag);
  const df = new Map<string, number>();
  for (const b of bags) for (const w of b.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = corpus.length;
  const weigh = (b: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [w, tf] of b) {
      const d = df.get(w);
      if (!d || d < minDf) continue;
      const x = (1 + Math.log(tf)) * (Math.log((1 + n) / (1 + d)) + 1);
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  return { vectors: bags.map(weigh), vec: (text: string) => weigh(bag(text)) };
}

/**
 * Latent semantic analysis from the unlabelled corpus (every row outside the test fold): the top `dims` eigenvectors
 * of the document Gram matrix of stem TF-IDF (subspace iteration), documents folded in as x·Xᵀ·U·Σ⁻¹, then cosine to
 * each label's centroid of the training documents, softmax with a temperature.
 */
function lsaVoter(corpus: string[], texts: string[], gold: string[], labels: string[], dims: number) {
  const { vectors: X, vec } = stemTfIdf(corpus, 2);
  const n = corpus.length;
  const dot = (a: Map<string, number>, b: Map<string, number>) => {
    let s = 0;
    const [small, big] = a.size < b.size ? [a, b] : [b, a];
    for (const [w, x] of small) s += x * (big.get(w) ?? 0);
    return s;
  };
  // Gram matrix G = X·Xᵀ (n × n).
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const g = dot(X[i]!, X[j]!);
      G[i * n + j] = g;
      G[j * n + i] = g;
    }
  // Subspace iteration for the top `dims` eigenvectors.
  const k = dims;
  let Q = new Float64Array(n * k);
  let seed = 7;
  for (let i = 0; i < Q.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    Q[i] = seed / 0x7fffffff - 0.5;
  }
  const orthonormalise = (M: Float64Array) => {
    for (let c = 0; c < k; c++) {
      for (let p = 0; p < c; p++) {
        let d = 0;
        for (let r = 0; r < n; r++) d += M[r * k + c]! * M[r * k + p]!;
        for (let r = 0; r < n; r++) M[r * k + c] = M[r * k + c]! - d * M[r * k + p]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += M[r * k + c]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let r = 0; r < n; r++) M[r * k + c] = M[r * k + c]! / norm;
    }
  };
  orthonormalise(Q);
  const eig = new Float64Array(k);
  for (let it = 0; it < 12; it++) {
    const Z = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const g = G[i * n + j]!;
        if (g === 0) continue;
        for (let c = 0; c < k; c++) Z[i * k + c] = Z[i * k + c]! + g * Q[j * k + c]!;
      }
    for (let c = 0; c < k; c++) {
      let s2 = 0;
      for (let r = 0; r < n; r++) s2 += Z[r * k + c]! * Q[r * k + c]!;
      eig[c] = s2;
    }
    orthonormalise(Z);
    Q = Z;
  }
  // Fold a text in: e_c = Σ_i (x·X_i) U_ic / σ_c, σ_c = sqrt(eigenvalue c).
  const embed = (text: string) => {
    const x = vec(text);
    const e = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const d = dot(x, X[i]!);
      if (d === 0) continue;
      for (let c = 0; c < k; c++) e[c] = e[c]! + d * Q[i * k + c]!;
    }
    let norm = 0;
    for (let c = 0; c < k; c++) {
      e[c] = e[c]! / Math.sqrt(Math.max(eig[c]!, 1e-9));
      norm += e[c]! ** 2;
    }
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < k; c++) e[c] = e[c]! / norm;
    return e;
  };
  const centroids = labels.map(() => new Float64Array(k));
  const index = new Map(labels.map((l, i) => [l, i]));
  texts.forEach((t, i) => {
    const e = embed(t);
    const c = centroids[index.get(gold[i]!)!]!;
    for (let d = 0; d < k; d++) c[d] = c[d]! + e[d]!;
  });
  for (const c of centroids) {
    const norm = Math.sqrt(c.reduce((a, b) => a + b * b, 0)) || 1;
    for (let d = 0; d < k; d++) c[d] = c[d]! / norm;
  }
  return (text: string, temperature: number): Float64Array => {
    const e = embed(text);
    const z = centroids.map((c) => c.reduce((a, x, d) => a + x * e[d]!, 0) / temperature);
    const m = Math.max(...z);
    const ex = z.map((x) => Math.exp(x - m));
    const sum = ex.reduce((a, b) => a + b, 0);
    return Float64Array.from(ex, (x) => x / sum);
  };
}

/** A k-NN voter over L2-normalised stem TF-IDF (sublinear tf, smoothed idf) of the training texts. */
function knnVoter(texts: string[], gold: string[], labels: string[]) {
  const { vectors: docs, vec } = stemTfIdf(texts, 1);
  const index = new Map(labels.map((l, i) => [l, i]));
  return (text: string, k: number): Float64Array => {
    const q = vec(text);
    const sims = docs.map((d, i) => {
      let s = 0;
      for (const [w, x] of q) s += x * (d.get(w) ?? 0);
      return [s, i] as const;
    });
    sims.sort((a, b) => b[0] - a[0]);
    const out = new Float64Array(labels.length);
    let total = 0;
    for (const [s, i] of sims.slice(0, k)) {
      out[index.get(gold[i]!)!]! += s;
      total += s;
    }
    if (total > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / total;
    return out;
  };
}

/**
 * Expected calibration error of the top-1 confidence (10 equal-width bins, weighted by their share of predictions)
 * and the reliability table: per bin, how many predictions, their mean confidence and how often they were right.
 */
function calibrationReport(pairs: [number, number][]): string {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const [c, ok] of pairs) {
    const b = bins[Math.min(9, Math.floor(c * 10))]!;
    b.n++;
    b.conf += c;
    b.right += ok;
  }
  const ece = bins.reduce(
    (a, b) => a + (b.n ? (b.n / pairs.length) * Math.abs(b.right / b.n - b.conf / b.n) : 0),
    0,
  );
  const rows = bins
    .map((b, i) =>
      b.n
        ? `  ${i / 10}–${(i + 1) / 10}: ${b.n} predictions, confidence ${(b.conf / b.n).toFixed(3)}, right ${(b.right / b.n).toFixed(3)}`
        : '',
    )
    .filter(Boolean);
  return `calibration over ${pairs.length} predictions: ECE ${ece.toFixed(3)}\n${rows.join('\n')}`;
}

/** Place names → region code prefixes (bench prototype of a gazetteer over src/assets/regions.csv). */
function buildGazetteer(mode: string) {
  const regs = parse(readFileSync('src/assets/regions.csv', 'utf8'), { columns: true }) as Row[];
  const names = new Map<string, Set<string>>(); // phrase -> codes
  const add = (name: string, code: string) => {
    const k = name
      .toLowerCase()
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (k.length < 4) return;
    if (!names.has(k)) names.set(k, new Set());
    names.get(k)!.add(code);
  };
  const kecNames = new Map<string, Set<string>>();
  for (const r of regs) {
    const lvl = r.level!;
    const code = r.kode!;
    const nama = r.nama!;
    if (lvl === '1') {
      add(nama, code);
      if (code === '31') add('jakarta', code);
    } else if (lvl === '2') {
      const bare = nama.replace(/^(kabupaten administrasi|kota administrasi|kabupaten|kota)\s+/i, '');
      add(nama, code);
      add(bare, code);
    } else if (lvl === '3' && mode.includes('kec')) {
      const k = nama.toLowerCase();
      if (!kecNames.has(k)) kecNames.set(k, new Set());
      kecNames.get(k)!.add(code.slice(0, 5));
    }
  }
  // 'bare': kecamatan (and with 'desa', desa/kelurahan) names without a prefix, kept when the name lies in one
  // kab/kota (or one province) and is not a common word of the corpus (document frequency ≥ 0.3 %, unlabelled use).
  let bare: Map<string, Set<string>> | null = null;
  if (mode.includes('bare')) {
    const docs = parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];
    const df = new Map<string, number>();
    for (const d of docs)
      for (const w of new Set(
        `${d.title} ${d.text}`
          .toLowerCase()
          .replace(/[^a-z0-9 ]+/g, ' ')
          .split(/\s+/),
      ))
        df.set(w, (df.get(w) ?? 0) + 1);
    const maxDf = docs.length * 0.003;
    bare = new Map();
    for (const r of regs) {
      if (!(r.level === '3' || (r.level === '4' && mode.includes('desa')))) continue;
      const k = r
        .nama!.toLowerCase()
        .replace(/[^a-z0-9 ]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (k.length < 5 || k.split(' ').length > 2) continue;
      if (k.split(' ').some((w) => (df.get(w) ?? 0) > maxDf)) continue;
      if (!bare.has(k)) bare.set(k, new Set());
      bare.get(k)!.add(r.kode!.slice(0, 5));
    }
  }
  const phrases = [...names.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(`\\b(${phrases.map((p) => p.replace(/ /g, '\\s+')).join('|')})\\b`, 'g');
  const kecRe = /\b(?:kecamatan|kec)\.?\s+([a-z]+(?:\s+[a-z]+)?)/g;
  return (text: string): string[] => {
    const t = text.toLowerCase();
    const codes = new Set<string>();
    const common = (set: Set<string>) => {
      const arr = [...set];
      if (arr.length === 1) return arr[0]!;
      const prov = new Set(arr.map((c) => c.slice(0, 2)));
      return prov.size === 1 ? arr[0]!.slice(0, 2) : null;
    };
    for (const m of t.matchAll(re)) {
      const c = common(names.get(m[1]!.replace(/\s+/g, ' '))!);
      if (c) codes.add(c);
    }
    if (mode.includes('kec'))
      for (const m of t.matchAll(kecRe)) {
        const two = m[1]!;
        const one = two.split(' ')[0]!;
        const set = kecNames.get(two) ?? kecNames.get(one);
        if (set) {
          const c = common(set);
          if (c) codes.add(c);
        }
      }
    if (bare) {
      const words = t
        .replace(/[^a-z0-9 ]+/g, ' ')
        .split(/\s+/)
        .filter(Boolean);
      for (let i = 0; i < words.length; i++)
        for (const k of [`${words[i]} ${words[i + 1] ?? ''}`.trim(), words[i]!]) {
          const set = bare.get(k);
          if (!set) continue;
          const c = common(set);
          if (c) codes.add(c);
          break;
        }
    }
    const tokens = new Set<string>();
    for (const c of codes) {
      const parts = c.split('.');
      for (let i = 1; i <= parts.length; i++) tokens.add(`wilayah${parts.slice(0, i).join('x')}`);
    }
    return [...tokens];
  };
}

/** Variants of the fourth accuracy pass (2026-11-28, session 4). */
function pass4Variants(): Record<string, Variant> {
  const C = Number(process.env.SVM_C ?? 0.3);
  const TC5 = { charNgrams: [3, 5] as [number, number], charScope: 'title' as const, charWeight: 0.5 };
  const NB: TrainOptionsInput = { algorithm: 'svm', svmC: C, nbAlpha: 1, nbBeta: 0.25 };
  const SV: TrainOptionsInput = { algorithm: 'svm', svmC: C, features: TC5 };
  const ens = (
    name: string,
    members: [TrainOptionsInput, number][],
    text = plain,
    extra: Partial<Variant> = {},
  ) => ({
    name,
    text,
    members: members.map(([opts, weight]) => ({ opts, weight })),
    ...extra,
  });
  const pair: [TrainOptionsInput, number][] = [
    [NB, 1],
    [SV, 1],
  ];
  const cue = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const gaz = (mode: string, withKpd: boolean) => {
    let g: ((t: string) => string[]) | null = null;
    return (r: Row) => {
      g ??= buildGazetteer(mode);
      const base = withKpd ? region(r) : plain(r);
      return `${base}\n${g(`${r.title}\n${r.text}`).join(' ')}`;
    };
  };
  return {
    g1: ens(`pair + gazetteer kab/kota C${C}`, pair, gaz('kab', false)),
    g2: ens(`pair + gazetteer kab/kota + kec C${C}`, pair, gaz('kab kec', false)),
    g3: ens(`pair + kpd region + gazetteer kab/kota C${C}`, pair, gaz('kab', true)),
    g4: ens(`pair + kpd region + gazetteer kab/kota + kec C${C}`, pair, gaz('kab kec', true)),
    pnc: ens(`pair without title char n-grams C${C}`, [
      [NB, 1],
      [{ ...SV, features: {} }, 1],
    ]),
    d1: ens(`pair, minDf 1 C${C}`, [
      [{ ...NB, features: { minDf: 1 } }, 1],
      [{ ...SV, features: { ...TC5, minDf: 1 } }, 1],
    ]),
    d3: ens(`pair, minDf 3 C${C}`, [
      [{ ...NB, features: { minDf: 3 } }, 1],
      [{ ...SV, features: { ...TC5, minDf: 3 } }, 1],
    ]),
    dt1: ens(
      `type pair, minDf 1 C${C}`,
      [
        [{ ...NB, features: { minDf: 1 } }, 1],
        [{ ...SV, features: { ...TC5, minDf: 1 } }, 1],
      ],
      cue,
    ),
    g5: ens(`pair + gazetteer kab/kota + bare kec C${C}`, pair, gaz('kab kec bare', false)),
    g6: ens(`pair + gazetteer kab/kota + bare kec + desa C${C}`, pair, gaz('kab kec bare desa', false)),
    k0: ens(`pair + kpd region C${C}`, pair, region),
    // k1/k2 read `kpd_yth`, which is written at disposition (every row is a DKI agency): a label leak, see
    // docs/routing.md "Fourth pass". Kept to document the measurement, never a headline figure.
    k1: ens(`pair + kpd region ×3 C${C}`, pair, (r) =>
      r.kpd_yth ? `${plain(r)}\n${'wilayah31 '.repeat(3)}` : plain(r),
    ),
    k2: ens(`pair + kpd region ×${process.env.REPEAT ?? 8} C${C}`, pair, (r) =>
      r.kpd_yth ? `${plain(r)}\n${'wilayah31 '.repeat(Number(process.env.REPEAT ?? 8))}` : plain(r),
    ),
    p0: ens(`product pair C${C}`, pair),
    l1: ens(
      `pair + LSA centroid d${process.env.LSA_D ?? 100} w${process.env.LSA_W ?? 0.3} T${process.env.LSA_T ?? 0.1} C${C}`,
      pair,
      plain,
      {
        lsa: {
          dims: Number(process.env.LSA_D ?? 100),
          weight: Number(process.env.LSA_W ?? 0.3),
          temperature: Number(process.env.LSA_T ?? 0.1),
        },
      },
    ),
    n1: ens(`pair + kNN k${process.env.KNN_K ?? 5} w${process.env.KNN_W ?? 0.2} C${C}`, pair, plain, {
      knn: { k: Number(process.env.KNN_K ?? 5), weight: Number(process.env.KNN_W ?? 0.2) },
    }),
    nt1: ens(`type pair + kNN k${process.env.KNN_K ?? 5} w${process.env.KNN_W ?? 0.2} C${C}`, pair, cue, {
      knn: { k: Number(process.env.KNN_K ?? 5), weight: Number(process.env.KNN_W ?? 0.2) },
    }),
    p1: ens(`product pair + background rows C${C}`, pair, plain, { background: true }),
    p2: ens(`product pair + SVM char 2-5 all C${C}`, [
      ...pair,
      [{ algorithm: 'svm', svmC: C, features: { charNgrams: [2, 5], charScope: 'all' } }, 1],
    ]),
    p3: ens(`NBSVM C${C} + SVM tc C1`, [
      [NB, 1],
      [{ ...SV, svmC: 1 }, 1],
    ]),
    p4: ens(`NBSVM C1 + SVM tc C${C}`, [
      [{ ...NB, svmC: 1 }, 1],
      [SV, 1],
    ]),
    p5: ens(`product pair, region + background C${C}`, pair, region, { background: true }),
    pt0: ens(`type product C${C}`, pair, cue),
  };
}

/**
 * Variants of session 6 (2026-11-28): stacking instead of the mean, noisy-copy training augmentation, and a third
 * member on the title only. `*A` on the agency input (plain title + body, run with the default label), `*T` on the
 * report-type input (routingText with cues, run with LABEL=report_type); members as DEFAULT_ENSEMBLE.
 */
function pass6Variants(): Record<string, Variant> {
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const titleOnly = (r: Row) => r.title ?? '';
  const NBT: TrainOptionsInput = { algorithm: 'svm', svmC: 0.3, nbAlpha: 1, nbBeta: 0.25 };
  const SVT: TrainOptionsInput = { algorithm: 'svm', svmC: 0.3 };
  const L2 = Number(process.env.STACK_L2 ?? 0.01);
  const both = (key: string, name: string, extra: Partial<Variant>): Record<string, Variant> => ({
    [`${key}A`]: { name: `product, ${name}`, text: plain, members, ...extra },
    [`${key}T`]: { name: `typeProduct, ${name}`, text: typeText, members, ...extra },
  });
  const aug = (copies: number) => ({
    augment: {
      copies,
      dropout: Number(process.env.AUG_DROP ?? 0.15),
      typo: Number(process.env.AUG_TYPO ?? 0.1),
      shuffle: true,
    },
  });
  return {
    ...both('stk', `stacked (LR meta-learner, balanced, L2 ${L2})`, { stack: { l2: L2, balanced: true } }),
    ...both('stku', `stacked (LR meta-learner, unweighted, L2 ${L2})`, {
      stack: { l2: L2, balanced: false },
    }),
    ...both('stkt', `stacked (tied LR meta-learner, balanced, L2 ${L2})`, {
      stack: { l2: L2, balanced: true, tied: true },
    }),
    ...both('stktu', `stacked (tied LR meta-learner, unweighted, L2 ${L2})`, {
      stack: { l2: L2, balanced: false, tied: true },
    }),
    ...both('aug1', `+1 noisy copy per training row`, aug(1)),
    ...both('aug2', `+2 noisy copies per training row`, aug(2)),
    ...both('ttl', 'third member NBSVM on the title only', {
      members: [...members, { opts: NBT, weight: 1, text: titleOnly }],
    }),
    ...both('ttls', 'third member SVM on the title only', {
      members: [...members, { opts: SVT, weight: 1, text: titleOnly }],
    }),
  };
}

/**
 * Variants of session 7 (2026-11-28): pair specialists for the label pairs the members confuse on their own held-out
 * rows (`Variant.pairs`); `*A` on the agency input, `*T` on the report-type input, members as the product's.
 */
function pass7Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const pairs = { min: Number(process.env.PAIR_MIN ?? 3), mix: Number(process.env.PAIR_MIX ?? 0.5) };
  const name = `pair specialists (≥ ${pairs.min} inner confusions, mix ${pairs.mix})`;
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const typeMembers = REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const nostem = (o: TrainOptionsInput): TrainOptionsInput => ({
    ...o,
    features: { ...o.features, stemming: false },
  });
  return {
    u1A: {
      name: 'product + NBSVM without stemming',
      text: plain,
      members: [...members, { opts: nostem(members[0]!.opts), weight: 1 }],
    },
    u2A: {
      name: 'product + SVM tc without stemming',
      text: plain,
      members: [...members, { opts: nostem(members[1]!.opts), weight: 1 }],
    },
    u3A: {
      name: 'NBSVM without stemming + SVM tc',
      text: plain,
      members: [{ opts: nostem(members[0]!.opts), weight: 1 }, members[1]!],
    },
    u4A: {
      name: 'NBSVM + SVM tc without stemming',
      text: plain,
      members: [members[0]!, { opts: nostem(members[1]!.opts), weight: 1 }],
    },
    u1T: {
      name: 'typeProduct + NBSVM without stemming',
      text: typeText,
      members: [...typeMembers, { opts: nostem(typeMembers[0]!.opts), weight: 1 }],
    },
    u3T: {
      name: 'typeProduct, every member without stemming',
      text: typeText,
      members: typeMembers.map((m) => ({ ...m, opts: nostem(m.opts) })),
    },
    psA: {
      name: `product, ${name}`,
      text: plain,
      members: DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
      pairs,
    },
    psT: {
      name: `typeProduct, ${name}`,
      text: typeText,
      members: typeMembers,
      pairs,
    },
  };
}

/** Session 8: binary term frequency, a geometric pool, macro-F1 offsets and label-noise filtering. */
function pass8Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  // Binary tf (NBSVM as Wang & Manning ran it): each word once per line, so each stem about once per document.
  const once = (text: string) =>
    text
      .split('\n')
      .map((line) => [...new Set(line.split(/\s+/))].join(' '))
      .join('\n');
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const typeMembers = REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const clean = { below: Number(process.env.CLEAN ?? 0.1) };
  return {
    b1A: { name: 'product, binary tf', text: (r) => once(plain(r)), members },
    b2A: {
      name: 'product, binary tf in NBSVM only',
      text: plain,
      members: [{ ...members[0]!, text: (r) => once(plain(r)) }, members[1]!],
    },
    b1T: { name: 'typeProduct, binary tf', text: (r) => once(typeText(r)), members: typeMembers },
    gA: { name: 'product, geometric pool', text: plain, members, geometric: true },
    gT: { name: 'typeProduct, geometric pool', text: typeText, members: typeMembers, geometric: true },
    tbA: {
      name: 'product, per-member label offsets tuned for macro-F1',
      text: plain,
      members: members.map((m) => ({ ...m, opts: { ...m.opts, tuneBias: 'macroF1' } })),
    },
    unitRegion: {
      name: `product (unit model input), with the branch's region (noise ${process.env.REGION_NOISE ?? 0})`,
      text: (r) => routingText({ title: r.title ?? '', body: r.text ?? '', regionCode: branchRegion(r) }),
      members,
    },
    agT: {
      name: 'typeProduct + the gold agency as a token (an upper bound, not usable at verification)',
      text: (r) =>
        `${typeText(r)} instansi${(r.agency_group ?? '').replace(/[^a-z]/gi, '').toLowerCase() || 'kosong'}`,
      members: typeMembers,
    },
    clA: {
      name: `product, rows below ${clean.below} held-out gold probability dropped`,
      text: plain,
      members,
      clean,
    },
    clT: {
      name: `typeProduct, rows below ${clean.below} held-out gold probability dropped`,
      text: typeText,
      members: typeMembers,
      clean,
    },
  };
}

/**
 * Session 11 (ninth pass): chi-square feature selection and title char n-gram ranges 2–4 / 4–6 / 3–6. `*A` on the
 * agency input, `*T` on the report-type input (members as REPORT_TYPE_ENSEMBLE). The loss (hinge, least squares,
 * logistic) and term-weighting (no idf, raw tf) variants of the same pass needed learner options that were removed
 * again when none helped (docs/routing.md, ninth pass).
 */
function pass11Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const typeMembers = REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  type Member = Variant['members'][number];
  const isNb = (m: Member) => (m.opts.nbAlpha ?? 0) > 0;
  const both = (
    key: string,
    name: string,
    change: (m: Member) => Member,
    extra: Partial<Variant> = {},
  ): Record<string, Variant> => ({
    [`${key}A`]: { name: `product, ${name}`, text: plain, members: members.map(change), ...extra },
    [`${key}T`]: { name: `typeProduct, ${name}`, text: typeText, members: typeMembers.map(change), ...extra },
  });
  const onChar = (f: (o: TrainOptionsInput) => TrainOptionsInput) => (m: Member) =>
    m.opts.features?.charNgrams ? { ...m, opts: f(m.opts) } : m;
  const range = (lo: number, hi: number) =>
    onChar((o) => ({ ...o, features: { ...o.features, charNgrams: [lo, hi] } }));
  // Chi-square selection (per fold, on the training part): the CHI_K stems with the largest max-over-labels χ² of
  // document presence; the NBSVM members then read only the words whose stem was kept (title line kept as a line).
  const K = Number(process.env.CHI_K ?? 1000);
  let kept = new Set<string>();
  const stems = (text: string) => new Set(tokensOf(text).words.map((w) => stem(w)));
  const prepare = (baseText: (r: Row) => string) => (tr: Row[], label: string) => {
    const labels = [...new Set(tr.map((r) => r[label]!))];
    const li = new Map(labels.map((l, i) => [l, i]));
    const perLabel = labels.map((l) => tr.filter((r) => r[label] === l).length);
    const df = new Map<string, Float64Array>();
    for (const r of tr) {
      const c = li.get(r[label]!)!;
      for (const s of stems(baseText(r))) {
        let a = df.get(s);
        if (!a) df.set(s, (a = new Float64Array(labels.length)));
        a[c] = a[c]! + 1;
      }
    }
    const N = tr.length;
    const score: [string, number][] = [];
    for (const [s, a] of df) {
      const total = a.reduce((x, y) => x + y, 0);
      if (total < 2) continue;
      let best = 0;
      a.forEach((A, c) => {
        const B = total - A;
        const Cc = perLabel[c]! - A;
        const D = N - perLabel[c]! - B;
        const den = (A + Cc) * (B + D) * (A + B) * (Cc + D);
        if (den > 0) best = Math.max(best, (N * (A * D - B * Cc) ** 2) / den);
      });
      score.push([s, best]);
    }
    score.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    kept = new Set(score.slice(0, K).map(([s]) => s));
    if (process.env.CHI_DEBUG) console.error(`  χ² candidates (df ≥ 2): ${score.length}, kept ${kept.size}`);
  };
  const filtered = (baseText: (r: Row) => string) => (r: Row) => {
    const t = tokensOf(baseText(r));
    const keep = (ws: string[]) => ws.filter((w) => kept.has(stem(w))).join(' ');
    const titleN = t.title.length;
    return `${keep(t.title)}\n${keep(t.words.slice(titleN))}`;
  };
  const chi = (key: string, base: (r: Row) => string, list: Member[]): Variant => ({
    name: `${key === 'chiA' ? 'product' : 'typeProduct'}, NBSVM members on the ${K} stems of largest χ²`,
    text: base,
    members: list.map((m) => (isNb(m) && !m.opts.features?.wordScope ? { ...m, text: filtered(base) } : m)),
    prepare: prepare(base),
  });
  return {
    ...both('base11', 'unchanged (baseline of this pass)', (m) => m),
    ...both('cr24', 'title char 2–4-grams', range(2, 4)),
    ...both('cr46', 'title char 4–6-grams', range(4, 6)),
    ...both('cr36', 'title char 3–6-grams', range(3, 6)),
    chiA: chi('chiA', plain, members),
    chiAllA: {
      name: `product, every member on the ${K} stems of largest χ² (title char n-grams of kept words only)`,
      text: plain,
      members: members.map((m) => ({ ...m, text: filtered(plain) })),
      prepare: prepare(plain),
    },
    chiT: chi('chiT', typeText, typeMembers),
  };
}

/** Session 17: the factorised place model (`Variant.place`) on the product pair, weight PLACE_W. */
function pass17Variants(): Record<string, Variant> {
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const w = Number(process.env.PLACE_W ?? 1);
  return {
    plA: { name: `product × place model^${w}`, text: plain, members, place: { weight: w } },
  };
}

/** Words of agency names that say what kind of body it is or where, not what it does (`sectorOf`). */
const ORG_WORDS = new Set(
  (
    'dinas suku kementerian kementrian direktorat jenderal jendral badan kantor kanwil biro bagian pemerintah pt ' +
    'persero tbk program layanan republik indonesia nasional daerah provinsi prov kota kabupaten kab administrasi ' +
    'kecamatan kelurahan desa regional kacab cabang kcu kc unit pusat bpjs wilayah utara selatan barat timur tengah ' +
    'pusat raya dki jakarta jawa sumatera kalimantan sulawesi kelas'
  ).split(' '),
);
/** Words of region names (src/assets/regions.csv, provinces and kab/kota), removed from agency names (`sectorOf`). */
const REGION_WORDS = new Set(
  (parse(readFileSync('src/assets/regions.csv', 'utf8'), { columns: true }) as Row[])
    .filter((r) => r.level === '1' || r.level === '2')
    .flatMap((r) => r.nama!.toLowerCase().split(/[^a-z]+/))
    .filter((w) => w.length > 1 && !['kota', 'kabupaten', 'administrasi'].includes(w)),
);

/**
 * Session 18, a sector factor: what an agency does, read off its name only (never an input): the name's words
 * without organisational words, region names and stopwords, stemmed; `SECTOR=first` (default) keeps the first such
 * word ("Dinas Perhubungan Kota Semarang" → "hubung"), `SECTOR=all` all of them ("pekerjaan umum" → "kerja umum").
 */
function sectorOf(r: Row): string | null {
  const words = (r.agency_group ?? '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 1 && !ORG_WORDS.has(w) && !REGION_WORDS.has(w) && !STOPWORDS.has(w));
  if (!words.length) return null;
  return process.env.SECTOR === 'all' ? words.map((w) => stem(w)).join(' ') : stem(words[0]!);
}

interface FastTextOptions {
  dim: number;
  epochs: number;
  lr: number;
  /** Hash buckets shared by word bigrams and character n-grams. */
  buckets: number;
  /** Character n-grams of each (unstemmed) word, or null for none. */
  char: [number, number] | null;
  bigrams: boolean;
}

/** FNV-1a (32-bit) of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Session 18: a fastText-style supervised classifier (Joulin et al. 2017), hand-written and deterministic with the
 * seed: a document is the mean of the learned embeddings of its stems (vocabulary of the training part), its hashed
 * stem bigrams and the hashed character n-grams of its words; softmax over labels; SGD with a linearly decaying rate,
 * balanced class weights, the hidden gradient spread over the document's features (fastText's supervised update).
 */
function fastTextVoter(texts: string[], gold: string[], labels: string[], o: FastTextOptions, seed: number) {
  const vocab = new Map<string, number>();
  const L = labels.length;
  const d = o.dim;
  const featureLists = (text: string) => {
    const words = tokensOf(text).words;
    const stems = words.map((w) => stem(w));
    const hashed: number[] = [];
    stems.forEach((s, i) => {
      if (o.bigrams && i > 0) hashed.push(fnv1a(`${stems[i - 1]} ${s}`) % o.buckets);
      if (o.char) for (const g of charTerms(words[i]!, o.char)) hashed.push(fnv1a(g) % o.buckets);
    });
    return { stems, hashed };
  };
  const raw = texts.map(featureLists);
  for (const { stems } of raw) for (const s of stems) if (!vocab.has(s)) vocab.set(s, vocab.size);
  const V = vocab.size;
  const idsOf = ({ stems, hashed }: ReturnType<typeof featureLists>) => {
    const ids: number[] = [];
    for (const s of stems) {
      const id = vocab.get(s);
      if (id !== undefined) ids.push(id);
    }
    for (const b of hashed) ids.push(V + b);
    return Int32Array.from(ids);
  };
  const docs = raw.map(idsOf);
  const index = new Map(labels.map((l, i) => [l, i]));
  const y = gold.map((g) => index.get(g)!);
  const count = new Float64Array(L);
  for (const c of y) count[c] = count[c]! + 1;
  const classWeight = Array.from(count, (n) => (n ? docs.length / (L * n) : 0));
  const rand = seededRandom(seed);
  const E = new Float32Array((V + o.buckets) * d);
  for (let i = 0; i < E.length; i++) E[i] = ((rand() * 2 - 1) / d) as number;
  const W = new Float32Array(L * d);
  const h = new Float64Array(d);
  const g = new Float64Array(d);
  const p = new Float64Array(L);
  const forward = (ids: Int32Array) => {
    h.fill(0);
    for (const id of ids) for (let k = 0; k < d; k++) h[k] = h[k]! + E[id * d + k]!;
    for (let k = 0; k < d; k++) h[k] = h[k]! / ids.length;
    let top = -Infinity;
    for (let l = 0; l < L; l++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += W[l * d + k]! * h[k]!;
      p[l] = z;
      top = Math.max(top, z);
    }
    let sum = 0;
    for (let l = 0; l < L; l++) sum += p[l] = Math.exp(p[l]! - top);
    for (let l = 0; l < L; l++) p[l] = p[l]! / sum;
  };
  const order = docs.map((_, i) => i);
  const steps = o.epochs * docs.length;
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const i of order) {
      const lr = o.lr * (1 - step++ / steps);
      const ids = docs[i]!;
      if (!ids.length) continue;
      forward(ids);
      g.fill(0);
      for (let l = 0; l < L; l++) {
        const alpha = lr * classWeight[y[i]!]! * ((l === y[i] ? 1 : 0) - p[l]!);
        for (let k = 0; k < d; k++) {
          g[k] = g[k]! + alpha * W[l * d + k]!;
          W[l * d + k] = W[l * d + k]! + alpha * h[k]!;
        }
      }
      for (const id of ids) for (let k = 0; k < d; k++) E[id * d + k] = E[id * d + k]! + g[k]! / ids.length;
    }
  }
  return (text: string): Float64Array => {
    const ids = idsOf(featureLists(text));
    if (!ids.length) return new Float64Array(L).fill(1 / L);
    forward(ids);
    return p.slice();
  };
}

const SENTENCE_QUESTION =
  /^\W*(apakah|apa|bagaimana|gimana|berapa|kapan|kenapa|mengapa|dimana|siapa|bisakah|bolehkah|adakah)\b/;
const SENTENCE_REQUEST = /^\W*(mohon|tolong|harap|minta|saya mohon|kami mohon|saya minta|kami minta)\b/;
const SENTENCE_SUGGEST = /^\W*(sebaiknya|seharusnya|semestinya|usul|saran|alangkah)\b/;

/**
 * Session 18: sentence-mood cues for the report type, beyond those `reportTypeCues` ships: where the first question
 * mark sits in the body (first, middle or last third), the share of the body's sentences that are questions, how
 * many sentences open with a question word, a request verb (imperative *tolong*, *mohon*) or a suggestion word, and
 * how many sentences the body has. Synthetic `isyaratmood…` tokens, unchanged by the stemmer.
 */
function moodCues(title: string, body: string): string[] {
  const b = body.toLowerCase();
  const out: string[] = [];
  const q = b.indexOf('?');
  out.push(
    `isyaratmoodq${q < 0 ? 'none' : q < b.length / 3 ? 'awal' : q < (2 * b.length) / 3 ? 'tengah' : 'akhir'}`,
  );
  const sentences = b.split(/(?<=[.?!])\s+|\n+/).filter((x) => /[a-z]/.test(x));
  const questions = sentences.filter((x) => x.includes('?') || SENTENCE_QUESTION.test(x)).length;
  const share = sentences.length ? questions / sentences.length : 0;
  out.push(
    `isyaratmoodshare${share === 0 ? 'nol' : share < 0.34 ? 'sedikit' : share < 1 ? 'banyak' : 'semua'}`,
  );
  for (const x of sentences) {
    if (SENTENCE_QUESTION.test(x)) out.push('isyaratmoodkalimattanya');
    if (SENTENCE_REQUEST.test(x)) out.push('isyaratmoodkalimatminta');
    if (SENTENCE_SUGGEST.test(x)) out.push('isyaratmoodkalimatusul');
  }
  if (SENTENCE_REQUEST.test(title.toLowerCase())) out.push('isyaratmoodjudulminta');
  const n = sentences.length;
  out.push(`isyaratmoodkalimat${n <= 1 ? 'satu' : n <= 3 ? 'sedikit' : n <= 8 ? 'sedang' : 'banyak'}`);
  return out;
}

/**
 * Session 18 (eleventh pass): a sector factor (`Variant.place` with `sectorOf`, weight SECTOR_W) on the agency
 * product, and a fastText-style member (`fastTextVoter`, FT_* settings) mixed into either product (`ftA` / `ftT`,
 * weight FT_W) or alone (`ft1A` / `ft1T`), sentence-mood cues for the report type (`moodT`), and each
 * agency's name as training documents (`lnA`, NAME_COPIES).
 */
function pass18Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const members = DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const typeMembers = REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const w = Number(process.env.SECTOR_W ?? 0.5);
  const char = (process.env.FT_CHAR ?? 'none').split('-').map(Number);
  const ft: FastTextOptions = {
    dim: Number(process.env.FT_DIM ?? 50),
    epochs: Number(process.env.FT_EPOCHS ?? 30),
    lr: Number(process.env.FT_LR ?? 1),
    buckets: Number(process.env.FT_BUCKETS ?? 200_000),
    char: char.length === 2 ? (char as [number, number]) : null,
    bigrams: process.env.FT_BIGRAMS !== '0',
  };
  const fw = Number(process.env.FT_W ?? 0.3);
  const ftName = `fastText d${ft.dim} e${ft.epochs} lr${ft.lr} char ${ft.char?.join('–') ?? 'none'}${ft.bigrams ? ' +bigrams' : ''}`;
  return {
    moodT: {
      name: 'typeProduct + sentence-mood cues (first question position, question share, sentence-initial requests)',
      text: (r) => `${typeText(r)} ${moodCues(r.title ?? '', r.text ?? '').join(' ')}`,
      members: typeMembers,
    },
    lnA: {
      name: `product + each agency's name as ${process.env.NAME_COPIES ?? 1} training document(s)`,
      text: plain,
      members,
      labelNames: Number(process.env.NAME_COPIES ?? 1),
    },
    secA: {
      name: `product × sector model^${w} (${process.env.SECTOR ?? 'first'})`,
      text: plain,
      members,
      place: { weight: w, of: sectorOf },
    },
    ftA: { name: `product + ${fw} ${ftName}`, text: plain, members, fastText: { ...ft, weight: fw } },
    ftT: {
      name: `typeProduct + ${fw} ${ftName}`,
      text: typeText,
      members: typeMembers,
      fastText: { ...ft, weight: fw },
    },
    ft1A: { name: `${ftName} alone`, text: plain, members, fastText: { ...ft, weight: 1 } },
    ft1T: { name: `${ftName} alone`, text: typeText, members: typeMembers, fastText: { ...ft, weight: 1 } },
  };
}

/** Session 19: self-training (`Variant.selfTrain`; SELF_T threshold, SELF_POOL test|all, SELF_COPIES). */
function pass19Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const selfTrain = {
    threshold: Number(process.env.SELF_T ?? 0.9),
    pool: (['all', 'half'].includes(process.env.SELF_POOL ?? '') ? process.env.SELF_POOL : 'test') as
      'test' | 'all' | 'half',
    copies: Number(process.env.SELF_COPIES ?? 1),
  };
  const name = `self-training (≥ ${selfTrain.threshold}, pool ${selfTrain.pool}, ×${selfTrain.copies})`;
  return {
    selfA: {
      name: `product + ${name}`,
      text: plain,
      members: DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
      selfTrain,
    },
    lnSelfA: {
      name: `product + ${name} + each agency's name as ${process.env.NAME_COPIES ?? 3} training documents`,
      text: plain,
      members: DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
      selfTrain,
      labelNames: Number(process.env.NAME_COPIES ?? 3),
    },
    /** The product's agency training (trainSemiSupervised): names ×3 and self-training at 0.9. */
    semiA: {
      name: `product trainSemiSupervised (names ×3, self-training ≥ ${selfTrain.threshold}, pool ${selfTrain.pool})`,
      text: plain,
      members: DEFAULT_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
      selfTrain: { ...selfTrain, product: true },
      labelNames: Number(process.env.NAME_COPIES ?? 3),
    },
    selfT: {
      name: `typeProduct + ${name}`,
      text: typeText,
      members: REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight })),
      selfTrain,
    },
  };
}

const label = UNITS ? 'addressed_agency' : (process.env.LABEL ?? 'agency_group');
const minCount = Number(process.env.MIN_COUNT ?? (UNITS ? 5 : label === 'agency_group' ? 20 : 1));
for (const k of (process.env.V ?? Object.keys(variants).join(',')).split(','))
  cv(label, minCount, variants[k]!, (process.env.SEEDS ?? process.env.SEED ?? '1').split(',').map(Number));

/**
 * Session 26, a learning curve: the training part of each fold cut to TRAIN_FRACTION of each label's rows (at least
 * 2 per label, seeded by the run), so the figure can be read against the amount of labelled history.
 */
function trainShare(rows: Row[], label: string, run: number): Row[] {
  const share = Number(process.env.TRAIN_FRACTION ?? 1);
  if (!(share > 0 && share < 1)) return rows;
  const byLabel = new Map<string, Row[]>();
  for (const r of rows) {
    const group = byLabel.get(r[label]!);
    if (group) group.push(r);
    else byLabel.set(r[label]!, [r]);
  }
  const rand = seededRandom(7000 + run);
  return [...byLabel.values()].flatMap((group) =>
    shuffleInPlace([...group], rand).slice(0, Math.max(2, Math.round(group.length * share))),
  );
}

/** The body's sentences (split after . ? ! and at line ends), lower-cased, those with a letter. */
function sentencesOf(body: string): string[] {
  return body
    .toLowerCase()
    .split(/(?<=[.?!])\s+|\n+/)
    .filter((x) => /[a-z]/.test(x));
}

/**
 * Session 22 (thirteenth pass), report type: where the mood of a report sits. A fourth member that reads only the
 * body's last sentence(s) (`endT`, END_N), as words with cues (NBSVM) or as character n-grams (`endCharT`); a
 * member on the sentences that ask, request or suggest (`qsT`); bigram cues of adjacent function words
 * (`sbT`: *bagaimana cara*, *apakah sudah*, *mohon informasi*); hand-written prototype reports per type
 * (`protoT`, PROTO_COPIES).
 */
function pass22Variants(): Record<string, Variant> {
  const typeText = (r: Row) => routingText({ title: r.title ?? '', body: r.text ?? '', cues: true });
  const typeMembers = REPORT_TYPE_ENSEMBLE.map((m) => ({ opts: m.options, weight: m.weight }));
  const nbsvm = REPORT_TYPE_ENSEMBLE[0]!.options;
  const n = Number(process.env.END_N ?? 2);
  const w = Number(process.env.MEMBER_W ?? 1);
  const last = (r: Row) =>
    sentencesOf(r.text ?? '')
      .slice(-n)
      .join(' ');
  const moodSentence = (x: string) =>
    x.includes('?') || SENTENCE_QUESTION.test(x) || SENTENCE_REQUEST.test(x) || SENTENCE_SUGGEST.test(x);
  const stopBigrams = (r: Row): string[] => {
    const words = `${r.title ?? ''}\n${r.text ?? ''}`.toLowerCase().match(/[a-z]+/g) ?? [];
    const out: string[] = [];
    for (let i = 1; i < words.length; i++) {
      if (STOPWORDS.has(words[i - 1]!) || STOPWORDS.has(words[i]!))
        out.push(`isyaratbi${words[i - 1]}${words[i]}`);
    }
    return out;
  };
  const order = rows.map((r) => Number(r.lapor_id)).sort((a, b) => a - b);
  const bin = Number(process.env.TIME_BIN ?? 30);
  const timeToken = (r: Row) => {
    const b = Math.floor(order.indexOf(Number(r.lapor_id)) / bin);
    const az = (k: number) => k.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
    const one = `waktuperiode${az(b)} waktuperiodex${az(Math.floor(b / 2))} `;
    return one.repeat(Number(process.env.TIME_REP ?? 1));
  };
  const protos: Record<string, [string, string][]> = {
    permintaan_informasi: [
      ['Mohon informasi', 'Bagaimana cara dan apa saja syaratnya? Mohon informasinya, terima kasih.'],
      [
        'Pertanyaan tentang prosedur',
        'Apakah bisa dilakukan secara online? Berapa lama prosesnya dan berapa biayanya?',
      ],
      [
        'Tanya syarat pendaftaran',
        'Saya ingin menanyakan kapan jadwalnya dan di mana tempatnya. Mohon penjelasan.',
      ],
    ],
    pengaduan: [
      [
        'Pelayanan buruk',
        'Saya mengadukan pelayanan yang lambat dan petugas yang tidak ramah. Mohon ditindaklanjuti.',
      ],
      [
        'Jalan rusak',
        'Jalan rusak parah dan berlubang sudah berbulan-bulan tidak diperbaiki, sangat membahayakan.',
      ],
      ['Pungutan liar', 'Kami dimintai uang oleh oknum petugas padahal seharusnya gratis. Mohon ditindak.'],
    ],
    aspirasi: [
      ['Usulan', 'Saya mengusulkan agar pemerintah membangun taman dan menambah fasilitas umum.'],
      [
        'Saran perbaikan layanan',
        'Sebaiknya pelayanan dibuka juga pada hari Sabtu supaya warga yang bekerja terbantu.',
      ],
      [
        'Harapan warga',
        'Kami berharap ke depan ada program pelatihan untuk pemuda. Alangkah baiknya jika diadakan.',
      ],
    ],
  };
  return {
    endT: {
      name: `typeProduct + NBSVM on the body's last ${n} sentence(s) with cues, weight ${w}`,
      text: typeText,
      members: [
        ...typeMembers,
        { opts: nbsvm, weight: w, text: (r) => routingText({ title: '', body: last(r), cues: true }) },
      ],
    },
    endCharT: {
      name: `typeProduct + SVM on char 2–5-grams of the body's last ${n} sentence(s), weight ${w}`,
      text: typeText,
      members: [
        ...typeMembers,
        {
          opts: {
            algorithm: 'svm',
            svmC: 0.3,
            features: { charNgrams: [2, 5], charScope: 'title', charWeight: 1 },
          },
          weight: w,
          text: (r) => `${last(r)}\n`,
        },
      ],
    },
    qsT: {
      name: `typeProduct + NBSVM on the sentences that ask, request or suggest (with cues), weight ${w}`,
      text: typeText,
      members: [
        ...typeMembers,
        {
          opts: nbsvm,
          weight: w,
          text: (r) =>
            routingText({
              title: '',
              body: sentencesOf(r.text ?? '')
                .filter(moodSentence)
                .join(' '),
              cues: true,
            }),
        },
      ],
    },
    sbT: {
      name: 'typeProduct + function-word bigram cues',
      text: (r) => `${typeText(r)} ${stopBigrams(r).join(' ')}`,
      members: typeMembers,
    },
    cT: {
      name: `typeProduct, every member at C ${process.env.C_ALL ?? 0.3}, class weights ${process.env.CW ?? 'balanced'}`,
      text: typeText,
      members: typeMembers.map((m) => ({
        ...m,
        opts: {
          ...m.opts,
          svmC: Number(process.env.C_ALL ?? 0.3),
          classWeight: (process.env.CW ?? 'balanced') as 'balanced' | 'none',
        },
      })),
    },
    timeT: {
      name: `typeProduct + a submission-period token (lapor_id rank in bins of ${process.env.TIME_BIN ?? 30}), ×${process.env.TIME_REP ?? 1}`,
      text: (r) => `${typeText(r)} ${timeToken(r)}`,
      members: typeMembers,
    },
    agT: {
      name: `typeProduct + the final agency as a token ×${process.env.AG_REP ?? 1} (oracle: an upper bound)`,
      text: (r) =>
        `${typeText(r)} ${`instansiakhir${(r.agency_group ?? '').toLowerCase().replace(/[^a-z]/g, '')} `.repeat(Number(process.env.AG_REP ?? 1))}`,
      members: typeMembers,
    },
    protoT: {
      name: `typeProduct + 3 hand-written prototype reports per type ×${process.env.PROTO_COPIES ?? 3}`,
      text: typeText,
      members: typeMembers,
      prototypes: { docs: protos, copies: Number(process.env.PROTO_COPIES ?? 3) },
    },
  };
}
