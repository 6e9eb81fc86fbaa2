/** Read side for reports: scoped lists with filters and full-text search, one report, and its timeline. */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { listEvents, type EventRow } from '../db/repositories/events.ts';
import {
  loadReport,
  withAgenciesMany,
  type LoadedReport,
  type ReportRow,
} from '../db/repositories/reports.ts';
import { attachments, reports } from '../db/schema.ts';
import { withheldInline } from '../presenters/attachment.ts';
import { byReporterAccount, reporterTextMask } from './reporter-account.ts';
import { OPEN_STATUSES, type ReportStatus } from '../domain/report/report.ts';
import { authorize } from './access.ts';
import { permissionsFor, type PolicyAction, type ReportSubject } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { inRegion, isPublicActor, visibleTo } from './scope.ts';
import { ReadCache } from './read-cache.ts';
import { zoneOfRegionSql } from './sweep-candidates.ts';
import { ZONE_OFFSET_MINUTES } from '../domain/deadline/calendar.ts';
import { getTableColumns } from 'drizzle-orm';

/** Filters of GET /api/v1/reports (docs/api-v1.md). */
export interface ReportFilters {
  status?: ReportStatus[] | undefined;
  agencyId?: string | undefined;
  categoryId?: number | undefined;
  regionCode?: string | undefined;
  classification?: string | undefined;
  q?: string | undefined;
  overdue?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Only reports waiting in the caller's own verification queue, etc. (back-office tabs). */
  extra?: SQL | undefined;
  /**
   * Row order: `newest` (default) or `due` (running deadline soonest first, no deadline last). Unset with `q`: by
   * relevance (the back-office search sets it when its reader picks an order).
   */
  orderBy?: 'newest' | 'due' | undefined;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

const columnList = () => {
  const cols = Object.values(getTableColumns(reports)).map((c) => sql.raw(`r."${c.name}"`));
  return sql.join(cols, sql`, `);
};

/** Converts a raw row (snake_case) to the Drizzle row shape. */
function toRow(raw: Record<string, unknown>): ReportRow {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(reports))) {
    let v = raw[col.name];
    if (v !== null && v !== undefined && col.columnType === 'PgTimestamp') v = new Date(v as string);
    out[key] = v;
  }
  return out as ReportRow;
}

const REPORTS_FROM = sql`from reports r left join agencies a on a.id = r.agency_id left join agencies t on t.id = r.target_agency_id`;

/** The condition of `listReports` over `REPORTS_FROM` (`r` the report, `a` its agency, `t` its target agency). */
function reportsWhere(svc: Services, caller: Caller, filters: ReportFilters): SQL {
  const where: SQL[] = [visibleTo(caller.actor)];
  if (filters.status?.length)
    where.push(
      sql`r.status in (${sql.join(
        filters.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (filters.agencyId) where.push(sql`a.path like ${`%/${filters.agencyId}/%`}`);
  if (filters.categoryId !== undefined) {
    where.push(
      sql`(r.category_id = ${filters.categoryId} or r.category_id in (select id from categories where parent_id = ${filters.categoryId}))`,
    );
  }
  if (filters.regionCode) {
    where.push(
      sql`(r.region_code = ${filters.regionCode} or r.region_code like ${`${filters.regionCode}.%`})`,
    );
  }
  if (filters.classification) where.push(sql`r.classification = ${filters.classification}`);
  if (filters.q) where.push(sql`r.search @@ websearch_to_tsquery('indonesian', ${filters.q})`);
  if (filters.overdue) {
    where.push(
      sql`(r.due_at < ${svc.now().toISOString()} and r.status in (${sql.join(
        OPEN_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )}))`,
    );
  }
  // Dates are local days in the report's zone (the zone its times are shown in: `reportZone`), whatever the database
  // session's time zone: the bound on the bare column (widest offset) keeps the index usable, the local time decides.
  if (filters.from || filters.to) {
    const local = sql`((r.created_at at time zone 'UTC') + make_interval(mins => (case coalesce(a.zone, t.zone, ${zoneOfRegionSql(
      sql`r.region_code`,
    )}) ${sql.raw(
      Object.entries(ZONE_OFFSET_MINUTES)
        .map(([zone, minutes]) => `when '${zone}' then ${minutes}`)
        .join(' '),
    )} end)))`;
    const day = (d: string, plusDays = 0) => Date.parse(`${d}T00:00:00Z`) + plusDays * 86_400_000;
    const offsets = Object.values(ZONE_OFFSET_MINUTES).map((m) => m * 60_000);
    const iso = (ms: number) => new Date(ms).toISOString();
    if (filters.from)
      where.push(
        sql`(r.created_at >= ${iso(day(filters.from) - Math.max(...offsets))} and ${local} >= ${filters.from}::timestamp)`,
      );
    if (filters.to)
      where.push(
        sql`(r.created_at < ${iso(day(filters.to, 1) - Math.min(...offsets))} and ${local} < (${filters.to}::date + 1)::timestamp)`,
      );
  }
  if (filters.extra) where.push(filters.extra);
  return sql.join(where, sql` and `);
}

/** How many reports `listReports` finds for these filters (without loading them). */
export async function countReports(svc: Services, caller: Caller, filters: ReportFilters): Promise<number> {
  return countWhere(svc, reportsWhere(svc, caller, filters));
}

async function countWhere(svc: Services, cond: SQL, from: SQL = REPORTS_FROM): Promise<number> {
  const [{ total } = { total: 0 }] = await query<{ total: number }>(
    svc.db,
    sql`select count(*)::int as total ${from} where ${cond}`,
  );
  return Number(total);
}

/** A full-text search with more matches than this lists them newest first instead of by relevance. */
let rankedMatches = 10_000;

/** Sets the number of matches up to which a search is ranked by relevance (tests); returns the previous one. */
export function setRankedMatches(n: number): number {
  const previous = rankedMatches;
  rankedMatches = n;
  return previous;
}

/** How long a public list's total is reused while no report changed (by the service clock). */
export const PUBLIC_TOTAL_TTL_MS = 60_000;
const publicTotals = new ReadCache<number>({ ttlMs: PUBLIC_TOTAL_TTL_MS, max: 500 });

/**
 * The total of a list for the public (no account, no grants: the public feed and the JSON API without a token).
 * Counting every public report takes about 120–250 ms at 1,000,000 reports (docs/benchmarks.md), on every page of the
 * feed; so it is counted over `reports` alone when no filter reads an agency, and reused, per database handle and
 * filter set, while the newest report event and the newest report change are the same ones (any action, a new
 * report, a changed report moves them), at most `PUBLIC_TOTAL_TTL_MS`. Measured at 1M reports with a report
 * changing every 7.5 s (LAPOR!'s national rate), every 1 s and every 0.1 s: 642 / 545 / 184 req/s against 654 without
 * changes (docs/benchmarks.md); a total that lags the list it heads is not worth the first two.
 */
async function publicTotal(svc: Services, cond: SQL, filters: ReportFilters): Promise<number> {
  const joins = filters.agencyId || filters.from || filters.to;
  const count = () => countWhere(svc, cond, joins ? REPORTS_FROM : sql`from reports r`);
  if (filters.extra) return count();
  const [v] = await query<{ e: string | null; u: string | null }>(
    svc.db,
    sql`select (select max(id) from report_events)::text as e, (select max(updated_at) from reports)::text as u`,
  );
  const { extra: _extra, ...plain } = filters;
  return publicTotals.get(svc.db, JSON.stringify(plain), svc.now(), count, `${v?.e ?? ''}/${v?.u ?? ''}`);
}

/** Lists the reports the caller may see, newest first. */
export async function listReports(
  svc: Services,
  caller: Caller,
  filters: ReportFilters,
  page: number,
  pageSize: number,
): Promise<Page<LoadedReport>> {
  const cond = reportsWhere(svc, caller, filters);
  const from = REPORTS_FROM;
  const total = isPublicActor(caller.actor)
    ? await publicTotal(svc, cond, filters)
    : await countWhere(svc, cond);
  // Ranked by relevance up to `rankedMatches` matches (10,000); a search matching more (a common word at a large
  // instance) lists the newest first, as ranking them all costs a read of every match.
  const order =
    filters.q && !filters.orderBy && total <= rankedMatches
      ? sql`ts_rank(r.search, websearch_to_tsquery('indonesian', ${filters.q})) desc, r.created_at desc`
      : filters.orderBy === 'due'
        ? sql`r.due_at asc nulls last, r.created_at asc`
        : sql`r.created_at desc`;
  const raw = await query<Record<string, unknown>>(
    svc.db,
    sql`select ${columnList()} ${from} where ${cond} order by ${order} limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const items = await withAgenciesMany(svc.db, raw.map(toRow));
  return { items, page, pageSize, total };
}

/** One report as the caller may see it, with the subject and permissions used to present it. */
export interface VisibleReport {
  report: LoadedReport;
  subject: ReportSubject;
  permissions: Record<PolicyAction, boolean>;
}

/** Loads one report for the caller (404 when hidden). */
export async function getReport(svc: Services, caller: Caller, trackingId: string): Promise<VisibleReport> {
  const report = await loadReport(svc.db, trackingId);
  const subject = authorize(report, caller, 'view');
  return { report: report!, subject, permissions: permissionsFor(caller.actor, subject) };
}

/**
 * The timeline the caller may see: internal notes only for staff in scope; the conversation with the reporter
 * (visibility `reporter`) also for the Ombudsman office the report was handed over to (`handOff`), as its package.
 */
export async function timelineFor(
  svc: Services,
  visible: VisibleReport,
  opts: { handOff?: boolean } = {},
): Promise<EventRow[]> {
  const events = await listEvents(svc.db, visible.report.row.id);
  const { permissions, subject } = visible;
  const shown = events.filter((e) => {
    if (e.visibility === 'public') return true;
    if (e.visibility === 'reporter')
      return subject.isReporter || permissions.viewInternal || opts.handOff === true;
    return permissions.viewInternal;
  });
  const own = await withoutWithheldImages(svc, visible, await asReporterEvents(svc, visible, shown));
  return permissions.viewInternal ? own : withoutConfidentialKept(svc, own);
}

/**
 * The upload events of images withheld from the caller (`withheldInline`: from the body of an anonim reporter's
 * email, not released) without the file's id and size: the timeline says a file came, never which one, so the
 * JSON timeline lists no withheld image.
 */
async function withoutWithheldImages(
  svc: Services,
  visible: VisibleReport,
  events: EventRow[],
): Promise<EventRow[]> {
  const { row } = visible.report;
  const mayViewReporter = visible.subject.isReporter || visible.permissions.viewReporter;
  if (!row.anonymous || mayViewReporter) return events;
  const held = await svc.db
    .select({ id: attachments.id, emailInline: attachments.emailInline, releasedAt: attachments.releasedAt })
    .from(attachments)
    .where(and(eq(attachments.reportId, row.id), eq(attachments.emailInline, true)));
  const withheld = new Set(held.filter((f) => withheldInline(f, row.anonymous, false)).map((f) => f.id));
  if (withheld.size === 0) return events;
  return events.map((e) => {
    const data = e.data as Record<string, unknown> | null;
    if (e.type !== 'attachment' || !withheld.has(String(data?.attachmentId))) return e;
    return { ...e, data: { mime: data!.mime, emailInline: true, withheld: true } };
  });
}

/**
 * On an anonim report, what the reporter's own account wrote as a citizen (a public comment before it claimed the
 * report, filed without that account) is the reporter's: shown as the reporter's (`actorRole` `reporter`, so no
 * surface names the account or gives its id: presentEvent, the staff page) and, for a reader who may not see the
 * reporter, with the reporter's sealed identity and the account's own name and email masked in its text
 * (`reporter-account.ts`, which Open311, webhooks and the hand-off package use too). A third party's comment keeps its
 * author. The stored events are never changed (they are hash-chained).
 */
async function asReporterEvents(
  svc: Services,
  visible: VisibleReport,
  events: EventRow[],
): Promise<EventRow[]> {
  const { row } = visible.report;
  const theirs = (e: EventRow) => byReporterAccount(row, e);
  if (!events.some(theirs)) return events;
  const masked = !visible.subject.isReporter && !visible.permissions.viewReporter;
  const mask = masked ? await reporterTextMask(svc, row) : null;
  return events.map((e) =>
    theirs(e)
      ? { ...e, actorRole: 'reporter', actorAgencyId: null, body: e.body && mask ? mask(e.body) : e.body }
      : e,
  );
}

/**
 * A duplicate's archive event names the report it was merged into (`duplicateOf`, which its reporter reads) only
 * when that report was not rahasia at the merge (else `keptTrackingId`, staff only). The kept report may be made
 * rahasia later (ADR 0011): readers other than staff in scope then read the event as if it had been rahasia at the
 * merge, so its number and link leave the duplicate's tracking page, JSON timeline and notifications built from it.
 */
async function withoutConfidentialKept(svc: Services, events: EventRow[]): Promise<EventRow[]> {
  const kept = (e: EventRow) => {
    const d = e.data as Record<string, unknown> | null;
    return e.type === 'archive' && typeof d?.duplicateOf === 'string' ? d.duplicateOf : null;
  };
  const named = [...new Set(events.map(kept).filter((k): k is string => k !== null))];
  if (named.length === 0) return events;
  const rahasia = await query<{ tracking_id: string }>(
    svc.db,
    sql`select tracking_id from reports
         where confidential and tracking_id in (${sql.join(
           named.map((k) => sql`${k}`),
           sql`, `,
         )})`,
  );
  if (rahasia.length === 0) return events;
  const hidden = new Set(rahasia.map((r) => r.tracking_id));
  return events.map((e) => {
    const k = kept(e);
    if (k === null || !hidden.has(k)) return e;
    const { duplicateOf: _named, ...rest } = e.data as Record<string, unknown>;
    return { ...e, data: { ...rest, keptTrackingId: k } };
  });
}

/**
 * Reports handed over to the caller's Ombudsman offices (status `transferred`, in a grant's region; every region for
 * a grant without one): the SQL twin of `isOmbudsmanOnTransferred`, so the public transfers of other regions (which
 * `visibleTo` also lets through) are not listed. No Ombudsman grant: nothing.
 */
export function listHandedOver(
  svc: Services,
  caller: Caller,
  page: number,
  pageSize: number,
): Promise<Page<LoadedReport>> {
  const regions = caller.actor.grants
    .filter((g) => g.role === 'ombudsman')
    .map((g) => (g.regionCode ? inRegion(g.regionCode) : sql`true`));
  const extra = regions.length ? sql`(${sql.join(regions, sql` or `)})` : sql`false`;
  return listReports(svc, caller, { status: ['transferred'], extra }, page, pageSize);
}
