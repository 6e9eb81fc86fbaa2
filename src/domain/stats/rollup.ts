/**
 * The summable statistics roll-up row: a fixed vector of counters (`c`) and a fixed vector of
 * bucketed histograms (`h`), so the database can add rows with plain `sum(c[i])` and `sum(h[i])`
 * (GROUP BY over the roll-up, never over every report), and the published indicators (rates with
 * Wilson intervals, medians and p90) are computed from the summed vectors.
 * Why: dashboards must stay fast at millions of reports (issue 6 "Scale"); medians cannot be summed,
 * histograms can. Buckets are exact for small values and ranged above (docs/statistics.md
 * "Approximation"), which bounds the row size.
 */
import { ratio, round, wilson } from '../evaluation/formulas.ts';
import { SUMMED, type StatsFact, type StatsIndicators } from './aggregate.ts';

/** Counter positions in `c` (0-based; SQL arrays are 1-based: position + 1). */
export const COUNTERS = [
  ...SUMMED,
  /** Reports with a running staff clock past due at the refresh time (roll-up rows only). */
  'overdue',
] as const;
/** Counters a single report contributes (every counter but `overdue`, which depends on the refresh time). */
export const FACT_COUNTERS = COUNTERS.length - 1;

/**
 * Lower bounds of the working-day buckets: exact 0–10, then 11, 12–14, 15–19, 20–29, 30–44, 45–59 and
 * "60 or more".
 */
export const WORKING_DAY_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30, 45, 60] as const;
/**
 * Lower bounds of the hour buckets (verification → first follow-up): exact 0–2, then 3, 4–7, 8–11,
 * 12–23, 24–47, 48–71, 72–119, 120–167 and "168 h (a week) or more".
 */
export const HOUR_LOWS = [0, 1, 2, 3, 4, 8, 12, 24, 48, 72, 120, 168] as const;

/** The three histograms in `h`, in order, with their offset and bucket bounds. */
export const HISTOGRAMS = {
  wdFollowUp: { offset: 0, lows: WORKING_DAY_LOWS },
  hoursFollowUp: { offset: WORKING_DAY_LOWS.length, lows: HOUR_LOWS },
  wdCompletion: { offset: WORKING_DAY_LOWS.length + HOUR_LOWS.length, lows: WORKING_DAY_LOWS },
} as const;
/** Length of `h`. */
export const HIST_LENGTH = 2 * WORKING_DAY_LOWS.length + HOUR_LOWS.length;

/** A roll-up row's summable vectors. */
export interface RollupVectors {
  c: number[];
  h: number[];
}

/** An all-zero row. */
export function emptyVectors(): RollupVectors {
  return { c: new Array<number>(COUNTERS.length).fill(0), h: new Array<number>(HIST_LENGTH).fill(0) };
}

/** Adds `b` into `a` (in place). */
export function addVectors(a: RollupVectors, b: RollupVectors): RollupVectors {
  for (let i = 0; i < a.c.length; i++) a.c[i]! += b.c[i] ?? 0;
  for (let i = 0; i < a.h.length; i++) a.h[i]! += b.h[i] ?? 0;
  return a;
}

/** Index of the bucket holding `value` (values below 0 count as 0). */
export function bucketOf(value: number, lows: readonly number[]): number {
  const v = Math.max(0, Math.round(value));
  let i = lows.length - 1;
  while (i > 0 && lows[i]! > v) i--;
  return i;
}

/** The bucket indexes of one report: working days and hours to first follow-up, working days to completion. */
export function factBuckets(f: StatsFact): { fu: number | null; fuh: number | null; co: number | null } {
  return {
    fu: f.workingDaysToFollowUp === null ? null : bucketOf(f.workingDaysToFollowUp, WORKING_DAY_LOWS),
    fuh: f.hoursToFollowUp === null ? null : bucketOf(f.hoursToFollowUp, HOUR_LOWS),
    co: f.workingDaysToCompletion === null ? null : bucketOf(f.workingDaysToCompletion, WORKING_DAY_LOWS),
  };
}

/** The counters one report contributes (`FACT_COUNTERS` long, same order as {@link COUNTERS}). */
export function factCounters(f: StatsFact): number[] {
  const b = (x: boolean) => (x ? 1 : 0);
  return [
    1,
    b(f.verified),
    b(f.verifiedOnTime !== null),
    b(f.verifiedOnTime === true),
    b(f.dispatched),
    b(f.returnCount > 0),
    f.returnCount,
    f.misroutedWorkingDays,
    b(f.followedUpOnTime !== null),
    b(f.followedUpOnTime === true),
    b(f.completed),
    f.rating ?? 0,
    b(f.rating !== null),
    b(f.disputed),
    b(f.reopenCount > 0),
    b(f.status === 'transferred'),
  ];
}

/**
 * The q-quantile (0..1) of a bucketed histogram (`counts[offset … offset + lows.length)`), with the rank
 * interpolation of `histQuantile` (PostgreSQL `percentile_cont`). Inside a bucket [lo, hi] its n values
 * are taken as spread evenly from lo to hi (one value: lo), so single-value buckets are exact; the last
 * bucket is open and counts as its lower bound. Null when empty.
 */
export function bucketQuantile(
  counts: readonly number[],
  lows: readonly number[],
  q: number,
  offset = 0,
): number | null {
  const len = lows.length;
  let total = 0;
  for (let i = 0; i < len; i++) total += counts[offset + i] ?? 0;
  if (total === 0) return null;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < len; i++) {
      const n = counts[offset + i] ?? 0;
      if (n > 0 && rank < seen + n) {
        const lo = lows[i]!;
        const hi = i + 1 < len ? lows[i + 1]! - 1 : lo;
        return n === 1 ? lo : lo + ((hi - lo) * (rank - seen)) / (n - 1);
      }
      seen += n;
    }
    return lows[len - 1]!;
  };
  const pos = (total - 1) * q;
  const lo = valueAt(Math.floor(pos));
  const hi = valueAt(Math.ceil(pos));
  return round(lo + (hi - lo) * (pos - Math.floor(pos)), 2);
}

const at = (name: (typeof COUNTERS)[number]) => COUNTERS.indexOf(name);
const I = {
  received: at('received'),
  verified: at('verified'),
  verificationDue: at('verificationDue'),
  verifiedOnTime: at('verifiedOnTime'),
  dispatched: at('dispatched'),
  returned: at('returned'),
  returns: at('returns'),
  misroutedWorkingDays: at('misroutedWorkingDays'),
  followUpDue: at('followUpDue'),
  followedUpOnTime: at('followedUpOnTime'),
  completed: at('completed'),
  ratingSum: at('ratingSum'),
  ratingCount: at('ratingCount'),
  disputed: at('disputed'),
  reopened: at('reopened'),
  transferred: at('transferred'),
  overdue: at('overdue'),
};

/** The published indicators of one summed roll-up row (docs/statistics.md). */
export function indicatorsFromVectors(v: RollupVectors): StatsIndicators {
  const c = (i: number) => v.c[i] ?? 0;
  const completion = wilson(c(I.completed), c(I.verified));
  const q = (name: keyof typeof HISTOGRAMS, p: number) =>
    bucketQuantile(v.h, HISTOGRAMS[name].lows, p, HISTOGRAMS[name].offset);
  const ratings = c(I.ratingCount);
  return {
    received: c(I.received),
    verified: c(I.verified),
    verifiedOnTime: c(I.verifiedOnTime),
    verifiedOnTimeRate: wilson(c(I.verifiedOnTime), c(I.verificationDue)),
    dispatched: c(I.dispatched),
    returned: c(I.returned),
    returns: c(I.returns),
    misroutedWorkingDays: c(I.misroutedWorkingDays),
    followedUpOnTime: c(I.followedUpOnTime),
    followedUpOnTimeRate: wilson(c(I.followedUpOnTime), c(I.followUpDue)),
    completed: c(I.completed),
    completionRate: completion.rate,
    completionRateInterval: completion,
    overdue: c(I.overdue),
    medianHoursToFollowUp: q('hoursFollowUp', 0.5),
    medianWorkingDaysToFollowUp: q('wdFollowUp', 0.5),
    p90WorkingDaysToFollowUp: q('wdFollowUp', 0.9),
    medianWorkingDaysToCompletion: q('wdCompletion', 0.5),
    p90WorkingDaysToCompletion: q('wdCompletion', 0.9),
    satisfaction: {
      meanRating: ratings ? round(c(I.ratingSum) / ratings, 2) : null,
      ratings,
      disputed: c(I.disputed),
      disputeShare: ratio(c(I.disputed), ratings + c(I.disputed)),
    },
    reopened: c(I.reopened),
    transferred: c(I.transferred),
  };
}

/** Time grains of the roll-up: year, quarter, month, ISO week (Monday), day. Buckets are their first day. */
export type Grain = 'y' | 'q' | 'm' | 'w' | 'd';

/**
 * How a date range is read: roll-up buckets plus day ranges read from the per-report facts, minus the
 * days of the last bucket after the range end (when that is cheaper than covering the end exactly):
 * `minusBuckets` subtracted as roll-up rows, `minus` as facts.
 */
export interface RangePlan {
  buckets: { grain: Grain; bucket: string }[];
  /** Inclusive `[from, to]` local-date ranges not covered by a bucket. */
  days: [string, string][];
  /** Roll-up buckets inside a bucket of `buckets` but after the range end: subtracted. */
  minusBuckets: { grain: Grain; bucket: string }[];
  /** Inclusive local-date ranges inside a bucket but after the range end: their facts are subtracted. */
  minus: [string, string][];
}

const DAY_MS = 86_400_000;
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Last day of the grain's unit starting at `start`. */
function unitEnd(grain: Grain, start: string): string {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  if (grain === 'd') return start;
  const months = grain === 'y' ? 12 : grain === 'q' ? 3 : grain === 'm' ? 1 : 0;
  if (months === 0) return toDate(toMs(start) + 6 * DAY_MS);
  return toDate(Date.UTC(y, m - 1 + months, 1) - DAY_MS);
}

/** True when a unit of `grain` starts on `date`. */
function startsAt(grain: Grain, date: string): boolean {
  const m = Number(date.slice(5, 7));
  const first = date.endsWith('-01');
  switch (grain) {
    case 'y':
      return first && m === 1;
    case 'q':
      return first && m % 3 === 1;
    case 'm':
      return first;
    case 'w':
      return new Date(toMs(date)).getUTCDay() === 1;
    case 'd':
      return true;
  }
}

const daysIn = (ranges: readonly [string, string][]) =>
  ranges.reduce((n, [a, b]) => n + (toMs(b) - toMs(a)) / DAY_MS + 1, 0);
/** Relative read cost of a plan: a day of per-report facts weighs as much as several roll-up buckets. */
const FACT_DAY_COST = 8;
const cost = (p: RangePlan) =>
  p.buckets.length + p.minusBuckets.length + FACT_DAY_COST * (daysIn(p.days) + daysIn(p.minus));

/**
 * Covers [from, to] greedily from the left with the largest available unit that fits, else one day.
 * `grains` lists the grains the scope has roll-up rows for (largest first). With `byMonth`, no bucket
 * crosses a month boundary (weeks that do are read as days), so results can be grouped by month.
 * `lastDate`: the latest local date of receipt in the read model. Nothing was received after it, so the
 * last unit may end after `to` when reading it and subtracting its days in (to, lastDate] costs less
 * than covering [unit start, to] with smaller units and facts. "This year to date" is then one year
 * bucket, "1 January to yesterday" one year bucket minus today (a day row nationally, facts elsewhere).
 */
export function planRange(
  from: string,
  to: string,
  grains: readonly Grain[],
  byMonth = false,
  lastDate: string | null = null,
): RangePlan {
  const plan: RangePlan = { buckets: [], days: [], minusBuckets: [], minus: [] };
  // Dates compare as strings only while every year has four digits (year 10000 is "+010000", and Date.UTC reads
  // years below 100 as 19xx): refuse such a range rather than loop. Inputs are bounded to 1900–2100 at the edges.
  const plain = /^[1-8]\d{3}-\d{2}-\d{2}$/;
  if (!plain.test(from) || !plain.test(to)) throw new RangeError(`date out of range: ${from} … ${to}`);
  if (from > to) return plan;
  const usable = byMonth ? grains.filter((g) => g === 'm' || g === 'w' || g === 'd') : grains;
  let d = from;
  while (d <= to) {
    let over: RangePlan | null = null;
    const grain = usable.find((g, i) => {
      if (!startsAt(g, d)) return false;
      const end = unitEnd(g, d);
      if (byMonth && end.slice(0, 7) !== d.slice(0, 7)) return false;
      if (end <= to) return true;
      if (lastDate === null) return false;
      const after = toDate(toMs(to) + DAY_MS);
      const last = end < lastDate ? end : lastDate;
      if (last < after) return true; // nothing received after `to` inside the unit
      const exact = planRange(d, to, usable.slice(i + 1), byMonth);
      const rest = planRange(after, last, usable.slice(i + 1), byMonth);
      if (1 + cost(rest) >= cost(exact)) return false;
      over = rest;
      return true;
    });
    if (grain) {
      plan.buckets.push({ grain, bucket: d });
      const rest = over as RangePlan | null;
      if (rest) {
        plan.minusBuckets.push(...rest.buckets);
        plan.minus.push(...rest.days);
      }
      d = toDate(toMs(unitEnd(grain, d)) + DAY_MS);
      continue;
    }
    const last = plan.days[plan.days.length - 1];
    const prev = toDate(toMs(d) - DAY_MS);
    if (last && last[1] === prev && (!byMonth || last[0].slice(0, 7) === d.slice(0, 7))) last[1] = d;
    else plan.days.push([d, d]);
    d = toDate(toMs(d) + DAY_MS);
  }
  return plan;
}

/** First day of the day, week (Monday), month, quarter and year containing `date`. */
export function bucketsOf(date: string): Record<Grain, string> {
  const ms = toMs(date);
  const dow = (new Date(ms).getUTCDay() + 6) % 7;
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  const qm = String(m - ((m - 1) % 3)).padStart(2, '0');
  return {
    d: date,
    w: toDate(ms - dow * DAY_MS),
    m: `${date.slice(0, 7)}-01`,
    q: `${y}-${qm}-01`,
    y: `${y}-01-01`,
  };
}
