/**
 * Texts a reporter writes after filing (dispute reason, acceptance comment) and a signed-in citizen's comment reach
 * the public with no verifier in between: personal data in them (phone, email, NIK) is masked on every public
 * surface (public page, feed, public JSON API, Open311 requests and updates in JSON and XML, open data), while the
 * reporter (tracking page, API with the key), the agency and the verifier read the text as stored: as written, less
 * NIKs, which a reporter's text never stores (src/domain/report/own-identity.ts; the reporter's own name, address and
 * number neither, src/http/staff/reporter-texts-privacy.test.ts). The tracking
 * page's accept and dispute forms, and the public page's comment form, warn first and send only after an explicit
 * confirmation. Real HTTP, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../test/helpers/web-client.ts';
import { PII_MASKS } from '../domain/report/pii-hints.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { snapshotOpenData } from '../commands/snapshot-open-data.ts';

const OPEN311_KEY = 'demo-open311-key';

// Personal data typed into the texts: each must never reach a public surface, in any of these spellings.
const PHONE = '0812-3456-7890';
const EMAIL = 'sekar.pelapor@contoh.aduan.id';
const NIK = '6472010101900011';
const SECRETS = [PHONE, '081234567890', '3456-7890', EMAIL, 'sekar.pelapor', NIK];
const REASON = `Lubang belum ditambal. Hubungi saya di ${PHONE} atau ${EMAIL}, NIK ${NIK}.`;
const COMMENT = `Sudah beres, terima kasih. Kabari ${EMAIL} / ${PHONE} bila ada lagi (NIK ${NIK}).`;
const MASKS = [PII_MASKS.phone, PII_MASKS.email, PII_MASKS.nik];

let t: TestApp;
let categoryId: number;
let id: string;
let accessKey: string;

const expectNoSecrets = (where: string, text: string) => {
  for (const s of SECRETS) expect(text, `${where} leaks ${s}`).not.toContain(s);
};
/** What staff and the reporter still read: the numbers and addresses as written; a NIK is masked when stored. */
const expectSecrets = (where: string, text: string) => {
  for (const s of [PHONE, EMAIL]) expect(text, `${where} lacks ${s}`).toContain(s);
  expect(text, `${where} holds the NIK`).not.toContain(NIK);
};
const stored = (text: string) => text.replace(NIK, PII_MASKS.nik);

async function respondFinal(body: string) {
  const admin = await t.login(DEMO.puprAdmin);
  await actOk(t, id, 'respond', { body, final: true }, { token: admin });
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Lubang besar di Jalan Juanda dekat sekolah',
      body: 'Lubang besar di Jalan Juanda dekat sekolah membahayakan pengendara motor setiap pagi.',
      regionCode: '64.72.02',
      anonymous: true,
      reporter: { name: 'Sekar Pelapor', email: 'sekar.kontak@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  ({ trackingId: id, accessKey } = r.body);
  await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', categoryId);
  await respondFinal('Lubang sudah ditambal oleh tim reaksi cepat pada 11 Maret.');
});
afterAll(() => t?.close());

describe('tracking page: accept and dispute warn about personal data', () => {
  it('the dispute form warns (422, summary, notice on the field, confirm box) and sends after confirmation', async () => {
    const c = new WebClient(t.url);
    const page = await c.get(`/lacak/${id}?k=${encodeURIComponent(accessKey)}`);
    expect(page.status).toBe(200);
    // Both texts say up front that they are public on this report.
    expect(page.html.match(/Laporan ini publik: teks ini tampil di halaman laporan/g)).toHaveLength(2);

    const warned = await c.post(`/lacak/${id}/dispute`, { k: accessKey, reason: REASON });
    expect(warned.status).toBe(422);
    expect(warned.html).toContain('<title>Galat:');
    expect(warned.html).toContain('class="error-summary"');
    expect(warned.html).toContain('href="#f-reasonPiiOk"');
    expect(warned.html).toContain(
      'Teks tampaknya memuat NIK, nomor telepon, alamat email: ubah teksnya atau centang konfirmasi',
    );
    expect(warned.html).toContain('Periksa data pribadi');
    // The notice describes the text field; the checkbox is described by the notice and its error.
    expect(warned.html).toMatch(/<textarea[^>]*id="f-reason"[^>]*aria-describedby="[^"]*f-reason-pii/);
    expect(warned.html).toMatch(
      /<input[^>]*id="f-reasonPiiOk"[^>]*name="reasonPiiOk"[^>]*aria-describedby="f-reason-pii f-reasonPiiOk-error"/,
    );
    expect(warned.html).toContain('<label class="choice-label" for="f-reasonPiiOk">');
    expect(warned.html).toContain('id="f-reason-pii"');
    // The typed text is kept, and nothing was sent.
    expect(warned.html).toContain(EMAIL);
    const before = await t.api(`/api/v1/reports/${id}`, { accessKey });
    expect(before.body.status).toBe('responded');

    const sent = await c.post(`/lacak/${id}/dispute`, { k: accessKey, reason: REASON, reasonPiiOk: '1' });
    expect(sent.status, sent.html.slice(0, 400)).toBe(303);
    expect(sent.location).toContain('ok=dispute');
    expect((await t.api(`/api/v1/reports/${id}`, { accessKey })).body.status).toBe('in_progress');
  });

  it('the accept form warns too, keeps the rating, and sends after confirmation', async () => {
    await respondFinal('Lubang sudah ditambal ulang dan diaspal penuh.');
    const c = new WebClient(t.url);
    const warned = await c.post(`/lacak/${id}/accept`, { k: accessKey, rating: '4', comment: COMMENT });
    expect(warned.status).toBe(422);
    expect(warned.html).toContain('href="#f-commentPiiOk"');
    expect(warned.html).toMatch(/<textarea[^>]*id="f-comment"[^>]*aria-describedby="[^"]*f-comment-pii/);
    expect(warned.html).toMatch(/<input[^>]*id="f-rating-3"[^>]*value="4"[^>]*checked/);
    expect((await t.api(`/api/v1/reports/${id}`, { accessKey })).body.status).toBe('responded');

    const sent = await c.post(`/lacak/${id}/accept`, {
      k: accessKey,
      rating: '4',
      comment: COMMENT,
      commentPiiOk: '1',
    });
    expect(sent.status, sent.html.slice(0, 400)).toBe(303);
    const after = await t.api(`/api/v1/reports/${id}`, { accessKey });
    expect(after.body).toMatchObject({ status: 'completed', rating: 4 });
  });
});

describe('the texts are masked on every public surface and kept for the reporter and staff', () => {
  it('public report page and feed', async () => {
    const c = new WebClient(t.url);
    const page = await c.get(`/laporan/${id}`);
    expect(page.status).toBe(200);
    expectNoSecrets('public page', page.html);
    for (const m of MASKS) expect(page.html).toContain(m);
    expect(page.html).toContain('Lubang belum ditambal. Hubungi saya di');
    expect(page.html).toContain('Sudah beres, terima kasih.');
    expectNoSecrets('feed', (await c.get('/laporan')).html);
    expectNoSecrets('home', (await c.get('/')).html);
    // A signed-in officer browsing the public page sees the public view.
    const officer = await signInWeb(t.url, DEMO.puprAdmin);
    expectNoSecrets('public page, officer', (await officer.get(`/laporan/${id}`)).html);
  });

  it('public JSON API', async () => {
    const events = await t.api(`/api/v1/reports/${id}/events`);
    expect(events.status).toBe(200);
    const text = JSON.stringify(events.body);
    expectNoSecrets('public events', text);
    const dispute = events.body.items.find((e: any) => e.type === 'dispute');
    expect(dispute.body).toBe(
      `Lubang belum ditambal. Hubungi saya di ${PII_MASKS.phone} atau ${PII_MASKS.email}, NIK ${PII_MASKS.nik}.`,
    );
    expect(events.body.items.find((e: any) => e.type === 'accept').body).toContain(PII_MASKS.email);
    // The agency's reply is staff text and stays as written.
    expect(text).toContain('Lubang sudah ditambal oleh tim reaksi cepat pada 11 Maret.');
    expectNoSecrets('public report', JSON.stringify((await t.api(`/api/v1/reports/${id}`)).body));
    expectNoSecrets('public list', JSON.stringify((await t.api('/api/v1/reports?pageSize=100')).body));
    // A signed-in citizen who is not the reporter is the public too.
    const citizen = await t.login(DEMO.citizen);
    expectNoSecrets(
      'citizen',
      JSON.stringify((await t.api(`/api/v1/reports/${id}/events`, { token: citizen })).body),
    );
  });

  it('Open311 requests/{id} and servicerequestupdates, JSON and XML', async () => {
    for (const fmt of ['json', 'xml']) {
      for (const path of [
        `/open311/v2/requests/${id}.${fmt}`,
        `/open311/v2/requests/${id}.${fmt}?extensions=true`,
        `/open311/v2/requests.${fmt}?service_request_id=${id}&extensions=true`,
        `/open311/v2/requests/${id}.${fmt}?extensions=true&api_key=${OPEN311_KEY}`,
        `/open311/v2/servicerequestupdates.${fmt}?start_date=2026-03-11T00:00:00Z`,
        `/open311/v2/servicerequestupdates.${fmt}?start_date=2026-03-11T00:00:00Z&api_key=${OPEN311_KEY}`,
      ]) {
        const res = await fetch(t.url + path);
        expect(res.status, path).toBe(200);
        const text = await res.text();
        expect(text, path).toContain(id);
        expectNoSecrets(path, text);
        if (path.includes('extensions') || path.includes('updates'))
          expect(text, path).toContain(PII_MASKS.phone);
      }
    }
  });

  it('open data: reports.json, reports.csv and the snapshot', async () => {
    await refreshStats(t.runtime.services);
    const json = await t.api('/api/v1/open-data/reports.json');
    expect(json.body.items.map((i: any) => i.trackingId)).toContain(id);
    expectNoSecrets('open data json', JSON.stringify(json.body));
    const csv = await t.api('/api/v1/open-data/reports.csv');
    expect(csv.body).toContain(id);
    expectNoSecrets('open data csv', csv.body);
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const snapshot = await fetch(`${t.url}/api/v1/open-data/snapshots/latest`);
    const text = await snapshot.text();
    expect(text).toContain(id);
    expectNoSecrets('open data snapshot', text);
  });

  it('the reporter reads the texts as stored: tracking page and API with the key', async () => {
    const page = await new WebClient(t.url).get(`/lacak/${id}?k=${encodeURIComponent(accessKey)}`);
    expect(page.status).toBe(200);
    expectSecrets('tracking page', page.html);
    expectSecrets(
      'reporter API',
      JSON.stringify((await t.api(`/api/v1/reports/${id}/events`, { accessKey })).body),
    );
  });

  it('the agency and the verifier read the texts as stored: API and back-office page', async () => {
    for (const who of [DEMO.puprAdmin, DEMO.coordinator]) {
      const token = await t.login(who);
      const events = await t.api(`/api/v1/reports/${id}/events`, { token });
      expectSecrets(`${who} API`, JSON.stringify(events.body));
    }
    const staff = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await staff.get(`/kantor/laporan/${id}`);
    expect(page.status).toBe(200);
    expectSecrets('back-office page', page.html);
  });

  it('what is stored is the text less its NIK (the rest is masked on output)', async () => {
    const token = await t.login(DEMO.national);
    const events = await t.api(`/api/v1/reports/${id}/events`, { token });
    expect(events.body.items.find((e: any) => e.type === 'dispute').body).toBe(stored(REASON));
    expect(events.body.items.find((e: any) => e.type === 'accept').body).toBe(stored(COMMENT));
  });
});

describe('other unreviewed public texts', () => {
  it('a dispute sent over the API (no form to warn) is masked for the public only', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Trotoar rusak di Jalan Pahlawan',
        body: 'Trotoar rusak di Jalan Pahlawan, ubinnya lepas dan membuat pejalan kaki tersandung.',
        regionCode: '64.72.02',
        anonymous: true,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const own = r.body as { trackingId: string; accessKey: string };
    await verifyReport(t, await t.login(DEMO.coordinator), own.trackingId, 'pupr-kaltim', categoryId);
    await actOk(
      t,
      own.trackingId,
      'respond',
      { body: 'Ubin trotoar sudah dipasang.', final: true },
      { token: admin },
    );
    await actOk(t, own.trackingId, 'dispute', { reason: REASON }, { accessKey: own.accessKey });
    expectNoSecrets(
      'public events',
      JSON.stringify((await t.api(`/api/v1/reports/${own.trackingId}/events`)).body),
    );
    expectNoSecrets('public page', (await new WebClient(t.url).get(`/laporan/${own.trackingId}`)).html);
    expectSecrets(
      'reporter',
      JSON.stringify(
        (await t.api(`/api/v1/reports/${own.trackingId}/events`, { accessKey: own.accessKey })).body,
      ),
    );
  });

  it("a signed-in citizen's public comment is masked for the public", async () => {
    const other = await submitReport(t, 'Lampu taman mati di Taman Bekapai', { anonymous: true });
    await verifyReport(t, await t.login(DEMO.coordinator), other, 'pupr-kaltim', categoryId);
    const c = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${other}`);
    const page = await c.get(`/laporan/${other}`);
    // Sent with the confirmation the form asks for (src/http/web/comment-pii.test.ts).
    const ok = await c.post(`/laporan/${other}/komentar`, {
      body: `Saya juga melihatnya, hubungi ${PHONE}.`,
      bodyPiiOk: '1',
      _csrf: csrfOf(page.html),
    });
    expect(ok.status).toBe(303);
    const html = (await new WebClient(t.url).get(`/laporan/${other}`)).html;
    expect(html).toContain(`Saya juga melihatnya, hubungi ${PII_MASKS.phone}.`);
    expect(html).not.toContain(PHONE);
    const staff = await t.api(`/api/v1/reports/${other}/events`, { token: await t.login(DEMO.puprAdmin) });
    expect(JSON.stringify(staff.body)).toContain(PHONE);
  });

  it("an Open311 partner's own request keeps its reporter's text; everyone else reads it masked", async () => {
    const form = new URLSearchParams({
      api_key: OPEN311_KEY,
      service_code: String(categoryId),
      address_id: '64.72.02',
      description: 'Jembatan penyeberangan berkarat dan pegangannya lepas di dekat pasar.',
      'attribute[classification]': 'pengaduan',
    });
    const created = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body: form });
    expect(created.status).toBe(201);
    const rid = ((await created.json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    await verifyReport(t, await t.login(DEMO.coordinator), rid, 'pupr-kaltim', categoryId);
    const admin = await t.login(DEMO.puprAdmin);
    await actOk(t, rid, 'respond', { body: 'Pegangan sudah dilas ulang.', final: true }, { token: admin });
    const update = new URLSearchParams({
      api_key: OPEN311_KEY,
      service_request_id: rid,
      update_id: 'pii-1',
      updated_datetime: '2026-03-12T12:00:00+08:00',
      status: 'REOPEN',
      description: REASON,
    });
    const posted = await fetch(`${t.url}/open311/v2/servicerequestupdates.json`, {
      method: 'POST',
      body: update,
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const read = async (query: string) =>
      (await fetch(`${t.url}/open311/v2/requests/${rid}.json?extensions=true${query}`)).text();
    expectNoSecrets('public Open311', await read(''));
    expectSecrets('own Open311', await read(`&api_key=${OPEN311_KEY}`));
    const updates = async (query: string) =>
      (
        await fetch(
          `${t.url}/open311/v2/servicerequestupdates.json?start_date=2026-03-11T00:00:00Z&page_size=999${query}`,
        )
      ).text();
    expectNoSecrets('public updates', await updates(''));
    expectSecrets('own updates', await updates(`&api_key=${OPEN311_KEY}`));
  });
});
