/**
 * The live evaluation preview of a period (rankings from the current data), memoised per period
 * configuration and statistics refresh (`cachedStats`): the open-data snapshot it is computed from reads
 * every public report, and its rows only change with a `refreshStats` run, so a page view reuses the
 * answer until the next refresh or until the period's configuration (groups, weights, rubric scores) changes.
 * Why: the staff evaluation page and the preview API must not rebuild the snapshot on every view.
 */
import { createHash } from 'node:crypto';
import type { AppDb } from '../db/client.ts';
import { evaluate, type EvaluationConfig, type EvaluationResult } from '../domain/evaluation/evaluate.ts';
import { buildOpenDataSnapshot } from './open-data-snapshot.ts';
import { cachedStats } from './stats-cache.ts';

/** `evaluate(snapshot, cfg)` of the current data, reused while the read model and `cfg` are unchanged. */
export function evaluationPreview(db: AppDb, cfg: EvaluationConfig, now: Date): Promise<EvaluationResult> {
  const digest = createHash('sha256').update(JSON.stringify(cfg)).digest('hex');
  return cachedStats(db, ['evaluationPreview', digest], now, async () =>
    evaluate(await buildOpenDataSnapshot(db, now), cfg),
  );
}
