/**
 * Back-office report page: GET /kantor/laporan/:trackingId and one POST per action
 * (/kantor/laporan/:trackingId/{verify,hold,archive,dispose,return,pull-back,escalate,note,assign,respond}). Every POST carries `_csrf`,
 * runs the existing command, then redirects (PRG); a failure re-renders the page with the error summary,
 * inline errors and the typed values. The follow-up form is multipart: every file is checked before the follow-up
 * is posted, and the follow-up and its files are stored together or not at all (`withAttachments`).
 */
import { plainText } from '../../domain/shared/text.ts';
import type { FastifyContextConfig, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { h } from 'preact';
import { z } from 'zod';
import { rowIdParam } from '../api/v1/schemas.ts';
import type { Caller, Services } from '../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import { collectIssues, requireHandlingAgency } from '../../commands/lookups.ts';
import { archiveReport } from '../../commands/archive-report.ts';
import { mergeReports } from '../../commands/merge-reports.ts';
import { assignableAgencyIds, assignReport, ASSIGNABLE_STATUSES } from '../../commands/assign-report.ts';
import { staffOfAgencies } from '../../queries/admin.ts';
import {
  ATTACHMENT_LIMITS,
  prepareAttachment,
  withAttachments,
  type PreparedAttachment,
} from '../../commands/add-attachment.ts';
import { disposeReport } from '../../commands/dispose-report.ts';
import { holdReport } from '../../commands/hold-report.ts';
import { noteReport } from '../../commands/note-report.ts';
import { respondToReport } from '../../commands/respond-to-report.ts';
import { returnReport } from '../../commands/return-report.ts';
import { pullBackDispatch } from '../../commands/pull-back-dispatch.ts';
import { releaseInlineImage } from '../../commands/release-inline-image.ts';
import { escalateReport, escalationOffer } from '../../commands/escalate-report.ts';
import { recordPiiAccess, revealReporter } from '../../commands/reveal-reporter.ts';
import { detectPersonalData } from '../../domain/report/pii-hints.ts';
import { verifyChoiceIssues, verifyReport } from '../../commands/verify-report.ts';
import { suggestRouting, suggestUnits } from '../../commands/suggest-routing.ts';
import { similarReportsForStaff } from '../../queries/similar-reports.ts';
import { ARCHIVE_REASONS, CLASSIFICATIONS } from '../../domain/report/report.ts';
import { listAgencyTree, listCategories, regionTrail } from '../../queries/reference.ts';
import { latestEvent, staffReportView, type LatestEvent } from '../../queries/back-office.ts';
import { reportZone } from '../../presenters/report.ts';
import { t, type Lang } from '../../locales/index.ts';
import { formatDate } from '../../views/format.ts';
import { ReportPage, type ReportDone } from '../../views/staff/report-page.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import type { RoutingPick } from '../../views/staff/verification-aids.tsx';
import { classifyError } from '../plugins/errors.ts';
import {
  formErrors,
  pageContext,
  sendPage,
  STALE_FORM_STATUS,
  staleFormMessage,
  type StaleFormRoute,
} from '../web/render.ts';
import {
  cleanBody,
  list,
  mergeIssues,
  parseFields,
  renameFields,
  requireStaff,
  type FormBody,
} from './forms.ts';

const text = (min: number, max: number) => z.string().min(min).max(max);

/** One form action: its schema, how it calls the command, and the form names of command fields. */
interface FormAction {
  schema: z.ZodType;
  run: (
    svc: Services,
    caller: Caller,
    id: string,
    data: never,
    body: FormBody,
    files: PreparedAttachment[],
  ) => Promise<unknown>;
  rename?: Record<string, string>;
  /**
   * The command's own field checks (unknown ids), run on the fields that parsed when others did not, so the form
   * shows every problem at once rather than a few per submission.
   */
  check?: (svc: Services, data: Record<string, unknown>) => Promise<Record<string, FieldIssue>>;
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
        confirmRedispatch: body.confirmRedispatch === '1',
        confirmUnstaffed: body.confirmUnstaffed === '1',
      });
    },
    // A flag the report already has cannot be lifted: the refusal shows on the privacy checkboxes.
    rename: { anonymous: 'flags', confidential: 'flags' },
    check: async (svc, data) =>
      (
        await verifyChoiceIssues(svc.db, {
          categoryId: data.categoryId as number | undefined,
          agencyId: data.agencyId as string | undefined,
        })
      ).issues,
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
    schema: z.object({ returnNote: text(5, 2000), suggestedAgencyId: text(1, 80).optional() }),
    run: (svc, caller, id, data: { returnNote: string; suggestedAgencyId?: string }) =>
      returnReport(svc, caller, id, { note: data.returnNote, suggestedAgencyId: data.suggestedAgencyId }),
    rename: { note: 'returnNote' },
    // The suggested agency is checked with the note, so both problems show at once.
    check: async (svc, data) => {
      const issues: Record<string, FieldIssue> = {};
      const suggested = data.suggestedAgencyId as string | undefined;
      if (suggested)
        await collectIssues(issues, () => requireHandlingAgency(svc.db, suggested, 'suggestedAgencyId'));
      return issues;
    },
  },
  // A verifier pulls a dispatch back to verification while the agency has not acted on it (pullBackDispatch).
  'pull-back': {
    schema: z.object({ pullBackNote: text(1, 2000) }),
    run: (svc, caller, id, data: { pullBackNote: string }) =>
      pullBackDispatch(svc, caller, id, { note: data.pullBackNote }),
    rename: { note: 'pullBackNote' },
  },
  note: {
    schema: z.object({ noteBody: text(1, 5000) }),
    run: (svc, caller, id, data: { noteBody: string }) =>
      noteReport(svc, caller, id, { body: data.noteBody }),
    rename: { body: 'noteBody' },
  },
  // Hand-off to the Ombudsman by a verifier on the reporter's consent given by phone or letter; the note says how.
  escalate: {
    schema: z.object({
      consent: z.unknown().refine((v) => v === '1', { params: { key: 'consent_true' } }),
      note: text(10, 2000),
      shareIdentity: z.enum(['1']).optional(),
    }),
    run: (svc, caller, id, data: { note: string; shareIdentity?: '1' }) =>
      escalateReport(svc, caller, id, {
        consent: true,
        note: data.note,
        shareIdentity: data.shareIdentity === '1',
      }),
  },
  assign: {
    schema: z.object({ assignee: z.uuid().optional() }),
    run: (svc, caller, id, data: { assignee?: string }) =>
      assignReport(svc, caller, id, { assigneeUserId: data.assignee ?? null }),
  },
  // The files were checked and cleaned before (`prepareUploads`); they are stored on the follow-up's own event, in
  // its transaction.
  respond: {
    schema: z.object({ body: text(5, 10_000), kind: z.enum(['interim', 'final']) }),
    run: (svc, caller, id, data: { body: string; kind: 'interim' | 'final' }, _body, files) =>
      withAttachments(svc, caller, id, files, (inner) =>
        respondToReport(inner, caller, id, { body: data.body, final: data.kind === 'final' }),
      ),
    rename: { final: 'kind' },
  },
};

const TrackingId = z.string().regex(/^\d{10}$/);

/**
 * Whether the report's latest event is this very submission, already stored: the same step with the same choice or
 * text (a double click, or the browser sending the form again). The second request then lands where the first did,
 * instead of a 409 saying "not possible in this status" (and "your text was not sent") about a step that was done.
 */
const SAME_SUBMISSION: Partial<Record<string, (e: LatestEvent, body: FormBody) => boolean>> = {
  verify: (e, b) => e.type === 'verify' && e.data.agencyId === b.agencyId,
  hold: (e, b) => e.type === 'hold' && e.body === b.question,
  archive: (e, b) => e.type === 'archive' && e.data.reason === b.reason,
  dispose: (e, b) => e.type === 'dispose' && e.data.toAgencyId === b.unitId,
  return: (e, b) => e.type === 'return' && !e.data.pullBack && e.data.note === b.returnNote,
  'pull-back': (e, b) => e.type === 'return' && !!e.data.pullBack && e.data.note === b.pullBackNote,
};

/** A double submission counts only within this time of the stored step. */
const REPEAT_WINDOW_MS = 2 * 60_000;

async function isRepeatedSubmission(
  svc: Services,
  caller: Caller,
  trackingId: string,
  action: string,
  body: FormBody,
): Promise<boolean> {
  const same = SAME_SUBMISSION[action];
  if (!same || !caller.actor.userId) return false;
  const last = await latestEvent(svc.db, trackingId);
  return (
    !!last &&
    last.actorUserId === caller.actor.userId &&
    svc.now().getTime() - last.createdAt.getTime() < REPEAT_WINDOW_MS &&
    same(last, body)
  );
}

async function renderReport(
  svc: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  trackingId: string,
  opts: { form?: FormState; done?: ReportDone; status?: number; pick?: RoutingPick } = {},
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
  // The escalate form shows once the hand-off is open, as the API's `allowedActions` offers it (escalate-report.ts).
  const { escalationOpen } = await escalationOffer(
    svc.db,
    view.visible.report,
    view.visible.permissions,
    svc.now(),
  );
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
      escalationOpen,
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

/** An uploaded file as read from a multipart form; `tooLarge` when it went over the size limit (then no data). */
interface Upload {
  filename: string;
  data: Buffer;
  tooLarge: boolean;
}

/**
 * Reads a multipart follow-up: fields plus buffered files, and whether its `_csrf` holds (the auth hook cannot see
 * it; a stale one re-renders the page with the text typed, as `staleReportForm` does for the other forms). A file
 * over the size limit is not an error here (`throwFileSizeLimit: false`; busboy drops the bytes past the limit):
 * it is marked, so the form can say so next to the field with the typed text kept. The size and count limits
 * themselves stay: at most `ATTACHMENT_LIMITS.maxBytes` of a file is buffered, and a sixth file is a 413.
 */
async function readMultipart(
  req: FastifyRequest,
): Promise<{ body: FormBody; files: Upload[]; tokenHolds: boolean }> {
  const body: FormBody = {};
  const files: Upload[] = [];
  let csrf: string | undefined;
  // `parts()` reads `throwFileSizeLimit` per call like `files()` does, though its type leaves it out.
  const options = { limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: 5 }, throwFileSizeLimit: false };
  for await (const part of req.parts(options)) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      const tooLarge = part.file.truncated;
      if (part.filename && (data.length > 0 || tooLarge))
        files.push({ filename: plainText(part.filename), data: tooLarge ? Buffer.alloc(0) : data, tooLarge });
    } else if (part.fieldname === '_csrf') csrf = String(part.value);
    else if (typeof part.value === 'string' && plainText(part.value).trim() !== '')
      body[part.fieldname] = plainText(part.value).trim();
  }
  if (!req.session) throw new AppError('CSRF_INVALID');
  return { body, files, tokenHolds: csrfMatches(csrf, req.session.csrfToken) };
}

/**
 * Checks and cleans every uploaded file before anything is posted (`prepareAttachment`, the same checks as every
 * upload path). Returns the prepared files, and for the refused ones the message for the file field: the file's
 * name and the reason with its parameters ("Harus salah satu dari: JPEG, PNG, WebP, PDF."; a file over the size
 * limit names the limit).
 */
async function prepareUploads(
  lang: Lang,
  files: Upload[],
): Promise<{ prepared: PreparedAttachment[]; refused: string[]; accepted: string[] }> {
  const prepared: PreparedAttachment[] = [];
  const refused: string[] = [];
  const accepted: string[] = [];
  const tooBig: FieldIssue = {
    key: 'too_big',
    params: { max: `${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB` },
  };
  for (const file of files) {
    let issue: FieldIssue | undefined = file.tooLarge ? tooBig : undefined;
    if (!issue) {
      try {
        prepared.push(await prepareAttachment(file));
        accepted.push(file.filename);
      } catch (err) {
        const c = classifyError(err);
        if (c.code === 'PAYLOAD_TOO_LARGE') issue = tooBig;
        else if (c.code === 'VALIDATION_FAILED' && err instanceof AppError && err.fields.file)
          issue = err.fields.file;
        else throw err;
      }
    }
    // The field message as written, with its parameters: the accepted types are the point of the message.
    if (issue)
      refused.push(
        t(lang, 'staff.respond.file_rejected', {
          name: file.filename,
          reason: t(lang, `errors.field.${issue.key}`, issue.params),
        }),
      );
  }
  return { prepared, refused, accepted };
}

/** Where a successful action leads (PRG). */
function doneLocation(action: string, trackingId: string, lang: Lang): string {
  // A return takes the report out of the agency's sight: its notice is on the queue it lands on.
  if (action === 'return') return `/kantor?tab=dispatched&selesai=kembali&lang=${lang}`;
  const selesai =
    action === 'pull-back'
      ? 'tarik'
      : action === 'escalate'
        ? 'ombudsman'
        : action === 'release'
          ? 'lampiran'
          : '1';
  return `/kantor/laporan/${trackingId}?selesai=${selesai}&lang=${lang}`;
}

/** Registers the report page and its action routes. */
export const staffReportRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  /**
   * A stale token on one of the report's forms (web/stale-form.ts): the report page again (403) with what was typed
   * in that form, a fresh token and the stale message; nothing was done. Only for whom may open the page (the GET's
   * gate, then `staffReportView`: a report out of the caller's scope answers its 404 page, with nothing typed), and
   * the page is the one its GET shows that caller (an anonim reporter's identity never to agency roles).
   */
  const staleReportForm = (action: string): { staleForm: StaleFormRoute } => ({
    staleForm: {
      action,
      allowed: (req, reply) => !!req.session && !req.session.mustChangePassword && requireStaff(req, reply),
      page: (req, reply, form, status) => {
        const { trackingId } = req.params as { trackingId: string };
        if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
        return renderReport(svc, req, reply, trackingId, { form, status });
      },
    },
  });

  app.get('/kantor/laporan/:trackingId', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const { trackingId } = req.params as { trackingId: string };
    if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
    // `?selesai=1` after an action; `?selesai=tarik` after a pull-back says where the report went.
    const selesai = (req.query as Record<string, string | undefined>).selesai;
    const done =
      selesai === 'tarik'
        ? 'pull_back'
        : selesai === 'ombudsman'
          ? 'escalate'
          : selesai === 'lampiran'
            ? 'release'
            : selesai === '1';
    return renderReport(svc, req, reply, trackingId, { done, pick: pickOf(req.query) });
  });

  // A verifier who may see the reporter releases an image from an anonim reporter's email body to the agency.
  app.post(
    '/kantor/laporan/:trackingId/lampiran/:attachmentId/teruskan',
    { config: staleReportForm('release') },
    async (req, reply) => {
      if (!requireStaff(req, reply)) return reply;
      const { trackingId, attachmentId } = req.params as { trackingId: string; attachmentId: string };
      if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
      if (!z.uuid().safeParse(attachmentId).success) throw new AppError('NOT_FOUND');
      await releaseInlineImage(svc, req.caller, trackingId, attachmentId);
      return reply.redirect(doneLocation('release', trackingId, pageContext(req).lang), 303);
    },
  );

  for (const [name, action] of Object.entries(ACTIONS)) {
    const multipart = name === 'respond';
    const config: FastifyContextConfig = multipart ? { skipCsrf: true } : staleReportForm(name);
    app.post(
      `/kantor/laporan/:trackingId/${name}`,
      // The multipart follow-up checks its own token (`readMultipart`); the others have the auth hook's.
      { config },
      async (req, reply) => {
        if (!requireStaff(req, reply)) return reply;
        const { trackingId } = req.params as { trackingId: string };
        if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
        const lang = pageContext(req).lang;
        let body: FormBody = {};
        // Messages for refused files, shown on the file field; the names of accepted files a refused form drops.
        let refused: string[] = [];
        let accepted: string[] = [];
        try {
          let files: Upload[] = [];
          if (multipart) {
            if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
            let tokenHolds: boolean;
            ({ body, files, tokenHolds } = await readMultipart(req));
            // A stale token: the page with the text typed (files cannot be put back: the message says so).
            if (!tokenHolds) {
              const form: FormState = {
                action: name,
                values: body as Record<string, string | string[]>,
                errors: {},
                message: staleFormMessage(lang, files.length > 0),
              };
              return await renderReport(svc, req, reply, trackingId, { form, status: STALE_FORM_STATUS });
            }
          } else body = cleanBody(req.body);
          // Every problem at once: the form's own checks, the command's checks on the fields that parsed, every file.
          const { data, issues } = parseFields(action.schema, body);
          const uploads = await prepareUploads(lang, files);
          refused = uploads.refused;
          accepted = uploads.accepted;
          if (Object.keys(issues).length > 0) {
            const more = action.check ? await action.check(svc, data as Record<string, unknown>) : {};
            throw invalid(mergeIssues(issues, more));
          }
          if (refused.length > 0) throw invalid({});
          await action.run(svc, req.caller, trackingId, data as never, body, uploads.prepared);
        } catch (err) {
          const c = classifyError(renameFields(err, action.rename ?? {}));
          if (c.status !== 422 && c.status !== 409) throw err;
          // The same form sent twice: the first request did the step, so this one ends where it did.
          if (
            c.code === 'ILLEGAL_TRANSITION' &&
            (await isRepeatedSubmission(svc, req.caller, trackingId, name, body))
          )
            return reply.redirect(doneLocation(name, trackingId, lang), 303);
          const errors = c.code === 'VALIDATION_FAILED' ? formErrors(lang, c.fields) : {};
          if (refused.length > 0) errors.file = refused.join(' ');
          // A browser cannot put files back in a re-rendered form: say which good files must be chosen again.
          if (accepted.length > 0 && c.status === 422)
            errors.file = [
              errors.file,
              t(lang, 'staff.respond.files_not_kept', { names: accepted.join(', ') }),
            ]
              .filter(Boolean)
              .join(' ');
          const form: FormState = {
            action: name,
            values: body as Record<string, string | string[]>,
            errors,
            message:
              c.code === 'VALIDATION_FAILED'
                ? undefined
                : c.code === 'ESCALATION_NOT_DUE' && c.params.availableFrom
                  ? t(lang, 'staff.escalate.not_due', {
                      date: formatDate(String(c.params.availableFrom), lang),
                    })
                  : t(lang, `errors.${c.code}`, c.params),
          };
          return renderReport(svc, req, reply, trackingId, { form, status: c.status });
        }
        return reply.redirect(doneLocation(name, trackingId, lang), 303);
      },
    );
  }
};
