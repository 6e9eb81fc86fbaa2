/**
 * Query parameters of the statistics pages and endpoints are never ignored silently (real HTTP, fixed clock): an
 * unknown or malformed year (`tahun`) on `/statistik`, and a period parameter a page or endpoint does not take
 * (`bulan` on the yearly page, `tahun` on the monthly one, `year`/`month`/`tahun`/`bulan` on the JSON/CSV/XLSX
 * statistics and the open-data rows, which take `from`/`to`), answer 422 with the message in Bahasa Indonesia and
 * English, never the default period's figures. An absent or empty year keeps the default. The refusals carry no
 * statistics, so no confidential report or reporter detail either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { SECRET, seedStatsReports } from '../../../test/helpers/stats-fixture.ts';

let t: TestApp;
let ids: Record<string, string>;
const signIn = sessionsFor(() => t.url);

async function get(path: string, email?: string) {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (email) headers.cookie = (await signIn(email)).cookie;
  const res = await fetch(t.url + path, { headers, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

function expectNoSecrets(text: string) {
  for (const s of Object.values(SECRET)) expect(text).not.toContain(s);
  expect(text).not.toContain(ids.confidential);
}

beforeAll(async () => {
  // 12 March 2026: the yearly page offers 2024, 2025 and 2026.
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  ids = await seedStatsReports(t);
});
afterAll(() => t?.close());

describe('public statistics pages refuse a year or period they cannot answer', () => {
  it.each([
    [
      '/statistik?tahun=1999',
      'Tahun: Tahun tidak tersedia; pilih salah satu tahun yang ditawarkan di halaman (2024–2026).',
      '/statistik',
    ],
    [
      '/statistik?tahun=2027&lang=en',
      'Year: Year not available; choose one of the years the page offers (2024–2026).',
      '/statistik',
    ],
    // Malformed: not a year at all, a year with a suffix, a second value.
    ['/statistik?tahun=20x6', 'Tahun: Tahun tidak tersedia;', '/statistik'],
    ['/statistik?tahun=2026.0&prov=64', 'Tahun: Tahun tidak tersedia;', '/statistik'],
    ['/statistik?tahun=2026&tahun=2025', 'Tahun: Tahun tidak tersedia;', '/statistik'],
    [
      '/statistik?bulan=2026-03',
      'Periode (bulan): Parameter ini tidak dipakai di sini; gunakan tahun.',
      '/statistik',
    ],
    ['/statistik?year=2026&lang=en', 'year: This parameter is not used here; use tahun.', '/statistik'],
    ['/statistik?from=2026-01-01', 'from: Parameter ini tidak dipakai di sini; gunakan tahun.', '/statistik'],
    [
      '/statistik/bulanan?tahun=2026',
      'Tahun: Parameter ini tidak dipakai di sini; gunakan bulan.',
      '/statistik/bulanan',
    ],
    [
      '/statistik/bulanan?bulan=2026-03&month=2026-02&lang=en',
      'month: This parameter is not used here; use bulan.',
      '/statistik/bulanan',
    ],
  ])('%s: 422 page with the message and a way back, no figures', async (path, message, back) => {
    const r = await get(path);
    expect(r.status).toBe(422);
    expect(r.type).toContain('text/html');
    expect(r.text).toContain(message);
    expect(r.text).toContain(`href="${back}"`);
    expect(r.text).not.toContain('<svg');
    expect(r.text).not.toContain('<table');
    expectNoSecrets(r.text);
  });

  it('an absent or empty year is this year; each offered year is answered', async () => {
    for (const path of [
      '/statistik',
      '/statistik?tahun=',
      '/statistik?tahun=2024',
      '/statistik?tahun=2025',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expectNoSecrets(r.text);
    }
    expect((await get('/statistik?tahun=')).text).toMatch(/<option value="2026" selected/);
    expect((await get('/statistik?tahun=2024')).text).toMatch(/<option value="2024" selected/);
  });

  it('an empty month on the monthly report is this month', async () => {
    const r = await get('/statistik/bulanan?bulan=');
    expect(r.status).toBe(200);
    const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
    expect(h1(r.text)).toMatch(/^Laporan bulanan \S+ 2026$/);
    expect(h1(r.text)).toBe(h1((await get('/statistik/bulanan')).text));
    expectNoSecrets(r.text);
  });
});

describe('statistics and open-data endpoints take their period as from/to only', () => {
  it.each([
    ['/api/v1/stats?tahun=2025', 'tahun'],
    ['/api/v1/stats.csv?groupBy=month&year=2025', 'year'],
    ['/api/v1/stats.xlsx?bulan=2026-03', 'bulan'],
    ['/api/v1/open-data/reports.json?month=2026-03', 'month'],
    ['/api/v1/open-data/reports.csv?tahun=2026', 'tahun'],
    ['/api/v1/open-data/reports.csv?limit=2&year=2026', 'year'],
  ])('%s: 422 VALIDATION_FAILED on %s, in both languages', async (path, field) => {
    const r = await t.api(path);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(r.body.error.fields)).toEqual([field]);
    expect(r.body.error.translations.id.fields[field]).toBe(
      'Parameter ini tidak dipakai di sini; gunakan from, to.',
    );
    expect(r.body.error.translations.en.fields[field]).toBe('This parameter is not used here; use from, to.');
    expectNoSecrets(JSON.stringify(r.body));
  });

  it('from/to are still answered, and an empty period parameter is no choice', async () => {
    const r = await t.api('/api/v1/stats?groupBy=month&from=2026-03-01&to=2026-03-31&tahun=');
    expect(r.status).toBe(200);
    const csv = await fetch(`${t.url}/api/v1/open-data/reports.csv?from=2026-03-01&to=2026-03-31`);
    expect(csv.status).toBe(200);
    expectNoSecrets(await csv.text());
  });
});

describe('the back-office dashboard refuses what it would have ignored', () => {
  it.each([
    ['/kantor/statistik?kelompok=wilayah', 'Kelompokkan menurut', 'Pilih salah satu.'],
    ['/kantor/statistik?tahun=2026', 'Tahun', 'Parameter ini tidak dipakai di sini; gunakan dari, sampai.'],
    ['/kantor/statistik.csv?kelompok=agency&bulan=2026-03', 'Periode (bulan)', 'gunakan dari, sampai.'],
  ])('%s: 422 naming the field', async (path, label, message) => {
    const r = await get(path, DEMO.national);
    expect(r.status).toBe(422);
    expect(r.text).toContain(label);
    expect(r.text).toContain(message);
  });

  it('an empty kelompok (a form sent without a choice) is the agency grouping', async () => {
    const r = await get('/kantor/statistik?kelompok=&dari=2026-03-01&sampai=2026-03-31', DEMO.national);
    expect(r.status).toBe(200);
  });
});
