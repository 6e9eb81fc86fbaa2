/** Tunda: the verifier asks the reporter for more information; the verification clock pauses. */
import { startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface HoldReportInput {
  question: string;
}

/** Puts a report on hold with a question to the reporter and starts the reply clock. */
export function holdReport(svc: Services, caller: Caller, trackingId: string, input: HoldReportInput) {
  return runReportAction(svc, caller, trackingId, 'hold', input, async ({ tx, report, now }) => {
    await stopClocks(tx, report.row.id, ['verification'], now, 'cancel');
    const reply = await startClock(tx, report.row, 'hold_reply', now, report.target);
    return {
      event: { type: 'hold', visibility: 'reporter', body: input.question },
      deadline: reply,
    };
  });
}
