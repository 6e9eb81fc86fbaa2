/**
 * Storage of routing models as versioned data (`routing_models`): save a newly trained version and
 * make it active, and load the active version of a kind (cached per process by row id, so a retrain
 * by the worker is picked up on the next request without a restart).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { routingModels } from '../db/schema.ts';
import {
  DEFAULT_ENSEMBLE,
  deserialiseEnsemble,
  REPORT_TYPE_ENSEMBLE,
  routingText,
  type Ensemble,
  type EnsembleSpec,
} from '../domain/routing/ensemble.ts';
import { stem } from '../integrations/indonesian-stemmer.ts';

/**
 * What a routing model predicts: the agency a verifier dispatches to, the category, the classification (report type),
 * and the unit inside an agency's tree that the agency passes the report down to (disposisi).
 */
export type RoutingKind = 'agency' | 'category' | 'classification' | 'unit';
/** Every routing kind, in training order. */
export const ROUTING_KINDS: readonly RoutingKind[] = ['agency', 'category', 'classification', 'unit'];

/** The report fields a routing model reads. */
export interface RoutingReportFields {
  title: string;
  body: string;
  regionCode: string | null;
  classification: string | null;
}

/**
 * The input text of a kind's model, the same at training and at prediction: the agency and unit models also read the
 * classification, the classification (report type) model reads the report-type cue tokens instead.
 */
export function modelInput(kind: RoutingKind, r: RoutingReportFields): string {
  return routingText({
    title: r.title,
    body: r.body,
    regionCode: r.regionCode,
    classification: kind === 'agency' || kind === 'unit' ? r.classification : null,
    cues: kind === 'classification',
  });
}

/** What a kind's model is trained as: the report-type model has a third, title-only member (docs/routing.md). */
export function ensembleSpecFor(kind: RoutingKind): EnsembleSpec {
  return kind === 'classification' ? REPORT_TYPE_ENSEMBLE : DEFAULT_ENSEMBLE;
}

/** An active model ready to predict. */
export interface ActiveModel {
  id: number;
  version: number;
  kind: RoutingKind;
  trainedAt: Date;
  ensemble: Ensemble;
  /** Its cross-validated macro-F1 at training, when stored (`metrics.macroF1`). */
  cvMacroF1: number | null;
}

/**
 * Deserialised models by database handle and row id: two databases in one process (tests, a second instance) have
 * rows with the same ids, so a model is only ever reused for the database it was read from.
 */
const caches = new WeakMap<AppDb, Map<number, Ensemble>>();

/**
 * Store a trained model as the next version of its kind and make it the only active one, in one
 * transaction. Returns the new row id and version.
 */
export async function saveRoutingModel(
  db: AppDb,
  row: {
    kind: RoutingKind;
    trainedAt: Date;
    trainingRows: number;
    metrics: Record<string, unknown>;
    model: unknown;
  },
): Promise<{ id: number; version: number }> {
  return db.transaction(async (tx: Tx) => {
    // Serialise concurrent trainings of the same kind (worker and CLI) on a transaction lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`routing_models:${row.kind}`}))`);
    const [last] = await tx
      .select({ version: routingModels.version })
      .from(routingModels)
      .where(eq(routingModels.kind, row.kind))
      .orderBy(desc(routingModels.version))
      .limit(1);
    const version = (last?.version ?? 0) + 1;
    await tx.update(routingModels).set({ active: false }).where(eq(routingModels.kind, row.kind));
    const [inserted] = await tx
      .insert(routingModels)
      .values({ ...row, version, active: true })
      .returning({ id: routingModels.id });
    return { id: inserted!.id, version };
  });
}

/** The active model of `kind`, or null when none has been trained yet. */
export async function loadActiveModel(db: AppDb, kind: RoutingKind): Promise<ActiveModel | null> {
  const [head] = await db
    .select({
      id: routingModels.id,
      version: routingModels.version,
      trainedAt: routingModels.trainedAt,
      metrics: routingModels.metrics,
    })
    .from(routingModels)
    .where(and(eq(routingModels.kind, kind), eq(routingModels.active, true)))
    .orderBy(desc(routingModels.version))
    .limit(1);
  if (!head) return null;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let ensemble = cache.get(head.id);
  if (!ensemble) {
    const [full] = await db
      .select({ model: routingModels.model })
      .from(routingModels)
      .where(eq(routingModels.id, head.id));
    ensemble = deserialiseEnsemble(full!.model, stem);
    if (cache.size >= 12) cache.clear();
    cache.set(head.id, ensemble);
  }
  const f1 = (head.metrics as Record<string, unknown> | null)?.macroF1;
  const cvMacroF1 = typeof f1 === 'number' && Number.isFinite(f1) ? f1 : null;
  return { id: head.id, version: head.version, kind, trainedAt: head.trainedAt, ensemble, cvMacroF1 };
}
