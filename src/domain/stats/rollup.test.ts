/**
 * The roll-up vectors (counters + bucketed histograms) give the same indicators as the exact
 * accumulator (`aggregate` + `indicatorsOf`) whenever durations fall in exact buckets, and documented
 * approximations above; the range planner covers every day exactly once.
 */
import { describe, expect, it } from 'vitest';
import { histQuantile } from '../evaluation/formulas.ts';
import { aggregate, emptyAcc, indicatorsOf, type StatsFact } from './aggregate.ts';
import {
  addVectors,
  bucketOf,
  bucketQuantile,
  bucketsOf,
  COUNTERS,
  emptyVectors,
  factBuckets,
  factCounters,
  HISTOGRAMS,
  HOUR_LOWS,
  indicatorsFromVectors,
  planRange,
  WORKING_DAY_LOWS,
  type RollupVectors,
} from './rollup.ts';

/** A deterministic pseudo-random sequence (tests must be reproducible). */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function fact(r: () => number, maxDays: number, maxHours: number): StatsFact {
  const verified = r() < 0.9;
  const followed = verified && r() < 0.8;
  const completed = followed && r() < 0.7;
  return {
    createdDate: '2026-03-12',
    agencyPath: ['root', r() < 0.5 ? 'a' : 'b'],
    regionCode: '64.72.02',
    categoryId: 1,
    classification: 'pengaduan',
    channel: 'web',
    verified,
    verifiedOnTime: verified ? r() < 0.7 : r() < 0.5 ? null : false,
    dispatched: verified,
    returnCount: r() < 0.1 ? 1 : 0,
    misroutedWorkingDays: r() < 0.1 ? 2 : 0,
    followedUpOnTime: followed ? r() < 0.6 : null,
    completed,
    workingDaysToFollowUp: followed ? Math.floor(r() * maxDays) : null,
    hoursToFollowUp: followed ? Math.floor(r() * maxHours) : null,
    workingDaysToCompletion: completed ? Math.floor(r() * maxDays) : null,
    rating: completed && r() < 0.8 ? 1 + Math.floor(r() * 5) : null,
    disputed: r() < 0.05,
    reopenCount: r() < 0.05 ? 1 : 0,
  };
}

function vectorsOf(facts: StatsFact[]): RollupVectors {
  const v = emptyVectors();
  for (const f of facts) {
    const one = emptyVectors();
    factCounters(f).forEach((n, i) => (one.c[i] = n));
    const b = factBuckets(f);
    if (b.fu !== null) one.h[HISTOGRAMS.wdFollowUp.offset + b.fu]! += 1;
    if (b.fuh !== null) one.h[HISTOGRAMS.hoursFollowUp.offset + b.fuh]! += 1;
    if (b.co !== null) one.h[HISTOGRAMS.wdCompletion.offset + b.co]! += 1;
    addVectors(v, one);
  }
  return v;
}

describe('roll-up vectors', () => {
  it('count the reports handed to the Ombudsman (status transferred) before overdue, as the accumulator does', () => {
    const r = rng(7);
    const facts = Array.from({ length: 40 }, (_, i) => ({
      ...fact(r, 11, 3),
      status: i % 8 === 0 ? 'transferred' : 'dispatched',
    }));
    const v = vectorsOf(facts);
    expect(COUNTERS.indexOf('transferred')).toBe(COUNTERS.indexOf('overdue') - 1);
    expect(indicatorsFromVectors(v).transferred).toBe(5);
    expect(indicatorsOf(aggregate(facts, 'all').get('all')!, 0).transferred).toBe(5);
    // A stored fact without a status (or any other status) is not transferred.
    expect(factCounters(fact(r, 11, 3))[COUNTERS.indexOf('transferred')]).toBe(0);
  });

  it('equal the exact accumulator when durations are in exact buckets (≤ 10 working days, ≤ 2 hours)', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const r = rng(seed);
      const facts = Array.from({ length: 300 }, () => fact(r, 11, 3));
      const exact = indicatorsOf(aggregate(facts, 'all').get('all') ?? emptyAcc(), 0);
      expect(indicatorsFromVectors(vectorsOf(facts)), `seed ${seed}`).toEqual(exact);
    }
  });

  it('agree on every count and rate for any durations; quantiles stay within their bucket', () => {
    const r = rng(7);
    const facts = Array.from({ length: 500 }, () => fact(r, 120, 500));
    const exact = indicatorsOf(aggregate(facts, 'all').get('all') ?? emptyAcc(), 0);
    const approx = indicatorsFromVectors(vectorsOf(facts));
    const { medianHoursToFollowUp: _a, ...exactCounts } = {
      ...exact,
      medianWorkingDaysToFollowUp: 0,
      p90WorkingDaysToFollowUp: 0,
      medianWorkingDaysToCompletion: 0,
      p90WorkingDaysToCompletion: 0,
    };
    const { medianHoursToFollowUp: _b, ...approxCounts } = {
      ...approx,
      medianWorkingDaysToFollowUp: 0,
      p90WorkingDaysToFollowUp: 0,
      medianWorkingDaysToCompletion: 0,
      p90WorkingDaysToCompletion: 0,
    };
    expect(approxCounts).toEqual(exactCounts);
    const sameBucket = (a: number | null, b: number | null, lows: readonly number[]) => {
      expect(a === null, String(a)).toBe(b === null);
      if (a !== null && b !== null) {
        expect(bucketOf(Math.floor(a), lows)).toBe(bucketOf(Math.floor(b), lows));
      }
    };
    sameBucket(approx.p90WorkingDaysToFollowUp, exact.p90WorkingDaysToFollowUp, WORKING_DAY_LOWS);
    sameBucket(approx.medianWorkingDaysToCompletion, exact.medianWorkingDaysToCompletion, WORKING_DAY_LOWS);
    sameBucket(approx.medianHoursToFollowUp, exact.medianHoursToFollowUp, HOUR_LOWS);
  });

  it('bucketQuantile: exact buckets, spread inside ranged buckets, open last bucket', () => {
    const lows = [0, 1, 2, 10, 20];
    const cases: [number[], number, number | null][] = [
      [[0, 0, 0, 0, 0], 0.5, null],
      [[0, 3, 0, 0, 0], 0.5, 1],
      [[1, 1, 1, 0, 0], 0.5, 1],
      [[0, 0, 0, 1, 0], 0.5, 10], // one value in 10–19 → its lower bound
      [[0, 0, 0, 2, 0], 0.5, 14.5], // two values spread 10 … 19
      [[0, 0, 0, 0, 5], 0.9, 20], // open bucket: lower bound
      [[1, 0, 1, 0, 0], 0.5, 1], // interpolation between ranks, as histQuantile
    ];
    for (const [counts, q, want] of cases) expect(bucketQuantile(counts, lows, q), String(counts)).toBe(want);
    expect(bucketQuantile([1, 0, 1, 0, 0], lows, 0.5)).toBe(histQuantile({ 0: 1, 2: 1 }, 0.5));
  });

  it('has one counter per published count and the overdue counter last', () => {
    expect(COUNTERS.at(-1)).toBe('overdue');
    expect(bucketOf(-3, WORKING_DAY_LOWS)).toBe(0);
    expect(bucketOf(10, WORKING_DAY_LOWS)).toBe(10);
    expect(WORKING_DAY_LOWS[bucketOf(17, WORKING_DAY_LOWS)]).toBe(15);
    expect(WORKING_DAY_LOWS[bucketOf(500, WORKING_DAY_LOWS)]).toBe(60);
    expect(HOUR_LOWS[bucketOf(25, HOUR_LOWS)]).toBe(24);
  });
});

describe('planRange', () => {
  const all = ['y', 'q', 'm', 'w'] as const;
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = Date.parse(from); d <= Date.parse(to); d += 86_400_000)
      out.push(new Date(d).toISOString().slice(0, 10));
    return out;
  };
  const covered = (plan: ReturnType<typeof planRange>) => {
    const out: string[] = [];
    const ends: Record<string, (b: string) => string> = {
      y: (b) => `${b.slice(0, 4)}-12-31`,
      q: (b) => new Date(Date.UTC(+b.slice(0, 4), +b.slice(5, 7) + 2, 0)).toISOString().slice(0, 10),
      m: (b) => new Date(Date.UTC(+b.slice(0, 4), +b.slice(5, 7), 0)).toISOString().slice(0, 10),
      w: (b) => new Date(Date.parse(b) + 6 * 86_400_000).toISOString().slice(0, 10),
      d: (b) => b,
    };
    for (const b of plan.buckets) out.push(...days(b.bucket, ends[b.grain]!(b.bucket)));
    for (const [a, b] of plan.days) out.push(...days(a, b));
    return out.sort();
  };

  it('covers every day exactly once with the largest units', () => {
    for (const [from, to] of [
      ['2025-11-20', '2026-11-19'],
      ['2026-01-01', '2026-11-19'],
      ['2024-01-01', '2026-12-31'],
      ['2026-03-12', '2026-03-12'],
      ['2026-02-23', '2026-03-08'],
    ] as const) {
      for (const grains of [all, [...all, 'd'] as const, ['m'] as const, [] as const]) {
        for (const byMonth of [false, true]) {
          const plan = planRange(from, to, grains, byMonth);
          expect(covered(plan), `${from}..${to} ${grains.join('')} ${byMonth}`).toEqual(days(from, to));
          // With a latest date of receipt: buckets + days - minus cover the range once; any other day a
          // bucket holds is after the latest date (no facts).
          for (const last of [to, days(to, '2027-01-31')[1]!, '2026-12-20']) {
            const p = planRange(from, to, grains, byMonth, last);
            const got = covered(p);
            const subtracted = [
              ...p.minus.flatMap(([a, b]) => days(a, b)),
              ...covered({ buckets: p.minusBuckets, days: [], minusBuckets: [], minus: [] }),
            ];
            for (const d of subtracted) {
              expect(d > to && d <= last).toBe(true);
              got.splice(got.indexOf(d), 1);
            }
            const upTo = to > last ? to : last;
            expect(
              got.filter((d) => d <= upTo),
              `${from}..${to} ${grains.join('')} ${byMonth} ${last}`,
            ).toEqual(days(from, to));
          }
          if (byMonth) {
            for (const [a, b] of plan.days) expect(a.slice(0, 7)).toBe(b.slice(0, 7));
            for (const b of plan.buckets) expect(['m', 'w', 'd']).toContain(b.grain);
          }
        }
      }
    }
    const year = planRange('2026-01-01', '2026-11-19', all);
    expect(year.buckets.map((b) => `${b.grain}${b.bucket}`)).toEqual([
      'q2026-01-01',
      'q2026-04-01',
      'q2026-07-01',
      'm2026-10-01',
      'w2026-11-02',
      'w2026-11-09',
    ]);
    expect(year.days).toEqual([
      ['2026-11-01', '2026-11-01'],
      ['2026-11-16', '2026-11-19'],
    ]);
    expect(planRange('2024-01-01', '2025-12-31', all).buckets.map((b) => b.grain)).toEqual(['y', 'y']);
    // With national day rows no day is left to the per-report facts.
    const withDays = planRange('2025-11-20', '2026-11-19', [...all, 'd']);
    expect(withDays.days).toEqual([]);
    expect(withDays.buckets.filter((b) => b.grain === 'd').map((b) => b.bucket)).toEqual([
      '2025-11-20',
      '2025-11-21',
      '2025-11-22',
      '2025-11-23',
      '2026-11-01',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
    ]);
    expect(planRange('2026-04-01', '2026-03-01', all)).toEqual({
      buckets: [],
      days: [],
      minusBuckets: [],
      minus: [],
    });
  });

  it('with an open end (nothing received after `to`), units may end after `to`', () => {
    // "This year to date": one year bucket instead of quarters, a month, weeks and days.
    expect(planRange('2026-01-01', '2026-11-19', all, false, '2026-11-19')).toEqual({
      buckets: [{ grain: 'y', bucket: '2026-01-01' }],
      days: [],
      minusBuckets: [],
      minus: [],
    });
    expect(planRange('2025-11-20', '2026-11-19', ['m'], false, '2026-11-19')).toEqual({
      buckets: [
        { grain: 'm', bucket: '2025-12-01' },
        ...Array.from({ length: 11 }, (_, i) => ({
          grain: 'm' as const,
          bucket: `2026-${String(i + 1).padStart(2, '0')}-01`,
        })),
      ],
      days: [['2025-11-20', '2025-11-30']],
      minusBuckets: [],
      minus: [],
    });
    // Grouped by month: still no unit crosses a month boundary.
    const byMonth = planRange('2026-10-15', '2026-11-19', ['y', 'q', 'm'], true, '2026-11-19');
    expect(byMonth.buckets).toEqual([{ grain: 'm', bucket: '2026-11-01' }]);
    expect(byMonth.days).toEqual([['2026-10-15', '2026-10-31']]);
    // One day received after `to`: the year bucket minus that day's facts (instead of 19 days of facts).
    expect(planRange('2026-01-01', '2026-11-19', ['y', 'q', 'm'], false, '2026-11-20')).toEqual({
      buckets: [{ grain: 'y', bucket: '2026-01-01' }],
      days: [],
      minusBuckets: [],
      minus: [['2026-11-20', '2026-11-20']],
    });
    // Nationally (day rows): the year minus the day row, instead of 3 quarters, a month, 2 weeks and 5 days.
    expect(planRange('2026-01-01', '2026-11-19', [...all, 'd'], false, '2026-11-20')).toEqual({
      buckets: [{ grain: 'y', bucket: '2026-01-01' }],
      days: [],
      minusBuckets: [{ grain: 'd', bucket: '2026-11-20' }],
      minus: [],
    });
    expect(planRange('2026-01-01', '2026-11-19', ['m'], true, '2026-11-20').minus).toEqual([
      ['2026-11-20', '2026-11-20'],
    ]);
    // Not when the subtraction costs more than it saves.
    expect(planRange('2026-01-01', '2026-11-05', ['y', 'q', 'm'], false, '2026-11-20').minus).toEqual([]);
    expect(planRange('2026-01-01', '2026-06-30', [...all, 'd'], false, '2026-11-20').minusBuckets).toEqual(
      [],
    );
  });

  it('bucketsOf names the day, week (Monday), month, quarter and year of a date', () => {
    expect(bucketsOf('2026-03-12')).toEqual({
      d: '2026-03-12',
      w: '2026-03-09',
      m: '2026-03-01',
      q: '2026-01-01',
      y: '2026-01-01',
    });
    expect(bucketsOf('2026-11-01')).toEqual({
      d: '2026-11-01',
      w: '2026-10-26',
      m: '2026-11-01',
      q: '2026-10-01',
      y: '2026-01-01',
    });
  });
});
