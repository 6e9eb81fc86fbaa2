/**
 * Volume in a region-scope group is compared in one unit: per 100,000 inhabitants when every participant's
 * population is known, else the raw count for every participant (a kecamatan office has no population row;
 * 3 reports must never beat 0.5 per 100,000 of a city with 5 reports, nor the reverse).
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationConfig, type EvaluationSnapshot } from './evaluate.ts';
import type { StatsFact } from '../stats/aggregate.ts';
import { statsFact } from '../../../test/helpers/stats-fact.ts';

const fact = (regionCode: string): StatsFact =>
  statsFact({ agencyPath: ['kemenpanrb', 'pemkot-smd', 'kominfo-smd'], regionCode });

const agencies = [
  {
    id: 'kominfo-smd',
    name: 'Diskominfo Samarinda',
    path: '/kemenpanrb/pemkot-smd/kominfo-smd/',
    regionCode: '64.72',
  },
  {
    id: 'camat-bpp',
    name: 'Kecamatan Balikpapan Kota',
    path: '/kemenpanrb/pemkot-bpp/camat-bpp/',
    regionCode: '64.71.05',
  },
  {
    id: 'kominfo-bpp',
    name: 'Diskominfo Balikpapan',
    path: '/kemenpanrb/pemkot-bpp/kominfo-bpp/',
    regionCode: '64.71',
  },
].map((a) => ({ ...a, admins: 0, activeAdmins30d: 0 }));

const snapshot: EvaluationSnapshot = {
  // Samarinda: 5 reports; the Balikpapan Kota kecamatan: 3 (also inside Balikpapan).
  reports: [...Array(5).fill(fact('64.72.01')), ...Array(3).fill(fact('64.71.05.1001'))],
  agencies,
  regionStats: [
    { code: '64.72', population: 1_000_000 },
    { code: '64.71', population: 600_000 },
  ],
};

const cfg = (participants: string[]): EvaluationConfig => ({
  periodId: 'p',
  from: '2026-03-01',
  to: '2026-03-31',
  weightsVersion: 1,
  weights: { volume: 1 },
  thresholds: [{ predikat: 'Kurang', min: 0 }],
  minVolume: 0,
  groups: [{ id: 'r', name: 'R', scope: 'region', award: 'complaint_handling', participants }],
  rubric: [],
});

const volumes = (participants: string[]) =>
  Object.fromEntries(
    evaluate(snapshot, cfg(participants)).groups[0]!.results.map((r) => {
      const v = r.indicators.find((i) => i.indicator === 'volume')!;
      return [r.agencyId, [v.value, v.score, r.rank]];
    }),
  );

describe('region-scope volume units', () => {
  it('every population known: per 100,000 for all', () => {
    expect(volumes(['kominfo-smd', 'kominfo-bpp'])).toEqual({
      'kominfo-smd': [0.5, 100, 1],
      'kominfo-bpp': [0.5, 100, 1],
    });
  });

  it('one population unknown: raw counts for all, never per 100,000 against a raw count', () => {
    expect(volumes(['kominfo-smd', 'camat-bpp'])).toEqual({
      'kominfo-smd': [5, 100, 1],
      'camat-bpp': [3, 60, 2],
    });
    const smd = evaluate(snapshot, cfg(['kominfo-smd', 'camat-bpp'])).groups[0]!.results[0]!;
    expect(smd.indicators[0]!.formula).toBe('volume: 5 reports ÷ group max 5 × 100');
  });
});
