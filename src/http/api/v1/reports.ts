/** JSON API v1: submit, list, read and timeline of reports (docs/api-v1.md). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../../app/context.ts';
import { submitReport } from '../../../commands/submit-report.ts';
import { setReportPrivacy } from '../../../commands/set-report-privacy.ts';
import { recordPiiAccess, revealReporter } from '../../../commands/reveal-reporter.ts';
import { getReport, listReports, timelineFor } from '../../../queries/reports.ts';
import { receivesHandOff } from '../../../policies/can.ts';
import { audienceOf, presentDeadline, presentEvent, reportZone } from '../../../presenters/report.ts';
import { requestLang } from '../../plugins/errors.ts';
import { rateLimit } from '../../plugins/rate-limit.ts';
import { apiIdempotencyScope, idempotencyKeyOf } from '../../idempotency.ts';
import { ombudsmanTexts, presentReportFor, presentReportsFor } from './present.ts';
import { ListReportsQuery, PrivacyBody, ReportQuery, SubmitReportBody, TrackingParams } from './schemas.ts';

export interface ReportRoutesOptions {
  services: Services;
  limits: { submitPerMinute: number };
}

/** Where a reporter follows their report without an account. */
export function privateLink(publicUrl: string, trackingId: string, accessKey: string): string {
  return `${publicUrl}/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}`;
}

export const reportRoutes: FastifyPluginAsyncZod<ReportRoutesOptions> = async (app, opts) => {
  const svc = opts.services;

  app.post(
    '/reports',
    {
      schema: { tags: ['reports'], summary: 'Submit a report (no sign-in needed)', body: SubmitReportBody },
      preHandler: rateLimit(svc, 'submit', opts.limits.submitPerMinute, 60),
    },
    async (req, reply) => {
      // A retry with the same Idempotency-Key and body answers like the first time (ADR 0014).
      const key = idempotencyKeyOf(req);
      const { report, accessKey, replayed } = await submitReport(svc, req.caller, {
        ...req.body,
        channel: 'api',
        lang: requestLang(req),
        ...(key
          ? { idempotency: { scope: apiIdempotencyScope(req, req.caller, req.body), key, request: req.body } }
          : {}),
      });
      const d = presentDeadline(report, requestLang(req));
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(201).send({
        trackingId: report.row.trackingId,
        accessKey,
        status: report.row.status,
        deadline: d ? { dueAt: d.dueAt, explanation: d.explanation, explanations: d.explanations } : null,
        url: privateLink(svc.publicUrl, report.row.trackingId, accessKey),
      });
    },
  );

  app.get(
    '/reports',
    {
      schema: { tags: ['reports'], summary: 'Reports visible to the caller', querystring: ListReportsQuery },
    },
    async (req) => {
      const q = req.query;
      const page = await listReports(
        svc,
        req.caller,
        { ...q, overdue: q.overdue === 'true' },
        q.page,
        q.pageSize,
      );
      return {
        items: await presentReportsFor(svc, req, page.items),
        page: page.page,
        pageSize: page.pageSize,
        total: page.total,
      };
    },
  );

  app.get(
    '/reports/:trackingId',
    {
      schema: {
        tags: ['reports'],
        summary: 'One report as the caller may see it',
        params: TrackingParams,
        querystring: ReportQuery,
      },
    },
    async (req) => {
      const visible = await getReport(svc, req.caller, req.params.trackingId);
      const reporter = await revealReporter(svc, req.caller, visible.report, 'api.report');
      return presentReportFor(svc, req, visible.report, { permissions: visible.permissions, reporter });
    },
  );

  app.get(
    '/reports/:trackingId/events',
    {
      schema: {
        tags: ['reports'],
        summary: 'The timeline visible to the caller',
        params: TrackingParams,
        querystring: ReportQuery,
      },
    },
    async (req) => {
      const visible = await getReport(svc, req.caller, req.params.trackingId);
      const events = await timelineFor(svc, visible, {
        handOff: receivesHandOff(req.caller.actor, visible.subject),
      });
      const zone = reportZone(visible.report);
      const audience = audienceOf(visible);
      const viewReporter = visible.permissions.viewReporter;
      const text = ombudsmanTexts(svc, req.caller, visible.report, visible.permissions);
      const items = events
        .map((e) => presentEvent(e, zone, audience, requestLang(req), viewReporter))
        .map((e) => (text && e.body !== null ? { ...e, body: text(e.body) } : e));
      // A consent note staff recorded may still name the reporter (notes stored before the reporter's own identity
      // was masked in them, or a relative named by staff): a view of reporter data, logged like the identity.
      if (items.some((e) => 'consentNote' in e.data))
        await recordPiiAccess(
          svc,
          visible.report.row.id,
          req.caller.actor.userId,
          'api.report.events.consent_note',
        );
      return { items };
    },
  );

  app.post(
    '/reports/:trackingId/privacy',
    {
      schema: {
        tags: ['reports'],
        summary: 'Set the anonim / rahasia flags (verifiers)',
        params: TrackingParams,
        querystring: ReportQuery,
        body: PrivacyBody,
      },
    },
    async (req) => {
      const report = await setReportPrivacy(svc, req.caller, req.params.trackingId, req.body);
      const reporter = await revealReporter(svc, req.caller, report, 'api.privacy');
      return presentReportFor(svc, req, report, { reporter });
    },
  );
};
