/**
 * What every sweeper command shares: a `sweep_log` row with a unique key is written in the command's
 * own transaction, so each action happens once (a second sweep, or a second worker, is skipped), and
 * the condition is checked again under the report's row lock.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { reportDeadlines, sweepLog } from '../db/schema.ts';
import { systemCaller, type Services } from '../app/context.ts';
import { appendEvents } from '../db/repositories/events.ts';
import { runReportAction } from './report-action.ts';
import type { NotifyTarget } from './fan-out-event.ts';

/** Thrown inside a sweep command when the action was already taken or no longer applies. */
export class SweepSkipped extends Error {}

/** The facts a sweep action carries (what the dry run prints). */
export interface SweepStepInput {
  /** Idempotency key in sweep_log, e.g. `reminder:<deadlineId>`. */
  key: string;
  deadlineId?: number | undefined;
  clock?: string | undefined;
  dueAt?: string | undefined;
  dueDate?: string | undefined;
  ruleId?: string | undefined;
  ruleVersion: number;
  agencyId?: string | null | undefined;
  level?: number | undefined;
  workingDays?: number | undefined;
  /** Ombudsman offer under a calendar-day escalation rule: its length in calendar days. */
  calendarDays?: number | undefined;
  notify?: NotifyTarget[] | undefined;
}

/** Records the action in sweep_log; false when its key is already there. */
async function tryClaimSweepKey(
  tx: Tx,
  reportId: string,
  action: string,
  input: SweepStepInput,
  at: Date,
): Promise<boolean> {
  return (await claimSweepKeys(tx, reportId, [{ action, input }], at)).has(input.key);
}

/** Records several actions of one report in sweep_log in one statement; returns the keys inserted. */
async function claimSweepKeys(
  tx: Tx,
  reportId: string,
  steps: ReadonlyArray<{ action: string; input: SweepStepInput }>,
  at: Date,
): Promise<Set<string>> {
  if (steps.length === 0) return new Set();
  const inserted = await tx
    .insert(sweepLog)
    .values(
      steps.map(({ action, input }) => ({
        key: input.key,
        reportId,
        deadlineId: input.deadlineId ?? null,
        action,
        agencyId: input.agencyId ?? null,
        ruleVersion: input.ruleVersion,
        data: { clock: input.clock, dueAt: input.dueAt, level: input.level },
        createdAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning({ key: sweepLog.key });
  return new Set(inserted.map((r) => r.key));
}

/** Records the action in sweep_log; throws SweepSkipped when its key is already there. */
export async function claimSweepKey(
  tx: Tx,
  reportId: string,
  action: string,
  input: SweepStepInput,
  at: Date,
): Promise<void> {
  if (!(await tryClaimSweepKey(tx, reportId, action, input, at)))
    throw new SweepSkipped(`already done: ${input.key}`);
}

/** The deadline must still be running (not stopped by a later action). */
export async function requireRunningDeadline(tx: Tx, deadlineId: number | undefined): Promise<void> {
  if (deadlineId === undefined) return;
  const [d] = await tx.select().from(reportDeadlines).where(eq(reportDeadlines.id, deadlineId)).limit(1);
  if (!d || d.stoppedAt) throw new SweepSkipped(`deadline ${deadlineId} no longer runs`);
}

/**
 * Appends a sweeper event that does not change the status (reminder, overdue, escalation step,
 * Ombudsman offer) through the report-action engine as the `sweeper` system actor.
 */
export function sweepNote(
  svc: Services,
  trackingId: string,
  type: string,
  visibility: 'internal' | 'reporter',
  input: SweepStepInput,
  /** Re-checked under the row lock: a report in another status is skipped (the plan may be stale). */
  statuses?: readonly string[],
) {
  return runReportAction(
    svc,
    systemCaller('sweeper'),
    trackingId,
    'note',
    input,
    async ({ tx, report, now }) => {
      if (statuses && !statuses.includes(report.row.status))
        throw new SweepSkipped(`${type}: report is ${report.row.status}`);
      await requireRunningDeadline(tx, input.deadlineId);
      await claimSweepKey(tx, report.row.id, type, input, now);
      return { event: { type, visibility, data: eventData(input) } };
    },
  );
}

const eventData = (input: SweepStepInput) => {
  const { key: _key, ...data } = input;
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
};

/** One internal sweeper note of a batch (reminder, overdue mark, ladder step). */
export interface SweepNoteStep {
  type: string;
  input: SweepStepInput;
}

/**
 * Several internal sweeper notes on one report in ONE transaction (one row lock, one status update), e.g.
 * a deadline's overdue mark and the ladder steps it crossed together. Each step is idempotent on its own
 * sweep_log key and is re-checked against its deadline; each appends its own hash-chained event (and thus
 * its own notification). Returns each step's result; nothing is written when every step is skipped.
 */
export async function sweepNotes(
  svc: Services,
  trackingId: string,
  steps: readonly SweepNoteStep[],
): Promise<Array<'done' | 'skipped'>> {
  let live: number[] = [];
  try {
    await runReportAction(
      svc,
      systemCaller('sweeper'),
      trackingId,
      'note',
      steps,
      async ({ tx, report, now, caller, step, grant }) => {
        live = [];
        // Which deadlines still run (one statement), then every step's key claimed in one statement.
        const ids = [
          ...new Set(steps.flatMap((x) => (x.input.deadlineId === undefined ? [] : [x.input.deadlineId]))),
        ];
        const running = new Set(
          ids.length
            ? (
                await tx
                  .select({ id: reportDeadlines.id, stoppedAt: reportDeadlines.stoppedAt })
                  .from(reportDeadlines)
                  .where(inArray(reportDeadlines.id, ids))
              )
                .filter((d) => !d.stoppedAt)
                .map((d) => d.id)
            : [],
        );
        const candidates = steps
          .map((x, i) => ({ i, action: x.type, input: x.input }))
          .filter((x) => x.input.deadlineId === undefined || running.has(x.input.deadlineId));
        const claimed = await claimSweepKeys(tx, report.row.id, candidates, now);
        for (const c of candidates) if (claimed.has(c.input.key)) live.push(c.i);
        if (live.length === 0) throw new SweepSkipped(`already done: ${steps.map((s) => s.input.key)}`);
        // Every step but the last appends its event here (one batch); the engine appends the last one.
        await appendEvents(
          tx,
          report.row,
          live.slice(0, -1).map((i) => ({
            type: steps[i]!.type,
            visibility: 'internal' as const,
            data: eventData(steps[i]!.input),
            createdAt: now,
            fromStatus: step.from,
            toStatus: step.to,
            actorUserId: caller.actor.userId,
            actorRole: caller.system ? `system:${caller.system}` : null,
            actorAgencyId: grant?.agencyId ?? null,
          })),
        );
        const last = steps[live[live.length - 1]!]!;
        return { event: { type: last.type, visibility: 'internal', data: eventData(last.input) } };
      },
    );
  } catch (e) {
    if (e instanceof SweepSkipped) return steps.map(() => 'skipped');
    throw e;
  }
  const done = new Set(live);
  return steps.map((_, i) => (done.has(i) ? 'done' : 'skipped'));
}

/** Runs a sweep command; `skipped` when it was already done or no longer applies. */
export async function runSweepStep(fn: () => Promise<unknown>): Promise<'done' | 'skipped'> {
  try {
    await fn();
    return 'done';
  } catch (e) {
    if (e instanceof SweepSkipped) return 'skipped';
    throw e;
  }
}
