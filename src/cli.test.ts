/**
 * The `aduan` CLI as an operator runs it, in a child process: migrate, the data-directory lock, audit verify
 * (intact, then after an altered and a removed event), sweep --at --dry-run (JSON lines) and a performed sweep.
 * PGlite in a temporary data directory, or a fresh PostgreSQL database when DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../test/global-setup.ts';
import { cliArgv, runAduan } from '../test/helpers/cli.ts';
import { useThrowawayDatabase } from '../test/helpers/pg-database.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-'));
const pgDb = useThrowawayDatabase('cli');
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  DATABASE_URL: pgDb.url,
};

const aduan = (...args: string[]) => runAduan(env, ...args);

/** The JSON lines a command printed. */
function jsonLines(out: string): Array<Record<string, any>> {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

/** The number of timeline events, as `aduan audit verify` counts them (chains must be intact). */
function auditEvents(): number {
  const r = aduan('audit', 'verify');
  expect(r.code, r.out).toBe(0);
  return Number(/(\d+) events, every hash chain intact/.exec(r.out)![1]);
}

/** Runs SQL directly on the CLI's database (no CLI process holds it in between). */
async function sqlOnDataDir<T>(text: string): Promise<T[]> {
  if (pgDb.server) {
    const c = new pg.Client({ connectionString: pgDb.url });
    await c.connect();
    try {
      const r = await c.query(text);
      return (Array.isArray(r) ? r.at(-1)!.rows : r.rows) as T[];
    } finally {
      await c.end();
    }
  }
  const db = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
  try {
    const r = await db.exec(text);
    return r.at(-1)!.rows as T[];
  } finally {
    await db.close();
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aduan CLI', { timeout: 300_000 }, () => {
  it('migrates an empty database and is idempotent', () => {
    const first = aduan('migrate');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/migrated \((pglite|postgres)\)/);
    expect(aduan('migrate').code).toBe(0);
  });

  it('seeds the demo and finds every hash chain intact', () => {
    const seed = aduan('seed', '--demo');
    expect(seed.code, seed.out).toBe(0);
    const audit = aduan('audit', 'verify');
    expect(audit.code, audit.out).toBe(0);
    // 36 reports in every status, then 11 more verified with routing suggestions (seedDemoRoutingHistory), 14 passed
    // down to Dinas PUPR's units (seedDemoUnitHistory) and 2 left waiting for verification (seedDemoWaitingReports).
    expect(audit.out).toMatch(/63 reports, \d+ events, every hash chain intact/);
  });

  it('previews the sweeper as JSON lines with --dry-run, writing nothing, then performs each action once', () => {
    // The demo's reports are dated relative to now; 150 days on, every kind of sweep action is owed.
    const at = new Date(Date.now() + 150 * 86_400_000).toISOString();
    const dry = aduan('sweep', '--at', at, '--dry-run');
    expect(dry.code, dry.out).toBe(0);
    const plan = jsonLines(dry.out);
    expect(new Set(plan.map((a) => a.action))).toEqual(
      new Set(['overdue', 'escalate', 'auto_close', 'archive_no_reply', 'ombudsman_offer']),
    );
    for (const a of plan) {
      expect(a.trackingId).toMatch(/^[1-9]\d{9}$/);
      // Escalation v2 (60 calendar days) applies to demo reports filed from 2026-12-01 (they are dated relative to now).
      expect(a.ruleVersion).toBe(a.action === 'ombudsman_offer' && a.calendarDays !== undefined ? 2 : 1);
      expect(typeof a.ruleId).toBe('string');
      expect(typeof a.key).toBe('string');
      expect(a.result).toBeUndefined();
    }
    expect(new Set(plan.map((a) => a.key)).size).toBe(plan.length);
    // Nothing was written: the same preview again, and the timeline has as many events as before.
    const events = auditEvents();
    expect(jsonLines(aduan('sweep', '--at', at, '--dry-run').out)).toEqual(plan);
    expect(auditEvents()).toBe(events);

    const run = aduan('sweep', '--at', at);
    expect(run.code, run.out).toBe(0);
    const done = jsonLines(run.out);
    const planned = new Set(plan.map((a) => a.key));
    for (const a of done.filter((x) => planned.has(x.key))) expect(a.result, JSON.stringify(a)).toBe('done');
    expect(done.filter((a) => planned.has(a.key))).toHaveLength(plan.length);
    expect(auditEvents()).toBeGreaterThan(events);
    // Performed once: a second sweep at the same moment owes none of those steps again.
    const again = jsonLines(aduan('sweep', '--at', at).out);
    expect(again.filter((a) => planned.has(a.key))).toEqual([]);
    expect(aduan('sweep', '--at', 'gestern').code).toBe(2);
  });

  it('audit verify names the first altered or removed event of each report', async () => {
    const rows = await sqlOnDataDir<{ tracking_id: string; id: number }>(
      `select r.tracking_id, e.id from report_events e join reports r on r.id = e.report_id
        where e.seq = 2 and exists (select 1 from report_events x where x.report_id = r.id and x.seq = 3)
        order by r.tracking_id limit 2`,
    );
    expect(rows).toHaveLength(2);
    await sqlOnDataDir(
      `alter table report_events disable trigger report_events_append_only;
       update report_events set body = 'diubah diam-diam' where id = ${rows[0]!.id};
       delete from report_events where id = ${rows[1]!.id};
       alter table report_events enable trigger report_events_append_only;`,
    );
    const audit = aduan('audit', 'verify');
    expect(audit.code, audit.out).toBe(1);
    expect(audit.out).toContain(`audit: report ${rows[0]!.tracking_id}: event #2 altered`);
    expect(audit.out).toContain(`audit: report ${rows[1]!.tracking_id}: event #2 missing`);
    expect(
      audit.out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('audit: report')),
    ).toHaveLength(2);
  });

  it.skipIf(!!pgDb.server)('refuses to open a PGlite directory that another live process holds', () => {
    writeFileSync(join(dataDir, 'aduan.lock'), String(process.pid));
    try {
      const r = aduan('migrate');
      expect(r.code).toBe(1);
      expect(r.out).toContain(`in use by process ${process.pid}`);
    } finally {
      rmSync(join(dataDir, 'aduan.lock'), { force: true });
    }
    writeFileSync(join(dataDir, 'aduan.lock'), '999999');
    expect(aduan('migrate').code).toBe(0);
  });

  it('serve --demo (npm start) on an empty database seeds the demo and prints the URL and the demo accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aduan-cli-serve-'));
    const serveDb = `${pgDb.name}_serve`;
    if (pgDb.server) await pgDb.adminQuery(`CREATE DATABASE ${serveDb}`);
    const child = spawn(process.execPath, cliArgv('serve', '--demo'), {
      env: {
        ...env,
        ADUAN_DATA_DIR: dir,
        DATABASE_URL: pgDb.server ? adminUrl(pgDb.server, serveDb) : '',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => (out.includes('warga@demo.aduan.id') ? resolve() : undefined);
        child.stdout.on('data', check);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const url = /aduan is running at (http:\/\/\S+)/.exec(out)![1]!;
      expect(out).toContain(`${url}/api/docs`);
      expect(out).toContain('see docs/api-v1.md');
      for (const email of [
        'nasional@demo.aduan.id',
        'diskominfo.kaltim@demo.aduan.id',
        'ombudsman@demo.aduan.id',
      ])
        expect(out).toContain(email);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nasional@demo.aduan.id', password: 'demo-aduan-2026' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const list = await fetch(`${url}/api/v1/reports?pageSize=100`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await list.json()) as { total: number; items: Array<{ status: string }> };
      expect(body.total).toBeGreaterThanOrEqual(24);
      expect(new Set(body.items.map((r) => r.status)).size).toBe(9);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      if (pgDb.server) await pgDb.adminQuery(`DROP DATABASE IF EXISTS ${serveDb} WITH (FORCE)`);
    }
  });

  it('prints help and rejects unknown commands', () => {
    expect(aduan('--help').out).toContain('aduan serve');
    expect(aduan('frobnicate').code).toBe(2);
  });
});
