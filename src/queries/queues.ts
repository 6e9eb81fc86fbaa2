/**
 * Back-office queues (osTicket "queues", Zammad "overviews"): one tab per stage of the work, each a SQL
 * condition ANDed with `visibleTo(actor)`, so that every row is a report the caller may open. Counts for
 * every tab come back in one round trip; rows come from `listReports` with the tab's condition.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { loadCalendar, loadSlaRules } from '../db/repositories/calendar.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import {
  formatIsoInZone,
  localDate,
  workingDaysBetween,
  zoneForRegion,
} from '../domain/deadline/calendar.ts';
import { dayUnitOf, deadlineStatus, type DayUnit } from '../domain/deadline/sla.ts';
import { OPEN_STATUSES, type ReportStatus, type ZoneName } from '../domain/report/report.ts';
import type { Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { listReports, type Page } from './reports.ts';
import { inList, inRegion, visibleTo } from './scope.ts';

/** The queue tabs, in display order. */
export const QUEUE_TABS = [
  'verify',
  'on_hold',
  'returned',
  'dispatched',
  'assigned',
  'follow_up',
  'overdue',
  'ombudsman',
] as const;
/** One queue tab. */
export type QueueTab = (typeof QUEUE_TABS)[number];

/** Roles that may use the back office at all. */
export const BACK_OFFICE_ROLES = ['national_admin', 'coordinator', 'agency_admin', 'officer'] as const;

/** True when the actor holds at least one back-office role (the `/kantor` gate). */
export function isBackOfficeActor(actor: Actor): boolean {
  return actor.grants.some((g) => (BACK_OFFICE_ROLES as readonly string[]).includes(g.role));
}

const or = (parts: SQL[]) => (parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`);

/**
 * Reports the actor verifies: the national admin everywhere, a coordinator in its region, an agency
 * admin when the reporter addressed its agency (or a unit below it). Mirrors `can(verify)`.
 */
export function verifierScope(actor: Actor): SQL {
  const parts: SQL[] = [];
  for (const g of actor.grants) {
    if (g.role === 'national_admin') return sql`true`;
    if (g.role === 'coordinator' && g.regionCode) parts.push(inRegion(g.regionCode));
    if (g.role === 'agency_admin' && g.agencyId) parts.push(sql`t.path like ${`%/${g.agencyId}/%`}`);
  }
  return or(parts);
}

/**
 * Dispatched reports the actor handles or chases: agency staff for their agency subtree, a coordinator
 * for its region, the national admin everywhere.
 */
export function handlerScope(actor: Actor): SQL {
  const parts: SQL[] = [];
  for (const g of actor.grants) {
    if (g.role === 'national_admin') return sql`r.agency_id is not null`;
    if (g.role === 'coordinator' && g.regionCode)
      parts.push(sql`(r.agency_id is not null and ${inRegion(g.regionCode)})`);
    if ((g.role === 'agency_admin' || g.role === 'officer') && g.agencyId)
      parts.push(sql`a.path like ${`%/${g.agencyId}/%`}`);
  }
  return or(parts);
}

/**
 * Reports the sweeper offered the Ombudsman hand-off (escalation deadline passed; `ombudsman_offer` event and its
 * `sweep_log` row, written in one transaction) that are still open, so waiting for the reporter's consent
 * (`escalate` from any open status), or already handed over (`transferred`). The offers are read from `sweep_log`
 * by its action index once per statement (hashed), not per report.
 */
export const OMBUDSMAN_REPORT = sql`(r.status = 'transferred' or (r.status in (${inList(OPEN_STATUSES)}) and r.id in (select s.report_id from sweep_log s where s.action = 'ombudsman_offer')))`;

/**
 * Which tabs a role sees: verifier tabs only for roles that verify. The Ombudsman tab too: the roles that watch
 * over a whole region or agency tree (national admin, coordinators, agency admins), not officers.
 */
export function tabsFor(actor: Actor): QueueTab[] {
  const verifies = actor.grants.some((g) =>
    ['national_admin', 'coordinator', 'agency_admin'].includes(g.role),
  );
  const handles = actor.grants.some((g) => ['national_admin', 'agency_admin', 'officer'].includes(g.role));
  const all = verifies ? [...QUEUE_TABS] : (['dispatched', 'assigned', 'follow_up', 'overdue'] as QueueTab[]);
  return handles ? all : all.filter((t) => t !== 'assigned');
}

/** Tabs that are to-do lists: sorted by the running deadline (soonest first) unless asked otherwise. */
export const TODO_TABS: readonly QueueTab[] = ['verify', 'on_hold', 'assigned', 'follow_up', 'overdue'];

/** Queue sort orders: running deadline soonest first, or newest first. */
export const QUEUE_SORTS = ['due', 'newest'] as const;
/** One queue sort order. */
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The default order of a tab: by deadline for to-do tabs, newest first for the others. */
export function defaultSort(tab: QueueTab): QueueSort {
  return TODO_TABS.includes(tab) ? 'due' : 'newest';
}

/**
 * The condition of one tab. `overdue` counts only clocks staff own (verification, follow-up, completion):
 * an expired hold reply or reporter window is the reporter's, and the worker closes those.
 */
export function tabCondition(tab: QueueTab, actor: Actor, now: Date): SQL {
  const v = verifierScope(actor);
  const h = handlerScope(actor);
  switch (tab) {
    case 'verify':
      return sql`(r.status in ('submitted', 'returned') and ${v})`;
    case 'on_hold':
      return sql`(r.status = 'on_hold' and ${v})`;
    case 'returned':
      return sql`(r.status = 'returned' and ${v})`;
    case 'dispatched':
      return sql`(r.status in ('dispatched', 'in_progress', 'responded') and ${h})`;
    case 'assigned':
      return actor.userId
        ? sql`(r.status in ('dispatched', 'in_progress', 'responded') and r.assignee_user_id = ${actor.userId} and ${h})`
        : sql`false`;
    case 'follow_up':
      return sql`(r.status in ('dispatched', 'in_progress') and ${h})`;
    case 'overdue':
      return sql`(r.due_at < ${now.toISOString()} and ((r.status in ('submitted', 'returned') and ${v}) or (r.status in ('dispatched', 'in_progress') and ${h})))`;
    case 'ombudsman':
      // Offered before or after verification: the verifier scope or the handler scope.
      return sql`(${OMBUDSMAN_REPORT} and (${v} or ${h}))`;
  }
}

/** The statuses a report of some tab has (each tab's condition names some of them). */
const QUEUE_STATUSES: readonly ReportStatus[] = [...OPEN_STATUSES, 'transferred'];

/** Counts of every tab the actor sees, in one statement (`count(*) filter (where …)`). */
export async function queueCounts(svc: Services, caller: Caller): Promise<Record<QueueTab, number>> {
  const tabs = tabsFor(caller.actor);
  const now = svc.now();
  const cols = tabs.map(
    (tab) =>
      sql`count(*) filter (where ${tabCondition(tab, caller.actor, now)})::int as ${sql.raw(`"${tab}"`)}`,
  );
  // Every tab holds open or transferred reports only: the completed and archived ones, most of a long-running
  // instance's reports, are not read (`reports_status_idx`).
  const [row] = await query<Record<string, number>>(
    svc.db,
    sql`select ${sql.join(cols, sql`, `)} from reports r left join agencies a on a.id = r.agency_id left join agencies t on t.id = r.target_agency_id
        where r.status in (${inList(QUEUE_STATUSES)}) and ${visibleTo(caller.actor)}`,
  );
  const out = Object.fromEntries(QUEUE_TABS.map((t) => [t, 0])) as Record<QueueTab, number>;
  for (const tab of tabs) out[tab] = Number(row?.[tab] ?? 0);
  return out;
}

/** A deadline as a badge: traffic-light state, working days left (or late), and the stored explanation. */
export interface DeadlineBadge {
  state: 'on_time' | 'due_soon' | 'overdue';
  clock: string;
  /** ISO 8601 in the handling zone. */
  dueAt: string;
  zone: ZoneName;
  /**
   * Days left (on time / due soon) or days late (overdue), in the unit the clock's rule counts (`dayUnit`): hari kerja
   * by default, calendar days for a rule that says so (a Pergub may set one, `aduan sla set --day-unit calendar`).
   */
  workingDays: number;
  dayUnit: DayUnit;
  explanation: { id: string; en: string };
}

interface StoredDeadline {
  clock: string;
  ruleId?: string;
  ruleVersion?: number;
  dueAt: string;
  explanation: { id: string; en: string };
}

/** The zone and region whose calendar counts a report's days: the handling agency's, else the target's or the region's. */
function badgeScope(r: LoadedReport): { zone: ZoneName; regionCode: string | null } {
  const agency = r.agency ?? r.target;
  if (agency) return { zone: agency.zone as ZoneName, regionCode: agency.regionCode ?? r.row.regionCode };
  return { zone: r.row.regionCode ? zoneForRegion(r.row.regionCode) : 'WIB', regionCode: r.row.regionCode };
}

/** Local dates after `from`'s up to and including `to`'s, in `zone` (0 when `to` is not after `from`). */
function calendarDaysBetween(from: Date, to: Date, zone: ZoneName): number {
  if (to.getTime() <= from.getTime()) return 0;
  const day = (d: Date) => Date.parse(`${localDate(d, zone)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** The badge of a report's running deadline at `now`, or null when no clock runs. */
export async function deadlineBadge(
  svc: Services,
  r: LoadedReport,
  now: Date,
): Promise<DeadlineBadge | null> {
  const d = r.row.deadline as StoredDeadline | null;
  if (!d) return null;
  const scope = badgeScope(r);
  const [cal, rules] = await Promise.all([
    loadCalendar(svc.db, scope.zone, scope.regionCode),
    loadSlaRules(svc.db),
  ]);
  const due = new Date(d.dueAt);
  const state = deadlineStatus({ dueAt: d.dueAt }, now, cal);
  // The countdown in the rule's own unit: a calendar-day clock counts weekends and holidays too.
  const rule = rules.find((r) => r.id === d.ruleId && r.version === d.ruleVersion);
  const dayUnit = rule ? dayUnitOf(rule) : 'working';
  const between = (from: Date, to: Date) =>
    dayUnit === 'calendar' ? calendarDaysBetween(from, to, scope.zone) : workingDaysBetween(from, to, cal);
  return {
    state,
    clock: d.clock,
    dueAt: formatIsoInZone(due, scope.zone),
    zone: scope.zone,
    workingDays: state === 'overdue' ? between(due, now) : between(now, due),
    dayUnit,
    explanation: d.explanation,
  };
}

/** One queue row: the report plus its deadline badge. */
export interface QueueRow {
  report: LoadedReport;
  badge: DeadlineBadge | null;
  /**
   * On the Ombudsman tab: handed over (`transferred`, since the hand-off) or offered and waiting for the reporter's
   * consent (since the offer), the instant as ISO 8601 in the report's zone (null when not recorded).
   */
  ombudsman?: { state: 'offered' | 'transferred'; since: string | null } | undefined;
}

/** When each report was offered the Ombudsman hand-off (`sweep_log`, action `ombudsman_offer`). */
async function offeredAt(svc: Services, reportIds: string[]): Promise<Map<string, Date>> {
  if (reportIds.length === 0) return new Map();
  const rows = await query<{ report_id: string; created_at: string | Date }>(
    svc.db,
    sql`select report_id, min(created_at) as created_at from sweep_log
        where action = 'ombudsman_offer' and report_id in (${sql.join(
          reportIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        group by report_id`,
  );
  return new Map(rows.map((r) => [String(r.report_id), new Date(r.created_at)]));
}

/** One page of a tab in the given order (default: `defaultSort(tab)`), every row visible to the caller. */
export async function listQueue(
  svc: Services,
  caller: Caller,
  tab: QueueTab,
  page: number,
  pageSize = 20,
  sort: QueueSort = defaultSort(tab),
): Promise<Page<QueueRow>> {
  const now = svc.now();
  const result = await listReports(
    svc,
    caller,
    { extra: tabCondition(tab, caller.actor, now), orderBy: sort },
    page,
    pageSize,
  );
  const offers =
    tab === 'ombudsman'
      ? await offeredAt(
          svc,
          result.items.map((r) => r.row.id),
        )
      : new Map<string, Date>();
  const items = await Promise.all(
    result.items.map(async (report): Promise<QueueRow> => {
      const row: QueueRow = { report, badge: await deadlineBadge(svc, report, now) };
      if (tab !== 'ombudsman') return row;
      const transferred = report.row.status === 'transferred';
      const at = transferred ? report.row.closedAt : offers.get(report.row.id);
      const zone = badgeScope(report).zone;
      row.ombudsman = {
        state: transferred ? 'transferred' : 'offered',
        since: at ? formatIsoInZone(at, zone) : null,
      };
      return row;
    }),
  );
  return { ...result, items };
}
