/**
 * Fixed-window rate limiting with counters in PostgreSQL, so every web process shares them
 * (architecture: nothing another process needs is kept in memory).
 */
import { lt, sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** Counts one hit for `key` in the current window of `windowSeconds`; allowed while count ≤ max. */
export async function hitRateLimit(
  svc: Services,
  key: string,
  max: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  const now = svc.now().getTime();
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now / windowMs) * windowMs);
  const [row] = await query<{ count: number }>(
    svc.db,
    sql`insert into rate_limits (key, window_start, count) values (${key}, ${start.toISOString()}, 1)
        on conflict (key, window_start) do update set count = rate_limits.count + 1
        returning count`,
  );
  const count = Number(row!.count);
  return {
    allowed: count <= max,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((start.getTime() + windowMs - now) / 1000)),
  };
}

/** Deletes windows older than a day (called by the worker). */
export async function pruneRateLimits(svc: Services): Promise<void> {
  await svc.db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(svc.now().getTime() - 86_400_000)));
}
