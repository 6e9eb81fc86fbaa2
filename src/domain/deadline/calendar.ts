/**
 * Working-day (hari kerja) calendar for SLA deadlines.
 *
 * Government working days are Monday–Friday (Perpres 21/2023 Pasal 3) minus national holidays and
 * national cuti bersama set yearly by the SKB 3 Menteri (Pasal 6); aduan counts cuti bersama as
 * non-working days (docs/domain.md §5.4). Deadlines are computed in the handling unit's time zone.
 *
 * This module is pure: no I/O, no clock. Time-zone math uses `Intl.DateTimeFormat` and the fixed
 * offsets of WIB/WITA/WIT (Indonesia has no daylight saving time).
 */
import { TIME_ZONES, type ZoneName } from '../report/report.ts';
import { err, ok, type Result } from '../shared/result.ts';

/** Kinds of non-working day a holiday row can carry. */
export const HOLIDAY_KINDS = ['libur_nasional', 'cuti_bersama', 'libur_nasional_khusus', 'regional'] as const;

/**
 * One non-working day: a national holiday, a national cuti bersama, a one-off national holiday
 * (e.g. election day) or a regional extra holiday of a tenant.
 * Why: deadlines count hari kerja, which exclude these days (Perpres 21/2023 Pasal 6; domain.md §5.4).
 */
export interface Holiday {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  name: string;
  kind: (typeof HOLIDAY_KINDS)[number];
  /** Kemendagri region code the holiday applies to (only for `regional`); e.g. `64` or `64.71`. */
  regionCode?: string | null;
  /**
   * True for a prediction ("perkiraan"): a date the SKB 3 Menteri has not set yet, loaded from the bundled table for
   * a year after the last confirmed one. It counts in every clock like any other holiday (a missing holiday is the
   * worse error); explanations and the calendar page mark it.
   */
  tentative?: boolean;
}

/**
 * The set of non-working days applying to one handling unit, plus its time zone.
 * Why: the same instant can fall on different local dates in WIB/WITA/WIT, and regional holidays
 * apply only to their region (domain.md §5.4 "compute per the handling unit's zone").
 */
export interface WorkingCalendar {
  zone: ZoneName;
  /** Non-working days by local date `YYYY-MM-DD` (weekends are implicit and not listed). */
  holidays: ReadonlyMap<string, Holiday>;
  /** Region the calendar was built for, if any (selects regional holidays). */
  regionCode?: string | null;
}

/** Fixed UTC offsets in minutes: WIB +7, WITA +8, WIT +9 (no DST in Indonesia). */
export const ZONE_OFFSET_MINUTES: Readonly<Record<ZoneName, number>> = { WIB: 420, WITA: 480, WIT: 540 };

/** The zone whose offset ends an ISO instant (`…+08:00` → WITA), as `formatIsoInZone` writes it; else null. */
export function zoneOfIso(iso: string): ZoneName | null {
  const offset = iso.slice(-6);
  for (const [zone, minutes] of Object.entries(ZONE_OFFSET_MINUTES) as [ZoneName, number][]) {
    if (
      offset ===
      `+${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
    )
      return zone;
  }
  return null;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into UTC midnight milliseconds, or null if it is not a real calendar date. */
function dateToUtcMs(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

function requireDate(date: string): number {
  const ms = dateToUtcMs(date);
  if (ms === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ms;
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Returns true when `date` is a real calendar date written as `YYYY-MM-DD`.
 * Why: holiday rows and rule effective dates are plain strings and must be validated at the edge.
 */
export function isIsoDate(date: string): boolean {
  return dateToUtcMs(date) !== null;
}

/**
 * Adds `days` calendar days to a `YYYY-MM-DD` date.
 * Why: working-day counting walks local dates, independent of time zones.
 */
export function addCalendarDays(date: string, days: number): string {
  return utcMsToDate(requireDate(date) + days * DAY_MS);
}

/**
 * Day of week of a `YYYY-MM-DD` date, 0 = Sunday … 6 = Saturday.
 * Why: Saturday and Sunday are never government working days (Perpres 21/2023 Pasal 3).
 */
export function weekdayOf(date: string): number {
  return new Date(requireDate(date)).getUTCDay();
}

/**
 * True for Saturday and Sunday.
 * Why: the government work week is Monday–Friday (Perpres 21/2023 Pasal 3).
 */
export function isWeekend(date: string): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

// ---------------------------------------------------------------------------------------------
// Holiday CSV
// ---------------------------------------------------------------------------------------------

/**
 * Parses the holiday table (`src/assets/holidays.csv` format) and reports the first bad line.
 * Why: the yearly SKB calendar is data, not code (domain.md §5.4); a bad row must not silently
 * shift deadlines. Columns are found by header name: `date`, `name`, `kind` are required,
 * `tentative` and `region_code` are optional. Rows of kind `not_a_holiday…` (Easter Sunday before
 * 2024) are skipped. Rows of kind `conflict` (sources disagree whether the day is a holiday or a
 * cuti bersama) are non-working either way; they become `cuti_bersama` when the name says
 * "Cuti Bersama", otherwise `libur_nasional`. Fields are split on commas: the shipped file has no
 * quoted fields, and a quote anywhere is rejected rather than mis-parsed.
 */
export function tryParseHolidayCsv(text: string): Result<Holiday[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  const iDate = col('date');
  const iName = col('name');
  const iKind = col('kind');
  const iTentative = col('tentative');
  const iRegion = col('region_code');
  if (iDate < 0 || iName < 0 || iKind < 0) {
    return err('HOLIDAY_CSV_HEADER', 'holiday CSV needs the columns date, name and kind', {
      header: header.join(','),
    });
  }
  const out: Holiday[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const bad = (why: string): Result<never> =>
      err('HOLIDAY_CSV_ROW', `holiday CSV line ${n + 1}: ${why}`, { line: String(n + 1) });
    if (line.includes('"')) return bad('quoted fields are not supported');
    const f = line.split(',');
    if (f.length !== header.length) return bad(`expected ${header.length} fields, got ${f.length}`);
    const date = f[iDate]!.trim();
    const name = f[iName]!.trim();
    const rawKind = f[iKind]!.trim();
    if (!isIsoDate(date)) return bad(`invalid date ${JSON.stringify(date)}`);
    if (rawKind.startsWith('not_a_holiday')) continue;
    let kind: Holiday['kind'];
    if (rawKind === 'conflict') kind = /cuti\s+bersama/i.test(name) ? 'cuti_bersama' : 'libur_nasional';
    else if ((HOLIDAY_KINDS as readonly string[]).includes(rawKind)) kind = rawKind as Holiday['kind'];
    else return bad(`unknown kind ${JSON.stringify(rawKind)}`);
    const regionCode = iRegion >= 0 ? f[iRegion]!.trim() || null : null;
    if (kind === 'regional' && !regionCode) return bad('regional holiday without region_code');
    const holiday: Holiday = { date, name, kind };
    if (regionCode) holiday.regionCode = regionCode;
    if (iTentative >= 0 && f[iTentative]!.trim() === '1') holiday.tentative = true;
    out.push(holiday);
  }
  return ok(out);
}

/**
 * Parses the holiday table (see {@link tryParseHolidayCsv}) and throws on a malformed file.
 * Why: the bundled `src/assets/holidays.csv` is part of the release; if it is corrupt the
 * service must not start with wrong SLA deadlines (Perpres 21/2023 Pasal 6 calendar).
 */
export function parseHolidayCsv(text: string): Holiday[] {
  const r = tryParseHolidayCsv(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** What a correction does to the bundled holiday table: drop a date, or set its kind and name. */
export const HOLIDAY_CORRECTION_ACTIONS = ['remove', 'set'] as const;

/**
 * One correction of the bundled holiday table (`src/assets/holidays-corrections.csv`): a national row removed,
 * or a national row given its confirmed kind and name (added when the date is missing).
 * Why: the bundled table is an unmodified copy of a merged community dataset (HOLIDAYS-NOTICE.md); where it
 * disagrees with the SKB 3 Menteri the correction is data next to it, with its reason, instead of an edit.
 */
export interface HolidayCorrection {
  date: string;
  action: (typeof HOLIDAY_CORRECTION_ACTIONS)[number];
  /** For `set`: the national kind (never `regional`). */
  kind?: Exclude<Holiday['kind'], 'regional'>;
  /** For `set`: the confirmed name. */
  name?: string;
  /** Why the bundled row is wrong (the SKB reference). */
  reason: string;
}

/**
 * Parses the corrections table (`date,action,kind,name,reason`; the reason is the rest of the line and may hold
 * commas) and reports the first bad line.
 * Why: a malformed correction must stop the release's data from loading rather than be skipped silently.
 */
export function tryParseHolidayCorrections(text: string): Result<HolidayCorrection[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header.slice(0, 5).join(',') !== 'date,action,kind,name,reason' || header.length !== 5) {
    return err(
      'HOLIDAY_CORRECTIONS_HEADER',
      'holiday corrections need the columns date,action,kind,name,reason',
      {
        header: header.join(','),
      },
    );
  }
  const out: HolidayCorrection[] = [];
  const seen = new Set<string>();
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const bad = (why: string): Result<never> =>
      err('HOLIDAY_CORRECTIONS_ROW', `holiday corrections line ${n + 1}: ${why}`, { line: String(n + 1) });
    if (line.includes('"')) return bad('quoted fields are not supported');
    const f = line.split(',');
    if (f.length < 5) return bad(`expected 5 fields, got ${f.length}`);
    const [date, action, kind, name] = f.slice(0, 4).map((x) => x.trim()) as [string, string, string, string];
    const reason = f.slice(4).join(',').trim();
    if (!isIsoDate(date)) return bad(`invalid date ${JSON.stringify(date)}`);
    if (seen.has(date)) return bad(`second correction for ${date}`);
    seen.add(date);
    if (!reason) return bad('a correction needs its reason');
    if (action === 'remove') {
      if (kind || name) return bad('remove takes no kind or name');
      out.push({ date, action, reason });
    } else if (action === 'set') {
      if (!(HOLIDAY_KINDS as readonly string[]).includes(kind) || kind === 'regional')
        return bad(`set needs a national kind, got ${JSON.stringify(kind)}`);
      if (!name) return bad('set needs a name');
      out.push({ date, action, kind: kind as HolidayCorrection['kind'], name, reason });
    } else return bad(`unknown action ${JSON.stringify(action)}`);
  }
  return ok(out);
}

/**
 * Applies corrections to national rows (regional rows are never touched): `remove` drops the date's national
 * row, `set` replaces its kind and name (and clears `tentative`) or adds it. Throws when a `remove` finds no
 * national row for its date: the bundled table changed and the correction must be looked at again.
 * Why: the shipped calendar must be the SKB's (domain.md §5.4: 2026 = 17 + 8) while the community file stays
 * an unmodified copy of its sources.
 */
export function applyHolidayCorrections(
  holidays: readonly Holiday[],
  corrections: readonly HolidayCorrection[],
): Holiday[] {
  const national = new Map<string, number>();
  holidays.forEach((h, i) => {
    if (h.kind !== 'regional') national.set(h.date, i);
  });
  const out: Array<Holiday | null> = [...holidays];
  for (const c of corrections) {
    const i = national.get(c.date);
    if (c.action === 'remove') {
      if (i === undefined)
        throw new RangeError(`holiday correction: no national holiday on ${c.date} to remove`);
      out[i] = null;
      national.delete(c.date);
    } else {
      const row: Holiday = { date: c.date, name: c.name!, kind: c.kind! };
      if (i === undefined) {
        national.set(c.date, out.length);
        out.push(row);
      } else out[i] = row;
    }
  }
  return out
    .filter((h): h is Holiday => h !== null)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Regions, zones, calendars
// ---------------------------------------------------------------------------------------------

/** Province codes (first two digits of a Kemendagri region code) in WITA and WIT; the rest is WIB. */
export const WITA_PROVINCES: ReadonlySet<string> = new Set([
  '51',
  '52',
  '53',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
]);
export const WIT_PROVINCES: ReadonlySet<string> = new Set([
  '81',
  '82',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
]);

/**
 * Time zone of a region from its Kemendagri province code (first two digits).
 * Why: deadlines run in the handling unit's local time (domain.md §5.4). WITA: Bali, NTB, NTT,
 * Kalimantan Selatan/Timur/Utara and all of Sulawesi (51–53, 63–65, 71–76); WIT: Maluku, Maluku
 * Utara and all Papua provinces (81, 82, 91–97); everything else (Sumatra, Java, Kalimantan
 * Barat/Tengah) is WIB.
 */
export function zoneForRegion(regionCode: string): ZoneName {
  const prov = regionCode.trim().slice(0, 2);
  if (WITA_PROVINCES.has(prov)) return 'WITA';
  if (WIT_PROVINCES.has(prov)) return 'WIT';
  return 'WIB';
}

/**
 * True when `prefix` is `code` or an ancestor of it, comparing whole dotted segments
 * ('64' covers '64.71.02', but '64.7' does not cover '64.71').
 * Why: a provincial holiday covers every kab/kota, kecamatan and desa below it.
 */
export function regionCovers(prefix: string, code: string): boolean {
  const p = prefix.trim();
  const c = code.trim();
  return p !== '' && (c === p || c.startsWith(`${p}.`));
}

const KIND_PRIORITY: Record<Holiday['kind'], number> = {
  libur_nasional: 0,
  libur_nasional_khusus: 1,
  cuti_bersama: 2,
  regional: 3,
};

/**
 * Builds the working calendar of a handling unit: national holidays, cuti bersama and the
 * regional holidays whose region code covers `regionCode` (see {@link regionCovers}).
 * Why: domain.md §5.4 asks for a national calendar with regional extras per tenant, computed in
 * the unit's zone. When two rows share a date, a national holiday wins over cuti bersama and
 * regional rows, so explanations cite the national name.
 */
export function makeCalendar(
  zone: ZoneName,
  holidays: readonly Holiday[],
  regionCode?: string,
): WorkingCalendar {
  const map = new Map<string, Holiday>();
  for (const h of holidays) {
    if (h.kind === 'regional') {
      if (!regionCode || !h.regionCode || !regionCovers(h.regionCode, regionCode)) continue;
    }
    requireDate(h.date);
    const prev = map.get(h.date);
    if (!prev || KIND_PRIORITY[h.kind] < KIND_PRIORITY[prev.kind]) map.set(h.date, h);
  }
  return { zone, holidays: map, regionCode: regionCode ?? null };
}

// ---------------------------------------------------------------------------------------------
// Instants and local dates
// ---------------------------------------------------------------------------------------------

const dateFormatters = new Map<ZoneName, Intl.DateTimeFormat>();
const FIXED_OFFSETS_FROM = Date.UTC(1970, 0, 1);
const FIXED_OFFSETS_UNTIL = Date.UTC(9999, 0, 1);

function formatterFor(zone: ZoneName): Intl.DateTimeFormat {
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: TIME_ZONES[zone],
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormatters.set(zone, f);
  }
  return f;
}

function requireInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date');
}

/**
 * The local calendar date (`YYYY-MM-DD`) of an instant in a zone.
 * Why: a report filed at 23:30 WIB on Thursday is already Friday in WIT, which changes where the
 * working-day count starts (domain.md §5.4).
 */
export function localDate(instant: Date, zone: ZoneName): string {
  requireInstant(instant);
  const t = instant.getTime();
  // WIB, WITA and WIT have had fixed offsets since well before 1970: plain arithmetic, no Intl call
  // (the sweeper and deadline maths call this a lot). Older instants go through the tz database.
  if (t >= FIXED_OFFSETS_FROM && t < FIXED_OFFSETS_UNTIL)
    return new Date(t + ZONE_OFFSET_MINUTES[zone] * 60_000).toISOString().slice(0, 10);
  const parts = formatterFor(zone).formatToParts(instant);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/**
 * The last millisecond (23:59:59.999 local) of a local date, as a UTC instant.
 * Why: a deadline of N working days expires at the end of the Nth working day in the unit's zone.
 */
export function endOfLocalDay(date: string, zone: ZoneName): Date {
  return new Date(requireDate(date) + DAY_MS - 1 - ZONE_OFFSET_MINUTES[zone] * 60_000);
}

/**
 * The first millisecond (00:00 local) of a local date, as a UTC instant.
 * Why: rule effective dates (`validFrom`) start at local midnight.
 */
export function startOfLocalDay(date: string, zone: ZoneName): Date {
  return new Date(requireDate(date) - ZONE_OFFSET_MINUTES[zone] * 60_000);
}

/**
 * ISO 8601 text of an instant in a zone, with its offset, e.g. `2026-03-05T23:59:59.999+08:00`.
 * Why: deadlines shown to officers and stored in the audit trail must read in the unit's local
 * time while staying machine-parseable.
 */
export function formatIsoInZone(instant: Date, zone: ZoneName): string {
  requireInstant(instant);
  const offset = ZONE_OFFSET_MINUTES[zone];
  const shifted = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const hh = String(Math.floor(offset / 60)).padStart(2, '0');
  const mm = String(offset % 60).padStart(2, '0');
  return `${shifted}+${hh}:${mm}`;
}

// ---------------------------------------------------------------------------------------------
// Working days
// ---------------------------------------------------------------------------------------------

/**
 * True when a local date is a working day: Monday–Friday and not a holiday or cuti bersama of the
 * calendar. Why: Perpres 21/2023 Pasal 3 and 6; cuti bersama count as non-working (domain.md §5.4).
 */
export function isWorkingDay(date: string, cal: WorkingCalendar): boolean {
  return !isWeekend(date) && !cal.holidays.has(date);
}

/**
 * The first working day strictly after a local date.
 * Why: a reminder is due from the working day before a deadline (docs/worker.md §4); seen from a
 * sweep's date, the deadlines it must remind about are those due by the end of the next working day.
 */
export function nextWorkingDay(date: string, cal: WorkingCalendar): string {
  let d = addCalendarDays(date, 1);
  for (let i = 0; i < 3660 && !isWorkingDay(d, cal); i++) d = addCalendarDays(d, 1);
  return d;
}

/**
 * The `n`th working day counting back from a local date, the date itself included when it is a
 * working day (`n` ≥ 1).
 * Why: `workingDaysBetween(from, at) >= n` holds exactly when `from`'s local date is before this day,
 * which turns "n working days late" into one cut-off instant per calendar instead of a count per clock.
 */
export function nthWorkingDayBack(date: string, n: number, cal: WorkingCalendar): string {
  let d = date;
  let left = n;
  if (isWorkingDay(d, cal)) left--;
  for (let i = 0; left > 0 && i < 36_600; i++) {
    d = addCalendarDays(d, -1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/**
 * The instant before which `from` must lie for at least `n` working days to have passed by `at`:
 * `workingDaysBetween(from, at, cal) >= n` ⟺ `from < workingDaysCutoff(at, n, cal)` (for `n` ≥ 1;
 * `n` ≤ 0 gives `at`, i.e. "already past").
 * Why: the sweeper selects late clocks with `due_at < cutoff` per calendar and ladder step in SQL
 * (docs/worker.md §4) instead of counting working days clock by clock.
 */
export function workingDaysCutoff(at: Date, n: number, cal: WorkingCalendar): Date {
  if (n <= 0) return at;
  return startOfLocalDay(nthWorkingDayBack(localDate(at, cal.zone), n, cal), cal.zone);
}

/**
 * The instant before which `start` must lie for the deadline of `n` working days from it to have
 * passed by `at`: `addWorkingDays(start, n, cal).dueAt < at` ⟺ `start < deadlinePassedCutoff(at, n, cal)`.
 * It is {@link workingDaysCutoff} taken one local day earlier (that one already holds from 00:00 of the Nth day).
 * Why: the Ombudsman offer and the reporter's escalation open only after the escalation deadline
 * (the end of its Nth working day, domain.md §5.1 step 7), and the sweeper selects them with one
 * cut-off per calendar (docs/worker.md §4).
 */
export function deadlinePassedCutoff(at: Date, n: number, cal: WorkingCalendar): Date {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer: ${n}`);
  const today = localDate(at, cal.zone);
  if (n === 0) return startOfLocalDay(today, cal.zone);
  return startOfLocalDay(nthWorkingDayBack(addCalendarDays(today, -1), n, cal), cal.zone);
}

/**
 * The last instant a deadline can fall on for its reminder to be due at `at`: the end of the first
 * working day after `at`'s local date. A deadline `dueAt` ≥ `at` gets its reminder at `at` exactly when
 * `dueAt` ≤ this instant (equivalently: `at` ≥ 00:00 local of the working day before the due date).
 * Why: one bound per calendar instead of a reminder time per clock (docs/worker.md §4).
 */
export function reminderHorizon(at: Date, cal: WorkingCalendar): Date {
  return endOfLocalDay(nextWorkingDay(localDate(at, cal.zone), cal), cal.zone);
}

/** A non-working day passed over while counting, with the reason it does not count. */
export interface SkippedDay {
  date: string;
  /** The holiday kind when the date is in the calendar (even if it is also a weekend), else `weekend`. */
  reason: 'weekend' | Holiday['kind'];
  name?: string;
  /** The holiday is a prediction not yet set by the SKB (see {@link Holiday.tentative}). */
  tentative?: boolean;
}

/** Result of {@link addWorkingDays}. */
export interface WorkingDaysResult {
  /** End of the Nth working day (23:59:59.999 local in the calendar zone). */
  dueAt: Date;
  /** Local date of the Nth working day. */
  dueDate: string;
  /** Non-working days after the start's local date and before `dueDate`, in order. */
  skipped: SkippedDay[];
}

/**
 * Adds `n` working days to an instant and returns the deadline.
 *
 * Day-counting rule (the sources leave the cut-off open; domain.md §5.4 asks us to choose and
 * document it): take the local date of `start` in the calendar zone; that day never counts, even
 * if it is a working day and the report came in at 07:00. Working day 1 is the next local working
 * day after it; working day N ends at 23:59:59.999 local time, which is `dueAt`. A report filed on
 * a Saturday or a holiday therefore starts counting on the next working day too. `n = 0` gives the
 * end of the start's own local day. `skipped` lists each weekend day, holiday and cuti bersama
 * between the start's local date (exclusive) and `dueDate`; a holiday that falls on a weekend is
 * reported with its holiday kind and name.
 *
 * Why: SLA clocks are in hari kerja (PermenPANRB 62/2018: 3/5/10 HK; Perpres 21/2023 for what a
 * working day is).
 */
export function addWorkingDays(start: Date, n: number, cal: WorkingCalendar): WorkingDaysResult {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer: ${n}`);
  let date = localDate(start, cal.zone);
  const skipped: SkippedDay[] = [];
  for (let counted = 0; counted < n;) {
    date = addCalendarDays(date, 1);
    const h = cal.holidays.get(date);
    if (h) skipped.push({ date, reason: h.kind, name: h.name, ...(h.tentative ? { tentative: true } : {}) });
    else if (isWeekend(date)) skipped.push({ date, reason: 'weekend' });
    else counted++;
  }
  return { dueAt: endOfLocalDay(date, cal.zone), dueDate: date, skipped };
}

/**
 * Adds `n` calendar days to an instant and returns the deadline: the start's local date never counts, day 1 is
 * the next local date, and day N ends at 23:59:59.999 local time (`dueAt`), like {@link addWorkingDays} but with
 * weekends, holidays and cuti bersama counted as days (`skipped` is always empty). `n = 0` gives the end of the
 * start's own local day.
 * Why: some limits are in plain days, not hari kerja: the Ombudsman may take over a complaint unresolved for
 * 60 days (domain.md §5.1 step 7, §5.4 "Ombudsman takeover | 60 | days").
 */
export function addCalendarDayCount(start: Date, n: number, cal: WorkingCalendar): WorkingDaysResult {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`calendar days must be a non-negative integer: ${n}`);
  const dueDate = addCalendarDays(localDate(start, cal.zone), n);
  return { dueAt: endOfLocalDay(dueDate, cal.zone), dueDate, skipped: [] };
}

/**
 * The instant before which `start` must lie for the deadline of `n` calendar days from it to have passed by
 * `at`: `addCalendarDayCount(start, n, cal).dueAt < at` ⟺ `start < calendarDaysPassedCutoff(at, n, cal)`
 * (00:00 local of the date `n` days before `at`'s local date).
 * Why: the calendar-day counterpart of {@link deadlinePassedCutoff}, for the sweeper's Ombudsman offers.
 */
export function calendarDaysPassedCutoff(at: Date, n: number, cal: WorkingCalendar): Date {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`calendar days must be a non-negative integer: ${n}`);
  return startOfLocalDay(addCalendarDays(localDate(at, cal.zone), -n), cal.zone);
}

/**
 * Number of working days after `from`'s local date up to and including `to`'s local date
 * (0 when `to` is not after `from`).
 * Why: the inverse of {@link addWorkingDays} (for any start and n,
 * `workingDaysBetween(start, addWorkingDays(start, n).dueAt) === n`); used for days elapsed,
 * time lost to misrouting and paused clocks (PermenPANRB 62/2018 clocks run in hari kerja).
 */
export function workingDaysBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  if (to.getTime() <= from.getTime()) return 0;
  const end = localDate(to, cal.zone);
  let date = localDate(from, cal.zone);
  let count = 0;
  while (date < end) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(date, cal)) count++;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Calendar coverage
// ---------------------------------------------------------------------------------------------

/**
 * National holidays (`libur_nasional`) a year needs before it counts as entered. Every SKB since 2015 has set 16 to
 * 21; one entry (say 1 January) must not hide a year that is still almost empty.
 */
export const MIN_NATIONAL_HOLIDAYS_PER_YEAR = 12;

/** National holidays (`libur_nasional`) entered per year. */
function nationalHolidaysPerYear(holidays: readonly Holiday[]): Map<number, number> {
  const perYear = new Map<number, number>();
  for (const h of holidays) {
    if (h.kind !== 'libur_nasional') continue;
    const year = Number(h.date.slice(0, 4));
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
  }
  return perYear;
}

/**
 * Years (ascending) whose national holidays are entered: at least {@link MIN_NATIONAL_HOLIDAYS_PER_YEAR} of them.
 * Why: the SKB 3 Menteri sets holidays per year; a year without rows would silently count every
 * weekday as a working day (domain.md §5.4 "versioned yearly calendar").
 */
export function yearsCovered(holidays: readonly Holiday[]): number[] {
  return [...nationalHolidaysPerYear(holidays)]
    .filter(([, n]) => n >= MIN_NATIONAL_HOLIDAYS_PER_YEAR)
    .map(([year]) => year)
    .sort((a, b) => a - b);
}

/** National entries (any national kind) still marked tentative, per year. */
function tentativePerYear(holidays: readonly Holiday[]): Map<number, number> {
  const perYear = new Map<number, number>();
  for (const h of holidays) {
    if (h.kind === 'regional' || h.regionCode || !h.tentative) continue;
    const year = Number(h.date.slice(0, 4));
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
  }
  return perYear;
}

/**
 * The calendar warning: `state` says which: `empty` (the year has no national holiday), `partial` (fewer than
 * {@link MIN_NATIONAL_HOLIDAYS_PER_YEAR}) or `unconfirmed` (complete, but holding predictions). `message` is the
 * national admin's text (it says to load or confirm); pages show a coordinator, who cannot, another text by `state`.
 */
export interface CalendarWarning {
  state: 'empty' | 'partial' | 'unconfirmed';
  year: number;
  entered: number;
  tentative: number;
  message: { id: string; en: string };
}

/**
 * Warns when the holiday calendar is missing, incomplete or still holds predictions: the current year has fewer
 * than {@link MIN_NATIONAL_HOLIDAYS_PER_YEAR} national holidays or still has tentative entries ("perkiraan", not
 * yet set by the SKB), or, from 1 October (local date in `zone`, default WIB), next year has. `entered` is how many
 * national holidays that year has (0: empty), `tentative` how many of its national entries are predictions.
 * Why: the SKB for the next year is usually signed in the autumn; deadlines that reach into an
 * empty year would ignore its holidays (Perpres 21/2023 Pasal 6), so admins must enter it in time, and confirm or
 * correct the predictions once the SKB is out.
 */
export function missingCalendarWarning(
  now: Date,
  holidays: readonly Holiday[],
  zone: ZoneName = 'WIB',
): CalendarWarning | null {
  const today = localDate(now, zone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const perYear = nationalHolidaysPerYear(holidays);
  const predicted = tentativePerYear(holidays);
  const entered = (y: number) => perYear.get(y) ?? 0;
  const tentative = (y: number) => predicted.get(y) ?? 0;
  const load = (y: number) => ({
    id: ` Muat tanggal yang sudah pasti dan perkiraan ${y} di halaman kalender, lalu konfirmasi setelah SKB terbit.`,
    en: ` Load the certain dates and the predictions for ${y} on the calendar page, then confirm them once the SKB is out.`,
  });
  const predictions = (y: number) =>
    tentative(y) > 0
      ? {
          id: ` ${tentative(y)} entri ${y} masih perkiraan (belum ditetapkan SKB).`,
          en: ` ${tentative(y)} ${y} entr${tentative(y) === 1 ? 'y is' : 'ies are'} still a prediction (not yet set by the SKB).`,
        }
      : { id: '', en: '' };
  const partial = (y: number): CalendarWarning => ({
    state: 'partial',
    year: y,
    entered: entered(y),
    tentative: tentative(y),
    message: {
      id: `Kalender hari libur ${y} baru berisi ${entered(y)} hari libur nasional: tenggat yang jatuh pada ${y} dapat keliru. Lengkapi hari libur nasional dan cuti bersama ${y} sesuai SKB 3 Menteri.${predictions(y).id}${load(y).id}`,
      en: `The ${y} holiday calendar holds only ${entered(y)} national holiday${entered(y) === 1 ? '' : 's'}: deadlines falling in ${y} may be wrong. Complete the ${y} national holidays and cuti bersama from the SKB of the three ministers.${predictions(y).en}${load(y).en}`,
    },
  });
  const unconfirmed = (y: number): CalendarWarning => ({
    state: 'unconfirmed',
    year: y,
    entered: entered(y),
    tentative: tentative(y),
    message: {
      id: `Kalender hari libur ${y} masih berisi ${tentative(y)} perkiraan yang belum ditetapkan SKB 3 Menteri: tenggat sudah melewatinya, tetapi tanggalnya dapat berubah. Setelah SKB ${y} terbit, perbaiki tanggal yang berbeda dan konfirmasi semuanya di halaman kalender.`,
      en: `The ${y} holiday calendar still holds ${tentative(y)} prediction${tentative(y) === 1 ? '' : 's'} not yet set by the SKB of the three ministers: deadlines already skip ${tentative(y) === 1 ? 'it' : 'them'}, but the dates may change. Once the ${y} SKB is out, correct any date that differs and confirm them on the calendar page.`,
    },
  });
  if (entered(year) < MIN_NATIONAL_HOLIDAYS_PER_YEAR) {
    if (entered(year) > 0) return partial(year);
    return {
      state: 'empty',
      year,
      entered: 0,
      tentative: tentative(year),
      message: {
        id: `Kalender hari libur ${year} belum diisi: tenggat dihitung tanpa hari libur nasional dan cuti bersama. Masukkan hari libur sesuai SKB 3 Menteri.${load(year).id}`,
        en: `The ${year} holiday calendar is empty: deadlines are computed without national holidays and cuti bersama. Enter the holidays from the SKB of the three ministers.${load(year).en}`,
      },
    };
  }
  if (tentative(year) > 0) return unconfirmed(year);
  if (month >= 10 && entered(year + 1) < MIN_NATIONAL_HOLIDAYS_PER_YEAR) {
    if (entered(year + 1) > 0) return partial(year + 1);
    return {
      state: 'empty',
      year: year + 1,
      entered: 0,
      tentative: tentative(year + 1),
      message: {
        id: `Kalender hari libur ${year + 1} belum diisi. Tenggat yang jatuh pada ${year + 1} akan mengabaikan hari libur; masukkan hari libur dan cuti bersama ${year + 1} sesuai SKB 3 Menteri.${load(year + 1).id}`,
        en: `The ${year + 1} holiday calendar has not been entered. Deadlines falling in ${year + 1} will ignore holidays; enter the ${year + 1} national holidays and cuti bersama from the SKB of the three ministers.${load(year + 1).en}`,
      },
    };
  }
  if (month >= 10 && tentative(year + 1) > 0) return unconfirmed(year + 1);
  return null;
}
