/**
 * Open-data rows: one per PUBLIC report, built from the statistics facts and filtered again on the
 * live `reports` row (verified, not confidential), so a report made confidential after the last
 * refresh never leaks. No title, body, location detail, reporter or anonymity flag is read.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import type { OpenDataRow, ReportFact } from '../domain/stats/open-data.ts';
import type { OpenDataCursor } from '../domain/stats/open-data-paging.ts';
import { PUBLIC_REPORT } from './scope.ts';

/** Filters of the open-data export (local dates, inclusive). */
export interface OpenDataFilter {
  from?: string | undefined;
  to?: string | undefined;
}

/** A page of the rows: at most `limit` rows after `after` (the previous page's last row). */
export interface OpenDataPaging {
  limit: number;
  after?: OpenDataCursor | null | undefined;
}

/**
 * The open-data rows of the filter with the names they show: `f` the facts, `r` the live report (public now), `c`, `g`,
 * `a` its category, region and agency. Shared by the rows and their fingerprint, which must read the same rows.
 */
function publicRowsOf(f: OpenDataFilter): SQL {
  return sql`from stats_report_facts f
        join reports r on r.id = f.report_id
        left join categories c on c.id = r.category_id
        left join regions g on g.code = r.region_code
        left join agencies a on a.id = f.agency_id
        where ${PUBLIC_REPORT} and f.is_public
          ${f.from ? sql`and f.created_date >= ${f.from}` : sql``}
          ${f.to ? sql`and f.created_date <= ${f.to}` : sql``}`;
}

/**
 * Every public report's open-data row, oldest first (by local date of receipt, then tracking number): in the order of
 * the index `stats_report_facts_public_order_idx`, so a page after a cursor reads its own rows only (ordered by the
 * live report's tracking number, every page sorted every public report after the cursor: a whole-file download at
 * 1,000,000 reports took 21 minutes).
 */
export async function openDataRows(
  db: AppDb,
  f: OpenDataFilter = {},
  page?: OpenDataPaging,
): Promise<OpenDataRow[]> {
  const rows = await query<{
    fact: ReportFact;
    category: string | null;
    region: string | null;
    agency: string | null;
  }>(
    db,
    sql`select f.fact, c.name as category, g.name as region, a.name as agency
        ${publicRowsOf(f)}
          ${page?.after ? sql`and (f.created_date, f.tracking_id) > (${page.after.createdDate}::date, ${page.after.trackingId})` : sql``}
        order by f.created_date, f.tracking_id
        ${page ? sql`limit ${page.limit}` : sql``}`,
  );
  return rows.map(({ fact: x, category, region, agency }) => ({
    trackingId: x.trackingId,
    classification: x.classification,
    categoryId: x.categoryId,
    category,
    regionCode: x.regionCode,
    region,
    agencyId: x.agencyId,
    agency,
    agencyPath: [...x.agencyPath],
    channel: x.channel,
    status: x.status,
    createdDate: x.createdDate,
    createdAt: x.createdAt,
    verifiedAt: x.verifiedAt,
    firstResponseAt: x.firstResponseAt,
    respondedAt: x.respondedAt,
    closedAt: x.closedAt,
    workingDaysToVerify: x.workingDaysToVerify,
    verifiedOnTime: x.verifiedOnTime,
    workingDaysToFollowUp: x.workingDaysToFollowUp,
    hoursToFollowUp: x.hoursToFollowUp,
    followedUpOnTime: x.followedUpOnTime,
    workingDaysToCompletion: x.workingDaysToCompletion,
    verified: x.verified,
    dispatched: x.dispatched,
    completed: x.completed,
    returnCount: x.returnCount,
    misroutedWorkingDays: x.misroutedWorkingDays,
    reopenCount: x.reopenCount,
    disputed: x.disputed,
    rating: x.rating,
  }));
}

/**
 * Every row of the filter, a page of `pageSize` at a time in the order of `openDataRows` (the keyset cursor of the
 * paged API: the last row's date of receipt and tracking number), so a whole-file download never holds more than one
 * page in memory.
 */
export async function* openDataRowPages(
  db: AppDb,
  f: OpenDataFilter,
  pageSize: number,
): AsyncGenerator<OpenDataRow[]> {
  let after: OpenDataCursor | null = null;
  for (;;) {
    const rows = await openDataRows(db, f, { limit: pageSize, after });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    after = { createdDate: last.createdDate, trackingId: last.trackingId };
  }
}

/**
 * A fingerprint of every row the filter holds, read in one aggregate (no row leaves the database): the count and the
 * sum of a 64-bit hash of each row's inputs (its fact, and the category, region and agency names the row shows).
 * The CSV is a function of those inputs alone (the order too: date of receipt and tracking number are in the fact), so
 * the fingerprint changes whenever a byte of the whole file would (a refresh that rewrites a fact, a renamed agency, a
 * report made rahasia or a new public one). The whole-file download's ETag; hashing the CSV itself meant reading every
 * row twice (1,000,000 reports: 48 s before the first byte).
 */
export async function openDataFingerprint(db: AppDb, f: OpenDataFilter = {}): Promise<string> {
  const [row] = await query<{ n: number; h: string }>(
    db,
    sql`select count(*)::int as n,
          coalesce(sum(hashtextextended(json_build_array(f.fact, c.name, g.name, a.name)::text, 0)::numeric), 0)::text as h
        ${publicRowsOf(f)}`,
  );
  return `${row?.n ?? 0}:${row?.h ?? '0'}`;
}

/** How many public reports the filter holds (every page together). */
export async function countOpenDataRows(db: AppDb, f: OpenDataFilter = {}): Promise<number> {
  const [row] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n
        from stats_report_facts f
        join reports r on r.id = f.report_id
        where ${PUBLIC_REPORT} and f.is_public
          ${f.from ? sql`and f.created_date >= ${f.from}` : sql``}
          ${f.to ? sql`and f.created_date <= ${f.to}` : sql``}`,
  );
  return row?.n ?? 0;
}
