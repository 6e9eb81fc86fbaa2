/**
 * Keeping the working-day calendar current: the national admin enters national holidays and cuti bersama
 * (SKB 3 Menteri, yearly); coordinators enter regional holidays for their region. New clocks use the new
 * calendar, and in the same transaction every running clock the edit affects is recomputed with its own rule
 * version and start (`recomputeRunningClocks`): two reports filed the same day in the same kota keep the
 * same due date, and the countdown agrees with it. Stopped clocks never change.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { holidays } from '../db/schema.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { canStaff } from '../policies/can.ts';
import { requireRegion } from './lookups.ts';
import { recomputeRunningClocks } from './recompute-deadlines.ts';

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
