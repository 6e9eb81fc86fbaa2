/**
 * The numeric core of the routing classifier: fitting linear models on sparse vectors
 * (multinomial logistic regression with AdaGrad, Complement and Multinomial Naive Bayes),
 * softmax with temperature, and temperature fitting. Weights are dense, feature-major
 * (`W[feature * labels + label]`). Pure: no I/O.
 */
import type { SparseVector } from './features.ts';

/** A training example in vector form: features, label index and indices of labels it does NOT belong to. */
export interface VectorExample {
  x: SparseVector;
  y: number;
  negatives: readonly number[];
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
  examples: readonly VectorExample[],
  labelCount: number,
  mode: LinearFitOptions['classWeight'],
): Float64Array {
  const counts = new Float64Array(labelCount);
  for (const e of examples) counts[e.y]! += 1;
  return Float64Array.from(examples, (e) =>
    mode === 'balanced' ? examples.length / (labelCount * counts[e.y]!) : 1,
  );
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

/**
 * Multinomial logistic regression by AdaGrad SGD with L2. Negative labels add the loss
 * `-negativeWeight · ln(1 - p(neg))`, which pushes the probability of those labels down.
 */
export function fitLogistic(
  examples: readonly VectorExample[],
  featureCount: number,
  labelCount: number,
  options: LinearFitOptions,
  random: () => number,
): DenseLinear {
  const L = labelCount;
  const weights = new Float32Array(featureCount * L);
  const accum = new Float32Array(featureCount * L);
  const bias = new Float64Array(L);
  const biasAccum = new Float64Array(L);
  const sampleWeight = exampleWeights(examples, L, options.classWeight);
  const order = examples.map((_, i) => i);
  const grad = new Float64Array(L);
  const touched = new Int32Array(L);
  const eta = options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const ex = examples[n]!;
      const p = softmax(linearScores({ weights, bias }, ex.x, L));
      const sw = sampleWeight[n]!;
      for (let c = 0; c < L; c++) grad[c] = sw * (p[c]! - (c === ex.y ? 1 : 0));
      for (const neg of ex.negatives) {
        if (neg === ex.y) continue;
        const pn = p[neg]!;
        const scale = (options.negativeWeight * sw * pn) / Math.max(1e-9, 1 - pn);
        for (let c = 0; c < L; c++) grad[c] = grad[c]! - scale * p[c]!;
        grad[neg] = grad[neg]! + scale; // total for neg: scale·(1 - pn) = w·pn
      }
      for (let c = 0; c < L; c++) {
        const g = grad[c]!;
        biasAccum[c] = biasAccum[c]! + g * g;
        bias[c] = bias[c]! - (eta * g) / (Math.sqrt(biasAccum[c]!) + 1e-8);
      }
      const cutoff = options.gradientCutoff ?? 0;
      let active = L;
      if (cutoff > 0) {
        active = 0;
        for (let c = 0; c < L; c++) if (Math.abs(grad[c]!) >= cutoff) touched[active++] = c;
      }
      for (let k = 0; k < ex.x.idx.length; k++) {
        const base = ex.x.idx[k]! * L;
        const v = ex.x.val[k]!;
        for (let a = 0; a < active; a++) {
          const c = cutoff > 0 ? touched[a]! : a;
          const w = weights[base + c]!;
          const g = grad[c]! * v + options.l2 * w;
          if (g === 0) continue;
          const acc = accum[base + c]! + g * g;
          accum[base + c] = acc;
          weights[base + c] = w - (eta * g) / (Math.sqrt(acc) + 1e-8);
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
  examples: readonly VectorExample[],
  featureCount: number,
  labelCount: number,
  options: LinearFitOptions,
  variant: 'complement' | 'multinomial',
): DenseLinear {
  const L = labelCount;
  const counts = new Float64Array(featureCount * L);
  const totals = new Float64Array(featureCount);
  const docs = new Float64Array(L);
  for (const ex of examples) {
    docs[ex.y] = docs[ex.y]! + 1;
    for (let k = 0; k < ex.x.idx.length; k++) {
      const i = ex.x.idx[k]!;
      const v = ex.x.val[k]!;
      counts[i * L + ex.y] = counts[i * L + ex.y]! + v;
      totals[i] = totals[i]! + v;
    }
  }
  if (variant === 'complement') {
    // Turn per-label counts into complement counts, then add negative-label evidence.
    for (let i = 0; i < featureCount; i++) {
      for (let c = 0; c < L; c++) counts[i * L + c] = totals[i]! - counts[i * L + c]!;
    }
    for (const ex of examples) {
      for (const neg of ex.negatives) {
        if (neg === ex.y) continue;
        for (let k = 0; k < ex.x.idx.length; k++) {
          const at = ex.x.idx[k]! * L + neg;
          counts[at] = counts[at]! + options.negativeWeight * ex.x.val[k]!;
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
    for (let c = 0; c < L; c++) bias[c] = Math.log((docs[c]! + 1) / (examples.length + L));
  }
  return { weights, bias };
}

/**
 * Fit the softmax temperature minimising the mean negative log-likelihood of held-out scores
 * (golden-section search over ln T in [-6, 6]). Returns 1 when there is nothing to fit.
 */
export function fitTemperature(scores: readonly Float64Array[], gold: readonly number[]): number {
  if (scores.length === 0) return 1;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    scores.forEach((s, n) => (total -= Math.log(Math.max(1e-12, softmax(s, t)[gold[n]!]!))));
    return total / scores.length;
  };
  let lo = -6;
  let hi = 6;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let iter = 0; iter < 60; iter++) {
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
