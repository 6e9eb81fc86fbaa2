/**
 * The worker's daily open-data snapshot across a day boundary with the injectable clock, on an instance whose home
 * zone is WIB (ADUAN_TIME_ZONE=WIB; the default WITA is covered by src/http/api/v1/stats-time-zone.test.ts): one file
 * per WIB day with its checksum, nothing more on later ticks the same day, none twice after a restart or with two
 * workers ticking at once, a dead worker's claim taken over after the lease, and the served checksum.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startWorker, type Worker } from './worker.ts';
import { snapshotKey, SNAPSHOT_LEASE_MS } from '../commands/daily-open-data-snapshot.ts';

let t: TestApp;
const workers: Worker[] = [];

const rows = async (q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;
const snapshots = () => rows(sql`select path, sha256, created_at from open_data_snapshots order by id`);
const files = () =>
  readdirSync(join(t.runtime.config.dataDir, 'open-data'))
    .filter((f) => f.endsWith('.json'))
    .sort();

async function worker(): Promise<Worker> {
  const w = await startWorker(t.runtime.services, {
    transports: {},
    autoStart: false,
    openDataDir: t.runtime.config.dataDir,
  });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  // Monday 2 November 2026, 22:00 WIB.
  t = await startTestApp({ now: new Date('2026-11-02T15:00:00Z'), timeZone: 'WIB' });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await t?.close();
});

describe('daily open-data snapshot from the worker schedule', () => {
  it('writes one snapshot per WIB day across midnight, restarts and concurrent workers', async () => {
    const a = await worker();
    await a.runScheduled();
    expect(await snapshots()).toHaveLength(1);
    // Later ticks the same day (23:55 WIB): nothing new.
    t.setNow(new Date('2026-11-02T16:55:00Z'));
    await a.runScheduled();
    await a.runScheduled({ full: true });
    expect(await snapshots()).toHaveLength(1);

    // A restarted worker, still 2 November (23:59 WIB): nothing new either.
    await a.stop();
    const b = await worker();
    t.setNow(new Date('2026-11-02T16:59:00Z'));
    await b.runScheduled();
    expect(await snapshots()).toHaveLength(1);

    // Past midnight WIB (00:05 on 3 November; still 2 November in UTC): two workers tick at once.
    t.setNow(new Date('2026-11-02T17:05:00Z'));
    const c = await worker();
    await Promise.all([b.runScheduled(), c.runScheduled(), b.runScheduled()]);
    const all = await snapshots();
    expect(all).toHaveLength(2);
    expect(files()).toHaveLength(2);
    const keys = await rows(
      sql`select key, value from settings where key like 'open_data.snapshot:%' order by key`,
    );
    expect(keys.map((k) => [k.key, k.value.state])).toEqual([
      [snapshotKey('2026-11-02'), 'done'],
      [snapshotKey('2026-11-03'), 'done'],
    ]);
    // Each file matches its checksum file and the recorded sha256.
    for (const s of all) {
      const bytes = readFileSync(s.path);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(sha).toBe(s.sha256);
      expect(readFileSync(`${s.path}.sha256`, 'utf8')).toMatch(new RegExp(`^${sha}  `));
    }
    const served = await fetch(`${t.url}/api/v1/open-data/snapshots/latest`);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(served.headers.get('x-checksum-sha256')).toBe(all[1].sha256);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(all[1].sha256);
  });

  it('takes over the day from a worker that died after claiming it, once the lease has passed', async () => {
    // A worker claimed 4 November at 00:01 WIB and died before writing.
    const claimedAt = new Date('2026-11-03T17:01:00Z');
    await t.runtime.services.db.execute(
      sql`insert into settings (key, value)
          values (${snapshotKey('2026-11-04')}, ${JSON.stringify({ state: 'claimed', at: claimedAt.toISOString() })}::jsonb)`,
    );
    const w = await worker();
    t.setNow(new Date(claimedAt.getTime() + SNAPSHOT_LEASE_MS - 60_000));
    await w.runScheduled();
    expect(await snapshots()).toHaveLength(2);
    t.setNow(new Date(claimedAt.getTime() + SNAPSHOT_LEASE_MS + 60_000));
    await w.runScheduled();
    expect(await snapshots()).toHaveLength(3);
    await w.runScheduled();
    expect(await snapshots()).toHaveLength(3);
    expect(files()).toHaveLength(3);
  });
});
