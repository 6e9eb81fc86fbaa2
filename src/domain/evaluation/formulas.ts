/**
 * Pure statistics formulas used by the dashboards and the evaluation: Wilson score intervals,
 * quantiles (median, p90) from values or from integer histograms, and per-100,000 normalisation.
 * Why: one implementation, table-tested, shared by the app, the open-data CLI and `aduan evaluate`,
 * so that every published number can be recomputed (docs/evaluation.md).
 */

/** A proportion with its Wilson score interval (95 % by default). */
export interface Proportion {
  successes: number;
  trials: number;
  /** successes / trials, or null when there are no trials. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** Rounds to `digits` decimals (half away from zero), avoiding binary noise in published numbers. */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}

/**
 * The Wilson score interval of `successes` out of `trials`.
 * Why: unlike the plain rate, its lower bound shrinks for small samples, so a participant with
 * 2 of 2 reports on time does not outrank one with 190 of 200 by chance.
 */
export function wilson(successes: number, trials: number, z = Z95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0) {
    throw new RangeError('wilson: successes and trials must be non-negative integers');
  }
  if (successes > trials) throw new RangeError('wilson: successes > trials');
  if (trials === 0) return { successes, trials, rate: null, lower: null, upper: null };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return {
    successes,
    trials,
    rate: round(p),
    lower: round(Math.max(0, centre - half)),
    upper: round(Math.min(1, centre + half)),
  };
}

/**
 * The q-quantile (0..1) of `values` by linear interpolation between closest ranks (the same as
 * PostgreSQL `percentile_cont` and R type 7); null for an empty list.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return round(a + (b - a) * (pos - lo), 2);
}

/** A sparse histogram of non-negative integer values: value → count. */
export type Histogram = Record<string, number>;

/** Adds `value` to a histogram (in place) and returns it. */
export function histAdd(h: Histogram, value: number, count = 1): Histogram {
  const k = String(Math.max(0, Math.round(value)));
  h[k] = (h[k] ?? 0) + count;
  return h;
}

/** Merges histogram `b` into `a` (in place) and returns `a`. */
export function histMerge(a: Histogram, b: Histogram): Histogram {
  for (const [k, n] of Object.entries(b)) a[k] = (a[k] ?? 0) + n;
  return a;
}

/** Number of observations in a histogram. */
export function histCount(h: Histogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

/**
 * The q-quantile of the values a histogram holds, with the same interpolation as {@link quantile}.
 * Why: roll-up rows keep histograms of whole working days/hours, so medians and p90 of any set of
 * months and groups are exact without re-reading the reports.
 */
export function histQuantile(h: Histogram, q: number): number | null {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([, n]) => n > 0)
    .sort((x, y) => x[0] - y[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const pos = (total - 1) * q;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const [v, n] of entries) {
      seen += n;
      if (rank < seen) return v;
    }
    return entries[entries.length - 1]![0];
  };
  const lo = valueAt(Math.floor(pos));
  const hi = valueAt(Math.ceil(pos));
  return round(lo + (hi - lo) * (pos - Math.floor(pos)), 2);
}

/** `count` per 100,000 inhabitants; null when the population is unknown or zero. */
export function per100k(count: number, population: number | null | undefined): number | null {
  if (!population || population <= 0) return null;
  return round((count * 100_000) / population, 2);
}

/** `num / den`, or null when `den` is 0. */
export function ratio(num: number, den: number, digits = 4): number | null {
  return den === 0 ? null : round(num / den, digits);
}
