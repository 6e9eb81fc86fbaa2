/**
 * The worker's daily open-data snapshot (docs/open-data.md): once per calendar day of the instance's home zone
 * (ADUAN_TIME_ZONE, WITA by default: the days of the public statistics), whatever the number
 * of workers and restarts. The day is claimed with a key in `settings` (`open_data.snapshot:<YYYY-MM-DD>`,
 * INSERT … ON CONFLICT, like sweep_log keys): the worker whose insert wins writes the file; the others,
 * and later ticks the same day, do nothing. A claim left by a worker that died mid-write is taken over
 * after a lease; a failed write releases the claim so the next tick retries.
 */
import { sql } from 'drizzle-orm';
import { homeZone, type Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import { localDate } from '../domain/deadline/calendar.ts';
import { snapshotOpenData, type SnapshotWritten } from './snapshot-open-data.ts';

/** How long a claim protects a snapshot being written before another worker may take it over. */
export const SNAPSHOT_LEASE_MS = 60 * 60_000;

/** The settings key that records the snapshot of a date (home zone). */
export const snapshotKey = (date: string) => `open_data.snapshot:${date}`;

/**
 * Writes today's (home zone) open-data snapshot unless it exists or another worker is writing it. Returns what
 * was written, or null when there was nothing to do.
 */
export async function dailyOpenDataSnapshot(
  svc: Services,
  dataDir: string,
  opts: { leaseMs?: number } = {},
): Promise<(SnapshotWritten & { date: string }) | null> {
  const now = svc.now();
  const date = localDate(now, homeZone(svc));
  const key = snapshotKey(date);
  const claim = JSON.stringify({ state: 'claimed', at: now.toISOString() });
  const expired = new Date(now.getTime() - (opts.leaseMs ?? SNAPSHOT_LEASE_MS)).toISOString();
  const won = await query<{ key: string }>(
    svc.db,
    sql`insert into settings (key, value) values (${key}, ${claim}::jsonb)
        on conflict (key) do update set value = excluded.value
        where settings.value ->> 'state' = 'claimed'
          and (settings.value ->> 'at')::timestamptz < ${expired}::timestamptz
        returning key`,
  );
  if (won.length === 0) return null;
  let written: SnapshotWritten;
  try {
    written = await snapshotOpenData(svc, dataDir);
  } catch (e) {
    await svc.db.execute(sql`delete from settings where key = ${key} and value = ${claim}::jsonb`);
    throw e;
  }
  const done = JSON.stringify({
    state: 'done',
    at: now.toISOString(),
    path: written.path,
    sha256: written.sha256,
    rows: written.rows,
  });
  await svc.db.execute(sql`update settings set value = ${done}::jsonb where key = ${key}`);
  return { ...written, date };
}
