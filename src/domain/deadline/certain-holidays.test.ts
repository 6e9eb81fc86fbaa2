/** The holidays that need no SKB (computus, fixed dates) and their merge with the bundled predictions. */
import { describe, expect, it } from 'vitest';
import {
  certainNationalHolidays,
  easterSunday,
  holidaysToLoad,
  sameCertainHoliday,
} from './certain-holidays.ts';
import { addWorkingDays, makeCalendar, type Holiday } from './calendar.ts';
import { computeDeadline, DEFAULT_SLA_RULES } from './sla.ts';

describe('easterSunday (anonymous Gregorian computus)', () => {
  it('gives the known Easter Sundays, the earliest and latest possible ones included', () => {
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2031)).toBe('2031-04-13');
    expect(easterSunday(1818)).toBe('1818-03-22'); // earliest possible date
    expect(easterSunday(1943)).toBe('1943-04-25'); // latest possible date
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });
});

describe('certainNationalHolidays', () => {
  it('lists the eight certain dates of 2027, Good Friday and Ascension from Easter', () => {
    expect(certainNationalHolidays(2027).map((h) => [h.date, h.name])).toEqual([
      ['2027-01-01', 'Tahun Baru 2027 Masehi'],
      ['2027-03-26', 'Wafat Yesus Kristus'],
      ['2027-03-28', 'Hari Paskah (Kebangkitan Yesus Kristus)'],
      ['2027-05-01', 'Hari Buruh Internasional'],
      ['2027-05-06', 'Kenaikan Yesus Kristus'],
      ['2027-06-01', 'Hari Lahir Pancasila'],
      ['2027-08-17', 'Proklamasi Kemerdekaan Ke-82'],
      ['2027-12-25', 'Kelahiran Yesus Kristus (Natal)'],
    ]);
    expect(certainNationalHolidays(2027).every((h) => h.kind === 'libur_nasional' && !h.tentative)).toBe(
      true,
    );
  });

  it('leaves out Hari Paskah before 2024 and Hari Lahir Pancasila before 2017 (not in those SKBs)', () => {
    expect(certainNationalHolidays(2023).map((h) => h.date)).not.toContain(easterSunday(2023));
    expect(certainNationalHolidays(2024).map((h) => h.date)).toContain('2024-03-31');
    expect(certainNationalHolidays(2016).map((h) => h.date)).not.toContain('2016-06-01');
    expect(certainNationalHolidays(2017).map((h) => h.date)).toContain('2017-06-01');
  });
});

describe('holidaysToLoad', () => {
  const p = (date: string, name: string, kind: Holiday['kind'] = 'libur_nasional'): Holiday => ({
    date,
    name,
    kind,
  });

  it('adds the certain dates confirmed and the predictions tentative, one row per date', () => {
    const rows = holidaysToLoad(2027, [
      p('2027-01-01', 'Tahun Baru 2027 Masehi'),
      p('2027-03-10', 'Hari Raya Idul Fitri 1448 Hijriyah'),
      p('2027-05-16', 'Hari Raya Idul Adha 1448 Hijriyah'),
      p('2027-05-17', 'Hari Raya Idul Adha 1448 Hijriyah'),
      p('2027-03-12', 'Cuti Bersama Idul Fitri', 'cuti_bersama'),
      p('2027-12-25', 'Isra Mikraj Nabi Muhammad S.A.W.'),
      p('2027-06-01', 'Hari Lahirnya Pancasila'),
      p('2027-04-01', 'Hari jadi (uji)', 'regional'),
      p('2028-01-26', 'Tahun Baru Imlek 2579 Kongzili'),
    ]);
    const by = new Map(rows.map((h) => [h.date, h]));
    expect(rows).toHaveLength(8 + 4);
    expect(by.get('2027-01-01')).toEqual(p('2027-01-01', 'Tahun Baru 2027 Masehi'));
    // Both disputed Idul Adha dates stay (a missing holiday is the worse error), as predictions.
    expect(by.get('2027-05-16')?.tentative).toBe(true);
    expect(by.get('2027-05-17')?.tentative).toBe(true);
    expect(by.get('2027-03-12')).toMatchObject({ kind: 'cuti_bersama', tentative: true });
    // A prediction on a certain date keeps the certain entry, with both names.
    expect(by.get('2027-12-25')).toEqual(
      p('2027-12-25', 'Kelahiran Yesus Kristus (Natal) / Isra Mikraj Nabi Muhammad S.A.W.'),
    );
    // The table's own name of a certain holiday adds nothing.
    expect(by.get('2027-06-01')?.name).toBe('Hari Lahir Pancasila');
    expect(by.has('2027-04-01')).toBe(false);
    expect(by.has('2028-01-26')).toBe(false);
  });

  it('gives only the certain dates when nothing is predicted (2031)', () => {
    expect(holidaysToLoad(2031, [])).toEqual(certainNationalHolidays(2031));
  });

  it('recognises the names the sources give the certain holidays', () => {
    expect(sameCertainHoliday('Tahun Baru 2027 Masehi', 'Hari Tahun Baru')).toBe(true);
    expect(sameCertainHoliday('Wafat Yesus Kristus', 'Wafat Isa Al Masih')).toBe(true);
    expect(sameCertainHoliday('Kenaikan Yesus Kristus', 'Kenaikan Isa Al Masih')).toBe(true);
    expect(sameCertainHoliday('Proklamasi Kemerdekaan Ke-76', 'Hari Proklamasi Kemerdekaan R.I.')).toBe(true);
    expect(sameCertainHoliday('Kelahiran Yesus Kristus (Natal)', 'Hari Raya Natal')).toBe(true);
    expect(sameCertainHoliday('Tahun Baru 2027 Masehi', 'Tahun Baru Islam 1449 Hijriyah')).toBe(false);
    expect(sameCertainHoliday('Kenaikan Yesus Kristus', 'Hari Raya Idul Fitri 1442 Hijriyah')).toBe(false);
  });
});

describe('a tentative holiday in a deadline', () => {
  it('counts like any other and is marked as a prediction in the explanation', () => {
    const holidays: Holiday[] = [
      {
        date: '2027-05-17',
        name: 'Hari Raya Idul Adha 1448 Hijriyah',
        kind: 'libur_nasional',
        tentative: true,
      },
    ];
    const cal = makeCalendar('WIB', holidays);
    const start = new Date('2027-05-14T03:00:00Z'); // Friday
    const r = addWorkingDays(start, 1, cal);
    expect(r.dueDate).toBe('2027-05-18');
    expect(r.skipped).toContainEqual({
      date: '2027-05-17',
      reason: 'libur_nasional',
      name: 'Hari Raya Idul Adha 1448 Hijriyah',
      tentative: true,
    });
    const rule = DEFAULT_SLA_RULES.find((x) => x.dayUnit !== 'calendar')!;
    const d = computeDeadline(rule, start, cal);
    expect(d.explanation.id).toContain(
      'Idul Adha 1448 Hijriyah (libur nasional, perkiraan: belum ditetapkan SKB)',
    );
    expect(d.explanation.en).toContain('(national holiday, prediction: not yet set by the SKB)');
  });
});
