/**
 * The calendar dates aduan accepts from outside (event dates, filters, holiday dates): real `YYYY-MM-DD` dates from
 * 1900-01-01 to 2100-12-31. PostgreSQL rejects year 0, JavaScript reads years below 100 as 19xx, and an open-ended
 * year makes range plans (statistics buckets, Open311 windows) run away, so every boundary checks the same bounds.
 */
export const DATE_MIN = '1900-01-01';
export const DATE_MAX = '2100-12-31';

/**
 * Why a string is not an accepted calendar date: `invalid_date` when it is not a real `YYYY-MM-DD` date,
 * `date_out_of_range` when it is one outside [DATE_MIN, DATE_MAX]; null when it is accepted.
 */
export function calendarDateProblem(s: string): 'invalid_date' | 'date_out_of_range' | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'invalid_date';
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return 'invalid_date';
  return s < DATE_MIN || s > DATE_MAX ? 'date_out_of_range' : null;
}

/** True for a real calendar date `YYYY-MM-DD` within [DATE_MIN, DATE_MAX]. */
export function isCalendarDate(s: string): boolean {
  return calendarDateProblem(s) === null;
}

/** True for an instant whose UTC date lies within [DATE_MIN, DATE_MAX]. */
export function isWithinDateBounds(d: Date): boolean {
  if (Number.isNaN(d.getTime())) return false;
  const day = d.toISOString().slice(0, 10);
  return /^\d{4}-/.test(day) && day >= DATE_MIN && day <= DATE_MAX;
}
