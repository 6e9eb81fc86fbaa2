/**
 * A small in-process cache for statistics reads used by pages: the key is the request plus the read
 * model's refresh time (`statsRefreshedAt`), so an entry can only be served while the numbers it holds
 * are still the ones the database would give (every indicator, "overdue" included, is as of the last
 * refresh). Per database handle, bounded (oldest entries dropped).
 * Why: the roll-up makes one read cheap, but a statistics page makes several and is public; between two
 * `refreshStats` runs every reader would compute the same answer.
 */
import type { AppDb } from '../db/client.ts';
import { statsRefreshedAt } from './stats.ts';

const MAX_ENTRIES = 500;
let entries = new WeakMap<AppDb, Map<string, Promise<unknown>>>();
let enabled = true;

/** Turns the cache on or off (the benchmark measures both; tests may turn it off). */
export function setStatsCacheEnabled(on: boolean): void {
  enabled = on;
  entries = new WeakMap();
}

/** Returns `load()`'s answer for `key`, reusing it while the read model and the minute are unchanged. */
export async function cachedStats<T>(db: AppDb, key: unknown, now: Date, load: () => Promise<T>): Promise<T> {
  if (!enabled) return load();
  const refreshed = await statsRefreshedAt(db);
  // `now` stays in the key only through the request (its range); the numbers change with a refresh.
  void now;
  const k = JSON.stringify([key, refreshed]);
  let map = entries.get(db);
  if (!map) entries.set(db, (map = new Map()));
  const hit = map.get(k);
  if (hit) return hit as Promise<T>;
  const p = load();
  map.set(k, p);
  p.catch(() => map.delete(k));
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  return p;
}
