/**
 * `npm run bench:intake`: report intake through POST /api/v1/reports under autocannon, on PGlite and then on
 * PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres as the admin URL), next to a
 * bare Fastify endpoint doing one plain INSERT of the same row (the ceiling). Also a fixed 200 reports/s run
 * for latency. Servers run as child processes; results are printed as Markdown for docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = new URL('..', import.meta.url).pathname;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** `BENCH_DATABASES=postgres` runs one database only (default: pglite,postgres). */
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
/** Extra Node flags for the `aduan serve` child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** `BENCH_PARTS=intake` skips the fixed-rate and ceiling runs while iterating (default: intake,fixed,ceiling). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'intake,fixed,ceiling').split(','));
/** Seconds of load before each measured run (both servers get it), so JIT warm-up is not measured. */
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** Intake and ceiling alternate in this many slices of BENCH_SECONDS / ROUNDS each (PostgreSQL). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

const report = JSON.stringify({
  classification: 'pengaduan',
  title: 'Jalan berlubang di depan pasar induk',
  body: 'Jalan di depan pasar induk berlubang besar dan tergenang air setiap hujan sehingga membahayakan pengendara motor.',
  regionCode: '64.72.02',
  anonymous: true,
});

function start(
  script: string,
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, script), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(?:listening |running at http:\/\/127\.0\.0\.1:)(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** CPU milliseconds per request of the server process and of its PostgreSQL backends (Linux /proc). */
  nodeCpuMs?: number;
  pgCpuMs?: number;
}

/** User + system CPU of a process in milliseconds (0 when /proc is not readable). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/** Where CPU is measured: the server process and the backends serving its database. */
interface CpuProbe {
  pid: number;
  backends: () => Promise<number[]>;
}

async function load(
  url: string,
  opts: { rate?: number; seconds?: number; probe?: CpuProbe } = {},
): Promise<Result> {
  const pgPids = opts.probe ? await opts.probe.backends() : [];
  const sum = () => pgPids.reduce((a, p) => a + cpuMs(p), 0);
  const before = opts.probe ? { node: cpuMs(opts.probe.pid), pg: sum() } : null;
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: report,
    connections: opts.rate ? 20 : CONNECTIONS,
    duration: opts.seconds ?? DURATION,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
  });
  const per = (ms: number) => Math.round((ms / Math.max(1, r.requests.total)) * 100) / 100;
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
    ...(before && opts.probe
      ? { nodeCpuMs: per(cpuMs(opts.probe.pid) - before.node), pgCpuMs: per(sum() - before.pg) }
      : {}),
  };
}

async function withDatabase<T>(
  kind: 'pglite' | 'postgres',
  fn: (env: Record<string, string>, backends: () => Promise<number[]>) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aduan-bench-'));
  const name = `aduan_bench_intake_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const env: Record<string, string> = {
    ADUAN_DATA_DIR: dataDir,
    ADUAN_SECRET_KEY: 'cd'.repeat(32),
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    ADUAN_WORKER: '0',
    ADUAN_DEMO: '0',
    ADUAN_RATE_LIMIT_SUBMIT: '100000000',
    PORT: '0',
  };
  if (kind === 'postgres') {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
  }
  try {
    const migrate = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'migrate'], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    await new Promise((r) => migrate.on('exit', r));
    const backends = async () =>
      kind === 'postgres'
        ? (
            await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])
          ).rows.map((r) => r.pid)
        : [];
    return await fn(env, backends);
  } finally {
    if (kind === 'postgres') {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const EMPTY: Result = { rps: 0, p50: 0, p99: 0, errors: 0, non2xx: 0, total: 0 };

/** Rows written by the intake runs: every accepted report must have its event, outbox row and deadline. */
async function written(env: Record<string, string>): Promise<Record<string, number>> {
  const { openDatabase, query } = await import('../src/db/client.ts');
  const { sql } = await import('drizzle-orm');
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.ADUAN_DATA_DIR,
  });
  try {
    const [row] = await query<Record<string, number>>(
      database.db,
      sql`select (select count(*)::int from reports where access_key_hash <> 'x') as reports,
                 (select count(*)::int from report_events) as events,
                 (select count(*)::int from outbox) as outbox,
                 (select count(*)::int from report_deadlines) as deadlines`,
    );
    return row!;
  } finally {
    await database.close();
  }
}

/** Merges interleaved rounds: requests/s over the whole time, mean p50, worst p99, CPU per request. */
function merge(parts: Result[]): Result {
  const total = parts.reduce((a, r) => a + r.total, 0);
  const weighted = (f: (r: Result) => number | undefined) =>
    Math.round((parts.reduce((a, r) => a + (f(r) ?? 0) * r.total, 0) / Math.max(1, total)) * 100) / 100;
  return {
    rps: Math.round(parts.reduce((a, r) => a + r.rps, 0) / parts.length),
    p50: Math.round((parts.reduce((a, r) => a + r.p50, 0) / parts.length) * 10) / 10,
    p99: Math.max(...parts.map((r) => r.p99)),
    errors: parts.reduce((a, r) => a + r.errors, 0),
    non2xx: parts.reduce((a, r) => a + r.non2xx, 0),
    total,
    nodeCpuMs: weighted((r) => r.nodeCpuMs),
    pgCpuMs: weighted((r) => r.pgCpuMs),
  };
}

const rows: string[] = [];
for (const kind of DATABASES) {
  await withDatabase(kind, async (env, backends) => {
    const app = await start('src/cli.ts', ['serve'], env, NODE_ARGS);
    const url = `http://127.0.0.1:${app.port}/api/v1/reports`;
    const probe = { pid: app.proc.pid!, backends };
    // PGlite allows one process per data directory: the ceiling runs after the app has stopped.
    const together = kind === 'postgres';
    let ceilingSrv =
      together && PARTS.has('ceiling') ? await start('bench/ceiling-server.ts', [], env) : null;
    const ceilingUrl = () => `http://127.0.0.1:${ceilingSrv!.port}/ceiling`;
    const ceilingProbe = () => ({ pid: ceilingSrv!.proc.pid!, backends });
    if (WARMUP > 0) await load(url, { seconds: WARMUP });
    if (WARMUP > 0 && ceilingSrv) await load(ceilingUrl(), { seconds: WARMUP });
    // Intake and ceiling alternate in ROUNDS slices, so a change in machine load affects both alike.
    const intakeParts: Result[] = [];
    const ceilingParts: Result[] = [];
    const rounds = together ? ROUNDS : 1;
    const slice = Math.max(1, Math.round(DURATION / rounds));
    for (let i = 0; i < rounds; i++) {
      if (PARTS.has('intake')) intakeParts.push(await load(url, { probe, seconds: slice }));
      if (ceilingSrv) ceilingParts.push(await load(ceilingUrl(), { probe: ceilingProbe(), seconds: slice }));
    }
    const fixed = PARTS.has('fixed') ? await load(url, { rate: 200, probe }) : EMPTY;
    await stop(app.proc);
    if (!together && PARTS.has('ceiling')) {
      ceilingSrv = await start('bench/ceiling-server.ts', [], env);
      if (WARMUP > 0) await load(ceilingUrl(), { seconds: WARMUP });
      ceilingParts.push(await load(ceilingUrl(), { probe: ceilingProbe() }));
    }
    if (ceilingSrv) await stop(ceilingSrv.proc);
    const intake = intakeParts.length ? merge(intakeParts) : EMPTY;
    const ceiling = ceilingParts.length ? merge(ceilingParts) : EMPTY;
    const counts = await written(env);
    const complete = new Set(Object.values(counts)).size === 1;
    console.log(kind, 'rows written', counts, complete ? '(complete)' : 'WARNING: incomplete submissions');
    const ratio = ceiling.rps ? ((intake.rps / ceiling.rps) * 100).toFixed(0) : '–';
    const cpu = (r: Result) => `${r.nodeCpuMs ?? 0} + ${r.pgCpuMs ?? 0}`;
    rows.push(
      `| ${kind} | ${intake.rps} | ${intake.p50} / ${intake.p99} | ${cpu(intake)} | ${ceiling.rps} | ${ceiling.p50} / ${ceiling.p99} | ${cpu(ceiling)} | ${ratio}% | ${fixed.rps} | ${fixed.p50} / ${fixed.p99} | ${intake.errors + intake.non2xx + fixed.errors + fixed.non2xx} |`,
    );
    console.log(kind, { intake, ceiling, fixed });
  });
}
console.log(`\nCommand: npm run bench:intake (BENCH_SECONDS=${DURATION}, ${CONNECTIONS} connections)\n`);
console.log(
  '| database | intake reports/s | p50 / p99 ms | CPU ms/report (node + PG) | ceiling inserts/s | p50 / p99 ms | CPU ms/insert (node + PG) | intake / ceiling | at 200/s: achieved | p50 / p99 ms | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
