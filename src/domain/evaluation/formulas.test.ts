/** Table-driven tests of the statistics and evaluation formulas. */
import { describe, expect, it } from 'vitest';
import { histAdd, histQuantile, per100k, quantile, ratio, wilson } from './formulas.ts';
import {
  canonicalJson,
  DEFAULT_THRESHOLDS,
  predikatFor,
  scoreGroup,
  type ParticipantInput,
} from './scoring.ts';
import { addFact, aggregate, emptyAcc, indicatorsOf, mergeAcc, type StatsFact } from '../stats/aggregate.ts';
import { statsFact } from '../../../test/helpers/stats-fact.ts';

describe('wilson', () => {
  it.each([
    [0, 0, null, null, null],
    [0, 10, 0, 0, 0.2775],
    [5, 10, 0.5, 0.2366, 0.7634],
    [10, 10, 1, 0.7225, 1],
    [2, 2, 1, 0.3424, 1],
    [190, 200, 0.95, 0.9104, 0.9726],
    [1, 3, 0.3333, 0.0615, 0.7923],
  ])('%i of %i → rate %s, [%s, %s]', (s, n, rate, lower, upper) => {
    const w = wilson(s, n);
    expect([w.rate, w.lower, w.upper]).toEqual([rate, lower, upper]);
  });
  it.each([
    [-1, 2],
    [3, 2],
    [1.5, 2],
  ])('rejects %s of %s', (s, n) => expect(() => wilson(s, n)).toThrow(RangeError));
});

describe('quantiles', () => {
  it.each([
    [[], 0.5, null],
    [[4], 0.5, 4],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[3, 1, 2], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    [[0, 0, 0, 10], 0.9, 7],
  ])('quantile(%j, %s) = %s', (values, q, expected) => {
    expect(quantile(values, q)).toBe(expected);
    const h = {};
    for (const v of values) histAdd(h, v);
    expect(histQuantile(h, q)).toBe(expected);
  });
});

describe('normalisation and ratios', () => {
  it.each([
    [50, 500_000, 10],
    [3, 688_318, 0.44],
    [1, 0, null],
    [1, null, null],
  ])('%i reports per 100k of %s = %s', (n, pop, expected) => expect(per100k(n, pop)).toBe(expected));
  it.each([
    [1, 3, 0.3333],
    [0, 0, null],
    [2, 2, 1],
  ])('ratio(%i, %i) = %s', (a, b, expected) => expect(ratio(a, b)).toBe(expected));
});

describe('predikat thresholds', () => {
  it.each([
    [100, 'Sangat Baik'],
    [85, 'Sangat Baik'],
    [84.99, 'Baik'],
    [70, 'Baik'],
    [55, 'Sedang'],
    [54.9, 'Kurang'],
    [0, 'Kurang'],
  ])('%s → %s', (total, p) => expect(predikatFor(total, DEFAULT_THRESHOLDS)).toBe(p));
});

const fact = (over: Partial<StatsFact> = {}): StatsFact =>
  statsFact({
    createdDate: '2026-03-01',
    agencyPath: ['pemprov-kaltim', 'pupr-kaltim'],
    followedUpOnTime: true,
    completed: true,
    workingDaysToFollowUp: 2,
    hoursToFollowUp: 20,
    workingDaysToCompletion: 6,
    rating: 5,
    ...over,
  });

describe('aggregation', () => {
  it('rolls agencies up the tree and regions up to the province', () => {
    const facts = [fact(), fact({ agencyPath: ['pemprov-kaltim', 'dinkes-kaltim'], regionCode: '64.71' })];
    const byAgency = aggregate(facts, 'agency');
    expect(byAgency.get('pemprov-kaltim')?.received).toBe(2);
    expect(byAgency.get('pupr-kaltim')?.received).toBe(1);
    const byRegion = aggregate(facts, 'region');
    expect(byRegion.get('64')?.received).toBe(2);
    expect(byRegion.get('64.72')?.received).toBe(1);
  });
  it('merging monthly accumulators equals aggregating all facts at once', () => {
    const facts = [
      fact(),
      fact({ createdDate: '2026-04-02', workingDaysToFollowUp: 5, followedUpOnTime: false, rating: null }),
      fact({
        verified: false,
        verifiedOnTime: false,
        dispatched: false,
        completed: false,
        followedUpOnTime: null,
        workingDaysToFollowUp: null,
      }),
      fact({ returnCount: 2, misroutedWorkingDays: 4, disputed: true, reopenCount: 1, rating: null }),
    ];
    const whole = aggregate(facts, 'all').get('all')!;
    const merged = mergeAcc(
      addFact(addFact(emptyAcc(), facts[0]!), facts[1]!),
      addFact(addFact(emptyAcc(), facts[2]!), facts[3]!),
    );
    expect(merged).toEqual(whole);
    const ind = indicatorsOf(whole, 1);
    expect(ind).toMatchObject({
      received: 4,
      verified: 3,
      verifiedOnTime: 3,
      followedUpOnTime: 2,
      completed: 3,
      completionRate: 1,
      returned: 1,
      returns: 2,
      misroutedWorkingDays: 4,
      overdue: 1,
      medianWorkingDaysToFollowUp: 2,
      p90WorkingDaysToFollowUp: 4.4,
      reopened: 1,
      satisfaction: { meanRating: 5, ratings: 2, disputed: 1, disputeShare: 0.3333 },
    });
  });
});

const participant = (
  id: string,
  facts: StatsFact[],
  over: Partial<ParticipantInput> = {},
): ParticipantInput => ({
  agencyId: id,
  name: id,
  acc: aggregate(facts, 'all').get('all') ?? emptyAcc(),
  population: null,
  admins: 2,
  activeAdmins: 1,
  rubric: {},
  ...over,
});

describe('scoring and ranking', () => {
  const cfg = {
    weightsVersion: 1,
    weights: { completion_rate: 1, inovasi: 1 },
    thresholds: DEFAULT_THRESHOLDS,
    minVolume: 5,
  };
  it('a tiny perfect participant is flagged and never ranked first', () => {
    const big = Array.from({ length: 200 }, (_, i) => fact({ completed: i < 190 }));
    const tiny = [fact(), fact()];
    const res = scoreGroup(
      [
        participant('tiny', tiny, { rubric: { inovasi: [100] } }),
        participant('big', big, { rubric: { inovasi: [80, 90] } }),
      ],
      cfg,
    );
    expect(res.map((r) => [r.agencyId, r.rank])).toEqual([
      ['big', 1],
      ['tiny', null],
    ]);
    expect(res[1]!.flags).toContain('below_min_volume');
    const big0 = res[0]!;
    // completion: Wilson lower of 190/200 = 0.9104 → 91.04; inovasi mean 85 (spread 10); (91.02 + 85) / 2
    expect(big0.indicators.map((i) => [i.indicator, i.score, i.spread])).toEqual([
      ['completion_rate', 91.04, undefined],
      ['inovasi', 85, 10],
    ]);
    expect(big0.total).toBe(88.02);
    expect(big0.predikat).toBe('Sangat Baik');
  });
  it('even above the minimum volume, Wilson scoring keeps small samples from winning by chance', () => {
    const five = Array.from({ length: 5 }, () => fact());
    const many = Array.from({ length: 100 }, (_, i) => fact({ completed: i < 95 }));
    const res = scoreGroup([participant('five', five), participant('many', many)], {
      ...cfg,
      weights: { completion_rate: 1 },
    });
    expect(res[0]!.agencyId).toBe('many');
  });
  it('normalises volume per 100,000 inhabitants relative to the group maximum', () => {
    const res = scoreGroup(
      [
        participant('a', [fact(), fact()], { population: 100_000 }),
        participant('b', [fact(), fact(), fact()], { population: 300_000 }),
      ],
      { ...cfg, minVolume: 0, weights: { volume: 1 } },
    );
    expect(res.map((r) => [r.agencyId, r.indicators[0]!.value, r.indicators[0]!.score])).toEqual([
      ['a', 2, 100],
      ['b', 1, 50],
    ]);
  });
  it('equal totals share a rank (competition ranking 1, 1, 3); an entry nobody assessed is not ranked', () => {
    const res = scoreGroup(
      [
        participant('c', [], { rubric: { website: [70] } }),
        participant('b', [], { rubric: { website: [80] } }),
        participant('a', [], { rubric: { website: [60, 100] } }),
        participant('d', []),
      ],
      { ...cfg, minVolume: 0, weights: { website: 1 } },
    );
    expect(res.map((r) => [r.agencyId, r.rank, r.total])).toEqual([
      ['a', 1, 80],
      ['b', 1, 80],
      ['c', 3, 70],
      ['d', null, 0],
    ]);
    expect(res[3]!.flags).toEqual(['no_assessment:website', 'not_assessed']);
    // With a data indicator weighted, a missing rubric score only scores 0 (flagged) and stays ranked.
    const mixed = scoreGroup([participant('d', [])], { ...cfg, minVolume: 0 });
    expect(mixed[0]!.rank).toBe(1);
    expect(mixed[0]!.flags).toEqual(['no_assessment:inovasi']);
  });
  it('a total below every threshold gets no predikat (not the lowest label)', () => {
    expect(predikatFor(50, [{ predikat: 'A', min: 90 }])).toBe('');
  });
  it('canonical JSON sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});
