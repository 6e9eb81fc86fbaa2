/**
 * Records the sweeper's watermark (settings `sweep.swept_until`): every action due up to this moment has
 * been planned and performed, so the next incremental sweep only reads clocks whose actions fall after it.
 * Only moves forward.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';

/** Saves `at` as the watermark unless a later one is stored. */
export async function saveSweepWatermark(svc: Services, at: Date): Promise<void> {
  const v = JSON.stringify(at.toISOString());
  await svc.db.execute(
    sql`insert into settings (key, value) values ('sweep.swept_until', ${v}::jsonb)
        on conflict (key) do update set value = excluded.value
        where (settings.value #>> '{}')::timestamptz < (excluded.value #>> '{}')::timestamptz`,
  );
}
