/**
 * JSON API v1 for routing (issue 7): suggestions at verification and at disposisi, live routing accuracy, similar
 * reports (citizen side while writing, staff side at verification) and merging duplicates.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../../app/context.ts';
import { autoDispatchSettings, setAutoDispatch } from '../../../commands/auto-dispatch.ts';
import { AppError } from '../../../app/errors.ts';
import { mergeReports } from '../../../commands/merge-reports.ts';
import { reverseAutoDispatch } from '../../../commands/reverse-auto-dispatch.ts';
import { pullBackDispatch } from '../../../commands/pull-back-dispatch.ts';
import { suggestRouting, suggestUnits } from '../../../commands/suggest-routing.ts';
import { recentAutoDispatches } from '../../../queries/auto-dispatches.ts';
import { mayViewRoutingAccuracy, routingAccuracy } from '../../../queries/routing-accuracy.ts';
import { activeRoutingModels } from '../../../queries/routing-models.ts';
import { similarPublicReports, similarReportsForStaff } from '../../../queries/similar-reports.ts';
import { presentReportFor } from './present.ts';
import { PUBLIC_CALLER } from '../../../app/context.ts';
import { setSupportUpdates, supporterKeyOf } from '../../../commands/support-report.ts';
import { getReport } from '../../../queries/reports.ts';
import { supportStateOf } from '../../../queries/supports.ts';
import { TrackingParams } from './schemas.ts';
import { requestLang } from '../../plugins/errors.ts';
import { t } from '../../../locales/index.ts';
import type { Caller } from '../../../app/context.ts';

const SimilarQuery = z.object({
  title: z.string().trim().max(300).default(''),
  body: z.string().max(10_000).default(''),
  regionCode: z
    .string()
    .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/)
    .optional(),
  /** The draft's point: reports within 1 km score higher and are found across kab/kota borders. */
  lat: z.coerce.number().min(-90).max(90).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
});

/** Email updates on a public report for the signed-in caller (`setSupportUpdates`). */
const UpdatesBody = z.object({
  email: z.boolean(),
  /** The emails' language; defaults to the request's. */
  lang: z.enum(['id', 'en']).optional(),
});

const AutoDispatchBody = z.object({
  enabled: z.boolean(),
  threshold: z.number().min(0.5).max(1).optional(),
  agencyId: z.string().trim().min(1).max(100).optional(),
});

const ReverseBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();

/** Admin roles only (national admin, coordinators, agency admins): 401 signed out, 403 otherwise. */
function requireAdminRole(caller: Caller): void {
  const actor = caller.actor;
  if (actor.userId === null) throw new AppError('UNAUTHENTICATED');
  if (!actor.grants.some((g) => ['national_admin', 'coordinator', 'agency_admin'].includes(g.role)))
    throw new AppError('FORBIDDEN');
}

const MergeBody = z.object({
  keepTrackingId: z.string().regex(/^\d{10}$/),
  note: z.string().trim().max(2000).optional(),
});

/** Routes under /api/v1 for routing suggestions, accuracy, similar reports and merging. */
export const routingRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get(
    '/reports/:trackingId/suggestions',
    {
      schema: {
        tags: ['routing'],
        summary: 'Top 3 agencies and categories suggested for a report (verifiers in scope)',
        params: TrackingParams,
      },
    },
    async (req) => {
      const s = await suggestRouting(svc, req.caller, req.params.trackingId);
      // A report type's name in the request's language, as the verification screen shows it ("Permintaan informasi").
      const lang = requestLang(req);
      return {
        ...s,
        classifications: s.classifications.map((c) => ({
          ...c,
          name: t(lang, `staff.report.classification_name.${c.id}`),
        })),
      };
    },
  );

  app.get(
    '/reports/:trackingId/unit-suggestions',
    {
      schema: {
        tags: ['routing'],
        summary: 'Top 3 units of the agency tree to pass a report down to (staff who may dispose it)',
        params: TrackingParams,
      },
    },
    async (req) => suggestUnits(svc, req.caller, req.params.trackingId),
  );

  app.get(
    '/reports/:trackingId/similar',
    {
      schema: {
        tags: ['routing'],
        summary: 'Reports similar to this one that the caller may see, with a similarity score',
        params: TrackingParams,
      },
    },
    async (req) => ({ items: await similarReportsForStaff(svc, req.caller, req.params.trackingId) }),
  );

  // A supporter's email updates (the agency's follow-ups and the completion), for signed-in callers only: the
  // answer says whether the caller supports the public report and gets its updates.
  const updatesState = async (caller: Caller, trackingId: string) => ({
    trackingId,
    ...(await supportStateOf(svc.db, supporterKeyOf(caller), trackingId)),
  });
  app.get(
    '/reports/:trackingId/updates',
    {
      schema: {
        tags: ['routing'],
        summary: 'Whether the signed-in caller supports this public report and gets its email updates',
        params: TrackingParams,
      },
    },
    async (req) => {
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      await getReport(svc, PUBLIC_CALLER, req.params.trackingId);
      return updatesState(req.caller, req.params.trackingId);
    },
  );
  app.put(
    '/reports/:trackingId/updates',
    {
      schema: {
        tags: ['routing'],
        summary: 'Email updates on a public report for the signed-in caller: on (supports it too) or off',
        params: TrackingParams,
        body: UpdatesBody,
      },
    },
    async (req) => {
      const id = req.params.trackingId;
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      if (req.body.email) await getReport(svc, PUBLIC_CALLER, id);
      const lang = req.body.email ? (req.body.lang ?? requestLang(req)) : null;
      await setSupportUpdates(svc, { ...req.caller, accessKey: undefined }, id, lang);
      return updatesState(req.caller, id);
    },
  );

  app.get(
    '/similar',
    {
      schema: {
        tags: ['routing'],
        summary: 'Up to 5 similar open public reports nearby, while a citizen writes a report',
        querystring: SimilarQuery,
      },
    },
    async (req) => {
      const q = req.query;
      if (q.title.length + q.body.trim().length < 3) return { items: [] };
      return { items: await similarPublicReports(svc, q) };
    },
  );

  app.get(
    '/routing/accuracy',
    {
      schema: {
        tags: ['routing'],
        summary:
          "Live routing accuracy and misrouting by month, in the caller's scope (national, region or agency subtree)",
        querystring: z.object({ months: z.coerce.number().int().min(1).max(60).default(12) }),
      },
    },
    async (req) => routingAccuracy(svc, req.caller, req.query.months),
  );

  app.get(
    '/routing/models',
    {
      schema: {
        tags: ['routing'],
        summary:
          'The active routing models (no weights): version, training time, rows, labels and cross-validated figures',
      },
    },
    async (req) => {
      if (!mayViewRoutingAccuracy(req.caller.actor))
        throw new AppError(req.caller.actor.userId ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      return { models: await activeRoutingModels(svc.db) };
    },
  );

  app.get(
    '/routing/auto-dispatch',
    {
      schema: {
        tags: ['routing'],
        summary: 'Auto-dispatch settings (off by default): the instance rule and per-agency rules',
      },
    },
    async (req) => {
      requireAdminRole(req.caller);
      return autoDispatchSettings(svc);
    },
  );

  app.get(
    '/routing/auto-dispatches',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Recent auto-dispatches to agencies the caller manages (admin roles), newest first, with whether the caller may pull one back',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }),
      },
    },
    async (req) => {
      requireAdminRole(req.caller);
      const since = new Date(svc.now().getTime() - req.query.days * 86_400_000);
      return { items: await recentAutoDispatches(svc, req.caller.actor, { since, limit: 200 }) };
    },
  );

  app.post(
    '/reports/:trackingId/actions/reverse-auto-dispatch',
    {
      schema: {
        tags: ['actions'],
        summary:
          'Pull an auto-dispatched report back to verification (a bukan-wewenang return): the return right or managing the agency',
        params: TrackingParams,
        body: ReverseBody,
      },
    },
    async (req) => {
      const result = await reverseAutoDispatch(svc, req.caller, req.params.trackingId, req.body);
      return presentReportFor(svc, req, result.report);
    },
  );

  app.post(
    '/reports/:trackingId/actions/pull-back',
    {
      schema: {
        tags: ['actions'],
        summary:
          'Pull a dispatch back to verification while the agency has not acted on it (a bukan-wewenang return): whoever verifies the report once it is back',
        params: TrackingParams,
        body: ReverseBody,
      },
    },
    async (req) => {
      const result = await pullBackDispatch(svc, req.caller, req.params.trackingId, req.body);
      return presentReportFor(svc, req, result.report);
    },
  );

  app.put(
    '/routing/auto-dispatch',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Turn auto-dispatch on or off above a confidence threshold, for the instance (national admin) or one agency',
        body: AutoDispatchBody,
      },
    },
    async (req) => setAutoDispatch(svc, req.caller, req.body),
  );

  app.post(
    '/reports/:trackingId/actions/merge',
    {
      schema: {
        tags: ['actions'],
        summary: 'Merge this report into another as a duplicate (supporters move to the kept report)',
        params: TrackingParams,
        body: MergeBody,
      },
    },
    async (req) => {
      const result = await mergeReports(svc, req.caller, req.params.trackingId, req.body).catch(
        (e: unknown) => {
          // The merge archives through the ordinary archive action: a refused transition names this action.
          if (e instanceof AppError && e.code === 'ILLEGAL_TRANSITION' && e.params.action === 'archive')
            throw new AppError(e.code, e.fields, { ...e.params, action: 'merge' });
          throw e;
        },
      );
      return {
        supportersMoved: result.supportersMoved,
        duplicate: { trackingId: result.duplicate.row.trackingId, status: result.duplicate.row.status },
        kept: await presentReportFor(svc, req, result.kept),
      };
    },
  );
};
