/**
 * `npm run bench:open311`: GET /open311/v2/requests.json (and friends) under autocannon with 1,000,000
 * reports in PostgreSQL. Creates the dedicated database `aduan_bench_open311`, migrates it, seeds reference
 * data and the demo organisation, inserts 1M reports with ONE `INSERT … SELECT generate_series` (no timeline
 * events, no deadlines rows: Open311 lists read only `reports`, `categories`, `agencies` and
 * `attachments`), runs the scenarios, prints Markdown for docs/benchmarks.md and drops the database.
 * Admin URL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DB = 'aduan_bench_open311';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NOW = new Date();
/** With BENCH_WRITE_EVERY_MS, a report changes every so many ms while the scenarios run (an action's effect). */
const WRITE_EVERY_MS = Number(process.env.BENCH_WRITE_EVERY_MS ?? 0);

function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(statement);
  await c.end();
}

/** The reports of a kept database, or null when it does not exist. */
async function keptRows(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  const { rows } = await c.query('select 1 from pg_database where datname = $1', [DB]);
  await c.end();
  if (!rows.length) return null;
  const d = new pg.Client({ connectionString: url });
  await d.connect();
  try {
    const r = await d.query(`select count(*)::int as n from reports where access_key_hash = 'bench'`);
    return r.rows[0].n as number;
  } catch {
    return null;
  } finally {
    await d.end();
  }
}

/** The sample request id and service code of a seeded database. */
async function sample(url: string): Promise<{ sampleId: string; serviceCode: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query(
    `select tracking_id, category_id from reports where status = 'dispatched' and not confidential order by created_at desc limit 1`,
  );
  await c.end();
  return { sampleId: rows[0].tracking_id, serviceCode: rows[0].category_id };
}

/** Seeds ROWS reports over the last 365 days: mostly public statuses, 2% confidential, 30% anonymous. */
async function seed(url: string): Promise<{ seconds: number; sampleId: string; serviceCode: number }> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  const t0 = Date.now();
  await c.query(
    `
    with cats as (select array_agg(id order by id) as ids from categories where parent_id is null),
         ags as (select array_agg(id order by id) as ids from agencies where kind in ('perangkat_daerah', 'unit'))
    insert into reports (tracking_id, access_key_hash, classification, title, body, region_code, lat, lon,
      category_id, agency_id, dispatched_agency_id, status, anonymous, confidential, channel, reporter_enc,
      due_at, created_at, updated_at, verified_at, closed_at)
    select '8' || lpad(i::text, 9, '0'), 'bench', (array['pengaduan','aspirasi','permintaan_informasi'])[1 + i % 3],
      'Laporan uji beban ' || i, 'Isi laporan uji beban nomor ' || i || ': jalan rusak, lampu padam, drainase tersumbat.',
      '64.72.02', -0.5 + (i % 1000) / 10000.0, 117.1 + (i % 997) / 10000.0,
      cats.ids[1 + i % array_length(cats.ids, 1)], ags.ids[1 + i % array_length(ags.ids, 1)],
      ags.ids[1 + i % array_length(ags.ids, 1)],
      (array['dispatched','dispatched','dispatched','in_progress','in_progress','responded','completed','completed',
             'completed','transferred','submitted','archived','returned','on_hold','dispatched','in_progress',
             'completed','completed','dispatched','in_progress'])[1 + i % 20],
      i % 10 < 3, i % 50 = 0, (array['web','api','open311','sms','email','walk_in'])[1 + i % 6], null,
      created + interval '14 days', created, created + (i % 72) * interval '1 hour', created,
      case when (i % 20) in (6,7,8,9,11,16,17) then created + (i % 72) * interval '1 hour' end
    from generate_series(1, $1::int) as s(i), cats, ags,
      lateral (select $2::timestamptz - (i::double precision / $1 * 365) * interval '1 day' as created) t
  `,
    [ROWS, NOW.toISOString()],
  );
  // What autovacuum would have done by the time such a table is read: visibility map and statistics.
  await c.query('vacuum analyze reports');
  const seconds = (Date.now() - t0) / 1000;
  await c.end();
  return { seconds, ...(await sample(url)) };
}

function startServer(url: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const extra = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
    const args = [...extra, '--import', 'tsx', join(ROOT, 'bench/open311-server.ts')];
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, DATABASE_URL: url, ADUAN_SECRET_KEY: '0'.repeat(64) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function run(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
}

/**
 * Touches one public report's `updated_at` every `ms` (what any action does to the report it acts on), so reads that
 * are reused until data changes are measured at a given action rate. Returns the stop function and the count.
 */
async function startWriter(url: string, ms: number): Promise<() => Promise<number>> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  let writes = 0;
  let i = 0;
  const timer = setInterval(() => {
    i = (i + 7919) % ROWS;
    void c
      .query(
        `update reports set updated_at = greatest(now(), (select max(updated_at) from reports) + interval '1 ms') where tracking_id = $1`,
        [`8${String(i + 1).padStart(9, '0')}`],
      )
      .then(() => writes++);
  }, ms);
  return async () => {
    clearInterval(timer);
    await c.end();
    return writes;
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main() {
  const url = dbUrl(DB);
  const kept = process.env.BENCH_KEEP ? await keptRows(url) : null;
  const reuse = kept === ROWS;
  if (!reuse) {
    await admin(`drop database if exists ${DB} with (force)`);
    await admin(`create database ${DB}`);
    console.error('created database');
  } else console.error(`reusing ${DB} (${ROWS} reports)`);
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      ADUAN_SECRET_KEY: '0'.repeat(64),
      LOG_LEVEL: 'silent',
    });
    // Migrates (also a kept database, so new indexes apply) and seeds reference data and the demo key.
    const rt = await openRuntime(config, { demo: true });
    await rt.close();
    const seeded = reuse ? { seconds: 0, ...(await sample(url)) } : await seed(url);
    if (!reuse) console.error(`seeded ${ROWS} reports in ${seeded.seconds.toFixed(1)} s`);
    const { proc, port } = await startServer(url);
    const base = `http://127.0.0.1:${port}/open311/v2`;
    const day = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
    // The seeded points cover lat -0.5..-0.4, long 117.1..117.2 (about 11 × 11 km) uniformly.
    const scenarios: Array<[string, string, Record<string, string>?]> = [
      ['default (last 90 days, 1000 items)', `${base}/requests.json`],
      ['default, XML (1000 items)', `${base}/requests.xml`],
      ['status=open&page_size=50', `${base}/requests.json?status=open&page_size=50`],
      ['status=open&page_size=50, XML', `${base}/requests.xml?status=open&page_size=50`],
      [
        'service_code + 30-day window, page_size=100',
        `${base}/requests.json?service_code=${seeded.serviceCode}&start_date=${day(60)}&end_date=${day(30)}&page_size=100`,
      ],
      ['updated_after=now-1d, page_size=100', `${base}/requests.json?updated_after=${day(1)}&page_size=100`],
      ['page=50&page_size=20 (deep page)', `${base}/requests.json?page=50&page_size=20`],
      ['extensions=true&page_size=100', `${base}/requests.json?extensions=true&page_size=100`],
      [
        'bbox ≈1.1 × 1.1 km, page_size=100',
        `${base}/requests.json?bbox=117.15,-0.455,117.16,-0.445&page_size=100`,
      ],
      [
        'lat/long radius=500 m, page_size=100',
        `${base}/requests.json?lat=-0.45&long=117.15&radius=500&page_size=100`,
      ],
      ['requests/{id}.json', `${base}/requests/${seeded.sampleId}.json`],
      [
        'status=open&page_size=50 with api_key (never cached)',
        `${base}/requests.json?status=open&page_size=50&api_key=demo-open311-key`,
      ],
      ['default with If-None-Match (304)', `${base}/requests.json`, { 'if-none-match': 'ETAG' }],
      // Not Open311: the citizens' landing page, whose public numbers count every public report (docs/benchmarks.md).
      ['home page / (public numbers)', `http://127.0.0.1:${port}/`],
      ['public feed /laporan', `http://127.0.0.1:${port}/laporan`],
      ['public feed /laporan?page=500', `http://127.0.0.1:${port}/laporan?page=500`],
      ['public feed /laporan?q=jalan', `http://127.0.0.1:${port}/laporan?q=jalan`],
      [
        'public feed /laporan?status=completed&provinsi=64',
        `http://127.0.0.1:${port}/laporan?status=completed&provinsi=64`,
      ],
      ['JSON API /api/v1/reports (public)', `http://127.0.0.1:${port}/api/v1/reports`],
    ];
    const only = process.env.BENCH_ONLY;
    const lines = [
      `| Scenario | req/s | p50 ms | p99 ms | bytes/resp | non-2xx |`,
      `|---|---:|---:|---:|---:|---:|`,
    ];
    const before = load();
    const stopWriter = WRITE_EVERY_MS > 0 ? await startWriter(url, WRITE_EVERY_MS) : null;
    let writes = 0;
    try {
      await run(`${base}/requests.json?page_size=10`); // warm-up
      for (const [name, u, headers] of scenarios) {
        if (only && !name.includes(only)) continue;
        let h = headers ?? {};
        if (h['if-none-match'] === 'ETAG') {
          const etag = (await fetch(u)).headers.get('etag');
          h = etag ? { 'if-none-match': etag } : {};
        }
        const r = await run(u, h);
        lines.push(
          `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.bytes} | ${r.non2xx + r.errors} |`,
        );
        console.error(lines.at(-1));
      }
    } finally {
      proc.kill('SIGTERM');
      if (stopWriter) writes = await stopWriter();
    }
    const flags = [
      process.env.BENCH_NO_LIMIT ? 'rate limiter OFF' : 'rate limiter on',
      process.env.BENCH_NO_CACHE ? 'list cache OFF' : 'list cache on',
      ...(WRITE_EVERY_MS > 0 ? [`a report changed every ${WRITE_EVERY_MS} ms (${writes} changes)`] : []),
    ].join(', ');
    console.log(
      [
        `Data: ${ROWS.toLocaleString('en')} reports (${reuse ? 'reused kept database' : `seeded in ${seeded.seconds.toFixed(1)} s`}, no events), PostgreSQL,`,
        `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), autocannon ${CONNECTIONS} connections × ${DURATION} s per scenario,`,
        `${flags}; load average before ${before}, after ${load()}.`,
        '',
        ...lines,
      ].join('\n'),
    );
  } catch (e) {
    console.error('benchmark failed:', e);
    throw e;
  } finally {
    if (!process.env.BENCH_KEEP) await admin(`drop database if exists ${DB} with (force)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
