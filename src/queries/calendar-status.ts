/** Whether the working-day calendar is complete: coordinators are warned when next year is missing. */
import { loadHolidays } from '../db/repositories/calendar.ts';
import { missingCalendarWarning, yearsCovered } from '../domain/deadline/calendar.ts';
import type { Services } from '../app/context.ts';

/** Years with national holidays, and the warning to show (or null). */
export async function calendarStatus(svc: Services) {
  const list = await loadHolidays(svc.db);
  return {
    yearsCovered: yearsCovered(list),
    warning: missingCalendarWarning(svc.now(), list),
  };
}
