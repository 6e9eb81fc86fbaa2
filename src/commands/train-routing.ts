/**
 * `aduan routing train` and the worker's scheduled retraining: train the routing models (agency,
 * category, classification) on this instance's own VERIFIED history and store them as new active
 * versions in `routing_models`. Reports returned as *bukan wewenang* teach the agency model where a
 * report does not belong (negative labels).
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import { type EnsembleSpec } from '../domain/routing/ensemble.ts';
import type { TrainingExample } from '../domain/routing/model.ts';
import { ROUTING_TRAINING_MAX_ROWS } from '../domain/routing/types.ts';
import type { SemiSupervisedOptions } from '../domain/routing/semi-supervised.ts';
import { fitInProcess, type Fit } from './routing-fit.ts';
import {
  ensembleSpecFor,
  modelInput,
  ROUTING_KINDS,
  saveRoutingModel,
  type RoutingKind,
} from './routing-models.ts';

/** Options of a training run. */
export interface TrainRoutingOptions {
  /** Which kinds to train (default: all four). */
  kinds?: readonly RoutingKind[];
  /** Labels with fewer training rows are left out (default 3). */
  minLabelRows?: number;
  /** Measure 3-fold cross-validated metrics when there are at most this many rows (default 3,000). */
  cvMaxRows?: number;
  /** Model members for every kind (default: `ensembleSpecFor(kind)`, chosen by CV, see docs/routing.md). */
  spec?: EnsembleSpec;
  /** Where the CPU-bound fitting runs (default: this thread; the worker's schedule uses a worker thread). */
  fit?: Fit;
  /**
   * The agency model also learns from the agencies' names and, by self-training, from the reports waiting for
   * verification (docs/routing.md, "Twelfth pass"). Default true; false trains on the verified history only.
   */
  semiSupervised?: boolean;
  /**
   * Train on at most this many verified reports, the most recently verified ones (default
   * {@link ROUTING_TRAINING_MAX_ROWS}; 0 = the whole history). Bounds a large instance's training time and memory, and
   * keeps the model on current routing (renamed or reorganised agencies).
   */
  maxRows?: number;
}

/** At most this many reports waiting for verification (the newest) join the agency model's self-training. */
export const SELF_TRAINING_POOL = 5000;

/** The outcome of one kind: trained (with its new version) or skipped (with a reason). */
export interface TrainRoutingResult {
  kind: RoutingKind;
  status: 'trained' | 'skipped';
  reason?: string;
  id?: number;
  version?: number;
  rows: number;
  labels: number;
  negatives: number;
  /** Verified reports read (the newest `maxRows`) and how many there are in all. */
  history: { read: number; total: number };
  seconds: number;
  metrics?: Record<string, unknown>;
}

interface HistoryRow {
  title: string;
  body: string;
  region_code: string | null;
  classification: string;
  category_id: number | null;
  agency: string | null;
  /** The unit inside the dispatched agency's tree that handles the report (null while the agency itself does). */
  unit: string | null;
  negatives: string[] | null;
}

/**
 * The verified history: every verified, not archived report with its final agency (the dispatched
 * agency), the unit of that agency's tree handling it when the agency passed it down (disposisi), category,
 * classification, and the agencies it was returned from (the agency it was dispatched to at the time of each
 * `return` event and the event's `fromAgencyId`).
 */
async function loadHistory(svc: Services, maxRows: number): Promise<HistoryRow[]> {
  return query<HistoryRow>(
    svc.db,
    sql`select r.title, r.body, r.region_code, r.classification, r.category_id,
          r.dispatched_agency_id as agency,
          (select u.id from agencies u join agencies d on d.id = r.dispatched_agency_id
            where u.id = r.agency_id and u.id <> d.id and starts_with(u.path, d.path)) as unit,
          (select array_agg(distinct x) from (
             select e.data->>'fromAgencyId' as x from report_events e
              where e.report_id = r.id and e.type = 'return'
             union
             select (select v.data->>'agencyId' from report_events v
                      where v.report_id = r.id and v.type = 'verify' and v.seq < e.seq
                      order by v.seq desc limit 1)
               from report_events e where e.report_id = r.id and e.type = 'return'
           ) n where x is not null) as negatives
        from reports r
       where r.verified_at is not null and r.status <> 'archived'
       ${maxRows > 0 ? sql`order by r.verified_at desc, r.id desc limit ${maxRows}` : sql``}`,
  );
}

/** How many verified, not archived reports there are (the history a capped training read part of). */
async function historySize(svc: Services): Promise<number> {
  const [row] = await query<{ n: number }>(
    svc.db,
    sql`select count(*)::int as n from reports where verified_at is not null and status <> 'archived'`,
  );
  return row?.n ?? 0;
}

/**
 * What the agency model adds to the history: each agency's name as a label document, and the model inputs of the
 * newest reports waiting for verification (not yet labelled) for self-training. Only the text reaches the model.
 */
async function agencySemiSupervised(svc: Services): Promise<SemiSupervisedOptions> {
  const names = await query<{ id: string; name: string }>(svc.db, sql`select id, name from agencies`);
  const pending = await query<Omit<HistoryRow, 'category_id' | 'agency' | 'unit' | 'negatives'>>(
    svc.db,
    sql`select title, body, region_code, classification from reports
         where verified_at is null and status in ('submitted', 'on_hold')
         order by created_at desc limit ${SELF_TRAINING_POOL}`,
  );
  return {
    labelDocs: names.map((a) => ({
      label: a.id,
      text: modelInput('agency', { title: a.name, body: '', regionCode: null, classification: null }),
    })),
    unlabelled: pending.map((r) =>
      modelInput('agency', {
        title: r.title,
        body: r.body,
        regionCode: r.region_code,
        classification: r.classification,
      }),
    ),
  };
}

function examplesFor(kind: RoutingKind, rows: readonly HistoryRow[]): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const r of rows) {
    const label =
      kind === 'agency'
        ? r.agency
        : kind === 'unit'
          ? r.unit
          : kind === 'category'
            ? (r.category_id?.toString() ?? null)
            : r.classification;
    if (!label) continue;
    const text = modelInput(kind, {
      title: r.title,
      body: r.body,
      regionCode: r.region_code,
      classification: r.classification,
    });
    const negativeLabels = kind === 'agency' ? (r.negatives ?? []).filter((n) => n !== label) : [];
    out.push({ text, label, ...(negativeLabels.length ? { negativeLabels } : {}) });
  }
  return out;
}

/**
 * Train and store the routing models. Kinds with fewer than 2 usable labels or 10 rows are skipped
 * (the previous active version, if any, stays active). Safe to run concurrently: versions are
 * assigned under an advisory lock. Exposed for the worker's schedule and `aduan routing train`.
 */
export async function trainRoutingModels(
  svc: Services,
  opts: TrainRoutingOptions = {},
): Promise<TrainRoutingResult[]> {
  const maxRows = opts.maxRows ?? ROUTING_TRAINING_MAX_ROWS;
  const history = await loadHistory(svc, maxRows);
  // Only a full read can be short of the history: then count it, so the result says what was left out.
  const total = maxRows > 0 && history.length === maxRows ? await historySize(svc) : history.length;
  const minLabelRows = opts.minLabelRows ?? 3;
  const results: TrainRoutingResult[] = [];
  for (const kind of opts.kinds ?? ROUTING_KINDS) {
    const started = performance.now();
    const all = examplesFor(kind, history);
    const counts = new Map<string, number>();
    for (const e of all) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
    const examples = all.filter((e) => counts.get(e.label)! >= minLabelRows);
    const labels = new Set(examples.map((e) => e.label)).size;
    const negatives = examples.filter((e) => e.negativeLabels?.length).length;
    const base = { kind, rows: examples.length, labels, negatives, history: { read: history.length, total } };
    if (labels < 2 || examples.length < 10) {
      results.push({
        ...base,
        status: 'skipped',
        reason: `needs ≥ 2 labels with ≥ ${minLabelRows} verified reports each and ≥ 10 rows`,
        seconds: (performance.now() - started) / 1000,
      });
      continue;
    }
    const fit = await (opts.fit ?? fitInProcess)(
      examples,
      opts.spec ?? ensembleSpecFor(kind),
      examples.length <= (opts.cvMaxRows ?? 3000),
      kind === 'agency' && opts.semiSupervised !== false ? await agencySemiSupervised(svc) : undefined,
    );
    const metrics: Record<string, unknown> = { labels, negatives, ...fit.metrics };
    const saved = await saveRoutingModel(svc.db, {
      kind,
      trainedAt: svc.now(),
      trainingRows: examples.length,
      metrics,
      model: fit.model,
    });
    results.push({
      ...base,
      status: 'trained',
      ...saved,
      metrics,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return results;
}
