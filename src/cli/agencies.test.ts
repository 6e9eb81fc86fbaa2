/**
 * Setting up a province on a real install (no demo data), as the operator and the national admin do it: the CLI in
 * child processes on an empty data directory (or a fresh PostgreSQL database with DATABASE_URL) creates the first
 * national admin and a top-level provincial government (`aduan agencies add`, zone derived from the region); a bad
 * import file is refused row by row in both languages with nothing written; `--dry-run` writes nothing; the example
 * file (docs/examples/agencies-kaltim.csv) imports, updates the agency that already exists instead of duplicating
 * it, and imports again unchanged. Then the web app on the same database: the national admin (after changing the
 * printed password) adds a kab/kota government and its coordinator agency through the forms, invites a coordinator
 * there, who accepts and manages the kab/kota's agencies. Last, files as Excel on Indonesian Windows saves them
 * (windows-1252 with semicolons, with a notice; UTF-16LE with tabs; docs/examples/agencies-kaltim-excel.csv) import
 * with their names intact; the `aktif` column deactivates and reactivates, and where people hold roles needs
 * `--confirm-staff`; a workbook, a missing or an empty file is refused in both languages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { csrfOf, WebClient } from '../../test/helpers/web-client.ts';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildApp } from '../http/app.ts';
import { agenciesCli } from './agencies.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-agencies-'));
const pgDb = useThrowawayDatabase('cli_agencies');
const PUBLIC_URL = 'https://aduan.kaltimprov.example';
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'ce'.repeat(32),
  ADUAN_PUBLIC_URL: PUBLIC_URL,
  ADUAN_DEMO: '0',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};
const EXAMPLE = join(root, 'docs/examples/agencies-kaltim.csv');

const aduan = (...args: string[]) => runAduan(env, ...args);

/** windows-1252 bytes of a text (Latin-1 plus the en dash, 0x96). */
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c === '–' ? 0x96 : c.charCodeAt(0))));
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `aduan agencies <sub>` in this process on an open runtime (kept open), capturing what it prints. */
async function inProcess(
  runtime: Runtime,
  sub: string,
  positionals: string[],
  values: Record<string, string | boolean> = {},
) {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((l: unknown) => void lines.push(String(l)));
  const err = vi.spyOn(console, 'error').mockImplementation((l: unknown) => void lines.push(String(l)));
  try {
    const code = await agenciesCli(sub, { values, positionals }, async () => ({
      ...runtime,
      close: async () => undefined,
    }));
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('aduan agencies on a fresh install', { timeout: 300_000 }, () => {
  let password = '';

  it('starts with no agency; the operator adds the first admin and a top-level provincial government', () => {
    const empty = aduan('agencies', 'list'); // the first open migrates and loads the reference data, no demo
    expect(empty.code, empty.out).toBe(0);
    expect(empty.out).toContain('agencies: none yet');

    const admin = aduan(
      'users',
      'create-admin',
      '--email',
      'admin@diskominfo.kaltimprov.example',
      '--name',
      'Admin Diskominfo Kaltim',
    );
    expect(admin.code, admin.out).toBe(0);
    password = /temporary password \(shown once, to be changed at the first sign-in\): (\S+)/.exec(
      admin.out,
    )![1]!;

    const bad = aduan(
      'agencies',
      'add',
      '--name',
      'Pemerintah Provinsi Kalimantan Timur',
      '--kind',
      'pemerintah_provinsi',
      '--region',
      '64.71',
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      'aduan agencies add: --region: Pemerintah provinsi memerlukan kode provinsi (dua digit, misalnya 64). / A provincial government needs a province code (two digits, for example 64).',
    );
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
      '--short-name',
      'Pemprov Kaltim',
    );
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain('agencies: added pemprov-kaltim (pemerintah_provinsi, region 64, WITA)');
    const usage = aduan('agencies', 'add', '--name', 'X');
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('missing --kind');
  });

  it('imports the tree from CSV: bad rows refused with nothing written, dry run, then the example twice', async () => {
    const runtime = await openRuntime(loadConfig(env));
    try {
      const count = async () =>
        Number(
          (
            (await runtime.services.db.execute(sql`select count(*)::int as n from agencies`)) as unknown as {
              rows: Array<{ n: number }>;
            }
          ).rows[0]!.n,
        );
      const badFile = join(dataDir, 'bad.csv');
      writeFileSync(
        badFile,
        [
          'id,parent_id,name,short_name,kind,region_code,zone,is_coordinator,sms_keyword',
          ',pemprov-kaltim,Dinas Kesehatan Provinsi Kalimantan Timur,Dinkes Kaltim,perangkat_daerah,,,,',
          ',tidak-ada,Dinas Sosial,,perangkat_daerah,,,,',
          'Bad_Id,,Pemerintah Kota Bontang,,pemerintah_kabupaten_kota,64.74,XYZ,mungkin,',
          ',pemprov-kaltim,dinas kesehatan provinsi kalimantan timur,,unit,,,,',
        ].join('\n'),
      );
      const bad = await inProcess(runtime, 'import', [badFile]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('baris/row 3, parent_id: Instansi tidak dikenal. / Unknown agency.');
      expect(bad.out).toContain('baris/row 4, id: Id hanya boleh berisi huruf kecil');
      expect(bad.out).toContain(
        'baris/row 4, zone: Harus salah satu dari: WIB, WITA, WIT. / Must be one of: WIB, WITA, WIT.',
      );
      expect(bad.out).toContain(
        'baris/row 4, is_coordinator: Isi dengan true atau false (atau kosongkan). / Use true or false',
      );
      expect(bad.out).toContain(
        'baris/row 5, name: Sudah ada instansi dengan nama ini di bawah induk yang sama. / An agency with this name already exists under the same parent.',
      );
      expect(bad.out).toContain('nothing imported');
      expect(await count()).toBe(1);
      const unknownColumn = join(dataDir, 'columns.csv');
      writeFileSync(unknownColumn, 'id,nama,kind\nx,Dinas,unit\n');
      const cols = await inProcess(runtime, 'import', [unknownColumn]);
      expect(cols.code).toBe(1);
      expect(cols.out).toContain(
        `aduan agencies import: Baris judul berkas ${unknownColumn} tidak memuat kolom wajib: name. Kolom yang ditemukan: id, nama, kind. / The header row of ${unknownColumn} lacks the required column(s): name. Columns found: id, nama, kind.`,
      );
      const extraColumn = join(dataDir, 'extra.csv');
      writeFileSync(extraColumn, 'id,nama,name,kind\nx,Dinas,Dinas,unit\n');
      const extra = await inProcess(runtime, 'import', [extraColumn]);
      expect(extra.code).toBe(1);
      expect(extra.out).toContain('baris/row 1, nama: Kolom tidak dikenal.');

      const dry = await inProcess(runtime, 'import', [EXAMPLE], { 'dry-run': true });
      expect(dry.code, dry.out).toBe(0);
      expect(dry.out).toMatch(/would create\tdiskominfo-kaltim\tperangkat_daerah\t64\tWITA\tcoordinator\t/);
      // The agency added by hand is updated (its SMS keyword), not duplicated.
      expect(dry.out).toMatch(/would update\tpemprov-kaltim\t/);
      expect(dry.out).toContain('dry run, nothing written');
      expect(await count()).toBe(1);

      const done = await inProcess(runtime, 'import', [EXAMPLE]);
      expect(done.code, done.out).toBe(0);
      expect(done.out).toMatch(/agencies import: 18 create, 1 update, 0 unchanged/);
      expect(await count()).toBe(19);
      const { rows } = (await runtime.services.db.execute(
        sql`select id, parent_id, region_code, zone, is_coordinator, sms_keyword from agencies where id in ('diskominfo-balikpapan', 'dpu-balikpapan-upt-drainase', 'ombudsman-kaltim', 'pemprov-kaltim') order by id`,
      )) as unknown as { rows: Array<Record<string, unknown>> };
      expect(rows).toEqual([
        {
          id: 'diskominfo-balikpapan',
          parent_id: 'pemkot-balikpapan',
          region_code: '64.71',
          zone: 'WITA',
          is_coordinator: true,
          sms_keyword: null,
        },
        {
          id: 'dpu-balikpapan-upt-drainase',
          parent_id: 'dpu-balikpapan',
          region_code: '64.71',
          zone: 'WITA',
          is_coordinator: false,
          sms_keyword: null,
        },
        {
          id: 'ombudsman-kaltim',
          parent_id: null,
          region_code: '64',
          zone: 'WITA',
          is_coordinator: false,
          sms_keyword: null,
        },
        {
          id: 'pemprov-kaltim',
          parent_id: null,
          region_code: '64',
          zone: 'WITA',
          is_coordinator: false,
          sms_keyword: 'KALTIM',
        },
      ]);
      // Again: every row matches an agency (by id, or by parent and name), nothing is duplicated.
      const again = await inProcess(runtime, 'import', [EXAMPLE]);
      expect(again.code, again.out).toBe(0);
      expect(again.out).toContain('0 create, 0 update, 19 unchanged');
      expect(await count()).toBe(19);
      const list = await inProcess(runtime, 'list', []);
      expect(list.out).toMatch(/\n {2}diskominfo-kaltim\tperangkat_daerah\t64\tWITA\tcoordinator\t\t/);
    } finally {
      await runtime.close();
    }
  });

  it('the national admin adds a kab/kota government and its coordinator agency on the web, and invites its coordinator', async () => {
    const config = loadConfig(env);
    const runtime = await openRuntime(config);
    const app = await buildApp({ services: runtime.services, logLevel: 'silent' });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const admin = new WebClient(url);
      const signIn = await admin.post('/masuk', { email: 'admin@diskominfo.kaltimprov.example', password });
      expect(signIn.status).toBe(303);
      const pw = await admin.get('/kantor/kata-sandi');
      const changed = await admin.post('/kantor/kata-sandi', {
        _csrf: csrfOf(pw.html),
        currentPassword: password,
        newPassword: 'sandi admin kaltim yang panjang',
        newPasswordConfirm: 'sandi admin kaltim yang panjang',
      });
      expect(changed.status).toBe(303);

      const tree = await admin.get('/kantor/admin/instansi');
      expect(tree.status).toBe(200);
      expect(tree.html).toContain('id="h-create"');
      const gov = await admin.post('/kantor/admin/instansi', {
        _csrf: csrfOf(tree.html),
        name: 'Pemerintah Kabupaten Kutai Kartanegara',
        shortName: 'Pemkab Kukar',
        kind: 'pemerintah_kabupaten_kota',
        regionCode: '64.02',
      });
      expect(gov.status, gov.html.slice(0, 1500)).toBe(303);
      const govId = 'pemerintah-kabupaten-kutai-kartanegara';
      expect(gov.location).toMatch(new RegExp(`^/kantor/admin/instansi/${govId}\\?`));
      const govPage = await admin.get(`/kantor/admin/instansi/${govId}`);
      expect(govPage.html).toContain('<dd>64.02</dd>');
      expect(govPage.html).toContain('<dd>WITA</dd>');
      const kominfo = await admin.post(`/kantor/admin/instansi/${govId}/tambah`, {
        _csrf: csrfOf(govPage.html),
        childName: 'Dinas Komunikasi dan Informatika Kabupaten Kutai Kartanegara',
        childShortName: 'Diskominfo Kukar',
        kind: 'perangkat_daerah',
        childIsCoordinator: 'true',
      });
      expect(kominfo.status, kominfo.html.slice(0, 1500)).toBe(303);
      const kid = /\/kantor\/admin\/instansi\/([a-z0-9-]+)\?/.exec(kominfo.location!)![1]!;
      expect((await admin.get(`/kantor/admin/instansi/${kid}`)).html).toContain('data-coordinator="true"');

      // The invitation form now offers the new agency; invite its coordinator.
      const usersPage = await admin.get('/kantor/admin/pengguna');
      expect(usersPage.html).toContain(`value="${kid}"`);
      const invite = await admin.post('/kantor/admin/pengguna', {
        _csrf: csrfOf(usersPage.html),
        name: 'Koordinator Diskominfo Kukar',
        email: 'kominfo@kukarkab.example',
        role: 'coordinator',
        agencyId: kid,
      });
      expect([200, 303], invite.html.slice(0, 1500)).toContain(invite.status);
      const { rows } = (await runtime.services.db.execute(
        sql`select payload from outbox where kind = 'staff.invite' order by id desc limit 1`,
      )) as unknown as { rows: Array<{ payload: Record<string, string> }> };
      const text = runtime.services.sealer.open<string>(rows[0]!.payload.textEnc!);
      const link = new RegExp(`${PUBLIC_URL}(/undangan\\?token=[A-Za-z0-9_-]+)`).exec(text)![1]!;

      const coord = new WebClient(url);
      expect((await coord.get(link)).status).toBe(200);
      const accepted = await coord.post('/undangan', {
        token: new URL(link, url).searchParams.get('token')!,
        name: 'Koordinator Diskominfo Kukar',
        password: 'sandi koordinator kukar panjang',
        passwordConfirm: 'sandi koordinator kukar panjang',
      });
      expect(accepted.status).toBe(303);
      const own = await coord.get('/kantor/admin/instansi');
      expect(own.status).toBe(200);
      expect(own.html).toContain('Pemerintah Kabupaten Kutai Kartanegara');
      expect(own.html).not.toContain('Pemerintah Kota Balikpapan');
      expect(own.html).not.toContain('id="h-create"');
      expect((await coord.get('/kantor/admin/instansi/ombudsman-kaltim')).status).toBe(404);
    } finally {
      await app.close();
      await runtime.close();
    }
  });

  it('reads files as Excel on Indonesian Windows saves them, and deactivates agencies through the active column', () => {
    // "CSV" from Excel with the Indonesian list separator: semicolons, windows-1252 (the en dash is 0x96).
    const semicolons = join(dataDir, 'excel-semicolon.csv');
    writeFileSync(
      semicolons,
      cp1252(
        [
          'id;parent_id;name;short_name;kind;region_code;zone;is_coordinator;sms_keyword;aktif',
          ';pupr-kaltim;"Seksi Jalan; Jembatan – Wilayah Utara";;unit;;;;;',
          'pupr-kaltim;pemprov-kaltim;Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur;Dinas PUPR Kaltim;perangkat_daerah;;;;;',
          ';dishub-samarinda;UPT Parkir;;unit;;;;;tidak',
          ';;;;;;;;;',
        ].join('\r\n') + '\r\n',
      ),
    );
    const semi = aduan('agencies', 'import', semicolons);
    expect(semi.code, semi.out).toBe(0);
    expect(semi.out).toContain(
      `aduan agencies import: Berkas ${semicolons} bukan UTF-8; dibaca sebagai Windows-1252 (CSV dari Excel di Windows).`,
    );
    expect(semi.out).toContain(`/ ${semicolons} is not UTF-8; read as Windows-1252`);
    expect(semi.out).toMatch(
      /^create\tpupr-kaltim-[a-z0-9-]+\tunit\t64\tWITA\tSeksi Jalan; Jembatan – Wilayah Utara$/m,
    );
    expect(semi.out).toMatch(
      /^update\tdishub-samarinda-upt-parkir\tunit\t64\.72\tWITA\t\(inactive\)\tUPT Parkir$/m,
    );
    expect(semi.out).toContain('agencies import: 1 create, 1 update, 1 unchanged');

    // "Unicode text" from Excel: UTF-16LE with a BOM, tab-separated; reactivates the unit.
    const unicode = join(dataDir, 'excel-unicode.txt');
    writeFileSync(
      unicode,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          'parent_id\tname\tkind\tactive\r\n' +
            'dishub-samarinda\tUPT Parkir\tunit\tya\r\n' +
            'dinkes-balikpapan\tPuskesmas Gunung Sari Ilir – Balikpapan Tengah\tunit\t\r\n',
          'utf16le',
        ),
      ]),
    );
    const utf16 = aduan('agencies', 'import', unicode);
    expect(utf16.code, utf16.out).toBe(0);
    expect(utf16.out).not.toContain('Windows-1252');
    expect(utf16.out).toContain('agencies import: 1 create, 1 update, 0 unchanged');

    const list = JSON.parse(aduan('agencies', 'list', '--json').out) as Array<{
      id: string;
      parentId: string | null;
      name: string;
      active: boolean;
    }>;
    const named = (name: string) => list.filter((a) => a.name === name);
    expect(named('Seksi Jalan; Jembatan – Wilayah Utara')).toMatchObject([
      { parentId: 'pupr-kaltim', active: true },
    ]);
    expect(named('Puskesmas Gunung Sari Ilir – Balikpapan Tengah')).toMatchObject([
      { parentId: 'dinkes-balikpapan', active: true },
    ]);
    expect(named('UPT Parkir')).toMatchObject([{ id: 'dishub-samarinda-upt-parkir', active: true }]);
    expect(JSON.stringify(list)).not.toMatch(/[\ufffd\u0080-\u009f]/);

    // The coordinator invited on the web holds a role at the Diskominfo Kukar: deactivating it needs --confirm-staff.
    const kukar = list.find(
      (a) => a.name === 'Dinas Komunikasi dan Informatika Kabupaten Kutai Kartanegara',
    )!;
    const staffed = join(dataDir, 'deactivate-kukar.csv');
    writeFileSync(
      staffed,
      `id;parent_id;name;kind;aktif\n${kukar.id};${kukar.parentId};${kukar.name};perangkat_daerah;tidak\n`,
    );
    const refused = aduan('agencies', 'import', staffed);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      'baris/row 2, active: 1 orang masih memegang peran di instansi ini. Cabut dulu perannya, atau ulangi impor dengan --confirm-staff untuk tetap menonaktifkannya (perannya tetap ada). / 1 person still holds a role in this agency. Revoke that role first, or import again with --confirm-staff',
    );
    expect(refused.out).toContain('nothing imported');
    const confirmed = aduan('agencies', 'import', staffed, '--confirm-staff');
    expect(confirmed.code, confirmed.out).toBe(0);
    expect(confirmed.out).toContain('agencies import: 0 create, 1 update, 0 unchanged');
    const after = JSON.parse(aduan('agencies', 'list', '--json').out) as typeof list;
    expect(after.find((a) => a.id === kukar.id)!.active).toBe(false);
    expect(aduan('users', 'list').out).toContain(`coordinator@${kukar.id}`);

    // Not a usable CSV: refused before the database is touched, in both languages.
    const xlsx = join(dataDir, 'instansi.xlsx');
    writeFileSync(
      xlsx,
      Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000', 'latin1'), Buffer.alloc(200, 1)]),
    );
    const workbook = aduan('agencies', 'import', xlsx);
    expect(workbook.code).toBe(1);
    expect(workbook.out).toContain(
      `aduan agencies import: Berkas ${xlsx} adalah buku kerja spreadsheet (Excel .xlsx/.xls atau .ods), bukan CSV. Buka di Excel, pilih Simpan Sebagai "CSV UTF-8 (Dipisahkan koma)"`,
    );
    expect(workbook.out).toContain(
      `/ ${xlsx} is a spreadsheet workbook (Excel .xlsx/.xls or .ods), not CSV.`,
    );
    const missing = aduan('agencies', 'import', join(dataDir, 'tidak-ada.csv'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(
      `tidak-ada.csv tidak ditemukan. / File ${join(dataDir, 'tidak-ada.csv')} not found.`,
    );
    // The Excel example (windows-1252, semicolons, aktif) applies to the tree of the first example.
    const excel = aduan(
      'agencies',
      'import',
      join(root, 'docs/examples/agencies-kaltim-excel.csv'),
      '--dry-run',
    );
    expect(excel.code, excel.out).toBe(0);
    expect(excel.out).toContain('bukan UTF-8; dibaca sebagai Windows-1252');
    expect(excel.out).toMatch(
      /^would create\tpupr-kaltim-[a-z0-9-]+\tunit\t64\tWITA\tUPT Jalan dan Jembatan – Wilayah Utara; Bontang$/m,
    );
    expect(excel.out).toMatch(/^would update\tdishub-samarinda-upt-parkir\t.*\(inactive\)\tUPT Parkir$/m);
    expect(excel.out).toContain('1 would create, 1 would update, 2 unchanged');
    const empty = join(dataDir, 'kosong.csv');
    writeFileSync(empty, '\ufeff\r\n');
    expect(aduan('agencies', 'import', empty).out).toContain(
      `Berkas ${empty} kosong. Baris pertamanya harus berisi judul kolom: id,parent_id,name,`,
    );
  });
});
