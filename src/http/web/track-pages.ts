/**
 * Tracking pages: GET/POST /lacak (lookup), GET /lacak/:trackingId?k= (the private link) and the reporter's
 * forms POST /lacak/:trackingId/<action> (supplement, comment, accept, dispute, escalate), each redirecting
 * back (PRG). The access key comes from `?k=` or a hidden field; the request logger redacts `k`.
 *
 * The lookup reads the number with `normaliseTrackingId` (display format `1234-5678-90`, spaces, a leading
 * `#`); a number whose check digit fails is a field error on the form, never a redirect to a 404. A reporter's
 * form re-rendered after a refusal links its language switch to the private link with the form's key
 * (`trackingPageOfForm`, the route's `config.langPath`).
 *
 * The accept comment and the dispute reason are public on a public report and no verifier reads them first: a
 * text that seems to hold personal data (`detectPersonalData`) is not sent until the reporter ticks the
 * confirmation the re-rendered form then shows (`<field>PiiOk`); the public pages mask it anyway
 * (`publicEventBody`), and staff and the reporter read it as written.
 *
 * The supplement and reply forms are multipart with their files (`supplementFiles`, `commentFiles`): every file is
 * checked and cleaned before anything is posted, then the text and its files are stored together on the action's
 * event (`withAttachments`); a refused file, a parser limit or the report's own limit is a message on the file input
 * with the text kept. CSRF of a signed-in session is checked here, for multipart and urlencoded posts alike: a stale
 * token re-renders the page with the typed text, a fresh token and a message, doing nothing (web/stale-form.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Caller, Services } from '../../app/context.ts';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { acceptReport } from '../../commands/accept-report.ts';
import { commentReport } from '../../commands/comment-report.ts';
import { disputeReport } from '../../commands/dispute-report.ts';
import { escalateReport, escalationOpening } from '../../commands/escalate-report.ts';
import { supplementReport } from '../../commands/supplement-report.ts';
import {
  ATTACHMENT_LIMITS,
  openAttachment,
  prepareAttachment,
  withAttachments,
  type PreparedAttachment,
} from '../../commands/add-attachment.ts';
import { plainText } from '../../domain/shared/text.ts';
import { countReportAttachments, reportAttachments } from '../../queries/report-attachments.ts';
import { detectPersonalData } from '../../domain/report/pii-hints.ts';
import { getReport, timelineFor } from '../../queries/reports.ts';
import { t, type Lang } from '../../locales/index.ts';
import { formatDate } from '../../views/format.ts';
import {
  normaliseTrackingId,
  stripTrackingInput,
  TRACKING_ID_LENGTH,
} from '../../domain/report/tracking-id.ts';
import {
  piiConfirmField,
  TrackFormPage,
  TrackPage,
  type PiiCheck,
  type ReporterForms,
} from '../../views/pages/track.tsx';
import { classifyError } from '../plugins/errors.ts';
import { formErrors, pageContext, sendPage } from './render.ts';
import { keyedQueue } from './one-at-a-time.ts';
import { drainBody } from './report-journey.ts';
import { formTokenHolds, STALE_FORM_STATUS, staleFormMessage } from './stale-form.ts';
import { buildReportModel } from './report-view.ts';
import { inlineDisposition } from '../../presenters/attachment.ts';

const ID = /^\d{10}$/;
const ACTIONS = ['supplement', 'comment', 'accept', 'dispute', 'escalate'] as const;
type ReporterAction = (typeof ACTIONS)[number];
/** The forms that take files with their text, and the name of their file input. */
const FILE_FIELDS: Partial<Record<ReporterAction, string>> = {
  supplement: 'supplementFiles',
  comment: 'commentFiles',
};
/** Files per post (the same as a report journey post, and the multipart parser's own limit). */
export const TRACK_MAX_FILES = 5;
const OPEN = new Set(['submitted', 'on_hold', 'dispatched', 'returned', 'in_progress', 'responded']);

/** Registers the tracking pages. */
export async function trackPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const svc = opts.services;

  /** The reporter posts of one report run one at a time. */
  const oneAtATime = keyedQueue();

  /** Whether the latest event the reporter sees is a reply with this very text (a reply sent twice in a row). */
  async function repeatsLastReply(caller: Caller, id: string, text: string): Promise<boolean> {
    const visible = await getReport(svc, caller, id).catch(() => null);
    if (!visible?.subject.isReporter) return false;
    const last = (await timelineFor(svc, visible)).at(-1);
    return last?.type === 'reporter_reply' && last.body === text;
  }

  app.get('/lacak', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const ctx = pageContext(req);
    if (q.id !== undefined) {
      const typed = String(q.id);
      const looked = lookupId(typed);
      if ('issue' in looked) {
        const errors = formErrors(ctx.lang, { id: looked.issue });
        return sendPage(reply, req, h(TrackFormPage, { ctx, id: typed, errors }), 422);
      }
      // A number alone opens the public page (404 there when the report is not public).
      return reply.redirect(`/laporan/${looked.id}`, 303);
    }
    return sendPage(reply, req, h(TrackFormPage, { ctx }));
  });

  app.post('/lacak', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const ctx = pageContext(req);
    const typed = String(body.id ?? '');
    const looked = lookupId(typed);
    const k = String(body.k ?? '').trim();
    const fields: Record<string, FieldIssue> = {};
    if ('issue' in looked) fields.id = looked.issue;
    if (!k) fields.k = { key: 'required' };
    if ('issue' in looked || fields.k) {
      const errors = formErrors(ctx.lang, fields, ['id', 'k']);
      return sendPage(reply, req, h(TrackFormPage, { ctx, id: typed, errors }), 422);
    }
    return reply.redirect(`/lacak/${looked.id}?k=${encodeURIComponent(k)}`, 303);
  });

  // An attachment of the report, for its reporter (key in `k`, like the private link; or no key for the signed-in
  // citizen whose account the report is linked to, as the tracking page itself). Anyone else: 404.
  app.get('/lacak/:trackingId/lampiran/:attachmentId', async (req, reply) => {
    const { trackingId, attachmentId } = req.params as { trackingId: string; attachmentId: string };
    const key = String((req.query as Record<string, unknown>).k ?? '');
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    if (!ID.test(trackingId) || !UUID.test(attachmentId)) throw new AppError('NOT_FOUND');
    const caller: Caller = { ...req.caller, accessKey: key };
    const visible = await getReport(svc, caller, trackingId);
    if (!visible.subject.isReporter) throw new AppError('NOT_FOUND');
    const { row, name, stream } = await openAttachment(svc, caller, trackingId, attachmentId);
    reply.header('content-type', row.mime);
    reply.header('content-disposition', inlineDisposition(name));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'private, no-store');
    return reply.send(stream);
  });

  async function renderTrack(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    key: string,
    extra: {
      errors?: Record<string, FieldIssue>;
      message?: string;
      done?: string;
      values?: Record<string, string>;
      pii?: PiiCheck;
      /** Messages for the file inputs, already in the page's language (a refused file is named in them). */
      fileMessages?: Record<string, string>;
      /** The answer's status when it is not the usual 200/422 (a stale form: 409). */
      status?: number;
    } = {},
  ) {
    const ctx = pageContext(req);
    const caller: Caller = { ...req.caller, accessKey: key };
    let visible;
    try {
      visible = await getReport(svc, caller, id);
    } catch (e) {
      if (classifyError(e).status !== 404) throw e;
      visible = null;
    }
    if (!visible || !visible.subject.isReporter) {
      // No key at all (the "Lihat laporan" link of a later notification carries none): the lookup form with the
      // number filled in, asking for the key from the first message; a wrong key is the error it always was.
      if (!key) {
        const notice = t(ctx.lang, 'web.trackpage.key_needed');
        return sendPage(reply, req, h(TrackFormPage, { ctx, id, notice }));
      }
      const message = t(ctx.lang, 'web.trackpage.not_found');
      return sendPage(reply, req, h(TrackFormPage, { ctx, id, message }), 404);
    }
    const m = await buildReportModel(svc, ctx, visible);
    const files = await reportAttachments(svc, visible.report.row.id);
    const s = visible.report.row.status;
    const p = visible.permissions;
    const forms: ReporterForms = {
      supplement: s === 'on_hold' && p.supplement,
      accept: s === 'responded' && p.accept,
      dispute: s === 'responded' && p.dispute,
      comment: p.comment && s !== 'archived',
      escalate: OPEN.has(s) && p.escalate,
    };
    // Before the hand-off opens, the page says from when instead of a form that can only be refused.
    let escalationOpensOn: string | undefined;
    if (forms.escalate) {
      const { availableFrom } = await escalationOpening(svc.db, visible.report);
      if (availableFrom && svc.now().getTime() < Date.parse(availableFrom)) {
        forms.escalate = false;
        escalationOpensOn = formatDate(availableFrom, ctx.lang);
      }
    }
    const errors = { ...formErrors(ctx.lang, extra.errors ?? {}), ...extra.fileMessages };
    if (extra.pii) {
      const kinds = extra.pii.kinds.map((k) => t(ctx.lang, `web.report.pii_${k}`)).join(', ');
      errors[piiConfirmField(extra.pii.field)] = t(ctx.lang, 'web.trackpage.pii_confirm_error', { kinds });
    }
    const status = extra.status ?? (extra.message || Object.keys(errors).length ? 422 : 200);
    return sendPage(
      reply,
      req,
      h(TrackPage, {
        ctx,
        m,
        accessKey: key,
        attachments: files,
        forms,
        errors,
        fileLimits: { maxFiles: TRACK_MAX_FILES, maxMb: ATTACHMENT_LIMITS.maxBytes / 1024 / 1024 },
        message: extra.message,
        done: extra.done,
        values: extra.values,
        pii: extra.pii,
        escalationOpensOn,
      }),
      status,
    );
  }

  /**
   * The personal data a reporter's public text seems to hold when the reporter has not confirmed sending it, on a
   * public report awaiting this answer; null otherwise (then the command runs and refuses what it must).
   */
  async function unconfirmedPii(
    caller: Caller,
    id: string,
    field: PiiCheck['field'],
    text: string,
    confirmed: boolean,
  ): Promise<PiiCheck | null> {
    const kinds = detectPersonalData(text);
    if (confirmed || kinds.length === 0) return null;
    const visible = await getReport(svc, caller, id).catch(() => null);
    const row = visible?.report.row;
    if (!visible?.subject.isReporter || !row || row.confidential || row.status !== 'responded') return null;
    return { field, kinds };
  }

  app.get<{ Params: { trackingId: string }; Querystring: { k?: string; ok?: string } }>(
    '/lacak/:trackingId',
    async (req, reply) => {
      const id = req.params.trackingId;
      if (!ID.test(id)) throw new AppError('NOT_FOUND');
      const done = ACTIONS.includes(req.query.ok as ReporterAction) ? req.query.ok : undefined;
      return renderTrack(req, reply, id, req.query.k ?? '', { done });
    },
  );

  app.post<{ Params: { trackingId: string; action: string } }>(
    '/lacak/:trackingId/:action',
    // CSRF is checked here: a multipart body's `_csrf` is read from its parts, which the auth hook cannot see.
    { config: { langPath: trackingPageOfForm, skipCsrf: true } },
    async (req, reply) => {
      const { trackingId: id, action } = req.params;
      if (!ID.test(id) || !ACTIONS.includes(action as ReporterAction)) throw new AppError('NOT_FOUND');
      const form = req.isMultipart() ? await readMultipartForm(req) : readForm(req.body);
      // The language switch of a re-rendered form reads the key from the body (`trackingPageOfForm`).
      req.body = form.fields;
      if (!formTokenHolds(req, form.fields._csrf)) {
        // A stale form (web/stale-form.ts): nothing is done; the page comes back with the typed text and a fresh
        // token, and asks for the files again (a browser cannot keep them).
        const files = form.files.length > 0 || !!form.limit;
        return renderTrack(req, reply, id, form.fields.k ?? '', {
          message: staleFormMessage(pageContext(req).lang, files),
          values: formValues(form.fields),
          status: STALE_FORM_STATUS,
        });
      }
      // One post per report at a time (in this process): the second post of a double tap sees what the first did.
      return oneAtATime(id, () => reporterPost(req, reply, id, action as ReporterAction, form));
    },
  );

  /**
   * Checks and cleans the files sent with a supplement or reply before anything is posted (`prepareAttachment`,
   * the same checks as at submission), and that the report can still take them (`ATTACHMENT_LIMITS.maxPerReport`).
   * Returns the prepared files, or the message for the file field (each refused file by name and reason).
   */
  async function prepareFiles(
    lang: Lang,
    reportId: string | undefined,
    form: ReporterForm,
  ): Promise<{ prepared: PreparedAttachment[]; issue?: string }> {
    if (form.limit)
      return { prepared: [], issue: t(lang, `errors.field.${form.limit.key}`, form.limit.params) };
    const prepared: PreparedAttachment[] = [];
    const refused: string[] = [];
    for (const file of form.files) {
      let issue: FieldIssue | undefined = file.tooLarge ? TOO_BIG : undefined;
      if (!issue) {
        try {
          prepared.push(await prepareAttachment(file));
        } catch (err) {
          const c = classifyError(err);
          if (c.code === 'PAYLOAD_TOO_LARGE') issue = TOO_BIG;
          else if (c.code === 'VALIDATION_FAILED' && err instanceof AppError && err.fields.file)
            issue = err.fields.file;
          else throw err;
        }
      }
      if (issue)
        refused.push(
          t(lang, 'web.trackpage.file_rejected', {
            name: file.filename,
            reason: t(lang, `errors.field.${issue.key}`, issue.params),
          }),
        );
    }
    if (refused.length) return { prepared: [], issue: refused.join(' ') };
    if (prepared.length && reportId) {
      const held = await countReportAttachments(svc.db, reportId);
      const left = Math.max(0, ATTACHMENT_LIMITS.maxPerReport - held);
      if (prepared.length > left)
        return {
          prepared: [],
          issue: t(lang, 'errors.field.report_files_left', { n: left, max: ATTACHMENT_LIMITS.maxPerReport }),
        };
    }
    return { prepared };
  }

  async function reporterPost(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    action: ReporterAction,
    form: ReporterForm,
  ) {
    const body = form.fields;
    const key = body.k ?? '';
    const caller: Caller = { ...req.caller, accessKey: key };
    const text = (v: string | undefined) => (v ?? '').trim();
    // The same bounds as the JSON API (10,000 characters; a reply 5,000).
    const boundIssue = (v: string, min: number, max: number): FieldIssue | undefined =>
      v.length < min
        ? { key: v ? 'too_short' : 'required', params: { min } }
        : v.length > max
          ? { key: 'too_long', params: { max } }
          : undefined;
    const bounded = (field: string, v: string, min: number, max: number) => {
      const issue = boundIssue(v, min, max);
      if (issue) throw new AppError('VALIDATION_FAILED', { [field]: issue });
      return v;
    };
    /**
     * The text and files of a supplement or reply, every problem at once; a refused file refuses the whole post.
     * A reply needs its text (a file says little without a word on what it shows); a supplement may be files alone
     * (`filesAlone`: the photo the verifier asked for), so it needs text or at least one file, and text that is
     * given keeps its bounds.
     */
    const withFiles = async (textField: string, v: string, min: number, max: number, filesAlone = false) => {
      const fileField = FILE_FIELDS[action]!;
      const visible = await getReport(svc, caller, id).catch(() => null);
      const files = await prepareFiles(pageContext(req).lang, visible?.report.row.id, form);
      const issue = filesAlone && !v && form.files.length > 0 ? undefined : boundIssue(v, min, max);
      if (issue || files.issue) {
        const fields: Record<string, FieldIssue> = issue ? { [textField]: issue } : {};
        throw new AppError('VALIDATION_FAILED', fields, files.issue ? { fileMessage: files.issue } : {});
      }
      return { text: v, files: files.prepared, fileField };
    };
    try {
      switch (action as ReporterAction) {
        case 'supplement': {
          // The supplement and its files are stored together or not at all, the files on its event.
          const sent = await withFiles('body', text(body.body), 5, 10_000, true);
          await withAttachments(svc, caller, id, sent.files, (inner) =>
            supplementReport(inner, caller, id, { body: sent.text, files: sent.files.length }),
          );
          break;
        }
        case 'comment': {
          const sent = await withFiles('commentBody', text(body.commentBody), 1, 5000);
          // The same reply twice in a row (a double tap, a form sent again) is recorded once.
          if (!(await repeatsLastReply(caller, id, sent.text)))
            await withAttachments(svc, caller, id, sent.files, (inner) =>
              commentReport(inner, caller, id, { body: sent.text, files: sent.files.length }),
            );
          break;
        }
        case 'accept': {
          const rating = Number(body.rating);
          if (!Number.isInteger(rating) || rating < 1 || rating > 5)
            throw invalidField('rating', 'rating_range');
          const comment = text(body.comment);
          if (comment.length > 2000) throw invalidField('comment', 'too_long', { max: 2000 });
          const confirmed = body[piiConfirmField('comment')] === '1';
          const pii = await unconfirmedPii(caller, id, 'comment', comment, confirmed);
          if (pii) return renderTrack(req, reply, id, key, { pii, values: formValues(body) });
          await acceptReport(svc, caller, id, { rating, comment: comment || undefined });
          break;
        }
        case 'dispute': {
          const reason = bounded('reason', text(body.reason), 5, 10_000);
          const confirmed = body[piiConfirmField('reason')] === '1';
          const pii = await unconfirmedPii(caller, id, 'reason', reason, confirmed);
          if (pii) return renderTrack(req, reply, id, key, { pii, values: formValues(body) });
          await disputeReport(svc, caller, id, { reason });
          break;
        }
        case 'escalate':
          // Identity goes into the Ombudsman hand-off package only when the reporter ticks the box.
          await escalateReport(svc, caller, id, {
            consent: body.consent === '1',
            shareIdentity: body.shareIdentity === '1',
          });
          break;
      }
    } catch (e) {
      const c = classifyError(e);
      const values = formValues(body);
      if (c.code === 'VALIDATION_FAILED') {
        // A refused file, or more files than the report can take (`storeAttachment` refuses it on `file`): the
        // message goes on this form's file input.
        const fileField = FILE_FIELDS[action];
        const fileMessage =
          e instanceof AppError && typeof e.params.fileMessage === 'string'
            ? e.params.fileMessage
            : undefined;
        const { file, ...fields } = c.fields;
        const messages: Record<string, string> = {};
        if (fileField && fileMessage) messages[fileField] = fileMessage;
        else if (fileField && file)
          messages[fileField] = t(pageContext(req).lang, `errors.field.${file.key}`, file.params);
        return renderTrack(req, reply, id, key, { errors: fields, fileMessages: messages, values });
      }
      if (c.status === 409 || c.code === 'CONSENT_REQUIRED') {
        const lang = pageContext(req).lang;
        // A form sent twice (a double tap) or after the report moved on: say where the report is now.
        const now =
          c.code === 'ILLEGAL_TRANSITION'
            ? (await getReport(svc, caller, id).catch(() => null))?.report.row.status
            : undefined;
        const message =
          c.code === 'ESCALATION_NOT_DUE' && c.params.availableFrom
            ? t(lang, 'web.trackpage.escalation_not_due', {
                date: formatDate(String(c.params.availableFrom), lang),
              })
            : now
              ? t(lang, 'web.trackpage.stale_form', { status: t(lang, `status.${now}`) })
              : t(lang, `errors.${c.code}`, c.params);
        // A stale form (sent twice, or the report moved on) is the API's 409.
        const status = c.code === 'ILLEGAL_TRANSITION' ? 409 : undefined;
        return renderTrack(req, reply, id, key, { message, values, status });
      }
      throw e;
    }
    return reply.redirect(`/lacak/${id}?k=${encodeURIComponent(key)}&ok=${action}`, 303);
  }
}

/** A file as read from the form; `tooLarge` when it went over the size limit (then no data). */
interface Upload {
  filename: string;
  data: Buffer;
  tooLarge: boolean;
}

/** A reporter's form as posted: one value per field, the files, and a parser limit the post ran into. */
interface ReporterForm {
  fields: Record<string, string | undefined>;
  files: Upload[];
  limit?: FieldIssue;
}

const TOO_BIG: FieldIssue = {
  key: 'file_too_big',
  params: { max: `${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB` },
};

/** An urlencoded form: one value per field, a field sent twice counts once (its first value). */
function readForm(raw: unknown): ReporterForm {
  const fields: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const first: unknown = Array.isArray(v) ? v[0] : v;
    fields[k] = typeof first === 'string' ? first : undefined;
  }
  return { fields, files: [] };
}

/**
 * A multipart form (the supplement and reply forms with their files). The upload limits are not errors here: a
 * file over the size limit is marked (busboy keeps at most the limit), and more files than `TRACK_MAX_FILES` end
 * the parts; the rest of the body is drained and the form comes back with a message on its file input and the
 * text kept (the text fields come before the file input), never the generic 413 page.
 */
async function readMultipartForm(req: FastifyRequest): Promise<ReporterForm> {
  const fields: Record<string, string | undefined> = {};
  const files: Upload[] = [];
  let limit: FieldIssue | undefined;
  // `parts()` reads `throwFileSizeLimit` per call like `files()` does, though its type leaves it out.
  const options = {
    limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: TRACK_MAX_FILES },
    throwFileSizeLimit: false,
  };
  try {
    for await (const part of req.parts(options)) {
      if (part.type === 'field') {
        if (fields[part.fieldname] === undefined && typeof part.value === 'string')
          fields[part.fieldname] = plainText(part.value);
        continue;
      }
      const data = await part.toBuffer();
      const tooLarge = part.file.truncated;
      // An empty file input sends one part with no name and no bytes.
      if (part.filename && (data.length > 0 || tooLarge))
        files.push({ filename: plainText(part.filename), data: tooLarge ? Buffer.alloc(0) : data, tooLarge });
    }
  } catch (e) {
    if ((e as { code?: string }).code !== 'FST_FILES_LIMIT') throw e;
    limit = { key: 'too_many_files', params: { max: TRACK_MAX_FILES } };
    await drainBody(req);
  }
  return { fields, files, ...(limit ? { limit } : {}) };
}

/**
 * Reads a tracking number typed by a citizen: every form `normaliseTrackingId` accepts (`1234-5678-90`,
 * spaces, a leading `#`), or the field issue to show. Ten digits whose check digit does not hold get
 * their own message (a mistyped digit), so the citizen is asked to check the number instead of landing
 * on a "not found" page.
 */
function lookupId(input: string): { id: string } | { issue: FieldIssue } {
  const id = normaliseTrackingId(input);
  if (id) return { id };
  const digits = stripTrackingInput(input);
  if (!digits) return { issue: { key: 'required' } };
  if (digits.length === TRACKING_ID_LENGTH && /^\d+$/.test(digits))
    return { issue: { key: 'tracking_id_check' } };
  return { issue: { key: 'tracking_id_format' } };
}

/**
 * The page a reporter's form lives on, for the language switch when the form is re-rendered: the private
 * link with the key the form carried in its hidden field `k` (the page's own URL had it), never a key the
 * request did not bring.
 */
function trackingPageOfForm(req: FastifyRequest): string {
  const { trackingId } = req.params as { trackingId?: string };
  if (!trackingId || !ID.test(trackingId)) return '/lacak';
  const body = (req.body ?? {}) as Record<string, unknown>;
  const key = typeof body.k === 'string' ? body.k : '';
  return key ? `/lacak/${trackingId}?k=${encodeURIComponent(key)}` : `/lacak/${trackingId}`;
}

/** What the reporter typed into the forms, to fill them again when the page is re-rendered. */
function formValues(body: Record<string, string | undefined>): Record<string, string> {
  return {
    supplement: body.body ?? '',
    comment: body.commentBody ?? '',
    rating: body.rating ?? '',
    acceptComment: body.comment ?? '',
    reason: body.reason ?? '',
  };
}

function invalidField(field: string, key: string, params?: Record<string, number>): AppError {
  return new AppError('VALIDATION_FAILED', { [field]: { key, ...(params ? { params } : {}) } });
}
