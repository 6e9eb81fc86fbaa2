/**
 * `aduan holidays load|confirm` run as an operator would (child processes, a fresh database migrated by the CLI):
 * a new database started after 1 November 2026 already holds the 2027 certain dates and predictions; 2028 is
 * loaded with a dry run first, then for real (certain dates confirmed, predictions tentative), a second load adds
 * nothing, and confirm takes one date, then the rest of the year. Bad options are refused in both languages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAduan } from '../../test/helpers/cli.ts';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-holidays-'));
const pgDb = useThrowawayDatabase('cli_holidays');
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  ADUAN_DEMO: '0',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};
const aduan = (...args: string[]) => runAduan(env, ...args);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aduan holidays', () => {
  it('refuses a bad year or date before opening the database, in both languages', () => {
    const r = aduan('holidays', 'load', '--year', '27');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '--year: Harus bilangan bulat dari 2000 sampai 2100. / Must be a whole number from 2000 to 2100.',
    );
    const d = aduan('holidays', 'confirm', '--year', '2028', '--date', '2029-01-01');
    expect(d.code).toBe(1);
    expect(d.out).toContain('--date:');
  });

  it('loads 2028 (dry run first), keeps what is there, and confirms predictions', () => {
    // A database created after 1 November 2026 starts with 2027: loading it adds nothing.
    const seeded = JSON.parse(aduan('holidays', 'load', '--year', '2027', '--json').out);
    expect(seeded).toMatchObject({ year: 2027, added: [], recomputed: 0 });
    expect(seeded.kept).toHaveLength(19);

    const dry = aduan('holidays', 'load', '--year', '2028', '--dry-run', '--lang', 'en');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('2028-04-14\tlibur_nasional\t-\tWafat Yesus Kristus');
    expect(dry.out).toContain('2028-05-05\tlibur_nasional\tprediction\tHari Raya Idul Adha 1449 Hijriyah');
    expect(dry.out).toContain(
      'Dry run, nothing written: 18 would be added (10 predictions), 0 dates already there.',
    );

    const load = JSON.parse(aduan('holidays', 'load', '--year', '2028', '--json').out);
    expect(load.added).toHaveLength(18);
    expect(load.added.filter((h: { tentative: boolean }) => h.tentative)).toHaveLength(10);
    expect(load.dryRun).toBe(false);
    const again = aduan('holidays', 'load', '--year', '2028');
    expect(again.out).toContain(
      'Hari libur dimuat: 0 ditambahkan, 0 di antaranya perkiraan. Tenggat dihitung ulang: 0.',
    );

    const one = aduan('holidays', 'confirm', '--year', '2028', '--date', '2028-05-05', '--lang', 'en');
    expect(one.code, one.out).toBe(0);
    expect(one.out).toContain('Confirmed as set by the SKB: 1.');
    const notPredicted = aduan(
      'holidays',
      'confirm',
      '--year',
      '2028',
      '--date',
      '2028-05-01',
      '--lang',
      'en',
    );
    expect(notPredicted.code).toBe(1);
    expect(notPredicted.out).toContain('--date: there is no predicted national holiday on 2028-05-01.');
    const rest = aduan('holidays', 'confirm', '--year', '2028');
    expect(rest.code, rest.out).toBe(0);
    expect(rest.out).toContain('Dikonfirmasi sesuai SKB: 9.');
  });
});
