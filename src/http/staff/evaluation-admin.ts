/**
 * Back-office forms to create, change and publish an evaluation period (national admins everywhere,
 * coordinators for periods whose participants are all in their region; `manage_evaluation`):
 * `GET|POST /kantor/evaluasi/baru`, `GET|POST /kantor/evaluasi/:periodId/ubah` and
 * `POST /kantor/evaluasi/:periodId/terbitkan`. Url-encoded forms (CSRF checked by the auth hook),
 * PRG on success, 422 re-render with the error summary, inline errors and the typed values.
 * The change form shows every group and predikat of the period (at least GROUP_SLOTS / THRESHOLD_SLOTS
 * rows), so saving it unchanged never drops any. A published period is final: its change form and a
 * second publish answer a 409 page.
 */
import { isCalendarDate } from '../../domain/shared/dates.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import {
  createEvaluationPeriod,
  MAX_GROUPS,
  MAX_THRESHOLDS,
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
import { outboundUrlSyntax } from '../../integrations/outbound-guard.ts';
import type { Lang } from '../../locales/index.ts';
import { isPublished, listPeriods, loadEvaluationConfig } from '../../queries/evaluation.ts';
import { periodParticipants } from '../../queries/evaluation-pages.ts';
import type { FormErrors } from '../../views/context.ts';
import { PeriodFormPage, GROUP_SLOTS, THRESHOLD_SLOTS } from '../../views/staff/evaluation-forms.tsx';
import { evaluationIssueText } from '../api/v1/evaluation.ts';
import { requestLang } from '../plugins/errors.ts';
import { pageContext, pageIssueKey, sendPage } from '../web/render.ts';
import type { StaleFormRoute } from '../web/render.ts';
import { cleanBody, type FormBody } from './forms.ts';
import { sendPeriodPage } from './evaluation-pages.ts';

const SLUG = /^[a-z0-9-]{2,60}$/;
/** A negative decimal: out of range (not a malformed number). */
const NEGATIVE = /^-\d+(?:[.,]\d+)?$/;
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
  return evaluationIssueText(lang, issue, pageIssueKey);
}

/** The highest slot number `n` among filled keys `<prefix><n>_…` (0 when none), capped at `max`. */
function lastSlot(values: Record<string, unknown>, prefix: 'g' | 't', max: number): number {
  let n = 0;
  const re = new RegExp(`^${prefix}(\\d{1,4})_`);
  for (const [k, v] of Object.entries(values)) {
    const m = re.exec(k);
    if (m && v !== undefined && v !== '') n = Math.max(n, Number(m[1]));
  }
  return Math.min(n, max);
}

/** Rows of the form: every filled group / predikat, and at least the default number of slots. */
export function formSlots(values: Record<string, unknown>): { groups: number; thresholds: number } {
  return {
    groups: Math.max(GROUP_SLOTS, lastSlot(values, 'g', MAX_GROUPS)),
    thresholds: Math.max(THRESHOLD_SLOTS, lastSlot(values, 't', MAX_THRESHOLDS)),
  };
}

/**
 * A plain decimal as typed in the form: digits with at most one `,` or `.` before more digits (`10`, `2,5`, `0.25`);
 * anything `Number()` would also read (`0x10`, `1e3`, `Infinity`, ` 1_0`, `+5`) is null, so it gets a field error
 * instead of an unexpected value.
 */
export function parseFormDecimal(raw: string): number | null {
  return /^\d{1,9}(?:[.,]\d{1,9})?$/.test(raw) ? Number(raw.replace(',', '.')) : null;
}

/**
 * An absolute http(s) URL without credentials (the outbound guard's syntax rule); the command then refuses
 * private, local and reserved addresses with a message naming the URL.
 */
function isHttpUrl(s: string): boolean {
  return !('problem' in outboundUrlSyntax(s));
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

/**
 * Turns the form into a period definition, or throws VALIDATION_FAILED naming every bad field. Every filled
 * group and predikat row counts, however many there are; `groupSlots[i]` is the form slot of `input.groups[i]`.
 */
export function parsePeriodForm(
  body: FormBody,
  fixedId?: string,
): { input: PeriodInput; groupSlots: number[] } {
  const f: Record<string, FieldIssue> = {};
  const slots = formSlots(body);
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
  if (!/^\d{1,6}$/.test(minRaw) || minVolume > 100000)
    f.minVolume = { key: 'whole_number', params: { min: 0, max: 100000 } };
  const weights: Weights = {};
  for (const ind of WEIGHTED) {
    const raw = str(body[`w_${ind}`]);
    if (!raw) continue;
    const n = parseFormDecimal(raw);
    if (n === null || n > 1000)
      f[`w_${ind}`] = { key: n === null && !NEGATIVE.test(raw) ? 'decimal_format' : 'weight_range' };
    else if (n > 0) weights[ind] = n;
  }
  if (!Object.keys(weights).length && !WEIGHTED.some((i) => f[`w_${i}`]))
    f[`w_${WEIGHTED[0]}`] = { key: 'weights_empty' };
  const thresholds: { predikat: string; min: number }[] = [];
  const minRows = new Map<number, number>(); // minimum → first row holding it
  let lastRow = 0;
  for (let i = 1; i <= slots.thresholds; i++) {
    const label = str(body[`t${i}_name`]);
    const raw = str(body[`t${i}_min`]);
    if (!label && !raw) continue;
    lastRow = i;
    const min = parseFormDecimal(raw);
    if (!label || label.length > 50)
      f[`t${i}_name`] = label ? { key: 'too_long', params: { max: 50 } } : { key: 'required' };
    if (raw && min === null && !NEGATIVE.test(raw)) f[`t${i}_min`] = { key: 'decimal_format' };
    else if (min === null || min > 100) f[`t${i}_min`] = { key: 'score_range' };
    else if (minRows.has(min)) f[`t${i}_min`] = { key: 'thresholds_duplicate', params: { min } };
    else {
      minRows.set(min, i);
      if (label) thresholds.push({ predikat: label, min });
    }
  }
  const thresholdIssue = Object.keys(f).some((k) => /^t\d/.test(k));
  if (!thresholds.length && !thresholdIssue) f.t1_name = { key: 'required' };
  else if (!thresholdIssue && !minRows.has(0)) f[`t${lastRow}_min`] = { key: 'thresholds_floor' };
  const groups: PeriodInput['groups'] = [];
  const groupSlots: number[] = [];
  const groupIds = new Set<string>();
  for (let i = 1; i <= slots.groups; i++) {
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
    groupSlots.push(i);
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
    input: {
      id,
      name,
      from,
      to,
      weights,
      thresholds: thresholds.sort((a, b) => b.min - a.min),
      minVolume,
      groups,
    },
    groupSlots,
  };
}

/** The order of the inputs on the form (error summary order). */
export function periodFormInputs(slots = { groups: GROUP_SLOTS, thresholds: THRESHOLD_SLOTS }): string[] {
  const out = ['id', 'name', 'from', 'to', 'minVolume', ...WEIGHTED.map((i) => `w_${i}`)];
  for (let i = 1; i <= slots.thresholds; i++) out.push(`t${i}_name`, `t${i}_min`);
  for (let i = 1; i <= slots.groups; i++) {
    out.push(`g${i}_id`, `g${i}_name`, `g${i}_scope`, `g${i}_award`, `g${i}_participants`);
  }
  return out;
}

/**
 * The form field showing a command's field issue: `groups.<i>.…` → the group's slot, thresholds → the first
 * predikat row, weights → the first weight, unknown agencies without a group → the first group's participants.
 */
function formField(key: string, groupSlots: number[]): string {
  const g = /^groups\.(\d+)(?:\.(\w+))?/.exec(key);
  if (g) {
    const slot = groupSlots[Number(g[1])] ?? 1;
    return g[2] === 'participants' ? `g${slot}_participants` : `g${slot}_id`;
  }
  if (key.startsWith('thresholds')) return 't1_min';
  if (key.startsWith('weights')) return `w_${WEIGHTED[0]}`;
  if (key === 'participants') return 'g1_participants';
  return key;
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
  cfg.groups.forEach((g, i) => {
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
    message?: string,
  ) => {
    const slots = formSlots(values);
    return sendPage(
      reply,
      req,
      h(PeriodFormPage, {
        ctx: pageContext(req),
        mode,
        values,
        errors,
        groupSlots: slots.groups,
        thresholdSlots: slots.thresholds,
        message,
      }),
      status,
    );
  };

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
    let groupSlots: number[] = [];
    try {
      const parsed = parsePeriodForm(body, fixedId);
      const input = parsed.input;
      groupSlots = parsed.groupSlots;
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
      for (const k of [...periodFormInputs(formSlots(values)), ...Object.keys(fields)]) {
        const field = formField(k, groupSlots);
        if (fields[k] && !errors[field]) errors[field] = issueText(lang, fields[k]);
      }
      return render(req, reply, mode, values, errors, 422);
    }
  };

  /** The change form's period, as its GET checks it: 404 for an unknown one, 409 once published. */
  const editablePeriod = async (req: FastifyRequest): Promise<string> => {
    const { periodId } = req.params as { periodId: string };
    if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
    await loadEvaluationConfig(svc.db, periodId); // 404 for an unknown period
    if (await isPublished(svc.db, periodId)) throw new AppError('PERIOD_PUBLISHED');
    return periodId;
  };

  /**
   * A stale token (web/stale-form.ts): the form again with what was typed, a fresh token and the stale message, for
   * whom may open the form (`requireManager`; the change form only while its period is open to change).
   */
  const staleForm = (mode: 'create' | 'edit'): { staleForm: StaleFormRoute } => ({
    staleForm: {
      action: mode,
      // The period's first day is typed here, not the plumbing `from` of other forms.
      keep: ['from'],
      allowed: (req, reply) => !req.session?.mustChangePassword && requireManager(req, reply),
      page: async (req, reply, form, status) => {
        const values: PeriodFormValues = {};
        for (const [k, v] of Object.entries(form.values)) values[k] = str(v);
        if (mode === 'edit') values.id = await editablePeriod(req);
        return render(req, reply, mode, values, {}, status, form.message);
      },
    },
  });

  app.get('/kantor/evaluasi/baru', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    return render(req, reply, 'create', defaults());
  });

  app.post('/kantor/evaluasi/baru', { config: staleForm('create') }, async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    return submit(req, reply, 'create');
  });

  app.get('/kantor/evaluasi/:periodId/ubah', async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    const { periodId } = req.params as { periodId: string };
    if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
    const values = await valuesOf(svc, periodId); // 404 for an unknown period
    if (await isPublished(svc.db, periodId)) throw new AppError('PERIOD_PUBLISHED');
    return render(req, reply, 'edit', values);
  });

  app.post('/kantor/evaluasi/:periodId/ubah', { config: staleForm('edit') }, async (req, reply) => {
    if (!requireManager(req, reply)) return reply;
    return submit(req, reply, 'edit', await editablePeriod(req));
  });

  // A stale token: the period's page again (403) with the stale message and a fresh token, for whom may publish
  // (`requireManager`, then the page's own scope); nothing is published. The preview to review is the current one.
  const stalePublish: StaleFormRoute = {
    action: 'publish',
    allowed: (req, reply) => !req.session?.mustChangePassword && requireManager(req, reply),
    page: (req, reply, form, status) => {
      const { periodId } = req.params as { periodId: string };
      return sendPeriodPage(svc, req, reply, periodId, { message: form.message }, status);
    },
  };

  app.post(
    '/kantor/evaluasi/:periodId/terbitkan',
    { config: { staleForm: stalePublish } },
    async (req, reply) => {
      if (!requireManager(req, reply)) return reply;
      const { periodId } = req.params as { periodId: string };
      if (!SLUG.test(periodId)) throw new AppError('NOT_FOUND');
      const preview = (req.body as Record<string, unknown> | undefined)?.preview;
      // A missing or malformed preview field names no reviewed preview: 428 PREVIEW_REQUIRED from the command.
      const expectedPreview =
        typeof preview === 'string' && /^[0-9a-f]{64}$/.test(preview) ? preview : undefined;
      try {
        await publishEvaluation(svc, req.caller, periodId, { expectedPreview });
      } catch (err) {
        // No reviewed preview, or the rankings moved since the page was loaded: the page again, with the (new)
        // preview to review and the reason; nothing was published.
        if (err instanceof AppError && (err.code === 'PREVIEW_CHANGED' || err.code === 'PREVIEW_REQUIRED')) {
          return sendPeriodPage(
            svc,
            req,
            reply,
            periodId,
            { errorCode: err.code },
            err.code === 'PREVIEW_CHANGED' ? 409 : 428,
          );
        }
        throw err;
      }
      return reply.redirect(`/kantor/evaluasi/${periodId}?ok=published`, 303);
    },
  );
}
