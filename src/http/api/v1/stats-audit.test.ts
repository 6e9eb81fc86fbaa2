/**
 * Audit of the public statistics and open data (real HTTP, real database):
 * - the monthly report's notable cases by the LOCAL month of closing (a case closed at 00:30 WITA on 1 April is
 *   an April case, not a March one);
 * - an unknown `parent` (agency, category, region) is a 422 with the field message in both languages, never an
 *   empty table that reads as "no reports there";
 * - conditional GET: ETag + `Cache-Control: public, no-cache` on the statistics and open-data downloads, 304 on
 *   If-None-Match, the snapshot's ETag is its served sha256, and a report made rahasia changes the ETag at once.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { snapshotOpenData } from '../../../commands/snapshot-open-data.ts';
import { ConfigError, loadConfig } from '../../../config.ts';
import { openDataSnapshots } from '../../../db/schema.ts';

let t: TestApp;
let categoryId: number;
let coord: string;
const ids: Record<string, string> = {};

async function submit(title: string, regionCode = '64.71.01') {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Lampu jalan di depan sekolah mati sejak sepekan, jalan gelap dan rawan kecelakaan malam hari.',
      regionCode,
      reporter: { name: 'Warga Audit', email: 'warga.audit@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

/** Submits, verifies to PUPR, answers finally and accepts at `closeAt` (a completed, public report). */
async function completedAt(title: string, closeAt: string) {
  t.setNow(new Date('2026-03-30T02:00:00Z'));
  const r = await submit(title);
  await actOk(t, r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  t.setNow(new Date(closeAt));
  const pupr = await t.login(DEMO.puprAdmin);
  await actOk(t, r.trackingId, 'respond', { body: 'Lampu sudah diganti.', final: true }, { token: pupr });
  await actOk(t, r.trackingId, 'accept', { rating: 5 }, { accessKey: r.accessKey });
  return r.trackingId;
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-30T02:00:00Z') });
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  // Kota Balikpapan (WITA, UTC+8): 16:30 UTC on 31 March is 00:30 WITA on 1 April.
  ids.april = await completedAt('Lampu jalan AUDIT-APRIL', '2026-03-31T16:30:00Z');
  // 15:30 UTC on 31 March is 23:30 WITA on 31 March: a March case.
  ids.march = await completedAt('Lampu jalan AUDIT-MARET', '2026-03-31T15:30:00Z');
  t.setNow(new Date('2026-04-15T02:00:00Z'));
  await refreshStats(t.runtime.services);
});
afterAll(() => t?.close());

describe('monthly report: notable cases by local month of closing', () => {
  it('a case closed at 00:30 WITA on 1 April is in April, one closed at 23:30 WITA on 31 March in March', async () => {
    const march = await get('/statistik/bulanan?bulan=2026-03');
    const april = await get('/statistik/bulanan?bulan=2026-04');
    expect(march.status).toBe(200);
    expect(april.status).toBe(200);
    expect(april.text).toContain('AUDIT-APRIL');
    expect(march.text).not.toContain('AUDIT-APRIL');
    expect(march.text).toContain('AUDIT-MARET');
    expect(april.text).not.toContain('AUDIT-MARET');
  });
});

describe('GET /api/v1/stats: unknown parent', () => {
  it.each([
    ['agency', 'tidak-ada', 'Instansi tidak dikenal.', 'Unknown agency.'],
    ['category', '999999', 'Kategori tidak dikenal.', 'Unknown category.'],
    ['region', '99', 'Kode wilayah tidak dikenal.', 'Unknown region code.'],
  ])('groupBy=%s&parent=%s → 422 naming parent in both languages', async (groupBy, parent, id, en) => {
    for (const ext of ['', '.csv', '.xlsx']) {
      const r = await t.api(`/api/v1/stats${ext}?groupBy=${groupBy}&parent=${parent}`);
      expect(r.status, ext).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.translations.id.fields.parent).toBe(id);
      expect(r.body.error.translations.en.fields.parent).toBe(en);
    }
  });

  it('known parents still answer their subtree', async () => {
    const region = await t.api('/api/v1/stats?groupBy=region&parent=64&from=2026-03-01&to=2026-03-31');
    expect(region.status).toBe(200);
    expect(region.body.items.find((i: any) => i.key === '64.71')?.received).toBe(2);
    const agency = await t.api(
      '/api/v1/stats?groupBy=agency&parent=pupr-kaltim&from=2026-03-01&to=2026-03-31',
    );
    expect(agency.status).toBe(200);
    expect(agency.body.items.find((i: any) => i.key === 'pupr-kaltim')?.received).toBe(2);
    const category = await t.api(`/api/v1/stats?groupBy=category&parent=${categoryId}`);
    expect(category.status).toBe(200);
  });
});

describe('conditional GET on the statistics and open-data downloads', () => {
  it.each([
    '/api/v1/stats?groupBy=region&from=2026-03-01&to=2026-03-31',
    '/api/v1/stats.csv?groupBy=agency&from=2026-03-01&to=2026-03-31',
    '/api/v1/open-data/reports.json',
    '/api/v1/open-data/reports.csv',
  ])('%s: ETag, public no-cache, 304 on If-None-Match, 200 on another tag', async (path) => {
    const first = await get(path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    const again = await get(path, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const other = await get(path, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.text).toBe(first.text);
  });

  it('the CSV varies with the language: other headers, other ETag', async () => {
    const id = await get('/api/v1/stats.csv?groupBy=agency');
    const en = await get('/api/v1/stats.csv?groupBy=agency&lang=en');
    expect(id.headers.get('vary')).toMatch(/Accept-Language/);
    expect(id.text.startsWith('Kunci,Nama')).toBe(true);
    expect(en.text.startsWith('Key,Name')).toBe(true);
    expect(en.headers.get('etag')).not.toBe(id.headers.get('etag'));
  });

  it('the snapshot: ETag = the served sha256, 304 on If-None-Match', async () => {
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const first = await get('/api/v1/open-data/snapshots/latest');
    expect(first.status).toBe(200);
    const sha = first.headers.get('x-checksum-sha256')!;
    expect(first.headers.get('etag')).toBe(`"${sha}"`);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    const again = await get('/api/v1/open-data/snapshots/latest', { 'if-none-match': `"${sha}"` });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const byHash = await get(`/api/v1/open-data/snapshots/${sha}`, { 'if-none-match': `"${sha}"` });
    expect(byHash.status).toBe(304);
  });

  it('a report made rahasia changes the open-data ETag at once: a revalidating cache never serves it', async () => {
    const before = await get('/api/v1/open-data/reports.json');
    expect(before.text).toContain(ids.april);
    const etag = before.headers.get('etag')!;
    const snapBefore = await get('/api/v1/open-data/snapshots/latest');
    // A harvester walking the pages one row at a time holds the cursor after the first row.
    const page1 = JSON.parse((await get('/api/v1/open-data/reports.json?limit=1')).text);
    expect(page1.next).toBeTruthy();
    const r = await t.api(`/api/v1/reports/${ids.april}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await get('/api/v1/open-data/reports.json', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.text).not.toContain(ids.april);
    // The pages read after the change leave it out, and the walk neither repeats nor skips a public row.
    const rest: string[] = [];
    for (let url: string | null = page1.next; url;) {
      const res = await fetch(url);
      const text = await res.text();
      expect(text, url).not.toContain(ids.april);
      const page = JSON.parse(text);
      rest.push(...page.items.map((i: any) => i.trackingId));
      url = page.next;
    }
    const now = JSON.parse(after.text).items.map((i: any) => i.trackingId);
    expect([...page1.items.map((i: any) => i.trackingId), ...rest].filter((id) => id !== ids.april)).toEqual(
      now,
    );
    const snap = await get('/api/v1/open-data/snapshots/latest', {
      'if-none-match': snapBefore.headers.get('etag')!,
    });
    expect(snap.status).toBe(200);
    expect(snap.text).not.toContain(ids.april);
  });
});

describe('GET /api/v1/open-data/catalog.json (DCAT-US 1.1, CKAN harvesters)', () => {
  it('names the licence, publisher, daily frequency, dictionary and distributions that answer', async () => {
    const r = await get('/api/v1/open-data/catalog.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBeTruthy();
    const doc = JSON.parse(r.text);
    expect(doc).toMatchObject({
      '@type': 'dcat:Catalog',
      conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
    });
    const [ds] = doc.dataset;
    const stats = await t.api('/api/v1/stats');
    expect(ds).toMatchObject({
      title: 'Laporan pengaduan pelayanan publik (data terbuka aduan)',
      license: 'https://creativecommons.org/licenses/by/4.0/',
      publisher: { name: new URL(t.url).host },
      accessLevel: 'public',
      accrualPeriodicity: 'R/P1D',
      language: ['id', 'en'],
      modified: stats.body.refreshedAt,
      describedBy: `${t.url}/api/v1/open-data/dictionary`,
    });
    expect((await get(new URL(ds.describedBy).pathname)).status).toBe(200);
    expect(ds.distribution.map((d: any) => d.mediaType)).toEqual([
      'text/csv',
      'application/json',
      'application/json',
    ]);
    // The aggregate statistics: a dataset of their own, CSV and XLSX per grouping plus the JSON API.
    const agg = doc.dataset[1];
    expect(agg).toMatchObject({
      identifier: `${t.url}/api/v1/stats`,
      title: 'Statistik pengaduan pelayanan publik (agregat aduan)',
      license: 'https://creativecommons.org/licenses/by/4.0/',
      publisher: { name: new URL(t.url).host },
      accessLevel: 'public',
      modified: stats.body.refreshedAt,
    });
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    for (const groupBy of ['agency', 'region', 'category', 'classification', 'channel', 'month'])
      for (const [ext, type] of [
        ['csv', 'text/csv'],
        ['xlsx', xlsx],
      ])
        expect(agg.distribution, `${groupBy} ${ext}`).toContainEqual(
          expect.objectContaining({
            downloadURL: `${t.url}/api/v1/stats.${ext}?groupBy=${groupBy}&lang=id`,
            mediaType: type,
          }),
        );
    expect(agg.distribution.find((d: any) => d.format === 'API').accessURL).toBe(`${t.url}/api/v1/stats`);
    // Every distribution of both datasets answers 200 with its stated media type.
    for (const d of doc.dataset.flatMap((x: any) => x.distribution)) {
      const url = new URL(d.downloadURL ?? d.accessURL);
      expect(url.origin).toBe(t.url);
      const res = await get(url.pathname + url.search);
      expect(res.status, url.pathname).toBe(200);
      expect(res.headers.get('content-type'), `${url}`).toContain(d.mediaType);
      expect(d.title, `${url}`).toBeTruthy();
    }
    // The statistics CSV is the one `/statistik` links (totals row and all), in the catalog's language.
    const csv = await get(`/api/v1/stats.csv?groupBy=agency&lang=en`);
    expect(csv.text.startsWith('Key,Name')).toBe(true);
    const en = JSON.parse((await get('/api/v1/open-data/catalog.json?lang=en')).text);
    expect(en.dataset[0].title).toBe('Public-service complaints (aduan open data)');
    expect(en.dataset[1].title).toBe('Public-service complaint statistics (aduan aggregates)');
    expect(en.dataset[1].distribution[0]).toMatchObject({
      title: 'Statistics by agency (CSV)',
      downloadURL: `${t.url}/api/v1/stats.csv?groupBy=agency&lang=en`,
    });
  });

  it('takes the operator’s licence and publisher (ADUAN_OPEN_DATA_LICENSE / _PUBLISHER)', async () => {
    const svc = t.runtime.services;
    svc.openData = {
      license: 'https://creativecommons.org/publicdomain/zero/1.0/',
      publisher: 'Diskominfo Provinsi Kalimantan Timur',
    };
    try {
      const [ds] = JSON.parse((await get('/api/v1/open-data/catalog.json')).text).dataset;
      for (const d of JSON.parse((await get('/api/v1/open-data/catalog.json')).text).dataset) {
        expect(d.license).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
        expect(d.publisher.name).toBe('Diskominfo Provinsi Kalimantan Timur');
      }
      expect(ds.license).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    } finally {
      svc.openData = undefined;
    }
  });

  it('the snapshot file, its download headers and its metadata state the licence and publisher', async () => {
    const svc = t.runtime.services;
    const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
    svc.openData = { license: CC0, publisher: 'Diskominfo Provinsi Kalimantan Timur' };
    try {
      const written = await snapshotOpenData(svc, t.runtime.config.dataDir);
      const file = JSON.parse(await readFile(written.path, 'utf8'));
      expect(file).toMatchObject({
        schema: 'aduan-open-data/4',
        license: CC0,
        publisher: 'Diskominfo Provinsi Kalimantan Timur',
      });
      // Right after generatedAt: the first bytes of a downloaded file name its terms.
      expect(Object.keys(file).slice(0, 4)).toEqual(['schema', 'generatedAt', 'license', 'publisher']);
      const latest = await get('/api/v1/open-data/snapshots/latest');
      expect(latest.headers.get('x-checksum-sha256')).toBe(written.sha256);
      expect(latest.headers.get('link')).toBe(`<${CC0}>; rel="license"`);
      expect(JSON.parse(latest.text).license).toBe(CC0);
      const meta = await t.api('/api/v1/open-data/snapshots/latest.sha256');
      expect(meta.body).toMatchObject({ sha256: written.sha256, license: CC0 });
      expect(meta.body.publisher).toBe('Diskominfo Provinsi Kalimantan Timur');
      // The operator changes the setting later: a file keeps saying what it was published under.
      svc.openData = undefined;
      const byHash = await get(`/api/v1/open-data/snapshots/${written.sha256}`);
      expect(byHash.headers.get('link')).toBe(`<${CC0}>; rel="license"`);
      expect((await t.api('/api/v1/open-data/snapshots/latest.sha256')).body.license).toBe(CC0);
      const next = await snapshotOpenData(svc, t.runtime.config.dataDir);
      expect(JSON.parse(await readFile(next.path, 'utf8'))).toMatchObject({
        license: 'https://creativecommons.org/licenses/by/4.0/',
        publisher: new URL(t.url).host,
      });
      // A file written before schema 4 states none: the headers name the licence the site publishes under now.
      const old = JSON.stringify({
        schema: 'aduan-open-data/3',
        generatedAt: '2026-04-15T02:00:00.000Z',
        reports: [],
      });
      const oldPath = join(t.runtime.config.dataDir, 'open-data', 'aduan-open-data-schema-3.json');
      await writeFile(oldPath, old);
      const oldSha = createHash('sha256').update(old).digest('hex');
      await svc.db
        .insert(openDataSnapshots)
        .values({ createdAt: new Date('2026-04-15T02:00:00Z'), path: oldPath, sha256: oldSha, rows: 0 });
      const oldRes = await get(`/api/v1/open-data/snapshots/${oldSha}`);
      expect(oldRes.status).toBe(200);
      expect(oldRes.text).toBe(old);
      expect(oldRes.headers.get('link')).toBe(
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
      );
    } finally {
      svc.openData = undefined;
    }
  });

  it('reads both from the environment; a licence that is not an http(s) URL stops the start', () => {
    const c = loadConfig({
      ADUAN_OPEN_DATA_LICENSE: 'https://creativecommons.org/licenses/by-sa/4.0/',
      ADUAN_OPEN_DATA_PUBLISHER: ' Diskominfo Kota Samarinda ',
    });
    expect(c.openData).toEqual({
      license: 'https://creativecommons.org/licenses/by-sa/4.0/',
      publisher: 'Diskominfo Kota Samarinda',
    });
    expect(loadConfig({}).openData).toEqual({ license: undefined, publisher: undefined });
    expect(() => loadConfig({ ADUAN_OPEN_DATA_LICENSE: 'CC BY 4.0' })).toThrow(ConfigError);
  });
});

describe('default date range: the local (WITA) date, not the UTC one', () => {
  // 16:30 UTC on 31 December 2026 is 00:30 WITA on 1 January 2027: UTC still says 2026.
  it.each([
    ['2026-12-31T16:30:00Z', '2027-01-01', '2027-01-01', '2027', 'Januari 2027'],
    ['2026-12-31T15:30:00Z', '2026-01-01', '2026-12-31', '2026', 'Desember 2026'],
  ])('at %s the API ranges %s..%s and the pages open %s / %s', async (now, from, to, year, month) => {
    const before = t.runtime.services.now();
    t.setNow(new Date(now));
    try {
      const stats = await t.api('/api/v1/stats?groupBy=month');
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ from, to });
      const csv = await get('/api/v1/stats.csv?groupBy=month');
      expect(csv.headers.get('content-disposition')).toContain(`aduan-stats-month-${from}-${to}.csv`);
      const page = await get('/statistik');
      expect(page.status).toBe(200);
      expect(page.text).toMatch(new RegExp(`<option value="${year}" selected`));
      const monthly = await get('/statistik/bulanan');
      expect(monthly.status).toBe(200);
      expect(monthly.text).toContain(`Laporan bulanan ${month}`);
    } finally {
      t.setNow(before);
    }
  });
});
