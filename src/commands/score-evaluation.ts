/**
 * An assessor (role `assessor`, `canStaff(actor, 'score_evaluation')`) scores one rubric indicator of
 * one participant, 0–100, with a written justification and evidence files (stored like attachments).
 * Scoring again replaces that assessor's earlier score; several assessors may score the same item.
 * Unknown period → 404; a score is a whole number 0–100 written in decimal digits (422 otherwise).
 */
import { isPublished } from '../queries/evaluation.ts';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { evaluationRubricScores } from '../db/schema.ts';
import { RUBRIC_INDICATORS } from '../domain/evaluation/scoring.ts';
import { canStaff } from '../policies/can.ts';

/** The input of a rubric score. */
export interface ScoreInput {
  agencyId: string;
  indicator: string;
  /** A whole number 0–100: a number, or its decimal digits as typed (forms and multipart bodies). */
  score: number | string;
  justification: string;
  evidence: { filename: string; data: Buffer }[];
}

/**
 * The score as a whole number 0–100, or the field issue: blank → required, negative → at least 0,
 * above 100 → at most 100, anything else that is not decimal digits (`0x40`, `1e2`, `80.5`, `abc`) → score_whole.
 */
export function parseRubricScore(raw: number | string): { value: number } | { issue: FieldIssue } {
  const text = typeof raw === 'number' ? (Number.isFinite(raw) ? String(raw) : 'NaN') : raw.trim();
  if (text === '') return { issue: { key: 'required' } };
  if (/^-\d+(\.\d+)?$/.test(text)) return { issue: { key: 'too_small', params: { min: 0 } } };
  if (!/^\d{1,9}$/.test(text)) return { issue: { key: 'score_whole' } };
  const value = Number(text);
  if (value > 100) return { issue: { key: 'too_big', params: { max: 100 } } };
  return { value };
}

/** Stores the score; returns its id and the stored evidence metadata. */
export async function scoreEvaluation(svc: Services, caller: Caller, periodId: string, input: ScoreInput) {
  if (!caller.actor.userId) throw new AppError('FORBIDDEN');
  const [period] = await query<{ id: string }>(
    svc.db,
    sql`select id from evaluation_periods where id = ${periodId}`,
  );
  if (!period) throw new AppError('NOT_FOUND');
  // A published period is final: a later score would no longer match the published, reproducible result.
  if (await isPublished(svc.db, periodId)) throw new AppError('PERIOD_PUBLISHED');
  if (!caller.actor.userId || !canStaff(caller.actor, 'score_evaluation', {})) {
    // National assessors pass with an empty scope; regional ones are checked against the participant below.
    const [a] = await query<{ region_code: string | null; path: string }>(
      svc.db,
      sql`select region_code, path from agencies where id = ${input.agencyId}`,
    );
    const scope = {
      agencyId: input.agencyId,
      agencyPath: a?.path.split('/').filter(Boolean) ?? [],
      regionCode: a?.region_code ?? null,
    };
    if (!caller.actor.userId || !a || !canStaff(caller.actor, 'score_evaluation', scope))
      throw new AppError('FORBIDDEN');
  }
  const fields: Record<string, FieldIssue> = {};
  if (!(RUBRIC_INDICATORS as readonly string[]).includes(input.indicator)) {
    fields.indicator = { key: 'one_of', params: { options: RUBRIC_INDICATORS.join(', ') } };
  }
  const parsed = parseRubricScore(input.score);
  const score = 'value' in parsed ? parsed.value : null;
  if ('issue' in parsed) fields.score = parsed.issue;
  if (input.justification.trim().length < 20)
    fields.justification = { key: 'too_short', params: { min: 20 } };
  if (input.evidence.length === 0) fields.evidence = { key: 'required' };
  const [participant] = await query<{ n: number }>(
    svc.db,
    sql`select count(*)::int as n from evaluation_participants p join evaluation_groups g on g.id = p.group_id
        where g.period_id = ${periodId} and p.agency_id = ${input.agencyId}`,
  );
  if (!participant?.n) fields.agencyId = { key: 'participant_unknown' };
  throwIfInvalid(fields);
  const evidence = [];
  for (const f of input.evidence) {
    if (f.data.length > 10 * 1024 * 1024)
      throw invalid({ evidence: { key: 'too_big', params: { max: '10 MB' } } });
    const key = `evaluation/${periodId}/${randomUUID()}`;
    await svc.storage.put(key, f.data);
    evidence.push({
      key,
      filename: f.filename.slice(0, 200),
      size: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
    });
  }
  const values = {
    periodId,
    agencyId: input.agencyId,
    indicator: input.indicator,
    assessorUserId: caller.actor.userId,
    score: score!,
    justification: input.justification.trim(),
    evidence,
    createdAt: svc.now(),
  };
  const [row] = await svc.db
    .insert(evaluationRubricScores)
    .values(values)
    .onConflictDoUpdate({
      target: [
        evaluationRubricScores.periodId,
        evaluationRubricScores.agencyId,
        evaluationRubricScores.indicator,
        evaluationRubricScores.assessorUserId,
      ],
      set: {
        score: values.score,
        justification: values.justification,
        evidence,
        createdAt: values.createdAt,
      },
    })
    .returning({ id: evaluationRubricScores.id });
  return {
    id: row!.id,
    evidence: evidence.map(({ filename, size, sha256 }) => ({ filename, size, sha256 })),
  };
}
