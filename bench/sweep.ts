/**
 * `npm run bench:sweep`: the deadline sweeper over 1,000,000 open reports on PostgreSQL (dedicated database
 * `aduan_bench_sweep`, cloned from the seeded template each run). Rows are bulk-inserted with INSERT … SELECT generate_series:
 * reports `in_progress` at a unit, each with a running follow_up clock, due times spread evenly over a year
 * (30 days of backlog, 335 days ahead). Measures: the full sweep plan with nothing done yet; how many
 * planned actions per second 1, 2 and 4 workers perform through the real commands (own connection pools,
 * actions partitioned by report); the full sweep again once everything due is done (steady state); and
 * incremental sweeps 5 minutes and 24 hours after the watermark. Prints Markdown.
 * Env: DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REPORTS,
 * BENCH_ACTIONS (actions performed per worker count, default 1200).
 * The seeded, never-swept state is kept in the template database `aduan_bench_sweep_seed`; each run works on
 * a clone (`CREATE DATABASE aduan_bench_sweep TEMPLATE aduan_bench_sweep_seed`, seconds instead of minutes;
 * `aduan_bench_sweep_seed_<N>` for other BENCH_REPORTS). BENCH_KEEP=1 keeps both databases after the run
 * (default: the clone is dropped, and the template too unless it was reused); BENCH_REUSE=1 clones the kept
 * template instead of seeding again. BENCH_SEED_ONLY=1 stops after seeding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { query } from '../src/db/client.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { seedDemoOrganisation } from '../src/seed/demo.ts';
import { performAll, planSweep, runSweep, type SweepAction } from '../src/jobs/sweeper.ts';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 1200);
const DB = 'aduan_bench_sweep';
/** The seeded, never-swept state (template of DB), one per size. */
const SEED_DB = N === 1_000_000 ? 'aduan_bench_sweep_seed' : `aduan_bench_sweep_seed_${N}`;
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const AT = new Date('2026-09-15T03:00:00Z'); // a Tuesday, 10.00 WIB
const DAY = 86_400_000;

const urlOf = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};
const dbUrl = urlOf(DB);

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, (performance.now() - t0) / 1000];
}

async function open(dataDir: string): Promise<Runtime> {
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    ADUAN_DATA_DIR: dataDir,
    ADUAN_SECRET_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'silent',
  });
  return openRuntime(config, { now: () => AT, skipSetup: true });
}

/** Seeds SEED_DB (demo organisation + N reports with running clocks, never swept); returns seconds. */
async function seed(dataDir: string): Promise<number> {
  await admin(async (c) => {
    await c.query(`drop database if exists ${SEED_DB} with (force)`);
    await c.query(`create database ${SEED_DB}`);
  });
  const config = loadConfig({
    DATABASE_URL: urlOf(SEED_DB),
    ADUAN_DATA_DIR: dataDir,
    ADUAN_SECRET_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'silent',
  });
  const rt = await openRuntime(config, { now: () => AT });
  await seedDemoOrganisation(rt.services.db, { password: 'bench-password', open311Key: 'bench-key' });
  const db = rt.services.db;
  const [, seedS] = await time(async () => {
    const start = new Date(AT.getTime() - 30 * DAY).toISOString();
    const step = (365 * DAY) / N / 1000; // seconds between consecutive due times
    await db.execute(
      sql.raw(`
      insert into reports (id, tracking_id, access_key_hash, classification, title, body, region_code,
        target_agency_id, agency_id, dispatched_agency_id, status, channel, created_at, updated_at)
      select md5('r' || i)::uuid, (1000000000 + i)::text, 'x', 'pengaduan', 'Laporan uji ' || i,
        'Isi laporan uji untuk benchmark sweeper', '64.72.02', 'pupr-kaltim', 'pupr-kaltim-unit', 'pupr-kaltim',
        'in_progress', 'api',
        '${AT.toISOString()}'::timestamptz - ((i % 50) || ' days')::interval,
        '${AT.toISOString()}'::timestamptz
      from generate_series(1, ${N}) i`),
    );
    await db.execute(
      sql.raw(`
      insert into report_deadlines (report_id, clock, agency_id, rule_id, rule_version, started_at, due_at, explanation)
      select md5('r' || i)::uuid, 'follow_up', 'pupr-kaltim-unit', 'follow_up', 1,
        '${start}'::timestamptz, '${start}'::timestamptz + (i * ${step} || ' seconds')::interval, '{}'::jsonb
      from generate_series(1, ${N}) i`),
    );
    await db.execute(sql`vacuum analyze reports`);
    await db.execute(sql`vacuum analyze report_deadlines`);
  });
  await rt.close();
  return seedS;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aduan-bench-sweep-'));
  const seeded = REUSE
    ? await admin(
        async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [SEED_DB])).rowCount,
      )
    : 0;
  let seedS = 0;
  if (!seeded) seedS = await seed(dataDir);
  if (process.env.BENCH_SEED_ONLY === '1') {
    console.log(`seeded ${SEED_DB} with ${N} reports in ${seedS.toFixed(1)} s`);
    return;
  }
  const [, cloneS] = await time(() =>
    admin(async (c) => {
      await c.query(`drop database if exists ${DB} with (force)`);
      await c.query(`create database ${DB} template ${SEED_DB}`);
    }),
  );
  // Migrations added since the template was seeded are applied to the clone (setup runs).
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    ADUAN_DATA_DIR: dataDir,
    ADUAN_SECRET_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'silent',
  });
  const rt = await openRuntime(config, { now: () => AT });
  const db = rt.services.db;
  const [{ n: reportCount } = { n: 0 }] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from reports`,
  );
  const [full, fullS] = await time(() => planSweep(rt.services, AT));
  // Steady state: record every planned step as done (as performing the full sweep would), except the
  // slices the throughput runs perform below through the real commands.
  const keep = full.slice(3 * ACTIONS);
  const [, markS] = await time(async () => {
    for (let i = 0; i < keep.length; i += 5000) {
      const chunk = keep.slice(i, i + 5000);
      await db.execute(sql`insert into sweep_log (key, report_id, action, created_at)
        select k, r.id, a, ${AT.toISOString()}::timestamptz
        from unnest(${sql.raw(`array[${chunk.map((a) => `'${a.key}'`).join(',')}]`)}::text[],
                    ${sql.raw(`array[${chunk.map((a) => `'${a.trackingId}'`).join(',')}]`)}::text[],
                    ${sql.raw(`array[${chunk.map((a) => `'${a.action}'`).join(',')}]`)}::text[]) as u(k, t, a)
        join reports r on r.tracking_id = u.t on conflict do nothing`);
    }
    await db.execute(sql`analyze sweep_log`);
  });

  // Throughput: perform disjoint slices of the full plan with 1, 2, 4 workers (own pools), actions
  // partitioned by report; one deadline's overdue mark and ladder steps share a transaction.
  const lines: string[] = [];
  let offset = 0;
  for (const workers of [1, 2, 4]) {
    const slice = full.slice(offset, offset + ACTIONS);
    offset += ACTIONS;
    const rts = await Promise.all(Array.from({ length: workers }, () => open(dataDir)));
    const parts = rts.map((_, w) => slice.filter((a) => Number(a.trackingId.slice(-4)) % workers === w));
    const [, s] = await time(() => Promise.all(rts.map((r, w) => performAll(r.services, parts[w]!))));
    const bad = slice.filter((a) => a.result !== 'done').length;
    const reports = new Set(slice.map((a) => a.trackingId)).size;
    const txs = new Set(slice.map((a) => a.key.split(':')[1])).size;
    lines.push(
      `| ${workers} | ${slice.length} | ${reports} | ${txs} | ${s.toFixed(2)} | ${(slice.length / s).toFixed(0)} | ${(reports / s).toFixed(0)} |${bad ? ` ${bad} not done` : ''}`,
    );
    await Promise.all(rts.map((r) => r.close()));
  }

  // Everything due at AT is now done: a full sweep at AT finds nothing (steady state).
  const [steady, steadyS] = await time(() => planSweep(rt.services, AT));
  const [steadyRun, steadyRunS] = await time(() => runSweep(rt.services, AT, { dryRun: false }));
  const at2 = new Date(AT.getTime() + 5 * 60_000);
  const [inc, incS] = await time(() => planSweep(rt.services, at2, { since: AT }));
  const at3 = new Date(AT.getTime() + DAY);
  const [inc24, inc24S] = await time(() => planSweep(rt.services, at3, { since: AT }));
  const [full24, full24S] = await time(() => planSweep(rt.services, at3));
  // An incremental sweep that performs what it finds (the worker's 5-minute sweep), end to end.
  rt.services.now = () => at2;
  const [incRun, incRunS] = await time(() =>
    runSweep(rt.services, at2, { dryRun: false, incremental: true }),
  );

  const byAction = (a: SweepAction[]) =>
    Object.entries(
      a.reduce<Record<string, number>>((m, x) => ((m[x.action] = (m[x.action] ?? 0) + 1), m), {}),
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  await rt.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (!KEEP)
    await admin(async (c) => {
      await c.query(`drop database if exists ${DB} with (force)`);
      if (!seeded) await c.query(`drop database if exists ${SEED_DB} with (force)`);
    });

  const load = (await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  console.log(`### Sweep over ${reportCount.toLocaleString('en')} open reports (PostgreSQL ${DB})\n`);
  console.log(`Load average at the end: ${load} (${(await import('node:os')).cpus().length} CPUs)\n`);
  console.log(
    (seeded
      ? `Seeded state reused from ${SEED_DB}; `
      : `Seeding (INSERT … SELECT generate_series, reports + deadlines + analyze): ${seedS.toFixed(1)} s; `) +
      `clone: ${cloneS.toFixed(1)} s; recording the planned steps as done: ${markS.toFixed(1)} s` +
      (KEEP ? `; kept: ${SEED_DB} (never swept), ${DB} (after the run)` : '') +
      '\n',
  );
  console.log('| sweep | actions | time (s) |');
  console.log('| --- | --- | --- |');
  console.log(`| full plan, nothing done yet | ${full.length} (${byAction(full)}) | ${fullS.toFixed(3)} |`);
  console.log(`| full plan, steady state (all done) | ${steady.length} | ${steadyS.toFixed(3)} |`);
  console.log(
    `| full sweep run (plan + perform + watermark), steady state | ${steadyRun.length} | ${steadyRunS.toFixed(3)} |`,
  );
  console.log(`| incremental plan, +5 min | ${inc.length} (${byAction(inc)}) | ${incS.toFixed(3)} |`);
  console.log(
    `| incremental run (plan + perform), +5 min | ${incRun.length} (${byAction(incRun)}; ${incRun.filter((a) => a.result === 'done').length} done) | ${incRunS.toFixed(3)} |`,
  );
  console.log(`| incremental plan, +24 h | ${inc24.length} (${byAction(inc24)}) | ${inc24S.toFixed(3)} |`);
  console.log(
    `| full plan, +24 h (for comparison) | ${full24.length} (${byAction(full24)}) | ${full24S.toFixed(3)} |`,
  );
  console.log('\n| workers | actions | reports | transactions | time (s) | actions/s | reports/s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const l of lines) console.log(l);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
