/**
 * The report journey: /lapor/<step> pages that keep answers in a sealed server-side draft (cookie holds only
 * the draft id), a check-your-answers page, submission through `submitReport` (channel 'web') and the
 * confirmation. Every POST redirects (PRG); a failed step re-renders with what the user typed.
 * Attachments are staged with the draft (metadata stripped on upload) and attached after submission with
 * the new report's access key, so the reporter never needs a second upload step.
 */
import { plainText } from '../../domain/shared/text.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { addAttachment, ATTACHMENT_LIMITS } from '../../commands/add-attachment.ts';
import { collectIssues, requireCategory } from '../../commands/lookups.ts';
import { saveDraft } from '../../commands/save-draft.ts';
import { supporterKeyOf } from '../../commands/support-report.ts';
import { stageDraftFile } from '../../commands/stage-draft-file.ts';
import { submitReport } from '../../commands/submit-report.ts';
import { localDate } from '../../domain/deadline/calendar.ts';
import { detectPersonalData } from '../../domain/report/pii-hints.ts';
import { loadDraft, type DraftData } from '../../queries/draft.ts';
import { listAgencyTree, listCategories, listRegions } from '../../queries/reference.ts';
import { kabKotaOfPoint } from '../../queries/boundaries.ts';
import { similarPublicReports, type PublicSimilarReport } from '../../queries/similar-reports.ts';
import type { PageContext } from '../../views/context.ts';
import { formatDate } from '../../views/format.ts';
import { CheckPage, ConfirmationPage } from '../../views/pages/report-check.tsx';
import * as S from '../../views/pages/report-steps.tsx';
import { rateLimit } from '../plugins/rate-limit.ts';
import { classifyError } from '../plugins/errors.ts';
import { privateLink } from '../api/v1/reports.ts';
import { buildAnswerRows } from './report-answers.ts';
import { registerReportMap } from './report-map.ts';
import {
  categoryIdOf,
  coordinate,
  draftFiles,
  firstIncompleteStep,
  pickStep,
  regionOf,
  STEP_FIELDS,
  STEPS,
  stepOf,
  toSubmitInput,
  validateStep,
  type Step,
} from './report-form.ts';
import { formErrors, pageContext, sendPage } from './render.ts';
import { keyedQueue } from './one-at-a-time.ts';
import { formTokenHolds, STALE_FORM_STATUS, staleFormMessage } from './stale-form.ts';

/** A text answer of the draft ('' when absent). */
const answer = (d: DraftData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

/** Cookie holding the draft id (httpOnly; the answers themselves stay on the server, sealed). */
export const DRAFT_COOKIE = 'aduan_draft';

/** How many files a draft (and one upload) may hold. */
const MAX_FILES = 5;

/**
 * Draft entry holding the answers of the last step post that failed validation (JSON `{ step, values }`), apart
 * from the valid answers: reopening that step (e.g. through the language switch of the 422 page) shows what was
 * typed with its errors again. Any successful save drops it.
 */
const FAILED = '_failed';

/** The failed answers kept for `step`, if the last failed post was that step's. */
function failedValues(d: DraftData, step: Step): DraftData | null {
  const raw = d[FAILED];
  if (typeof raw !== 'string') return null;
  try {
    const f = JSON.parse(raw) as { step?: unknown; values?: unknown };
    return f.step === step && f.values && typeof f.values === 'object' ? (f.values as DraftData) : null;
  } catch {
    return null;
  }
}

/**
 * Reads and discards what is left of a request body (after a multipart limit stopped the parts), so the answer
 * goes out on a connection that is ready for the next request. Resolves on end, close or error.
 */
export async function drainBody(req: FastifyRequest): Promise<void> {
  const raw = req.raw;
  if (raw.readableEnded || raw.destroyed) return;
  await new Promise<void>((resolve) => {
    raw.once('end', resolve);
    raw.once('close', resolve);
    raw.once('error', () => resolve());
    raw.unpipe();
    raw.resume();
  });
}

const VIEWS: Record<Step, (p: S.StepPageProps) => ReturnType<typeof S.WhatStep>> = {
  jenis: S.ClassificationStep,
  kejadian: S.WhatStep,
  lokasi: S.WhereStep,
  kategori: S.CategoryStep,
  lampiran: S.FilesStep,
  privasi: S.PrivacyStep,
  kontak: S.ContactStep,
};

/** Registers the journey. */
export async function reportJourney(
  app: FastifyInstance,
  opts: { services: Services; secureCookies: boolean; submitPerMinute: number },
): Promise<void> {
  const svc = opts.services;
  const db = svc.db;
  registerReportMap(app, db);
  const today = () => localDate(svc.now(), 'WIT');
  const draftId = (req: FastifyRequest) => req.cookies[DRAFT_COOKIE];
  const setDraftCookie = (reply: FastifyReply, id: string) =>
    reply.setCookie(DRAFT_COOKIE, id, {
      path: '/lapor',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      maxAge: 24 * 3600,
    });
  /** Saves the draft; `failed` keeps a failed post's answers apart (`FAILED`), otherwise any kept ones are dropped. */
  const store = async (
    req: FastifyRequest,
    reply: FastifyReply,
    data: DraftData,
    failed?: { step: Step; values: DraftData },
  ) => {
    const existing = draftId(req);
    const known = existing && (await loadDraft(svc, existing)) ? existing : null;
    const { [FAILED]: _dropped, ...clean } = data;
    const saved = failed ? { ...clean, [FAILED]: JSON.stringify(failed) } : clean;
    setDraftCookie(reply, await saveDraft(svc, known, saved));
  };

  /** A step's field issues: its rules (`validateStep`), and for the category step whether the category exists. */
  async function stepIssues(step: Step, d: DraftData): Promise<Record<string, FieldIssue>> {
    const fields = validateStep(step, d, today());
    const categoryId = categoryIdOf(d);
    if (step === 'kategori' && !fields.categoryId && categoryId !== undefined)
      await collectIssues(fields, () => requireCategory(db, categoryId, 'categoryId'));
    return fields;
  }

  /**
   * Open public reports like the draft (issue 7), once it has a title, a chronology and a region; none otherwise.
   * A failed lookup (e.g. a database without pg_trgm) leaves the page without the list.
   */
  async function similarFor(req: FastifyRequest, d: DraftData): Promise<PublicSimilarReport[]> {
    const [title, body] = [answer(d, 'title'), answer(d, 'body')];
    // A point without a picked region: its kab/kota as intake will file it (`kabKotaOfPoint`; none at sea).
    const [lat, lon] = [coordinate(answer(d, 'lat')), coordinate(answer(d, 'lon'))];
    const regionCode =
      regionOf(d) ||
      (lat !== undefined && lon !== undefined ? kabKotaOfPoint(lon, lat)?.properties.kode : '');
    if (!title || !body || !regionCode) return [];
    const point = lat !== undefined && lon !== undefined ? { lat, lon } : {};
    // The reports this person or device supports already say so instead of offering the button again.
    const supporterKey = supporterKeyOf(req.caller);
    return similarPublicReports(svc, { title, body, regionCode, ...point, supporterKey }).catch(
      (err: unknown) => {
        req.log.debug({ err }, 'similar public reports unavailable');
        return [];
      },
    );
  }

  async function optionsFor(req: FastifyRequest, step: Step, d: DraftData): Promise<S.StepOptions> {
    const opt = (rows: Array<{ code: string; name: string }>) =>
      rows.map((r) => ({ value: r.code, label: r.name }));
    const val = (k: string) => answer(d, k);
    if (step === 'lokasi') {
      return {
        regions: {
          prov: opt(await listRegions(db)),
          kab: val('prov') ? opt(await listRegions(db, val('prov'))) : [],
          kec: val('kab') ? opt(await listRegions(db, val('kab'))) : [],
          desa: val('kec') ? opt(await listRegions(db, val('kec'))) : [],
        },
      };
    }
    if (step === 'kategori') {
      const cats = await listCategories(db);
      const parents = cats.filter((c) => c.parentId === null);
      const categories = parents.flatMap((p) => [
        { value: String(p.id), label: p.name },
        ...cats
          .filter((c) => c.parentId === p.id)
          .map((c) => ({ value: String(c.id), label: `— ${c.name}` })),
      ]);
      const agencies = (await listAgencyTree(db))
        .filter((a) => a.kind !== 'unit' && a.kind !== 'ombudsman')
        .map((a) => ({ value: a.id, label: a.name }));
      return { categories, agencies, similar: await similarFor(req, d) };
    }
    if (step === 'lampiran') {
      return {
        files: draftFiles(d),
        limits: {
          maxMb: Math.round(ATTACHMENT_LIMITS.maxBytes / 1024 / 1024),
          maxFiles: MAX_FILES,
          types: 'JPEG, PNG, WebP, PDF',
        },
      };
    }
    return {};
  }

  async function renderStep(
    req: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    values: DraftData,
    fields: Record<string, FieldIssue> = {},
    fromCheck = false,
    /** A stale form's message (web/stale-form.ts): the answer is then 403. */
    message?: string,
  ) {
    const ctx = pageContext(req);
    const index = STEPS.indexOf(step);
    const errors = formErrors(ctx.lang, fields, STEP_FIELDS[step].concat('file'));
    const props: S.StepPageProps = {
      ctx,
      step,
      index: index + 1,
      total: STEPS.length,
      back: fromCheck ? '/lapor/periksa' : index === 0 ? '/' : `/lapor/${STEPS[index - 1]}`,
      values,
      errors,
      fromCheck,
      options: await optionsFor(req, step, values),
      message,
    };
    const status = message ? STALE_FORM_STATUS : Object.keys(errors).length ? 422 : 200;
    return sendPage(reply, req, h(VIEWS[step], props), status);
  }

  const next = (step: Step, fromCheck: boolean) => {
    const i = STEPS.indexOf(step);
    return fromCheck || i === STEPS.length - 1 ? '/lapor/periksa' : `/lapor/${STEPS[i + 1]}`;
  };

  app.get('/lapor', async (_req, reply) => reply.redirect(`/lapor/${STEPS[0]}`, 303));
  app.get('/lapor/baru', async (_req, reply) => {
    reply.clearCookie(DRAFT_COOKIE, { path: '/lapor' });
    return reply.redirect(`/lapor/${STEPS[0]}`, 303);
  });

  app.get<{ Params: { step: string }; Querystring: { from?: string } }>(
    '/lapor/:step',
    async (req, reply) => {
      const step = req.params.step as Step;
      if (!STEPS.includes(step)) throw new AppError('NOT_FOUND');
      const d = (await loadDraft(svc, draftId(req))) ?? {};
      if (d.done) return reply.redirect('/lapor/baru', 303);
      const fromCheck = req.query.from === 'check';
      const failed = failedValues(d, step);
      if (failed) {
        const values = { ...d, ...failed };
        return renderStep(req, reply, step, values, await stepIssues(step, values), fromCheck);
      }
      return renderStep(req, reply, step, d, {}, fromCheck);
    },
  );

  app.post<{ Params: { step: string } }>(
    '/lapor/:step',
    { config: { skipCsrf: true } },
    async (req, reply) => {
      const step = req.params.step as Step;
      if (!STEPS.includes(step)) throw new AppError('NOT_FOUND');
      const d = (await loadDraft(svc, draftId(req))) ?? {};
      if (step === 'lampiran') return postFiles(req, reply, d);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const fromCheck = body.from === 'check';
      if (step === 'privasi') {
        const chosen = ([] as unknown[]).concat(body.privacy ?? []);
        body.anonymous = chosen.includes('anonymous') ? '1' : '';
        body.confidential = chosen.includes('confidential') ? '1' : '';
      }
      const picked = pickStep(step, body);
      const merged = { ...d, ...picked };
      // A stale form (web/stale-form.ts): nothing is saved; the step comes back with what was typed and a fresh token.
      if (!formTokenHolds(req, body._csrf))
        return renderStep(req, reply, step, merged, {}, fromCheck, staleFormMessage(pageContext(req).lang));
      if (step === 'lokasi' && body._refresh) {
        await store(req, reply, merged);
        return reply.redirect(`/lapor/lokasi${fromCheck ? '?from=check' : ''}`, 303);
      }
      const fields = await stepIssues(step, merged);
      if (Object.keys(fields).length) {
        // The valid answers stay as they were; what was typed is kept apart for the language switch.
        await store(req, reply, d, { step, values: picked });
        return renderStep(req, reply, step, merged, fields, fromCheck);
      }
      await store(req, reply, merged);
      return reply.redirect(next(step, fromCheck), 303);
    },
  );

  /**
   * Multipart: CSRF is read from the parts (the auth hook cannot see multipart fields). The upload limits (files per
   * draft and per post, bytes per file) are field errors on the file input (422, the step re-rendered with the files
   * kept so far), never the generic 413 page: the parser's limit errors end the parts and the rest of the body is
   * drained before answering.
   */
  async function postFiles(req: FastifyRequest, reply: FastifyReply, d: DraftData) {
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const fields: Record<string, string> = {};
    const files = draftFiles(d);
    const issues: Record<string, FieldIssue> = {};
    const tooMany: FieldIssue = { key: 'too_many_files', params: { max: MAX_FILES } };
    const tooBig: FieldIssue = {
      key: 'file_too_big',
      params: { max: `${Math.round(ATTACHMENT_LIMITS.maxBytes / 1024 / 1024)} MB` },
    };
    let csrfChecked = !req.session || req.session.via !== 'cookie';
    /** A stale form (web/stale-form.ts): the rest of the body is drained, nothing is staged or removed. */
    const stale = async () => {
      await drainBody(req);
      const message = staleFormMessage(pageContext(req).lang, true);
      return renderStep(req, reply, 'lampiran', d, {}, fields.from === 'check', message);
    };
    try {
      for await (const part of req.parts({
        limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: MAX_FILES },
      })) {
        if (part.type === 'field') {
          fields[part.fieldname] = plainText(String(part.value));
          if (part.fieldname === '_csrf') {
            if (!formTokenHolds(req, part.value)) return await stale();
            csrfChecked = true;
          }
          continue;
        }
        if (!csrfChecked && !formTokenHolds(req, undefined)) return await stale();
        const data = await part.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') return null;
          throw e;
        });
        // `truncated` too: a file cut at the limit can end without toBuffer noticing (its last chunk read first).
        if (data === null || part.file.truncated) {
          issues.file = tooBig;
          continue;
        }
        if (data.length === 0 && !part.filename) continue;
        if (files.length >= MAX_FILES) {
          issues.file = tooMany;
          continue;
        }
        try {
          files.push(await stageDraftFile(svc, plainText(part.filename), data));
        } catch (e) {
          const c = classifyError(e);
          if (c.code === 'PAYLOAD_TOO_LARGE') issues.file = tooBig;
          else if (c.fields.file) issues.file = c.fields.file;
          else throw e;
        }
      }
    } catch (e) {
      // A limit ends the parts: more files than allowed in one post, or (raised again at the end of the parts)
      // a file over the size limit already answered above.
      const code = (e as { code?: string }).code;
      if (code === 'FST_FILES_LIMIT') issues.file = tooMany;
      else if (code === 'FST_REQ_FILE_TOO_LARGE') issues.file ??= tooBig;
      else throw e;
      await drainBody(req);
    }
    if (!csrfChecked && !formTokenHolds(req, undefined)) return stale();
    const fromCheck = fields.from === 'check';
    // The remove button's value is the file's index; anything else (a forged `abc`, `-1`, `1.5`) removes nothing
    // (`Number('abc')` is NaN, which `splice` reads as 0: the first file).
    if (fields.remove !== undefined && /^\d{1,2}$/.test(fields.remove)) {
      const [gone] = files.splice(Number(fields.remove), 1);
      if (gone) await svc.storage.remove(gone.key).catch(() => undefined);
    }
    const merged = { ...d, files };
    await store(req, reply, merged);
    if (Object.keys(issues).length) return renderStep(req, reply, 'lampiran', merged, issues, fromCheck);
    if (fields.remove !== undefined) return reply.redirect('/lapor/lampiran', 303);
    return reply.redirect(next('lampiran', fromCheck), 303);
  }

  app.get('/lapor/periksa', async (req, reply) => {
    const d = await loadDraft(svc, draftId(req));
    if (!d) return reply.redirect(`/lapor/${STEPS[0]}`, 303);
    if (d.done) return reply.redirect('/lapor/selesai', 303);
    const missing = firstIncompleteStep(d, today());
    if (missing) return reply.redirect(`/lapor/${missing}`, 303);
    return renderCheck(req, reply, d, []);
  });

  async function renderCheck(
    req: FastifyRequest,
    reply: FastifyReply,
    d: DraftData,
    problems: Array<{ text: string; href: string }>,
    /** A stale form's message (web/stale-form.ts): the answer is then 403. */
    message?: string,
  ) {
    const ctx: PageContext = pageContext(req);
    const rows = await buildAnswerRows(svc, ctx, d);
    const pii = detectPersonalData(answer(d, 'title'), answer(d, 'body'), answer(d, 'address'));
    const similar = await similarFor(req, d);
    return sendPage(
      reply,
      req,
      h(CheckPage, { ctx, rows, pii, problems, similar, message }),
      message ? STALE_FORM_STATUS : problems.length ? 422 : 200,
    );
  }

  /**
   * Submissions of one draft run one at a time: a second post (a double tap, a replayed form) waits for the first, then
   * finds the draft done and goes to the same confirmation instead of filing it again. This only spares work within
   * one process: the draft id is also the submission's idempotency key (ADR 0014), so a post handled by another
   * process at the same time gets the report filed first from the database.
   */
  const oneAtATime = keyedQueue();

  app.post(
    '/lapor/kirim',
    // A refused submission re-renders the check page: its language switch reopens that page.
    // CSRF is checked here: a stale form re-renders the check page, nothing is submitted (web/stale-form.ts).
    {
      preHandler: rateLimit(svc, 'submit', opts.submitPerMinute, 60),
      config: { langPath: '/lapor/periksa', skipCsrf: true },
    },
    async (req, reply) => {
      const id = draftId(req);
      if (!formTokenHolds(req, (req.body as Record<string, unknown> | undefined)?._csrf)) {
        const d = id ? await loadDraft(svc, id) : null;
        if (!d || d.done || firstIncompleteStep(d, today())) return reply.redirect('/lapor/periksa', 303);
        return renderCheck(req, reply, d, [], staleFormMessage(pageContext(req).lang));
      }
      if (!id) return reply.redirect(`/lapor/${STEPS[0]}`, 303);
      return oneAtATime(id, () => submitDraft(req, reply, id));
    },
  );

  async function submitDraft(req: FastifyRequest, reply: FastifyReply, id: string) {
    const d = await loadDraft(svc, id);
    if (!d) return reply.redirect(`/lapor/${STEPS[0]}`, 303);
    if (d.done) return reply.redirect('/lapor/selesai', 303);
    let result;
    try {
      const input = toSubmitInput(d);
      result = await submitReport(svc, req.caller, {
        ...input,
        lang: pageContext(req).lang,
        idempotency: { scope: 'web-draft', key: id, request: input },
      });
    } catch (e) {
      const c = classifyError(e);
      if (c.code !== 'VALIDATION_FAILED') throw e;
      const ctx = pageContext(req);
      const msgs = formErrors(ctx.lang, c.fields);
      const problems = Object.entries(msgs).map(([f, text]) => ({
        text,
        href: `/lapor/${stepOf(f)}?from=check`,
      }));
      return renderCheck(req, reply, d, problems);
    }
    const trackingId = result.report.row.trackingId;
    if (result.replayed) {
      // Filed by another process: it attaches the staged files and marks the draft done (unless it did already).
      const current = await loadDraft(svc, id);
      if (current?.done) return reply.redirect('/lapor/selesai', 303);
    }
    const caller = { ...req.caller, accessKey: result.accessKey };
    let attached = 0;
    for (const f of result.replayed ? [] : draftFiles(d)) {
      try {
        await addAttachment(svc, caller, trackingId, {
          filename: f.filename,
          data: await svc.storage.get(f.key),
        });
        attached += 1;
      } catch (err) {
        req.log.warn({ err, trackingId }, 'staged attachment could not be attached');
      }
    }
    // The staged copies go; the draft row stays (overwritten below), so a replayed post never finds it missing.
    if (!result.replayed)
      for (const f of draftFiles(d)) await svc.storage.remove(f.key).catch(() => undefined);
    const deadline = result.report.row.deadline as {
      dueAt: string;
      explanation: { id: string; en: string };
    } | null;
    const done = {
      trackingId,
      accessKey: result.accessKey,
      dueAt: deadline?.dueAt ?? '',
      explanationId: deadline?.explanation.id ?? '',
      explanationEn: deadline?.explanation.en ?? '',
      files: String(result.replayed ? draftFiles(d).length : attached),
    };
    // The same draft id: a replayed post (whose browser never read this answer) finds the draft done.
    setDraftCookie(reply, await saveDraft(svc, id, { done: JSON.stringify(done) }));
    return reply.redirect('/lapor/selesai', 303);
  }

  app.get('/lapor/selesai', async (req, reply) => {
    const d = await loadDraft(svc, draftId(req));
    if (!d || typeof d.done !== 'string') return reply.redirect(`/lapor/${STEPS[0]}`, 303);
    const done = JSON.parse(d.done) as Record<string, string>;
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(ConfirmationPage, {
        ctx,
        trackingId: done.trackingId!,
        accessKey: done.accessKey!,
        link: privateLink(svc.publicUrl, done.trackingId!, done.accessKey!),
        verifyBy: done.dueAt ? formatDate(done.dueAt, ctx.lang) : '',
        explanation: (ctx.lang === 'en' ? done.explanationEn : done.explanationId) ?? '',
        files: Number(done.files ?? 0),
      }),
    );
  });
}
