/**
 * Keeping the working-day calendar current: the national admin enters national holidays and cuti bersama
 * (SKB 3 Menteri, yearly); coordinators enter regional holidays for their region. Deadlines already running
 * keep their stored due dates; new clocks use the new calendar.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { holidays } from '../db/schema.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { canStaff } from '../policies/can.ts';
import { requireRegion } from './lookups.ts';

export interface HolidayInput {
  date: string;
  name: string;
  kind: 'libur_nasional' | 'cuti_bersama' | 'libur_nasional_khusus' | 'regional';
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

/** Adds or renames a holiday (one per date and region). */
export async function upsertHoliday(svc: Services, caller: Caller, input: HolidayInput): Promise<void> {
  authorizeCalendar(caller, input);
  const regionCode = input.kind === 'regional' ? input.regionCode! : null;
  if (regionCode) await requireRegion(svc.db, regionCode, 'regionCode');
  await svc.db.transaction(async (tx) => {
    await tx
      .delete(holidays)
      .where(
        and(
          eq(holidays.date, input.date),
          regionCode ? eq(holidays.regionCode, regionCode) : isNull(holidays.regionCode),
        ),
      );
    await tx.insert(holidays).values({ date: input.date, name: input.name, kind: input.kind, regionCode });
  });
  invalidateCalendarCache();
}

/** Removes a holiday. */
export async function removeHoliday(
  svc: Services,
  caller: Caller,
  input: { date: string; regionCode?: string | undefined },
): Promise<void> {
  authorizeCalendar(caller, {
    kind: input.regionCode ? 'regional' : 'libur_nasional',
    regionCode: input.regionCode,
  });
  const deleted = await svc.db
    .delete(holidays)
    .where(
      and(
        eq(holidays.date, input.date),
        input.regionCode ? eq(holidays.regionCode, input.regionCode) : isNull(holidays.regionCode),
      ),
    )
    .returning({ id: holidays.id });
  if (!deleted.length) throw new AppError('NOT_FOUND');
  invalidateCalendarCache();
}
