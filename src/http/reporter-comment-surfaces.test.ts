/**
 * The comment an anonim reporter's citizen account wrote before it claimed the report (filed without that account),
 * on every surface beyond the pages and the JSON timeline (those: web/reporter-comment-privacy.test.ts): Open311
 * `notes[]` and `servicerequestupdates` (JSON and XML, v2 and the test/v2 sandbox), the agency webhook fanned out after
 * the claim, the Ombudsman hand-off package, the queue search (web and JSON API) and its CSV export. Each shows the
 * comment as the reporter's, its words kept and the account's name and email (and the reporter's sealed name) masked;
 * the claim masks the account's name and email in the report's own body too, so a search by them finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, verifyReport, type TestApp } from '../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../test/helpers/web-client.ts';
import { startHttpReceiver, startIntegrationWorker } from '../../test/helpers/receivers.ts';
import { fetchOpen311 } from '../../test/helpers/open311.ts';
import { handoffPackage } from '../queries/handoff-package.ts';

let t: TestApp;
let rx: Awaited<ReturnType<typeof startHttpReceiver>>;
let worker: Awaited<ReturnType<typeof startIntegrationWorker>>;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), outboundAllowHosts: ['127.0.0.1'] });
  rx = await startHttpReceiver();
  worker = await startIntegrationWorker(t.runtime.services);
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await t?.close();
});

/** The demo citizen account's name and email, and the name the report was filed under (sealed). */
const SECRETS = ['Warga Demo', DEMO.citizen, 'Sekar'];
const WORDS = 'sampai kini gorong-gorong masih tersumbat';

describe("an anonim reporter's comment written before the account claimed the report", () => {
  let id: string;

  beforeAll(async () => {
    const puprAdmin = await t.login(DEMO.puprAdmin);
    const sub = await t.api('/api/v1/integrations/webhooks', {
      json: { url: `${rx.url}/hook`, events: ['reporter_replied'], agencyId: 'pupr-kaltim' },
      token: puprAdmin,
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Gorong-gorong tersumbat di Jalan Pahlawan',
        // The account's name in the body: masked when the account claims the report (not known before).
        body: `Gorong-gorong di Jalan Pahlawan tersumbat sampah sehingga air meluap ke rumah warga setiap hujan. Saya Warga Demo dari RT 05, surel ${DEMO.citizen}.`,
        regionCode: '64.72.02',
        anonymous: true,
        reporter: { name: 'Sekar Lestari', email: 'sekar.l@contoh.aduan.id' },
      },
    });
    expect(filed.status).toBe(201);
    const { trackingId, accessKey } = filed.body as { trackingId: string; accessKey: string };
    id = trackingId;
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    await worker.drain();

    // Before the claim: a public comment by the account, naming it (whole name, and a word of it after "saya").
    const me = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    const page = await me.get(`/laporan/${id}`);
    const posted = await me.post(`/laporan/${id}/komentar`, {
      _csrf: csrfOf(page.html),
      bodyPiiOk: '1',
      body: `Saya Warga Demo, Sekar Lestari pelapornya, ${WORDS}. Balas ke ${DEMO.citizen}.`,
    });
    expect(posted.status, posted.html.slice(0, 300)).toBe(303);
    const home = await me.get('/akun');
    const claimed = await me.post('/akun/klaim', { _csrf: csrfOf(home.html), trackingId: id, accessKey });
    expect(claimed.status, claimed.html.slice(0, 300)).toBe(303);
  });

  it('reaches Open311 notes[] and servicerequestupdates as the reporter, masked (JSON, XML, v2 and test/v2)', async () => {
    for (const format of ['json', 'xml']) {
      const one = await fetchOpen311(`${t.url}/open311/v2/requests/${id}.${format}?extensions=true`);
      expect(one.status, one.text.slice(0, 300)).toBe(200);
      expect(one.text).toContain(WORDS);
      const list = await fetchOpen311(
        `${t.url}/open311/v2/requests.${format}?extensions=true&service_request_id=${id}`,
      );
      expect(list.status, list.text.slice(0, 300)).toBe(200);
      expect(list.text).toContain(WORDS);
      const updates = await fetchOpen311(
        `${t.url}/open311/v2/servicerequestupdates.${format}?start_date=2026-03-01T00:00:00Z&end_date=2026-03-13T00:00:00Z`,
      );
      expect(updates.status, updates.text.slice(0, 300)).toBe(200);
      expect(updates.text).toContain(WORDS);
      const sandbox = await fetchOpen311(
        `${t.url}/open311/test/v2/servicerequestupdates.${format}?start_date=2026-03-01T00:00:00Z&end_date=2026-03-13T00:00:00Z`,
      );
      expect(sandbox.status).toBe(200);
      const sandboxOne = await fetchOpen311(
        `${t.url}/open311/test/v2/requests/${id}.${format}?extensions=true`,
      );
      for (const r of [one, list, updates, sandbox, sandboxOne])
        for (const s of SECRETS) expect(r.text, `${format}: ${s}`).not.toContain(s);
    }
  });

  it('reaches the agency webhook fanned out after the claim masked', async () => {
    await worker.drain();
    const replied = rx
      .accepted()
      .filter((p) => p.body?.type === 'reporter_replied' && p.body.report?.trackingId === id);
    expect(replied).toHaveLength(1);
    expect(replied[0]!.body.event).toMatchObject({ type: 'comment' });
    expect(replied[0]!.body.event.body).toContain(WORDS);
    for (const s of SECRETS) expect(replied[0]!.raw).not.toContain(s);
  });

  it('reaches the Ombudsman hand-off package masked', async () => {
    const pkg = await handoffPackage(t.runtime.services, id);
    expect(pkg?.reporter).toBeNull();
    const text = JSON.stringify(pkg);
    expect(text).toContain(WORDS);
    for (const s of SECRETS) expect(text).not.toContain(s);
  });

  it("is not found by a search for the account's name, in the queue, its CSV export or the JSON API", async () => {
    const staff = await signInWeb(t.url, DEMO.puprAdmin);
    // The report is found by its own words (the search works), never by the account's name or email.
    const found = await staff.get(`/kantor?q=${encodeURIComponent('gorong-gorong Pahlawan')}&lang=id`);
    expect(found.status).toBe(200);
    expect(found.html).toContain(id);
    for (const s of SECRETS) {
      const q = encodeURIComponent(s);
      const page = await staff.get(`/kantor?q=${q}&lang=id`);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain(id);
      const api = await t.api(`/api/v1/reports?q=${q}`, { token: await t.login(DEMO.puprAdmin) });
      expect(api.status).toBe(200);
      expect(JSON.stringify(api.body)).not.toContain(id);
      const pubApi = await t.api(`/api/v1/reports?q=${q}`);
      expect(pubApi.status).toBe(200);
      expect(JSON.stringify(pubApi.body)).not.toContain(id);
    }
    const report = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.puprAdmin) });
    expect(report.body.body).toContain('dari RT 05');
    for (const s of SECRETS) expect(JSON.stringify(report.body)).not.toContain(s);
    const csv = await staff.get(`/kantor/cari.csv?q=${encodeURIComponent('gorong-gorong Pahlawan')}`);
    expect(csv.status).toBe(200);
    expect(csv.html).toContain(id);
    for (const s of SECRETS) expect(csv.html).not.toContain(s);
    // The public page too (no account, no name).
    const pub = await new WebClient(t.url).get(`/laporan/${id}?lang=id`);
    expect(pub.html).toContain(WORDS);
    for (const s of SECRETS) expect(pub.html).not.toContain(s);
  });
});
