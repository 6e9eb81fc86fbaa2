/**
 * Starting and stopping SLA clocks inside a command's transaction. Each started clock is stored in
 * report_deadlines with its rule version and explanation; the report row keeps the one now running.
 * A holiday edit recomputes the running ones it affects (recompute-deadlines.ts).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { reportDeadlines } from '../db/schema.ts';
import { loadCalendar, loadSlaRules } from '../db/repositories/calendar.ts';
import type { AgencyRow } from '../db/repositories/agencies.ts';
import type { ReportRow } from '../db/repositories/reports.ts';
import { zoneForRegion, type WorkingCalendar } from '../domain/deadline/calendar.ts';
import { computeDeadline, selectRule, type Deadline, type SlaClock } from '../domain/deadline/sla.ts';
import type { Classification, ZoneName } from '../domain/report/report.ts';

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
  tx: Tx,
  report: Pick<ReportRow, 'regionCode'>,
  agency: Pick<AgencyRow, 'zone' | 'regionCode'> | null,
): Promise<WorkingCalendar> {
  const scope = calendarScope(report, agency);
  return loadCalendar(tx, scope.zone, scope.regionCode);
}

/** A clock about to start: its deadline and the report_deadlines row that records it. */
export interface PlannedClock {
  deadline: Deadline;
  row: typeof reportDeadlines.$inferInsert & { ruleId: string; ruleVersion: number; dueAt: Date };
}

/** Computes a clock started at `at` (rule, calendar, due instant, explanation) without writing it. */
export async function planClock(
  tx: AppDb | Tx,
  report: Pick<ReportRow, 'id' | 'classification' | 'supervisory' | 'regionCode'>,
  clock: SlaClock,
  at: Date,
  agency: Pick<AgencyRow, 'id' | 'zone' | 'regionCode'> | null,
): Promise<PlannedClock> {
  const scope = calendarScope(report, agency);
  const cal = await loadCalendar(tx, scope.zone, scope.regionCode);
  const rule = selectRule(await loadSlaRules(tx), clock, {
    classification: report.classification as Classification,
    supervisory: report.supervisory,
    at,
    zone: cal.zone,
  });
  const deadline = computeDeadline(rule, at, cal);
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

/** Starts a clock at `at` and records it; returns the computed deadline. */
export async function startClock(
  tx: Tx,
  report: Pick<ReportRow, 'id' | 'classification' | 'supervisory' | 'regionCode'>,
  clock: SlaClock,
  at: Date,
  agency: Pick<AgencyRow, 'id' | 'zone' | 'regionCode'> | null,
): Promise<Deadline> {
  const planned = await planClock(tx, report, clock, at, agency);
  await tx.insert(reportDeadlines).values(planned.row);
  return planned.deadline;
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
