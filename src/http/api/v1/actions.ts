/** JSON API v1: POST /reports/{trackingId}/actions/{action}, one route per action with its own body schema. */
import { limitCookielessSupport } from '../../plugins/rate-limit.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Caller, Services } from '../../../app/context.ts';
import type { ActionResult } from '../../../commands/report-action.ts';
import { verifyReport } from '../../../commands/verify-report.ts';
import { holdReport } from '../../../commands/hold-report.ts';
import { supplementReport } from '../../../commands/supplement-report.ts';
import { archiveReport, type ArchiveReportInput } from '../../../commands/archive-report.ts';
import { mergeReports } from '../../../commands/merge-reports.ts';
import { disposeReport } from '../../../commands/dispose-report.ts';
import { returnReport } from '../../../commands/return-report.ts';
import { respondToReport } from '../../../commands/respond-to-report.ts';
import { acceptReport } from '../../../commands/accept-report.ts';
import { disputeReport } from '../../../commands/dispute-report.ts';
import { escalateReport } from '../../../commands/escalate-report.ts';
import { noteReport } from '../../../commands/note-report.ts';
import { commentReport } from '../../../commands/comment-report.ts';
import { supportReport } from '../../../commands/support-report.ts';
import { revealReporter } from '../../../commands/reveal-reporter.ts';
import { AppError } from '../../../app/errors.ts';
import { presentReportFor } from './present.ts';
import { ActionBodies, ReportQuery, TrackingParams } from './schemas.ts';

type Runner = (
  svc: Services,
  caller: Caller,
  trackingId: string,
  body: never,
) => Promise<Pick<ActionResult, 'report'>>;

/**
 * Archive: a duplicate with `duplicateOf` is merged into the kept report (mergeReports, issue 7), as the back
 * office's archive form does: archived and linked, its supporters moved, the kept report gets a `merge` event.
 * Without `duplicateOf` archiveReport answers 422 on that field; merge errors come back under the API's names.
 */
async function archiveOrMerge(svc: Services, caller: Caller, trackingId: string, body: ArchiveReportInput) {
  if (body.reason !== 'duplicate' || !body.duplicateOf) return archiveReport(svc, caller, trackingId, body);
  try {
    const merged = await mergeReports(svc, caller, trackingId, {
      keepTrackingId: body.duplicateOf,
      note: body.note,
    });
    return { report: merged.duplicate };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VALIDATION_FAILED') throw e;
    const fields = Object.fromEntries(
      Object.entries(e.fields).map(([k, v]) => [k === 'keepTrackingId' ? 'duplicateOf' : k, v]),
    );
    throw new AppError(e.code, fields, e.params);
  }
}

/** The command behind each action. */
export const ACTION_COMMANDS: Record<keyof typeof ActionBodies, Runner> = {
  verify: verifyReport as Runner,
  hold: holdReport as Runner,
  supplement: supplementReport as Runner,
  archive: archiveOrMerge as Runner,
  dispose: disposeReport as Runner,
  return: returnReport as Runner,
  respond: respondToReport as Runner,
  accept: acceptReport as Runner,
  dispute: disputeReport as Runner,
  escalate: escalateReport as Runner,
  note: noteReport as Runner,
  comment: commentReport as Runner,
  support: ((svc, caller, id) => supportReport(svc, caller, id)) as Runner,
};

export const actionRoutes: FastifyPluginAsyncZod<{ services: Services; supportPerHour?: number }> = async (
  app,
  opts,
) => {
  const svc = opts.services;
  for (const [action, body] of Object.entries(ActionBodies) as Array<
    [keyof typeof ActionBodies, (typeof ActionBodies)[keyof typeof ActionBodies]]
  >) {
    app.post(
      `/reports/:trackingId/actions/${action}`,
      {
        schema: {
          tags: ['actions'],
          summary: `Action: ${action}`,
          params: TrackingParams,
          querystring: ReportQuery,
          body,
        },
        ...(action === 'support' ? { preHandler: limitCookielessSupport(svc, opts.supportPerHour) } : {}),
      },
      async (req) => {
        const result = await ACTION_COMMANDS[action](
          svc,
          req.caller,
          req.params.trackingId,
          req.body as never,
        );
        const reporter = await revealReporter(svc, req.caller, result.report, `api.action.${action}`);
        return presentReportFor(svc, req, result.report, { reporter });
      },
    );
  }
};
