/**
 * The sweeper archives a report left on hold past the hold_reply clock (default 10 working days) with the
 * reason `no_reply` (domain.md §5.3: DITUNDA → DIARSIPKAN when the reporter does not answer).
 */
import { systemCaller, type Services } from '../app/context.ts';
import { stopClocks } from './clocks.ts';
import { runReportAction } from './report-action.ts';
import { claimSweepKey, requireRunningDeadline, SweepSkipped, type SweepStepInput } from './sweep-step.ts';

/** Archives an on-hold report whose reply window has passed. */
export function archiveNoReply(svc: Services, trackingId: string, input: SweepStepInput) {
  return runReportAction(
    svc,
    systemCaller('sweeper'),
    trackingId,
    'archive',
    input,
    async ({ tx, report, now }) => {
      if (report.row.status !== 'on_hold') throw new SweepSkipped('not on hold');
      if (input.dueAt && now.getTime() <= Date.parse(input.dueAt)) throw new SweepSkipped('not due yet');
      await requireRunningDeadline(tx, input.deadlineId);
      await claimSweepKey(tx, report.row.id, 'archive_no_reply', input, now);
      await stopClocks(tx, report.row.id, ['hold_reply'], now);
      await stopClocks(tx, report.row.id, 'all', now, 'cancel');
      return {
        patch: { archiveReason: 'no_reply', closedAt: now },
        event: {
          type: 'archive',
          visibility: 'reporter',
          data: {
            reason: 'no_reply',
            clock: 'hold_reply',
            dueAt: input.dueAt,
            ruleVersion: input.ruleVersion,
          },
        },
        deadline: null,
      };
    },
  );
}
