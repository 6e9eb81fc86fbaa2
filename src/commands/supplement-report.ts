/** The reporter answers a hold (melengkapi): the report returns to the verifier and the clock restarts. */
import { startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface SupplementReportInput {
  /** The reporter's text; empty when the supplement is files alone (the tracking page: at least one of them). */
  body: string;
  /** How many files the reporter sends with it (stored on this event by `withAttachments`); a count only. */
  files?: number;
}

/** Adds the reporter's supplement and sends the report back to verification. */
export function supplementReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: SupplementReportInput,
) {
  return runReportAction(svc, caller, trackingId, 'supplement', input, async ({ tx, report, now }) => {
    await stopClocks(tx, report.row.id, ['hold_reply'], now);
    const verification = await startClock(tx, report.row, 'verification', now, report.target, 'supplement');
    return {
      event: {
        type: 'supplement',
        visibility: 'reporter',
        // Files alone (no text) leave the event without a body; the timeline says how many files came.
        body: input.body || null,
        ...(input.files ? { data: { files: input.files } } : {}),
      },
      deadline: verification,
    };
  });
}
