/**
 * Records the sweeper's watermark (settings `sweep.swept_until`): every action due up to this moment has
 * been planned and performed, so the next incremental sweep only reads clocks whose actions fall after it.
 * Only moves forward. It also records the fingerprint of the configuration the sweep used (holidays, SLA
 * rules, ladder): an incremental sweep that finds a different configuration sweeps fully instead.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';

/** Saves `at` (and the configuration fingerprint) as the watermark unless a later one is stored. */
export async function saveSweepWatermark(svc: Services, at: Date, config: string): Promise<void> {
  const v = JSON.stringify({ at: at.toISOString(), config });
  // Older watermarks are a bare JSON string; newer ones an object { at, config }.
  await svc.db.execute(
    sql`insert into settings (key, value) values ('sweep.swept_until', ${v}::jsonb)
        on conflict (key) do update set value = excluded.value
        where (case when jsonb_typeof(settings.value) = 'string' then settings.value #>> '{}'
                    else settings.value ->> 'at' end)::timestamptz <= (excluded.value ->> 'at')::timestamptz`,
  );
}
