/**
 * Auto-close: a responded report whose reporter did not reply within the reporter_window (10 working days
 * after the final follow-up, domain.md §5.1 step 6) becomes `completed`, with an event that says why.
 * A system action (lifecycle SYSTEM_TRANSITIONS), run only by the sweeper.
 */
import { eq } from 'drizzle-orm';
import { reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { systemTransition } from '../domain/report/lifecycle.ts';
import type { ReportStatus } from '../domain/report/report.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { deadlineColumns, stopClocks } from './clocks.ts';
import { claimSweepKey, requireRunningDeadline, SweepSkipped, type SweepStepInput } from './sweep-step.ts';

/** Completes a responded report after the reporter's window passed without a reply. */
export async function autoCloseReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: SweepStepInput,
) {
  if (!caller.system) throw new AppError('FORBIDDEN');
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    if (!report) throw new AppError('NOT_FOUND');
    const step = systemTransition(report.row.status as ReportStatus, 'auto_close');
    if (!step.ok) throw new SweepSkipped(step.error.message);
    const now = svc.now();
    if (input.dueAt && now.getTime() <= Date.parse(input.dueAt)) throw new SweepSkipped('not due yet');
    await requireRunningDeadline(tx, input.deadlineId);
    await claimSweepKey(tx, report.row.id, 'auto_close', input, now);
    await stopClocks(tx, report.row.id, ['reporter_window'], now, 'cancel');
    const [updated] = await tx
      .update(reports)
      .set({ status: step.value.to, closedAt: now, updatedAt: now, ...deadlineColumns(null) })
      .where(eq(reports.id, report.row.id))
      .returning();
    return appendEvent(tx, updated!, {
      type: 'auto_close',
      visibility: 'public',
      createdAt: now,
      fromStatus: step.value.from,
      toStatus: step.value.to,
      actorUserId: null,
      actorRole: `system:${caller.system}`,
      data: {
        reason: 'no_reply_after_final_follow_up',
        clock: 'reporter_window',
        dueAt: input.dueAt,
        ruleId: input.ruleId,
        ruleVersion: input.ruleVersion,
        workingDays: input.workingDays,
      },
    });
  });
}
