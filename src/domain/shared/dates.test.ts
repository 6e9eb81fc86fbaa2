import { describe, expect, it } from 'vitest';
import { isCalendarDate, isWithinDateBounds } from './dates.ts';

describe('calendar date bounds', () => {
  it('accepts real dates from 1900 to 2100 only', () => {
    for (const ok of ['1900-01-01', '2026-02-28', '2024-02-29', '2100-12-31'])
      expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of [
      '0000-01-01',
      '0001-01-01',
      '1899-12-31',
      '2101-01-01',
      '9999-12-31',
      '2026-02-30',
      '2026-13-01',
      '2026-1-01',
      '',
    ])
      expect(isCalendarDate(bad), bad).toBe(false);
  });
  it('bounds instants the same way, including extended years', () => {
    expect(isWithinDateBounds(new Date('2026-11-29T10:00:00Z'))).toBe(true);
    expect(isWithinDateBounds(new Date('0000-01-01T00:00:00Z'))).toBe(false);
    expect(isWithinDateBounds(new Date(Date.UTC(10000, 0, 1)))).toBe(false);
    expect(isWithinDateBounds(new Date('nonsense'))).toBe(false);
  });
});
