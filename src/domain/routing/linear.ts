/**
 * The numeric core of the routing classifier: fitting linear models on sparse vectors
 * (multinomial logistic regression with AdaGrad, Complement and Multinomial Naive Bayes),
 * softmax with temperature, and temperature fitting. Weights are dense, feature-major
 * (`W[feature * labels + label]`). Pure: no I/O.
 */
import type { SparseVector } from './features.ts';

/**
 * Training vectors in compressed sparse rows (see encode.ts) with their label index and the label
 * indices each example does NOT belong to (`neg[negPtr[n] .. negPtr[n + 1]]`).
 */
export interface Dataset {
  rowPtr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  y: Int32Array;
  negPtr: Int32Array;
  neg: Int32Array;
}

/** Hyper-parameters of the linear learners. */
export interface LinearFitOptions {
  /** Passes over the data (logistic regression). */
  epochs: number;
  /** AdaGrad base learning rate (logistic regression). */
  learningRate: number;
  /** L2 penalty applied to touched weights (logistic regression). */
  l2: number;
  /** Weight of the "does not belong here" penalty of negative labels. */
  negativeWeight: number;
  /** `balanced` weights each example by n / (labels · count(label)). */
  classWeight: 'balanced' | 'none';
  /** Additive smoothing (Naive Bayes). */
  alpha: number;
  /**
   * Skip weight updates of labels whose gradient magnitude is below this (logistic regression).
   * 0 updates every label; a small cutoff makes training on large label sets several times faster.
   */
  gradientCutoff?: number;
}

/** Dense weights and biases of a linear model. */
export interface DenseLinear {
  weights: Float32Array;
  bias: Float64Array;
}

function exampleWeights(
  y: Int32Array,
  labelCount: number,
  mode: LinearFitOptions['classWeight'],
): Float64Array {
  const counts = new Float64Array(labelCount);
  for (let n = 0; n < y.length; n++) counts[y[n]!]! += 1;
  return Float64Array.from(y, (c) => (mode === 'balanced' ? y.length / (labelCount * counts[c]!) : 1));
}

/** Linear scores `b + W·x` for one vector. */
export function linearScores(model: DenseLinear, x: SparseVector, labelCount: number): Float64Array {
  const z = Float64Array.from(model.bias);
  const { weights } = model;
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k]! * labelCount;
    const v = x.val[k]!;
    for (let c = 0; c < labelCount; c++) z[c] = z[c]! + v * weights[base + c]!;
  }
  return z;
}

/** Softmax of `scores / temperature`, computed stably. */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const e = Math.exp(scores[i]! / temperature - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** Softmax of `z` in place (stable). */
function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / sum;
}

/**
 * Multinomial logistic regression by AdaGrad SGD with L2. Negative labels add the loss
 * `-negativeWeight · ln(1 - p(neg))`, which pushes the probability of those labels down.
 * Allocation-free inner loop over typed arrays.
 */
export function fitLogistic(
  data: Dataset,
  featureCount: number,
  labelCount: number,
  options: LinearFitOptions,
  random: () => number,
): DenseLinear {
  const L = labelCount;
  const N = data.y.length;
  const { rowPtr, idx, val, y, negPtr, neg } = data;
  const weights = new Float32Array(featureCount * L);
  const accum = new Float32Array(featureCount * L);
  const bias = new Float64Array(L);
  const biasAccum = new Float64Array(L);
  const sampleWeight = exampleWeights(y, L, options.classWeight);
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  const p = new Float64Array(L);
  const grad = new Float64Array(L);
  const touched = new Int32Array(L);
  const eta = options.learningRate;
  const l2 = options.l2;
  const cutoff = options.gradientCutoff ?? 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let o = 0; o < N; o++) {
      const n = order[o]!;
      const from = rowPtr[n]!;
      const to = rowPtr[n + 1]!;
      for (let c = 0; c < L; c++) p[c] = bias[c]!;
      for (let k = from; k < to; k++) {
        const base = idx[k]! * L;
        const v = val[k]!;
        for (let c = 0; c < L; c++) p[c] = p[c]! + v * weights[base + c]!;
      }
      softmaxInPlace(p);
      const sw = sampleWeight[n]!;
      const yn = y[n]!;
      for (let c = 0; c < L; c++) grad[c] = sw * p[c]!;
      grad[yn] = grad[yn]! - sw;
      for (let j = negPtr[n]!; j < negPtr[n + 1]!; j++) {
        const ng = neg[j]!;
        if (ng === yn) continue;
        const pn = p[ng]!;
        const scale = (options.negativeWeight * sw * pn) / Math.max(1e-9, 1 - pn);
        for (let c = 0; c < L; c++) grad[c] = grad[c]! - scale * p[c]!;
        grad[ng] = grad[ng]! + scale; // total for neg: scale·(1 - pn) = w·pn
      }
      for (let c = 0; c < L; c++) {
        const g = grad[c]!;
        biasAccum[c] = biasAccum[c]! + g * g;
        bias[c] = bias[c]! - (eta * g) / (Math.sqrt(biasAccum[c]!) + 1e-8);
      }
      let active = 0;
      for (let c = 0; c < L; c++) if (cutoff === 0 || Math.abs(grad[c]!) >= cutoff) touched[active++] = c;
      for (let k = from; k < to; k++) {
        const base = idx[k]! * L;
        const v = val[k]!;
        for (let a = 0; a < active; a++) {
          const c = touched[a]!;
          const at = base + c;
          const w = weights[at]!;
          const g = grad[c]! * v + l2 * w;
          if (g === 0) continue;
          const acc = accum[at]! + g * g;
          accum[at] = acc;
          weights[at] = w - (eta * g) / (Math.sqrt(acc) + 1e-8);
        }
      }
    }
  }
  return { weights, bias };
}

/**
 * Naive Bayes on (TF-IDF or count) vectors. `complement` is Complement NB (Rennie et al. 2003): each label is
 * scored by how unlike the other labels' documents the text is; examples also count towards the
 * complement of their negative labels (scaled by `negativeWeight`). `multinomial` is plain multinomial
 * NB with class priors (the baseline; negative labels are ignored).
 */
export function fitNaiveBayes(
  data: Dataset,
  featureCount: number,
  labelCount: number,
  options: LinearFitOptions,
  variant: 'complement' | 'multinomial',
): DenseLinear {
  const L = labelCount;
  const N = data.y.length;
  const { rowPtr, idx, val, y, negPtr, neg } = data;
  const counts = new Float64Array(featureCount * L);
  const totals = new Float64Array(featureCount);
  const docs = new Float64Array(L);
  for (let n = 0; n < N; n++) {
    const yn = y[n]!;
    docs[yn] = docs[yn]! + 1;
    for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) {
      const i = idx[k]!;
      const v = val[k]!;
      counts[i * L + yn] = counts[i * L + yn]! + v;
      totals[i] = totals[i]! + v;
    }
  }
  if (variant === 'complement') {
    // Turn per-label counts into complement counts, then add negative-label evidence.
    for (let i = 0; i < featureCount; i++) {
      for (let c = 0; c < L; c++) counts[i * L + c] = totals[i]! - counts[i * L + c]!;
    }
    for (let n = 0; n < N; n++) {
      for (let j = negPtr[n]!; j < negPtr[n + 1]!; j++) {
        const ng = neg[j]!;
        if (ng === y[n]) continue;
        for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) {
          const at = idx[k]! * L + ng;
          counts[at] = counts[at]! + options.negativeWeight * val[k]!;
        }
      }
    }
  }
  const labelTotals = new Float64Array(L);
  for (let i = 0; i < featureCount; i++) {
    for (let c = 0; c < L; c++) labelTotals[c] = labelTotals[c]! + counts[i * L + c]!;
  }
  const weights = new Float32Array(featureCount * L);
  const sign = variant === 'complement' ? -1 : 1;
  for (let i = 0; i < featureCount; i++) {
    for (let c = 0; c < L; c++) {
      const theta = (counts[i * L + c]! + options.alpha) / (labelTotals[c]! + options.alpha * featureCount);
      weights[i * L + c] = sign * Math.log(theta);
    }
  }
  const bias = new Float64Array(L);
  if (variant === 'multinomial') {
    for (let c = 0; c < L; c++) bias[c] = Math.log((docs[c]! + 1) / (N + L));
  }
  return { weights, bias };
}

/**
 * Fit the softmax temperature minimising the mean negative log-likelihood of held-out scores
 * (`scores[n * L + c]`, golden-section search over ln T in [-6, 6]). Returns 1 when there is nothing
 * to fit. Allocation-free per evaluation.
 */
export function fitTemperature(scores: Float64Array, gold: Int32Array, L: number): number {
  const N = gold.length;
  if (N === 0) return 1;
  const nll = (logT: number): number => {
    const inv = 1 / Math.exp(logT);
    let total = 0;
    for (let n = 0; n < N; n++) {
      const base = n * L;
      let max = -Infinity;
      for (let c = 0; c < L; c++) max = Math.max(max, scores[base + c]! * inv);
      let sum = 0;
      for (let c = 0; c < L; c++) sum += Math.exp(scores[base + c]! * inv - max);
      const p = Math.exp(scores[base + gold[n]!]! * inv - max) / sum;
      total -= Math.log(Math.max(1e-12, p));
    }
    return total / N;
  };
  let lo = -6;
  let hi = 6;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let iter = 0; iter < 40; iter++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Stopping tolerance of the SVM's dual coordinate descent (spread of the projected gradients). */
const SVM_TOLERANCE = 0.01;

/** Options of the one-vs-rest linear SVM ({@link fitLinearSvm}). */
export interface SvmFitOptions {
  /** Inverse regularisation strength C (per example, scaled by the class weight). */
  C: number;
  /** Passes of dual coordinate descent per label. */
  epochs: number;
  /** `balanced` weights each example by n / (labels · count(label)). */
  classWeight: 'balanced' | 'none';
  /** Extra weight of an example on the labels it was returned from (negative labels). */
  negativeWeight: number;
  /**
   * NBSVM (Wang & Manning 2012): scale each feature, per label, by the Naive Bayes log-count ratio
   * ln((p / |p|₁) / (q / |q|₁)) with p, q the smoothed feature sums inside and outside the label
   * (`nbAlpha` smoothing). 0 = a plain SVM. The stored weight is w ⊙ r, so the model stays linear in x.
   */
  nbAlpha: number;
  /** NBSVM interpolation: w' = (1 − β)·w̄ + β·w with w̄ = ‖w‖₁ / F (Wang & Manning's β); 1 = none. */
  nbBeta: number;
}

/**
 * One-vs-rest L2-regularised squared-hinge linear SVM, trained per label by dual coordinate descent
 * (Hsieh et al. 2008, as in LIBLINEAR) with an unregularised-like bias feature of value 1. Optionally
 * NBSVM feature scaling (see {@link SvmFitOptions.nbAlpha}). Deterministic for a given `random`.
 */
export function fitLinearSvm(
  data: Dataset,
  featureCount: number,
  labelCount: number,
  options: SvmFitOptions,
  random: () => number,
): DenseLinear {
  const L = labelCount;
  const F = featureCount;
  const N = data.y.length;
  const { rowPtr, idx, val, y, negPtr, neg } = data;
  const weights = new Float32Array(F * L);
  const bias = new Float64Array(L);
  const sampleWeight = exampleWeights(y, L, options.classWeight);
  const totals = new Float64Array(F);
  const inLabel = new Float64Array(F * (options.nbAlpha > 0 ? L : 0));
  if (options.nbAlpha > 0) {
    for (let n = 0; n < N; n++) {
      for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) {
        totals[idx[k]!] = totals[idx[k]!]! + val[k]!;
        inLabel[idx[k]! * L + y[n]!] = inLabel[idx[k]! * L + y[n]!]! + val[k]!;
      }
    }
  }
  const r = new Float64Array(F);
  const w = new Float64Array(F);
  const alpha = new Float64Array(N);
  const qii = new Float64Array(N);
  const diag = new Float64Array(N);
  const sign = new Float64Array(N);
  const order = new Int32Array(N);
  const isNeg = new Uint8Array(N);
  // Feature values as seen by the current label's problem (NBSVM: scaled by r), and squared row norms.
  const nb = options.nbAlpha > 0;
  const xs = nb ? new Float32Array(val.length) : val;
  const rowSq = new Float64Array(N);
  const squaredNorms = () => {
    for (let n = 0; n < N; n++) {
      let sq = 0;
      for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) sq += xs[k]! * xs[k]!;
      rowSq[n] = sq;
    }
  };
  if (!nb) squaredNorms();
  for (let c = 0; c < L; c++) {
    if (options.nbAlpha > 0) {
      const a = options.nbAlpha;
      let pSum = 0;
      let qSum = 0;
      for (let f = 0; f < F; f++) {
        const p = inLabel[f * L + c]!;
        pSum += p + a;
        qSum += totals[f]! - p + a;
      }
      for (let f = 0; f < F; f++) {
        const p = inLabel[f * L + c]!;
        r[f] = Math.log((p + a) / pSum / ((totals[f]! - p + a) / qSum));
      }
      for (let k = 0; k < xs.length; k++) xs[k] = val[k]! * r[idx[k]!]!;
      squaredNorms();
    } else r.fill(1);
    isNeg.fill(0);
    for (let n = 0; n < N; n++)
      for (let j = negPtr[n]!; j < negPtr[n + 1]!; j++) if (neg[j] === c && y[n] !== c) isNeg[n] = 1;
    for (let n = 0; n < N; n++) {
      sign[n] = y[n] === c ? 1 : -1;
      const Ci = options.C * sampleWeight[n]! * (isNeg[n] ? 1 + options.negativeWeight : 1);
      diag[n] = 1 / (2 * Ci);
      qii[n] = rowSq[n]! + 1 + diag[n]!;
      order[n] = n;
    }
    alpha.fill(0);
    w.fill(0);
    let b = 0;
    // Dual coordinate descent with LIBLINEAR's shrinking: examples at α = 0 whose gradient exceeds the
    // previous pass's largest projected gradient leave the active set; on convergence the full set
    // is checked once more before stopping.
    let active = N;
    let pgMaxOld = Infinity;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = active - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let o = 0; o < active; o++) {
        const n = order[o]!;
        let dot = b;
        for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) dot += w[idx[k]!]! * xs[k]!;
        const G = sign[n]! * dot - 1 + diag[n]! * alpha[n]!;
        let pg = G;
        if (alpha[n] === 0) {
          if (G > pgMaxOld) {
            active--;
            order[o] = order[active]!;
            order[active] = n;
            o--;
            continue;
          }
          if (G > 0) pg = 0;
        }
        pgMax = Math.max(pgMax, pg);
        pgMin = Math.min(pgMin, pg);
        if (Math.abs(pg) < 1e-12) continue;
        const next = Math.max(alpha[n]! - G / qii[n]!, 0);
        const d = (next - alpha[n]!) * sign[n]!;
        alpha[n] = next;
        if (d === 0) continue;
        for (let k = rowPtr[n]!; k < rowPtr[n + 1]!; k++) w[idx[k]!] = w[idx[k]!]! + d * xs[k]!;
        b += d;
      }
      if (pgMax - pgMin <= SVM_TOLERANCE) {
        if (active === N) break;
        active = N;
        pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = pgMax > 0 ? pgMax : Infinity;
    }
    let mean = 0;
    if (options.nbBeta < 1) {
      for (let f = 0; f < F; f++) mean += Math.abs(w[f]!);
      mean /= Math.max(1, F);
    }
    const beta = options.nbBeta;
    for (let f = 0; f < F; f++) {
      const wf = beta < 1 ? (1 - beta) * mean + beta * w[f]! : w[f]!;
      weights[f * L + c] = wf * r[f]!;
    }
    bias[c] = b;
  }
  return { weights, bias };
}
