/** The reporter accepts the final follow-up and rates it: the report is completed. */
import { stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface AcceptReportInput {
  rating: number;
  comment?: string | undefined;
}

/** Completes a responded report with the reporter's rating (1–5). */
export function acceptReport(svc: Services, caller: Caller, trackingId: string, input: AcceptReportInput) {
  return runReportAction(svc, caller, trackingId, 'accept', input, async ({ tx, report, now }) => {
    await stopClocks(tx, report.row.id, ['reporter_window'], now);
    return {
      patch: { rating: input.rating, closedAt: now },
      event: {
        type: 'accept',
        visibility: 'public',
        body: input.comment ?? null,
        data: { rating: input.rating },
      },
      deadline: null,
    };
  });
}
