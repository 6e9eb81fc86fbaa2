/**
 * Rate limits: exact within a process, shared through the rate_limits rows across processes (each process
 * flushes its locally counted hits in the background; ADR 0008), and a new window starts a new count.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../app/context.ts';
import { rateLimits } from '../db/schema.ts';
import { flushRateLimits, hitRateLimit } from './rate-limit.ts';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
const at = new Date('2026-03-02T03:00:10Z');

beforeAll(async () => {
  t = await startTestApp({ now: at });
});
afterAll(() => t?.close());

/** A second web process: its own database handle (and so its own local counters) over the same database. */
function otherProcess(svc: Services): Services {
  return { ...svc, db: Object.create(svc.db) as Services['db'] };
}

async function sharedCount(svc: Services, key: string, windowStart: Date): Promise<number | undefined> {
  const [row] = await svc.db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)));
  return row?.count;
}

describe('hitRateLimit', () => {
  it('allows max hits per window in one process, then refuses with the seconds left', async () => {
    const svc = t.runtime.services;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hitRateLimit(svc, 'test:one', 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results[4]!.retryAfterSeconds).toBe(50);
  });

  it('counts concurrent hits exactly', async () => {
    const svc = t.runtime.services;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => hitRateLimit(svc, 'test:burst', 4, 60)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('writes local hits to the shared row, where another process sees them', async () => {
    const a = t.runtime.services;
    const b = otherProcess(a);
    const window = new Date('2026-03-02T03:00:00Z');
    await hitRateLimit(a, 'test:shared', 4, 60);
    await hitRateLimit(a, 'test:shared', 4, 60);
    await hitRateLimit(a, 'test:shared', 4, 60);
    await flushRateLimits(a);
    expect(await sharedCount(a, 'test:shared', window)).toBe(3);
    // The other process's first hit in the window reads the shared count.
    expect(await hitRateLimit(b, 'test:shared', 4, 60)).toMatchObject({ allowed: true, count: 4 });
    expect(await hitRateLimit(b, 'test:shared', 4, 60)).toMatchObject({ allowed: false, count: 5 });
    await flushRateLimits(b);
    expect(await sharedCount(a, 'test:shared', window)).toBe(5);
    // After its next flush, the first process decides with the other's hits included.
    await hitRateLimit(a, 'test:shared', 4, 60);
    await flushRateLimits(a);
    expect(await hitRateLimit(a, 'test:shared', 4, 60)).toMatchObject({ allowed: false, count: 7 });
  });

  it('flushes in the background without being asked', async () => {
    const svc = t.runtime.services;
    const window = new Date('2026-03-02T03:00:00Z');
    await hitRateLimit(svc, 'test:background', 10, 60);
    await hitRateLimit(svc, 'test:background', 10, 60);
    expect(await sharedCount(svc, 'test:background', window)).toBe(1);
    await expect
      .poll(() => sharedCount(svc, 'test:background', window), { interval: 50, timeout: 10_000 })
      .toBe(2);
  });

  it('starts a new count in the next window', async () => {
    const svc = t.runtime.services;
    for (let i = 0; i < 3; i++) await hitRateLimit(svc, 'test:window', 2, 60);
    t.clock.now = new Date(at.getTime() + 60_000);
    try {
      expect(await hitRateLimit(svc, 'test:window', 2, 60)).toMatchObject({ allowed: true, count: 1 });
    } finally {
      t.clock.now = at;
    }
  });
});
