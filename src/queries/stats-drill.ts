/**
 * Drill-down from a dashboard row to the reports behind it: the same `listReports` the queue uses
 * (so `visibleTo(caller)` decides what a staff member sees), filtered by the row's group key and the
 * dashboard's date range. Why: a number on a dashboard must lead to the cases it counts.
 */
import { sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { listReports, type ReportFilters } from './reports.ts';
import type { StatsGroupBy } from './stats.ts';

/** The filters of one dashboard row (`key` of the `groupBy` dimension) within [from, to]. */
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
