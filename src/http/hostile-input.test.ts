/**
 * Hostile input on every surface that once answered it with a 500 (found by exploratory testing, 2026-11-29): NUL and
 * other control characters, unpaired surrogates, dates outside 1900–2100 (year 0 is refused by PostgreSQL, year 10000
 * once sent the statistics planner into an endless loop that took the server down) and ids beyond PostgreSQL's
 * `integer`. Each is a clear 4xx with field messages in both languages, or is cleaned and accepted; never a 500.
 * Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { categoryIdByName, DEMO, startTestApp, submitReport, type TestApp } from '../../test/helpers/app.ts';
import { DEMO_OPEN311_KEY } from '../../test/global-setup.ts';
import { serviceCode } from '../../test/helpers/open311.ts';
import { csrfOf, signInWeb, WebClient } from '../../test/helpers/web-client.ts';
import { walkJourney } from '../../test/helpers/journey.ts';

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  code = serviceCode(await (await fetch(`${t.url}/open311/v2/services.json`)).json());
});
afterAll(() => t?.close());

const REPORT = {
  classification: 'pengaduan',
  title: 'Jalan berlubang di depan pasar',
  body: 'Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam.',
  regionCode: '64.72.02',
  anonymous: true,
};
const status = async (path: string) => (await fetch(`${t.url}${path}`)).status;
const open311 = (fields: Record<string, string>) =>
  fetch(`${t.url}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({
      api_key: DEMO_OPEN311_KEY,
      service_code: code,
      address_id: '64.72.02',
      'attribute[classification]': 'pengaduan',
      description: 'Drainase tersumbat menyebabkan genangan setiap hujan di pasar.',
      ...fields,
    }),
  });

describe('control characters and unpaired surrogates', () => {
  it('are cleaned out of JSON, forms, queries and Open311, and the report is stored', async () => {
    const r = await t.api('/api/v1/reports', {
      json: { ...REPORT, title: 'Jalan\u0000 berlubang\u0001 besar', body: `${REPORT.body} \ud800 akhir` },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [row] = await query<{ title: string; body: string }>(
      t.runtime.services.db,
      sql`select title, body from reports where tracking_id = ${r.body.trackingId}`,
    );
    expect(row).toEqual({ title: 'Jalan berlubang besar', body: `${REPORT.body} \ufffd akhir` });

    for (const path of [
      '/laporan?q=a%00b',
      '/api/v1/reports?q=a%00b',
      '/api/v1/similar?title=Jalan%00rusak&body=Jalan%20rusak%20parah%20sekali%20di%20depan&regionCode=64.72',
      '/open311/v2/requests.json?service_request_id=1%002',
    ])
      expect(await status(path), path).toBeLessThan(500);

    const o = await open311({ description: 'Jalan\u0000 berlubang di pasar besar sekali' });
    expect(o.status, await o.clone().text()).toBe(201);

    const signIn = await fetch(`${t.url}/masuk`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'a\u0000b@contoh.aduan.id', password: 'x' }),
      redirect: 'manual',
    });
    expect(signIn.status).toBeLessThan(500);

    // The no-JS journey: a NUL typed into the title never reaches the draft, so the submission goes through.
    const c = new WebClient(t.url);
    await walkJourney(c, { kejadian: { title: 'Judul\u0000 jalan rusak di pasar' } });
    const sent = await c.post('/lapor/kirim', {});
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
  });

  it('multipart fields of the staff follow-up form are cleaned too', async () => {
    const id = await submitReport(t, 'Lampu jalan mati di depan sekolah', { anonymous: true });
    const coord = await t.login(DEMO.coordinator);
    const v = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: await categoryIdByName(t), agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v.status).toBe(200);
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    const fd = new FormData();
    fd.append('_csrf', csrfOf(page.html));
    fd.append('kind', 'interim');
    fd.append('body', 'Petugas\u0000 sudah memeriksa lampu dan memesan suku cadang.');
    const r = await web.postMultipart(`/kantor/laporan/${id}/respond`, fd);
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    const [row] = await query<{ body: string }>(
      t.runtime.services.db,
      sql`select e.body from report_events e join reports r on r.id = e.report_id where r.tracking_id = ${id} and e.type = 'respond'`,
    );
    expect(row!.body).toBe('Petugas sudah memeriksa lampu dan memesan suku cadang.');
  });
});

describe('smaller input mistakes get the right answer', () => {
  it('a title of invisible characters is empty; JSON sent as text is 415; a JSON object for a text field is 400', async () => {
    const zw = await t.api('/api/v1/reports', {
      json: { ...REPORT, title: '\u200b\u200b\u200b\u200b\u200b\u200b' },
    });
    expect(zw.status).toBe(422);
    expect(Object.keys(zw.body.error.fields)).toEqual(['title']);
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const r = await fetch(`${t.url}/api/v1/reports`, {
        method: 'POST',
        headers,
        body: new Blob([JSON.stringify(REPORT)]),
      });
      expect(r.status, JSON.stringify(headers)).toBe(415);
    }
    const o = await fetch(`${t.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        api_key: DEMO_OPEN311_KEY,
        service_code: code,
        address_id: '64.72.02',
        attribute: { classification: 'pengaduan' },
        description: { x: 1 },
      }),
    });
    expect(o.status).toBe(400);
    expect(await o.text()).toContain('description');
    expect(await status('/api/v1/open-data/reports.json?from=2026-12-01&to=2026-01-01')).toBe(422);
  });
});

describe("the reporter's forms on the tracking page", () => {
  it('count a field sent twice once, and refuse text longer than the API allows', async () => {
    const r = await t.api('/api/v1/reports', {
      json: { ...REPORT, anonymous: false, reporter: { name: 'Warga Uji' } },
    });
    expect(r.status).toBe(201);
    const { trackingId: id, accessKey: k } = r.body;
    await t.api(`/api/v1/reports/${id}/actions/hold`, {
      json: { question: 'Di ruas jalan mana tepatnya?' },
      token: await t.login(DEMO.coordinator),
    });
    const post = (action: string, form: URLSearchParams) =>
      fetch(`${t.url}/lacak/${id}/${action}`, { method: 'POST', body: form, redirect: 'manual' });
    const tooLong = await post('supplement', new URLSearchParams({ k, body: 'x'.repeat(10_001) }));
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('10000');
    const twice = new URLSearchParams([
      ['k', k],
      ['k', k],
      ['body', 'Di Jalan Mulawarman depan pasar.'],
      ['body', 'kedua'],
    ]);
    const ok = await post('supplement', twice);
    expect(ok.status).toBe(303);
    const events = await t.api(`/api/v1/reports/${id}/events`, { accessKey: k });
    expect(events.body.items.at(-1)).toMatchObject({
      type: 'supplement',
      body: 'Di Jalan Mulawarman depan pasar.',
    });
  });
});

describe('dates outside 1900–2100', () => {
  it('are refused with a field message in both languages on the API, statistics and open data', async () => {
    const occurred = await t.api('/api/v1/reports', { json: { ...REPORT, occurredOn: '0000-01-01' } });
    expect(occurred.status).toBe(422);
    expect(occurred.body.error.translations.id.fields.occurredOn).toContain('1900-01-01');
    expect(occurred.body.error.translations.en.fields.occurredOn).toContain('between');
    for (const path of [
      '/api/v1/reports?from=0000-01-01',
      '/api/v1/reports?to=0001-01-01',
      '/api/v1/open-data/reports.json?from=0000-01-01',
      '/api/v1/stats?groupBy=agency&from=0000-01-01&to=2026-01-01',
      // Once an endless loop that ran the server out of memory.
      '/api/v1/stats?groupBy=agency&to=9999-12-31',
      '/api/v1/stats.csv?groupBy=agency&to=9999-12-31',
    ])
      expect(await status(path), path).toBe(422);
    // The largest accepted date still plans (its unit may end past it).
    expect(await status('/api/v1/stats?groupBy=agency&from=2100-01-01&to=2100-12-31')).toBe(200);
  });

  it('are refused on Open311 (filters, the 90-day window, the event-time attribute)', async () => {
    for (const path of [
      '/open311/v2/requests.json?start_date=0000-01-01T00:00:00Z',
      '/open311/v2/requests.json?updated_after=0000-01-01T00:00:00Z',
      '/open311/v2/requests.json?start_date=9999-12-31T00:00:00Z',
      '/open311/v2/servicerequestupdates.json?start_date=0000-01-01T00:00:00Z',
    ])
      expect(await status(path), path).toBe(400);
    for (const when of ['0000-01-01', '2026-11-01T99:99']) {
      const r = await open311({ 'attribute[waktu_kejadian]': when });
      expect(r.status, when).toBe(400);
      expect(await r.text()).toContain('waktu_kejadian');
    }
    expect((await open311({ 'attribute[waktu_kejadian]': '2026-03-01T08:30' })).status).toBe(201);
    const paging = await fetch(`${t.url}/open311/v2/requests.json?page_size=0`);
    expect(paging.status).toBe(400);
    const pagingText = await paging.text();
    expect(pagingText).toContain('1 sampai 1000');
    expect(pagingText).toContain('1 to 1000'); // GeoReport errors carry both languages
  });

  it('are refused by the web journey and the staff statistics', async () => {
    const c = new WebClient(t.url);
    await c.post('/lapor/jenis', { classification: 'pengaduan' });
    const step = await c.post('/lapor/kejadian', {
      title: 'Jalan rusak di depan pasar',
      body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
      occurredOn: '0000-01-01',
    });
    expect(step.status).toBe(422);
    expect(step.html).toContain('1900-01-01');
    const web = await signInWeb(t.url, DEMO.coordinator);
    expect((await web.get('/kantor/statistik?sampai=9999-12-31')).status).toBe(422);
    // A drill-down key that cannot name a row (month, category) is a 422 too.
    for (const q of [
      'kelompok=month&kunci=abc',
      'kelompok=month&kunci=2026-13',
      'kelompok=category&kunci=abc',
    ])
      expect((await web.get(`/kantor/statistik/laporan?${q}`)).status, q).toBe(422);
    expect((await web.get('/kantor/statistik/laporan?kelompok=month&kunci=2026-03')).status).toBe(200);
  });
});

describe('ids beyond a PostgreSQL integer', () => {
  it('are a 422, not a 500, on the verify API and form and the list filter', async () => {
    const id = await submitReport(t, 'Trotoar rusak di depan kantor kelurahan', { anonymous: true });
    const coord = await t.login(DEMO.coordinator);
    const r = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: 2_147_483_648, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.fields)).toEqual(['categoryId']);
    expect((await t.api('/api/v1/reports?categoryId=2147483648', { token: coord })).status).toBe(422);
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get(`/kantor/laporan/${id}`);
    const form = await web.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: '2147483648',
      agencyId: 'pupr-kaltim',
    });
    expect(form.status).toBe(422);
    expect(form.html).toContain('error-summary');
  });
});
