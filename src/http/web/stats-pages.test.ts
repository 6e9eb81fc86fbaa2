/**
 * Statistics and evaluation pages over real HTTP: the public `/statistik` (SVG charts with title/desc,
 * data tables, choropleth of Kalimantan Timur, province selector), the monthly report, the back-office
 * dashboard per scope with drill-down and exports, evaluation pages (scoring form with evidence,
 * spread, public results, certificate) and PRIVACY: no confidential title, no reporter data on public pages.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { SECRET, seedStatsReports } from '../../../test/helpers/stats-fixture.ts';
import { snapshotOpenData } from '../../commands/snapshot-open-data.ts';
import { publishReviewed } from '../../../test/helpers/evaluation.ts';

let t: TestApp;
let ids: Record<string, string>;
const signIn = sessionsFor(() => t.url);

async function page(email: string | null, path: string) {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (email) headers.cookie = (await signIn(email)).cookie;
  const res = await fetch(t.url + path, { headers, redirect: 'manual' });
  return {
    status: res.status,
    html: await res.text(),
    location: res.headers.get('location'),
    headers: res.headers,
  };
}

function expectNoSecrets(html: string) {
  for (const s of Object.values(SECRET)) expect(html).not.toContain(s);
  expect(html).not.toContain(ids.confidential);
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  ids = await seedStatsReports(t);
});
afterAll(() => t?.close());

describe('public statistics pages', () => {
  it('/statistik: charts as SVG with title/desc, tables, Kalimantan Timur map by default', async () => {
    const r = await page(null, '/statistik?tahun=2026');
    expect(r.status).toBe(200);
    expect(r.html.match(/<svg class="chart"[^>]*role="img"/g)?.length).toBe(3);
    expect(r.html).toMatch(/<title id="bulan-chart-title">/);
    expect(r.html).toMatch(/<desc id="bulan-chart-desc">/);
    expect(r.html).toContain('aria-labelledby="bulan-chart-title bulan-chart-desc"');
    expect(r.html.match(/<table class="data-table">/g)?.length).toBe(4);
    // Every indicator of the totals, one row each (4 received: the confidential report is not counted in public;
    // 1 returned with 2 working days lost).
    const all = r.html.slice(r.html.indexOf('id="semua-h"'), r.html.indexOf('id="bulan-h"'));
    expect(all.match(/<th scope="row">/g)?.length).toBe(17);
    for (const [label, value] of [
      ['Diterima', '4'],
      ['Diverifikasi', '3'],
      ['Dikembalikan (salah sasaran)', '1'],
      ['Hari kerja hilang karena salah sasaran', '2'],
      ['Selesai', '1'],
      ['P90 hari kerja ke tindak lanjut', '1'],
      ['Rata-rata penilaian', '5,00'],
      ['Porsi sanggahan', '0%'],
      ['Dibuka kembali', '0'],
    ])
      expect(all, label).toContain(`<th scope="row">${label}</th><td class="num">${value}</td>`);
    expect(r.html).toContain('Sebaran laporan di Kalimantan Timur');
    expect(r.html).toContain('Kota Balikpapan');
    expect(r.html).toContain('Cahya DSN');
    expect(r.html).toMatch(/<option value="64" selected/);
    // 4 of the 5 reports received in March 2026: the confidential one is not counted in public.
    expect(r.html).toMatch(/Jumlah<\/th><td class="num">4<\/td>/);
    expect(r.html).toContain('Dinas Pekerjaan Umum');
    expectNoSecrets(r.html);
    expect(r.html).not.toContain('Jalan berlubang SELESAI-ABC');
  });

  it('/statistik: another province, English, and an empty year (a form sent without a choice) is this year', async () => {
    const r = await page(null, '/statistik?prov=32&lang=en&tahun=');
    expect(r.status).toBe(200);
    expect(r.html).toContain('<html lang="en"');
    expect(r.html).toContain('Reports across Jawa Barat');
    expect(r.html).toMatch(/<option value="2026" selected/);
    expectNoSecrets(r.html);
  });

  it.each([
    [
      '/statistik?prov=99',
      'Provinsi: Kode provinsi tidak dikenal; pilih salah satu provinsi yang ditawarkan di halaman.',
      '/statistik',
    ],
    // A kab/kota code is no province either.
    ['/statistik?tahun=2026&prov=64.72', 'Provinsi: Kode provinsi tidak dikenal;', '/statistik'],
    [
      '/statistik?prov=99&lang=en',
      'Province: Unknown province code; choose one of the provinces the page offers.',
      '/statistik',
    ],
    [
      '/statistik/bulanan?bulan=2026-03&prov=99',
      'Provinsi: Kode provinsi tidak dikenal;',
      '/statistik/bulanan',
    ],
  ])(
    '%s: an unknown province is a 422 page saying so, not the default province',
    async (path, message, back) => {
      const r = await page(null, path);
      expect(r.status).toBe(422);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.html).toContain(message);
      // A way back to the section, and no statistics of another province passed off as the one asked for.
      expect(r.html).toContain(`href="${back}"`);
      expect(r.html).not.toContain('Kalimantan Timur');
      expect(r.html).not.toContain('<svg');
    },
  );

  it('an empty prov (a form sent without a choice) still shows the default province', async () => {
    const r = await page(null, '/statistik?prov=');
    expect(r.status).toBe(200);
    expect(r.html).toContain('Kalimantan Timur');
  });

  it('/statistik/bulanan: totals, map, categories, agencies, resolved public case only', async () => {
    const r = await page(null, '/statistik/bulanan?bulan=2026-03');
    expect(r.status).toBe(200);
    expect(r.html).toContain('Laporan bulanan Maret 2026');
    expect(r.html).toContain('Semua indikator');
    expect(r.html).toContain('Jalan berlubang SELESAI-ABC');
    expect(r.html).toContain(`/laporan/${ids.completed}`);
    expect(r.html).toContain('Penilaian pelapor: 5 dari 5.');
    expect(r.html).toContain('PEKERJAAN UMUM');
    expect(r.html).toContain('stats.css');
    expectNoSecrets(r.html);
    expect(r.html).not.toContain('Warga Uji');
    const bad = await page(null, '/statistik/bulanan?bulan=2026-13');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Format tidak valid');
    // The field by its label, not its query name.
    expect(bad.html).toContain('Periode (bulan): ');
    expect(bad.html).not.toContain('bulan: ');
    const future = await page(null, '/statistik/bulanan?bulan=2031-01&lang=en');
    expect(future.status).toBe(422);
    expect(future.html).toContain('The format is not valid.');
    expect(future.html).toContain('Period (months): ');
  });
});

describe('CSV and XLSX of every table', () => {
  /** The export links of a page's tables (HTML entities decoded), checked by downloading each. */
  async function exportsOf(email: string | null, path: string, n: number) {
    const html = (await page(email, path)).html;
    const blocks = html.match(/<p class="table-exports no-print">[\s\S]*?<\/p>/g) ?? [];
    expect(blocks, path).toHaveLength(n);
    const links = blocks.flatMap((b) =>
      [...b.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')),
    );
    expect(links, path).toHaveLength(2 * n);
    const cookie = email ? (await signIn(email)).cookie : '';
    const out: { href: string; text: string }[] = [];
    for (const href of links) {
      const res = await fetch(t.url + href, { headers: { cookie } });
      expect(res.status, href).toBe(200);
      if (href.includes('.csv')) {
        expect(res.headers.get('content-type'), href).toContain('text/csv');
        out.push({ href, text: await res.text() });
      } else {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(await res.arrayBuffer());
        expect(wb.worksheets[0]!.rowCount, href).toBeGreaterThan(1);
      }
    }
    return out;
  }

  it('public page: months, agencies and kab/kota tables', async () => {
    const csv = await exportsOf(null, '/statistik?tahun=2026', 3);
    expect(csv.map((c) => new URL(c.href, t.url).searchParams.get('groupBy'))).toEqual([
      'month',
      'agency',
      'region',
    ]);
    expect(csv[0]!.text).toMatch(/2026-03,[^\n]*,5,/);
    expect(csv[2]!.text).toContain('64.71');
    for (const c of csv) expectNoSecrets(c.text);
  });

  it('monthly report: map, top categories and agency tables of the month', async () => {
    const csv = await exportsOf(null, '/statistik/bulanan?bulan=2026-03&lang=en', 3);
    for (const c of csv) {
      expect(c.href).toContain('from=2026-03-01&to=2026-03-31');
      expect(c.text.split('\n')[0]).toContain('Received');
      expectNoSecrets(c.text);
    }
  });

  it('dashboard: the indicator table and the months table', async () => {
    const r = await page(
      DEMO.national,
      '/kantor/statistik?kelompok=agency&dari=2026-03-01&sampai=2026-03-31',
    );
    expect(r.html).toContain('/kantor/statistik.csv?kelompok=agency');
    const csv = await exportsOf(
      DEMO.national,
      '/kantor/statistik?kelompok=agency&dari=2026-03-01&sampai=2026-03-31',
      1,
    );
    expect(csv[0]!.href).toContain('/kantor/statistik.csv?kelompok=month');
    expect(csv[0]!.text).toMatch(/2026-03,[^\n]*,5,/);
  });
});

describe('back-office dashboards', () => {
  it('redirects signed-out visitors and refuses citizens', async () => {
    expect((await page(null, '/kantor/statistik')).location).toBe('/masuk?next=%2Fkantor%2Fstatistik');
    expect((await page(DEMO.citizen, '/kantor/statistik')).status).toBe(403);
  });

  it('national admin: every grouping with drill-down links and exports', async () => {
    for (const g of ['agency', 'category', 'region', 'classification', 'channel', 'month']) {
      const r = await page(
        DEMO.national,
        `/kantor/statistik?kelompok=${g}&dari=2026-03-01&sampai=2026-03-31`,
      );
      expect(r.status, g).toBe(200);
      expect(r.html).toContain('Cakupan: nasional.');
      expect(r.html).toContain(
        `/kantor/statistik/laporan?kelompok=${g}&amp;dari=2026-03-01&amp;sampai=2026-03-31&amp;kunci=`,
      );
      expect(r.html).toContain(`/kantor/statistik.xlsx?kelompok=${g}`);
      // The dashboard table shows every indicator.
      for (const h of ['Didisposisikan', 'P90 hari kerja ke selesai', 'Porsi sanggahan', 'Dibuka kembali'])
        expect(r.html, h).toContain(`<th scope="col" class="num">${h}</th>`);
    }
    const drill = await page(
      DEMO.national,
      '/kantor/statistik/laporan?kelompok=agency&dari=2026-03-01&sampai=2026-03-31&kunci=pupr-kaltim',
    );
    expect(drill.status).toBe(200);
    expect(drill.html).toContain(`/kantor/laporan/${ids.completed}`);
    expect(drill.html).not.toContain(SECRET.reporterEmail);
    const channel = await page(
      DEMO.national,
      '/kantor/statistik/laporan?kelompok=channel&dari=2026-03-01&sampai=2026-03-31&kunci=api',
    );
    expect(channel.html).toContain('5 laporan yang dapat Anda lihat.');
  });

  it('agency admin sees only its subtree; drill-down stays within what it may see', async () => {
    const r = await page(
      DEMO.dinkesAdmin,
      '/kantor/statistik?kelompok=agency&dari=2026-03-01&sampai=2026-03-31',
    );
    expect(r.status).toBe(200);
    expect(r.html).toContain('Cakupan: Dinas Kesehatan');
    expect(r.html).not.toContain('Dinas Pekerjaan Umum');
    // Only the anonymous report is handled by Dinkes now (the returned one went to PUPR).
    expect(r.html).toMatch(/Jumlah<\/th><td class="num">1<\/td>/);
    expect(r.html).not.toContain(SECRET.anonymousName);
    const drill = await page(
      DEMO.dinkesAdmin,
      '/kantor/statistik/laporan?kelompok=agency&dari=2026-03-01&sampai=2026-03-31&kunci=pupr-kaltim',
    );
    // Public PUPR reports are visible to everyone; the confidential PUPR report is not.
    expect(drill.status).toBe(200);
    expect(drill.html).not.toContain(ids.confidential);
    expect(drill.html).not.toContain(SECRET.confidentialTitle);
  });

  it('coordinator sees its region; CSV and XLSX export the same scoped table; bad dates are 422', async () => {
    const r = await page(
      DEMO.coordinator,
      '/kantor/statistik?kelompok=region&dari=2026-03-01&sampai=2026-03-31',
    );
    expect(r.html).toContain('Cakupan: Kalimantan Timur.');
    expect(r.html).toContain('Kota Samarinda');
    const s = await signIn(DEMO.coordinator);
    const csv = await fetch(
      `${t.url}/kantor/statistik.csv?kelompok=region&dari=2026-03-01&sampai=2026-03-31`,
      {
        headers: { cookie: s.cookie },
      },
    );
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toContain('Diterima');
    expect(text).toContain('64.72,Kota Samarinda,4');
    const xlsx = await fetch(
      `${t.url}/kantor/statistik.xlsx?kelompok=region&dari=2026-03-01&sampai=2026-03-31&lang=en`,
      {
        headers: { cookie: s.cookie },
      },
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(3).value).toBe('Received');
    const bad = await page(DEMO.coordinator, '/kantor/statistik?dari=2026-04-01&sampai=2026-03-01');
    expect(bad.status).toBe(422);
    // The back-office error page: the field by its label, a link back to the dashboard, no citizen links.
    expect(bad.html).toContain(
      '<strong>Dari tanggal</strong>: Tanggal awal tidak boleh setelah tanggal akhir.',
    );
    expect(bad.html).toContain('<a href="/kantor/statistik">Kembali ke dasbor statistik</a>');
    expect(bad.html).not.toContain('href="/lacak"');
  });
});

describe('evaluation pages', () => {
  const period = {
    id: 'kaltim-2026',
    name: 'Evaluasi Pengelolaan Pengaduan Kalimantan Timur 2026',
    from: '2026-01-01',
    to: '2026-12-31',
    minVolume: 1,
    groups: [
      {
        id: 'pd-kaltim-2026',
        name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
        scope: 'agency',
        participants: [
          { agencyId: 'pupr-kaltim', websiteUrl: 'https://pu.kaltimprov.go.id/' },
          { agencyId: 'dinkes-kaltim' },
        ],
      },
    ],
  };

  async function score(email: string, fields: Record<string, string>, file = true, csrf?: string) {
    const s = await signIn(email);
    const form = new FormData();
    form.set('_csrf', csrf ?? s.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file)
      form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)], { type: 'application/pdf' }), 'sk-tim.pdf');
    const res = await fetch(`${t.url}/kantor/evaluasi/${period.id}/nilai`, {
      method: 'POST',
      headers: { cookie: s.cookie, accept: 'text/html' },
      body: form,
      redirect: 'manual',
    });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  it('lists periods, shows the live preview explained per indicator, scores with evidence, shows the spread', async () => {
    const created = await t.api('/api/v1/evaluation/periods', {
      json: period,
      token: await t.login(DEMO.national),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await page(DEMO.citizen, '/kantor/evaluasi')).status).toBe(403);
    const list = await page(DEMO.assessor, '/kantor/evaluasi');
    expect(list.html).toContain('/kantor/evaluasi/kaltim-2026');
    const view = await page(DEMO.assessor, '/kantor/evaluasi/kaltim-2026');
    expect(view.status).toBe(200);
    expect(view.html).toContain('Pratinjau peringkat');
    expect(view.html).toContain('Batas bawah Wilson 95%'); // the formula lines in the page language
    // The scoring form opens once a participant is chosen (docs/evaluation.md, scoring form).
    expect(view.html).toContain('<form method="get" action="/kantor/evaluasi/kaltim-2026#score-h"');
    expect(view.html).not.toContain('enctype="multipart/form-data"');
    const chosen = await page(DEMO.assessor, '/kantor/evaluasi/kaltim-2026?agencyId=pupr-kaltim');
    expect(chosen.html).toContain('enctype="multipart/form-data"');
    expect(view.html).toContain('https://pu.kaltimprov.go.id/');

    const fields = {
      agencyId: 'pupr-kaltim',
      indicator: 'komitmen_pimpinan',
      score: '80',
      justification: 'SK Tim Pengelola Pengaduan Nomor 100/2026 tersedia dan berlaku.',
    };
    const noCsrf = await score(DEMO.assessor, fields, true, 'wrong');
    expect(noCsrf.status).toBe(403);
    const bad = await score(DEMO.assessor, { ...fields, score: '150', justification: 'pendek' }, false);
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('error-summary');
    expect(bad.html).toContain('value="150"');
    const ok = await score(DEMO.assessor, fields);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/kantor/evaluasi/kaltim-2026?ok=1&agencyId=pupr-kaltim#score-h');
    const ok2 = await score(DEMO.national, { ...fields, score: '60' });
    expect(ok2.status).toBe(303);
    const after = await page(DEMO.assessor, '/kantor/evaluasi/kaltim-2026?ok=1&lang=en');
    expect(after.html).toContain('Score saved.');
    expect(after.html).toContain('sk-tim.pdf');
    expect(after.html).toMatch(/<td class="num">20<\/td>/); // spread 80 − 60
    expect(after.html).toContain('2 assessors, spread 20');
  });

  it('public results: 404 before publishing; rankings, explanations, certificate, no report detail', async () => {
    expect((await page(null, '/evaluasi/kaltim-2026')).status).toBe(404);
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const pub = await publishReviewed(t, 'kaltim-2026', await t.login(DEMO.national));
    expect(pub.status, JSON.stringify(pub.body)).toBe(201);
    const r = await page(null, '/evaluasi/kaltim-2026');
    expect(r.status).toBe(200);
    expect(r.html).toContain('Perangkat Daerah Provinsi Kalimantan Timur 2026');
    expect(r.html).toContain('Rincian nilai');
    expect(r.html).toContain('results.xlsx');
    expect(r.html).toContain('/evaluasi/kaltim-2026/sertifikat/pupr-kaltim?kelompok=pd-kaltim-2026');
    expectNoSecrets(r.html);
    expect(r.html).not.toContain('SK Tim Pengelola'); // justifications are staff-only
    const cert = await page(null, '/evaluasi/kaltim-2026/sertifikat/pupr-kaltim?kelompok=pd-kaltim-2026');
    expect(cert.status).toBe(200);
    expect(cert.html).toContain('Piagam penghargaan');
    expect(cert.html).toMatch(/Peringkat \d/);
    expect((await page(null, '/evaluasi/kaltim-2026/sertifikat/tidak-ada')).status).toBe(404);
  });
});
