/**
 * Fixed-window rate limiting with counters in PostgreSQL, so every web process shares them
 * (architecture: nothing another process needs is kept only in memory).
 *
 * Each process pre-aggregates its hits (ADR 0012): the first hit of a key in a window goes to the database
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
    if (c.pending >= FLUSH_EVERY) void this.flush();
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

  /** Writes every unflushed hit (one upsert per key); drops counters of windows that have ended. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const now = Date.now();
    let failed = false;
    for (const [id, c] of this.counters) {
      if (c.ready) continue;
      const n = c.pending;
      if (n > 0) {
        try {
          const count = await this.add(c.key, c.windowStart, n);
          // Hits counted while the upsert ran stay pending; the shared count now includes the n written.
          c.pending -= n;
          c.shared = count;
        } catch {
          failed = true;
          continue;
        }
      }
      // A counter whose window ended (by the wall clock) and has nothing to write is no longer needed.
      if (c.pending === 0 && c.windowEnd < now) this.counters.delete(id);
    }
    if (failed && ++this.failures >= MAX_FAILED_FLUSHES) {
      for (const c of this.counters.values()) c.pending = 0;
      this.failures = 0;
    } else if (!failed) this.failures = 0;
    if ([...this.counters.values()].some((c) => c.pending > 0)) this.schedule();
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
