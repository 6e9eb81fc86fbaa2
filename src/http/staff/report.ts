/**
 * Back-office report page: GET /kantor/laporan/:trackingId and one POST per action
 * (/kantor/laporan/:trackingId/{verify,hold,archive,dispose,return,respond,note}). Every POST carries `_csrf`,
 * runs the existing command, then redirects (PRG); a failure re-renders the page with the error summary,
 * inline errors and the typed values. The follow-up form is multipart (attachments through addAttachment).
 */
import { plainText } from '../../domain/shared/text.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { h } from 'preact';
import { z } from 'zod';
import { rowIdParam } from '../api/v1/schemas.ts';
import type { Caller, Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { archiveReport } from '../../commands/archive-report.ts';
import { mergeReports } from '../../commands/merge-reports.ts';
import { assignableAgencyIds, assignReport, ASSIGNABLE_STATUSES } from '../../commands/assign-report.ts';
import { staffOfAgencies } from '../../queries/admin.ts';
import { addAttachment, ATTACHMENT_LIMITS } from '../../commands/add-attachment.ts';
import { disposeReport } from '../../commands/dispose-report.ts';
import { holdReport } from '../../commands/hold-report.ts';
import { noteReport } from '../../commands/note-report.ts';
import { respondToReport } from '../../commands/respond-to-report.ts';
import { returnReport } from '../../commands/return-report.ts';
import { recordPiiAccess, revealReporter } from '../../commands/reveal-reporter.ts';
import { detectPersonalData } from '../../domain/report/pii-hints.ts';
import { verifyReport } from '../../commands/verify-report.ts';
import { suggestRouting, suggestUnits } from '../../commands/suggest-routing.ts';
import { similarReportsForStaff } from '../../queries/similar-reports.ts';
import { ARCHIVE_REASONS, CLASSIFICATIONS } from '../../domain/report/report.ts';
import { listAgencyTree, listCategories, regionTrail } from '../../queries/reference.ts';
import { staffReportView } from '../../queries/back-office.ts';
import { reportZone } from '../../presenters/report.ts';
import { t } from '../../locales/index.ts';
import { ReportPage } from '../../views/staff/report-page.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import type { RoutingPick } from '../../views/staff/verification-aids.tsx';
import { classifyError } from '../plugins/errors.ts';
import { formErrors, pageContext, sendPage } from '../web/render.ts';
import { cleanBody, list, parseForm, renameFields, requireStaff, type FormBody } from './forms.ts';

const text = (min: number, max: number) => z.string().min(min).max(max);

/** One form action: its schema, how it calls the command, and the form names of command fields. */
interface FormAction {
  schema: z.ZodType;
  run: (svc: Services, caller: Caller, id: string, data: never, body: FormBody) => Promise<unknown>;
  rename?: Record<string, string>;
}

const ACTIONS: Record<string, FormAction> = {
  verify: {
    schema: z.object({
      classification: z.enum(CLASSIFICATIONS),
      categoryId: rowIdParam,
      agencyId: text(1, 80),
    }),
    run: (
      svc,
      caller,
      id,
      data: { classification: (typeof CLASSIFICATIONS)[number]; categoryId: number; agencyId: string },
      body,
    ) => {
      const flags = list(body.flags);
      return verifyReport(svc, caller, id, {
        ...data,
        anonymous: flags.includes('anonymous'),
        confidential: flags.includes('confidential'),
        supervisory: flags.includes('supervisory'),
      });
    },
    // A flag the report already has cannot be lifted: the refusal shows on the privacy checkboxes.
    rename: { anonymous: 'flags', confidential: 'flags' },
  },
  hold: {
    schema: z.object({ question: text(5, 2000) }),
    run: (svc, caller, id, data: { question: string }) => holdReport(svc, caller, id, data),
  },
  archive: {
    schema: z.object({
      reason: z.enum(ARCHIVE_REASONS),
      archiveNote: text(1, 2000).optional(),
      duplicateOf: z
        .string()
        .regex(/^\d{10}$/)
        .optional(),
    }),
    // A duplicate is merged (issue 7): archived, linked to the kept report, supporters moved, both reporters told.
    run: (
      svc,
      caller,
      id,
      data: { reason: (typeof ARCHIVE_REASONS)[number]; archiveNote?: string; duplicateOf?: string },
    ) =>
      data.reason === 'duplicate' && data.duplicateOf
        ? mergeReports(svc, caller, id, { keepTrackingId: data.duplicateOf, note: data.archiveNote })
        : archiveReport(svc, caller, id, {
            reason: data.reason,
            note: data.archiveNote,
            duplicateOf: data.duplicateOf,
          }),
    rename: { keepTrackingId: 'duplicateOf', note: 'archiveNote' },
  },
  dispose: {
    schema: z.object({ unitId: text(1, 80), disposeNote: text(1, 2000).optional() }),
    run: (svc, caller, id, data: { unitId: string; disposeNote?: string }) =>
      disposeReport(svc, caller, id, { unitId: data.unitId, note: data.disposeNote }),
  },
  return: {
    schema: z.object({ returnNote: text(5, 2000) }),
    run: (svc, caller, id, data: { returnNote: string }) =>
      returnReport(svc, caller, id, { note: data.returnNote }),
    rename: { note: 'returnNote' },
  },
  note: {
    schema: z.object({ noteBody: text(1, 5000) }),
    run: (svc, caller, id, data: { noteBody: string }) =>
      noteReport(svc, caller, id, { body: data.noteBody }),
    rename: { body: 'noteBody' },
  },
  assign: {
    schema: z.object({ assignee: z.uuid().optional() }),
    run: (svc, caller, id, data: { assignee?: string }) =>
      assignReport(svc, caller, id, { assigneeUserId: data.assignee ?? null }),
  },
  respond: {
    schema: z.object({ body: text(5, 10_000), kind: z.enum(['interim', 'final']) }),
    run: (svc, caller, id, data: { body: string; kind: 'interim' | 'final' }) =>
      respondToReport(svc, caller, id, { body: data.body, final: data.kind === 'final' }),
    rename: { final: 'kind' },
  },
};

const TrackingId = z.string().regex(/^\d{10}$/);

async function renderReport(
  svc: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  trackingId: string,
  opts: { form?: FormState; done?: boolean; status?: number; pick?: RoutingPick } = {},
) {
  const view = await staffReportView(svc, req.caller, trackingId);
  const aids = view.visible.permissions.verify
    ? await verificationAids(svc, req, view.visible.report.row, opts.pick ?? {})
    : undefined;
  // Suggested units for the dispose form; a failing lookup leaves the form as it was.
  const unitSuggestions =
    view.units.length > 0
      ? await suggestUnits(svc, req.caller, trackingId).then(
          (s) => s.units,
          (err: unknown) => {
            req.log.warn({ err, trackingId }, 'unit suggestions unavailable');
            return undefined;
          },
        )
      : undefined;
  const reporter = await revealReporter(svc, req.caller, view.visible.report, 'staff.report.view');
  // The reporter's own file names are personal data too: logged here when no identity view already logged the page.
  if (
    !reporter &&
    view.visible.permissions.viewReporter &&
    view.attachments.some((a) => a.uploadedBy === 'reporter')
  )
    await recordPiiAccess(svc, view.visible.report.row.id, req.caller.actor.userId, 'attachment.filename');
  const row = view.visible.report.row;
  const [agencies, categories, regionNames] = await Promise.all([
    listAgencyTree(svc.db),
    listCategories(svc.db),
    row.regionCode ? regionTrail(svc.db, row.regionCode) : [],
  ]);
  const ctx = pageContext(req);
  const handling = (ASSIGNABLE_STATUSES as readonly string[]).includes(row.status) && row.agencyId;
  const assign = handling
    ? {
        staff: await staffOfAgencies(
          svc,
          assignableAgencyIds(
            (view.visible.report.agency?.path ?? '').split('/').filter(Boolean),
            row.dispatchedAgencyId,
          ),
        ),
        currentId: row.assigneeUserId,
        editable: view.visible.permissions.dispose,
      }
    : undefined;
  return sendPage(
    reply,
    req,
    h(ReportPage, {
      assign,
      ctx,
      view,
      reporter,
      reference: { agencies, categories },
      regionNames,
      zone: reportZone(view.visible.report),
      form: opts.form,
      done: opts.done ?? false,
      aids,
      unitSuggestions,
      pick: opts.pick,
    }),
    opts.status ?? 200,
  );
}

/**
 * Similar reports and routing suggestions for a verifier. Each lookup failing on its own (e.g. a model
 * being replaced) leaves that panel saying so instead of breaking the verification screen. Showing the
 * suggestions records them (`suggestRouting`), so the verify that follows is measured against them.
 */
async function verificationAids(
  svc: Services,
  req: FastifyRequest,
  row: { trackingId: string; title: string; body: string; confidential: boolean },
  pick: RoutingPick,
) {
  const { trackingId } = row;
  const soft = <T>(what: string, p: Promise<T>): Promise<T | null> =>
    p.catch((err: unknown) => {
      req.log.warn({ err, trackingId }, `verification aid unavailable: ${what}`);
      return null;
    });
  const [similar, suggestions] = await Promise.all([
    soft('similar reports', similarReportsForStaff(svc, req.caller, trackingId)),
    soft('routing suggestions', suggestRouting(svc, req.caller, trackingId)),
  ]);
  // Email, SMS, Open311 and API reporters were never warned, as the web form warns: the verifier is, before the text
  // goes public (a confidential report's text never does).
  const personalData = row.confidential ? [] : detectPersonalData(row.title, row.body);
  return { similar, suggestions, pick, personalData };
}

/**
 * A picked suggestion from the query (`?instansi=&kategori=&klasifikasi=`, a unit for the dispose form `?unit=`), and a
 * similar report to mark this one a duplicate of (`?duplikat=`), each ignored when malformed.
 */
function pickOf(query: unknown): RoutingPick {
  const q = (query ?? {}) as Record<string, unknown>;
  const agencyId =
    typeof q.instansi === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(q.instansi) ? q.instansi : undefined;
  const categoryId = typeof q.kategori === 'string' && /^\d{1,9}$/.test(q.kategori) ? q.kategori : undefined;
  const duplicateOf = typeof q.duplikat === 'string' && /^\d{10}$/.test(q.duplikat) ? q.duplikat : undefined;
  const unitId = typeof q.unit === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(q.unit) ? q.unit : undefined;
  const classification =
    typeof q.klasifikasi === 'string' && (CLASSIFICATIONS as readonly string[]).includes(q.klasifikasi)
      ? q.klasifikasi
      : undefined;
  return { agencyId, categoryId, classification, duplicateOf, unitId };
}

function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads a multipart follow-up: fields plus buffered files, checking `_csrf` (the auth hook cannot see it). */
async function readMultipart(
  req: FastifyRequest,
): Promise<{ body: FormBody; files: Array<{ filename: string; data: Buffer }> }> {
  const body: FormBody = {};
  const files: Array<{ filename: string; data: Buffer }> = [];
  let csrf: string | undefined;
  for await (const part of req.parts({ limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: 5 } })) {
    if (part.type === 'file') {
      const data = await part.toBuffer().catch((e: { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE');
        throw e;
      });
      if (part.filename && data.length > 0) files.push({ filename: plainText(part.filename), data });
    } else if (part.fieldname === '_csrf') csrf = String(part.value);
    else if (typeof part.value === 'string' && plainText(part.value).trim() !== '')
      body[part.fieldname] = plainText(part.value).trim();
  }
  if (!req.session || !csrfMatches(csrf, req.session.csrfToken)) throw new AppError('CSRF_INVALID');
  return { body, files };
}

/** Registers the report page and its action routes. */
export const staffReportRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get('/kantor/laporan/:trackingId', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const { trackingId } = req.params as { trackingId: string };
    if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
    const done = (req.query as Record<string, string | undefined>).selesai === '1';
    return renderReport(svc, req, reply, trackingId, { done, pick: pickOf(req.query) });
  });

  for (const [name, action] of Object.entries(ACTIONS)) {
    const multipart = name === 'respond';
    app.post(
      `/kantor/laporan/:trackingId/${name}`,
      { config: multipart ? { skipCsrf: true } : {} },
      async (req, reply) => {
        if (!requireStaff(req, reply)) return reply;
        const { trackingId } = req.params as { trackingId: string };
        if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
        const lang = pageContext(req).lang;
        let body: FormBody = {};
        let files: Array<{ filename: string; data: Buffer }> = [];
        try {
          if (multipart) {
            if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
            ({ body, files } = await readMultipart(req));
          } else body = cleanBody(req.body);
          const data = parseForm(action.schema, body);
          await action.run(svc, req.caller, trackingId, data as never, body);
        } catch (err) {
          const c = classifyError(renameFields(err, action.rename ?? {}));
          if (c.status !== 422 && c.status !== 409) throw err;
          const form: FormState = {
            action: name,
            values: body as Record<string, string | string[]>,
            errors: c.code === 'VALIDATION_FAILED' ? formErrors(lang, c.fields) : {},
            message: c.code === 'VALIDATION_FAILED' ? undefined : t(lang, `errors.${c.code}`, c.params),
          };
          return renderReport(svc, req, reply, trackingId, { form, status: c.status });
        }
        for (const file of files) {
          try {
            await addAttachment(svc, req.caller, trackingId, file);
          } catch (err) {
            const c = classifyError(err);
            if (c.status >= 500 || c.status === 403 || c.status === 404) throw err;
            const reason =
              c.code === 'VALIDATION_FAILED' ? formErrors(lang, c.fields).file : t(lang, `errors.${c.code}`);
            const form: FormState = {
              action: 'respond',
              values: {},
              errors: {},
              message: t(lang, 'staff.respond.files_failed', { reason: `${file.filename}: ${reason ?? ''}` }),
            };
            return renderReport(svc, req, reply, trackingId, { form, status: 422 });
          }
        }
        if (name === 'return') return reply.redirect(`/kantor?tab=dispatched&lang=${lang}`, 303);
        return reply.redirect(`/kantor/laporan/${trackingId}?selesai=1&lang=${lang}`, 303);
      },
    );
  }
};
