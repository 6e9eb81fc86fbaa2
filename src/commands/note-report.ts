/**
 * An internal note between staff in scope; never shown to the reporter or the public. The same note by the same
 * person twice within ten minutes is refused (409 DUPLICATE_NOTE, repeat-guard.ts).
 */
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { repeatsLastEvent } from './repeat-guard.ts';
import { runReportAction } from './report-action.ts';

export interface NoteReportInput {
  body: string;
}

/** Adds an internal note. */
export function noteReport(svc: Services, caller: Caller, trackingId: string, input: NoteReportInput) {
  return runReportAction(svc, caller, trackingId, 'note', input, async ({ tx, report, now }) => {
    const repeated = await repeatsLastEvent(tx, report.row.id, 'note', input.body, now, {
      actorUserId: caller.actor.userId,
    });
    if (repeated) throw new AppError('DUPLICATE_NOTE');
    return { event: { type: 'note', visibility: 'internal', body: input.body } };
  });
}
