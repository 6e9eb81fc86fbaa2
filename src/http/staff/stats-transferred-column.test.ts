/**
 * The roll-up's `transferred` counter (reports handed to the Ombudsman), over real HTTP against a controllable clock:
 * the staff dashboard has a "Dialihkan ke Ombudsman" column per row (agency rolled up its tree, region, month) and in
 * its totals, equal to the scope-wide figure above the table; the staff CSV/XLSX exports carry the same column after
 * "Terlambat saat ini". The public exports keep their columns. Reports escalate through the real flow: verified in
 * January, offered by the sweeper in April (escalation deadline passed), handed over on the reporter's consent.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { refreshStats } from '../../commands/refresh-stats.ts';
import { runSweep } from '../../jobs/sweeper.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
type Made = { trackingId: string; accessKey: string };
const RANGE = 'dari=2026-01-01&sampai=2026-04-14';

async function get(email: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

/** The dashboard table: headers (without the row-header column) and each row's cells by its name, totals last. */
function table(html: string): { headers: string[]; rows: Map<string, string[]>; totals: string[] } {
  const tbl = html.slice(html.indexOf('<table class="data-table">'), html.indexOf('</table>'));
  const strip = (s: string) => s.replace(/<[^>]+>/g, '').trim();
  const headers = [
    ...tbl
      .slice(tbl.indexOf('<thead>'), tbl.indexOf('</thead>'))
      .matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g),
  ]
    .map((m) => strip(m[1]!))
    .slice(1);
  const rowsOf = (s: string) =>
    [...s.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => ({
      name: strip(/<th scope="row">([\s\S]*?)<\/th>/.exec(m[1]!)?.[1] ?? ''),
      cells: [...m[1]!.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((c) => strip(c[1]!)),
    }));
  const body = rowsOf(tbl.slice(tbl.indexOf('<tbody>'), tbl.indexOf('</tbody>')));
  const [totals] = rowsOf(tbl.slice(tbl.indexOf('<tfoot>'), tbl.indexOf('</tfoot>')));
  return { headers, rows: new Map(body.map((r) => [r.name, r.cells])), totals: totals!.cells };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  const verified = async (regionCode: string, agencyId: string, title: string): Promise<Made> => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title,
        body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
        regionCode,
        reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await actOk(t, r.body.trackingId, 'verify', { categoryId, agencyId }, { token: coord });
    return r.body as Made;
  };
  const handedOver = [
    await verified('64.71.01', 'pupr-kaltim', 'Jalan provinsi di Balikpapan amblas'),
    await verified('64.72.02', 'pupr-kaltim', 'Jembatan provinsi di Samarinda retak'),
    await verified('64.72.02', 'dinkes-kaltim', 'Puskesmas Samarinda kehabisan vaksin'),
  ];
  // Offered too, but the reporter does not consent: not transferred.
  await verified('64.71.01', 'dinkes-kaltim', 'Puskesmas Balikpapan tanpa dokter jaga');
  const monday = new Date('2026-04-13T09:00:00+08:00');
  t.setNow(monday);
  const offers = (await runSweep(t.runtime.services, monday, { dryRun: false })).filter(
    (a) => a.action === 'ombudsman_offer',
  );
  expect(offers).toHaveLength(4);
  for (const r of handedOver)
    await actOk(t, r.trackingId, 'escalate', { consent: true }, { accessKey: r.accessKey });
  t.setNow(new Date('2026-04-14T02:00:00Z'));
  await refreshStats(t.runtime.services);
}, 120_000);
afterAll(() => t?.close());

describe('the transferred column of the staff statistics', () => {
  it('each row of the dashboard counts its reports handed to the Ombudsman, the totals the scope-wide figure', async () => {
    const byAgency = await get(DEMO.coordinator, `/kantor/statistik?kelompok=agency&${RANGE}`);
    expect(byAgency.status).toBe(200);
    expect(byAgency.text).toContain('Dialihkan ke Ombudsman: 3 laporan yang diterima dalam rentang ini.');
    const a = table(byAgency.text);
    const col = a.headers.indexOf('Dialihkan ke Ombudsman');
    expect(col).toBe(a.headers.indexOf('Terlambat saat ini') + 1);
    const cellOf = (rows: Map<string, string[]>, name: string) =>
      rows.get([...rows.keys()].find((k) => k.startsWith(name))!)?.[col];
    expect(cellOf(a.rows, 'Dinas Pekerjaan Umum')).toBe('2');
    expect(cellOf(a.rows, 'Dinas Kesehatan')).toBe('1');
    expect(cellOf(a.rows, 'Pemerintah Provinsi Kalimantan Timur')).toBe('3'); // the tree roll-up
    expect(a.totals[col]).toBe('3');

    const byRegion = table((await get(DEMO.coordinator, `/kantor/statistik?kelompok=region&${RANGE}`)).text);
    expect(cellOf(byRegion.rows, 'Kota Balikpapan')).toBe('1');
    expect(cellOf(byRegion.rows, 'Kota Samarinda')).toBe('2');

    // A region scope: the Balikpapan coordinator's dashboard holds its one.
    const bpp = await get(DEMO.balikpapanCoordinator, `/kantor/statistik?kelompok=agency&${RANGE}`);
    expect(bpp.text).toContain('Dialihkan ke Ombudsman: 1 laporan');
    expect(table(bpp.text).totals[col]).toBe('1');
    // The range decides: none of them was received in March.
    const march = table(
      (await get(DEMO.coordinator, '/kantor/statistik?dari=2026-03-01&sampai=2026-03-31')).text,
    );
    expect(march.totals[col]).toBe('0');

    // English column name.
    const en = table(
      (await get(DEMO.coordinator, `/kantor/statistik?kelompok=agency&${RANGE}&lang=en`)).text,
    );
    expect(en.headers[col]).toBe('Handed over to the Ombudsman');
  });

  it('the staff exports carry the column; the public exports keep theirs', async () => {
    const csv = await get(DEMO.coordinator, `/kantor/statistik.csv?kelompok=region&${RANGE}&lang=id`);
    expect(csv.status).toBe(200);
    const [header, ...rows] = parse(csv.text) as string[][];
    const col = header!.indexOf('Dialihkan ke Ombudsman');
    expect(col).toBe(header!.indexOf('Terlambat saat ini') + 1);
    const byKey = new Map(rows.map((r) => [r[0], r[col]]));
    expect(byKey.get('64.71')).toBe('1');
    expect(byKey.get('64.72')).toBe('2');
    expect(rows.at(-1)![col]).toBe('3'); // the totals row

    const wb = new ExcelJS.Workbook();
    const res = await fetch(t.url + `/kantor/statistik.xlsx?kelompok=region&${RANGE}&lang=id`, {
      headers: { cookie: (await signIn(DEMO.coordinator)).cookie },
    });
    expect(res.status).toBe(200);
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(col + 1).value).toBe('Dialihkan ke Ombudsman');
    expect(sheet.getRow(sheet.rowCount).getCell(col + 1).value).toBe(3);

    const pub = await fetch(`${t.url}/api/v1/stats.csv?groupBy=region&from=2026-01-01&to=2026-04-14`);
    const [pubHeader] = parse(await pub.text()) as string[][];
    expect(pubHeader).not.toContain('Dialihkan ke Ombudsman');
    expect(pubHeader!.length).toBe(header!.length - 1);
  });
});
