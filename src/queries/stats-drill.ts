/**
 * Drill-down from a dashboard row to the reports behind it: the same `listReports` the queue uses
 * (so `visibleTo(caller)` decides what a staff member sees), restricted to the reports the row counts.
 * Why: a number on a dashboard must lead to the cases it counts, and to no others.
 *
 * "The reports the row counts" are read from the statistics facts (`stats_report_facts`, one row per report,
 * refreshed with the roll-up the dashboard reads), with the dashboard's own definitions: the local date of
 * receipt (zone of the report's region), the agency path of the handling (else dispatched, else addressed)
 * agency, the report's region code, and the scope of the dashboard (`statsScopeOf`: a coordinator's region,
 * an agency subtree, or national). So for a caller who may see every report of its scope (a coordinator, the
 * national admin) the drill-down count is the row's number; agency staff see the ones of them they may open.
 */
import { zoneForRegion } from '../domain/deadline/calendar.ts';
import type { ZoneName } from '../domain/report/report.ts';
import { isCalendarDate } from '../domain/shared/dates.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { query, type AppDb } from '../db/client.ts';
import { listReports, type ReportFilters } from './reports.ts';
import type { StatsGroupBy, StatsScope } from './stats.ts';

/**
 * Whether `key` can name a row of a dashboard grouped by `groupBy` (a month `YYYY-MM` in 1900–2100, a numeric category
 * id); a key that cannot is a 422 on `kunci`, never a 500 nor a silently dropped filter.
 */
export function drillKeyValid(groupBy: StatsGroupBy, key: string): boolean {
  if (groupBy === 'month') return /^\d{4}-(0[1-9]|1[0-2])$/.test(key) && isCalendarDate(`${key}-01`);
  if (groupBy === 'category') return /^\d{1,9}$/.test(key);
  return true;
}

const inRegion = (code: string) => sql`(f.region_code = ${code} or f.region_code like ${`${code}.%`})`;
const inAgency = (id: string) => sql`f.agency_path like ${`%/${id}/%`}`;

/** The dashboard scope as a condition over the facts `f` (the roll-up's `r:<region>` / `a:<agency>` scopes). */
export function factScope(scope: StatsScope): SQL {
  if (scope.kind === 'region') return inRegion(scope.regionCode);
  if (scope.kind === 'agency') return inAgency(scope.agencyId);
  return sql`true`;
}

/** The group key of one row as a condition over the facts `f`, as the roll-up groups them. */
function factKey(groupBy: StatsGroupBy, key: string): SQL {
  switch (groupBy) {
    case 'agency':
      return inAgency(key);
    case 'category':
      return /^\d{1,9}$/.test(key) ? sql`f.category_id = ${Number(key)}` : sql`false`;
    case 'region':
      return inRegion(key);
    case 'classification':
      return sql`f.classification = ${key}`;
    case 'channel':
      return sql`f.channel = ${key}`;
    case 'month':
      return sql`f.month = ${key}`;
  }
}

/** The filters of one dashboard row (`key` of the `groupBy` dimension) within [from, to], in `scope`. */
export function drillFilters(
  groupBy: StatsGroupBy,
  key: string,
  from: string,
  to: string,
  scope: StatsScope,
): ReportFilters {
  return {
    extra: sql`r.id in (select f.report_id from stats_report_facts f
      where f.created_date between ${from}::date and ${to}::date and ${factScope(scope)} and ${factKey(groupBy, key)})`,
  };
}

/** One page (20 rows) of the reports behind a dashboard row of `scope` that the caller may see. */
export async function drillDownReports(
  svc: Services,
  caller: Caller,
  req: { groupBy: StatsGroupBy; key: string; from: string; to: string; page: number; scope: StatsScope },
) {
  return listReports(
    svc,
    caller,
    drillFilters(req.groupBy, req.key, req.from, req.to, req.scope),
    req.page,
    20,
  );
}

/**
 * The display name of a row key that names a database row (an agency, a region, a category), for the drill-down
 * heading; null for the other groupings (labelled from the locale) and for an unknown key.
 */
export async function drillKeyName(db: AppDb, groupBy: StatsGroupBy, key: string): Promise<string | null> {
  const lookup =
    groupBy === 'agency'
      ? sql`select name from agencies where id = ${key}`
      : groupBy === 'region'
        ? sql`select name from regions where code = ${key}`
        : groupBy === 'category' && /^\d{1,9}$/.test(key)
          ? sql`select name from categories where id = ${Number(key)}`
          : null;
  if (!lookup) return null;
  const [row] = await query<{ name: string }>(db, lookup);
  return row?.name ?? null;
}

/**
 * The time zone a scope's staff read times in: a region's own (WIB, WITA, WIT by province), an agency's stored
 * zone, WIB for national staff. Staff pages show a report's times in its handling zone; pages about a scope
 * rather than a report (the routing accuracy page) use this one.
 */
export async function scopeZone(db: AppDb, scope: StatsScope): Promise<ZoneName> {
  if (scope.kind === 'region') return zoneForRegion(scope.regionCode);
  if (scope.kind === 'agency') {
    const [a] = await query<{ zone: string | null; region_code: string | null }>(
      db,
      sql`select zone, region_code from agencies where id = ${scope.agencyId}`,
    );
    if (a?.zone === 'WIB' || a?.zone === 'WITA' || a?.zone === 'WIT') return a.zone;
    return a?.region_code ? zoneForRegion(a.region_code) : 'WIB';
  }
  return 'WIB';
}
