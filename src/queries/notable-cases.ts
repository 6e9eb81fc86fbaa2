/**
 * Notable resolved cases of a month for the public monthly report: public reports (verified, not
 * confidential, read live from `reports`) completed in the month, best rated first. Only the
 * tracking number, title, category, agency, region and working days are read; never the body,
 * the reporter, contacts or the anonymity flag.
 * Why: the LAPOR! "Laporan Bulanan" shows a few resolved cases, and public surfaces must stay public.
 */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { PUBLIC_REPORT } from './scope.ts';
import { localMonthOfRegionSql } from './sweep-candidates.ts';

/** One notable case. */
export interface NotableCase {
  trackingId: string;
  title: string;
  category: string | null;
  agency: string | null;
  region: string | null;
  workingDays: number | null;
  rating: number | null;
}

/**
 * Up to `limit` public reports completed in month `YYYY-MM`: the local month of the facts' closing time in the
 * zone of the report's region (WIB when it has none), as the dates of receipt of the statistics, so a report
 * closed at 00:30 WITA on 1 April is an April case, not a March one (its UTC month).
 */
export async function notableResolvedCases(db: AppDb, month: string, limit = 5): Promise<NotableCase[]> {
  // The local month lies between its start in the easternmost zone (WIT, UTC+9) and the next month's start in the
  // westernmost (WIB, UTC+7): a range of the facts' ISO closing times, read through `stats_report_facts_closed_idx`
  // (1,000,000 reports: every fact was read, 2.9 s). The local month itself is then checked per report.
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 9 * 3_600_000).toISOString();
  const to = new Date(Date.UTC(y, m, 1) - 7 * 3_600_000).toISOString();
  return query<NotableCase>(
    db,
    sql`select r.tracking_id as "trackingId", r.title, c.name as category, a.name as agency, g.name as region,
          (f.fact->>'workingDaysToCompletion')::int as "workingDays", (f.fact->>'rating')::int as rating
        from stats_report_facts f
        join reports r on r.id = f.report_id
        left join categories c on c.id = r.category_id
        left join agencies a on a.id = r.agency_id
        left join regions g on g.code = r.region_code
        where f.is_public and (f.fact->>'completed')::boolean
          and (f.fact->>'closedAt') >= ${from} and (f.fact->>'closedAt') < ${to}
          and ${localMonthOfRegionSql(sql`(f.fact->>'closedAt')::timestamptz`, sql`r.region_code`)} = ${month}
          and ${PUBLIC_REPORT} and r.status = 'completed'
        order by (f.fact->>'rating')::int desc nulls last, r.tracking_id
        limit ${limit}`,
  );
}
