/**
 * Back-office forms to create, change and publish an evaluation period (national admins everywhere,
 * coordinators for periods whose participants are all in their region; `manage_evaluation`):
 * `GET|POST /kantor/evaluasi/baru`, `GET|POST /kantor/evaluasi/:periodId/ubah` and
 * `POST /kantor/evaluasi/:periodId/terbitkan`. Url-encoded forms (CSRF checked by the auth hook),
 * PRG on success, 422 re-render with the error summary, inline errors and the typed values.
 */
import { isCalendarDate } from '../../domain/shared/dates.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import {
  createEvaluationPeriod,
  mayManageEvaluations,
  type PeriodInput,
} from '../../commands/create-evaluation-period.ts';
import { publishEvaluation } from '../../commands/publish-evaluation.ts';
import {
  DATA_INDICATORS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  RUBRIC_INDICATORS,
  type Weights,
} from '../../domain/evaluation/scoring.ts';
import { has, t, type Lang } from '../../locales/index.ts';
import { listPeriods, loadEvaluationConfig } from '../../queries/evaluation.ts';
import { periodParticipants } from '../../queries/evaluation-pages.ts';
import type { FormErrors } from '../../views/context.ts';
import { PeriodFormPage, GROUP_SLOTS, THRESHOLD_SLOTS } from '../../views/staff/evaluation-forms.tsx';
import { requestLang } from '../plugins/errors.ts';
import { pageContext, pageIssueKey, sendPage } from '../web/render.ts';
import { cleanBody, type FormBody } from './forms.ts';

const SLUG = /^[a-z0-9-]{2,60}$/;
const WEIGHTED = [...DATA_INDICATORS, ...RUBRIC_INDICATORS] as const;

/** Form values are plain strings. */
export type PeriodFormValues = Record<string, string>;

/** Signed in with a role that manages evaluation periods (national admin, coordinator); else redirect/403. */
function requireManager(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.session) {
    void reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
    return false;
  }
  if (!mayManageEvaluations(req.caller)) throw new AppError('FORBIDDEN');
  return true;
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** A field issue as text: `eval.field.*` first, then the shared `errors.field.*`. */
function issueText(lang: Lang, issue: FieldIssue): string {
  const own = `eval.field.${issue.key}`;
  return has(lang, own)
    ? t(lang, own, issue.params)
    : t(lang, `errors.field.${pageIssueKey(issue.key)}`, issue.params);
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Parses one participants textarea: a line per participant, `agency id, website URL, social URL`. */
function parseParticipants(text: string): {
  list: PeriodInput['groups'][number]['participants'];
  bad: number[];
} {
  const list: PeriodInput['groups'][number]['participants'] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const parts = line
      .split(/[,;\s]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    if (!parts.length) return;
    const [agencyId, web, social] = parts;
    const websiteUrl = web === '-' ? undefined : web;
    const socialUrl = social === '-' ? undefined : social;
    if (parts.length > 3 || !/^[A-Za-z0-9._-]{1,100}$/.test(agencyId!)) bad.push(i + 1);
    else if ((websiteUrl && !isHttpUrl(websiteUrl)) || (socialUrl && !isHttpUrl(socialUrl))) bad.push(i + 1);
    else list.push({ agencyId: agencyId!, websiteUrl, socialUrl });
  });
  return { list, bad };
}

/** Turns the form into a period definition, or throws VALIDATION_FAILED naming every bad field. */
export function parsePeriodForm(body: FormBody, fixedId?: string): PeriodInput {
  const f: Record<string, FieldIssue> = {};
  const id = fixedId ?? str(body.id);
  if (!id) f.id = { key: 'required' };
  else if (!SLUG.test(id)) f.id = { key: 'slug' };
  const name = str(body.name);
  if (name.length < 3) f.name = name ? { key: 'too_short', params: { min: 3 } } : { key: 'required' };
  else if (name.length > 200) f.name = { key: 'too_long', params: { max: 200 } };
  const from = str(body.from);
  const to = str(body.to);
  for (const [k, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!v) f[k] = { key: 'required' };
    else if (!isCalendarDate(v)) f[k] = { key: 'invalid_date' };
  }
  if (!f.from && !f.to && from > to) f.from = { key: 'date_range' };
  const minRaw = str(body.minVolume) || '10';
  const minVolume = Number(minRaw);
  if (!/^\d{1,6}$/.test(minRaw)) f.minVolume = { key: 'whole_number', params: { min: 0, max: 100000 } };
  const weights: Weights = {};
  for (const ind of WEIGHTED) {
    const raw = str(body[`w_${ind}`]);
    if (!raw) continue;
    const n = Number(raw.replace(',', '.'));
    if (!Number.isFinite(n) || n < 0 || n > 1000) f[`w_${ind}`] = { key: 'weight_range' };
    else if (n > 0) weights[ind] = n;
  }
  if (!Object.keys(weights).length && !WEIGHTED.some((i) => f[`w_${i}`]))
    f[`w_${WEIGHTED[0]}`] = { key: 'weights_empty' };
  const thresholds: { predikat: string; min: number }[] = [];
  for (let i = 1; i <= THRESHOLD_SLOTS; i++) {
    const label = str(body[`t${i}_name`]);
    const raw = str(body[`t${i}_min`]);
    if (!label && !raw) continue;
    const min = Number(raw.replace(',', '.'));
    if (!label || label.length > 50)
      f[`t${i}_name`] = label ? { key: 'too_long', params: { max: 50 } } : { key: 'required' };
    if (!raw || !Number.isFinite(min) || min < 0 || min > 100) f[`t${i}_min`] = { key: 'score_range' };
    else if (label) thresholds.push({ predikat: label, min });
  }
  if (!thresholds.length && !Object.keys(f).some((k) => /^t\d/.test(k))) f.t1_name = { key: 'required' };
  const groups: PeriodInput['groups'] = [];
  const groupIds = new Set<string>();
  for (let i = 1; i <= GROUP_SLOTS; i++) {
    const gid = str(body[`g${i}_id`]);
    const gname = str(body[`g${i}_name`]);
    const text = str(body[`g${i}_participants`]);
    if (!gid && !gname && !text.trim()) continue;
    if (!gid) f[`g${i}_id`] = { key: 'required' };
    else if (!SLUG.test(gid)) f[`g${i}_id`] = { key: 'slug' };
    else if (groupIds.has(gid)) f[`g${i}_id`] = { key: 'group_duplicate' };
    groupIds.add(gid);
    if (gname.length < 3)
      f[`g${i}_name`] = gname ? { key: 'too_short', params: { min: 3 } } : { key: 'required' };
    const scope = str(body[`g${i}_scope`]);
    if (scope !== 'agency' && scope !== 'region')
      f[`g${i}_scope`] = { key: 'one_of', params: { options: 'agency, region' } };
    const award = str(body[`g${i}_award`]) || 'complaint_handling';
    if (!['complaint_handling', 'website', 'media_sosial'].includes(award)) {
      f[`g${i}_award`] = { key: 'one_of', params: { options: 'complaint_handling, website, media_sosial' } };
    }
    const { list, bad } = parseParticipants(text);
    if (bad.length) f[`g${i}_participants`] = { key: 'participant_lines', params: { lines: bad.join(', ') } };
    else if (!list.length) f[`g${i}_participants`] = { key: 'required' };
    groups.push({
      id: gid,
      name: gname,
      scope: scope as 'agency' | 'region',
      award: award as 'complaint_handling' | 'website' | 'media_sosial',
      participants: list,
    });
  }
  if (!groups.length) f.g1_id = { key: 'group_required' };
  if (Object.keys(f).length) throw invalid(f);
  return {
    id,
    name,
    from,
    to,
    weights,
    thresholds: thresholds.sort((a, b) => b.min - a.min),
    minVolume,
    groups,
  };
}

/** The order of the inputs on the form (error summary order). */
export function periodFormInputs(): string[] {
  const out = ['id', 'name', 'from', 'to', 'minVolume', ...WEIGHTED.map((i) => `w_${i}`)];
  for (let i = 1; i <= THRESHOLD_SLOTS; i++) out.push(`t${i}_name`, `t${i}_min`);
  for (let i = 1; i <= GROUP_SLOTS; i++) {
    out.push(`g${i}_id`, `g${i}_name`, `g${i}_scope`, `g${i}_award`, `g${i}_participants`);
  }
  return out;
}

/** Default values of a new period's form. */
function defaults(): PeriodFormValues {
  const v: PeriodFormValues = { minVolume: '10', g1_scope: 'agency', g1_award: 'complaint_handling' };
  for (const ind of WEIGHTED) v[`w_${ind}`] = String(DEFAULT_WEIGHTS[ind] ?? '');
  DEFAULT_THRESHOLDS.forEach((th, i) => {
    v[`t${i + 1}_name`] = th.predikat;
    v[`t${i + 1}_min`] = String(th.min);
  });
  return v;
}

/** The form values of an existing period. */
async function valuesOf(svc: Services, periodId: string): Promise<PeriodFormValues> {
  const cfg = await loadEvaluationConfig(svc.db, periodId);
  const [period] = (await listPeriods(svc.db)).filter((p) => p.id === periodId);
  const parts = await periodParticipants(svc.db, periodId);
  const v: PeriodFormValues = {
    id: cfg.periodId,
    name: period!.name,
    from: cfg.from,
    to: cfg.to,
    minVolume: String(cfg.minVolume),
  };
  for (const ind of WEIGHTED) v[`w_${ind}`] = cfg.weights[ind] === undefined ? '' : String(cfg.weights[ind]);
  cfg.thresholds.forEach((th, i) => {
    v[`t${i + 1}_name`] = th.predikat;
    v[`t${i + 1}_min`] = String(th.min);
  });
  cfg.groups.slice(0, GROUP_SLOTS).forEach((g, i) => {
    v[`g${i + 1}_id`] = g.id;
    v[`g${i + 1}_name`] = g.name;
    v[`g${i + 1}_scope`] = g.scope;
    v[`g${i + 1}_award`] = g.award;
    v[`g${i + 1}_participants`] = parts
      .filter((p) => p.groupId === g.id)
      .map((p) =>
        [p.agencyId, p.websiteUrl ?? (p.socialUrl ? '-' : ''), p.socialUrl ?? ''].filter(Boolean).join(', '),
      )
      .join('\n');
  });
  return v;
}

/** Registers the period forms and the publish action. */
export async function staffEvaluationAdminRoutes(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const svc = opts.services;

  const render = (
    req: FastifyRequest,
    reply: FastifyReply,
    mode: 'create' | 'edit',
    values: PeriodFormValues,
    errors: FormErrors = {},
    status = 200,
  ) => sendPage(reply, req, h(PeriodFormPage, { ctx: pageContext(req), mode, values, errors }), status);

  const submit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    mode: 'create' | 'edit',
    fixedId?: string,
  ) => {
    const body = cleanBody(req.body);
    const values: PeriodFormValues = {};
    for (const [k, v] of Object.entries(body)) values[k] = str(v);
    if (fixedId) values.id = fixedId;
    const lang = requestLang(req);
    try {
      const input = parsePeriodForm(body, fixedId);
      if (mode === 'create' && (await listPeriods(svc.db)).some((p) => p.id === input.id)) {
        throw invalid({ id: { key: 'period_exists' } });
      }
      await createEvaluationPeriod(svc, req.caller, input);
      return reply.redirect(
        `/kantor/evaluasi/${input.id}?ok=${mode === 'create' ? 'created' : 'changed'}`,
        303,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      const errors: FormErrors = {};
      const fields = err.fields;
      for (const k of [...periodFormInputs(), ...Object.keys(fields)]) {
        if (fields[k] && !errors[k])
          errors[k === 'participants' ? 'g1_participants' : k] = issueText(lang, fields[k]);
      }
      return render(req, reply, mode, values, errors, 422);
    }
  };

  app.get('/kantor/evaluasi/baru', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    return render(req, reply, 'create', defaults());
  });

  app.post('/kantor/evaluasi/baru', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    return submit(req, reply, 'create');
  });

  app.get('/kantor/evaluasi/:periodId/ubah', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
    return render(req, reply, 'edit', await valuesOf(svc, periodId));
  });

  app.post('/kantor/evaluasi/:periodId/ubah', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
    await loadEvaluationConfig(svc.db, periodId); // 404 for an unknown period
    return submit(req, reply, 'edit', periodId);
  });

  app.post('/kantor/evaluasi/:periodId/terbitkan', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
    await publishEvaluation(svc, req.caller, periodId);
    return reply.redirect(`/kantor/evaluasi/${periodId}?ok=published`, 303);
  });
}
