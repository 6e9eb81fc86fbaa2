/**
 * A small in-process cache for statistics reads used by pages: the key is the request plus the read
 * model's refresh time (`statsRefreshedAt`), so an entry can only be served while the numbers it holds
 * are still the ones the database would give (every indicator, "overdue" included, is as of the last
 * refresh). Per database handle, bounded (oldest entries dropped).
 * Why: the roll-up makes one read cheap, but a statistics page makes several and is public; between two
 * `refreshStats` runs every reader would compute the same answer.
 */
import type { AppDb } from '../db/client.ts';
import { ReadCache } from './read-cache.ts';
import { statsRefreshedAt } from './stats.ts';

const cache = new ReadCache<unknown>({ ttlMs: Infinity, max: 500 });

/** Turns the cache on or off (the benchmark measures both; tests may turn it off). */
export function setStatsCacheEnabled(on: boolean): void {
  cache.reset(on);
}

/** Returns `load()`'s answer for `key`, reusing it while the read model is unchanged. */
export async function cachedStats<T>(db: AppDb, key: unknown, now: Date, load: () => Promise<T>): Promise<T> {
  // `now` stays in the key only through the request (its range); the numbers change with a refresh.
  const refreshed = await statsRefreshedAt(db);
  return cache.get(db, JSON.stringify(key), now, load, String(refreshed)) as Promise<T>;
}
