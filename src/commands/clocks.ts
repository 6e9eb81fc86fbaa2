/**
 * Starting and stopping SLA clocks inside a command's transaction. Each started clock is stored in
 * report_deadlines with its rule version and explanation; the report row keeps the one now running.
 * A holiday edit recomputes the running ones it affects (recompute-deadlines.ts).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { reportDeadlines } from '../db/schema.ts';
import { loadCalendar, loadSlaRules } from '../db/repositories/calendar.ts';
import { branchKinds, type AgencyRow } from '../db/repositories/agencies.ts';
import type { ReportRow } from '../db/repositories/reports.ts';
import { zoneForRegion, type WorkingCalendar } from '../domain/deadline/calendar.ts';
import {
  clockRuleRegion,
  computeDeadline,
  isAgencyClock,
  selectRule,
  type ClockCause,
  type Deadline,
  type SlaClock,
} from '../domain/deadline/sla.ts';
import type { Classification, ZoneName } from '../domain/report/report.ts';
import { inCentralBranch } from '../policies/agency-branch.ts';

/** The zone and region whose calendar governs a report: the handling unit's, else the report's region. */
export function calendarScope(
  report: Pick<ReportRow, 'regionCode'>,
  agency: Pick<AgencyRow, 'zone' | 'regionCode'> | null,
): { zone: ZoneName; regionCode: string | null } {
  if (agency) return { zone: agency.zone as ZoneName, regionCode: agency.regionCode ?? report.regionCode };
  return {
    zone: report.regionCode ? zoneForRegion(report.regionCode) : 'WIB',
    regionCode: report.regionCode,
  };
}

/** The calendar for a report held by `agency`. */
export async function calendarFor(
  tx: AppDb | Tx,
  report: Pick<ReportRow, 'regionCode'>,
  agency: Pick<AgencyRow, 'zone' | 'regionCode'> | null,
): Promise<WorkingCalendar> {
  const scope = calendarScope(report, agency);
  return loadCalendar(tx, scope.zone, scope.regionCode);
}

/**
 * The region whose SLA rules a clock of the report follows (`clockRuleRegion`): the report's region, or none
 * (national rules) for an agency clock (follow-up, completion, escalation) when `agency`, the one holding the report,
 * lies in a kementerian or lembaga branch (instansi vertikal, not bound by a Pergub/Perbup/Perwali).
 */
export async function ruleRegionFor(
  tx: AppDb | Tx,
  report: Pick<ReportRow, 'regionCode'>,
  clock: SlaClock,
  agency: Pick<AgencyRow, 'path'> | null,
): Promise<string | null> {
  if (!report.regionCode || !agency || !isAgencyClock(clock)) return report.regionCode;
  return clockRuleRegion(clock, report.regionCode, inCentralBranch(await branchKinds(tx, agency)));
}

/** A clock about to start: its deadline and the report_deadlines row that records it. */
export interface PlannedClock {
  deadline: Deadline;
  row: typeof reportDeadlines.$inferInsert & { ruleId: string; ruleVersion: number; dueAt: Date };
}

/**
 * Computes a clock started at `at` (rule, calendar, due instant, explanation) without writing it. `cause` names
 * what started it when that is not the clock's usual start (a return, a supplement, a dispute…): the explanation
 * says "sejak laporan dikembalikan…" instead of "sejak laporan diterima". It is not stored: a recomputation finds it
 * again from the events recorded at the start ({@link startCauseOf}).
 */
export async function planClock(
  tx: AppDb | Tx,
  report: Pick<ReportRow, 'id' | 'classification' | 'supervisory' | 'regionCode'>,
  clock: SlaClock,
  at: Date,
  agency: Pick<AgencyRow, 'id' | 'zone' | 'regionCode' | 'path'> | null,
  cause: ClockCause | null = null,
): Promise<PlannedClock> {
  const scope = calendarScope(report, agency);
  const cal = await loadCalendar(tx, scope.zone, scope.regionCode);
  const rule = selectRule(await loadSlaRules(tx), clock, {
    classification: report.classification as Classification,
    supervisory: report.supervisory,
    at,
    zone: cal.zone,
    // The report's own region picks regional rules (a Pergub's clocks), except an instansi vertikal's own clocks.
    regionCode: await ruleRegionFor(tx, report, clock, agency),
  });
  const deadline = computeDeadline(rule, at, cal, cause);
  return {
    deadline,
    row: {
      reportId: report.id,
      clock,
      agencyId: agency?.id ?? null,
      ruleId: rule.id,
      ruleVersion: rule.version,
      startedAt: at,
      dueAt: new Date(deadline.dueAt),
      explanation: deadline.explanation,
    },
  };
}

/**
 * Starts a clock at `at` and records it; returns the computed deadline. `cause`: see {@link planClock}; a command
 * that passes one must also be known to {@link startCauseOf}.
 */
export async function startClock(
  tx: Tx,
  report: Pick<ReportRow, 'id' | 'classification' | 'supervisory' | 'regionCode'>,
  clock: SlaClock,
  at: Date,
  agency: Pick<AgencyRow, 'id' | 'zone' | 'regionCode' | 'path'> | null,
  cause: ClockCause | null = null,
): Promise<Deadline> {
  const planned = await planClock(tx, report, clock, at, agency, cause);
  await tx.insert(reportDeadlines).values(planned.row);
  return planned.deadline;
}

/** An event recorded at the instant a clock started: its type, `final` of a follow-up, `pullBack` of a return. */
export interface StartEvent {
  type: string;
  final?: boolean | null;
  pullBack?: string | null;
}

/** The event types that start, or stop before a restart, the clocks {@link startCauseOf} tells apart. */
export const START_EVENT_TYPES = ['submit', 'verify', 'return', 'supplement', 'dispute', 'respond'] as const;

/**
 * What started a clock, from the events of its report recorded at its start instant (report actions record their
 * event at the instant they start their clocks), oldest first. Mirrors the commands:
 * - verification: submit (usual), return (`return`, or `pull_back` with `pullBack`), supplement;
 * - follow_up: verify (usual), dispute;
 * - completion: verify (usual), an interim follow-up when no resolution clock runs (after a final one: a dispute);
 * - the other clocks have one start each.
 * Several events can share an instant (an injected clock): the clock still running is the last one started.
 * Why: the cause is not stored with the clock, and a recomputation after a calendar edit must keep the explanation's
 * start event (clocks started before causes were named get the right one then too).
 */
export function startCauseOf(clock: SlaClock, events: readonly StartEvent[]): ClockCause | null {
  let cause: ClockCause | null = null;
  let completionOpen = false;
  for (const e of events) {
    if (clock === 'verification') {
      if (e.type === 'submit') cause = null;
      else if (e.type === 'return') cause = e.pullBack ? 'pull_back' : 'return';
      else if (e.type === 'supplement') cause = 'supplement';
    } else if (clock === 'follow_up') {
      if (e.type === 'verify') cause = null;
      else if (e.type === 'dispute') cause = 'dispute';
    } else if (clock === 'completion') {
      if (e.type === 'verify') {
        cause = null;
        completionOpen = true;
      } else if (e.type === 'return' || (e.type === 'respond' && e.final)) completionOpen = false;
      else if (e.type === 'respond' && !completionOpen) {
        cause = 'interim_follow_up';
        completionOpen = true;
      }
    }
  }
  return cause;
}

/**
 * Stops running clocks. `outcome: 'measure'` records whether each was met (stopped before it was due);
 * `'cancel'` stops it without a verdict (the report left that stage for another reason).
 */
export async function stopClocks(
  tx: Tx,
  reportId: string,
  clocks: SlaClock[] | 'all',
  at: Date,
  outcome: 'measure' | 'cancel' = 'measure',
): Promise<void> {
  const open = await tx
    .select()
    .from(reportDeadlines)
    .where(
      and(
        eq(reportDeadlines.reportId, reportId),
        isNull(reportDeadlines.stoppedAt),
        clocks === 'all' ? undefined : inArray(reportDeadlines.clock, clocks),
      ),
    );
  for (const d of open) {
    await tx
      .update(reportDeadlines)
      .set({ stoppedAt: at, met: outcome === 'cancel' ? null : at.getTime() <= d.dueAt.getTime() })
      .where(eq(reportDeadlines.id, d.id));
  }
}

/** The deadline shown on a report: which clock, when due, under which rule version, and why. */
export type CurrentDeadline = Pick<
  Deadline,
  'clock' | 'ruleId' | 'ruleVersion' | 'startedAt' | 'dueAt' | 'explanation'
>;

/** The still-running deadline of a clock, as stored, or null. */
export async function openClock(tx: Tx, reportId: string, clock: SlaClock): Promise<CurrentDeadline | null> {
  const [row] = await tx
    .select()
    .from(reportDeadlines)
    .where(
      and(
        eq(reportDeadlines.reportId, reportId),
        eq(reportDeadlines.clock, clock),
        isNull(reportDeadlines.stoppedAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  return {
    clock: row.clock as SlaClock,
    ruleId: row.ruleId,
    ruleVersion: row.ruleVersion,
    startedAt: row.startedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    explanation: row.explanation as Deadline['explanation'],
  };
}

/** The JSON stored on the report for the running clock (shown in the API as `deadline`). */
export function deadlineColumns(d: CurrentDeadline | null): {
  deadline: CurrentDeadline | null;
  dueAt: Date | null;
} {
  if (!d) return { deadline: null, dueAt: null };
  const { clock, ruleId, ruleVersion, startedAt, dueAt, explanation } = d;
  return { deadline: { clock, ruleId, ruleVersion, startedAt, dueAt, explanation }, dueAt: new Date(dueAt) };
}
