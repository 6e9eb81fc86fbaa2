/**
 * The statistics exports over real HTTP (`/kantor/statistik.csv|.xlsx`, `GET /api/v1/stats.csv|.xlsx`) against the
 * pages they export: every rate a page shows comes with its numerator and denominator columns under distinct
 * headers, and recomputed from them gives the page's percentage; the last row is the page's totals ("Jumlah");
 * rows carry the page's names ("(tanpa)", months, channels); the XLSX has the same header and cells as the CSV;
 * a name that a spreadsheet would run as a formula stays text.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, DEMO, type TestApp, startTestApp } from '../../../test/helpers/app.ts';
import { SECRET, seedStatsReports } from '../../../test/helpers/stats-fixture.ts';
import { sessionsFor, signInWeb, csrfOf } from '../../../test/helpers/web-client.ts';
import { refreshStats } from '../../commands/refresh-stats.ts';

let t: TestApp;
let ids: Record<string, string>;
const signIn = sessionsFor(() => t.url);
const MARCH = 'dari=2026-03-01&sampai=2026-03-31';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  ids = await seedStatsReports(t);
});
afterAll(() => t?.close());

/** Each rate column of the pages → its numerator, denominator and percentage columns in the export. */
const RATES: Record<'id' | 'en', Record<string, [string, string, string]>> = {
  id: {
    'Verifikasi tepat waktu': [
      'Verifikasi tepat waktu (jumlah)',
      'Verifikasi jatuh tempo atau terukur',
      'Verifikasi tepat waktu (%)',
    ],
    'Tindak lanjut tepat waktu': [
      'Tindak lanjut tepat waktu (jumlah)',
      'Tindak lanjut jatuh tempo atau terukur',
      'Tindak lanjut tepat waktu (%)',
    ],
    'Tingkat penyelesaian': ['Selesai', 'Diverifikasi', 'Tingkat penyelesaian (%)'],
    'Porsi sanggahan': ['Sanggahan (jumlah)', 'Dinilai atau disanggah (jumlah)', 'Porsi sanggahan (%)'],
  },
  en: {
    'Verified on time': ['Verified on time (count)', 'Verifications due or measured', 'Verified on time (%)'],
    'Followed up on time': [
      'Followed up on time (count)',
      'Follow-ups due or measured',
      'Followed up on time (%)',
    ],
    'Completion rate': ['Completed', 'Verified', 'Completion rate (%)'],
    'Dispute share': ['Disputes (count)', 'Rated or disputed (count)', 'Dispute share (%)'],
  },
};

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

interface PageRow {
  name: string;
  cells: string[];
}

/** The first indicator table of a page: column headers (without the row-header column), body rows, totals row. */
function pageTable(html: string): { headers: string[]; rows: PageRow[]; totals: PageRow } {
  const table = html.slice(html.indexOf('<table class="data-table">'), html.indexOf('</table>'));
  const section = (tag: string) => table.slice(table.indexOf(`<${tag}>`), table.indexOf(`</${tag}>`));
  const rowsOf = (s: string): PageRow[] =>
    [...s.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => ({
      name: decode(/<th scope="row">([\s\S]*?)<\/th>/.exec(m[1]!)?.[1] ?? ''),
      cells: [...m[1]!.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!)),
    }));
  const headers = [...section('thead').matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)]
    .map((m) => decode(m[1]!))
    .slice(1);
  const [totals] = rowsOf(section('tfoot'));
  return { headers, rows: rowsOf(section('tbody')), totals: totals! };
}

/** A CSV as header + rows of strings. */
function csvTable(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parse(text) as string[][];
  return { header: header!, rows };
}

/** A number as the page writes it in its language: "1.234" / "5,00" in Indonesian, "1,234" / "5.00" in English. */
const pageNumber = (lang: 'id' | 'en', s: string) =>
  Number(lang === 'id' ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, ''));

/**
 * Checks one exported row against the page's cells under `headers`: each rate recomputed from its numerator and
 * denominator columns (and the export's own percentage) equals the page's rounded percentage, every other column
 * has the page's value.
 */
function expectRowMatches(
  lang: 'id' | 'en',
  headers: string[],
  page: PageRow,
  header: string[],
  row: string[],
  where: string,
) {
  const col = (h: string) => {
    const i = header.indexOf(h);
    expect(i, `${where}: column ${h}`).toBeGreaterThanOrEqual(0);
    return row[i]!;
  };
  headers.forEach((h, i) => {
    const shown = page.cells[i]!;
    const at = `${where} / ${page.name} / ${h}`;
    const rate = RATES[lang][h];
    if (rate) {
      const [n, d, p] = rate.map(col) as [string, string, string];
      expect(n, at).toMatch(/^\d+$/);
      expect(d, at).toMatch(/^\d+$/);
      expect(Number(n), at).toBeLessThanOrEqual(Number(d));
      if (Number(d) === 0) {
        expect(shown, at).toBe('–');
        expect(p, at).toBe('');
        return;
      }
      const exact = (100 * Number(n)) / Number(d);
      expect(`${Math.round(exact)}%`, at).toBe(shown);
      expect(`${Math.round(Number(p))}%`, at).toBe(shown);
      expect(Math.abs(Number(p) - exact), at).toBeLessThanOrEqual(0.005);
      return;
    }
    const v = col(h);
    if (shown === '–') expect(v, at).toBe('');
    else expect(Number(v), at).toBe(pageNumber(lang, shown));
  });
}

async function get(email: string | null, path: string) {
  const headers: Record<string, string> = {};
  if (email) headers.cookie = (await signIn(email)).cookie;
  const res = await fetch(t.url + path, { headers });
  expect(res.status, path).toBe(200);
  return res;
}

/** Reads an XLSX back as header + rows of strings the way the CSV writes them (empty cell → ''). */
async function xlsxTable(res: Response): Promise<{ header: string[]; rows: string[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.worksheets[0]!;
  const width = ws.getRow(1).cellCount;
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (r) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const v = r.getCell(c).value;
      expect(typeof v === 'object' && v !== null, `formula or rich value in row ${r.number}`).toBe(false);
      cells.push(v === null || v === undefined ? '' : String(v));
    }
    out.push(cells);
  });
  const [header, ...rows] = out;
  return { header: header!, rows };
}

describe('dashboard exports against the dashboard page', () => {
  const GROUPINGS = ['agency', 'category', 'region', 'classification', 'channel', 'month'] as const;

  for (const [who, email] of [
    ['coordinator', DEMO.coordinator],
    ['national admin', DEMO.national],
  ] as const) {
    for (const lang of ['id', 'en'] as const) {
      it(`${who}, ${lang}: rates recomputed from the CSV's numerators and denominators equal the page; totals row`, async () => {
        for (const g of GROUPINGS) {
          const q = `kelompok=${g}&${MARCH}&lang=${lang}`;
          const page = pageTable(await (await get(email, `/kantor/statistik?${q}`)).text());
          const csv = csvTable(await (await get(email, `/kantor/statistik.csv?${q}`)).text());
          const where = `${who} ${lang} ${g}`;
          expect(new Set(csv.header).size, `${where}: distinct headers`).toBe(csv.header.length);
          // A header the page uses for a rate never names a count in the export.
          for (const h of Object.keys(RATES[lang])) expect(csv.header, where).not.toContain(h);
          expect(csv.header.slice(0, 2)).toEqual(lang === 'id' ? ['Kunci', 'Nama'] : ['Key', 'Name']);
          // Same rows in the same order with the page's names, then the totals row.
          expect(
            csv.rows.map((r) => r[1]),
            where,
          ).toEqual([...page.rows.map((r) => r.name), lang === 'id' ? 'Jumlah' : 'Total']);
          const totals = csv.rows.at(-1)!;
          expect(totals[0], where).toBe('');
          expect(page.totals.name, where).toBe(totals[1]);
          page.rows.forEach((r, i) =>
            expectRowMatches(lang, page.headers, r, csv.header, csv.rows[i]!, where),
          );
          expectRowMatches(lang, page.headers, page.totals, csv.header, totals, `${where} totals`);
        }
      });
    }
  }

  it('the unverified reports are the "(tanpa)" row, named as on the page, with key "-"', async () => {
    const page = pageTable(
      await (await get(DEMO.coordinator, `/kantor/statistik?kelompok=agency&${MARCH}`)).text(),
    );
    expect(page.rows.map((r) => r.name)).toContain('(tanpa)');
    const csv = csvTable(
      await (await get(DEMO.coordinator, `/kantor/statistik.csv?kelompok=agency&${MARCH}`)).text(),
    );
    const none = csv.rows.find((r) => r[0] === '-')!;
    expect(none[1]).toBe('(tanpa)');
    expect(csv.rows.some((r) => r[1] === '-')).toBe(false);
    const en = csvTable(
      await (await get(DEMO.coordinator, `/kantor/statistik.csv?kelompok=agency&${MARCH}&lang=en`)).text(),
    );
    expect(en.rows.find((r) => r[0] === '-')![1]).toBe('(none)');
    // The month, classification and channel rows carry the page's names next to their keys.
    const month = csvTable(
      await (await get(DEMO.coordinator, `/kantor/statistik.csv?kelompok=month&${MARCH}`)).text(),
    );
    expect(month.rows[0]!.slice(0, 2)).toEqual(['2026-03', 'Maret 2026']);
    const channel = csvTable(
      await (await get(DEMO.coordinator, `/kantor/statistik.csv?kelompok=channel&${MARCH}&lang=en`)).text(),
    );
    expect(channel.rows[0]!.slice(0, 2)).toEqual(['api', 'API']);
  });

  it('the XLSX has the same header and cells as the CSV', async () => {
    for (const [email, path] of [
      [DEMO.coordinator, `/kantor/statistik.%s?kelompok=agency&${MARCH}`],
      [DEMO.national, `/kantor/statistik.%s?kelompok=month&${MARCH}&lang=en`],
      [DEMO.dinkesAdmin, `/kantor/statistik.%s?kelompok=category&${MARCH}`],
      [null, '/api/v1/stats.%s?groupBy=agency&from=2026-03-01&to=2026-03-31&lang=en'],
      [null, '/api/v1/stats.%s?groupBy=region&from=2026-03-01&to=2026-03-31&parent=64'],
    ] as const) {
      const csv = csvTable(await (await get(email, path.replace('%s', 'csv'))).text());
      const xlsx = await xlsxTable(await get(email, path.replace('%s', 'xlsx')));
      expect(xlsx.header, path).toEqual(csv.header);
      expect(xlsx.rows, path).toEqual(csv.rows);
      expect(csv.rows.length, path).toBeGreaterThan(1);
    }
  });
});

describe('public exports against the public page', () => {
  it('the totals row of /api/v1/stats.csv equals "all indicators" on /statistik (confidential report left out)', async () => {
    for (const lang of ['id', 'en'] as const) {
      const html = await (await get(null, `/statistik?tahun=2026&lang=${lang}`)).text();
      const all = html.slice(html.indexOf('id="semua-h"'), html.indexOf('id="bulan-h"'));
      const shown = [...all.matchAll(/<th scope="row">([^<]*)<\/th><td class="num">([^<]*)<\/td>/g)].map(
        (m) => [decode(m[1]!), decode(m[2]!)],
      );
      expect(shown).toHaveLength(17);
      // The page's own export link of the months table (its range and language).
      const href = /href="(\/api\/v1\/stats\.csv\?groupBy=month[^"]*)"/
        .exec(html)![1]!
        .replaceAll('&amp;', '&');
      expect(href).toContain(`lang=${lang}`);
      const text = await (await get(null, href)).text();
      for (const s of Object.values(SECRET)) expect(text).not.toContain(s);
      expect(text).not.toContain(ids.confidential);
      const csv = csvTable(text);
      const totals = csv.rows.at(-1)!;
      expect(totals.slice(0, 2)).toEqual(['', lang === 'id' ? 'Jumlah' : 'Total']);
      const received = csv.header.indexOf(lang === 'id' ? 'Diterima' : 'Received');
      expect(totals[received]).toBe('4'); // 5 reports in March, the confidential one is not public
      expectRowMatches(
        lang,
        shown.map(([h]) => h!),
        { name: 'totals', cells: shown.map(([, v]) => v!) },
        csv.header,
        totals,
        `/statistik ${lang}`,
      );
    }
  });

  it('the JSON API is unchanged: no export-only fields, rates as fractions with their trials', async () => {
    const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-03-01&to=2026-03-31');
    expect(r.status).toBe(200);
    expect(r.body.totals.verifiedOnTimeRate).toMatchObject({ successes: 3, trials: 4, rate: 0.75 });
    expect(r.body.totals.completionRate).toBeCloseTo(1 / 3, 4);
    expect(r.body.items.find((i: { key: string }) => i.key === '-').label).toBe('-');
    expect(r.body).not.toHaveProperty('items.0.name');
  });
});

describe('formula injection', () => {
  it('a category named like a formula stays text in the CSV and the XLSX', async () => {
    const name = '=HYPERLINK("https://contoh.invalid","klik")';
    const nat = await signInWeb(t.url, DEMO.national);
    const form = await nat.get('/kantor/admin/kategori');
    const add = await nat.post('/kantor/admin/kategori', { _csrf: csrfOf(form.html), categoryName: name });
    expect(add.status).toBe(303);
    const cats = (await t.api('/api/v1/categories')).body as { items: { id: number; name: string }[] };
    const categoryId = cats.items.find((c) => c.name === name)!.id;
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan mati di depan sekolah',
        body: 'Lampu penerangan jalan di depan sekolah mati sejak dua minggu, gelap dan berbahaya malam hari.',
        regionCode: '64.72.02',
        reporter: { name: 'Warga Uji', email: 'warga.lain@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    await actOk(
      t,
      r.body.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: await t.login(DEMO.coordinator) },
    );
    await refreshStats(t.runtime.services);
    for (const [email, path] of [
      [DEMO.national, '/kantor/statistik.%s?kelompok=category&dari=2026-04-01&sampai=2026-04-30'],
      [null, '/api/v1/stats.%s?groupBy=category&from=2026-04-01&to=2026-04-30'],
    ] as const) {
      const text = await (await get(email, path.replace('%s', 'csv'))).text();
      const csv = csvTable(text);
      const row = csv.rows.find((x) => x[0] === String(categoryId))!;
      expect(row[1], path).toBe(`'${name}`);
      for (const x of csv.rows) for (const cell of x) expect(cell, path).not.toMatch(/^[=+@]/);
      // In the spreadsheet the name is a plain text cell (never a formula), as typed.
      const xlsx = await xlsxTable(await get(email, path.replace('%s', 'xlsx')));
      expect(xlsx.rows.find((x) => x[0] === String(categoryId))![1], path).toBe(name);
    }
    // The open-data CSV names the category too.
    const open = csvTable(await (await get(null, '/api/v1/open-data/reports.csv')).text());
    const col = open.header.indexOf('category');
    const mine = open.rows.find((x) => x[open.header.indexOf('trackingId')] === r.body.trackingId)!;
    expect(mine[col]).toBe(`'${name}`);
    for (const x of open.rows) for (const cell of x) expect(cell).not.toMatch(/^[=+@]/);
  });
});
