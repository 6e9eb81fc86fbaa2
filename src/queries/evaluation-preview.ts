/**
 * The live evaluation preview of a period: `evaluate()` of the open-data snapshot publishing would write at
 * this moment (`buildOpenDataSnapshot`: rows and unlisted counters as of the last statistics refresh, admin
 * activity now), so a publish at the same moment stores exactly the preview's rankings.
 * Memoised (`cachedStats`, per statistics refresh): the rows and counters are rebuilt only after a refresh or
 * when a report's live status or rahasia flag departs from its facts (`liveReportFingerprint`); the admin
 * counts are read on every call (one small query) and the evaluation is reused while they, the rows and the
 * period's configuration are unchanged.
 * Why: the staff evaluation page and the preview API must not rebuild the snapshot on every view, and must
 * show what publishing would store (docs/evaluation.md, Reproducibility).
 */
import { createHash } from 'node:crypto';
import type { AppDb } from '../db/client.ts';
import { evaluate, type EvaluationConfig, type EvaluationResult } from '../domain/evaluation/evaluate.ts';
import {
  areaCodesOf,
  assembleSnapshot,
  liveReportFingerprint,
  snapshotAgencies,
  snapshotReportParts,
} from './open-data-snapshot.ts';
import { cachedStats } from './stats-cache.ts';

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * `evaluate(snapshot, cfg)` of the data at `now`, reused while the read model, the admin counts and `cfg` are
 * unchanged. `reportsAsOf` in the answer is the statistics refresh the report data come from.
 */
export async function evaluationPreview(
  db: AppDb,
  cfg: EvaluationConfig,
  now: Date,
): Promise<EvaluationResult> {
  const [live, agencies] = await Promise.all([liveReportFingerprint(db), snapshotAgencies(db, now)]);
  // The regions below kab/kota with counters of their own follow the agencies, as in a written snapshot.
  const areas = areaCodesOf(agencies);
  const parts = await cachedStats(db, ['openDataSnapshotParts', live, areas], now, () =>
    snapshotReportParts(db, areas),
  );
  const digest = digestOf([cfg, agencies]);
  return cachedStats(db, ['evaluationPreview', digest, live, parts.reportsAsOf ?? null], now, async () =>
    evaluate(assembleSnapshot(now, parts, agencies), cfg),
  );
}
