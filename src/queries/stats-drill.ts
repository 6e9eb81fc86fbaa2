/**
 * Drill-down from a dashboard row to the reports behind it: the same `listReports` the queue uses
 * (so `visibleTo(caller)` decides what a staff member sees), filtered by the row's group key and the
 * dashboard's date range. Why: a number on a dashboard must lead to the cases it counts.
 */
import { isCalendarDate } from '../domain/shared/dates.ts';
import { sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { listReports, type ReportFilters } from './reports.ts';
import type { StatsGroupBy } from './stats.ts';

/** The filters of one dashboard row (`key` of the `groupBy` dimension) within [from, to]. */
/**
 * Whether `key` can name a row of a dashboard grouped by `groupBy` (a month `YYYY-MM` in 1900–2100, a numeric category
 * id); a key that cannot is a 422 on `kunci`, never a 500 nor a silently dropped filter.
 */
export function drillKeyValid(groupBy: StatsGroupBy, key: string): boolean {
  if (groupBy === 'month') return /^\d{4}-(0[1-9]|1[0-2])$/.test(key) && isCalendarDate(`${key}-01`);
  if (groupBy === 'category') return /^\d{1,9}$/.test(key);
  return true;
}

export function drillFilters(groupBy: StatsGroupBy, key: string, from: string, to: string): ReportFilters {
  const f: ReportFilters = { from, to };
  switch (groupBy) {
    case 'agency':
      f.agencyId = key;
      break;
    case 'category':
      if (/^\d{1,9}$/.test(key)) f.categoryId = Number(key);
      break;
    case 'region':
      f.regionCode = key;
      break;
    case 'classification':
      f.classification = key;
      break;
    case 'channel':
      f.extra = sql`r.channel = ${key}`;
      break;
    case 'month': {
      const start = `${key}-01`;
      const [y, m] = key.split('-').map(Number) as [number, number];
      const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      f.from = start > from ? start : from;
      f.to = end < to ? end : to;
      break;
    }
  }
  return f;
}

/** One page (20 rows) of the reports behind a dashboard row that the caller may see. */
export async function drillDownReports(
  svc: Services,
  caller: Caller,
  req: { groupBy: StatsGroupBy; key: string; from: string; to: string; page: number },
) {
  return listReports(svc, caller, drillFilters(req.groupBy, req.key, req.from, req.to), req.page, 20);
}
