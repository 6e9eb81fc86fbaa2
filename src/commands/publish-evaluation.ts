/**
 * Publishes an evaluation period's rankings: reads the latest open-data snapshot FILE (checking its
 * sha256), evaluates with the period's weights, thresholds and rubric scores, and stores the result
 * with a sha256 over every input. `aduan evaluate --period` repeats this from the file and compares.
 * Why: a published ranking must be recomputable and verifiable by anyone holding the snapshot.
 * Publishing is final: a second publish is refused (409 ALREADY_PUBLISHED), so the public page and the
 * certificates never change under their readers.
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { evaluationPeriods, evaluationResults } from '../db/schema.ts';
import {
  evaluate,
  type EvaluationConfig,
  type EvaluationResult,
  type EvaluationSnapshot,
} from '../domain/evaluation/evaluate.ts';
import { canonicalJson } from '../domain/evaluation/scoring.ts';
import { isPublished, loadEvaluationConfig } from '../queries/evaluation.ts';
import { latestSnapshot } from '../queries/open-data-snapshot.ts';
import { sha256Hex } from './snapshot-open-data.ts';
import { assertCanManageEvaluation } from './create-evaluation-period.ts';

/** Reads a snapshot file and checks it against the expected checksum (when given). */
export async function readSnapshotFile(
  path: string,
  expectedSha?: string,
): Promise<{ doc: EvaluationSnapshot; sha256: string }> {
  const bytes = await readFile(path);
  const sha256 = sha256Hex(bytes);
  if (expectedSha && sha256 !== expectedSha) throw new AppError('SNAPSHOT_CHECKSUM_MISMATCH');
  return { doc: JSON.parse(bytes.toString('utf8')) as EvaluationSnapshot, sha256 };
}

/** sha256 over the snapshot checksum and the full configuration (weights, groups, rubric scores). */
export function inputsHash(snapshotSha256: string, cfg: EvaluationConfig): string {
  return sha256Hex(canonicalJson({ snapshotSha256, cfg }));
}

/** Evaluates from the latest snapshot and stores the published result. */
export async function publishEvaluation(
  svc: Services,
  caller: Caller,
  periodId: string,
): Promise<{ result: EvaluationResult; inputsSha256: string; snapshotSha256: string }> {
  const cfg = await loadEvaluationConfig(svc.db, periodId);
  // National admins, or a coordinator whose region holds every participant.
  await assertCanManageEvaluation(svc, caller, [...new Set(cfg.groups.flatMap((g) => g.participants))]);
  if (await isPublished(svc.db, periodId)) throw new AppError('ALREADY_PUBLISHED');
  const snap = await latestSnapshot(svc.db);
  if (!snap) throw new AppError('SNAPSHOT_REQUIRED');
  const { doc } = await readSnapshotFile(snap.path, snap.sha256);
  const result = evaluate(doc, cfg);
  const hash = inputsHash(snap.sha256, cfg);
  const publishedAt = svc.now();
  await svc.db.transaction(async (tx) => {
    // The period row is locked so that two publishes (or a publish and a change) run one after the other.
    await tx
      .select({ id: evaluationPeriods.id })
      .from(evaluationPeriods)
      .where(eq(evaluationPeriods.id, periodId))
      .for('update');
    const [done] = await tx
      .select({ id: evaluationResults.id })
      .from(evaluationResults)
      .where(eq(evaluationResults.periodId, periodId))
      .limit(1);
    if (done) throw new AppError('ALREADY_PUBLISHED');
    await tx.insert(evaluationResults).values({
      periodId,
      publishedAt,
      snapshotSha256: snap.sha256,
      inputsSha256: hash,
      result,
    });
  });
  return { result, inputsSha256: hash, snapshotSha256: snap.sha256 };
}
