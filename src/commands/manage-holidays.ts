/**
 * Keeping the working-day calendar current: the national admin enters national holidays and cuti bersama
 * (SKB 3 Menteri, yearly); coordinators enter regional holidays for their region. New clocks use the new
 * calendar, and in the same transaction every running clock the edit affects is recomputed with its own rule
 * version and start (`recomputeRunningClocks`): two reports filed the same day in the same kota keep the
 * same due date, and the countdown agrees with it. Stopped clocks never change.
 */
import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { holidays } from '../db/schema.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { canStaff } from '../policies/can.ts';
import { requireRegion } from './lookups.ts';
import { recomputeRunningClocks } from './recompute-deadlines.ts';
import { bundledYear } from '../db/seed/reference.ts';

/** Shortest holiday name (after trimming). */
export const HOLIDAY_NAME_MIN = 3;
/** Longest holiday name (after trimming): enough for "Cuti Bersama Hari Raya Idulfitri 1448 Hijriah". */
export const HOLIDAY_NAME_MAX = 120;

/**
 * The rule of a holiday's name, shared by the JSON API (its zod schema uses the same bounds), the back-office
 * calendar form and the command: required, HOLIDAY_NAME_MIN to HOLIDAY_NAME_MAX characters once trimmed.
 * The issue keys are `errors.field.*` (`required`, `too_short`, `too_long`), in Indonesian and English.
 */
export function holidayNameIssue(name: string): FieldIssue | null {
  const n = name.trim();
  if (!n) return { key: 'required' };
  if (n.length < HOLIDAY_NAME_MIN) return { key: 'too_short', params: { min: HOLIDAY_NAME_MIN } };
  if (n.length > HOLIDAY_NAME_MAX) return { key: 'too_long', params: { max: HOLIDAY_NAME_MAX } };
  return null;
}

/** The kinds of calendar entry: national ones (SKB 3 Menteri, Keppres) and regional ones. */
export const HOLIDAY_KINDS = ['regional', 'libur_nasional', 'cuti_bersama', 'libur_nasional_khusus'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

/** Whether `kind` is one of {@link HOLIDAY_KINDS}. */
export function isHolidayKind(kind: string): kind is HolidayKind {
  return (HOLIDAY_KINDS as readonly string[]).includes(kind);
}

export interface HolidayInput {
  date: string;
  name: string;
  kind: HolidayKind;
  regionCode?: string | undefined;
}

function authorizeCalendar(caller: Caller, input: { kind: string; regionCode?: string | undefined }): void {
  if (input.kind === 'regional') {
    if (!input.regionCode) throw new AppError('VALIDATION_FAILED', { regionCode: { key: 'required' } });
    if (!canStaff(caller.actor, 'manage_calendar', { regionCode: input.regionCode }))
      throw new AppError('FORBIDDEN');
  } else if (!caller.actor.grants.some((g) => g.role === 'national_admin')) {
    throw new AppError('FORBIDDEN');
  }
}

/** What a calendar edit did to running deadlines. */
export interface CalendarEditResult {
  /** Running clocks whose due time or explanation was recomputed. */
  recomputed: number;
  /** An entry for the same date and region was there before and was replaced (upsert only). */
  replaced?: boolean;
}

/**
 * Adds or renames a holiday (one per date and region) and recomputes the running clocks it affects.
 * Calendar edits are serialised (table lock), so each one recomputes with the other's rows.
 */
export async function upsertHoliday(
  svc: Services,
  caller: Caller,
  input: HolidayInput,
): Promise<CalendarEditResult> {
  const nameIssue = holidayNameIssue(input.name);
  if (nameIssue) throw invalid({ name: nameIssue });
  const name = input.name.trim();
  authorizeCalendar(caller, input);
  const regionCode = input.kind === 'regional' ? input.regionCode! : null;
  if (regionCode) await requireRegion(svc.db, regionCode, 'regionCode');
  const { recomputed, replaced } = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table holidays in share row exclusive mode`);
    const before = await tx
      .delete(holidays)
      .where(
        and(
          eq(holidays.date, input.date),
          regionCode ? eq(holidays.regionCode, regionCode) : isNull(holidays.regionCode),
        ),
      )
      .returning({ id: holidays.id });
    await tx.insert(holidays).values({ date: input.date, name, kind: input.kind, regionCode });
    await recordAdminAction(tx, caller, {
      action: 'holiday.add',
      targetType: 'holiday',
      targetId: `${input.date}${regionCode ? `@${regionCode}` : ''}`,
      details: { date: input.date, name, kind: input.kind, regionCode, replaced: before.length > 0 },
      at: svc.now(),
    });
    const n = await recomputeRunningClocks(tx, { date: input.date, regionCode }, svc.now());
    return { recomputed: n, replaced: before.length > 0 };
  });
  invalidateCalendarCache();
  return { recomputed, replaced };
}

/** Removes a holiday and recomputes the running clocks it affected. */
export async function removeHoliday(
  svc: Services,
  caller: Caller,
  input: { date: string; regionCode?: string | undefined },
): Promise<CalendarEditResult> {
  authorizeCalendar(caller, {
    kind: input.regionCode ? 'regional' : 'libur_nasional',
    regionCode: input.regionCode,
  });
  const recomputed = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table holidays in share row exclusive mode`);
    const deleted = await tx
      .delete(holidays)
      .where(
        and(
          eq(holidays.date, input.date),
          input.regionCode ? eq(holidays.regionCode, input.regionCode) : isNull(holidays.regionCode),
        ),
      )
      .returning({ id: holidays.id });
    if (!deleted.length) throw new AppError('NOT_FOUND');
    await recordAdminAction(tx, caller, {
      action: 'holiday.remove',
      targetType: 'holiday',
      targetId: `${input.date}${input.regionCode ? `@${input.regionCode}` : ''}`,
      details: { date: input.date, regionCode: input.regionCode ?? null },
      at: svc.now(),
    });
    return recomputeRunningClocks(tx, { date: input.date, regionCode: input.regionCode ?? null }, svc.now());
  });
  invalidateCalendarCache();
  return { recomputed };
}

/** Years the load and confirm actions accept. */
export const HOLIDAY_YEAR_MIN = 2000;
export const HOLIDAY_YEAR_MAX = 2100;

function requireNationalAdmin(caller: Caller): void {
  if (!caller.actor.grants.some((g) => g.role === 'national_admin')) throw new AppError('FORBIDDEN');
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < HOLIDAY_YEAR_MIN || year > HOLIDAY_YEAR_MAX)
    throw invalid({
      year: { key: 'between', params: { min: HOLIDAY_YEAR_MIN, max: HOLIDAY_YEAR_MAX } },
    });
}

/** What loading a year did (or, with `dryRun`, would do). */
export interface LoadHolidaysResult {
  year: number;
  /** Entries added: certain dates (confirmed) and predictions (tentative). */
  added: Array<{ date: string; name: string; kind: string; tentative: boolean }>;
  /** Dates skipped because a national entry was already there (never overwritten). */
  kept: string[];
  /** Running clocks recomputed (0 for a dry run). */
  recomputed: number;
}

/**
 * Loads the national holidays of a year the SKB 3 Menteri has not set yet (national admin only): the certain dates
 * (fixed by law or by Easter) as confirmed and the bundled table's predictions as tentative (`bundledYear`), never
 * overwriting a national entry already there; recomputes the running clocks over the year and records one
 * `holiday.load` entry, all in one transaction. With `dryRun`, only says what it would add.
 */
export async function loadHolidayYear(
  svc: Services,
  caller: Caller,
  input: { year: number; dryRun?: boolean },
): Promise<LoadHolidaysResult> {
  requireNationalAdmin(caller);
  requireYear(input.year);
  const { year } = input;
  const candidates = bundledYear(year);
  const from = `${year}-01-01`;
  const until = `${year}-12-31`;
  const nationalOfYear = (db: Pick<Services['db'], 'select'>) =>
    db
      .select({ date: holidays.date })
      .from(holidays)
      .where(and(isNull(holidays.regionCode), gte(holidays.date, from), lte(holidays.date, until)));
  const split = (present: Set<string>) => ({
    added: candidates
      .filter((h) => !present.has(h.date))
      .map((h) => ({ date: h.date, name: h.name, kind: h.kind, tentative: h.tentative === true })),
    kept: candidates.filter((h) => present.has(h.date)).map((h) => h.date),
  });
  if (input.dryRun) {
    const present = new Set((await nationalOfYear(svc.db)).map((r) => r.date));
    return { year, ...split(present), recomputed: 0 };
  }
  const result = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table holidays in share row exclusive mode`);
    const { added, kept } = split(new Set((await nationalOfYear(tx)).map((r) => r.date)));
    if (added.length === 0) return { year, added, kept, recomputed: 0 };
    await tx.insert(holidays).values(
      added.map((h) => ({
        date: h.date,
        name: h.name,
        kind: h.kind,
        regionCode: null,
        tentative: h.tentative,
      })),
    );
    const recomputed = await recomputeRunningClocks(tx, { date: from, until, regionCode: null }, svc.now());
    await recordAdminAction(tx, caller, {
      action: 'holiday.load',
      targetType: 'holiday',
      targetId: String(year),
      details: {
        year,
        added: added.length,
        tentative: added.filter((h) => h.tentative).length,
        kept: kept.length,
        recomputed,
      },
      at: svc.now(),
    });
    return { year, added, kept, recomputed };
  });
  invalidateCalendarCache();
  return result;
}

/**
 * Confirms tentative national holidays once the SKB is out (national admin only): the one on `date`, or every one of
 * `year`. Deadlines do not move (the day already counted); explanations drop the "perkiraan" mark, so running clocks
 * are recomputed in the same transaction. Records one `holiday.confirm` entry. Returns the dates confirmed; a date
 * with no tentative national entry is NOT_FOUND.
 */
export async function confirmHolidays(
  svc: Services,
  caller: Caller,
  input: { year: number; date?: string | undefined },
): Promise<{ confirmed: string[]; recomputed: number }> {
  requireNationalAdmin(caller);
  requireYear(input.year);
  const from = input.date ?? `${input.year}-01-01`;
  const until = input.date ?? `${input.year}-12-31`;
  const result = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table holidays in share row exclusive mode`);
    const rows = await tx
      .update(holidays)
      .set({ tentative: false })
      .where(
        and(
          isNull(holidays.regionCode),
          eq(holidays.tentative, true),
          gte(holidays.date, from),
          lte(holidays.date, until),
        ),
      )
      .returning({ date: holidays.date });
    if (rows.length === 0) {
      if (input.date) throw new AppError('NOT_FOUND');
      return { confirmed: [], recomputed: 0 };
    }
    const confirmed = rows.map((r) => r.date).sort();
    await recordAdminAction(tx, caller, {
      action: 'holiday.confirm',
      targetType: 'holiday',
      targetId: input.date ?? String(input.year),
      details: { year: input.year, date: input.date ?? null, confirmed: confirmed.length },
      at: svc.now(),
    });
    const recomputed = await recomputeRunningClocks(
      tx,
      { date: confirmed[0]!, until: confirmed[confirmed.length - 1]!, regionCode: null },
      svc.now(),
    );
    return { confirmed, recomputed };
  });
  invalidateCalendarCache();
  return result;
}
