/**
 * Back-office evaluation pages: `/kantor/evaluasi` (periods), `/kantor/evaluasi/:periodId` (participants,
 * site audits, live preview, rubric scores with spread, scoring form; `?agencyId=` chooses the participant to
 * score, so the form lists only its weighted indicators without JavaScript) and the multipart POST
 * `/kantor/evaluasi/:periodId/nilai` (assessors; `_csrf` part checked here, PRG back to the same participant on
 * success, 422 re-render).
 */
import { plainText } from '../../domain/shared/text.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { scoreEvaluation } from '../../commands/score-evaluation.ts';
import { mayManageEvaluations } from '../../commands/create-evaluation-period.ts';
import { resultFingerprint } from '../../commands/publish-evaluation.ts';
import {
  evaluationAccess,
  listPeriods,
  loadEvaluationConfig,
  publishedResult,
  resultForViewer,
  rubricScores,
  seesParticipant,
} from '../../queries/evaluation.ts';
import { latestSiteAudits, periodParticipants, type ParticipantRow } from '../../queries/evaluation-pages.ts';
import { evaluationPreview } from '../../queries/evaluation-preview.ts';
import { weightedIndicatorsFor, type EvaluationConfig } from '../../domain/evaluation/evaluate.ts';
import { RUBRIC_INDICATORS } from '../../domain/evaluation/scoring.ts';
import {
  EvaluationListPage,
  EvaluationPeriodPage,
  type ScoreRow,
} from '../../views/staff/evaluation-pages.tsx';
import type { ScoreChoice } from '../../views/staff/evaluation-score-form.tsx';
import { pageContext, pageIssueKey, sendPage, STALE_FORM_STATUS, staleFormMessage } from '../web/render.ts';
import { evaluationIssueText, evidencePath, readScoreParts } from '../api/v1/evaluation.ts';

const PERIOD = /^[a-z0-9-]{2,60}$/;
const EVAL_ROLES = ['national_admin', 'assessor', 'coordinator', 'agency_admin'];

/** Signed-in evaluation staff only: redirect to sign-in, 403 without an evaluation role. */
function requireEvaluationStaff(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.session) {
    void reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
    return false;
  }
  if (!req.caller.actor.grants.some((g) => EVAL_ROLES.includes(g.role))) throw new AppError('FORBIDDEN');
  return true;
}

/**
 * What the person sees of a period: only the participants in its evaluation scope (`evaluationAccess`), with
 * their ranking rows, rubric scores, justifications, evidence and site audits; 403 when none is in scope.
 */
async function periodView(svc: Services, req: FastifyRequest, periodId: string) {
  if (!PERIOD.test(periodId)) throw new AppError('NOT_FOUND');
  const cfg = await loadEvaluationConfig(svc.db, periodId);
  const access = await evaluationAccess(svc.db, req.caller.actor, cfg);
  if (!access.all && access.visible.size === 0) throw new AppError('FORBIDDEN');
  const [period] = (await listPeriods(svc.db)).filter((p) => p.id === periodId);
  const [participants, scores, audits, published, preview] = await Promise.all([
    periodParticipants(svc.db, periodId),
    rubricScores(svc.db, svc.sealer, periodId, access),
    latestSiteAudits(svc.db, periodId),
    publishedResult(svc.db, periodId),
    evaluationPreview(svc.db, cfg, svc.now()),
  ]);
  const seen = (agencyId: string) => seesParticipant(access, agencyId);
  const shown = participants.filter((x) => seen(x.agencyId));
  return {
    period: period!,
    participants: shown,
    scoreChoices: scoreChoices(cfg, shown, access.scorable),
    // Each evidence file links to its download (the API route, same rule: whoever sees the score).
    scores: scores.map((s): ScoreRow => ({
      ...s,
      evidence: s.evidence.map((e, i) => ({ ...e, href: evidencePath(periodId, s.id, i) })),
    })),
    audits: audits.filter((a) => seen(a.agencyId)),
    published: !!published,
    preview: resultForViewer(preview, access),
    // The whole preview's fingerprint: the publish form carries it (409 PREVIEW_CHANGED if it moved).
    previewSha256: resultFingerprint(preview),
    // Nothing is scored after publishing (the published result is final).
    canScore: !published && access.scorable.size > 0,
    canManage: access.manage,
  };
}

/**
 * The participants offered on the scoring form: those the viewer sees and may score that have at least one
 * weighted rubric indicator, each with those indicators (a score on any other is refused), sorted by name.
 */
function scoreChoices(
  cfg: Pick<EvaluationConfig, 'weights' | 'groups'>,
  shown: readonly ParticipantRow[],
  scorable: ReadonlySet<string>,
): ScoreChoice[] {
  const out = new Map<string, ScoreChoice>();
  for (const x of shown) {
    if (!scorable.has(x.agencyId) || out.has(x.agencyId)) continue;
    const weighted = weightedIndicatorsFor(cfg, x.agencyId);
    const indicators = RUBRIC_INDICATORS.filter((i) => weighted.has(i));
    if (indicators.length) out.set(x.agencyId, { agencyId: x.agencyId, name: x.name, indicators });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

/**
 * The participant the scoring form is for: the one named by `agencyId` (the step-1 query or the posted field),
 * else the only one offered. `invalid` when a name was given that is not offered (unknown, out of the viewer's
 * scoring scope, or without a weighted rubric indicator; a repeated parameter too).
 */
function chooseParticipant(
  choices: readonly ScoreChoice[],
  named: unknown,
): { chosen?: ScoreChoice; invalid: boolean } {
  if (named === undefined || named === '')
    return { chosen: choices.length === 1 ? choices[0] : undefined, invalid: false };
  const chosen = typeof named === 'string' ? choices.find((c) => c.agencyId === named) : undefined;
  return { chosen, invalid: !chosen };
}

/**
 * Renders a period's page, optionally with a form-level error (the publish form's PREVIEW_CHANGED or
 * PREVIEW_REQUIRED) and a status.
 */
export async function sendPeriodPage(
  svc: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  periodId: string,
  extra: {
    ok?: string | undefined;
    errorCode?: 'PREVIEW_CHANGED' | 'PREVIEW_REQUIRED';
    /** A form-level message of its own (a stale form token, web/stale-form.ts). */
    message?: string;
    /** The scoring form's step-1 choice (`?agencyId=`): one not offered is 422 on that field. */
    agencyId?: unknown;
  } = {},
  status = 200,
): Promise<FastifyReply> {
  const view = await periodView(svc, req, periodId);
  const ctx = pageContext(req);
  const message = extra.errorCode ? ctx.t(`errors.${extra.errorCode}`) : extra.message;
  const { chosen, invalid } = chooseParticipant(view.scoreChoices, extra.agencyId);
  // Once published nothing is scored: the form (and so its choice) is not shown.
  const errors: Record<string, string> =
    invalid && view.canScore ? { agencyId: ctx.t('eval.staff.score_participant_invalid') } : {};
  return sendPage(
    reply,
    req,
    h(EvaluationPeriodPage, { ctx, ...view, scoreChosen: chosen, ok: extra.ok, message, errors }),
    errors.agencyId ? 422 : status,
  );
}

/** Registers the back-office evaluation pages. */
export async function staffEvaluationRoutes(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const svc = opts.services;

  app.get('/kantor/evaluasi', async (req, reply) => {
    if (!requireEvaluationStaff(req, reply)) return reply;
    return sendPage(
      reply,
      req,
      h(EvaluationListPage, {
        ctx: pageContext(req),
        periods: await listPeriods(svc.db),
        canManage: mayManageEvaluations(req.caller),
      }),
    );
  });

  app.get('/kantor/evaluasi/:periodId', async (req, reply) => {
    if (!requireEvaluationStaff(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    const query = req.query as Record<string, unknown>;
    const q = query.ok;
    const ok =
      q === '1'
        ? 'saved'
        : typeof q === 'string' && ['created', 'changed', 'published'].includes(q)
          ? q
          : undefined;
    return sendPeriodPage(svc, req, reply, periodId, { ok, agencyId: query.agencyId });
  });

  // Multipart bodies cannot carry `_csrf` to the auth hook; the part is checked below instead.
  app.post('/kantor/evaluasi/:periodId/nilai', { config: { skipCsrf: true } }, async (req, reply) => {
    if (!requireEvaluationStaff(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    if (!PERIOD.test(periodId)) throw new AppError('NOT_FOUND');
    const { fields, evidence } = await readScoreParts(req, plainText, true);
    const session = req.session;
    const sent = Buffer.from(fields._csrf ?? '');
    const want = Buffer.from(session?.via === 'cookie' ? session.csrfToken : '');
    if (!want.length) throw new AppError('CSRF_INVALID');
    const ctx = pageContext(req);
    const { _csrf: _, ...values } = fields;
    // A stale token (web/stale-form.ts): the page again (403) with the scoring form as typed, a fresh token and the
    // stale message (files cannot be given back: the message says to choose them again); nothing is scored. The page
    // is the viewer's own (`periodView`: 403 without a participant in scope).
    if (sent.length !== want.length || !timingSafeEqual(sent, want)) {
      const view = await periodView(svc, req, periodId);
      const { chosen } = chooseParticipant(view.scoreChoices, fields.agencyId ?? '');
      return sendPage(
        reply,
        req,
        h(EvaluationPeriodPage, {
          ctx,
          ...view,
          scoreChosen: chosen,
          errors: {},
          values,
          message: staleFormMessage(ctx.lang, evidence.length > 0),
        }),
        STALE_FORM_STATUS,
      );
    }
    try {
      await scoreEvaluation(svc, req.caller, periodId, {
        agencyId: fields.agencyId ?? '',
        indicator: fields.indicator ?? '',
        score: fields.score ?? '',
        justification: fields.justification ?? '',
        evidence,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      const errors: Record<string, string> = {};
      for (const k of [
        'agencyId',
        'indicator',
        'score',
        'justification',
        'evidence',
        ...Object.keys(err.fields),
      ])
        if (err.fields[k] && !errors[k])
          // A file of the wrong type names the types taken (the page variant of `one_of` is "choose one").
          errors[k] = evaluationIssueText(
            ctx.lang,
            err.fields[k],
            k === 'evidence' ? undefined : pageIssueKey,
          );
      const view = await periodView(svc, req, periodId);
      const { chosen } = chooseParticipant(view.scoreChoices, fields.agencyId ?? '');
      // Without a participant to score (not one offered: a changed period or an altered form) only step 1
      // shows, so only its field's message does.
      const shownErrors = chosen
        ? errors
        : { agencyId: errors.agencyId ?? ctx.t('eval.staff.score_participant_invalid') };
      return sendPage(
        reply,
        req,
        h(EvaluationPeriodPage, { ctx, ...view, scoreChosen: chosen, errors: shownErrors, values }),
        422,
      );
    }
    // Back to the same participant's form, ready for its next indicator.
    const again = new URLSearchParams({ ok: '1', agencyId: fields.agencyId ?? '' });
    return reply.redirect(`/kantor/evaluasi/${periodId}?${again.toString()}#score-h`, 303);
  });
}
