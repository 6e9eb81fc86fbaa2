import { describe, expect, it } from 'vitest';
import type { AppDb } from '../db/client.ts';
import { ReadCache } from './read-cache.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms);
/** Two database handles (the cache keys on the handle's identity). */
const dbA = {} as AppDb;
const dbB = {} as AppDb;

function counter() {
  let calls = 0;
  return {
    load: () => Promise.resolve(++calls),
    get calls() {
      return calls;
    },
  };
}

describe('ReadCache', () => {
  it('reuses an answer while it is younger than ttlMs, per key and per database handle', async () => {
    const cache = new ReadCache<number>({ ttlMs: 60_000, max: 10 });
    const c = counter();
    expect(await cache.get(dbA, 'k', at(0), c.load)).toBe(1);
    expect(await cache.get(dbA, 'k', at(59_999), c.load)).toBe(1);
    expect(await cache.get(dbA, 'other', at(1), c.load)).toBe(2);
    expect(await cache.get(dbB, 'k', at(1), c.load)).toBe(3);
    expect(await cache.get(dbA, 'k', at(60_000), c.load)).toBe(4);
    // A clock set back makes the answer stale too.
    expect(await cache.get(dbA, 'k', at(30_000), c.load)).toBe(5);
  });

  it('reads again as soon as the data version changes, and keeps one answer per key', async () => {
    const cache = new ReadCache<number>({ ttlMs: 60_000, max: 1 });
    const c = counter();
    expect(await cache.get(dbA, 'k', at(0), c.load, 'v1')).toBe(1);
    expect(await cache.get(dbA, 'k', at(0), c.load, 'v1')).toBe(1);
    expect(await cache.get(dbA, 'k', at(0), c.load, 'v2')).toBe(2);
    expect(await cache.get(dbA, 'k', at(1), c.load, 'v2')).toBe(2);
    // The version read before the change is not served again (its answer was replaced).
    expect(await cache.get(dbA, 'k', at(2), c.load, 'v1')).toBe(3);
  });

  it('lets readers that arrive during a read wait for that read', async () => {
    const cache = new ReadCache<number>({ ttlMs: Infinity, max: 10 });
    let release: (n: number) => void = () => undefined;
    let calls = 0;
    const load = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = cache.get(dbA, 'k', at(0), load);
    const second = cache.get(dbA, 'k', at(10), load);
    release(42);
    expect(await Promise.all([first, second])).toEqual([42, 42]);
    expect(calls).toBe(1);
    expect(await cache.get(dbA, 'k', at(1e12), load)).toBe(42);
  });

  it('forgets a failed read, so the next reader reads again', async () => {
    const cache = new ReadCache<number>({ ttlMs: 60_000, max: 10 });
    await expect(cache.get(dbA, 'k', at(0), () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get(dbA, 'k', at(1), () => Promise.resolve(7))).toBe(7);
  });

  it('drops the oldest key past max, and reads every time once turned off', async () => {
    const cache = new ReadCache<number>({ ttlMs: 60_000, max: 2 });
    const c = counter();
    await cache.get(dbA, 'a', at(0), c.load);
    await cache.get(dbA, 'b', at(0), c.load);
    await cache.get(dbA, 'c', at(0), c.load);
    expect(await cache.get(dbA, 'c', at(1), c.load)).toBe(3);
    expect(await cache.get(dbA, 'a', at(1), c.load)).toBe(4);
    cache.reset(false);
    expect(await cache.get(dbA, 'a', at(2), c.load)).toBe(5);
    expect(await cache.get(dbA, 'a', at(3), c.load)).toBe(6);
    cache.reset();
    expect(await cache.get(dbA, 'a', at(4), c.load)).toBe(7);
    expect(await cache.get(dbA, 'a', at(5), c.load)).toBe(7);
  });
});
