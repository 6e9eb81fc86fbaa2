/**
 * `aduan audit admin` as an operator runs it, in child processes on a fresh install (PGlite in a temporary data
 * directory, or a throw-away PostgreSQL database with DATABASE_URL): the first national admin created from the shell
 * is in the log as the CLI's grant, with neither the temporary password nor the address; `--since` filters by day,
 * `--json` prints the entries, a malformed date is a usage error (2). An entry that mentions an agency and a region
 * by id ends with their names (`--json` keeps the ids only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-admin-log-'));
const pgDb = useThrowawayDatabase('cli_admin_log');
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ef'.repeat(32),
  ADUAN_DEMO: '',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};
const aduan = (...args: string[]) => runAduan(env, ...args);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aduan audit admin', { timeout: 300_000 }, () => {
  it('lists the operator-made national admin grant; --since, --json; a bad date is a usage error', () => {
    const migrated = aduan('migrate');
    expect(migrated.code, migrated.out).toBe(0);
    const empty = aduan('audit', 'admin');
    expect(empty.code, empty.out).toBe(0);
    expect(empty.out).toContain('audit admin: no entry');

    const created = aduan(
      'users',
      'create-admin',
      '--email',
      'kepala@contoh.go.id',
      '--name',
      'Kepala Diskominfo',
    );
    expect(created.code, created.out).toBe(0);
    const password = /password[^:]*:\s*(\S+)/i.exec(created.out)?.[1];
    expect(password, created.out).toBeTruthy();

    const listed = aduan('audit', 'admin');
    expect(listed.code, listed.out).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}cli {2}role\.grant {2}user:[0-9a-f-]{36} {2}national {2}\{/,
    );
    expect(lines[0]).toContain('"role":"national_admin"');
    expect(listed.out).not.toContain(password!);
    expect(listed.out).not.toContain('kepala@contoh.go.id');

    const json = aduan('audit', 'admin', '--json', '--since', '2000-01-01');
    expect(json.code, json.out).toBe(0);
    const entries = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorUserId: null,
      actorLabel: 'cli',
      action: 'role.grant',
      agencyId: null,
    });

    const later = aduan('audit', 'admin', '--since', '2999-01-01');
    expect(later.out).toContain('audit admin: no entry');
    const bad = aduan('audit', 'admin', '--since', '31-12-2026');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--since must be a date YYYY-MM-DD');

    // An agency made from the shell: its entry names the agency and its region; --json keeps the ids only.
    const added = aduan(
      'agencies',
      'add',
      '--name',
      'Pemerintah Provinsi Kalimantan Timur',
      '--kind',
      'pemerintah_provinsi',
      '--region',
      '64',
      '--id',
      'pemprov-kaltim',
    );
    expect(added.code, added.out).toBe(0);
    const named = aduan('audit', 'admin').out.trim().split('\n');
    expect(named).toHaveLength(2);
    expect(named[1]).toContain('agency.create');
    expect(named[1]).toMatch(
      /names: agency pemprov-kaltim "Pemerintah Provinsi Kalimantan Timur"; region 64 "[^"]*Kalimantan Timur"$/i,
    );
    const raw = JSON.parse(aduan('audit', 'admin', '--json').out) as Array<Record<string, unknown>>;
    expect(raw[1]).toMatchObject({ agencyId: 'pemprov-kaltim', details: { regionCode: '64' } });
    expect(JSON.stringify(raw)).not.toContain('names');
  });
});
