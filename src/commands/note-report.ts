/** An internal note between staff in scope; never shown to the reporter or the public. */
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface NoteReportInput {
  body: string;
}

/** Adds an internal note. */
export function noteReport(svc: Services, caller: Caller, trackingId: string, input: NoteReportInput) {
  return runReportAction(svc, caller, trackingId, 'note', input, () => ({
    event: { type: 'note', visibility: 'internal', body: input.body },
  }));
}
