/**
 * An assessor (role `assessor`, `canStaff(actor, 'score_evaluation')`) scores one rubric indicator of
 * one participant, 0–100, with a written justification and evidence files. Evidence files are cleaned like
 * reporter attachments (`cleanUpload`: JPEG, PNG, WebP or PDF recognised by their bytes, metadata removed; 422 on
 * the `evidence` field otherwise) and the uploader's file name is stored only sealed (`filenameEnc` in the jsonb
 * entry), next to the neutral `bukti-<first 8 of the id>.<ext>` (docs/security.md).
 * Scoring again replaces that assessor's earlier score; several assessors may score the same item.
 * Unknown period → 404; a score is a whole number 0–100 written in decimal digits and the justification 20–5000
 * characters, and the indicator must carry weight for the participant in one of its groups (422 otherwise: a score
 * that would never count is not stored); a body that is not readable multipart is 400 (the routes' `readScoreParts`).
 */
import { isPublished, loadEvaluationConfig, rubricEvidenceFile } from '../queries/evaluation.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Caller, Services } from '../app/context.ts';
import { AppError, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { evaluationRubricScores } from '../db/schema.ts';
import { weightedIndicatorsFor } from '../domain/evaluation/evaluate.ts';
import { RUBRIC_INDICATORS, type RubricIndicatorId } from '../domain/evaluation/scoring.ts';
import { canStaff } from '../policies/can.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { ATTACHMENT_LIMITS, cleanFilename, cleanUpload, type CleanFile } from './add-attachment.ts';

/** Longest justification of a rubric score (characters, after trimming). */
export const MAX_JUSTIFICATION = 5000;

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
  const cfg = await loadEvaluationConfig(svc.db, periodId); // NOT_FOUND for an unknown period
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
  const justification = input.justification.trim();
  if (justification.length < 20) fields.justification = { key: 'too_short', params: { min: 20 } };
  else if (justification.length > MAX_JUSTIFICATION)
    fields.justification = { key: 'too_long', params: { max: MAX_JUSTIFICATION } };
  if (input.evidence.length === 0) fields.evidence = { key: 'required' };
  const cleaned = await cleanEvidence(input.evidence);
  if (cleaned.issue) fields.evidence = cleaned.issue;
  if (!cfg.groups.some((g) => g.participants.includes(input.agencyId)))
    fields.agencyId = { key: 'participant_unknown' };
  else if (
    !fields.indicator &&
    !weightedIndicatorsFor(cfg, input.agencyId).has(input.indicator as RubricIndicatorId)
  )
    // Stored, it would never count: the indicator has no weight in any of the participant's groups.
    fields.indicator = { key: 'indicator_unweighted' };
  throwIfInvalid(fields);
  const evidence: StoredEvidence[] = [];
  for (const f of cleaned.files) {
    const id = randomUUID();
    const key = `evaluation/${periodId}/${id}.${f.ext}`;
    await svc.storage.put(key, f.bytes);
    evidence.push({
      id,
      key,
      filename: `bukti-${id.slice(0, 8)}.${f.ext}`,
      filenameEnc: svc.sealer.seal(f.name),
      mime: f.mime,
      size: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
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
  const row = await svc.db.transaction(async (tx) => {
    // Under a share lock on the period (a publish takes it for update): a score lands before a publish reads
    // the configuration again under its lock, or is refused once the period is published.
    await query(tx, sql`select id from evaluation_periods where id = ${periodId} for share`);
    if (await isPublished(tx, periodId)) throw new AppError('PERIOD_PUBLISHED');
    const [earlier] = await query<{ score: number }>(
      tx,
      sql`select score from evaluation_rubric_scores where period_id = ${periodId}
          and agency_id = ${input.agencyId} and indicator = ${input.indicator}
          and assessor_user_id = ${values.assessorUserId}`,
    );
    const [stored] = await tx
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
    // Scores are not secrets; the justification and the evidence stay in the score row.
    await recordAdminAction(tx, caller, {
      action: 'evaluation.score',
      targetType: 'evaluation_period',
      targetId: periodId,
      agencyId: input.agencyId,
      details: {
        periodId,
        agencyId: input.agencyId,
        indicator: input.indicator,
        score: values.score,
        from: earlier?.score ?? null,
      },
      at: values.createdAt,
    });
    return stored;
  });
  // The assessor gets back the names they sent (the row holds them only sealed).
  return {
    id: row!.id,
    evidence: evidence.map(({ mime, size, sha256 }, i) => ({
      filename: cleaned.files[i]!.name,
      mime,
      size,
      sha256,
    })),
  };
}

/**
 * One evidence file as stored in the jsonb `evaluation_rubric_scores.evidence`. Entries stored before evidence
 * was cleaned and sealed hold only `key`, `filename` (the uploader's own name, in clear), `size` and `sha256`.
 */
export interface StoredEvidence {
  id: string;
  /** Storage key: never shown. */
  key: string;
  /** The neutral `bukti-<first 8 of id>.<ext>`. */
  filename: string;
  /** The uploader's own (cleaned) file name, sealed. */
  filenameEnc: string;
  /** The type recognised by the bytes at upload. */
  mime: string;
  size: number;
  sha256: string;
}

/**
 * Cleans every evidence file the way reporter attachments are cleaned (`cleanUpload`), before anything is
 * stored; the first refusal (too big, not a type taken, a PDF or image whose metadata cannot be removed) is
 * returned as the `evidence` issue.
 */
async function cleanEvidence(
  files: ScoreInput['evidence'],
): Promise<{ files: (CleanFile & { name: string })[]; issue?: FieldIssue }> {
  const out: (CleanFile & { name: string })[] = [];
  for (const f of files) {
    if (f.data.length > ATTACHMENT_LIMITS.maxBytes)
      return {
        files: out,
        issue: { key: 'too_big', params: { max: `${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB` } },
      };
    try {
      const clean = await cleanUpload(f.data);
      out.push({ ...clean, name: cleanFilename(f.filename, clean.ext) });
    } catch (e) {
      const issue = e instanceof AppError && e.code === 'VALIDATION_FAILED' ? e.fields.file : undefined;
      if (!issue) throw e;
      return { files: out, issue };
    }
  }
  return { files: out };
}

/**
 * Opens an evidence file (the `index`-th of rubric score `scoreId` of the period) for a person who may see that
 * rubric score (`seesParticipant`, the rule of every rubric-score view); anyone else, and any unknown period,
 * score or index, gets NOT_FOUND, so a file's existence is never revealed. Returns the stored (cleaned) bytes,
 * the type recognised at upload and the uploader's own file name. A file stored before evidence was cleaned has
 * no recorded type: it is recognised now, and sent as `application/octet-stream` unless it is a type uploads take.
 */
export async function openEvidence(
  svc: Services,
  caller: Caller,
  periodId: string,
  scoreId: number,
  index: number,
): Promise<{ name: string; mime: string; body: Readable | Buffer }> {
  const file = await rubricEvidenceFile(svc.db, svc.sealer, caller.actor, periodId, scoreId, index);
  if (!file) throw new AppError('NOT_FOUND');
  try {
    if (file.mime) return { name: file.name, mime: file.mime, body: await svc.storage.stream(file.key) };
    const bytes = await svc.storage.get(file.key);
    const type = await fileTypeFromBuffer(bytes);
    const mime = type && ATTACHMENT_LIMITS.types.includes(type.mime) ? type.mime : 'application/octet-stream';
    return { name: file.name, mime, body: bytes };
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new AppError('NOT_FOUND');
    throw e;
  }
}
