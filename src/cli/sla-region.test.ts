/**
 * `aduan sla set --region` as an operator runs it, in child processes on a fresh install (PGlite in a temporary data
 * directory, or a throw-away PostgreSQL database with DATABASE_URL): a Pergub's 1-working-day verification rule for
 * Kalimantan Timur (64) gets the id `64:verification` and an administration-log entry with its region; a rule longer
 * than the national one is refused with the limit in both languages (exit 2), as is a region that is neither a
 * province nor a kab/kota, or unknown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-sla-region-'));
const pgDb = useThrowawayDatabase('cli_sla_region');
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  ADUAN_DEMO: '',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};
const aduan = (...args: string[]) => runAduan(env, ...args);
const PERGUB = 'Pergub Kaltim 12/2029 Pasal 7';
const rule = (days: string, region: string) => [
  'sla',
  'set',
  '--clock',
  'verification',
  '--days',
  days,
  '--basis',
  PERGUB,
  '--valid-from',
  '2030-01-01',
  '--region',
  region,
];

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aduan sla set --region', { timeout: 300_000 }, () => {
  it('adds a regional rule that tightens, refuses one that lengthens, logs the region', () => {
    const migrated = aduan('migrate');
    expect(migrated.code, migrated.out).toBe(0);

    const longer = aduan(...rule('5', '64'));
    expect(longer.code, longer.out).toBe(2);
    expect(longer.out).toContain(
      'sla set: --days: Aturan daerah hanya boleh memperketat: paling lama 3 hari menurut PermenPANRB 62/2018. / A regional rule may only tighten: at most 3 days under PermenPANRB 62/2018.',
    );
    const district = aduan(...rule('1', '64.71.01'));
    expect(district.code, district.out).toBe(2);
    expect(district.out).toContain('sla set: --region: Aturan daerah hanya untuk provinsi');
    const unknown = aduan(...rule('1', '99'));
    expect(unknown.code, unknown.out).toBe(2);
    expect(unknown.out).toContain('sla set: --region: Kode wilayah tidak dikenal.');

    const added = aduan(...rule('1', '64'));
    expect(added.code, added.out).toBe(0);
    expect(JSON.parse(added.out.trim())).toMatchObject({
      id: '64:verification',
      version: 1,
      regionCode: '64',
      workingDays: 1,
      basis: PERGUB,
    });

    const log = aduan('audit', 'admin', '--json');
    expect(log.code, log.out).toBe(0);
    const entries = JSON.parse(log.out) as Array<Record<string, unknown>>;
    expect(entries.filter((e) => e.action === 'sla.add')).toEqual([
      expect.objectContaining({
        actorLabel: 'cli',
        targetId: '64:verification@1',
        details: expect.objectContaining({ regionCode: '64', workingDays: 1, basis: PERGUB }),
      }),
    ]);
  });
});
