/**
 * Search, filters and export of the back-office queue over real HTTP (docs/back-office.md "Search and export"):
 * filters, paging and sorting that keep them, the tracking-number jump in and out of the caller's scope, field
 * messages for bad input (id and en, never a 500 or an empty list), the CSV and XLSX exports parsed back, the privacy
 * rule (an anonim reporter's name, phone, email or NIK finds nothing and appears nowhere) and the staff scope (a unit
 * officer finds only its unit's branch, a coordinator only its region, nobody the public feed of other agencies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { sessionsFor } from '../../../test/helpers/web-client.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

/** The anonim reporter: none of these may find its report or appear in a list or an export. */
const MARK = {
  name: 'Zulkarnaen Markercarian',
  email: 'zmarkercari@example.org',
  phone: '081299990077',
  nik: '6472000000000077',
};
const WORD = 'Markercari';

const id = { unit: '', anon: '', top: '', conf: '', smd: '', bpp: '', asp: '' };
let categoryId = 0;

async function page(email: string, path: string) {
  const res = await fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function download(email: string, path: string) {
  return fetch(t.url + path, { headers: { cookie: (await signIn(email)).cookie }, redirect: 'manual' });
}

/** The tracking numbers linked from the result table. */
function listed(html: string): string[] {
  return [...html.matchAll(/href="\/kantor\/laporan\/(\d{10})"/g)].map((m) => m[1]!);
}

const search = (params: Record<string, string>) => `/kantor?${new URLSearchParams(params).toString()}`;

/** Moves the fixed clock on a minute, so that every report has its own creation time (a stable order). */
function tick() {
  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
}

async function file(title: string, json: Record<string, unknown>, agencyId: string | null, unit?: string) {
  tick();
  const tid = await submitReport(t, title, json);
  if (agencyId) {
    const coord = await t.login(DEMO.coordinator);
    await actOk(t, tid, 'verify', { categoryId, agencyId }, { token: coord });
  }
  if (unit) await actOk(t, tid, 'dispose', { unitId: unit }, { token: await t.login(DEMO.puprAdmin) });
  return tid;
}

beforeAll(async () => {
  // 10:00 WITA (02:00 UTC) of a recent day before the real time: the date filters read the report's local day, so a
  // clock near midnight WITA (16:00 UTC) would put the test's UTC "today" on another date than the reports.
  const day = 86_400_000;
  const base = Math.floor(Date.now() / day) * day + 2 * 3_600_000;
  t = await startTestApp({ now: new Date(base > Date.now() - 3_600_000 ? base - day : base) });
  categoryId = await categoryIdByName(t);
  const named = { reporter: { name: 'Budi Terbuka', email: 'budi.terbuka@contoh.aduan.id' } };
  id.unit = await file(`Jalan ${WORD} berlubang di Samarinda`, named, 'pupr-kaltim', 'pupr-kaltim-unit');
  id.anon = await file(
    `Jembatan ${WORD} retak di Samarinda`,
    { anonymous: true, reporter: MARK },
    'pupr-kaltim',
    'pupr-kaltim-unit',
  );
  id.top = await file(`Drainase ${WORD} tersumbat di Samarinda`, named, 'pupr-kaltim');
  id.conf = await file(
    `Pungutan ${WORD} di kantor dinas`,
    { ...named, confidential: true },
    'pupr-kaltim',
    'pupr-kaltim-unit',
  );
  id.smd = await file(`Puskesmas ${WORD} Samarinda kekurangan obat`, named, 'dinkes-kaltim');
  id.bpp = await file(
    `Puskesmas ${WORD} Balikpapan tutup siang`,
    { ...named, regionCode: '64.71.01' },
    'dinkes-kaltim',
  );
  id.asp = await file(`Usul taman ${WORD} di Samarinda`, { ...named, classification: 'aspirasi' }, null);
  for (let i = 0; i < 21; i++) {
    tick();
    await submitReport(t, `Lampu jalan Markerhalaman nomor ${i + 1} padam`, { anonymous: true });
  }
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('queue search: filters and scope', () => {
  it('a unit officer finds only its unit branch, never the public feed of other agencies', async () => {
    const r = await page(DEMO.puprOfficer, search({ q: WORD }));
    expect(r.status).toBe(200);
    expect(r.html).toContain('Hasil pencarian');
    expect(listed(r.html).sort()).toEqual([id.unit, id.anon, id.conf].sort());
  });

  it('an agency admin finds its whole tree, a coordinator its region only', async () => {
    const admin = await page(DEMO.puprAdmin, search({ q: WORD }));
    expect(listed(admin.html).sort()).toEqual([id.unit, id.anon, id.top, id.conf].sort());
    const kaltim = await page(DEMO.coordinator, search({ q: WORD }));
    expect(listed(kaltim.html).sort()).toEqual(Object.values(id).sort());
    const bpp = await page(DEMO.balikpapanCoordinator, search({ q: WORD }));
    expect(listed(bpp.html)).toEqual([id.bpp]);
  });

  it('filters by status, classification, category, kab/kota, agency and dates', async () => {
    const c = DEMO.coordinator;
    expect(listed((await page(c, search({ q: WORD, status: 'submitted' }))).html)).toEqual([id.asp]);
    expect(listed((await page(c, search({ q: WORD, klasifikasi: 'aspirasi' }))).html)).toEqual([id.asp]);
    const roads = listed((await page(c, search({ q: WORD, kategori: String(categoryId) }))).html);
    expect(roads.sort()).toEqual([id.unit, id.anon, id.top, id.conf, id.smd, id.bpp].sort());
    expect(listed((await page(c, search({ q: WORD, wilayah: '64.71' }))).html)).toEqual([id.bpp]);
    const health = listed((await page(c, search({ q: WORD, instansi: 'dinkes-kaltim' }))).html);
    expect(health.sort()).toEqual([id.smd, id.bpp].sort());
    const unit = listed((await page(c, search({ q: WORD, instansi: 'pupr-kaltim-unit' }))).html);
    expect(unit.sort()).toEqual([id.unit, id.anon, id.conf].sort());
    const today = t.clock.now.toISOString().slice(0, 10);
    const tomorrow = new Date(t.clock.now.getTime() + 86_400_000).toISOString().slice(0, 10);
    expect(listed((await page(c, search({ q: WORD, dari: today, sampai: today }))).html)).toHaveLength(7);
    const none = await page(c, search({ q: WORD, dari: tomorrow }));
    expect(none.status).toBe(200);
    expect(listed(none.html)).toEqual([]);
    expect(none.html).toContain('Tidak ada laporan yang cocok dengan pencarian ini.');
    // Filters without text list newest first, and "Hapus filter" leads back to the tabs.
    expect(listed((await page(c, search({ instansi: 'dinkes-kaltim' }))).html)).toEqual([id.bpp, id.smd]);
    expect(none.html).toMatch(/<a href="\/kantor">Hapus filter<\/a>/);
  });

  it('overdue only: nothing before the deadline, every open report of the search after it', async () => {
    const c = DEMO.coordinator;
    expect(listed((await page(c, search({ q: WORD, terlambat: '1' }))).html)).toEqual([]);
    const before = t.clock.now;
    t.setNow(new Date(before.getTime() + 120 * 86_400_000));
    signIn.clear();
    try {
      const late = listed((await page(c, search({ q: WORD, terlambat: '1' }))).html);
      expect(late.sort()).toEqual(Object.values(id).sort());
    } finally {
      t.setNow(before);
      signIn.clear();
    }
  });

  it('paging and sorting keep the filters', async () => {
    const c = DEMO.coordinator;
    const first = await page(c, search({ q: 'Markerhalaman', status: 'submitted', urutan: 'newest' }));
    expect(listed(first.html)).toHaveLength(20);
    const next = /<a href="([^"]+)" rel="next"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const params = new URL(next!, t.url).searchParams;
    expect(params.get('q')).toBe('Markerhalaman');
    expect(params.get('status')).toBe('submitted');
    expect(params.get('urutan')).toBe('newest');
    expect(params.get('page')).toBe('2');
    const second = await page(c, next!);
    expect(listed(second.html)).toHaveLength(1);
    expect(listed(second.html)[0]).not.toBeOneOf(listed(first.html));
    // The sort form carries the filters as hidden fields.
    const sortForm = /<form method="get" action="\/kantor" class="sort-form">([\s\S]*?)<\/form>/.exec(
      first.html,
    )?.[1];
    expect(sortForm).toContain('name="q" value="Markerhalaman"');
    expect(sortForm).toContain('name="status" value="submitted"');
  });
});

describe('queue search: tracking numbers', () => {
  it('opens a report in scope, typed with spaces or dashes', async () => {
    const spaced = `${id.unit.slice(0, 5)} ${id.unit.slice(5)}`;
    const r = await page(DEMO.puprOfficer, search({ q: spaced }));
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/kantor/laporan/${id.unit}`);
    const dashed = `${id.conf.slice(0, 4)}-${id.conf.slice(4, 7)}-${id.conf.slice(7)}`;
    const d = await page(DEMO.puprOfficer, search({ q: dashed }));
    expect(d.location).toBe(`/kantor/laporan/${id.conf}`);
  });

  it('a report outside the caller scope reads as no result, even one of the public feed', async () => {
    for (const [who, tid] of [
      [DEMO.puprOfficer, id.smd],
      [DEMO.puprOfficer, id.top],
      [DEMO.balikpapanCoordinator, id.unit],
      [DEMO.dinkesAdmin, id.conf],
    ] as const) {
      const r = await page(who, search({ q: tid }));
      expect(r.status, `${who} ${tid}`).toBe(200);
      expect(listed(r.html)).toEqual([]);
      expect(r.html).toContain('Tidak ada laporan yang cocok dengan pencarian ini.');
    }
  });
});

describe('queue search: bad input', () => {
  it('names the problem field in Indonesian and English, with no list', async () => {
    const c = DEMO.coordinator;
    const range = await page(c, search({ q: WORD, dari: '2026-03-10', sampai: '2026-03-01' }));
    expect(range.status).toBe(422);
    expect(range.html).toContain('Tanggal &quot;sejak&quot; tidak boleh setelah tanggal &quot;sampai&quot;.');
    expect(range.html).toContain('href="#f-dari"');
    expect(range.html).toContain('Perbaiki isian pencarian di atas');
    expect(listed(range.html)).toEqual([]);
    const en = await page(c, search({ q: WORD, dari: '2026-03-10', sampai: '2026-03-01', lang: 'en' }));
    expect(en.html).toContain('The &quot;from&quot; date must not be after the &quot;until&quot; date.');
    const status = await page(c, search({ status: 'bogus' }));
    expect(status.status).toBe(422);
    expect(status.html).toContain('Pilih salah satu.');
    expect(status.html).toContain('href="#f-status"');
    const day = await page(c, search({ dari: '2026-02-30', lang: 'en' }));
    expect(day.status).toBe(422);
    expect(day.html).toContain('The date must be YYYY-MM-DD and a real calendar date.');
    // An agency outside the officer's subtree is not a choice it has.
    const agency = await page(DEMO.puprOfficer, search({ instansi: 'dinkes-kaltim' }));
    expect(agency.status).toBe(422);
    expect(agency.html).toContain('href="#f-instansi"');
    const long = await page(c, search({ q: 'x'.repeat(201) }));
    expect(long.status).toBe(422);
    expect(long.html).toContain('Maksimal 200 karakter.');
    const exp = await download(c, `/kantor/cari.csv?${new URLSearchParams({ status: 'bogus' })}`);
    expect(exp.status).toBe(422);
  });
});

describe('queue search: export', () => {
  it('CSV: the columns, labels in the page language, rahasia only for staff in scope', async () => {
    const res = await download(DEMO.puprOfficer, `/kantor/cari.csv?q=${WORD}&urutan=newest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="aduan-antrean-.*\.csv"/);
    expect(res.headers.get('x-export-truncated')).toBe('false');
    const [header, ...rows] = parse(await res.text()) as string[][];
    expect(header).toEqual([
      'Nomor pelacakan',
      'Judul',
      'Klasifikasi',
      'Kategori',
      'Wilayah',
      'Status',
      'Instansi yang menangani',
      'Diterima',
      'Batas waktu',
      'Terlambat',
    ]);
    expect(rows.map((r) => r[0]).sort()).toEqual([id.unit, id.anon, id.conf].sort());
    const unit = rows.find((r) => r[0] === id.unit)!;
    expect(unit[1]).toBe(`Jalan ${WORD} berlubang di Samarinda`);
    expect(unit[2]).toBe('Pengaduan');
    expect(unit[3]).toBe('PEKERJAAN UMUM DAN PENATAAN RUANG');
    expect(unit[4]).toBe('Samarinda Seberang, Kota Samarinda'); // 64.72.02 and its kab/kota
    expect(unit[5]).toBe('Didisposisikan'); // status.dispatched in Indonesian
    expect(unit[7]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/); // WITA (Samarinda)
    expect(unit[8]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(unit[9]).toBe('Tidak');

    const en = await download(DEMO.coordinator, `/kantor/cari.csv?q=${WORD}&status=submitted&lang=en`);
    const [enHeader, ...enRows] = parse(await en.text()) as string[][];
    expect(enHeader![0]).toBe('Tracking number');
    expect(enRows).toEqual([
      [
        id.asp,
        expect.any(String),
        'Suggestion',
        '',
        expect.any(String),
        'Awaiting verification',
        'Not dispatched yet',
        expect.any(String),
        expect.any(String),
        'No',
      ],
    ]);
  });

  it('XLSX: the same rows', async () => {
    const res = await download(DEMO.coordinator, `/kantor/cari.xlsx?q=${WORD}&instansi=dinkes-kaltim`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Antrean laporan');
    expect(ws.getRow(1).getCell(1).value).toBe('Nomor pelacakan');
    expect(ws.getRow(1).cellCount).toBe(10);
    const ids: string[] = [];
    ws.eachRow((r, n) => {
      if (n > 1) ids.push(String(r.getCell(1).value));
    });
    expect(ids.sort()).toEqual([id.smd, id.bpp].sort());
  });

  it('the results page links both exports with the filters', async () => {
    const r = await page(DEMO.coordinator, search({ q: WORD, instansi: 'dinkes-kaltim' }));
    expect(r.html).toContain(`href="/kantor/cari.csv?q=${WORD}&amp;instansi=dinkes-kaltim"`);
    expect(r.html).toContain(`href="/kantor/cari.xlsx?q=${WORD}&amp;instansi=dinkes-kaltim"`);
  });

  it('citizens get no export', async () => {
    const res = await download(DEMO.citizen, `/kantor/cari.csv?q=${WORD}`);
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toContain(id.unit);
  });
});

describe('queue search: privacy', () => {
  const markers = [MARK.name, ...MARK.name.split(' '), MARK.email, MARK.phone, MARK.nik];

  it("a reporter's name, phone, email or NIK never finds an anonim report", async () => {
    for (const who of [DEMO.puprOfficer, DEMO.puprAdmin, DEMO.coordinator]) {
      for (const m of markers) {
        const r = await page(who, search({ q: m }));
        expect(r.status, `${who} ${m}`).toBe(200);
        expect(listed(r.html), `${who} ${m}`).not.toContain(id.anon);
      }
    }
  });

  it('the anonim reporter appears in no list or export', async () => {
    const r = await page(DEMO.puprOfficer, search({ q: WORD }));
    expect(listed(r.html)).toContain(id.anon);
    const csv = await (await download(DEMO.puprAdmin, `/kantor/cari.csv?q=${WORD}`)).text();
    expect(csv).toContain(id.anon);
    const xlsx = await (await download(DEMO.puprAdmin, `/kantor/cari.xlsx?q=${WORD}`)).arrayBuffer();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain(id.anon);
    for (const m of markers) {
      expect(r.html).not.toContain(m);
      expect(csv).not.toContain(m);
      expect(cells.join('\n')).not.toContain(m);
    }
  });
});
