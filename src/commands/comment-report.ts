/**
 * A comment: public on public reports when written by a signed-in citizen or staff; a reporter's reply is
 * visible to the reporter and staff only, so that it can never expose an anonymous reporter.
 */
import type { Caller, Services } from '../app/context.ts';
import { runReportAction } from './report-action.ts';

export interface CommentReportInput {
  body: string;
  /** How many files the reporter sends with the reply (stored on its event by `withAttachments`); a count only. */
  files?: number;
}

/** Adds a comment or a reporter reply. */
export function commentReport(svc: Services, caller: Caller, trackingId: string, input: CommentReportInput) {
  return runReportAction(svc, caller, trackingId, 'comment', input, ({ subject }) => ({
    event: {
      type: subject.isReporter ? 'reporter_reply' : 'comment',
      visibility: subject.isReporter ? 'reporter' : 'public',
      body: input.body,
      ...(subject.isReporter && input.files ? { data: { files: input.files } } : {}),
    },
  }));
}
