/**
 * Table-driven tests of the unlisted-report counters in `evaluate()`: they add to the volume and to verification
 * timeliness (verified on time / measured or past due) of the region or agency they belong to, within the period
 * only; a schema 1 snapshot (no counters) evaluates on its rows alone and carries no data moment.
 */
import { describe, expect, it } from 'vitest';
import { addUnlisted, evaluate, type EvaluationConfig, type EvaluationSnapshot } from './evaluate.ts';
import { emptyAcc, type StatsFact } from '../stats/aggregate.ts';
import { statsFact } from '../../../test/helpers/stats-fact.ts';

const fact = (over: Partial<StatsFact>): StatsFact => statsFact(over);

const agencies = [
  {
    id: 'pupr-kaltim',
    name: 'Dinas PUPR',
    path: '/kemenpanrb/pemprov-kaltim/pupr-kaltim/',
    regionCode: '64',
  },
  {
    id: 'dinkes-kaltim',
    name: 'Dinkes',
    path: '/kemenpanrb/pemprov-kaltim/dinkes-kaltim/',
    regionCode: '64',
  },
  {
    id: 'kominfo-smd',
    name: 'Diskominfo Samarinda',
    path: '/kemenpanrb/pemkot-smd/kominfo-smd/',
    regionCode: '64.72',
  },
  {
    id: 'kominfo-bpp',
    name: 'Diskominfo Balikpapan',
    path: '/kemenpanrb/pemkot-bpp/kominfo-bpp/',
    regionCode: '64.71',
  },
].map((a) => ({ ...a, admins: 0, activeAdmins30d: 0 }));

const base: EvaluationSnapshot = {
  reports: [
    fact({}),
    fact({ regionCode: '64.71.01' }),
    fact({ agencyPath: ['kemenpanrb', 'pemprov-kaltim', 'dinkes-kaltim'], verifiedOnTime: false }),
  ],
  agencies,
  regionStats: [],
};

const cfg: EvaluationConfig = {
  periodId: 'p',
  from: '2026-03-01',
  to: '2026-03-31',
  weightsVersion: 1,
  weights: { verification_timeliness: 1, volume: 1 },
  thresholds: [{ predikat: 'Kurang', min: 0 }],
  minVolume: 0,
  groups: [
    {
      id: 'r',
      name: 'R',
      scope: 'region',
      award: 'complaint_handling',
      participants: ['kominfo-smd', 'kominfo-bpp'],
    },
    {
      id: 'a',
      name: 'A',
      scope: 'agency',
      award: 'complaint_handling',
      participants: ['pupr-kaltim', 'dinkes-kaltim'],
    },
  ],
  rubric: [],
};

const counts = (createdDate: string, received: number, verificationDue: number, verifiedOnTime = 0) => ({
  createdDate,
  received,
  verificationDue,
  verifiedOnTime,
});

/** [received, successes, trials] of verification timeliness for one participant. */
function timeliness(snapshot: EvaluationSnapshot, group: string, agencyId: string) {
  const r = evaluate(snapshot, cfg)
    .groups.find((g) => g.id === group)!
    .results.find((x) => x.agencyId === agencyId)!;
  const i = r.indicators.find((x) => x.indicator === 'verification_timeliness')!;
  return [r.received, i.interval!.successes, i.interval!.trials];
}

describe('unlisted counters in evaluate()', () => {
  it('addUnlisted adds received, verification due and on time, nothing else', () => {
    const acc = addUnlisted(emptyAcc(), [counts('2026-03-02', 3, 2, 1), counts('2026-03-03', 1, 0)]);
    expect(acc).toEqual({ ...emptyAcc(), received: 4, verificationDue: 2, verifiedOnTime: 1 });
  });

  const unlisted = {
    byRegion: [
      { ...counts('2026-03-05', 2, 2), regionCode: '64.72' }, // two late, unverified, in Samarinda
      { ...counts('2026-04-02', 5, 5), regionCode: '64.72' }, // after the period
      { ...counts('2026-03-05', 1, 0), regionCode: '64.71' }, // not yet due in Balikpapan
    ],
    byAgency: [
      { ...counts('2026-03-05', 2, 1), agencyPath: ['kemenpanrb', 'pemprov-kaltim', 'pupr-kaltim'] },
      {
        ...counts('2026-03-06', 1, 1, 1),
        agencyPath: ['kemenpanrb', 'pemprov-kaltim', 'dinkes-kaltim', 'x'],
      },
      { ...counts('2026-02-27', 9, 9), agencyPath: ['kemenpanrb', 'pemprov-kaltim', 'dinkes-kaltim'] },
    ],
  };

  it.each([
    // participant, schema 1 (rows only), schema 2 (rows + counters in the period)
    ['r', 'kominfo-smd', [2, 1, 2], [4, 1, 4]],
    ['r', 'kominfo-bpp', [1, 1, 1], [2, 1, 1]],
    ['a', 'pupr-kaltim', [2, 2, 2], [4, 2, 3]],
    ['a', 'dinkes-kaltim', [1, 0, 1], [2, 1, 2]],
  ] as const)('%s %s: schema 1 %j, schema 2 %j', (group, agencyId, v1, v2) => {
    expect(timeliness(base, group, agencyId)).toEqual(v1);
    expect(timeliness({ ...base, reportsAsOf: null, unlistedReports: unlisted }, group, agencyId)).toEqual(
      v2,
    );
  });

  it('a region participant below kab/kota counts the counters of its own area (schema 3), rows only before', () => {
    const camat = { ...agencies[2]!, id: 'camat-smd', name: 'Kecamatan', regionCode: '64.72.02' };
    const snap = { ...base, agencies: [...agencies, camat] };
    const areaCfg: EvaluationConfig = {
      ...cfg,
      groups: [{ ...cfg.groups[0]!, participants: ['kominfo-smd', 'camat-smd'] }],
    };
    const byArea = [
      { ...counts('2026-03-05', 1, 1), regionCode: '64.72.02' }, // one late in the kecamatan
      { ...counts('2026-03-05', 3, 3), regionCode: '64.72.09' }, // another kecamatan's area
      { ...counts('2026-04-02', 5, 5), regionCode: '64.72.02' }, // after the period
    ];
    const of = (s: EvaluationSnapshot, id: string) => {
      const r = evaluate(s, areaCfg).groups[0]!.results.find((x) => x.agencyId === id)!;
      const i = r.indicators.find((x) => x.indicator === 'verification_timeliness')!;
      return [r.received, i.interval!.successes, i.interval!.trials];
    };
    // Schema 2 (no byArea): the kecamatan counts its two rows only; the city its kab/kota counters.
    expect(of({ ...snap, unlistedReports: unlisted }, 'camat-smd')).toEqual([2, 1, 2]);
    const v3 = { ...snap, unlistedReports: { ...unlisted, byArea } };
    expect(of(v3, 'camat-smd')).toEqual([3, 1, 3]);
    expect(of(v3, 'kominfo-smd')).toEqual([4, 1, 4]); // unchanged: areas never add to the kab/kota
  });

  it('copies the data moment of a schema 2 snapshot only', () => {
    expect(evaluate(base, cfg)).not.toHaveProperty('reportsAsOf');
    const at = '2026-04-15T03:00:00.000Z';
    expect(evaluate({ ...base, reportsAsOf: at, unlistedReports: unlisted }, cfg).reportsAsOf).toBe(at);
  });
});
