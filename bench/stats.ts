/**
 * `npm run bench:stats`: statistics dashboards at 1,000,000 reports over 3 years and 600 agencies on
 * PostgreSQL (dedicated database `aduan_bench_stats`, dropped at the end).
 *
 * Load: 600 agencies (38 provincial governments, each with dinas and units below) and 1M `reports` rows
 * with bulk `INSERT … SELECT generate_series`, plus their `stats_report_facts` rows built in SQL with the
 * same shape `factOf` writes, typed columns included (generating facts in JS through `refreshStats` for 1M
 * synthetic reports would dominate the run), then every roll-up bucket through `rebuildBuckets` (the
 * roll-up half of `refreshStats`: months, weeks, quarters, years) and one incremental `refreshStats` on top.
 * Measure: p50/p95 over real HTTP (timed loop, sequential, after warm-up; each request aborted after
 * BENCH_TIMEOUT_MS) of the public `/statistik`, an agency dashboard, a provincial (coordinator) dashboard,
 * `GET /api/v1/stats?groupBy=agency` for one year; and one evaluation run (snapshot build + evaluate)
 * for a period with 30 participants.
 * Env: DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_REPORTS (default 1000000), BENCH_ITER (default 40), BENCH_TIMEOUT_MS (default 10000),
 * BENCH_DB names the database (default aduan_bench_stats); BENCH_KEEP=1 keeps it for inspection (drop it by hand); BENCH_REUSE=1 reuses a kept database
 * holding BENCH_REPORTS bench reports (no seeding: migrations run, the roll-up is rebuilt only when its
 * layout version changed or BENCH_REBUILD=1); BENCH_EVAL=0 skips the evaluation run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { buildApp } from '../src/http/app.ts';
import { query } from '../src/db/client.ts';
import { rebuildBuckets, refreshStats, ROLLUP_VERSION } from '../src/commands/refresh-stats.ts';
import { HOUR_LOWS, WORKING_DAY_LOWS } from '../src/domain/stats/rollup.ts';
import { buildOpenDataSnapshot } from '../src/queries/open-data-snapshot.ts';
import { loadEvaluationConfig } from '../src/queries/evaluation.ts';
import { evaluate } from '../src/domain/evaluation/evaluate.ts';
import { seedDemoOrganisation } from '../src/seed/demo.ts';
import { setStatsCacheEnabled } from '../src/queries/stats-cache.ts';

const N = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const ITER = Number(process.env.BENCH_ITER ?? 40);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
/** SQL CASE giving the histogram bucket index of `expr` (the SQL twin of `bucketOf`). */
const bucketCase = (expr: string, lows: readonly number[]) =>
  `case when ${expr} is null then null ${lows
    .map((lo, i) => [lo, i] as const)
    .reverse()
    .map(([lo, i]) => `when ${expr} >= ${lo} then ${i}`)
    .join(' ')} else 0 end`;
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = process.env.BENCH_DB ?? 'aduan_bench_stats';
const NOW = new Date('2026-11-20T02:00:00Z');

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const url = new URL(ADMIN_URL);
url.pathname = `/${NAME}`;
/** Bench reports in a kept database (null when there is none), for BENCH_REUSE. */
async function keptReports(): Promise<number | null> {
  const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [NAME]);
  if (!rowCount) return null;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      "select count(*)::int as n from reports where tracking_id >= '1000000000'",
    );
    return rows[0]?.n ?? null;
  } catch {
    return null;
  } finally {
    await c.end();
  }
}
const reuse = !!process.env.BENCH_REUSE && (await keptReports()) === N;
if (!reuse) {
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${NAME}`);
}
console.log(reuse ? `reusing ${NAME} (${N} reports)` : `seeding ${NAME}`);
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-bench-stats-'));
const t0 = Date.now();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const lap = (label: string) =>
  console.log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s (load average ${load()})`);

const config = loadConfig({
  ...process.env,
  DATABASE_URL: url.toString(),
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  LOG_LEVEL: 'silent',
});
const rt = await openRuntime(config, { now: () => NOW });
const db = rt.services.db;
/** Bench agencies, reports and their facts (SQL, no JS per report). */
async function seed(): Promise<void> {
  await seedDemoOrganisation(db, { password: 'bench-password-123', open311Key: config.demoOpen311Key });
  // 600 agencies: per province a pemprov root, dinas below it, units below the dinas.
  await query(
    db,
    sql`with prov as (select code, row_number() over (order by code) as i from regions where level = 1),
        roots as (
          insert into agencies (id, name, kind, parent_id, path, region_code, zone)
          select 'b-pemprov-' || code, 'Pemerintah Provinsi ' || code, 'government', null,
                 '/b-pemprov-' || code || '/', code, 'WITA' from prov returning id, region_code, path),
        dinas as (
          insert into agencies (id, name, kind, parent_id, path, region_code, zone)
          select 'b-dinas-' || r.region_code || '-' || d, 'Dinas ' || d || ' Provinsi ' || r.region_code, 'agency',
                 r.id, r.path || 'b-dinas-' || r.region_code || '-' || d || '/', r.region_code, 'WITA'
          from roots r, generate_series(1, 7) d returning id, region_code, path)
        insert into agencies (id, name, kind, parent_id, path, region_code, zone)
        select 'b-unit-' || substr(d.id, 8) || '-' || u, 'Bidang ' || u || ' ' || d.id, 'unit', d.id,
               d.path || 'b-unit-' || substr(d.id, 8) || '-' || u || '/', d.region_code, 'WITA'
        from dinas d, generate_series(1, 8) u
        limit ${600 - 38 - 38 * 7}`,
  );
  const [{ n: seeded } = { n: 0 }] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from agencies where id like 'b-%'`,
  );
  lap(`agencies: ${seeded}`);
  // 1M reports over 3 years (2024-01-01 .. 2026-11-19), half of them in Kalimantan Timur's kab/kota. As in
  // LAPOR!, a report is handled by an agency of its own province (9 in 10) or by any agency (1 in 10).
  await query(
    db,
    sql`with agp as (select region_code as prov, array_agg(id order by id) ids from agencies
                     where id like 'b-%' and kind <> 'government' group by region_code),
        ag as (select array_agg(id order by id) ids from agencies where id like 'b-%' and kind <> 'government'),
        kab as (select array_agg(code order by code) codes from regions where level = 2),
        kt as (select array_agg(code order by code) codes from regions where level = 2 and code like '64.%'),
        cat as (select array_agg(id order by id) ids from categories where parent_id is null),
        src as (
          select g, ts, case when g % 2 = 0 then kt.codes[1 + (g / 2) % array_length(kt.codes, 1)]
                             else kab.codes[1 + g % array_length(kab.codes, 1)] end as rc
          from kab, kt, generate_series(1, ${N}) g,
            lateral (select timestamptz '2024-01-01 01:00+00' + (g::float8 / ${N}) * interval '1054 days' as ts) x)
        insert into reports (tracking_id, access_key_hash, classification, title, body, region_code, category_id,
          status, channel, agency_id, verified_at, first_response_at, responded_at, closed_at, rating,
          return_count, misrouted_working_days, reopen_count, created_at, updated_at)
        select (1000000000 + g)::text, 'x', (array['pengaduan','aspirasi','permintaan_informasi'])[1 + g % 3],
          'Laporan uji ' || g, 'Isi laporan uji beban statistik.', rc,
          cat.ids[1 + g % array_length(cat.ids, 1)],
          (array['completed','completed','completed','in_progress','responded','dispatched','submitted'])[1 + g % 7],
          (array['web','web','api','sms','email','walk_in','open311'])[1 + (g / 7) % 7],
          case when g % 7 = 6 then null
               when g % 10 = 0 or agp.ids is null then ag.ids[1 + ((g::bigint * 7919) % array_length(ag.ids, 1))::int]
               else agp.ids[1 + ((g::bigint * 7919) % array_length(agp.ids, 1))::int] end,
          ts + interval '20 hours', case when g % 7 < 5 then ts + interval '3 days' end,
          case when g % 7 < 5 then ts + interval '9 days' end, case when g % 7 < 3 then ts + interval '12 days' end,
          case when g % 7 < 3 and g % 4 <> 0 then 1 + g % 5 end, (g % 23 = 0)::int, case when g % 23 = 0 then 2 else 0 end,
          (g % 41 = 0)::int, ts, ts
        from src left join agp on agp.prov = split_part(src.rc, '.', 1), ag, cat`,
  );
  lap(`reports: ${N}`);
  // Facts in the shape factOf writes (working days approximated as calendar days × 5/7), typed columns included.
  await query(
    db,
    sql.raw(`insert into stats_report_facts (report_id, tracking_id, created_date, month, agency_id, agency_path, region_code,
          confidential, is_public, open_due_at, category_id, classification, channel, counters,
          b_follow_up, b_follow_up_hours, b_completion, fact, refreshed_at)
        select x.id, x.tracking_id, x.created_date, to_char(x.created_date, 'YYYY-MM'), x.agency_id, x.path, x.region_code, false,
          x.status <> 'submitted',
          case when x.status in ('dispatched','in_progress','submitted') then x.created_at + interval '14 days' end,
          x.category_id, x.classification, x.channel,
          array[1, x.verified::int, x.verified::int, (x.von is true)::int, x.verified::int, (x.return_count > 0)::int,
                x.return_count, x.misrouted_working_days, (x.fon is not null)::int, (x.fon is true)::int,
                (x.status = 'completed')::int, coalesce(x.rating, 0), (x.rating is not null)::int,
                (x.reopen_count > 0)::int, (x.reopen_count > 0)::int],
          ${bucketCase('x.wdfu', WORKING_DAY_LOWS)}, ${bucketCase('x.hfu', HOUR_LOWS)}, ${bucketCase('x.wdco', WORKING_DAY_LOWS)},
          jsonb_build_object(
            'trackingId', x.tracking_id, 'status', x.status, 'agencyId', x.agency_id,
            'createdAt', x.created_at, 'verifiedAt', x.verified_at, 'firstResponseAt', x.first_response_at,
            'respondedAt', x.responded_at, 'closedAt', x.closed_at, 'createdDate', x.created_date,
            'agencyPath', coalesce(to_jsonb(string_to_array(trim(both '/' from x.path), '/')), '[]'::jsonb),
            'regionCode', x.region_code, 'categoryId', x.category_id, 'classification', x.classification,
            'channel', x.channel, 'verified', x.verified, 'verifiedOnTime', x.von,
            'workingDaysToVerify', case when x.verified then 1 end,
            'dispatched', x.verified, 'returnCount', x.return_count,
            'misroutedWorkingDays', x.misrouted_working_days, 'followedUpOnTime', x.fon,
            'completed', x.status = 'completed', 'workingDaysToFollowUp', x.wdfu, 'hoursToFollowUp', x.hfu,
            'workingDaysToCompletion', x.wdco, 'rating', x.rating, 'disputed', x.reopen_count > 0,
            'reopenCount', x.reopen_count),
          now()
        from (select r.*, a.path, (r.created_at at time zone 'Asia/Makassar')::date as created_date,
                r.status <> 'submitted' as verified,
                case when r.status = 'submitted' then null else (r.id::text < 'e') end as von,
                case when r.first_response_at is null then null else (r.id::text < 'c') end as fon,
                case when r.first_response_at is not null then 2 + (r.return_count * 2) end as wdfu,
                case when r.first_response_at is not null then 52 end as hfu,
                case when r.status = 'completed' then 6 + (ascii(r.id::text) % 9) end as wdco
              from reports r left join agencies a on a.id = r.agency_id) x`),
  );
  await query(db, sql`analyze`);
  lap('facts');
}

/** Every roll-up bucket from the facts (the roll-up half of `refreshStats`), then one incremental refresh. */
async function buildRollup(): Promise<void> {
  await query(db, sql`delete from stats_rollup`);
  const dates = await query<{ d: string }>(
    db,
    sql`select distinct created_date::text as d from stats_report_facts order by 1`,
  );
  const r0 = performance.now();
  const months = await rebuildBuckets(
    db,
    dates.map((d) => d.d),
    NOW,
  );
  const rollupSeconds = (performance.now() - r0) / 1000;
  // Mark the read model as refreshed now (the facts above are current), then one incremental refresh.
  await query(
    db,
    sql`insert into settings (key, value) values ('stats.refresh', ${JSON.stringify({ at: NOW.toISOString(), reports: N, rollup: ROLLUP_VERSION })}::jsonb)
        on conflict (key) do update set value = excluded.value`,
  );
  const i0 = performance.now();
  const inc = await refreshStats(rt.services);
  const incSeconds = (performance.now() - i0) / 1000;
  await query(db, sql`analyze stats_rollup`);
  const [size] = await query<{ n: number; bytes: string }>(
    db,
    sql`select count(*)::int as n, pg_size_pretty(pg_total_relation_size('stats_rollup')) as bytes from stats_rollup`,
  );
  lap(
    `roll-up: ${months.length} months + weeks/quarters/years in ${rollupSeconds.toFixed(1)} s, ${size!.n} rows (${size!.bytes}); incremental refresh: ${inc.reports} reports in ${incSeconds.toFixed(1)} s`,
  );
}

try {
  if (!reuse) await seed();
  const [{ n: agencyCount } = { n: 0 }] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from agencies where id like 'b-%'`,
  );
  const [mark] = await query<{ rollup: number | null }>(
    db,
    sql`select (value->>'rollup')::int as rollup from settings where key = 'stats.refresh'`,
  );
  if (!reuse || process.env.BENCH_REBUILD || mark?.rollup !== ROLLUP_VERSION) await buildRollup();
  else lap('roll-up kept (same layout version)');

  const app = await buildApp({ services: rt.services, logLevel: 'silent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = async (email: string) => {
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'bench-password-123' }),
    });
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (r.status !== 200 || !cookie) throw new Error(`login ${email}: ${r.status}`);
    return cookie;
  };
  // The clock is frozen, so every run of a kept database shares one login-throttling window.
  await query(db, sql`delete from rate_limits`);
  // The agency dashboard measured is the busiest bench dinas (its subtree): re-point the PUPR admin's grant to it.
  const [busiest] = await query<{ agency_id: string }>(
    db,
    sql`select agency_id from stats_report_facts where agency_id like 'b-dinas-64-%' group by 1 order by count(*) desc limit 1`,
  );
  await query(
    db,
    sql`update role_grants set agency_id = ${busiest!.agency_id} where agency_id = 'pupr-kaltim' and role = 'agency_admin'`,
  );
  const puprCookie = await login('pupr.kaltim@demo.aduan.id');
  const coordCookie = await login('diskominfo.kaltim@demo.aduan.id');
  const year = 'dari=2026-01-01&sampai=2026-11-19';
  const targets: [string, string, string | null][] = [
    ['public /statistik (2026, Kalimantan Timur)', '/statistik?tahun=2026', null],
    [
      'agency dashboard /kantor/statistik (dinas subtree, 1 year)',
      `/kantor/statistik?kelompok=category&${year}`,
      puprCookie,
    ],
    [
      'provincial dashboard /kantor/statistik (region 64, 1 year)',
      `/kantor/statistik?kelompok=region&${year}`,
      coordCookie,
    ],
    [
      'GET /api/v1/stats?groupBy=agency (1 year)',
      '/api/v1/stats?groupBy=agency&from=2025-11-20&to=2026-11-19',
      null,
    ],
  ];
  lap('measuring');
  const rows: string[] = [];
  for (const cache of [false, true])
    for (const [label0, path, cookie] of targets) {
      setStatsCacheEnabled(cache);
      const label = `${label0}${cache ? ' — cached' : ' — uncached'}`;
      const headers: Record<string, string> = cookie ? { cookie } : {};
      const times: number[] = [];
      let bytes = 0;
      let timeouts = 0;
      for (let i = 0; i < ITER + 3 && timeouts < 3; i++) {
        const s = performance.now();
        try {
          const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
          const body = await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          bytes = body.byteLength;
        } catch (e) {
          if ((e as Error).name !== 'TimeoutError') throw e;
          timeouts++;
          continue;
        }
        if (i >= 3) times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) =>
        times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1) : '—';
      const p95 = times.length
        ? times[Math.min(times.length - 1, Math.floor(0.95 * times.length))]!
        : Infinity;
      const verdict = timeouts
        ? `not met (${timeouts} timeouts > ${TIMEOUT_MS} ms)`
        : p95 < 100
          ? 'met'
          : 'not met';
      rows.push(`| ${label} | ${q(0.5)} | ${q(0.95)} | ${bytes.toLocaleString('en')} | ${verdict} |`);
      console.log(rows.at(-1));
    }
  await app.close();
  // One evaluation run (BENCH_EVAL=0 skips it): 30 participants (bench dinas of Kalimantan Timur), period = 2026.
  let evalRow = '';
  if (process.env.BENCH_EVAL !== '0') {
    const parts = await query<{ id: string }>(
      db,
      sql`select id from agencies where id like 'b-dinas-64-%' or id like 'b-dinas-63-%' order by id limit 30`,
    );
    await query(
      db,
      sql`insert into evaluation_periods (id, name, from_date, to_date, weights, thresholds, min_volume)
    values ('bench-2026', 'Bench 2026', '2026-01-01', '2026-12-31', ${JSON.stringify({ volume: 10, completion_rate: 15, follow_up_timeliness: 15 })}::jsonb,
      ${JSON.stringify([
        { predikat: 'Baik', min: 70 },
        { predikat: 'Kurang', min: 0 },
      ])}::jsonb, 10) on conflict do nothing`,
    );
    await query(
      db,
      sql`insert into evaluation_groups (id, period_id, name, scope, award) values ('bench-pd', 'bench-2026', 'Bench PD', 'agency', 'complaint_handling') on conflict do nothing`,
    );
    for (const p of parts)
      await query(
        db,
        sql`insert into evaluation_participants (group_id, agency_id) values ('bench-pd', ${p.id}) on conflict do nothing`,
      );
    const e0 = performance.now();
    const snapshot = await buildOpenDataSnapshot(db, NOW);
    const e1 = performance.now();
    const result = evaluate(snapshot, await loadEvaluationConfig(db, 'bench-2026'));
    const e2 = performance.now();
    evalRow = `| evaluation run (30 participants; snapshot of ${snapshot.reports.length.toLocaleString('en')} public reports) | snapshot ${(e1 - e0).toFixed(0)} ms + evaluate ${(e2 - e1).toFixed(0)} ms | | ${result.groups[0]!.results.length} ranked | |`;
    console.log(evalRow);
  }
  lap('done');
  console.log(
    `\n| measure (${N.toLocaleString('en')} reports, ${agencyCount} bench agencies, ${ITER} requests each) | p50 ms | p95 ms | bytes | p95 < 100 ms |\n|---|---:|---:|---:|---|\n${rows.join('\n')}\n${evalRow}`,
  );
} finally {
  await rt.close();
  if (!process.env.BENCH_KEEP) await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
