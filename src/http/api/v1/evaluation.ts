/**
 * JSON API v1: evaluation periods, assessor rubric scores with evidence, a live preview, publishing (from a
 * snapshot of the data written at publish time) and the published, verifiable rankings (JSON and XLSX).
 * docs/evaluation.md describes the formulas.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDate } from './schemas.ts';
import type { Services } from '../../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../../app/errors.ts';
import { createEvaluationPeriod, MAX_PARTICIPANT_URL } from '../../../commands/create-evaluation-period.ts';
import { publishEvaluation, resultFingerprint } from '../../../commands/publish-evaluation.ts';
import { openEvidence, scoreEvaluation } from '../../../commands/score-evaluation.ts';
import type { EvaluationResult } from '../../../domain/evaluation/evaluate.ts';
import {
  DATA_INDICATORS,
  RUBRIC_INDICATORS,
  type ParticipantResult,
} from '../../../domain/evaluation/scoring.ts';
import { has, LANGS, t, type Lang } from '../../../locales/index.ts';
import { flagWords } from '../../../presenters/evaluation-flags.ts';
import {
  evaluationAccess,
  listPeriods,
  loadEvaluationConfig,
  publishedResult,
  resultForViewer,
  rubricScores,
} from '../../../queries/evaluation.ts';
import { evaluationPreview } from '../../../queries/evaluation-preview.ts';
import { inlineDisposition } from '../../../presenters/attachment.ts';
import { formulaTexts } from '../../../presenters/evaluation-formula.ts';
import { localeHeader, toXlsx, type TableColumn } from '../../../presenters/stats-table.ts';
import { requestLang } from '../../plugins/errors.ts';

/**
 * A field issue as text: the evaluation's own wording (`eval.field.*`) first, then the shared `errors.field.*`
 * (`page`: with the page variant of the key, e.g. "choose one" instead of listing codes).
 */
export function evaluationIssueText(
  lang: Lang,
  issue: FieldIssue,
  pageKey?: (key: string) => string,
): string {
  const own = `eval.field.${issue.key}`;
  if (has(lang, own)) return t(lang, own, issue.params);
  return t(lang, `errors.field.${pageKey ? pageKey(issue.key) : issue.key}`, issue.params);
}

/**
 * Sends validation failures in the API's error shape (`{ error: { code, message, fields, translations } }`, see
 * plugins/errors.ts) with the evaluation's own field messages; returns null for any other error (the caller rethrows
 * it to the shared handler, which knows the evaluation's 409s: PERIOD_PUBLISHED, ALREADY_PUBLISHED).
 */
function sendEvaluationError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply | null {
  if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') return null;
  const status = 422;
  const render = (l: Lang) => ({
    message: t(l, `errors.${err.code}`, err.params),
    fields: Object.fromEntries(Object.entries(err.fields).map(([k, f]) => [k, evaluationIssueText(l, f)])),
  });
  const main = render(requestLang(req));
  return reply.status(status).send({
    error: {
      code: err.code,
      message: main.message,
      fields: main.fields,
      ...(Object.keys(err.params).length ? { params: err.params } : {}),
      translations: Object.fromEntries(LANGS.map((l) => [l, render(l)])),
    },
  });
}

/** Runs a handler; evaluation errors are answered here (see `sendEvaluationError`), others rethrown. */
async function withEvaluationErrors<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    const sent = sendEvaluationError(req, reply, err);
    if (sent) return sent;
    throw err;
  }
}

const PeriodParams = z.object({ periodId: z.string().regex(/^[a-z0-9-]{2,60}$/) });
/**
 * Publishing names the preview it was decided on (`previewSha256` of GET …/preview): 409 PREVIEW_CHANGED if it
 * moved. Without it (or without a body) the command answers 428 PREVIEW_REQUIRED, as the publish form does.
 */
const PublishBody = z
  .object({
    previewSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
  .nullish();
const EvidenceParams = PeriodParams.extend({
  scoreId: z.coerce.number().int().min(1).max(2147483647),
  index: z.coerce.number().int().min(0).max(99),
});

/** The download path of a rubric score's `index`-th evidence file (linked from the period API and page). */
export function evidencePath(periodId: string, scoreId: number, index: number): string {
  return `/api/v1/evaluation/periods/${periodId}/scores/${scoreId}/evidence/${index}`;
}
const award = z.enum(['complaint_handling', 'website', 'media_sosial']);
const weights = z.partialRecord(
  z.enum([...DATA_INDICATORS, ...RUBRIC_INDICATORS]),
  z.number().min(0).max(1000),
);

/** Body of `POST /evaluation/periods`. */
export const PeriodBody = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: z.string().min(3).max(200),
  from: calendarDate,
  to: calendarDate,
  weights: weights.optional(),
  thresholds: z
    .array(z.object({ predikat: z.string().min(1).max(50), min: z.number().min(0).max(100) }))
    .min(1)
    .optional(),
  minVolume: z.number().int().min(0).max(100000).optional(),
  groups: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]{2,60}$/),
        name: z.string().min(3).max(200),
        scope: z.enum(['agency', 'region']),
        award: award.optional(),
        participants: z.array(
          z.object({
            agencyId: z.string().min(1).max(100),
            // Checked by the command (http(s) only, no private/local/reserved address: participantUrlIssues),
            // so that a refusal has the same bilingual field message on the API and the form.
            websiteUrl: z.string().trim().max(MAX_PARTICIPANT_URL).optional(),
            socialUrl: z.string().trim().max(MAX_PARTICIPANT_URL).optional(),
          }),
        ),
      }),
    )
    .min(1),
});

/**
 * The columns of the results XLSX in `lang`: the headers of the public results page (`eval.*`), the award
 * category of the group (`eval.award.*`), one column per indicator named as on that page's explanations (`eval.indicator.*`), and the flags in words.
 */
export function resultColumns(
  lang: Lang,
): TableColumn<ParticipantResult & { group: string; award: string }>[] {
  const header = localeHeader;
  return [
    { header: header('eval.staff.group'), value: (r) => r.group },
    // The group's award category in words, as the results page names it beside the group.
    { header: header('eval.form.award'), value: (r) => t(lang, `eval.award.${r.award}`) },
    { header: header('eval.rank'), value: (r) => r.rank },
    { header: header('eval.participant'), value: (r) => r.name },
    { header: header('eval.total'), value: (r) => r.total },
    { header: header('eval.predikat'), value: (r) => r.predikat },
    { header: header('eval.received'), value: (r) => r.received },
    { header: header('eval.flags'), value: (r) => flagWords(lang, r.flags) },
    // Each indicator column holds its score (0–100), not its raw value: the header says so.
    ...[...DATA_INDICATORS, ...RUBRIC_INDICATORS].map((id) => ({
      header: Object.fromEntries(
        LANGS.map((l) => [l, t(l, 'eval.xlsx_score', { indicator: t(l, `eval.indicator.${id}`) })]),
      ) as Record<Lang, string>,
      value: (r: ParticipantResult) => r.indicators.find((i) => i.indicator === id)?.score ?? null,
    })),
  ];
}

/**
 * Reads a multipart rubric-score body (fields and up to 5 evidence files of at most 10 MB; `clean` is applied to
 * every field value and file name). A body that is not readable multipart (a broken boundary, a truncated part)
 * is 400 BAD_REQUEST, never a 500; a file over the limit is 413.
 */
export async function readScoreParts(
  req: FastifyRequest,
  clean: (s: string) => string,
  /** Forms send an empty file part when no file is chosen: drop those (the API keeps them, and refuses them). */
  skipEmptyFiles = false,
): Promise<{ fields: Record<string, string>; evidence: { filename: string; data: Buffer }[] }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const fields: Record<string, string> = {};
  const evidence: { filename: string; data: Buffer }[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: 10 * 1024 * 1024, files: 5 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (!skipEmptyFiles || (data.length > 0 && part.filename))
          evidence.push({ filename: clean(part.filename), data });
      } else fields[part.fieldname] = clean(String(part.value));
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string; statusCode?: number }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || (e as { statusCode?: number }).statusCode === 413)
      throw new AppError('PAYLOAD_TOO_LARGE');
    throw new AppError('BAD_REQUEST');
  }
  return { fields, evidence };
}

/** Flattens a result into rows for the XLSX export. */
export function resultRows(result: EvaluationResult) {
  return result.groups.flatMap((g) => g.results.map((r) => ({ ...r, group: g.name, award: g.award })));
}

export const evaluationRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get(
    '/evaluation/periods',
    { schema: { tags: ['evaluation'], summary: 'Evaluation periods' } },
    async () => ({
      items: await listPeriods(svc.db),
    }),
  );

  app.post(
    '/evaluation/periods',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Create or replace an unpublished period (national admin or coordinator of every participant)',
        body: PeriodBody,
      },
    },
    async (req, reply) => {
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      return withEvaluationErrors(req, reply, async () => {
        if (req.body.from > req.body.to) throw invalid({ from: { key: 'date_range' } });
        const r = await createEvaluationPeriod(svc, req.caller, req.body);
        return reply.status(201).send({ id: req.body.id, ...r });
      });
    },
  );

  app.get(
    '/evaluation/periods/:periodId',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'A period: groups, participants; rubric scores of the participants in the caller’s evaluation scope (staff)',
        params: PeriodParams,
      },
    },
    async (req) => {
      const cfg = await loadEvaluationConfig(svc.db, req.params.periodId);
      const access = req.caller.actor.userId ? await evaluationAccess(svc.db, req.caller.actor, cfg) : null;
      const scores =
        access && (access.all || access.visible.size > 0)
          ? (await rubricScores(svc.db, svc.sealer, req.params.periodId, access)).map((s) => ({
              ...s,
              evidence: s.evidence.map((e, i) => ({ ...e, url: evidencePath(req.params.periodId, s.id, i) })),
            }))
          : undefined;
      return { ...cfg, rubric: undefined, rubricScores: scores };
    },
  );

  app.get(
    '/evaluation/periods/:periodId/preview',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Live rankings from current data (staff; only the rows of participants in the caller’s evaluation scope)',
        params: PeriodParams,
      },
    },
    async (req) => {
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      const cfg = await loadEvaluationConfig(svc.db, req.params.periodId);
      const access = await evaluationAccess(svc.db, req.caller.actor, cfg);
      if (!access.all && access.visible.size === 0) throw new AppError('FORBIDDEN');
      const preview = await evaluationPreview(svc.db, cfg, svc.now());
      // The fingerprint of the whole preview: a publish naming it publishes these rankings or nothing. The
      // formula lines in words sit beside the result, outside what the fingerprint covers.
      const shown = resultForViewer(preview, access);
      return { ...shown, previewSha256: resultFingerprint(preview), formulaTexts: formulaTexts(shown) };
    },
  );

  app.post(
    '/evaluation/periods/:periodId/scores',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Score a rubric indicator (assessor; multipart: agencyId, indicator, score, justification, evidence files)',
        params: PeriodParams,
      },
    },
    async (req, reply) => {
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      const { fields, evidence } = await readScoreParts(req, (s) => s);
      return withEvaluationErrors(req, reply, async () => {
        const r = await scoreEvaluation(svc, req.caller, req.params.periodId, {
          agencyId: fields.agencyId ?? '',
          indicator: fields.indicator ?? '',
          score: fields.score ?? '',
          justification: fields.justification ?? '',
          evidence,
        });
        return reply.status(201).send(r);
      });
    },
  );

  app.get(
    '/evaluation/periods/:periodId/scores/:scoreId/evidence/:index',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Download an evidence file of a rubric score (whoever sees that rubric score; 404 for anyone else)',
        params: EvidenceParams,
      },
    },
    async (req, reply) => {
      const { name, mime, body } = await openEvidence(
        svc,
        req.caller,
        req.params.periodId,
        req.params.scoreId,
        req.params.index,
      );
      // RFC 6266/5987: an ASCII fallback plus the UTF-8 name; a download, never shown inline.
      reply.header('content-type', mime);
      reply.header('content-disposition', inlineDisposition(name).replace(/^inline;/, 'attachment;'));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'private, no-store');
      return reply.send(body);
    },
  );

  app.post(
    '/evaluation/periods/:periodId/publish',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Publish rankings, once, from a snapshot of the data written at publish time: the preview of that moment (national admin or coordinator of every participant). Requires `previewSha256` (from the preview): 428 PREVIEW_REQUIRED without it, 409 PREVIEW_CHANGED when the rankings differ now',
        params: PeriodParams,
        body: PublishBody,
      },
    },
    async (req, reply) => {
      if (!req.caller.actor.userId) throw new AppError('UNAUTHENTICATED');
      const expectedPreview = req.body?.previewSha256;
      return withEvaluationErrors(req, reply, async () =>
        reply
          .status(201)
          .send(await publishEvaluation(svc, req.caller, req.params.periodId, { expectedPreview })),
      );
    },
  );

  app.get(
    '/evaluation/periods/:periodId/results',
    {
      schema: { tags: ['evaluation'], summary: 'Published rankings with input hashes', params: PeriodParams },
    },
    async (req) => {
      const r = await publishedResult(svc.db, req.params.periodId);
      if (!r) throw new AppError('NOT_FOUND');
      // The published `result` as stored; its formula lines in words beside it.
      return { ...r, formulaTexts: formulaTexts(r.result) };
    },
  );

  app.get(
    '/evaluation/periods/:periodId/results.xlsx',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'Published rankings as XLSX (headers, indicators and notes in words; ?lang=en for English)',
        params: PeriodParams,
        querystring: z.object({ lang: z.enum(['id', 'en']).optional() }),
      },
    },
    async (req, reply) => {
      const r = await publishedResult(svc.db, req.params.periodId);
      if (!r) throw new AppError('NOT_FOUND');
      const lang = requestLang(req); // ?lang=en, else the lang cookie or Accept-Language, else Indonesian
      const buf = await toXlsx(resultRows(r.result), resultColumns(lang), lang, req.params.periodId);
      reply.header(
        'content-disposition',
        `attachment; filename="aduan-evaluation-${req.params.periodId}.xlsx"`,
      );
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    },
  );
};
