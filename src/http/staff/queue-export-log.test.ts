/**
 * Queue exports that are cut, and the administration log of every export, over real HTTP (docs/back-office.md
 * "Search and export", docs/security.md "Administration audit log"). The app runs with an export cap of 2 rows, so a
 * cut export needs three reports, not 10,001.
 * - a cut file says so itself: its name (`…-sebagian-2-dari-3.csv`, en `partial-2-of-3`) and the XLSX's second sheet
 *   "Catatan"/"Notes" (rows, matched, "TIDAK LENGKAP", the filters); a whole file is named plainly and says "Lengkap";
 * - every download leaves one `export.queue` entry (who, when, format, rows, matched, cut, sort, filters) filed under
 *   the exporter's agency, with no free text, no tracking number and nothing of a reporter; a refused download (422,
 *   a citizen) none; when the entry cannot be written no file is sent;
 * - `/kantor/admin/log` shows it in words (id, en) to the national admin and the coordinator of the exporter's region,
 *   not to another region's coordinator, and filters it by its group;
 * - the filters' category, region and agency read by their current names in both languages (the entry keeps the ids);
 *   an id that no longer resolves reads as the id with a note, never an error;
 * - the file's name and "Dibuat" follow the home zone (ADUAN_TIME_ZONE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
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
import { recordAdminAction } from '../../db/repositories/admin-audit.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
const { rows, idOf, lastId, entriesAfter } = auditLog(() => t);
const PUPR = 'Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur';

const WORD = 'Markerunduh';
const MARK = {
  name: 'Sutanto Markerpelapor',
  email: 'smarkerpelapor@example.org',
  phone: '081277770031',
  nik: '6472000000000031',
};
const ids: string[] = [];

async function get(email: string, path: string) {
  return fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
}

const exportPath = (ext: 'csv' | 'xlsx', params: Record<string, string>) =>
  `/kantor/cari.${ext}?${new URLSearchParams(params).toString()}`;

async function workbook(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

/** The notes sheet as label → value. */
function notes(wb: ExcelJS.Workbook): Map<string, string> {
  const out = new Map<string, string>();
  wb.worksheets[1]!.eachRow((r) => out.set(String(r.getCell(1).value), String(r.getCell(2).value)));
  return out;
}

beforeAll(async () => {
  t = await startTestApp({ exportCap: 2 });
  const categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  const pupr = await t.login(DEMO.puprAdmin);
  for (const what of ['Jalan', 'Jembatan', 'Gorong-gorong']) {
    const tid = await submitReport(t, `${what} ${WORD} rusak`, { anonymous: true, reporter: MARK });
    await actOk(t, tid, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    await actOk(t, tid, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });
    ids.push(tid);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a cut export says so in the file', () => {
  it('CSV: the rows up to the cap, the headers, and a file name that names the cut', async () => {
    const res = await get(DEMO.puprOfficer, exportPath('csv', { q: WORD }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-export-truncated')).toBe('true');
    expect(res.headers.get('x-total-count')).toBe('3');
    expect(res.headers.get('x-export-rows')).toBe('2');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="aduan-antrean-\d{4}-\d{2}-\d{2}-sebagian-2-dari-3\.csv"$/,
    );
    const [header, ...rows] = parse(await res.text()) as string[][];
    expect(header![0]).toBe('Nomor pelacakan');
    // Every line is a report: no note row for a parser to choke on.
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(ids).toContain(r[0]);
    const en = await get(DEMO.puprOfficer, exportPath('csv', { q: WORD, lang: 'en' }));
    expect(en.headers.get('content-disposition')).toMatch(/-partial-2-of-3\.csv"$/);
  });

  it('XLSX: a second sheet "Catatan" says the file is incomplete, with the filters', async () => {
    const res = await get(DEMO.puprOfficer, exportPath('xlsx', { q: WORD, status: 'dispatched' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/-sebagian-2-dari-3\.xlsx"$/);
    const wb = await workbook(res);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Antrean laporan', 'Catatan']);
    expect(wb.worksheets[0]!.rowCount).toBe(3);
    const n = notes(wb);
    expect(n.get('Laporan dalam berkas ini')).toBe('2');
    expect(n.get('Laporan yang cocok')).toBe('3');
    expect(n.get('Kelengkapan')).toMatch(/^TIDAK LENGKAP: berkas ini hanya memuat 2 laporan pertama dari 3/);
    expect(n.get('Filter')).toBe(`Kata kunci atau nomor pelacakan: "${WORD}"; Status: Didisposisikan`);
    expect(n.get('Dibuat')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    expect(n.get('Data pelapor')).toMatch(/^Tidak ada/);
  });

  it('a whole export is named plainly and says it is complete (en: "Notes")', async () => {
    const res = await get(DEMO.puprOfficer, exportPath('xlsx', { q: `Jembatan ${WORD}`, lang: 'en' }));
    expect(res.headers.get('x-export-truncated')).toBe('false');
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="aduan-antrean-\d{4}-\d{2}-\d{2}\.xlsx"$/,
    );
    const wb = await workbook(res);
    expect(wb.worksheets[1]!.name).toBe('Notes');
    const n = notes(wb);
    expect(n.get('Completeness')).toBe('Complete: this file holds the one matching report.');
    expect(n.get('Filters')).toBe(`Keywords or tracking number: "Jembatan ${WORD}"`);
  });

  it('the results page says the download is cut', async () => {
    const res = await get(DEMO.puprOfficer, `/kantor?q=${WORD}`);
    expect(await res.text()).toContain('Unduhan hanya memuat 2 laporan pertama dari 3.');
  });
});

describe('the file is dated in the home zone (ADUAN_TIME_ZONE)', () => {
  it('23:30 WIB on 12 March: the name and "Dibuat" say 12 March, +07:00 (WITA would already be the 13th)', async () => {
    const wib = await startTestApp({ timeZone: 'WIB', now: new Date('2026-03-12T16:30:00Z') });
    try {
      const { cookie } = await sessionsFor(() => wib.url)(DEMO.puprOfficer);
      const res = await fetch(wib.url + exportPath('xlsx', { q: WORD }), {
        headers: { accept: 'text/html', cookie },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="aduan-antrean-2026-03-12.xlsx"',
      );
      expect(notes(await workbook(res)).get('Dibuat')).toBe('2026-03-12T23:30:00.000+07:00');
    } finally {
      await wib.close();
    }
  });
});

describe('every export is in the administration log', () => {
  it('one entry per download: who, format, rows, matched, cut, filters; no text and no reporter', async () => {
    const since = await lastId();
    const res = await get(
      DEMO.puprOfficer,
      exportPath('csv', { q: WORD, status: 'dispatched', terlambat: '', urutan: 'due' }),
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    const [entry, ...more] = await entriesAfter(since);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actor_user_id: await idOf(DEMO.puprOfficer),
      actor_label: null,
      action: 'export.queue',
      target_type: 'queue',
      target_id: 'csv',
      agency_id: 'pupr-kaltim-unit',
    });
    expect(entry!.details).toEqual({
      format: 'csv',
      rows: 2,
      total: 3,
      truncated: true,
      filters: { status: 'dispatched' },
      textSearch: true,
      sort: 'due',
    });
    const text = JSON.stringify(entry);
    for (const secret of [WORD, ...ids, MARK.name, MARK.email, MARK.phone, MARK.nik]) {
      expect(text).not.toContain(secret);
    }
    expect(body).not.toContain(MARK.name);

    // The national admin's export is a national entry; the XLSX is logged as such.
    const before = await lastId();
    await get(
      DEMO.national,
      exportPath('xlsx', { q: `Jembatan ${WORD}`, instansi: 'pupr-kaltim', kategori: '' }),
    );
    const [national] = await entriesAfter(before);
    expect(national).toMatchObject({ action: 'export.queue', target_id: 'xlsx', agency_id: null });
    expect(national!.details).toMatchObject({
      rows: 1,
      total: 1,
      truncated: false,
      filters: { instansi: 'pupr-kaltim' },
      textSearch: true,
      sort: null,
    });
  });

  it('a refused download leaves no entry', async () => {
    const since = await lastId();
    const bad = await get(DEMO.puprOfficer, exportPath('csv', { status: 'bogus' }));
    expect(bad.status).toBe(422);
    const citizen = await get(DEMO.citizen, exportPath('csv', { q: WORD }));
    expect(citizen.status).not.toBe(200);
    expect(await entriesAfter(since)).toEqual([]);
  });

  it('no entry, no file: when the log refuses the row, nothing is sent', async () => {
    const db = t.runtime.services.db;
    await db.execute(sql`create function refuse_export_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit log unavailable'; end $$`);
    await db.execute(sql`create trigger refuse_export_audit before insert on admin_audit_log
      for each row execute function refuse_export_audit()`);
    try {
      const res = await get(DEMO.puprOfficer, exportPath('csv', { q: WORD }));
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers.get('content-disposition')).toBeNull();
      const body = await res.text();
      for (const tid of ids) expect(body).not.toContain(tid);
    } finally {
      await db.execute(sql`drop trigger refuse_export_audit on admin_audit_log`);
      await db.execute(sql`drop function refuse_export_audit()`);
    }
  });

  it('/kantor/admin/log: in words for the national admin and the region coordinator, not another region', async () => {
    const log = async (email: string, query = '') => {
      const res = await get(email, `/kantor/admin/log${query}`);
      return { status: res.status, html: await res.text() };
    };
    const nat = await log(DEMO.national, '?kelompok=export');
    expect(nat.status).toBe(200);
    expect(nat.html).toContain('data-action="export.queue"');
    expect(nat.html).toContain(
      'mengunduh hasil pencarian antrean (CSV), terpotong: 2 laporan dari 3 yang cocok; ' +
        'Kata kunci atau nomor pelacakan (dipakai, isinya tidak dicatat); Status: Didisposisikan',
    );
    expect(nat.html).toContain('<option value="export" selected>Unduhan (antrean, statistik)</option>');
    expect(nat.html).not.toContain('data-action="agency.create"');
    const en = await log(DEMO.national, '?kelompok=export&lang=en');
    expect(en.html).toContain(
      'downloaded queue search results (XLSX): 1 of 1 matching reports; ' +
        `Keywords or tracking number (used, its words not recorded); Handling agency: ${PUPR}`,
    );
    const kaltim = await log(DEMO.coordinator, '?kelompok=export');
    expect(kaltim.status).toBe(200);
    // The officer's downloads (its unit is in the coordinator's region), not the national admin's.
    expect(kaltim.html).toContain('data-action="export.queue"');
    expect(kaltim.html).not.toContain(`Handling agency: ${PUPR}`);
    expect(kaltim.html).not.toContain(`Instansi yang menangani: ${PUPR}`);
    const bpp = await log(DEMO.balikpapanCoordinator, '?kelompok=export');
    expect(bpp.status).toBe(200);
    expect(bpp.html).not.toContain('data-action="export.queue"');
    for (const page of [nat.html, en.html, kaltim.html]) {
      for (const secret of [WORD, ...ids, MARK.name, MARK.phone]) expect(page).not.toContain(secret);
    }
    expect((await log(DEMO.puprOfficer)).status).toBe(403);
  });

  it('names the filters’ category, region and agency in both languages; an id gone reads as the id with a note', async () => {
    const categoryId = await categoryIdByName(t);
    const [category] = await rows<{ name: string }>(
      sql`select name from categories where id = ${categoryId}`,
    );
    const since = await lastId();
    const res = await get(
      DEMO.national,
      exportPath('csv', { kategori: String(categoryId), wilayah: '64.71', instansi: 'pupr-kaltim' }),
    );
    expect(res.status).toBe(200);
    const [entry] = await entriesAfter(since);
    // The entry keeps the ids; the names are looked up when the log is read.
    expect(entry!.details.filters).toEqual({
      kategori: String(categoryId),
      wilayah: '64.71',
      instansi: 'pupr-kaltim',
    });
    // An entry whose category, region and agency no longer exist (written as a removed row would leave it).
    await recordAdminAction(t.runtime.services.db, null, {
      action: 'export.queue',
      targetType: 'queue',
      targetId: 'csv',
      details: {
        format: 'csv',
        rows: 0,
        total: 0,
        truncated: false,
        filters: { kategori: '987654', wilayah: '99.98', instansi: 'instansi-hilang' },
        textSearch: false,
      },
    });
    const page = async (lang: string) => {
      const r = await get(DEMO.national, `/kantor/admin/log?kelompok=export&lang=${lang}`);
      expect(r.status).toBe(200);
      return r.text();
    };
    const id = await page('id');
    expect(id).toContain(
      `Kategori: ${category!.name}; Kabupaten/kota: Kota Balikpapan; Instansi yang menangani: ${PUPR}`,
    );
    expect(id).toContain(
      'Kategori: 987654 (tidak ditemukan lagi); Kabupaten/kota: 99.98 (tidak ditemukan lagi); ' +
        'Instansi yang menangani: instansi-hilang (tidak ditemukan lagi)',
    );
    const en = await page('en');
    expect(en).toContain(
      `Category: ${category!.name}; Regency/city: Kota Balikpapan; Handling agency: ${PUPR}`,
    );
    expect(en).toContain(
      'Category: 987654 (no longer found); Regency/city: 99.98 (no longer found); ' +
        'Handling agency: instansi-hilang (no longer found)',
    );
  });
});
