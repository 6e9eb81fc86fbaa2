import { describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_BONUS, NEAR_FULL_M, NEAR_RADIUS_M, proximityBonus } from './similarity.ts';

describe('proximityBonus', () => {
  it('is the full bonus up to NEAR_FULL_M, falls linearly, and is 0 from NEAR_RADIUS_M or without a point', () => {
    expect(proximityBonus(0)).toBe(DEFAULT_NEAR_BONUS);
    expect(proximityBonus(NEAR_FULL_M)).toBe(DEFAULT_NEAR_BONUS);
    const middle = (NEAR_FULL_M + NEAR_RADIUS_M) / 2;
    expect(proximityBonus(middle)).toBeCloseTo(DEFAULT_NEAR_BONUS / 2, 10);
    expect(proximityBonus(NEAR_RADIUS_M)).toBe(0);
    expect(proximityBonus(50_000)).toBe(0);
    expect(proximityBonus(null)).toBe(0);
    expect(proximityBonus(Number.NaN)).toBe(0);
    expect(proximityBonus(100, 0)).toBe(0);
    expect(proximityBonus(100, 0.2)).toBe(0.2);
  });
});
