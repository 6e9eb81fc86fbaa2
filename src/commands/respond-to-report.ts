/** Tindak lanjut: the agency posts an interim or final follow-up. A final one starts the reporter's window. */
import { openClock, startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface RespondToReportInput {
  body: string;
  final: boolean;
}

/** Posts a follow-up. */
export function respondToReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: RespondToReportInput,
) {
  return runReportAction(
    svc,
    caller,
    trackingId,
    'respond',
    input,
    async ({ tx, report, now }) => {
      const id = report.row.id;
      await stopClocks(tx, id, ['follow_up'], now);
      let deadline;
      if (input.final) {
        await stopClocks(tx, id, ['completion'], now);
        await stopClocks(tx, id, ['reporter_window'], now, 'cancel');
        deadline = await startClock(tx, report.row, 'reporter_window', now, report.agency);
      } else {
        deadline =
          (await openClock(tx, id, 'completion')) ??
          (await startClock(tx, report.row, 'completion', now, report.agency));
      }
      return {
        patch: {
          firstResponseAt: report.row.firstResponseAt ?? now,
          ...(input.final ? { respondedAt: now } : {}),
        },
        event: { type: 'respond', visibility: 'public', body: input.body, data: { final: input.final } },
        deadline,
      };
    },
    { final: input.final },
  );
}
