/**
 * Every formula line the scoring writes reads back into its numbers (`formulaParts`), so the pages can word it in
 * the reader's language while the published result keeps its English line; the numbers equal the indicator's own.
 */
import { describe, expect, it } from 'vitest';
import { aggregate, emptyAcc } from '../stats/aggregate.ts';
import { statsFact } from '../../../test/helpers/stats-fact.ts';
import { DATA_INDICATORS, formulaParts, RUBRIC_INDICATORS, scoreGroup, type Weights } from './scoring.ts';

const every: Weights = Object.fromEntries([...DATA_INDICATORS, ...RUBRIC_INDICATORS].map((i) => [i, 1]));
const acc = aggregate([statsFact(), statsFact({ verifiedOnTime: false })], 'all').get('all')!;
const participant = (agencyId: string, population: number | null) => ({
  agencyId,
  name: agencyId,
  acc,
  population,
  admins: 8,
  activeAdmins: 5,
  rubric: { inovasi: [70, 85] },
});

describe('formulaParts', () => {
  it('reads back every line of a scored group, with the indicator’s numbers', () => {
    for (const population of [688_318, null]) {
      const [r] = scoreGroup(
        [participant('a', population), { ...participant('b', population), acc: emptyAcc() }],
        { weightsVersion: 1, weights: every, thresholds: [{ predikat: 'Baik', min: 0 }], minVolume: 0 },
      );
      for (const i of r!.indicators) {
        const p = formulaParts(i.formula);
        expect(p, i.formula).not.toBeNull();
        if (!p) continue;
        if (p.kind === 'rate')
          expect([p.successes, p.trials]).toEqual([i.interval!.successes, i.interval!.trials]);
        if (p.kind === 'volume_per_capita')
          expect([p.received, p.population, p.volume]).toEqual([2, 688_318, i.value]);
        if (p.kind === 'volume') expect([p.received, p.max]).toEqual([2, 2]);
        if (p.kind === 'admin_activity') expect([p.active, p.admins]).toEqual([5, 8]);
        if (p.kind === 'rubric') expect(p.scores).toEqual(i.indicator === 'inovasi' ? [70, 85] : []);
      }
      expect(r!.indicators.map((i) => formulaParts(i.formula)!.kind)).toContain(
        population === null ? 'volume' : 'volume_per_capita',
      );
    }
  });

  it('is null for a line of no known form (shown as it is)', () => {
    expect(formulaParts('volume: something else')).toBeNull();
    expect(formulaParts('')).toBeNull();
  });
});
