/**
 * National holidays whose dates need no SKB 3 Menteri, and the holidays to load for a year the SKB has not set yet.
 *
 * Some national holidays are fixed by law on a Gregorian date (Tahun Baru Masehi, Hari Buruh, Hari Lahir Pancasila,
 * Proklamasi, Natal) or follow Easter (Wafat Yesus Kristus, Hari Paskah, Kenaikan Yesus Kristus), which the
 * Gregorian computus gives for any year. The others (Imlek, Nyepi, the Islamic holidays, Waisak, cuti bersama)
 * depend on the SKB; for a year it has not set yet the bundled table's rows are the best prediction and are loaded
 * as tentative ("perkiraan"). This module is pure: no I/O, no clock.
 */
import { addCalendarDays, type Holiday } from './calendar.ts';

/**
 * Easter Sunday of a Gregorian year (`YYYY-MM-DD`), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
 * Why: Wafat Yesus Kristus (Good Friday), Hari Paskah and Kenaikan Yesus Kristus are national holidays whose
 * dates follow Easter, known years before any SKB.
 */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583 || year > 9999)
    throw new RangeError(`Not a Gregorian year: ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** First year whose SKB lists Hari Lahir Pancasila (Keppres 24/2016 made 1 June a national holiday from 2017). */
export const PANCASILA_FROM = 2017;
/** First year whose SKB lists Hari Paskah (Easter Sunday) as a national holiday (SKB 2024 onwards). */
export const EASTER_SUNDAY_FROM = 2024;

/**
 * The national holidays of a year whose dates are certain without an SKB, sorted by date, all `libur_nasional`
 * and not tentative: 1 January, Good Friday, Easter Sunday (from {@link EASTER_SUNDAY_FROM}), 1 May, Ascension
 * (Easter + 39 days), 1 June (from {@link PANCASILA_FROM}), 17 August and 25 December.
 * Why: these are fixed by law or by the computus, so from 1 January of a year the SKB has not set yet deadlines
 * can already skip them (Perpres 21/2023 Pasal 6).
 */
export function certainNationalHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const rows: Array<[string, string]> = [
    [`${year}-01-01`, `Tahun Baru ${year} Masehi`],
    [addCalendarDays(easter, -2), 'Wafat Yesus Kristus'],
    [`${year}-05-01`, 'Hari Buruh Internasional'],
    [addCalendarDays(easter, 39), 'Kenaikan Yesus Kristus'],
    [`${year}-08-17`, `Proklamasi Kemerdekaan Ke-${year - 1945}`],
    [`${year}-12-25`, 'Kelahiran Yesus Kristus (Natal)'],
  ];
  if (year >= EASTER_SUNDAY_FROM) rows.push([easter, 'Hari Paskah (Kebangkitan Yesus Kristus)']);
  if (year >= PANCASILA_FROM) rows.push([`${year}-06-01`, 'Hari Lahir Pancasila']);
  return rows
    .map(([date, name]): Holiday => ({ date, name, kind: 'libur_nasional' }))
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/**
 * The national holidays to load for a year the SKB has not set yet: the certain dates (not tentative) and the
 * predicted rows of that year (tentative). A prediction on a certain date keeps the certain entry, with both names
 * when they differ ("Kelahiran Yesus Kristus (Natal) / Isra Mikraj …"), and is not tentative; the table's own
 * row for a certain holiday (same date, a name of the same holiday) adds nothing. Regional and other years' rows
 * are ignored. Sorted by date; one row per date.
 * Why: the bundled table is the best prediction for the rest (sources disagree in places, e.g. 2027 Idul Adha on
 * 16 and 17 May: both stay, a missing holiday makes agencies late unfairly), and an admin confirms each once the
 * SKB is out.
 */
export function holidaysToLoad(year: number, predicted: readonly Holiday[]): Holiday[] {
  const byDate = new Map<string, Holiday>();
  for (const c of certainNationalHolidays(year)) byDate.set(c.date, { ...c });
  for (const p of predicted) {
    if (p.kind === 'regional' || p.regionCode || Number(p.date.slice(0, 4)) !== year) continue;
    const have = byDate.get(p.date);
    if (!have) {
      byDate.set(p.date, { date: p.date, name: p.name, kind: p.kind, tentative: true });
      continue;
    }
    if (have.tentative) continue; // two predictions on one date: the first one stays
    if (!sameCertainHoliday(have.name, p.name)) have.name = `${have.name} / ${p.name}`;
  }
  return [...byDate.values()].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/**
 * Patterns that recognise each certain holiday in the names the sources use ("Hari Tahun Baru", "Wafat Isa Al
 * Masih", "Hari Proklamasi Kemerdekaan R.I.", "Hari Raya Natal"...), to see that a bundled row names the same one.
 */
const CERTAIN_NAMES = [
  /^(hari )?tahun baru( \d{4})?( masehi)?$/i,
  /wafat/i,
  /paskah|kebangkitan/i,
  /buruh/i,
  /kenaikan/i,
  /pancasila/i,
  /proklamasi/i,
  /natal|kelahiran yesus/i,
];

/** Whether `otherName` names the same certain holiday as `certainName` (both match one pattern). */
export function sameCertainHoliday(certainName: string, otherName: string): boolean {
  return CERTAIN_NAMES.some((re) => re.test(certainName.trim()) && re.test(otherName.trim()));
}
