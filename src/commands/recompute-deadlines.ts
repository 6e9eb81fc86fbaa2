/**
 * Moving running clocks after a calendar edit. A holiday added, renamed or removed changes the working days
 * of every clock whose calendar it belongs to; without this, a report filed before the edit kept its stored
 * due date while one filed after it got another, and the countdown (counted with the current calendar)
 * disagreed with the stored date. Each affected clock is recomputed with its own rule version and start (the
 * explanation names the event that started it: a return, a supplement, a dispute…), and the report's copy of its
 * current deadline follows. Clocks already stopped never change; nothing is written
 * to the timeline (the due date shown is simply the right one again).
 */
import { sql } from 'drizzle-orm';
import { query, type Tx } from '../db/client.ts';
import { holidays as holidayTable, settings, slaRules } from '../db/schema.ts';
import {
  addCalendarDays,
  makeCalendar,
  startOfLocalDay,
  zoneForRegion,
  type Holiday,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import { computeDeadline, type SlaClock, type SlaRule } from '../domain/deadline/sla.ts';
import type { ZoneName } from '../domain/report/report.ts';
import type { Services } from '../app/context.ts';
import { invalidateCalendarCache, slaRuleOf } from '../db/repositories/calendar.ts';
import { deadlineColumns, START_EVENT_TYPES, startCauseOf, type StartEvent } from './clocks.ts';

/** A calendar edit: the date, and the region of a regional holiday (null: national, every calendar). */
export interface CalendarEdit {
  date: string;
  /** The last date of an edit that covers several (loading a year): clocks whose window meets any of them. */
  until?: string;
  regionCode: string | null;
}

interface ClockRow {
  id: string | number;
  report_id: string;
  clock: string;
  rule_id: string;
  rule_version: number;
  started_at: string | Date;
  due_at: string | Date;
  explanation: unknown;
  region_code: string | null;
  agency_zone: string | null;
  agency_region: string | null;
  has_agency: boolean;
  current_clock: string | null;
  current_started: string | null;
  /** The report's events recorded at the clock's start (clocks with several starts only), oldest first. */
  start_events: StartEvent[] | string | null;
}

/** Clocks that more than one event starts: their explanation names the event, found again from the timeline. */
const RESTARTED_CLOCKS = ['verification', 'follow_up', 'completion'] as const;

/** `a, b, c` as bound parameters, for `in (…)`. */
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * The calendars of one recomputation, built once per zone and regional class (not per clock): regions
 * without regional holidays of their own share their zone's calendar, as in the sweeper, so the deadline memo
 * of `computeDeadline` is shared too.
 */
class EditCalendars {
  private readonly prefixes: Set<string>;
  private readonly cals = new Map<string, WorkingCalendar>();

  constructor(private readonly holidays: readonly Holiday[]) {
    this.prefixes = new Set(
      holidays.filter((h) => h.kind === 'regional' && h.regionCode).map((h) => h.regionCode!.trim()),
    );
  }

  /** The calendar of `calendarScope` (clocks.ts): the clock's agency zone and region, else the report's. */
  of(zone: ZoneName, region: string | null): WorkingCalendar {
    let cls = '';
    if (region) {
      const parts = region.trim().split('.');
      for (let n = parts.length; n > 0 && !cls; n--) {
        const p = parts.slice(0, n).join('.');
        if (this.prefixes.has(p)) cls = p;
      }
    }
    const key = `${zone}|${cls}`;
    let cal = this.cals.get(key);
    if (!cal) this.cals.set(key, (cal = makeCalendar(zone, this.holidays, cls || undefined)));
    return cal;
  }
}

const CHUNK = 5_000;

/**
 * Recomputes, inside the edit's transaction `tx`, every running clock (report_deadlines with stopped_at null)
 * whose calendar the edit belongs to (national: every clock; regional: clocks whose calendar region, the
 * clock's agency's region else the report's, is the edited region or below it) and whose window can hold the
 * date (started on or before it, due on or after it, in any zone). A clock whose due time or explanation
 * changes is rewritten with its stored rule version and start, and the start's cause (a return, a supplement, a
 * dispute…) found again from the report's events recorded at that instant (`startCauseOf`); the report's `deadline`/`due_at` follow when
 * that clock is the report's current one, and the report's `updated_at` moves to `now` so the statistics
 * facts are refreshed. Returns the number of clocks rewritten.
 *
 * Holidays and rules are read from `tx` (the edit is not committed yet), never from the process cache.
 * One query finds the clocks; the updates go in batches through `json_to_recordset`.
 */
export async function recomputeRunningClocks(tx: Tx, edit: CalendarEdit, now: Date): Promise<number> {
  // Local date `date` in any zone: started before the end of it in WIB (the latest), due after its start in
  // WIT (the earliest). The exact window is not needed: recomputing an unaffected clock gives what is stored.
  const startedBefore = startOfLocalDay(addCalendarDays(edit.until ?? edit.date, 1), 'WIB');
  const dueFrom = startOfLocalDay(edit.date, 'WIT');
  const scope = sql.raw('coalesce(a.region_code, r.region_code)');
  const rows = await query<ClockRow>(
    tx,
    sql`select d.id, d.report_id, d.clock, d.rule_id, d.rule_version, d.started_at, d.due_at, d.explanation,
          r.region_code, a.zone as agency_zone, a.region_code as agency_region, (a.id is not null) as has_agency,
          r.deadline->>'clock' as current_clock, r.deadline->>'startedAt' as current_started,
          case when d.clock in (${list(RESTARTED_CLOCKS)}) then (
            select json_agg(json_build_object('type', e.type, 'final', e.data->'final',
                     'pullBack', e.data->>'pullBack') order by e.seq)
              from report_events e
              where e.report_id = d.report_id and e.created_at = d.started_at
                and e.type in (${list(START_EVENT_TYPES)})
          ) end as start_events
        from report_deadlines d
        join reports r on r.id = d.report_id
        left join agencies a on a.id = d.agency_id
        where d.stopped_at is null and d.started_at < ${startedBefore} and d.due_at >= ${dueFrom}
          ${edit.regionCode ? sql`and (${scope} = ${edit.regionCode} or ${scope} like ${`${edit.regionCode}.%`})` : sql``}`,
  );
  if (rows.length === 0) return 0;

  const holidays: Holiday[] = (await tx.select().from(holidayTable)).map((h) => ({
    date: h.date,
    name: h.name,
    kind: h.kind as Holiday['kind'],
    regionCode: h.regionCode,
    ...(h.tentative ? { tentative: true } : {}),
  }));
  const rules = new Map<string, SlaRule>(
    (await tx.select().from(slaRules)).map((r) => [`${r.id}#${r.version}`, slaRuleOf(r)]),
  );
  const cals = new EditCalendars(holidays);

  const clocks: Array<{ id: number; due_at: string; explanation: unknown }> = [];
  const reports = new Map<
    string,
    { id: string; clock: string | null; started_at: string | null; deadline: unknown; due_at: string | null }
  >();
  for (const row of rows) {
    const rule = rules.get(`${row.rule_id}#${row.rule_version}`);
    if (!rule) continue; // a rule version that no longer exists: leave the clock as it is
    const regionCode = row.has_agency ? (row.agency_region ?? row.region_code) : row.region_code;
    const zone = (
      row.has_agency && row.agency_zone ? row.agency_zone : regionCode ? zoneForRegion(regionCode) : 'WIB'
    ) as ZoneName;
    const startedAt = new Date(row.started_at);
    const events =
      typeof row.start_events === 'string'
        ? (JSON.parse(row.start_events) as StartEvent[])
        : (row.start_events ?? []);
    const cause = startCauseOf(row.clock as SlaClock, events);
    const next = computeDeadline(rule, startedAt, cals.of(zone, regionCode), cause);
    const dueAt = new Date(next.dueAt);
    const sameDue = dueAt.getTime() === new Date(row.due_at).getTime();
    const stored = row.explanation as { id?: unknown; en?: unknown } | null;
    if (sameDue && stored?.id === next.explanation.id && stored?.en === next.explanation.en) continue;
    clocks.push({ id: Number(row.id), due_at: dueAt.toISOString(), explanation: next.explanation });
    const current =
      row.current_clock === row.clock &&
      row.current_started !== null &&
      Date.parse(row.current_started) === startedAt.getTime();
    const prev = reports.get(row.report_id);
    if (current || !prev) {
      const cols = current
        ? deadlineColumns({
            clock: next.clock,
            ruleId: next.ruleId,
            ruleVersion: next.ruleVersion,
            startedAt: next.startedAt,
            dueAt: next.dueAt,
            explanation: next.explanation,
          })
        : null;
      reports.set(row.report_id, {
        id: row.report_id,
        clock: current ? row.clock : null,
        started_at: current ? startedAt.toISOString() : null,
        deadline: cols?.deadline ?? null,
        due_at: cols?.dueAt?.toISOString() ?? null,
      });
    }
  }
  if (clocks.length === 0) return 0;

  // Reports first, then their clocks: the order report actions lock them in (report row, then deadlines).
  const reportRows = [...reports.values()];
  for (let i = 0; i < reportRows.length; i += CHUNK) {
    const json = JSON.stringify(reportRows.slice(i, i + CHUNK));
    const matches = sql`x.clock is not null and r.deadline->>'clock' = x.clock
      and (r.deadline->>'startedAt')::timestamptz = x.started_at`;
    await tx.execute(
      sql`update reports r set
            deadline = case when ${matches} then x.deadline else r.deadline end,
            due_at = case when ${matches} then x.due_at else r.due_at end,
            updated_at = ${now}
          from json_to_recordset(${json}::json)
            as x(id uuid, clock text, started_at timestamptz, deadline jsonb, due_at timestamptz)
          where r.id = x.id`,
    );
  }
  for (let i = 0; i < clocks.length; i += CHUNK) {
    const json = JSON.stringify(clocks.slice(i, i + CHUNK));
    await tx.execute(
      sql`update report_deadlines d set due_at = x.due_at, explanation = x.explanation
          from json_to_recordset(${json}::json) as x(id bigint, due_at timestamptz, explanation jsonb)
          where d.id = x.id and d.stopped_at is null`,
    );
  }
  return clocks.length;
}

/** Settings key where a data migration lists national dates whose running clocks must be recomputed. */
export const RECOMPUTE_DATES_KEY = 'calendar.recompute_dates';

/**
 * Recomputes the running clocks over the national dates a data migration corrected (SQL cannot compute
 * deadlines), then forgets the dates; a no-op when none are listed. Run at start-up after the migrations
 * (migration 0027: the 2026 holidays).
 */
export async function recomputeMarkedCalendarDates(svc: Services): Promise<number> {
  const moved = await svc.db.transaction(async (tx) => {
    const [mark] = await query<{ value: unknown }>(
      tx,
      sql`select value from settings where key = ${RECOMPUTE_DATES_KEY} for update`,
    );
    if (!mark) return null;
    await tx.execute(sql`lock table holidays in share row exclusive mode`);
    const dates = Array.isArray(mark.value) ? mark.value.map(String) : [];
    let n = 0;
    for (const date of dates) n += await recomputeRunningClocks(tx, { date, regionCode: null }, svc.now());
    await tx.delete(settings).where(sql`${settings.key} = ${RECOMPUTE_DATES_KEY}`);
    return n;
  });
  if (moved !== null) invalidateCalendarCache();
  return moved ?? 0;
}
