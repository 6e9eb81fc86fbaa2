/**
 * What the deadline sweeper looks at: running clocks of open reports due soon or past due, old open
 * reports (Ombudsman offer), the sweep_log keys already done, calendars and rules, and the coordinator
 * of a region. Read-only; the sweeper acts through commands.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { agencies, settings, sweepLog } from '../db/schema.ts';
import { loadCalendar, loadSlaRules } from '../db/repositories/calendar.ts';
import { OPEN_STATUSES, type ZoneName } from '../domain/report/report.ts';
import type { WorkingCalendar } from '../domain/deadline/calendar.ts';
import type { SlaRule } from '../domain/deadline/sla.ts';
import type { Services } from '../app/context.ts';

/** A running clock of an open report. */
export interface OpenClockRow {
  deadlineId: number;
  reportId: string;
  trackingId: string;
  status: string;
  classification: string;
  supervisory: boolean;
  clock: string;
  ruleId: string;
  ruleVersion: number;
  dueAt: Date;
  /** Calendar scope: the deadline's agency zone/region, else the report's region. */
  zone: ZoneName | null;
  agencyRegion: string | null;
  regionCode: string | null;
  /** Who holds the report now (handling agency), and the agency the reporter chose. */
  agencyId: string | null;
  targetAgencyId: string | null;
  createdAt: Date;
}

/** A due-time range `(from, to]` of running clocks to read (incremental sweeps). */
export type DueWindow = readonly [Date, Date];

/**
 * Open clocks due before `horizon`, or — incremental — due inside one of `windows`. Both are range scans on
 * the partial index report_deadlines_running_idx (due_at where stopped_at is null), and steps already in
 * sweep_log are dropped in SQL, so an incremental sweep costs in proportion to the clocks in its windows.
 */
export async function clocksDueBefore(
  svc: Services,
  horizon: Date,
  windows?: readonly DueWindow[],
): Promise<OpenClockRow[]> {
  const open = sql.join(
    OPEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  const range = windows
    ? windows.length
      ? sql`(${sql.join(
          windows.map(
            ([a, b]) =>
              sql`(d.due_at > ${a.toISOString()}::timestamptz and d.due_at <= ${b.toISOString()}::timestamptz)`,
          ),
          sql` or `,
        )})`
      : sql`false`
    : sql`d.due_at <= ${horizon.toISOString()}::timestamptz`;
  const rows = await query<Record<string, unknown>>(
    svc.db,
    sql`select d.id, d.report_id, r.tracking_id, r.status, r.classification, r.supervisory, d.clock, d.rule_id,
          d.rule_version, d.due_at, a.zone, a.region_code as agency_region, r.region_code, r.agency_id,
          r.target_agency_id, r.created_at
        from report_deadlines d
        join reports r on r.id = d.report_id
        left join agencies a on a.id = d.agency_id
        where d.stopped_at is null and ${range} and r.status in (${open})
        order by d.due_at, d.id`,
  );
  return rows.map((r) => ({
    deadlineId: Number(r.id),
    reportId: String(r.report_id),
    trackingId: String(r.tracking_id),
    status: String(r.status),
    classification: String(r.classification),
    supervisory: r.supervisory === true,
    clock: String(r.clock),
    ruleId: String(r.rule_id),
    ruleVersion: Number(r.rule_version),
    dueAt: new Date(r.due_at as string),
    zone: (r.zone as ZoneName | null) ?? null,
    agencyRegion: (r.agency_region as string | null) ?? null,
    regionCode: (r.region_code as string | null) ?? null,
    agencyId: (r.agency_id as string | null) ?? null,
    targetAgencyId: (r.target_agency_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
  }));
}

/** An open report old enough to be offered the Ombudsman hand-off. */
export interface OldReportRow {
  reportId: string;
  trackingId: string;
  classification: string;
  supervisory: boolean;
  createdAt: Date;
  regionCode: string | null;
  zone: ZoneName | null;
  agencyRegion: string | null;
}

/** Open (not on hold) reports created before `before` (and, incremental, after `after`), not yet offered. */
export async function openReportsCreatedBefore(
  svc: Services,
  before: Date,
  after?: Date,
): Promise<OldReportRow[]> {
  const open = sql.join(
    OPEN_STATUSES.filter((s) => s !== 'on_hold').map((s) => sql`${s}`),
    sql`, `,
  );
  const rows = await query<Record<string, unknown>>(
    svc.db,
    sql`select r.id, r.tracking_id, r.classification, r.supervisory, r.created_at, r.region_code, a.zone,
          a.region_code as agency_region
        from reports r left join agencies a on a.id = r.agency_id
        where r.status in (${open}) and r.created_at <= ${before.toISOString()}::timestamptz
          ${after ? sql`and r.created_at > ${after.toISOString()}::timestamptz` : sql``}
          and not exists (select 1 from sweep_log s where s.key = 'ombudsman_offer:' || r.id::text)
        order by r.created_at`,
  );
  return rows.map((r) => ({
    reportId: String(r.id),
    trackingId: String(r.tracking_id),
    classification: String(r.classification),
    supervisory: r.supervisory === true,
    createdAt: new Date(r.created_at as string),
    regionCode: (r.region_code as string | null) ?? null,
    zone: (r.zone as ZoneName | null) ?? null,
    agencyRegion: (r.agency_region as string | null) ?? null,
  }));
}

/** sweep_log keys already recorded for these reports. */
export async function doneSweepKeys(svc: Services, reportIds: string[]): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const out = new Set<string>();
  for (let i = 0; i < reportIds.length; i += 1000) {
    const rows = await svc.db
      .select({ key: sweepLog.key })
      .from(sweepLog)
      .where(inArray(sweepLog.reportId, reportIds.slice(i, i + 1000)));
    for (const r of rows) out.add(r.key);
  }
  return out;
}

/** The working calendar of a zone and region. */
export function calendarOf(
  svc: Services,
  zone: ZoneName,
  regionCode: string | null,
): Promise<WorkingCalendar> {
  return loadCalendar(svc.db, zone, regionCode);
}

/** Every SLA rule version. */
export function slaRulesNow(svc: Services): Promise<SlaRule[]> {
  return loadSlaRules(svc.db);
}

/** The region's coordinator (Diskominfo of the kab/kota, else of the province), by agency id. */
export async function coordinatorFor(svc: Services, agencyId: string | null): Promise<string | null> {
  if (!agencyId) return null;
  const [a] = await svc.db.select().from(agencies).where(eq(agencies.id, agencyId)).limit(1);
  if (!a?.regionCode) return null;
  const candidates = [a.regionCode, a.regionCode.split('.')[0]!];
  for (const code of candidates) {
    const [c] = await svc.db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(eq(agencies.isCoordinator, true), eq(agencies.regionCode, code), eq(agencies.active, true)))
      .limit(1);
    if (c) return c.id;
  }
  return null;
}

/** The escalation ladder stored in settings (`sweep.ladder`), or null for the default. */
export async function storedLadder(svc: Services): Promise<unknown> {
  const [row] = await svc.db.select().from(settings).where(eq(settings.key, 'sweep.ladder')).limit(1);
  return row?.value ?? null;
}

/** Overdue marks per agency (sweep_log), for metrics and the CLI. */
export async function overdueCountsByAgency(
  svc: Services,
): Promise<Array<{ agencyId: string | null; n: number }>> {
  return query(
    svc.db,
    sql`select agency_id as "agencyId", count(*)::int as n from sweep_log where action = 'overdue' group by 1 order by 2 desc`,
  );
}

/** The sweeper's watermark: the moment up to which an incremental sweep has planned everything. */
export async function sweptUntil(svc: Services): Promise<Date | null> {
  const [row] = await svc.db.select().from(settings).where(eq(settings.key, 'sweep.swept_until')).limit(1);
  return typeof row?.value === 'string' ? new Date(row.value) : null;
}
