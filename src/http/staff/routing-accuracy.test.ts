/**
 * The routing accuracy page (`/kantor/statistik/rute`, issue 7) over real HTTP with cookie sessions on a real
 * database: who may see it (`view_evaluation`: national admin, coordinator, assessor; officers and citizens 403,
 * signed-out visitors to sign-in), the links to it, the empty state before any suggestion was decided, the month
 * row matching `GET /api/v1/routing/accuracy`, a bukan-wewenang return in the misrouting rate, the viewer's scope
 * (national admin everything, a kab/kota coordinator its city, agency admins their subtree; page, CSV and API),
 * `bulan`, English, and that no report text or reporter name appears. The history is small and synthetic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { HEALTH, ROADS } from '../../../test/helpers/routing-corpus.ts';
import { trainRoutingModels } from '../../commands/train-routing.ts';
import type { ConfidenceBand } from '../../queries/routing-accuracy.ts';

const PAGE = '/kantor/statistik/rute';
const SECRET_NAME = 'Warga Rahasia Rute';
const TITLE = 'Aspal jalan rusak dan berlubang di kampung';
let t: TestApp;
let coord: string;
let catRoads: number;
let catHealth: number;

const submit = (title: string) =>
  submitReport(t, title, { reporter: { name: SECRET_NAME, email: 'warga.rute@contoh.aduan.id' } });

/** The cells of the month's table row, as text. */
function monthRow(html: string, month: string): string[] {
  const row = new RegExp(`<tr data-month="${month}">([\\s\\S]*?)</tr>`).exec(html);
  expect(row, `row ${month}`).not.toBeNull();
  return [...row![1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]!);
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** The row the page should show for the API's month, in the page's column order. */
function expectedRow(m: any, label: string): string[] {
  return [
    label,
    String(m.decided),
    String(m.acceptedTop1),
    pct(m.top1Accuracy),
    String(m.inTop3),
    pct(m.top3Accuracy),
    String(m.verifications),
    String(m.returns),
    pct(m.misroutingRate),
  ];
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verifyReport(t, coord, await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verifyReport(t, coord, await submit(title), 'dinkes-kaltim', catHealth);
  await trainRoutingModels(t.runtime.services, { cvMaxRows: 0, kinds: ['agency', 'category'] });
}, 180_000);
afterAll(() => t?.close());

describe('routing accuracy page', () => {
  it('signed out → sign-in; officers and citizens 403; links only for those who may see it', async () => {
    const anon = await new WebClient(t.url).get(`${PAGE}?bulan=6`);
    expect(anon.status).toBe(303);
    expect(anon.location).toBe(`/masuk?next=${encodeURIComponent(`${PAGE}?bulan=6`)}`);
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    expect((await officer.get(PAGE)).status).toBe(403);
    expect((await officer.get(`${PAGE}?bulan=abc`)).status).toBe(403);
    expect((await officer.get(`${PAGE}.csv`)).status).toBe(403);
    const anonCsv = await new WebClient(t.url).get(`${PAGE}.csv`);
    expect(anonCsv.status).toBe(303);
    const dash = await officer.get('/kantor/statistik');
    expect(dash.status).toBe(200);
    expect(dash.html).not.toContain(`href="${PAGE}"`);
    expect((await (await signInWeb(t.url, DEMO.citizen)).get(PAGE)).status).toBe(403);

    const national = await signInWeb(t.url, DEMO.national);
    expect((await national.get('/kantor/statistik')).html).toContain(`href="${PAGE}"`);
    expect((await national.get('/kantor/admin/rute-otomatis')).html).toContain(`href="${PAGE}"`);
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    expect((await coordinator.get('/kantor/statistik')).html).toContain(`href="${PAGE}"`);
    // Assessors have `view_evaluation` and the API answers them, so the page does too.
    expect((await (await signInWeb(t.url, DEMO.assessor)).get(PAGE)).status).toBe(200);
  });

  it('shows the empty state until a suggestion is decided', async () => {
    const r = await (await signInWeb(t.url, DEMO.national)).get(PAGE);
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h1>Ketepatan saran rute</h1>');
    expect(r.html).toContain('data-empty="routing"');
    expect(r.html).toContain('<code>aduan routing train</code>');
    // The verifications of the history are there; nothing decided yet, so the accuracy is "—".
    const row = monthRow(r.html, '2026-03');
    expect(row.slice(0, 4)).toEqual(['Maret 2026', '0', '0', '—']);
  });

  it('the month row matches the API for the national admin and the coordinator; a return raises misrouting', async () => {
    // One suggestion taken, one overruled (the chosen agency is still among the three shown).
    const a = await submit(TITLE);
    const b = await submit('Jalan berlubang di depan jembatan kampung');
    for (const id of [a, b]) {
      expect((await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord })).status).toBe(200);
    }
    await verifyReport(t, coord, a, 'pupr-kaltim', catRoads);
    await verifyReport(t, coord, b, 'dinkes-kaltim', catHealth);

    const national = await signInWeb(t.url, DEMO.national);
    const before = await national.get(PAGE);
    expect(before.html).not.toContain('data-empty="routing"');
    expect(monthRow(before.html, '2026-03').slice(7)).toEqual(['0', '0%']);

    // Dinkes returns the overruled one as bukan wewenang.
    const back = await t.api(`/api/v1/reports/${b}/actions/return`, {
      json: { note: 'Bukan wewenang Dinkes.' },
      token: await t.login(DEMO.dinkesAdmin),
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);

    for (const email of [DEMO.national, DEMO.coordinator]) {
      const api = await t.api('/api/v1/routing/accuracy', { token: await t.login(email) });
      expect(api.status).toBe(200);
      const m = api.body.months.find((x: any) => x.month === '2026-03');
      expect(m.decided).toBe(2);
      expect(m.acceptedTop1).toBe(1);
      expect(m.returns).toBe(1);
      const page = await (await signInWeb(t.url, email)).get(PAGE);
      expect(page.status, email).toBe(200);
      const row = monthRow(page.html, '2026-03');
      expect(row, email).toEqual(expectedRow(m, 'Maret 2026'));
      expect(row[3]).toBe('50%');
      expect(row[8]).toBe(pct(m.returns / m.verifications));
      expect(row[8]).not.toBe('0%');
      // The confidence bands: every decided agency suggestion in one band, the table as the API says.
      const bands = api.body.confidence as ConfidenceBand[];
      expect(bands.reduce((n, b) => n + b.decided, 0)).toBe(m.decided);
      for (const b of bands) {
        const tr = new RegExp(`<tr data-band="${b.from}">([\\s\\S]*?)</tr>`).exec(page.html);
        expect(tr, `band ${b.from}`).toBeTruthy();
        const cells = [...tr![1]!.matchAll(/<t[hd][^>]*>([^<]*)</g)].map((c) => c[1]);
        const show = (x: number | null) => (x === null ? '—' : pct(x));
        expect(cells).toEqual([
          `${Math.round(b.from * 100)}–${Math.round(b.to * 100)} %`,
          String(b.decided),
          String(b.acceptedTop1),
          show(b.top1Accuracy),
          show(b.share),
        ]);
      }
      expect(page.html).toContain('Keyakinan saran dan keputusan verifikator');
      // Headline: the period overall (one month of data here).
      expect(page.html).toContain('Keseluruhan 12 bulan terakhir');
      expect(page.html).toContain(`<strong>${pct(m.misroutingRate)}</strong> Tingkat salah tujuan`);
      // The charts have their text alternatives; the table is their equivalent.
      expect(page.html.match(/<svg class="chart"[^>]*role="img"/g)?.length).toBe(3);
      expect(page.html).toContain('<title id="rute-misrouting-title">Tingkat salah tujuan</title>');
      // Aggregates only.
      expect(page.html).not.toContain(SECRET_NAME);
      expect(page.html).not.toContain(TITLE);
      expect(page.html).not.toContain(a);
      // The same figures as CSV, the category suggestions included.
      expect(page.html).toContain(`href="${PAGE}.csv?bulan=12"`);
      const csv = await (await signInWeb(t.url, email)).get(`${PAGE}.csv?bulan=12`);
      expect(csv.status).toBe(200);
      const lines = csv.html.trim().split('\n');
      expect(lines[0]).toBe(
        'month,decided,acceptedTop1,inTop3,top1Accuracy,top3Accuracy,categoryDecided,categoryAcceptedTop1,verifications,returns,misroutingRate,classificationDecided,classificationAcceptedTop1,unitDecided,unitAcceptedTop1',
      );
      const march = lines.find((l) => l.startsWith('2026-03,'))!.split(',');
      expect(march.slice(0, 4)).toEqual(['2026-03', '2', '1', String(m.inTop3)]);
      expect(march[6]).toBe(String(m.categoryDecided));
      expect(march[9]).toBe('1');
      expect(lines).toHaveLength(1 + api.body.months.length);
      expect(csv.html).not.toContain(SECRET_NAME);
      expect(csv.html).not.toContain(a);
    }
  });

  it('each viewer sees its scope: national everything, a kab/kota coordinator its city, an agency admin its subtree', async () => {
    const march = async (token: string) => {
      const r = await t.api('/api/v1/routing/accuracy', { token });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { scope: r.body.scope, m: r.body.months.find((x: any) => x.month === '2026-03') };
    };
    const tokens = {
      national: await t.login(DEMO.national),
      province: await t.login(DEMO.coordinator),
      balikpapan: await t.login(DEMO.balikpapanCoordinator),
      pupr: await t.login(DEMO.puprAdmin),
      dinkes: await t.login(DEMO.dinkesAdmin),
    };
    const before = (await march(tokens.national)).m;
    // Nothing in Balikpapan yet: the city coordinator's March is listed, with nothing in it.
    expect((await march(tokens.balikpapan)).m).toMatchObject({
      decided: 0,
      categoryDecided: 0,
      verifications: 0,
      returns: 0,
      top1Accuracy: null,
      misroutingRate: null,
    });

    // A road report in Balikpapan (64.71), verified to PUPR with the suggestions on screen, then returned by PUPR.
    const c = await submitReport(t, 'Aspal jalan rusak dan berlubang di Balikpapan', {
      regionCode: '64.71.01',
      reporter: { name: SECRET_NAME, email: 'warga.rute@contoh.aduan.id' },
    });
    expect((await t.api(`/api/v1/reports/${c}/suggestions`, { token: coord })).status).toBe(200);
    await verifyReport(t, coord, c, 'pupr-kaltim', catRoads);
    const back = await t.api(`/api/v1/reports/${c}/actions/return`, {
      json: { note: 'Bukan wewenang PUPR.' },
      token: tokens.pupr,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);

    const national = await march(tokens.national);
    const province = await march(tokens.province);
    const city = await march(tokens.balikpapan);
    const pupr = await march(tokens.pupr);
    const dinkes = await march(tokens.dinkes);
    expect(national.scope).toEqual({ kind: 'national' });
    expect(province.scope).toMatchObject({ kind: 'region', regionCode: '64' });
    // The demo assessor's grant is in the province (a national assessor, without a region, sees national).
    const assessor = await march(await t.login(DEMO.assessor));
    expect(assessor.scope).toEqual({ kind: 'region', regionCode: '64', name: 'Kalimantan Timur' });
    expect(assessor.m).toEqual(national.m);
    expect(city.scope).toEqual({ kind: 'region', regionCode: '64.71', name: 'Kota Balikpapan' });
    expect(pupr.scope).toEqual({
      kind: 'agency',
      agencyId: 'pupr-kaltim',
      name: 'Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur',
    });
    expect(dinkes.scope).toMatchObject({ kind: 'agency', agencyId: 'dinkes-kaltim' });

    // The city sees only its report: one decision, one verification, one return.
    expect(city.m).toMatchObject({ decided: 1, verifications: 1, returns: 1, misroutingRate: 1 });
    expect(city.m.categoryDecided).toBe(1);
    // The national admin sees both cities: Samarinda as before plus Balikpapan; the province coordinator too.
    const counts = [
      'decided',
      'acceptedTop1',
      'inTop3',
      'categoryDecided',
      'categoryAcceptedTop1',
      'verifications',
      'returns',
    ] as const;
    for (const k of counts) expect(national.m[k], k).toBe(before[k] + city.m[k]);
    expect(national.m.decided).toBe(3);
    expect(national.m.returns).toBe(2);
    expect(province.m).toEqual(national.m);
    // Agency admins: their own subtree. Every dispatch went to PUPR or Dinkes, so the two add up to the national.
    expect(pupr.m).toMatchObject({ decided: 2, returns: 1 });
    expect(dinkes.m).toMatchObject({ decided: 1, returns: 1 });
    for (const k of counts) expect(pupr.m[k] + dinkes.m[k], k).toBe(national.m[k]);
    expect(pupr.m.verifications).toBe(ROADS.length + 2);
    expect(dinkes.m.verifications).toBe(HEALTH.length + 1);

    // The page and the CSV show the same scoped figures, and name the scope.
    const viewers: [string, typeof national, string, string][] = [
      [DEMO.national, national, '<p data-scope="national"><strong>Nasional</strong>', 'national'],
      [
        DEMO.balikpapanCoordinator,
        city,
        '<p data-scope="region"><strong>Wilayah: Kota Balikpapan</strong>',
        'region-64.71',
      ],
      [
        DEMO.puprAdmin,
        pupr,
        '<p data-scope="agency"><strong>Instansi: Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur</strong>',
        'agency-pupr-kaltim',
      ],
      [DEMO.dinkesAdmin, dinkes, '<p data-scope="agency"><strong>Instansi: ', 'agency-dinkes-kaltim'],
    ];
    for (const [email, api, heading, slug] of viewers) {
      const web = await signInWeb(t.url, email);
      const page = await web.get(PAGE);
      expect(page.status, email).toBe(200);
      expect(page.html, email).toContain(heading);
      expect(monthRow(page.html, '2026-03'), email).toEqual(expectedRow(api.m, 'Maret 2026'));
      // The period's category suggestion accuracy (all of it is in March here), next to the agency figures.
      const categoryRate = api.m.categoryDecided
        ? `${Math.round((100 * api.m.categoryAcceptedTop1) / api.m.categoryDecided)}%`
        : '—';
      expect(page.html, email).toMatch(
        new RegExp(
          `<li data-figure="category_top1"><strong>${categoryRate}</strong> Ketepatan saran kategori`,
        ),
      );
      expect(page.html, email).toMatch(/<li data-figure="type_top1"><strong>—<\/strong>/);
      expect(page.html).not.toContain(SECRET_NAME);
      expect(page.html).not.toContain(c);
      const csv = await web.get(`${PAGE}.csv?bulan=12`);
      expect(csv.status, email).toBe(200);
      expect(csv.headers.get('content-disposition'), email).toBe(
        `attachment; filename="aduan-routing-accuracy-${slug}-12m.csv"`,
      );
      const row = csv.html
        .trim()
        .split('\n')
        .find((l) => l.startsWith('2026-03,'))!
        .split(',');
      expect(row.slice(1, 9).map(Number), email).toEqual([
        api.m.decided,
        api.m.acceptedTop1,
        api.m.inTop3,
        api.m.top1Accuracy,
        api.m.top3Accuracy,
        api.m.categoryDecided,
        api.m.categoryAcceptedTop1,
        api.m.verifications,
      ]);
      expect(row[9], email).toBe(String(api.m.returns));
      expect(csv.html).not.toContain(c);
    }
    const en = await (await signInWeb(t.url, DEMO.balikpapanCoordinator)).get(`${PAGE}?lang=en`);
    expect(en.html).toContain('<p data-scope="region"><strong>Region: Kota Balikpapan</strong>');
  });

  it('in English with ?lang=en', async () => {
    const r = await (await signInWeb(t.url, DEMO.national)).get(`${PAGE}?lang=en`);
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h1>Routing accuracy</h1>');
    expect(r.html).toContain('Misrouting rate');
    expect(monthRow(r.html, '2026-03')[0]).toBe('March 2026');
  });

  it('bulan picks the period; a bad value is a 422 with the field message, never a 500', async () => {
    const c = await signInWeb(t.url, DEMO.national);
    const one = await c.get(`${PAGE}?bulan=1`);
    expect(one.status).toBe(200);
    expect(one.html).toContain('Keseluruhan 1 bulan terakhir');
    expect(one.html).toMatch(/<option value="1" selected/);
    for (const bad of ['0', '61', 'abc', '-3', '1.5', '99999', '1&bulan=2']) {
      const r = await c.get(`${PAGE}?bulan=${bad}`);
      expect(r.status, bad).toBe(422);
      // The back-office error page: the field by its label, a link back to this page, no citizen links.
      expect(r.html, bad).toContain('<strong>Periode (bulan)</strong>:');
      expect(r.html, bad).toContain(`<a href="${PAGE}">Kembali ke ketepatan saran rute</a>`);
      expect(r.html, bad).not.toContain('href="/lacak"');
    }
    expect((await c.get(`${PAGE}?bulan=61&lang=en`)).html).toContain(
      '<strong>Period (months)</strong>: At most 60.',
    );

    // Two months on, the last month has nothing; three months still reach March.
    t.setNow(new Date('2026-05-10T02:00:00Z'));
    const later = await signInWeb(t.url, DEMO.national);
    const may = await later.get(`${PAGE}?bulan=1`);
    expect(may.status).toBe(200);
    expect(may.html).not.toContain('data-month="2026-03"');
    expect(may.html).toContain('data-empty="routing"');
    const three = await later.get(`${PAGE}?bulan=3`);
    expect(three.html).toContain('data-month="2026-03"');
    expect(three.html).not.toContain('data-empty="routing"');
    // The quiet months between are listed too, so the series has no gaps.
    expect(three.html).toContain('data-month="2026-04"');
    expect(three.html).toContain('data-month="2026-05"');
    const api = await t.api('/api/v1/routing/accuracy?months=3', { token: await t.login(DEMO.national) });
    expect(api.body.months.map((m: any) => m.month)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(api.body.months[1]).toMatchObject({ decided: 0, verifications: 0, top1Accuracy: null });
  });

  // Last: it retrains the category model, which would start new suggestion rows for the tests above.
  it('lists the active models with version, training size and CV figures, on the page and in the API', async () => {
    const retrained = await trainRoutingModels(t.runtime.services, { kinds: ['category'] });
    expect(retrained[0]).toMatchObject({ status: 'trained', version: 2 });
    const api = await t.api('/api/v1/routing/models', { token: await t.login(DEMO.coordinator) });
    expect(api.status, JSON.stringify(api.body)).toBe(200);
    const [agency, category] = api.body.models;
    expect(api.body.models.map((m: any) => [m.kind, m.version])).toEqual([
      ['agency', 1],
      ['category', 2],
    ]);
    expect(agency).toMatchObject({ trainingRows: ROADS.length + HEALTH.length, labels: 2, cv: null });
    expect(Object.keys(agency).sort()).toEqual(
      ['cv', 'kind', 'labels', 'negatives', 'trainedAt', 'trainingRows', 'version'].sort(),
    );
    expect(category.cv.accuracy).toBeGreaterThan(0.5);
    expect(category.cv.accuracy).toBeLessThanOrEqual(1);
    // No weights, no report text.
    expect(JSON.stringify(api.body).length).toBeLessThan(2_000);
    expect((await t.api('/api/v1/routing/models')).status).toBe(401);
    expect((await t.api('/api/v1/routing/models', { token: await t.login(DEMO.citizen) })).status).toBe(403);

    const page = await (await signInWeb(t.url, DEMO.coordinator)).get(PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Model yang dipakai');
    const cells = (kind: string) =>
      [
        ...new RegExp(`<tr data-model="${kind}">([\\s\\S]*?)</tr>`)
          .exec(page.html)![1]!
          .matchAll(/<t[hd][^>]*>([^<]*)</g),
      ].map((c) => c[1]);
    expect(cells('agency')[0]).toBe('Instansi');
    expect(cells('agency').slice(1, 2)).toEqual(['1']);
    expect(cells('agency').slice(3)).toEqual([String(ROADS.length + HEALTH.length), '2', '—', '—']);
    expect(cells('category')[0]).toBe('Kategori');
    expect(cells('category')[1]).toBe('2');
    expect(cells('category').slice(5)).toEqual([pct(category.cv.accuracy), pct(category.cv.macroF1)]);
    // In the viewer's zone: the Kalimantan Timur coordinator reads WITA, the national admin WIB.
    expect(cells('category')[2]).toMatch(/^10 Mei 2026 .*10\.00 WITA$/);
    const national = await (await signInWeb(t.url, DEMO.national)).get(PAGE);
    expect(national.html).toMatch(/<tr data-model="category">[\s\S]*?10 Mei 2026 [^<]*09\.00 WIB</);
  });
});
