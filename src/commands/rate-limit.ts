/**
 * Fixed-window rate limiting with counters in PostgreSQL, so every web process shares them
 * (architecture: nothing another process needs is kept only in memory).
 *
 * Each process pre-aggregates its hits (ADR 0008): the first hit of a key in a window goes to the database
 * (an upsert returning the shared count); later hits are counted locally and decided against the last known
 * shared count plus the local hits not yet written, and a background flush adds those hits to the shared row
 * (every FLUSH_MS, or at once after FLUSH_EVERY unflushed hits), reading back the shared count. Within one
 * process decisions are exact; across processes a window can admit a bounded number of extra hits (the hits
 * other processes counted since they last flushed).
 */
import { lt, sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** How often unflushed hits are written to the shared counters. */
export const FLUSH_MS = 250;
/** Unflushed hits of one key that trigger an immediate flush. */
export const FLUSH_EVERY = 50;
/** Consecutive failed flushes after which unflushed hits are dropped (the database is gone or closed). */
const MAX_FAILED_FLUSHES = 20;

interface Counter {
  key: string;
  windowStart: Date;
  windowEnd: number;
  /** The shared count as last read from the database (includes every flushed hit of every process). */
  shared: number;
  /** Hits counted here and not yet added to the shared row. */
  pending: number;
  /** The first hit's upsert, while it runs: concurrent hits wait for it instead of racing it. */
  ready: Promise<void> | null;
}

/** The counters of one database handle (one per process in production; one per test app in tests). */
class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;

  constructor(private readonly db: AppDb) {}

  async hit(key: string, max: number, windowSeconds: number, nowMs: number): Promise<RateLimitResult> {
    const windowMs = windowSeconds * 1000;
    const startMs = Math.floor(nowMs / windowMs) * windowMs;
    const id = `${windowSeconds}|${startMs}|${key}`;
    const c = this.counters.get(id);
    if (!c) {
      // First hit of the key in this window here: count it in the database and learn the shared count.
      const created: Counter = {
        key,
        windowStart: new Date(startMs),
        windowEnd: startMs + windowMs,
        shared: 0,
        pending: 0,
        ready: null,
      };
      created.ready = this.add(key, created.windowStart, 1).then(
        (count) => {
          created.shared = count;
          created.ready = null;
        },
        (e: unknown) => {
          this.counters.delete(id);
          throw e;
        },
      );
      this.counters.set(id, created);
      await created.ready;
      return this.result(created.shared, max, startMs + windowMs, nowMs);
    }
    if (c.ready) {
      await c.ready;
      // Dropped meanwhile (its window ended): start over.
      if (this.counters.get(id) !== c) return this.hit(key, max, windowSeconds, nowMs);
    }
    c.pending++;
    const count = c.shared + c.pending;
    if (c.pending >= FLUSH_EVERY && !this.flushing) void this.flush();
    else this.schedule();
    return this.result(count, max, c.windowEnd, nowMs);
  }

  private result(count: number, max: number, windowEnd: number, nowMs: number): RateLimitResult {
    return {
      allowed: count <= max,
      count,
      retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)),
    };
  }

  /** Adds `n` hits to the shared row and returns its new count. */
  private async add(key: string, windowStart: Date, n: number): Promise<number> {
    const [row] = await query<{ count: number }>(
      this.db,
      sql`insert into rate_limits (key, window_start, count) values (${key}, ${windowStart.toISOString()}, ${n})
          on conflict (key, window_start) do update set count = rate_limits.count + excluded.count
          returning count`,
    );
    return Number(row!.count);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Writes every hit counted so far (one upsert per key) and drops counters of windows that have ended.
   * A flush already running may have missed later hits, so this one runs after it.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const due = [...this.counters.values()].filter((c) => !c.ready && c.pending > 0);
    const sent = due.map((c) => c.pending);
    try {
      if (due.length > 0) {
        // One upsert for every key; each (key, window) appears once, so no row is affected twice.
        const rows = await query<{ i: number; count: number }>(
          this.db,
          sql`with input as (
                select * from jsonb_to_recordset(${JSON.stringify(
                  due.map((c, i) => ({ i, key: c.key, window_start: c.windowStart, n: sent[i] })),
                )}::jsonb) as t(i int, key text, window_start timestamptz, n int)
              ), up as (
                insert into rate_limits (key, window_start, count)
                select key, window_start, n from input
                on conflict (key, window_start) do update set count = rate_limits.count + excluded.count
                returning key, window_start, count
              )
              select input.i, up.count from up join input using (key, window_start)`,
        );
        for (const row of rows) {
          const c = due[row.i]!;
          // Hits counted while the upsert ran stay pending; the shared count now includes those written.
          c.pending -= sent[row.i]!;
          c.shared = Number(row.count);
        }
      }
      this.failures = 0;
    } catch {
      if (++this.failures >= MAX_FAILED_FLUSHES) {
        // The database is gone (or closed): stop retrying; the hits only ever protected against floods.
        for (const c of this.counters.values()) c.pending = 0;
        this.failures = 0;
      }
    }
    // A counter whose window ended (by the wall clock) and has nothing to write is no longer needed.
    const now = Date.now();
    let left = false;
    for (const [id, c] of this.counters) {
      if (c.pending > 0) left = true;
      else if (!c.ready && c.windowEnd < now) this.counters.delete(id);
    }
    if (left) this.schedule();
  }
}

const limiters = new WeakMap<AppDb, RateLimiter>();

function limiterFor(db: AppDb): RateLimiter {
  let l = limiters.get(db);
  if (!l) limiters.set(db, (l = new RateLimiter(db)));
  return l;
}

/** Counts one hit for `key` in the current window of `windowSeconds`; allowed while count ≤ max. */
export async function hitRateLimit(
  svc: Services,
  key: string,
  max: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  return limiterFor(svc.db).hit(key, max, windowSeconds, svc.now().getTime());
}

/** Writes this process's unflushed hits to the shared counters now (shutdown, tests). */
export async function flushRateLimits(svc: Pick<Services, 'db'>): Promise<void> {
  await limiters.get(svc.db)?.flush();
}

/** Deletes windows older than a day (called by the worker). */
export async function pruneRateLimits(svc: Services): Promise<void> {
  await svc.db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(svc.now().getTime() - 86_400_000)));
}
