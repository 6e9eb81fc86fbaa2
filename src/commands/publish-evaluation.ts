/**
 * Publishes an evaluation period's rankings from the data at the moment of publishing: builds the open-data
 * snapshot the live preview is computed from (reports as of the last statistics refresh, admin activity now),
 * writes and records it as a snapshot file, reads the file back (checking its sha256), evaluates it with the
 * period's weights, thresholds and rubric scores, and stores the result with a sha256 over every input.
 * `aduan evaluate --period` repeats this from that file and compares.
 * Why: what is published must be what the preview showed at that moment (an older daily snapshot could rank
 * differently), and a published ranking must be recomputable and verifiable by anyone holding the snapshot.
 * Publishing is final: a second publish is refused (409 ALREADY_PUBLISHED), so the public page and the
 * certificates never change under their readers. A publish must name the preview it was decided on
 * (`resultFingerprint`): without it, it is refused (428 PREVIEW_REQUIRED: review the preview first), and when the
 * data changed since, it is refused too (409 PREVIEW_CHANGED); either way nothing is written.
 */
import { dirname } from 'node:path';
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
import { buildOpenDataSnapshot, latestSnapshot, type CountedReport } from '../queries/open-data-snapshot.ts';
import { openDataDir, sha256Hex, writeOpenDataSnapshot, type SnapshotWritten } from './snapshot-open-data.ts';
import { assertCanManageEvaluation } from './create-evaluation-period.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { readJsonFile } from '../integrations/json-file.ts';

/** Reads a snapshot file and checks it against the expected checksum (when given). */
export async function readSnapshotFile(
  path: string,
  expectedSha?: string,
): Promise<{ doc: EvaluationSnapshot; sha256: string }> {
  // Parsed as it is read when large: a snapshot of about a million reports is past V8's largest string.
  const { value, sha256 } = await readJsonFile(path);
  if (expectedSha && sha256 !== expectedSha) throw new AppError('SNAPSHOT_CHECKSUM_MISMATCH');
  return { doc: value as EvaluationSnapshot, sha256 };
}

/** sha256 over the snapshot checksum and the full configuration (weights, groups, rubric scores). */
export function inputsHash(snapshotSha256: string, cfg: EvaluationConfig): string {
  return sha256Hex(canonicalJson({ snapshotSha256, cfg }));
}

/**
 * The fingerprint of an evaluation result's rankings (sha256 of the canonical JSON of everything but the data
 * moment `reportsAsOf`): the preview page and API carry it, and a publish that names it is refused (409
 * PREVIEW_CHANGED) when a ranking, score or indicator value differs now, so what is published is what the
 * coordinator reviewed. A statistics refresh that changes no number does not refuse the publish.
 */
export function resultFingerprint(result: EvaluationResult): string {
  const { reportsAsOf: _dataMoment, ...rankings } = result;
  return sha256Hex(canonicalJson(rankings));
}

/**
 * Where publishing writes its snapshot: `<dataDir>/open-data` (the argument, else the runtime's data directory),
 * else next to the latest snapshot.
 */
async function snapshotDirectory(svc: Services, dataDir: string | undefined): Promise<string> {
  const dir = dataDir ?? svc.dataDir;
  if (dir) return openDataDir(dir);
  const latest = await latestSnapshot(svc.db);
  // Without a data directory the snapshot directory is known from an earlier snapshot only.
  if (!latest) throw new AppError('SNAPSHOT_REQUIRED');
  return dirname(latest.path);
}

/**
 * Builds the document the live preview evaluates at this moment and keeps it as a file for `aduan evaluate`; refused
 * (409 PREVIEW_CHANGED) when its result is not the reviewed preview's. A function of its own so that the document is
 * garbage once written: the file is read back next, and at about a million reports each copy takes about 2 GB.
 */
async function writeReviewedSnapshot(
  svc: Services,
  dir: string,
  at: Date,
  cfg: EvaluationConfig,
  expectedPreview: string,
): Promise<SnapshotWritten> {
  const counted: CountedReport[] = [];
  const snapshot = await buildOpenDataSnapshot(svc.db, at, counted);
  if (resultFingerprint(evaluate(snapshot, cfg)) !== expectedPreview) throw new AppError('PREVIEW_CHANGED');
  return writeOpenDataSnapshot(svc, dir, snapshot, counted);
}

/**
 * Evaluates the data at this moment (the snapshot the preview reads, written as a snapshot file) and stores
 * the published result. `opts.dataDir`: the data directory (default: the runtime's `ADUAN_DATA_DIR`), so a fresh
 * install publishes without an earlier snapshot; services without one write next to the latest snapshot, and
 * without any snapshot that is 409 SNAPSHOT_REQUIRED.
 */
export async function publishEvaluation(
  svc: Services,
  caller: Caller,
  periodId: string,
  opts: {
    dataDir?: string | undefined;
    /**
     * `resultFingerprint` of the preview the caller reviewed: missing is 428 PREVIEW_REQUIRED, a different result
     * now is 409 PREVIEW_CHANGED.
     */
    expectedPreview: string | undefined;
  },
): Promise<{ result: EvaluationResult; inputsSha256: string; snapshotSha256: string }> {
  const cfg = await loadEvaluationConfig(svc.db, periodId);
  // National admins, or a coordinator whose region holds every participant.
  await assertCanManageEvaluation(svc, caller, [...new Set(cfg.groups.flatMap((g) => g.participants))]);
  if (await isPublished(svc.db, periodId)) throw new AppError('ALREADY_PUBLISHED');
  // What is published is what somebody reviewed: a publish that names no preview publishes nothing.
  if (!opts.expectedPreview) throw new AppError('PREVIEW_REQUIRED');
  const dir = await snapshotDirectory(svc, opts.dataDir);
  const publishedAt = svc.now();
  const written = await writeReviewedSnapshot(svc, dir, publishedAt, cfg, opts.expectedPreview);
  const { doc } = await readSnapshotFile(written.path, written.sha256);
  const result = evaluate(doc, cfg);
  const hash = inputsHash(written.sha256, cfg);
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
    // A score or a change committed since the configuration was read (before the lock) would make the stored
    // result differ from what `aduan evaluate` recomputes from the period: refuse, nothing is written.
    if (canonicalJson(await loadEvaluationConfig(tx, periodId)) !== canonicalJson(cfg))
      throw new AppError('PREVIEW_CHANGED');
    await tx.insert(evaluationResults).values({
      periodId,
      publishedAt,
      snapshotSha256: written.sha256,
      inputsSha256: hash,
      result,
    });
    await recordAdminAction(tx, caller, {
      action: 'evaluation.publish',
      targetType: 'evaluation_period',
      targetId: periodId,
      details: { periodId, snapshotSha256: written.sha256, inputsSha256: hash },
      at: publishedAt,
    });
  });
  return { result, inputsSha256: hash, snapshotSha256: written.sha256 };
}
