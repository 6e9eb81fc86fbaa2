import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  applyHolidayCorrections,
  tryParseHolidayCorrections,
  deadlinePassedCutoff,
  endOfLocalDay,
  formatIsoInZone,
  zoneOfIso,
  isWorkingDay,
  localDate,
  makeCalendar,
  MIN_NATIONAL_HOLIDAYS_PER_YEAR,
  missingCalendarWarning,
  nextWorkingDay,
  nthWorkingDayBack,
  parseHolidayCsv,
  reminderHorizon,
  regionCovers,
  tryParseHolidayCsv,
  workingDaysBetween,
  workingDaysCutoff,
  yearsCovered,
  zoneForRegion,
  type Holiday,
} from './calendar.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ASSET_CSV = readFileSync(path.join(repoRoot, 'src/assets/holidays.csv'), 'utf8');
const HOLIDAYS = parseHolidayCsv(ASSET_CSV);
/** The table as a database stores it: the source's "belum pasti" column is not kept (the SKB years are confirmed). */
const STORED = HOLIDAYS.map(({ tentative: _t, ...h }) => h);
const SHARED_CSV_PATH = path.resolve(repoRoot, '../shared/data/holidays/holidays.csv');
const HAVE_SHARED = existsSync(SHARED_CSV_PATH);

const WIB = makeCalendar('WIB', HOLIDAYS);

describe('parseHolidayCsv', () => {
  it('parses the bundled table: 346 rows minus 5 pre-2024 Easter Sundays', () => {
    expect(HOLIDAYS).toHaveLength(341);
    const kinds: Record<string, number> = {};
    for (const h of HOLIDAYS) kinds[h.kind] = (kinds[h.kind] ?? 0) + 1;
    // 277 + 58 from the README, plus the 2 conflict rows (both named "Cuti Bersama …").
    expect(kinds).toEqual({ libur_nasional: 277, cuti_bersama: 60, libur_nasional_khusus: 4 });
    expect(HOLIDAYS.filter((h) => h.tentative)).toHaveLength(8);
    expect(HOLIDAYS.find((h) => h.date === '2018-04-01')).toBeUndefined();
    expect(new Set(HOLIDAYS.map((h) => h.date)).size).toBe(341);
  });

  it('treats both conflict rows as non-working days', () => {
    for (const date of ['2024-06-18', '2026-03-20']) {
      expect(HOLIDAYS.find((h) => h.date === date)?.kind).toBe('cuti_bersama');
      expect(isWorkingDay(date, WIB)).toBe(false);
    }
  });

  it('has no quoted fields in the bundled file (simple comma split is safe)', () => {
    expect(ASSET_CSV.includes('"')).toBe(false);
  });

  it('accepts LF and CRLF, a BOM, and an optional region_code column', () => {
    const text = '\uFEFFdate,name,kind,region_code\n2025-03-03,Hari Jadi Kota,regional,64.71\r\n\n';
    expect(parseHolidayCsv(text)).toEqual([
      { date: '2025-03-03', name: 'Hari Jadi Kota', kind: 'regional', regionCode: '64.71' },
    ]);
  });

  it('reports bad files with a code and line number instead of guessing', () => {
    const bad = (text: string): string => {
      const r = tryParseHolidayCsv(text);
      return r.ok ? 'ok' : r.error.code + ' ' + r.error.message;
    };
    expect(bad('day,name\n')).toMatch(/^HOLIDAY_CSV_HEADER/);
    expect(bad('date,name,kind\n2025-02-30,X,libur_nasional')).toMatch(/line 2: invalid date/);
    expect(bad('date,name,kind\n2025-02-03,X,holiday')).toMatch(/unknown kind/);
    expect(bad('date,name,kind\n2025-02-03,"X, Y",libur_nasional')).toMatch(/quoted/);
    expect(bad('date,name,kind\n2025-02-03,X,regional')).toMatch(/without region_code/);
    expect(() => parseHolidayCsv('date,name,kind\n2025-02-03,X,libur_nasional,extra')).toThrow(/line 2/);
  });

  it.skipIf(!HAVE_SHARED)(
    `matches the shared reference table ${HAVE_SHARED ? '' : `(SKIPPED: ${SHARED_CSV_PATH} not found)`}`,
    () => {
      expect(parseHolidayCsv(readFileSync(SHARED_CSV_PATH, 'utf8'))).toEqual(HOLIDAYS);
    },
  );
});

/** The 2026 national holidays and cuti bersama of the SKB 3 Menteri (17 + 8; domain.md §5.4). */
const SKB_2026: Array<[string, Holiday['kind']]> = [
  ['2026-01-01', 'libur_nasional'],
  ['2026-01-16', 'libur_nasional'],
  ['2026-02-16', 'cuti_bersama'],
  ['2026-02-17', 'libur_nasional'],
  ['2026-03-18', 'cuti_bersama'],
  ['2026-03-19', 'libur_nasional'],
  ['2026-03-20', 'cuti_bersama'],
  ['2026-03-21', 'libur_nasional'],
  ['2026-03-22', 'libur_nasional'],
  ['2026-03-23', 'cuti_bersama'],
  ['2026-03-24', 'cuti_bersama'],
  ['2026-04-03', 'libur_nasional'],
  ['2026-04-05', 'libur_nasional'],
  ['2026-05-01', 'libur_nasional'],
  ['2026-05-14', 'libur_nasional'],
  ['2026-05-15', 'cuti_bersama'],
  ['2026-05-27', 'libur_nasional'],
  ['2026-05-28', 'cuti_bersama'],
  ['2026-05-31', 'libur_nasional'],
  ['2026-06-01', 'libur_nasional'],
  ['2026-06-16', 'libur_nasional'],
  ['2026-08-17', 'libur_nasional'],
  ['2026-08-25', 'libur_nasional'],
  ['2026-12-24', 'cuti_bersama'],
  ['2026-12-25', 'libur_nasional'],
];

describe('holiday corrections (src/assets/holidays-corrections.csv)', () => {
  const text = readFileSync(path.join(repoRoot, 'src/assets/holidays-corrections.csv'), 'utf8');
  const parsed = tryParseHolidayCorrections(text);

  it('turns the bundled 2026 rows into the SKB: 17 national holidays + 8 cuti bersama, confirmed names', () => {
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.map((c) => `${c.date} ${c.action}`)).toEqual([
      '2026-05-02 remove',
      '2026-05-28 set',
      '2026-05-31 set',
      '2026-06-16 set',
      '2026-06-17 remove',
      '2026-08-25 set',
      '2026-08-26 remove',
    ]);
    for (const c of parsed.value) expect(c.reason.length).toBeGreaterThan(20);
    // The raw table really has the three extra days (so the corrections are needed) …
    const raw2026 = HOLIDAYS.filter((h) => h.date.startsWith('2026'));
    expect(raw2026).toHaveLength(28);
    expect(raw2026.filter((h) => h.name.includes('belum pasti'))).toHaveLength(3);
    // … and the corrected one is exactly the SKB.
    const fixed = applyHolidayCorrections(HOLIDAYS, parsed.value);
    const y2026 = fixed.filter((h) => h.date.startsWith('2026'));
    expect(y2026.map((h) => [h.date, h.kind])).toEqual(SKB_2026);
    expect(y2026.filter((h) => h.kind === 'libur_nasional')).toHaveLength(17);
    expect(y2026.filter((h) => h.kind === 'cuti_bersama')).toHaveLength(8);
    expect(y2026.filter((h) => /belum pasti/i.test(h.name))).toEqual([]);
    expect(y2026.find((h) => h.date === '2026-05-28')).toEqual({
      date: '2026-05-28',
      name: 'Cuti Bersama Idul Adha',
      kind: 'cuti_bersama',
    });
    // Other years are untouched.
    expect(fixed.filter((h) => !h.date.startsWith('2026'))).toEqual(
      HOLIDAYS.filter((h) => !h.date.startsWith('2026')),
    );
    // Wednesday 17 June and Wednesday 26 August 2026 are working days again.
    const cal = makeCalendar('WIB', fixed);
    for (const d of ['2026-06-17', '2026-08-26']) expect(isWorkingDay(d, cal)).toBe(true);
    expect(isWorkingDay('2026-06-17', WIB)).toBe(false); // the uncorrected table
  });

  it('never touches regional rows, adds a missing date and fails on a stale removal', () => {
    const regional: Holiday = {
      date: '2026-06-17',
      name: 'Hari Jadi',
      kind: 'regional',
      regionCode: '64.71',
    };
    const base: Holiday[] = [{ date: '2026-06-17', name: 'X', kind: 'libur_nasional' }, regional];
    expect(applyHolidayCorrections(base, [{ date: '2026-06-17', action: 'remove', reason: 'r' }])).toEqual([
      regional,
    ]);
    expect(() =>
      applyHolidayCorrections([regional], [{ date: '2026-06-17', action: 'remove', reason: 'r' }]),
    ).toThrow(/no national holiday on 2026-06-17/);
    expect(
      applyHolidayCorrections(
        [],
        [{ date: '2027-01-01', action: 'set', kind: 'libur_nasional', name: 'Tahun Baru', reason: 'r' }],
      ),
    ).toEqual([{ date: '2027-01-01', name: 'Tahun Baru', kind: 'libur_nasional' }]);
  });

  it('reports bad correction files with a line number', () => {
    const bad = (body: string): string => {
      const r = tryParseHolidayCorrections(`date,action,kind,name,reason\n${body}`);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(bad('2026-06-17,remove,,,why, with a comma')).toBe('ok');
    expect(bad('2026-02-30,remove,,,why')).toMatch(/line 2: invalid date/);
    expect(bad('2026-06-17,drop,,,why')).toMatch(/unknown action/);
    expect(bad('2026-06-17,remove,,,')).toMatch(/needs its reason/);
    expect(bad('2026-06-17,set,regional,X,why')).toMatch(/national kind/);
    expect(bad('2026-06-17,set,libur_nasional,,why')).toMatch(/needs a name/);
    expect(bad('2026-06-17,remove,,,a\n2026-06-17,remove,,,b')).toMatch(/line 3: second correction/);
    expect(bad('2026-06-17,remove,,"X",why')).toMatch(/quoted/);
    expect(tryParseHolidayCorrections('date,action\n').ok).toBe(false);
  });
});

describe('zoneForRegion', () => {
  it('maps every Kemendagri province code to its zone', () => {
    const wita = ['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76'];
    const wit = ['81', '82', '91', '92', '93', '94', '95', '96'];
    const wib = [
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '21',
      '31',
      '32',
      '33',
      '34',
      '35',
      '36',
      '61',
      '62',
    ];
    expect(wita.length + wit.length + wib.length).toBe(38);
    for (const p of wita) expect(zoneForRegion(p), p).toBe('WITA');
    for (const p of wit) expect(zoneForRegion(p), p).toBe('WIT');
    for (const p of wib) expect(zoneForRegion(p), p).toBe('WIB');
  });

  it('uses the province part of longer codes', () => {
    expect(zoneForRegion('64.71.02')).toBe('WITA'); // Samarinda
    expect(zoneForRegion('91.71')).toBe('WIT'); // Jayapura
    expect(zoneForRegion('31.71.01.1001')).toBe('WIB');
    expect(zoneForRegion('61.71')).toBe('WIB'); // Pontianak
  });
});

describe('local dates and instants', () => {
  const instant = new Date('2025-01-09T15:30:00Z');

  it('gives the local date per zone', () => {
    expect(localDate(instant, 'WIB')).toBe('2025-01-09');
    expect(localDate(instant, 'WITA')).toBe('2025-01-09');
    expect(localDate(instant, 'WIT')).toBe('2025-01-10');
  });

  it('formats ISO 8601 with the zone offset', () => {
    expect(formatIsoInZone(instant, 'WIB')).toBe('2025-01-09T22:30:00.000+07:00');
    expect(formatIsoInZone(instant, 'WITA')).toBe('2025-01-09T23:30:00.000+08:00');
    expect(formatIsoInZone(instant, 'WIT')).toBe('2025-01-10T00:30:00.000+09:00');
    expect(new Date(formatIsoInZone(instant, 'WIT')).getTime()).toBe(instant.getTime());
    for (const zone of ['WIB', 'WITA', 'WIT'] as const)
      expect(zoneOfIso(formatIsoInZone(instant, zone))).toBe(zone);
    expect(zoneOfIso('2025-01-09T22:30:00.000Z')).toBeNull();
  });

  it('ends a local day at 23:59:59.999 local', () => {
    expect(endOfLocalDay('2026-03-05', 'WITA').toISOString()).toBe('2026-03-05T15:59:59.999Z');
    expect(formatIsoInZone(endOfLocalDay('2026-03-05', 'WITA'), 'WITA')).toBe(
      '2026-03-05T23:59:59.999+08:00',
    );
    expect(endOfLocalDay('2026-03-05', 'WIB').toISOString()).toBe('2026-03-05T16:59:59.999Z');
    expect(endOfLocalDay('2026-03-05', 'WIT').toISOString()).toBe('2026-03-05T14:59:59.999Z');
    expect(() => endOfLocalDay('2026-02-30', 'WIB')).toThrow(RangeError);
  });

  it('agrees between Intl (localDate) and the fixed offsets (formatIsoInZone)', () => {
    for (
      let t = Date.UTC(2015, 0, 1);
      t < Date.UTC(2031, 0, 1);
      t += 2 * 86_400_000 + 7 * 3_600_000 + 17 * 60_000
    ) {
      for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
        const d = new Date(t);
        expect(formatIsoInZone(d, zone).slice(0, 10)).toBe(localDate(d, zone));
      }
    }
  });
});

describe('makeCalendar and regional holidays', () => {
  const regional: Holiday = {
    date: '2025-03-03',
    name: 'HUT Provinsi Kaltim',
    kind: 'regional',
    regionCode: '64',
  };

  it('applies a regional holiday only inside its region', () => {
    const samarinda = makeCalendar('WITA', [...HOLIDAYS, regional], '64.71.02');
    const banjarmasin = makeCalendar('WITA', [...HOLIDAYS, regional], '63.71');
    const national = makeCalendar('WITA', [...HOLIDAYS, regional]);
    expect(isWorkingDay('2025-03-03', samarinda)).toBe(false);
    expect(isWorkingDay('2025-03-03', banjarmasin)).toBe(true);
    expect(isWorkingDay('2025-03-03', national)).toBe(true);

    const start = new Date('2025-02-28T02:00:00Z'); // Friday 10:00 WITA
    expect(addWorkingDays(start, 1, samarinda).dueDate).toBe('2025-03-04');
    expect(addWorkingDays(start, 1, samarinda).skipped).toContainEqual({
      date: '2025-03-03',
      reason: 'regional',
      name: 'HUT Provinsi Kaltim',
    });
    expect(addWorkingDays(start, 1, banjarmasin).dueDate).toBe('2025-03-03');
  });

  it('matches region prefixes by whole segments', () => {
    expect(regionCovers('64', '64.71.02')).toBe(true);
    expect(regionCovers('64.71', '64.71')).toBe(true);
    expect(regionCovers('64.7', '64.71')).toBe(false);
    expect(regionCovers('6', '64')).toBe(false);
    expect(regionCovers('64.71.02', '64.71')).toBe(false);
  });

  it('keeps the national name when a regional row shares the date', () => {
    const cal = makeCalendar(
      'WIB',
      [{ date: '2025-12-25', name: 'Libur daerah', kind: 'regional', regionCode: '31' }, ...HOLIDAYS],
      '31.71',
    );
    expect(cal.holidays.get('2025-12-25')?.kind).toBe('libur_nasional');
  });
});

describe('addWorkingDays', () => {
  // Thursday 27 March 2025, 10:00 WIB: Nyepi, Idul Fitri and seven cuti bersama days follow.
  const march27 = new Date('2025-03-27T03:00:00Z');

  it('skips Nyepi, Idul Fitri 1446 H and their cuti bersama (golden, 2025)', () => {
    const r = addWorkingDays(march27, 3, WIB);
    expect(r.dueDate).toBe('2025-04-10');
    expect(formatIsoInZone(r.dueAt, 'WIB')).toBe('2025-04-10T23:59:59.999+07:00');
    expect(r.skipped).toEqual([
      { date: '2025-03-28', reason: 'cuti_bersama', name: 'Cuti Bersama Hari Suci Nyepi' },
      { date: '2025-03-29', reason: 'libur_nasional', name: 'Hari Suci Nyepi (Tahun Baru Saka 1947)' },
      { date: '2025-03-30', reason: 'weekend' },
      { date: '2025-03-31', reason: 'libur_nasional', name: 'Hari Raya Idul Fitri 1446 Hijriyah' },
      { date: '2025-04-01', reason: 'libur_nasional', name: 'Hari Raya Idul Fitri 1446 Hijriyah' },
      { date: '2025-04-02', reason: 'cuti_bersama', name: 'Cuti Bersama Hari Raya Idul Fitri' },
      { date: '2025-04-03', reason: 'cuti_bersama', name: 'Cuti Bersama Hari Raya Idul Fitri' },
      { date: '2025-04-04', reason: 'cuti_bersama', name: 'Cuti Bersama Hari Raya Idul Fitri' },
      { date: '2025-04-05', reason: 'weekend' },
      { date: '2025-04-06', reason: 'weekend' },
      { date: '2025-04-07', reason: 'cuti_bersama', name: 'Cuti Bersama Hari Raya Idul Fitri' },
    ]);
  });

  it('gives the expected due dates for 1, 5, 10 and 14 working days from 27 March 2025', () => {
    const due = (n: number): string => addWorkingDays(march27, n, WIB).dueDate;
    expect(due(0)).toBe('2025-03-27');
    expect(due(1)).toBe('2025-04-08');
    expect(due(5)).toBe('2025-04-14');
    expect(due(10)).toBe('2025-04-22'); // 18 Apr Good Friday skipped
    expect(due(14)).toBe('2025-04-28');
  });

  it.skipIf(!HAVE_SHARED)('gives the same golden result with the shared reference table', () => {
    const shared = makeCalendar('WIB', parseHolidayCsv(readFileSync(SHARED_CSV_PATH, 'utf8')));
    expect(addWorkingDays(march27, 3, shared).dueDate).toBe('2025-04-10');
    expect(addWorkingDays(march27, 10, shared).dueDate).toBe('2025-04-22');
  });

  it('counts from the next working day even when the start day is a working day', () => {
    // Monday 2025-02-03 at 07:00 WIB: day 1 is Tuesday.
    expect(addWorkingDays(new Date('2025-02-03T00:00:00Z'), 1, WIB).dueDate).toBe('2025-02-04');
    // Same Monday at 23:59 WIB: still Monday locally.
    expect(addWorkingDays(new Date('2025-02-03T16:59:00Z'), 1, WIB).dueDate).toBe('2025-02-04');
    // One minute later it is Tuesday in WIB: day 1 is Wednesday.
    expect(addWorkingDays(new Date('2025-02-03T17:00:00Z'), 1, WIB).dueDate).toBe('2025-02-05');
  });

  it('handles a Friday-evening submission that is already Saturday in WIT', () => {
    // Friday 10 Jan 2025, 22:30 WIB = Saturday 11 Jan, 00:30 WIT.
    const friNight = new Date('2025-01-10T15:30:00Z');
    const wit = makeCalendar('WIT', HOLIDAYS, '91.71');
    expect(localDate(friNight, 'WIB')).toBe('2025-01-10');
    expect(localDate(friNight, 'WIT')).toBe('2025-01-11');
    const rWit = addWorkingDays(friNight, 3, wit);
    const rWib = addWorkingDays(friNight, 3, WIB);
    expect(rWit.dueDate).toBe('2025-01-15');
    expect(rWib.dueDate).toBe('2025-01-15');
    // Saturday is the start day in WIT (never counted, never listed), but skipped in WIB.
    expect(rWit.skipped.map((s) => s.date)).toEqual(['2025-01-12']);
    expect(rWib.skipped.map((s) => s.date)).toEqual(['2025-01-11', '2025-01-12']);
    expect(formatIsoInZone(rWit.dueAt, 'WIT')).toBe('2025-01-15T23:59:59.999+09:00');
    expect(rWit.dueAt.getTime()).toBeLessThan(rWib.dueAt.getTime());
  });

  it('gives different deadlines for the same instant in WIB, WITA and WIT', () => {
    // Thursday 9 Jan 2025, 22:30 WIB = 23:30 WITA = Friday 00:30 WIT.
    const t = new Date('2025-01-09T15:30:00Z');
    const wib = addWorkingDays(t, 3, makeCalendar('WIB', HOLIDAYS));
    const wita = addWorkingDays(t, 3, makeCalendar('WITA', HOLIDAYS));
    const wit = addWorkingDays(t, 3, makeCalendar('WIT', HOLIDAYS));
    expect([wib.dueDate, wita.dueDate, wit.dueDate]).toEqual(['2025-01-14', '2025-01-14', '2025-01-15']);
    expect(wib.dueAt.toISOString()).toBe('2025-01-14T16:59:59.999Z');
    expect(wita.dueAt.toISOString()).toBe('2025-01-14T15:59:59.999Z');
    expect(wit.dueAt.toISOString()).toBe('2025-01-15T14:59:59.999Z');
  });

  it('skips Christmas and cuti bersama 2026 and New Year 2027', () => {
    const dec23 = new Date('2026-12-23T02:00:00Z'); // Wednesday 09:00 WIB
    const r = addWorkingDays(dec23, 5, WIB);
    expect(r.dueDate).toBe('2027-01-04');
    expect(r.skipped).toEqual([
      { date: '2026-12-24', reason: 'cuti_bersama', name: 'Cuti Bersama Natal (Malam Natal)' },
      { date: '2026-12-25', reason: 'libur_nasional', name: 'Kelahiran Yesus Kristus (Natal)' },
      { date: '2026-12-26', reason: 'weekend' },
      { date: '2026-12-27', reason: 'weekend' },
      { date: '2027-01-01', reason: 'libur_nasional', name: 'Tahun Baru 2027 Masehi' },
      { date: '2027-01-02', reason: 'weekend' },
      { date: '2027-01-03', reason: 'weekend' },
    ]);
    expect(addWorkingDays(dec23, 10, WIB).dueDate).toBe('2027-01-12'); // 5 Jan Isra Mikraj skipped
  });

  it('starts on the next working day when filed on a holiday or weekend', () => {
    // Filed on Idul Fitri (Mon 31 Mar 2025): day 1 is Tue 8 Apr.
    expect(addWorkingDays(new Date('2025-03-31T05:00:00Z'), 1, WIB).dueDate).toBe('2025-04-08');
    // Filed on Sunday 2 Feb 2025: day 1 is Monday.
    expect(addWorkingDays(new Date('2025-02-02T05:00:00Z'), 1, WIB).dueDate).toBe('2025-02-03');
  });

  it('rejects negative or fractional day counts', () => {
    expect(() => addWorkingDays(march27, -1, WIB)).toThrow(RangeError);
    expect(() => addWorkingDays(march27, 1.5, WIB)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('is the inverse of addWorkingDays across 2024–2026 in every zone', () => {
    for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
      const cal = makeCalendar(zone, HOLIDAYS);
      for (let t = Date.UTC(2024, 0, 1, 1); t < Date.UTC(2027, 0, 1); t += 5 * 86_400_000 + 7 * 3_600_000) {
        const start = new Date(t);
        for (const n of [0, 1, 3, 5, 10, 14]) {
          const { dueAt, dueDate } = addWorkingDays(start, n, cal);
          expect(workingDaysBetween(start, dueAt, cal)).toBe(n);
          if (n > 0) {
            // The day before the due date is still within n - 1 working days.
            expect(workingDaysBetween(start, endOfLocalDay(addCalendarDays(dueDate, -1), zone), cal)).toBe(
              n - 1,
            );
          }
        }
      }
    }
  });

  it('is 0 when to is not after from, and counts only complete local dates after from', () => {
    const a = new Date('2025-03-27T03:00:00Z');
    expect(workingDaysBetween(a, a, WIB)).toBe(0);
    expect(workingDaysBetween(a, new Date('2025-03-20T00:00:00Z'), WIB)).toBe(0);
    expect(workingDaysBetween(a, new Date('2025-04-07T10:00:00Z'), WIB)).toBe(0); // all days off
    expect(workingDaysBetween(a, new Date('2025-04-08T01:00:00Z'), WIB)).toBe(1); // 08:00 on day 1
    expect(workingDaysBetween(new Date('2025-01-01T00:00:00Z'), new Date('2025-12-31T10:00:00Z'), WIB)).toBe(
      // 2025 has 261 weekdays; 1 Jan itself is not counted and is a holiday anyway.
      261 -
        new Set(HOLIDAYS.filter((h) => h.date.startsWith('2025') && isWeekday(h.date)).map((h) => h.date))
          .size,
    );
  });
});

function isWeekday(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
}

describe('calendar coverage', () => {
  it('lists the years with national holidays', () => {
    expect(yearsCovered(HOLIDAYS)).toEqual(Array.from({ length: 16 }, (_, i) => 2015 + i));
    expect(yearsCovered([{ date: '2031-01-02', name: 'x', kind: 'cuti_bersama' }])).toEqual([]);
    // One national holiday does not make a year: it needs MIN_NATIONAL_HOLIDAYS_PER_YEAR of them.
    const days = (n: number): Holiday[] =>
      Array.from({ length: n }, (_, i) => ({
        date: `2031-${String(i + 1).padStart(2, '0')}-02`,
        name: `Libur ${i + 1}`,
        kind: 'libur_nasional',
      }));
    expect(yearsCovered(days(1))).toEqual([]);
    expect(yearsCovered(days(MIN_NATIONAL_HOLIDAYS_PER_YEAR - 1))).toEqual([]);
    expect(yearsCovered(days(MIN_NATIONAL_HOLIDAYS_PER_YEAR))).toEqual([2031]);
  });

  it('a year with a few national holidays entered is still incomplete, and says how many', () => {
    const without2027 = STORED.filter((h) => !h.date.startsWith('2027'));
    const one: Holiday = { date: '2027-01-01', name: 'Tahun Baru', kind: 'libur_nasional' };
    const w = missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), [...without2027, one]);
    expect(w).toMatchObject({ year: 2027, entered: 1 });
    expect(w?.message.id).toContain('baru berisi 1 hari libur nasional');
    expect(w?.message.en).toContain('only 1 national holiday:');
  });

  it('warns from 1 October when next year has no national holidays', () => {
    const without2027 = STORED.filter((h) => !h.date.startsWith('2027'));
    const w = missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), without2027);
    expect(w?.year).toBe(2027);
    expect(w?.message.id).toContain('2027');
    expect(w?.message.en).toContain('2027');
    expect(missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), STORED)).toBeNull();
    // 30 Sep 23:59 WIB: not yet; 1 Oct 00:00 WIB: warns.
    expect(missingCalendarWarning(new Date('2026-09-30T16:59:00Z'), without2027)).toBeNull();
    expect(missingCalendarWarning(new Date('2026-09-30T17:00:00Z'), without2027)?.year).toBe(2027);
  });

  it('counts the predictions of a year until none are left', () => {
    const without2027 = STORED.filter((h) => !h.date.startsWith('2027'));
    const predicted = HOLIDAYS.filter((h) => h.date.startsWith('2027')).map((h, i) =>
      i % 2 ? { ...h, tentative: true } : h,
    );
    const w = missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), [...without2027, ...predicted]);
    expect(w).toMatchObject({ year: 2027, tentative: 9 });
    expect(w?.message.id).toContain('masih berisi 9 perkiraan yang belum ditetapkan SKB 3 Menteri');
    expect(w?.message.en).toContain('still holds 9 predictions not yet set by the SKB');
    // In 2027 itself, too; confirmed: no warning.
    expect(
      missingCalendarWarning(new Date('2027-03-01T03:00:00Z'), [...without2027, ...predicted])?.year,
    ).toBe(2027);
    expect(
      missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), [
        ...without2027,
        ...predicted.map(({ tentative: _t, ...h }) => h),
      ]),
    ).toBeNull();
    // A partial year with predictions says both.
    const partial = missingCalendarWarning(new Date('2026-11-28T03:00:00Z'), [
      ...without2027,
      ...predicted.slice(0, 4),
    ]);
    expect(partial).toMatchObject({ year: 2027, entered: 4, tentative: 2 });
    expect(partial?.message.en).toContain('2 2027 entries are still a prediction');
  });

  it('warns at any time of year when the current year is empty', () => {
    const without2026 = HOLIDAYS.filter((h) => !h.date.startsWith('2026'));
    expect(missingCalendarWarning(new Date('2026-02-10T03:00:00Z'), without2026)?.year).toBe(2026);
    expect(missingCalendarWarning(new Date('2026-02-10T03:00:00Z'), [])?.message.en).toMatch(
      /2026 holiday calendar/,
    );
  });
});

describe('sweep cut-offs equal the per-clock working-day arithmetic', () => {
  // A regional holiday on a Monday makes the Kaltim calendar differ from the national one.
  const regional: Holiday = { date: '2026-03-30', name: 'Hari jadi uji', kind: 'regional', regionCode: '64' };
  const cals = [
    makeCalendar('WIB', HOLIDAYS),
    makeCalendar('WITA', [...HOLIDAYS, regional], '64.72'),
    makeCalendar('WIT', HOLIDAYS, '91'),
  ];
  // Deterministic pseudo-random instants around Nyepi, Lebaran and Good Friday 2026 and year end.
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const around = (iso: string, days: number) =>
    new Date(new Date(iso).getTime() + Math.floor((rand() * 2 - 1) * days * 86_400_000));
  const reminderFromOld = (dueAt: Date, cal: (typeof cals)[number]) => {
    let d = addCalendarDays(localDate(dueAt, cal.zone), -1);
    for (let i = 0; i < 60 && !isWorkingDay(d, cal); i++) d = addCalendarDays(d, -1);
    return endOfLocalDay(addCalendarDays(d, -1), cal.zone).getTime() + 1;
  };

  it('localDate (fixed offsets) matches the tz database', () => {
    const f = (zone: 'WIB' | 'WITA' | 'WIT') =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' }[zone],
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    for (let i = 0; i < 800; i++) {
      const t = new Date(Math.floor(rand() * Date.UTC(2100, 0, 1)));
      for (const z of ['WIB', 'WITA', 'WIT'] as const) expect(localDate(t, z)).toBe(f(z).format(t));
    }
  });

  it('n working days late ⟺ dueAt < workingDaysCutoff(at, n); reminders ⟺ at ≤ dueAt ≤ reminderHorizon(at)', () => {
    const centres = ['2026-03-20T00:00:00Z', '2026-04-03T00:00:00Z', '2026-12-28T00:00:00Z'];
    for (let i = 0; i < 4000; i++) {
      const cal = cals[i % 3]!;
      const centre = centres[i % centres.length]!;
      const at = around(centre, 12);
      const due = around(centre, 20);
      for (const n of [0, 1, 2, 5, 10]) {
        const late = due.getTime() < at.getTime() && workingDaysBetween(due, at, cal) >= n;
        expect(
          due.getTime() < workingDaysCutoff(at, n, cal).getTime(),
          `${n} ${due.toISOString()} ${at.toISOString()}`,
        ).toBe(late);
      }
      const remind = at.getTime() <= due.getTime() && at.getTime() >= reminderFromOld(due, cal);
      expect(
        at.getTime() <= due.getTime() && due.getTime() <= reminderHorizon(at, cal).getTime(),
        `${cal.zone} ${due.toISOString()} ${at.toISOString()}`,
      ).toBe(remind);
    }
  });

  it('deadline of n working days passed ⟺ start < deadlinePassedCutoff(at, n)', () => {
    const centres = ['2026-03-20T00:00:00Z', '2026-04-03T00:00:00Z', '2026-12-28T00:00:00Z'];
    for (let i = 0; i < 4000; i++) {
      const cal = cals[i % 3]!;
      const centre = centres[i % centres.length]!;
      const at = around(centre, 12);
      const start = around(centre, 20);
      for (const n of [0, 1, 2, 5, 10]) {
        const due = addWorkingDays(start, n, cal).dueAt;
        expect(
          start.getTime() < deadlinePassedCutoff(at, n, cal).getTime(),
          `${cal.zone} ${n} ${start.toISOString()} ${at.toISOString()}`,
        ).toBe(due.getTime() < at.getTime());
        // Exactly at the deadline it has not passed; one millisecond later it has.
        expect(start.getTime() < deadlinePassedCutoff(due, n, cal).getTime()).toBe(false);
        expect(start.getTime() < deadlinePassedCutoff(new Date(due.getTime() + 1), n, cal).getTime()).toBe(
          true,
        );
      }
    }
  });

  it('names the exact days across Idul Fitri 2026 (WITA, regional holiday on Monday 30 March)', () => {
    const wita = cals[1]!;
    // Wed 25 March 10:00 WITA: next working day Thu 26.
    expect(formatIsoInZone(reminderHorizon(new Date('2026-03-25T10:00:00+08:00'), wita), 'WITA')).toBe(
      '2026-03-26T23:59:59.999+08:00',
    );
    // Fri 27 March: the next working day is Tue 31 (weekend, then the regional holiday on Monday).
    expect(nextWorkingDay('2026-03-27', wita)).toBe('2026-03-31');
    expect(nextWorkingDay('2026-03-27', cals[0]!)).toBe('2026-03-30');
    // Two working days back from Tue 31 March (inclusive): Tue 31, Fri 27.
    expect(nthWorkingDayBack('2026-03-31', 2, wita)).toBe('2026-03-27');
    expect(formatIsoInZone(workingDaysCutoff(new Date('2026-03-31T08:00:00+08:00'), 2, wita), 'WITA')).toBe(
      '2026-03-27T00:00:00.000+08:00',
    );
  });
});
