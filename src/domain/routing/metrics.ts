/** Classification metrics for routing evaluation. Pure. */

/** Precision, recall, F1 and support of one label. */
export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Aggregate metrics of a classifier on a test set. */
export interface Metrics {
  accuracy: number;
  /** Unweighted mean of per-label F1 over the evaluated labels. */
  macroF1: number;
  /** Share of items whose gold label is among the first three ranked predictions. */
  top3Accuracy: number;
  perLabel: Record<string, LabelMetrics>;
}

/**
 * Compute accuracy, macro-F1, top-3 accuracy and per-label metrics. `ranked[i]` lists the predicted
 * labels for item i, best first (only the first counts for accuracy/F1). `labels` fixes the label set
 * used for macro-F1 (default: the gold labels); a label never predicted and never gold is skipped.
 */
export function evaluate(
  gold: readonly string[],
  ranked: readonly (readonly string[])[],
  labels?: readonly string[],
): Metrics {
  if (gold.length !== ranked.length) throw new Error('evaluate: gold and predictions differ in length');
  const labelSet = labels ? [...labels] : [...new Set(gold)].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const support = new Map<string, number>();
  let correct = 0;
  let top3 = 0;
  gold.forEach((g, i) => {
    const predictions = ranked[i]!;
    const first = predictions[0];
    support.set(g, (support.get(g) ?? 0) + 1);
    if (first === g) {
      correct++;
      tp.set(g, (tp.get(g) ?? 0) + 1);
    } else if (first !== undefined) {
      fp.set(first, (fp.get(first) ?? 0) + 1);
    }
    if (predictions.slice(0, 3).includes(g)) top3++;
  });
  const perLabel: Record<string, LabelMetrics> = {};
  let f1Sum = 0;
  let counted = 0;
  for (const label of labelSet) {
    const t = tp.get(label) ?? 0;
    const s = support.get(label) ?? 0;
    const predicted = t + (fp.get(label) ?? 0);
    const precision = predicted > 0 ? t / predicted : 0;
    const recall = s > 0 ? t / s : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel[label] = { precision, recall, f1, support: s };
    if (s === 0 && predicted === 0) continue;
    f1Sum += f1;
    counted++;
  }
  const n = gold.length;
  return {
    accuracy: n > 0 ? correct / n : 0,
    macroF1: counted > 0 ? f1Sum / counted : 0,
    top3Accuracy: n > 0 ? top3 / n : 0,
    perLabel,
  };
}

/** Mean and sample standard deviation of a list of numbers. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}
