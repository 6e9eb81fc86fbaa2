/**
 * The active routing models (issue 7), without their weights: which version each kind runs, when it was trained, on how
 * many verified reports and labels, and the cross-validated figures stored with it (up to 3,000 rows). For the routing
 * accuracy page and `GET /api/v1/routing/models`, so coordinators can see that the worker's retraining happened and
 * what the model scored on the instance's own history. Aggregates only: no report data.
 */
import { sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { query } from '../db/client.ts';

/** One active model. */
export interface RoutingModelInfo {
  kind: string;
  version: number;
  trainedAt: string;
  trainingRows: number;
  labels: number | null;
  /** Bukan-wewenang returns learnt as "not this agency" (agency model). */
  negatives: number | null;
  /** 3-fold CV on the training rows, when there were at most 3,000 (else null). */
  cv: { accuracy: number; macroF1: number; top3Accuracy: number } | null;
}

const KIND_ORDER = ['agency', 'category', 'classification', 'unit'];

/** The active model of each kind, in the order agency, category, classification, unit. */
export async function activeRoutingModels(db: AppDb): Promise<RoutingModelInfo[]> {
  const rows = await query<{
    kind: string;
    version: number;
    trained_at: string | Date;
    training_rows: number;
    metrics: Record<string, unknown> | null;
  }>(db, sql`select kind, version, trained_at, training_rows, metrics from routing_models where active`);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const round3 = (v: unknown) => Math.round(Number(v) * 1000) / 1000;
  return rows
    .map((r) => {
      const m = r.metrics ?? {};
      const cv =
        num(m.accuracy) !== null && num(m.macroF1) !== null && num(m.top3Accuracy) !== null
          ? { accuracy: round3(m.accuracy), macroF1: round3(m.macroF1), top3Accuracy: round3(m.top3Accuracy) }
          : null;
      return {
        kind: r.kind,
        version: Number(r.version),
        trainedAt: new Date(r.trained_at).toISOString(),
        trainingRows: Number(r.training_rows),
        labels: num(m.labels),
        negatives: num(m.negatives),
        cv,
      };
    })
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}
