/**
 * `aduan users invite` on the demo organisation, spawned as the operator runs it: `--csv FILE [--dry-run]` checks every
 * row first (row-numbered problems in English and Indonesian; one bad row and nobody is invited), then invites each row
 * and prints its link; the role must fit the agency (no coordinator on the Ombudsman office); an inactive agency is
 * named as inactive, not unknown (audit H2, H3, L11). Files as Excel on Indonesian Windows saves them (windows-1252
 * with semicolons, UTF-16LE with tabs) invite with the names intact; problems with the file itself (a workbook, a
 * missing, empty or header-only file, missing columns) are told in the `--lang` language.
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

/** windows-1252 bytes of a text (Latin-1 plus the en dash, 0x96). */
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c === '–' ? 0x96 : c.charCodeAt(0))));
}

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
    const cols = csv('cols.csv', 'email,name\na@b.id,A B\n');
    const noColumns = aduan('users', 'invite', '--csv', cols);
    expect(noColumns.code).toBe(1);
    expect(noColumns.out).toContain(
      `aduan users invite --csv: Baris judul berkas ${cols} tidak memuat kolom wajib: role, agency_id. Kolom yang ditemukan: email, name.`,
    );
    expect(aduan('users', 'invite', '--csv', cols, '--lang', 'en').out).toContain(
      `aduan users invite --csv: The header row of ${cols} lacks the required column(s): role, agency_id. Columns found: email, name.`,
    );
    expect(aduan('users', 'invite', '--csv', good, '--email', 'a@b.id').code).toBe(2);
  });

  it('reads files as Excel on Indonesian Windows saves them; file problems in the --lang language', () => {
    // "CSV" with semicolons in windows-1252 (the en dash is 0x96), a name holding the delimiter quoted.
    const semicolons = join(dataDir, 'excel-semicolon.csv');
    writeFileSync(
      semicolons,
      cp1252(
        'email;name;role;agency_id\r\n' +
          'kabid.pelayanan@contoh.go.id;Ka. Bidang Pelayanan – Sekretariat;officer;pupr-kaltim-unit\r\n' +
          'staf.pupr@contoh.go.id;"Staf PUPR; Bina Marga";officer;pupr-kaltim-unit\r\n' +
          ';;;\r\n',
      ),
    );
    const semi = aduan('users', 'invite', '--csv', semicolons);
    expect(semi.code, semi.out).toBe(0);
    expect(semi.out).toContain(
      `aduan users invite --csv: Berkas ${semicolons} bukan UTF-8; dibaca sebagai Windows-1252 (CSV dari Excel di Windows).`,
    );
    expect(semi.out).not.toContain('is not UTF-8');
    expect(semi.out).toContain('2 invitation(s) made.');
    // In English with --lang en (a dry run: nobody is invited twice).
    const semiEn = aduan('users', 'invite', '--csv', semicolons, '--dry-run', '--lang', 'en');
    expect(semiEn.out).toContain(
      `aduan users invite --csv: ${semicolons} is not UTF-8; read as Windows-1252`,
    );

    // "Unicode text": UTF-16LE with a BOM, tab-separated.
    const unicode = join(dataDir, 'excel-unicode.txt');
    writeFileSync(
      unicode,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          'email\tname\trole\tagency_id\r\nsekretariat@contoh.go.id\tPetugas Sekretariat – Dinas Pekerjaan Umum dan Penataan Ruang\tofficer\tpupr-kaltim-unit\r\n',
          'utf16le',
        ),
      ]),
    );
    const utf16 = aduan('users', 'invite', '--csv', unicode);
    expect(utf16.code, utf16.out).toBe(0);
    expect(utf16.out).not.toContain('Windows-1252');
    expect(utf16.out).toContain('1 invitation(s) made.');

    const list = aduan('users', 'list').out;
    expect(list).toContain(
      'invited\tkabid.pelayanan@contoh.go.id\tKa. Bidang Pelayanan – Sekretariat\tofficer@pupr-kaltim-unit',
    );
    expect(list).toContain(
      'invited\tstaf.pupr@contoh.go.id\tStaf PUPR; Bina Marga\tofficer@pupr-kaltim-unit',
    );
    expect(list).toContain(
      'invited\tsekretariat@contoh.go.id\tPetugas Sekretariat – Dinas Pekerjaan Umum dan Penataan Ruang\tofficer@pupr-kaltim-unit',
    );
    expect(list).not.toMatch(/[\ufffd\u0080-\u009f]/);

    // Not a usable CSV: an Excel workbook, a missing file, an empty one, a header without data.
    const xlsx = csv('staf.xlsx', 'PK\u0003\u0004\u0014\u0000\u0006\u0000binary');
    const workbook = aduan('users', 'invite', '--csv', xlsx);
    expect(workbook.code).toBe(1);
    expect(workbook.out).toContain(
      `aduan users invite --csv: Berkas ${xlsx} adalah buku kerja spreadsheet (Excel .xlsx/.xls atau .ods), bukan CSV.`,
    );
    expect(aduan('users', 'invite', '--csv', xlsx, '--lang', 'en').out).toContain(
      `Open it in Excel, choose Save As "CSV UTF-8 (Comma delimited)", then try again with that .csv file.`,
    );
    const gone = join(dataDir, 'tidak-ada.csv');
    expect(aduan('users', 'invite', '--csv', gone, '--lang', 'en').out).toContain(
      `aduan users invite --csv: File ${gone} not found.`,
    );
    const empty = csv('kosong.csv', '');
    expect(aduan('users', 'invite', '--csv', empty).out).toContain(
      `Berkas ${empty} kosong. Baris pertamanya harus berisi judul kolom: email,name,role,agency_id.`,
    );
    const header = csv('judul.csv', 'email;name;role;agency_id\r\n');
    const headerOnly = aduan('users', 'invite', '--csv', header);
    expect(headerOnly.code).toBe(1);
    expect(headerOnly.out).toContain(`Berkas ${header} hanya berisi baris judul, tanpa data.`);
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
