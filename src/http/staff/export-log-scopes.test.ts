/**
 * Downloads in the administration log, the gaps after the queue export (docs/back-office.md "Search and export",
 * docs/security.md "Administration audit log"), over real HTTP and a real database:
 * - the queue XLSX's notes sheet names the filters (status in the file's language, category, region and agency by
 *   their current names, as the log does), in both languages;
 * - a person with two staff grants (an officer of Bidang Bina Marga and an agency admin of Pemerintah Kota
 *   Balikpapan) has each download filed under the grant it was made in, whatever order the grants come in; one over
 *   both grants' reports names both, and each grant's coordinator reads it, another region's coordinator not;
 * - staff downloads of statistics tables (`/kantor/statistik.csv|.xlsx`, `/kantor/statistik/rute.csv`) leave one
 *   `export.stats` entry each (table, format, rows, grouping, dates, scope), filed under the scope's grant and read in
 *   words (id, en) with the export group filter; a refused one (422) none, and no file when the entry cannot be
 *   written; the public statistics downloads stay unlogged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
const { rows, idOf, lastId, entriesAfter } = auditLog(() => t);
const PUPR = 'Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur';
const PEMKOT = 'Pemerintah Kota Balikpapan';
const UNIT = 'Bidang Bina Marga, Dinas PUPR Kaltim';
const WORD = 'Markerlingkup';
const NAME = 'Sutanto Markerlingkup';
let categoryId: number;
let categoryName: string;

async function get(email: string, path: string) {
  return fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
}

async function logPage(email: string, query = '') {
  const res = await get(email, `/kantor/admin/log?kelompok=export${query}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The notes sheet of a queue XLSX as label → value. */
async function notes(res: Response): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const out = new Map<string, string>();
  wb.worksheets[1]!.eachRow((r) => out.set(String(r.getCell(1).value), String(r.getCell(2).value)));
  return out;
}

/** Runs one download and returns its response and the entries it wrote. */
async function download(email: string, path: string) {
  const since = await lastId();
  const res = await get(email, path);
  const body = await res.arrayBuffer();
  return { res, body, entries: await entriesAfter(since) };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
  categoryName = (await rows<{ name: string }>(sql`select name from categories where id = ${categoryId}`))[0]!
    .name;
  // The officer also administers Pemerintah Kota Balikpapan: two staff grants.
  await rows(
    sql`insert into role_grants (user_id, role, agency_id)
        values (${await idOf(DEMO.puprOfficer)}, 'agency_admin', 'pemkab-balikpapan')`,
  );
  const coord = await t.login(DEMO.coordinator);
  const pupr = await t.login(DEMO.puprAdmin);
  // Two reports for Bidang Bina Marga (Samarinda), one for Pemerintah Kota Balikpapan.
  for (const what of ['Jalan', 'Jembatan']) {
    const tid = await submitReport(t, `${what} ${WORD} rusak`, { anonymous: true, reporter: { name: NAME } });
    await actOk(t, tid, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    await actOk(t, tid, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });
  }
  const bpp = await submitReport(t, `Trotoar ${WORD} rusak`, {
    regionCode: '64.71.01',
    anonymous: true,
    reporter: { name: NAME },
  });
  await actOk(t, bpp, 'verify', { categoryId, agencyId: 'pemkab-balikpapan' }, { token: coord });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the queue XLSX names its filters', () => {
  it('status in the file’s language, category, region and agency by name (id and en)', async () => {
    const params = new URLSearchParams({
      status: 'dispatched',
      kategori: String(categoryId),
      wilayah: '64.72',
      instansi: 'pupr-kaltim',
    });
    const id = await notes(await get(DEMO.national, `/kantor/cari.xlsx?${params.toString()}`));
    expect(id.get('Filter')).toBe(
      `Status: Didisposisikan; Kategori: ${categoryName}; Kabupaten/kota: Kota Samarinda; ` +
        `Instansi yang menangani: ${PUPR}`,
    );
    const en = await notes(await get(DEMO.national, `/kantor/cari.xlsx?${params.toString()}&lang=en`));
    expect(en.get('Filters')).toBe(
      `Status: Dispatched; Category: ${categoryName}; Regency/city: Kota Samarinda; Handling agency: ${PUPR}`,
    );
    for (const v of [...id.values(), ...en.values()]) {
      expect(v).not.toContain('pupr-kaltim');
      expect(v).not.toMatch(new RegExp(`: ${categoryId}(;|$)`));
    }
  });
});

describe('a person with two staff grants', () => {
  it('has each download filed under the grant it was made in', async () => {
    const grants = await rows<{ agency_id: string }>(
      sql`select agency_id from role_grants where user_id = ${await idOf(DEMO.puprOfficer)}`,
    );
    expect(grants.map((g) => g.agency_id).sort()).toEqual(['pemkab-balikpapan', 'pupr-kaltim-unit']);

    const bpp = await download(DEMO.puprOfficer, `/kantor/cari.csv?instansi=pemkab-balikpapan`);
    expect(bpp.res.status).toBe(200);
    expect(bpp.res.headers.get('x-total-count')).toBe('1');
    expect(bpp.entries).toHaveLength(1);
    expect(bpp.entries[0]).toMatchObject({ action: 'export.queue', agency_id: 'pemkab-balikpapan' });
    expect(bpp.entries[0]!.details).not.toHaveProperty('grantAgencies');

    const unit = await download(DEMO.puprOfficer, `/kantor/cari.xlsx?instansi=pupr-kaltim-unit`);
    expect(unit.res.headers.get('x-total-count')).toBe('2');
    expect(unit.entries).toHaveLength(1);
    expect(unit.entries[0]).toMatchObject({ action: 'export.queue', agency_id: 'pupr-kaltim-unit' });

    // The grant rows written again the other way round: the filing does not follow their order.
    await rows(
      sql`with gone as (delete from role_grants where user_id = ${await idOf(DEMO.puprOfficer)}
            and agency_id = 'pupr-kaltim-unit' returning *)
          insert into role_grants select * from gone`,
    );
    for (const [q, agency] of [
      [`Trotoar ${WORD}`, 'pemkab-balikpapan'],
      [`Jalan ${WORD}`, 'pupr-kaltim-unit'],
    ] as const) {
      const one = await download(
        DEMO.puprOfficer,
        `/kantor/cari.csv?${new URLSearchParams({ q }).toString()}`,
      );
      expect(one.entries[0]).toMatchObject({ agency_id: agency });
    }

    // Over both grants' reports: filed under the grant with most of them, naming both.
    const both = await download(DEMO.puprOfficer, `/kantor/cari.csv?q=${WORD}`);
    expect(both.res.headers.get('x-total-count')).toBe('3');
    expect(both.entries).toHaveLength(1);
    expect(both.entries[0]).toMatchObject({ action: 'export.queue', agency_id: 'pupr-kaltim-unit' });
    expect(both.entries[0]!.details.grantAgencies).toEqual(['pupr-kaltim-unit', 'pemkab-balikpapan']);
    expect(JSON.stringify(both.entries)).not.toContain(WORD);
    expect(JSON.stringify(both.entries)).not.toContain(NAME);
  });

  it('each grant’s coordinator reads the downloads made in it, another region’s not', async () => {
    const balikpapan = await logPage(DEMO.balikpapanCoordinator);
    // Its own agency's two downloads and the one over both grants; not the unit's.
    expect(balikpapan.match(/data-action="export\.queue"/g)).toHaveLength(3);
    expect(balikpapan).toContain(`Instansi yang menangani: ${PEMKOT}`);
    expect(balikpapan).not.toContain(`Instansi yang menangani: ${UNIT}`);
    expect(balikpapan).toContain(`berkas memuat laporan dari lingkup beberapa peran: ${UNIT}, ${PEMKOT}`);
    const en = await logPage(DEMO.balikpapanCoordinator, '&lang=en');
    expect(en).toContain(`the file holds reports of several roles’ scopes: ${UNIT}, ${PEMKOT}`);
    // The agency filter finds a download over both grants under either agency.
    const filtered = await logPage(DEMO.national, '&instansi=pemkab-balikpapan');
    expect(filtered.match(/data-action="export\.queue"/g)).toHaveLength(3);
    for (const html of [balikpapan, en, filtered]) expect(html).not.toContain(NAME);
  });
});

describe('statistics downloads are logged', () => {
  const RANGE = 'dari=2026-01-01&sampai=2026-03-31';

  it('one export.stats entry per download, filed under the scope’s grant; nothing of a report', async () => {
    const national = await download(DEMO.national, `/kantor/statistik.csv?kelompok=agency&${RANGE}`);
    expect(national.res.status).toBe(200);
    expect(national.entries).toHaveLength(1);
    const csvRows = new TextDecoder().decode(national.body).trim().split('\n').length - 1;
    expect(national.entries[0]).toMatchObject({
      actor_user_id: await idOf(DEMO.national),
      action: 'export.stats',
      target_type: 'stats',
      target_id: 'statistics.csv',
      agency_id: null,
    });
    expect(national.entries[0]!.details).toEqual({
      table: 'statistics',
      format: 'csv',
      rows: csvRows,
      groupBy: 'agency',
      from: '2026-01-01',
      to: '2026-03-31',
      scope: 'national',
    });

    const region = await download(
      DEMO.balikpapanCoordinator,
      `/kantor/statistik.xlsx?kelompok=category&${RANGE}`,
    );
    expect(region.res.status).toBe(200);
    expect(region.entries[0]).toMatchObject({
      target_id: 'statistics.xlsx',
      agency_id: 'diskominfo-balikpapan',
    });
    expect(region.entries[0]!.details).toMatchObject({
      scope: 'region',
      regionCode: '64.71',
      groupBy: 'category',
    });

    const agency = await download(DEMO.puprAdmin, `/kantor/statistik.csv?kelompok=month&${RANGE}`);
    expect(agency.entries[0]).toMatchObject({ agency_id: 'pupr-kaltim' });
    expect(agency.entries[0]!.details).toMatchObject({ scope: 'agency', agencyId: 'pupr-kaltim' });

    const routing = await download(DEMO.coordinator, '/kantor/statistik/rute.csv?bulan=3');
    expect(routing.res.status).toBe(200);
    expect(routing.entries).toHaveLength(1);
    expect(routing.entries[0]).toMatchObject({
      action: 'export.stats',
      target_id: 'routing_accuracy.csv',
      agency_id: 'diskominfo-kaltim',
    });
    expect(routing.entries[0]!.details).toEqual({
      table: 'routing_accuracy',
      format: 'csv',
      rows: new TextDecoder().decode(routing.body).trim().split('\n').length - 1,
      months: 3,
      scope: 'region',
      regionCode: '64',
    });
    for (const d of [national, region, agency, routing]) {
      const text = JSON.stringify(d.entries);
      expect(text).not.toContain(WORD);
      expect(text).not.toContain(NAME);
    }
  });

  it('a refused download and the public downloads leave no entry', async () => {
    const since = await lastId();
    expect((await get(DEMO.national, '/kantor/statistik.csv?dari=2026-04-01&sampai=2026-03-01')).status).toBe(
      422,
    );
    expect((await get(DEMO.coordinator, '/kantor/statistik/rute.csv?bulan=99')).status).toBe(422);
    for (const path of ['/kantor/statistik.csv', '/kantor/statistik/rute.csv']) {
      expect((await get(DEMO.citizen, path)).status).not.toBe(200);
    }
    for (const path of ['/api/v1/stats.csv', '/api/v1/stats.xlsx', '/api/v1/open-data/reports.csv']) {
      expect((await fetch(t.url + path)).status).toBe(200);
      // Signed in or not, the public table is the public's: not logged either.
      expect((await get(DEMO.national, path)).status).toBe(200);
    }
    expect(await entriesAfter(since)).toEqual([]);
  });

  it('no entry, no file', async () => {
    const db = t.runtime.services.db;
    await db.execute(sql`create function refuse_stats_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit log unavailable'; end $$`);
    await db.execute(sql`create trigger refuse_stats_audit before insert on admin_audit_log
      for each row execute function refuse_stats_audit()`);
    try {
      for (const path of ['/kantor/statistik.xlsx', '/kantor/statistik/rute.csv']) {
        const res = await get(DEMO.coordinator, path);
        expect(res.status).toBeGreaterThanOrEqual(500);
        expect(res.headers.get('content-disposition')).toBeNull();
      }
    } finally {
      await db.execute(sql`drop trigger refuse_stats_audit on admin_audit_log`);
      await db.execute(sql`drop function refuse_stats_audit()`);
    }
  });

  it('/kantor/admin/log reads them in words (id, en) to whom the scope belongs', async () => {
    const nat = await logPage(DEMO.national);
    expect(nat).toContain('<option value="export" selected>Unduhan (antrean, statistik)</option>');
    expect(nat).toContain(
      'mengunduh tabel statistik (CSV) per instansi, 1 Januari 2026 sampai 31 Maret 2026, cakupan tingkat nasional',
    );
    expect(nat).toContain(
      'mengunduh tabel statistik (XLSX) per kategori, 1 Januari 2026 sampai 31 Maret 2026, ' +
        'cakupan Kota Balikpapan',
    );
    expect(nat).toContain(`per bulan, 1 Januari 2026 sampai 31 Maret 2026, cakupan ${PUPR}`);
    expect(nat).toMatch(
      /mengunduh ketepatan saran rute \(CSV\), 3 bulan terakhir, cakupan Kalimantan Timur: \d+ baris/,
    );
    const en = await logPage(DEMO.national, '&lang=en');
    expect(en).toContain('<option value="export" selected>Downloads (queue, statistics)</option>');
    expect(en).toContain(
      'downloaded the statistics table (XLSX) by category, 1 January 2026 to 31 March 2026, ' +
        'scope Kota Balikpapan',
    );
    expect(en).toMatch(
      /downloaded routing accuracy \(CSV\), last 3 months, scope Kalimantan Timur: \d+ rows/,
    );

    const kaltim = await logPage(DEMO.coordinator);
    expect(kaltim).toContain('data-action="export.stats"');
    expect(kaltim).toContain('cakupan Kota Balikpapan');
    expect(kaltim).toContain(`cakupan ${PUPR}`);
    expect(kaltim).not.toContain('cakupan tingkat nasional');
    const balikpapan = await logPage(DEMO.balikpapanCoordinator);
    expect(balikpapan).toContain('cakupan Kota Balikpapan');
    expect(balikpapan).not.toContain('cakupan Kalimantan Timur');
    expect(balikpapan).not.toContain(`cakupan ${PUPR}`);
    // The group filter keeps out every other kind of change.
    expect(nat).not.toContain('data-action="role.grant"');
  });
});
