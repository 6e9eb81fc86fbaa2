/**
 * Back-office queues (osTicket "queues", Zammad "overviews"): one tab per stage of the work, each a SQL
 * condition ANDed with `visibleTo(actor)`, so that every row is a report the caller may open. Counts for
 * every tab come back in one round trip; rows come from `listReports` with the tab's condition.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { loadCalendar } from '../db/repositories/calendar.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import { formatIsoInZone, workingDaysBetween, zoneForRegion } from '../domain/deadline/calendar.ts';
import { deadlineStatus } from '../domain/deadline/sla.ts';
import type { ZoneName } from '../domain/report/report.ts';
import type { Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { listReports, type Page } from './reports.ts';
import { visibleTo } from './scope.ts';

/** The queue tabs, in display order. */
export const QUEUE_TABS = [
  'verify',
  'on_hold',
  'returned',
  'dispatched',
  'assigned',
  'follow_up',
  'overdue',
] as const;
/** One queue tab. */
export type QueueTab = (typeof QUEUE_TABS)[number];

/** Roles that may use the back office at all. */
export const BACK_OFFICE_ROLES = ['national_admin', 'coordinator', 'agency_admin', 'officer'] as const;

/** True when the actor holds at least one back-office role (the `/kantor` gate). */
export function isBackOfficeActor(actor: Actor): boolean {
  return actor.grants.some((g) => (BACK_OFFICE_ROLES as readonly string[]).includes(g.role));
}

const inRegion = (scope: string) => sql`(r.region_code = ${scope} or r.region_code like ${`${scope}.%`})`;
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

/** Which tabs a role sees: verifier tabs only for roles that verify. */
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
  }
}

/** Counts of every tab the actor sees, in one statement (`count(*) filter (where …)`). */
export async function queueCounts(svc: Services, caller: Caller): Promise<Record<QueueTab, number>> {
  const tabs = tabsFor(caller.actor);
  const now = svc.now();
  const cols = tabs.map(
    (tab) =>
      sql`count(*) filter (where ${tabCondition(tab, caller.actor, now)})::int as ${sql.raw(`"${tab}"`)}`,
  );
  const [row] = await query<Record<string, number>>(
    svc.db,
    sql`select ${sql.join(cols, sql`, `)} from reports r left join agencies a on a.id = r.agency_id left join agencies t on t.id = r.target_agency_id where ${visibleTo(caller.actor)}`,
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
  /** Working days left (on time / due soon) or working days late (overdue). */
  workingDays: number;
  explanation: { id: string; en: string };
}

interface StoredDeadline {
  clock: string;
  dueAt: string;
  explanation: { id: string; en: string };
}

/** The zone and region whose calendar counts a report's days: the handling agency's, else the target's or the region's. */
function badgeScope(r: LoadedReport): { zone: ZoneName; regionCode: string | null } {
  const agency = r.agency ?? r.target;
  if (agency) return { zone: agency.zone as ZoneName, regionCode: agency.regionCode ?? r.row.regionCode };
  return { zone: r.row.regionCode ? zoneForRegion(r.row.regionCode) : 'WIB', regionCode: r.row.regionCode };
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
  const cal = await loadCalendar(svc.db, scope.zone, scope.regionCode);
  const due = new Date(d.dueAt);
  const state = deadlineStatus({ dueAt: d.dueAt }, now, cal);
  return {
    state,
    clock: d.clock,
    dueAt: formatIsoInZone(due, scope.zone),
    zone: scope.zone,
    workingDays: state === 'overdue' ? workingDaysBetween(due, now, cal) : workingDaysBetween(now, due, cal),
    explanation: d.explanation,
  };
}

/** One queue row: the report plus its deadline badge. */
export interface QueueRow {
  report: LoadedReport;
  badge: DeadlineBadge | null;
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
  const items = await Promise.all(
    result.items.map(async (report) => ({ report, badge: await deadlineBadge(svc, report, now) })),
  );
  return { ...result, items };
}
