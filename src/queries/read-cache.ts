/**
 * An in-process cache of database reads that pages repeat (the statistics pages, the home page's numbers, the public
 * feed's total): per database handle, one promise per key, so readers that arrive while a read runs wait for that
 * read. An answer is served while it is younger than `ttlMs` by the service clock and the data `version` it was read
 * at (the read model's refresh time, the newest report event) is still the current one. A clock set back makes an
 * answer stale, a failed read is forgotten, and past `max` keys the oldest is dropped.
 */
import type { AppDb } from '../db/client.ts';

export interface ReadCacheOptions {
  /** How long an answer is reused (by the `now` given to `get`); `Infinity`: until its data version changes. */
  ttlMs: number;
  /** The most keys kept per database handle. */
  max: number;
}

interface Entry<T> {
  at: number;
  version: string;
  value: Promise<T>;
}

export class ReadCache<T> {
  private entries = new WeakMap<AppDb, Map<string, Entry<T>>>();
  private enabled = true;

  constructor(private readonly options: ReadCacheOptions) {}

  /** `load()`'s answer for `key` on `db` at data `version`, reused while fresh (see the module comment). */
  get(db: AppDb, key: string, now: Date, load: () => Promise<T>, version = ''): Promise<T> {
    if (!this.enabled) return load();
    let map = this.entries.get(db);
    if (!map) this.entries.set(db, (map = new Map()));
    const at = now.getTime();
    const hit = map.get(key);
    if (hit && hit.version === version && at >= hit.at && at - hit.at < this.options.ttlMs) return hit.value;
    const entry: Entry<T> = { at, version, value: load() };
    map.delete(key);
    map.set(key, entry);
    if (map.size > this.options.max) map.delete(map.keys().next().value as string);
    const entries = map;
    entry.value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry.value;
  }

  /** Forgets every answer and turns the cache on or off (benchmarks measure both). */
  reset(enabled = true): void {
    this.enabled = enabled;
    this.entries = new WeakMap();
  }
}
