/** The reporter disputes the final follow-up within the window: the agency must answer again. */
import { startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface DisputeReportInput {
  reason: string;
}

/** Reopens a responded report as in progress and restarts the follow-up clock. */
export function disputeReport(svc: Services, caller: Caller, trackingId: string, input: DisputeReportInput) {
  return runReportAction(svc, caller, trackingId, 'dispute', input, async ({ tx, report, now }) => {
    await stopClocks(tx, report.row.id, ['reporter_window'], now);
    const followUp = await startClock(tx, report.row, 'follow_up', now, report.agency, 'dispute');
    return {
      patch: { reopenCount: report.row.reopenCount + 1 },
      event: { type: 'dispute', visibility: 'public', body: input.reason },
      deadline: followUp,
    };
  });
}
