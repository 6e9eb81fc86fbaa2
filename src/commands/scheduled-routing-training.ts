/**
 * The worker's retraining schedule for the routing models (issue 7: "`aduan routing train` retrains it, and the
 * worker retrains it on a schedule"). Trains when the newest stored model is older than the interval and reports
 * were verified (or passed down to units) since, so an idle instance does not retrain for nothing. One worker trains at a time across
 * processes and restarts: a claim row in `settings` (like the daily open-data snapshot) with a lease, so a crashed
 * training is retried after the lease and a failing one at most once per lease.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import type { Fit } from './routing-fit.ts';
import { trainRoutingModels, type TrainRoutingResult } from './train-routing.ts';

/** `settings` key of the claim. */
export const ROUTING_TRAINING_CLAIM = 'routing.training.claim';
/** Default lease of a claim: a training never takes this long; a crashed one is retried after it. */
const LEASE_MS = 3_600_000;

/** Options of {@link scheduledRoutingTraining}. */
export interface ScheduledTrainingOptions {
  /** Retrain when the newest model is at least this old (hours, > 0). */
  everyHours: number;
  /** Lease of the claim [1 h]. */
  leaseMs?: number;
  /** Passed to the training (tests: `cvMaxRows: 0`). */
  cvMaxRows?: number;
  /** Where the fitting runs (the worker passes a worker thread; default this thread). */
  fit?: Fit;
  /** At most this many verified reports, the newest (ADUAN_ROUTING_TRAIN_MAX_ROWS; default the training's). */
  maxRows?: number;
}

/**
 * Retrains the routing models if they are due: the newest `routing_models.trained_at` is `everyHours` old or there
 * is none, at least one report was verified or passed down to a unit since (or, without a model, at least 10 are
 * verified), and this
 * process wins the claim. Returns the training results, or null when nothing was due or another worker has it.
 */
export async function scheduledRoutingTraining(
  svc: Services,
  opts: ScheduledTrainingOptions,
): Promise<TrainRoutingResult[] | null> {
  const now = svc.now();
  const [newest] = await query<{ at: string | null }>(
    svc.db,
    sql`select max(trained_at) as at from routing_models`,
  );
  const last = newest?.at ? new Date(newest.at) : null;
  if (last && now.getTime() - last.getTime() < opts.everyHours * 3_600_000) return null;
  // Due: was anything verified or passed down to a unit (the unit model's history) since? Both also set updated_at,
  // so reports_updated_idx bounds the read to the reports changed since the last training (no scan of the whole
  // table every sweep); a report's dispose events are read by its (report_id, seq) index.
  const since = last?.toISOString();
  const [fresh] = await query<{ fresh: boolean }>(
    svc.db,
    since
      ? sql`select exists (select 1 from reports r where r.updated_at > ${since}
                             and (r.verified_at > ${since}
                                  or exists (select 1 from report_events e where e.report_id = r.id
                                              and e.type = 'dispose' and e.created_at > ${since}))) as fresh`
      : sql`select count(*) >= 10 as fresh from (select 1 from reports where verified_at is not null limit 10) v`,
  );
  if (!fresh?.fresh) return null;
  const claim = JSON.stringify({ at: now.toISOString() });
  const expired = new Date(now.getTime() - (opts.leaseMs ?? LEASE_MS)).toISOString();
  const won = await query<{ key: string }>(
    svc.db,
    sql`insert into settings (key, value) values (${ROUTING_TRAINING_CLAIM}, ${claim}::jsonb)
        on conflict (key) do update set value = excluded.value
        where (settings.value ->> 'at')::timestamptz < ${expired}::timestamptz
        returning key`,
  );
  if (won.length === 0) return null;
  return trainRoutingModels(svc, {
    ...(opts.cvMaxRows === undefined ? {} : { cvMaxRows: opts.cvMaxRows }),
    ...(opts.fit ? { fit: opts.fit } : {}),
    ...(opts.maxRows === undefined ? {} : { maxRows: opts.maxRows }),
  });
}
