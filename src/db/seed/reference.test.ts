/**
 * The bundled holiday table against the certain dates: every confirmed year 2015-2026 holds each of them, and the
 * rows a new database or the admin's "load" action get for a year the SKB has not set yet.
 */
import { describe, expect, it } from 'vitest';
import { certainNationalHolidays, sameCertainHoliday } from '../../domain/deadline/certain-holidays.ts';
import {
  bundledHolidays,
  bundledYear,
  LAST_CONFIRMED_HOLIDAY_YEAR,
  predictedSeedYears,
} from './reference.ts';

describe('bundled holidays and the certain dates', () => {
  it('every confirmed year 2015-2026 holds each certain date as a national holiday', () => {
    const byDate = new Map(bundledHolidays().map((h) => [h.date, h]));
    const odd: string[] = [];
    for (let year = 2015; year <= LAST_CONFIRMED_HOLIDAY_YEAR; year++)
      for (const c of certainNationalHolidays(year)) {
        const row = byDate.get(c.date);
        expect(row, `${c.date} ${c.name}`).toBeDefined();
        expect(row!.kind, c.date).toBe('libur_nasional');
        if (!sameCertainHoliday(c.name, row!.name)) odd.push(`${c.date} ${row!.name}`);
      }
    // The one exception: in 2021 Kenaikan Isa Al Masih fell on Idul Fitri, and the table keeps one name per date.
    expect(odd).toEqual(['2021-05-13 Hari Raya Idul Fitri 1442 Hijriyah']);
  });

  it('2027: certain dates confirmed, the table rows as predictions, both Idul Adha and 1 Muharam dates kept', () => {
    const rows = bundledYear(2027);
    const by = new Map(rows.map((h) => [h.date, h]));
    expect(rows.filter((h) => !h.tentative).map((h) => h.date)).toEqual(
      certainNationalHolidays(2027).map((h) => h.date),
    );
    for (const d of ['2027-05-16', '2027-05-17', '2027-06-06', '2027-06-07', '2027-03-10', '2027-03-11'])
      expect(by.get(d)?.tentative, d).toBe(true);
    expect(by.get('2027-12-25')?.name).toBe(
      'Kelahiran Yesus Kristus (Natal) / Isra Mikraj Nabi Muhammad S.A.W.',
    );
    // Every certain date has its row in the table (Natal under Isra Mikraj): 19 rows, 11 of them predictions.
    expect(rows).toHaveLength(19);
    expect(rows.filter((h) => h.tentative)).toHaveLength(11);
  });

  it('2031 (beyond the table): only the certain dates; a confirmed year: the SKB rows, none tentative', () => {
    expect(bundledYear(2031)).toEqual(certainNationalHolidays(2031));
    const y2026 = bundledYear(2026);
    expect(y2026.some((h) => h.tentative)).toBe(false);
    expect(y2026.map((h) => h.date)).toEqual(
      bundledHolidays()
        .filter((h) => h.date.startsWith('2026-'))
        .map((h) => h.date),
    );
  });

  it('a new database gets next year from 1 November (WIB) of the last confirmed year, and every later year', () => {
    expect(predictedSeedYears(new Date('2026-10-31T16:59:00Z'))).toEqual([]);
    expect(predictedSeedYears(new Date('2026-10-31T17:00:00Z'))).toEqual([2027]);
    expect(predictedSeedYears(new Date('2027-06-01T00:00:00Z'))).toEqual([2027]);
    expect(predictedSeedYears(new Date('2028-11-15T00:00:00Z'))).toEqual([2027, 2028, 2029]);
  });
});
