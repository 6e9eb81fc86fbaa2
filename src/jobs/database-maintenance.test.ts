/**
 * The worker's database maintenance (src/commands/maintain-database.ts): `VACUUM ANALYZE` on the first scheduled run
 * and then once the interval has passed (injectable clock), never from a worker without the option; `aduan serve` and
 * `aduan worker` turn it on for the embedded PGlite only, which has no autovacuum. Real database, real worker.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, submitReport, type TestApp } from '../../test/helpers/app.ts';
import { maintainEveryHoursFor } from '../cli/worker-commands.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
const workers: Worker[] = [];
const HOUR = 3_600_000;

/** Whether PostgreSQL holds statistics of the reports' full-text column (gathered by ANALYZE). */
const searchStats = async () =>
  (
    (await t.runtime.services.db.execute(
      sql`select count(*)::int as n from pg_stats
           where schemaname = current_schema() and tablename = 'reports' and attname = 'search'`,
    )) as unknown as { rows: Array<{ n: number }> }
  ).rows[0]!.n > 0;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-02T02:00:00Z'), limits: { submitPerMinute: 1000 } });
}, 60_000);
afterAll(async () => {
  for (const w of workers) await w.stop();
  await t?.close();
});

describe('database maintenance on the worker schedule', () => {
  it('vacuums and analyses on the first run, then once a day', async () => {
    for (let i = 0; i < 5; i++)
      await submitReport(t, `Lampu penerangan jalan mati di gang nomor ${i}`, {
        reporter: { name: 'Warga Sintetis' },
      });
    const lines: string[] = [];
    const idle = await startWorker(t.runtime.services, {
      transports: {},
      autoStart: false,
      log: (l) => lines.push(l),
    });
    workers.push(idle);
    await idle.runScheduled();
    expect(lines.filter((l) => l.startsWith('database maintenance'))).toEqual([]);
    // PGlite never analyses by itself: before the maintenance there are no statistics (a PostgreSQL server's
    // autovacuum may have gathered them already).
    if (t.runtime.database.kind === 'pglite') expect(await searchStats()).toBe(false);

    const w = await startWorker(t.runtime.services, {
      transports: {},
      autoStart: false,
      maintainEveryHours: 24,
      log: (l) => lines.push(l),
    });
    workers.push(w);
    const runs = () => lines.filter((l) => /^database maintenance: vacuum analyze in \d+ ms$/.test(l)).length;
    await w.runScheduled();
    expect(runs(), lines.join('\n')).toBe(1);
    expect(await searchStats()).toBe(true);
    t.setNow(new Date(t.clock.now.getTime() + 23 * HOUR));
    await w.runScheduled();
    expect(runs()).toBe(1);
    t.setNow(new Date(t.clock.now.getTime() + 1 * HOUR));
    await w.runScheduled();
    expect(runs()).toBe(2);
  });

  it('is on for the embedded PGlite only', () => {
    expect(maintainEveryHoursFor({ kind: 'pglite' })).toBe(24);
    expect(maintainEveryHoursFor({ kind: 'postgres' })).toBe(0);
  });
});
