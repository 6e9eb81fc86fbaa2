/**
 * The public feed GET /laporan and report pages GET /laporan/:trackingId, with support (POST, one per
 * device or account) and comments (signed-in citizens). Reads always use the PUBLIC caller, so a signed-in
 * officer browsing the public pages sees exactly what the public sees: no confidential report, no
 * unverified report, no reporter identity.
 *
 * A signed-in citizen's comment is public and no verifier reads it first: a comment that seems to hold personal data
 * (`detectPersonalData`, as on the tracking page's accept and dispute forms) is not sent until the citizen ticks the
 * confirmation the re-rendered form then shows (`bodyPiiOk`); the public pages mask it anyway (`publicEventBody`),
 * and staff read it as written.
 */
import { limitCookielessSupport } from '../plugins/rate-limit.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { PUBLIC_CALLER, type Caller, type Services } from '../../app/context.ts';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { commentReport } from '../../commands/comment-report.ts';
import { openAttachment } from '../../commands/add-attachment.ts';
import { setSupportUpdates, supporterKeyOf, supportReport } from '../../commands/support-report.ts';
import { detectPersonalData, type PiiKind } from '../../domain/report/pii-hints.ts';
import { PUBLIC_STATUSES, type ReportStatus } from '../../domain/report/report.ts';
import { permissionsNow } from '../../policies/can.ts';
import { authorisingGrant } from '../../queries/access.ts';
import { listAgencyTree, listCategories, listRegions } from '../../queries/reference.ts';
import { getReport, listReports, timelineFor } from '../../queries/reports.ts';
import { publicFollowUpAttachments } from '../../queries/report-attachments.ts';
import { supportStateOf } from '../../queries/supports.ts';
import { inlineDisposition, neutralFilename } from '../../presenters/attachment.ts';
import { publicEventBody } from '../../presenters/report.ts';
import { formatDate } from '../../views/format.ts';
import { FeedPage, PublicReportPage } from '../../views/pages/feed.tsx';
import { pageHref } from '../../views/components/pagination.tsx';
import { piiConfirmField } from '../../views/pages/track.tsx';
import { classifyError } from '../plugins/errors.ts';
import { t } from '../../locales/index.ts';
import { formErrors, pageContext, sendPage, sendStaleFormPage } from './render.ts';
import { keyedQueue } from './one-at-a-time.ts';
import { formTokenHolds, STALE_FORM_STATUS } from './stale-form.ts';
import { buildReportModel } from './report-view.ts';
import { DRAFT_RETURN_STEPS } from '../../views/pages/similar-reports.tsx';

const PAGE_SIZE = 20;
const ID = /^\d{10}$/;
/** The longest comment, as the API's comment schema takes it. */
const COMMENT_MAX = 5000;
const REGION = /^\d{2}(\.\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Registers the feed pages. */
export async function feedPages(
  app: FastifyInstance,
  opts: { services: Services; supportPerHour?: number },
): Promise<void> {
  const svc = opts.services;

  app.get('/laporan', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const ctx = pageContext(req);
    const clean = (v: string | undefined, re: RegExp) => (v && re.test(v) ? v : undefined);
    const filters = {
      q: q.q?.trim().slice(0, 200) || undefined,
      classification: clean(q.classification, /^(pengaduan|aspirasi|permintaan_informasi)$/),
      status: PUBLIC_STATUSES.includes(q.status as ReportStatus) ? q.status : undefined,
      categoryId: clean(q.categoryId, /^\d{1,9}$/),
      agencyId: clean(q.agencyId, /^[a-z0-9-]{1,80}$/),
      prov: clean(q.prov, /^\d{2}$/),
      kab: clean(q.kab, REGION),
    };
    if (filters.kab && filters.prov && !filters.kab.startsWith(`${filters.prov}.`)) filters.kab = undefined;
    const page = Math.max(1, Math.min(1000, Math.floor(Number(q.page)) || 1));
    const result = await listReports(
      svc,
      PUBLIC_CALLER,
      {
        q: filters.q,
        classification: filters.classification,
        status: filters.status ? [filters.status as ReportStatus] : undefined,
        categoryId: filters.categoryId ? Number(filters.categoryId) : undefined,
        agencyId: filters.agencyId,
        regionCode: filters.kab ?? filters.prov,
      },
      page,
      PAGE_SIZE,
    );
    // Past the last page (an old link, fewer reports now): the last page, not an empty "page 1000 of 3".
    const last = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    if (page > last) return reply.redirect(pageHref('/laporan', filters, last), 303);
    const cats = await listCategories(svc.db);
    const options = {
      categories: cats
        .filter((c) => c.parentId === null)
        .map((c) => ({ value: String(c.id), label: c.name })),
      agencies: (await listAgencyTree(svc.db))
        .filter((a) => a.kind !== 'unit')
        .map((a) => ({ value: a.id, label: a.name })),
      provinces: (await listRegions(svc.db)).map((r) => ({ value: r.code, label: r.name })),
      kabs: filters.prov
        ? (await listRegions(svc.db, filters.prov)).map((r) => ({ value: r.code, label: r.name }))
        : [],
      statuses: PUBLIC_STATUSES.map((s) => ({ value: s, label: t(ctx.lang, `status.${s}`) })),
    };
    const items = result.items.map((r) => ({
      trackingId: r.row.trackingId,
      title: r.row.title,
      status: r.row.status,
      classification: r.row.classification,
      agency: r.agency?.name ?? null,
      createdLabel: formatDate(r.row.createdAt, ctx.lang),
      supportCount: r.row.supportCount,
    }));
    return sendPage(
      reply,
      req,
      h(FeedPage, { ctx, items, total: result.total, page, pageSize: PAGE_SIZE, filters, options }),
    );
  });

  /** Comment posts of one report run one at a time. */
  const oneAtATime = keyedQueue();

  async function renderReport(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      notice?: string;
      draftStep?: string | undefined;
      errors?: Record<string, FieldIssue>;
      comment?: string;
      /** A comment with personal data and no confirmation: what was found. */
      pii?: PiiKind[];
      /** The answer's status when it is not the usual 200/422 (a stale form: 403). */
      status?: number;
    } = {},
  ) {
    if (!ID.test(id)) throw new AppError('NOT_FOUND');
    const ctx = pageContext(req);
    const visible = await getReport(svc, PUBLIC_CALLER, id);
    const m = await buildReportModel(svc, ctx, visible);
    const files = (await publicFollowUpAttachments(svc.db, visible.report.row.id)).map((f) => ({
      id: f.id,
      name: neutralFilename(f),
      size: f.size,
    }));
    // A signed-in reporter's comment on their own report is a reply only staff and the reporter read: the hint says so.
    const ownReport =
      !!ctx.user &&
      (await getReport(svc, { ...req.caller, accessKey: undefined }, id).catch(() => null))?.subject
        .isReporter === true;
    // Supported already (this account or device): the page says so instead of offering the button again; a signed-in
    // supporter may also have asked for email updates.
    const support = await supportStateOf(svc.db, supporterKeyOf(req.caller), visible.report.row.trackingId);
    const errors = formErrors(ctx.lang, extra.errors ?? {});
    if (extra.pii) {
      const kinds = extra.pii.map((k) => t(ctx.lang, `web.report.pii_${k}`)).join(', ');
      errors[piiConfirmField('body')] = t(ctx.lang, 'web.feed.pii_confirm_error', { kinds });
    }
    return sendPage(
      reply,
      req,
      h(PublicReportPage, {
        ctx,
        m,
        files,
        canComment: !!ctx.user,
        ownReport,
        notice: extra.notice,
        draftStep: extra.draftStep,
        supported: support.supported,
        updates: support.updates,
        errors,
        comment: extra.comment,
        pii: extra.pii,
      }),
      extra.status ?? (Object.keys(errors).length ? 422 : 200),
    );
  }

  app.get<{
    Params: { trackingId: string };
    Querystring: { dukung?: string; komentar?: string; draf?: string; kabar?: string };
  }>('/laporan/:trackingId', async (req, reply) => {
    const lang = pageContext(req).lang;
    const notice =
      req.query.dukung === 'ok'
        ? t(lang, 'web.feed.supported')
        : req.query.dukung === 'sudah'
          ? t(lang, 'errors.ALREADY_SUPPORTED')
          : req.query.komentar === 'ok'
            ? t(lang, 'web.feed.commented')
            : req.query.kabar === 'ya'
              ? t(lang, 'web.feed.updates_on_notice')
              : req.query.kabar === 'tidak'
                ? t(lang, 'web.feed.updates_off_notice')
                : undefined;
    const draftStep =
      req.query.dukung && (DRAFT_RETURN_STEPS as readonly string[]).includes(req.query.draf ?? '')
        ? req.query.draf
        : undefined;
    return renderReport(req, reply, req.params.trackingId, { notice, draftStep });
  });

  // A file of the agency's public follow-up, under a neutral name. Anything else (a reporter upload, a file
  // of an internal note, any file of a report that is not public): 404.
  app.get('/laporan/:trackingId/lampiran/:attachmentId', async (req, reply) => {
    const { trackingId, attachmentId } = req.params as { trackingId: string; attachmentId: string };
    if (!ID.test(trackingId) || !UUID.test(attachmentId)) throw new AppError('NOT_FOUND');
    const visible = await getReport(svc, PUBLIC_CALLER, trackingId);
    const files = await publicFollowUpAttachments(svc.db, visible.report.row.id);
    if (!files.some((f) => f.id === attachmentId)) throw new AppError('NOT_FOUND');
    const { row, stream } = await openAttachment(svc, PUBLIC_CALLER, trackingId, attachmentId);
    reply.header('content-type', row.mime);
    reply.header('content-disposition', inlineDisposition(neutralFilename(row)));
    reply.header('x-content-type-options', 'nosniff');
    // Not kept by shared caches: the report may be made confidential later.
    reply.header('cache-control', 'no-store');
    return reply.send(stream);
  });

  app.post<{ Params: { trackingId: string } }>(
    '/laporan/:trackingId/dukung',
    { preHandler: limitCookielessSupport(svc, opts.supportPerHour) },
    async (req, reply) => {
      const id = req.params.trackingId;
      if (!ID.test(id)) throw new AppError('NOT_FOUND');
      await getReport(svc, PUBLIC_CALLER, id);
      // From the report journey's similar list: the answer links back to the saved draft.
      const step = String((req.body as Record<string, unknown> | undefined)?.draf ?? '');
      const draft = (DRAFT_RETURN_STEPS as readonly string[]).includes(step) ? `&draf=${step}` : '';
      try {
        await supportReport(svc, { ...req.caller, accessKey: undefined }, id);
      } catch (e) {
        if (classifyError(e).code !== 'ALREADY_SUPPORTED') throw e;
        return reply.redirect(`/laporan/${id}?dukung=sudah${draft}`, 303);
      }
      return reply.redirect(`/laporan/${id}?dukung=ok${draft}`, 303);
    },
  );

  // Email updates for a signed-in supporter (`kabar=ya` supports first when needed; `kabar=tidak` stops them).
  app.post<{ Params: { trackingId: string } }>('/laporan/:trackingId/kabar', async (req, reply) => {
    const id = req.params.trackingId;
    if (!ID.test(id)) throw new AppError('NOT_FOUND');
    if (!req.session) return reply.redirect(`/masuk?next=${encodeURIComponent(`/laporan/${id}`)}`, 303);
    const on = String((req.body as Record<string, unknown> | undefined)?.kabar ?? '') === 'ya';
    // Turning updates off works whatever the report has become since; turning them on needs a public report.
    if (on) await getReport(svc, PUBLIC_CALLER, id);
    await setSupportUpdates(
      svc,
      { ...req.caller, accessKey: undefined },
      id,
      on ? pageContext(req).lang : null,
    );
    return reply.redirect(`/laporan/${id}?kabar=${on ? 'ya' : 'tidak'}`, 303);
  });

  app.post<{ Params: { trackingId: string } }>(
    '/laporan/:trackingId/komentar',
    // CSRF is checked here: a stale form comes back with the comment kept, nothing posted (web/stale-form.ts).
    { config: { skipCsrf: true } },
    async (req, reply) => {
      const id = req.params.trackingId;
      if (!ID.test(id)) throw new AppError('NOT_FOUND');
      await getReport(svc, PUBLIC_CALLER, id);
      const form = (req.body ?? {}) as Record<string, unknown>;
      const body = String(form.body ?? '').trim();
      if (!req.session) {
        // Signed out meanwhile (another tab, an expired session): a typed comment is given back for copying.
        if (body) return sendStaleFormPage(reply, req, `/laporan/${id}`);
        return reply.redirect(`/masuk?next=/laporan/${id}`, 303);
      }
      if (!formTokenHolds(req, form._csrf)) {
        const stale = { body: { key: 'stale_form' } };
        return renderReport(req, reply, id, { errors: stale, comment: body, status: STALE_FORM_STATUS });
      }
      if (!body)
        return renderReport(req, reply, id, { errors: { body: { key: 'required' } }, comment: body });
      // Too long: refused with the text kept (as the tracking page's reply), never cut short.
      if (body.length > COMMENT_MAX) {
        const tooLong = { key: 'too_long', params: { max: COMMENT_MAX } };
        return renderReport(req, reply, id, { errors: { body: tooLong }, comment: body });
      }
      const caller: Caller = { ...req.caller, accessKey: undefined };
      const pii = await unconfirmedPii(caller, id, body, form[piiConfirmField('body')] === '1');
      if (pii) return renderReport(req, reply, id, { pii, comment: body });
      // One comment post per report at a time; the same comment twice in a row (a double tap) is recorded once.
      await oneAtATime(id, async () => {
        if (!(await repeatsOwnLastComment(caller, id, body))) await commentReport(svc, caller, id, { body });
      });
      return reply.redirect(`/laporan/${id}?komentar=ok`, 303);
    },
  );

  /** Whether the latest event the caller sees is the caller's own comment (or reply) with this very text. */
  async function repeatsOwnLastComment(caller: Caller, id: string, text: string): Promise<boolean> {
    const visible = await getReport(svc, caller, id).catch(() => null);
    const last = visible ? (await timelineFor(svc, visible)).at(-1) : undefined;
    return (
      !!last &&
      (last.type === 'comment' || last.type === 'reporter_reply') &&
      last.actorUserId === caller.actor.userId &&
      last.body === text
    );
  }

  /**
   * The personal data a comment seems to hold when the citizen has not confirmed sending it and the comment would be
   * published masked (a public comment by an unreviewed author, as `publicEventBody` decides: not the report's own
   * reporter, whose comment is a reply only staff and the reporter read, nor staff, whose texts are published as written); null otherwise (then
   * the command runs and refuses what it must).
   */
  async function unconfirmedPii(
    caller: Caller,
    id: string,
    text: string,
    confirmed: boolean,
  ): Promise<PiiKind[] | null> {
    const kinds = detectPersonalData(text);
    if (confirmed || kinds.length === 0) return null;
    const visible = await getReport(svc, caller, id).catch(() => null);
    if (!visible || visible.subject.isReporter) return null;
    if (!permissionsNow(visible.permissions, visible.report.row.status).comment) return null;
    const role = authorisingGrant(caller, 'comment', visible.subject)?.role ?? 'public';
    return publicEventBody(text, role) === text ? null : kinds;
  }
}
