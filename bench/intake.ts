/**
 * `npm run bench:intake`: report intake through POST /api/v1/reports under autocannon, on PGlite and then on
 * PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres as the admin URL), next to a
 * bare Fastify endpoint doing one plain INSERT of the same row (the ceiling). Also a fixed 200 reports/s run
 * for latency. Servers run as child processes; results are printed as Markdown for docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = new URL('..', import.meta.url).pathname;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
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
}

async function load(url: string, opts: { rate?: number } = {}): Promise<Result> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: report,
    connections: opts.rate ? 20 : CONNECTIONS,
    duration: DURATION,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

async function withDatabase<T>(
  kind: 'pglite' | 'postgres',
  fn: (env: Record<string, string>) => Promise<T>,
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
    return await fn(env);
  } finally {
    if (kind === 'postgres') {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const kind of ['pglite', 'postgres'] as const) {
  await withDatabase(kind, async (env) => {
    const app = await start('src/cli.ts', ['serve'], env);
    const intake = await load(`http://127.0.0.1:${app.port}/api/v1/reports`);
    const fixed = await load(`http://127.0.0.1:${app.port}/api/v1/reports`, { rate: 200 });
    await stop(app.proc);
    const ceilingSrv = await start('bench/ceiling-server.ts', [], env);
    const ceiling = await load(`http://127.0.0.1:${ceilingSrv.port}/ceiling`);
    await stop(ceilingSrv.proc);
    const ratio = ((intake.rps / ceiling.rps) * 100).toFixed(0);
    rows.push(
      `| ${kind} | ${intake.rps} | ${intake.p50} / ${intake.p99} | ${ceiling.rps} | ${ceiling.p50} / ${ceiling.p99} | ${ratio}% | ${fixed.rps} | ${fixed.p50} / ${fixed.p99} | ${intake.errors + intake.non2xx + fixed.errors + fixed.non2xx} |`,
    );
    console.log(kind, { intake, ceiling, fixed });
  });
}
console.log(`\nCommand: npm run bench:intake (BENCH_SECONDS=${DURATION}, ${CONNECTIONS} connections)\n`);
console.log(
  '| database | intake reports/s | p50 / p99 ms | ceiling inserts/s | p50 / p99 ms | intake / ceiling | at 200/s: achieved | p50 / p99 ms | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
