/**
 * `aduan users invite` on the demo organisation, spawned as the operator runs it: `--csv FILE [--dry-run]` checks every
 * row first (row-numbered problems in English and Indonesian; one bad row and nobody is invited), then invites each row
 * and prints its link; the role must fit the agency (no coordinator on the Ombudsman office); an inactive agency is
 * named as inactive, not unknown (audit H2, H3, L11).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { loadConfig } from '../config.ts';
import { openRuntime } from '../runtime.ts';
import { seedDemoOrganisation } from '../seed/demo.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-csv-'));
const pgDb = useThrowawayDatabase('cli_users_csv');
const PUBLIC_URL = 'https://aduan.contoh.go.id';
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  ADUAN_PUBLIC_URL: PUBLIC_URL,
  ADUAN_DEMO: '',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};

const aduan = (...args: string[]) => runAduan(env, ...args);

function csv(name: string, text: string): string {
  const file = join(dataDir, name);
  writeFileSync(file, text);
  return file;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aduan users invite --csv', { timeout: 300_000 }, () => {
  it('checks every row first, invites none on a bad row, then invites each and prints its link', async () => {
    // The demo's agency tree (no reports: seeding those takes minutes), as `aduan serve --demo` would write it.
    const config = loadConfig(env);
    const runtime = await openRuntime(config);
    try {
      await seedDemoOrganisation(runtime.database.db, {
        password: config.demoPassword,
        open311Key: config.demoOpen311Key,
      });
    } finally {
      await runtime.close();
    }

    const bad = csv(
      'bad.csv',
      [
        'email,name,role,agency_id',
        'kominfo@kukarkab.go.id,Koordinator Kukar,coordinator,diskominfo-kukar',
        'bukan-email,Tanpa Alamat,officer,pupr-kaltim-unit',
        'asisten@ombudsman.go.id,Asisten,coordinator,ombudsman-kaltim',
        'petugas@contoh.go.id,Petugas,officer,tidak-ada',
        'admin@contoh.go.id,Admin,raja,pupr-kaltim',
        'kominfo@kukarkab.go.id,Koordinator Kukar,coordinator,diskominfo-kukar',
      ].join('\n') + '\n',
    );
    const refused = aduan('users', 'invite', '--csv', bad);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain(
      'aduan users invite: baris/row 3, email: Alamat email tidak valid. / The email address is not valid.',
    );
    expect(refused.out).toContain(
      'baris/row 4, agency_id: Kantor Ombudsman dan unit di bawahnya hanya menerima peran Ombudsman',
    );
    expect(refused.out).toContain(
      '/ An Ombudsman office and the units below it take only the Ombudsman role',
    );
    expect(refused.out).toContain('baris/row 5, agency_id: Instansi tidak dikenal. / Unknown agency.');
    expect(refused.out).toContain('baris/row 6, role: ');
    expect(refused.out).toContain(
      'baris/row 7: undangan yang sama dengan baris 2 / the same invitation as row 2',
    );
    expect(refused.out).toContain('5 masalah; tidak ada yang diundang. / 5 problem(s); nobody was invited.');
    expect(refused.out).not.toContain('baris/row 2');
    expect(refused.out).not.toContain('/undangan?token=');
    expect(aduan('users', 'list').out).not.toContain('invited\t');

    const good = csv(
      'good.csv',
      '\ufeffemail,name,role,agency_id\n' +
        'kominfo@kukarkab.go.id,Koordinator Kukar,coordinator,diskominfo-kukar\n' +
        '"asisten@ombudsman.go.id","Asisten Ombudsman, Kaltim",ombudsman,ombudsman-kaltim\n' +
        'Petugas.Pupr@Contoh.go.id,Petugas PUPR,officer,pupr-kaltim-unit\n',
    );
    const dry = aduan('users', 'invite', '--csv', good, '--dry-run');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('3 row(s) checked; nobody invited (--dry-run).');
    expect(aduan('users', 'list').out).not.toContain('invited\t');

    const done = aduan('users', 'invite', '--csv', good);
    expect(done.code, done.out).toBe(0);
    expect(done.out.match(new RegExp(`${PUBLIC_URL}/undangan\\?token=[A-Za-z0-9_-]{40,}`, 'g'))).toHaveLength(
      3,
    );
    expect(done.out).toContain('for petugas.pupr@contoh.go.id as officer');
    expect(done.out).toContain('3 invitation(s) made.');
    const list = aduan('users', 'list').out;
    expect(list).toContain(
      'invited\tkominfo@kukarkab.go.id\tKoordinator Kukar\tcoordinator@diskominfo-kukar',
    );
    expect(list).toContain(
      'invited\tasisten@ombudsman.go.id\tAsisten Ombudsman, Kaltim\tombudsman@ombudsman-kaltim',
    );

    // A file without the columns, and --csv mixed with single-invite flags.
    const noColumns = aduan('users', 'invite', '--csv', csv('cols.csv', 'email,name\na@b.id,A B\n'));
    expect(noColumns.code).toBe(1);
    expect(noColumns.out).toContain('missing column(s) role, agency_id');
    expect(aduan('users', 'invite', '--csv', good, '--email', 'a@b.id').code).toBe(2);
  });

  it('single invite: a coordinator on the Ombudsman office is refused; an inactive agency is named inactive', async () => {
    const ombudsman = aduan(
      'users',
      'invite',
      '--email',
      'x@contoh.go.id',
      '--name',
      'Koordinator Palsu',
      '--role',
      'coordinator',
      '--agency',
      'ombudsman-kaltim',
    );
    expect(ombudsman.code).toBe(1);
    expect(ombudsman.out).toContain(
      '--agency: An Ombudsman office and the units below it take only the Ombudsman role',
    );
    // Deactivate a unit through the same database the CLI uses (then closed: PGlite takes one process at a time).
    const runtime = await openRuntime(loadConfig(env));
    try {
      await runtime.services.db.execute(
        sql`update agencies set active = false where id = 'bpkad-kaltim-unit'`,
      );
    } finally {
      await runtime.close();
    }
    const inactive = aduan(
      'users',
      'invite',
      '--email',
      'y@contoh.go.id',
      '--name',
      'Petugas Aset',
      '--role',
      'officer',
      '--agency',
      'bpkad-kaltim-unit',
    );
    expect(inactive.code).toBe(1);
    expect(inactive.out).toContain(
      '--agency: This agency has been deactivated; no role can be granted there.',
    );
  });
});
