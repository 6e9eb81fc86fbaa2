/**
 * The `aduan` CLI as an operator runs it, in a child process: migrate, the data-directory lock, audit verify.
 * PGlite in a temporary data directory, or a fresh PostgreSQL database when DATABASE_URL is set.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../test/global-setup.ts';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-'));
const pgUrl = process.env.DATABASE_URL;
const dbName = `aduan_t_cli_${randomBytes(4).toString('hex')}`;
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  DATABASE_URL: pgUrl ? adminUrl(pgUrl, dbName) : '',
};

function aduan(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  if (pgUrl) {
    const c = new pg.Client({ connectionString: adminUrl(pgUrl) });
    await c.connect();
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (pgUrl) {
    const c = new pg.Client({ connectionString: adminUrl(pgUrl) });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
});

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
    expect(audit.out).toMatch(/36 reports, \d+ events, every hash chain intact/);
  });

  it.skipIf(!!pgUrl)('refuses to open a PGlite directory that another live process holds', () => {
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

  it('prints help and rejects unknown commands', () => {
    expect(aduan('--help').out).toContain('aduan serve');
    expect(aduan('frobnicate').code).toBe(2);
  });
});
