/**
 * What every sweeper command shares: a `sweep_log` row with a unique key is written in the command's
 * own transaction, so each action happens once (a second sweep, or a second worker, is skipped), and
 * the condition is checked again under the report's row lock.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { reportDeadlines, sweepLog } from '../db/schema.ts';
import { systemCaller, type Services } from '../app/context.ts';
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
  notify?: NotifyTarget[] | undefined;
}

/** Records the action in sweep_log; throws SweepSkipped when its key is already there. */
export async function claimSweepKey(
  tx: Tx,
  reportId: string,
  action: string,
  input: SweepStepInput,
  at: Date,
): Promise<void> {
  const inserted = await tx
    .insert(sweepLog)
    .values({
      key: input.key,
      reportId,
      deadlineId: input.deadlineId ?? null,
      action,
      agencyId: input.agencyId ?? null,
      ruleVersion: input.ruleVersion,
      data: { clock: input.clock, dueAt: input.dueAt, level: input.level },
      createdAt: at,
    })
    .onConflictDoNothing()
    .returning({ key: sweepLog.key });
  if (inserted.length === 0) throw new SweepSkipped(`already done: ${input.key}`);
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
) {
  return runReportAction(
    svc,
    systemCaller('sweeper'),
    trackingId,
    'note',
    input,
    async ({ tx, report, now }) => {
      await requireRunningDeadline(tx, input.deadlineId);
      await claimSweepKey(tx, report.row.id, type, input, now);
      const { key: _key, ...data } = input;
      return {
        event: { type, visibility, data: JSON.parse(JSON.stringify(data)) as Record<string, unknown> },
      };
    },
  );
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
