/**
 * Federation between two aduan instances in one test run (docs/integrations.md): a kabupaten instance
 * forwards a report to the province's instance over Open311 POST requests (through the outbox and the real
 * worker), the province's follow-up comes back as servicerequestupdates, a loop is refused on both sides,
 * and a replay returns the same service_request_id without filing twice. Two real apps, two databases.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { startWorker, type Worker } from '../../jobs/worker.ts';
import { createApiKey } from '../../commands/create-api-key.ts';
import { addFederationPeer, setInstanceId } from '../../commands/configure-federation.ts';

const START = new Date('2026-03-12T02:00:00Z');
const REPORTER = { name: 'Yohanes Pardede', email: 'yohanes.p@contoh.aduan.id', phone: '081244455566' };
let kab: TestApp;
let prov: TestApp;
let kabWorker: Worker;
let provWorker: Worker;
let keyAtProv: string; // what kab uses at prov
let keyAtKab: string; // what prov uses at kab
let categoryId: number;

const rows = async (t: TestApp, q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
async function post311(t: TestApp, path: string, fields: Record<string, string>) {
  const res = await fetch(`${t.url}/open311/v2/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const worker = (t: TestApp) =>
  startWorker(t.runtime.services, { transports: {}, autoStart: false, sweepEveryMs: 0 });

beforeAll(async () => {
  kab = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  prov = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  await setInstanceId(kab.runtime.services, 'kab-balikpapan');
  await setInstanceId(prov.runtime.services, 'prov-kaltim');
  keyAtProv = (
    await createApiKey(prov.runtime.services, { name: 'aduan Balikpapan', scopes: ['open311', 'federation'] })
  ).key;
  // The province acts at the kabupaten for the kabupaten's agency (follow-ups come back through it).
  keyAtKab = (
    await createApiKey(kab.runtime.services, {
      name: 'aduan Kaltim',
      agencyId: 'pemkab-balikpapan',
      scopes: ['open311', 'agency', 'federation'],
    })
  ).key;
  await addFederationPeer(kab.runtime.services, {
    instanceId: 'prov-kaltim',
    baseUrl: prov.url,
    apiKey: keyAtProv,
  });
  await addFederationPeer(prov.runtime.services, {
    instanceId: 'kab-balikpapan',
    baseUrl: kab.url,
    apiKey: keyAtKab,
  });
  kabWorker = await worker(kab);
  provWorker = await worker(prov);
  categoryId = await categoryIdByName(kab);
});
afterAll(async () => {
  await kabWorker?.stop();
  await provWorker?.stop();
  await kab?.close();
  await prov?.close();
});

describe('federation between two instances', () => {
  let kabId: string;
  let provId: string;
  let forwardedForm: Record<string, string>;

  it('the kabupaten forwards a report; the province files it once, without the reporter identity', async () => {
    const r = await kab.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jalan provinsi amblas di Km 12',
        body: 'Badan jalan provinsi di Km 12 arah Samarinda amblas sepanjang sepuluh meter, sangat berbahaya.',
        regionCode: '64.71.01',
        targetAgencyId: 'pemkab-balikpapan',
        anonymous: true,
        reporter: REPORTER,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    kabId = r.body.trackingId;
    const national = await kab.login(DEMO.national);
    const v = await kab.api(`/api/v1/reports/${kabId}/actions/verify`, {
      // The demo's Pemkab Balikpapan has no staff account: the verifier confirms.
      json: { categoryId, agencyId: 'pemkab-balikpapan', confirmUnstaffed: true },
      token: national,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    // A citizen cannot forward; the national admin can; forwarding twice queues once.
    const citizen = await kab.login(DEMO.citizen);
    expect(
      (await kab.api(`/api/v1/reports/${kabId}/forward`, { json: { peer: 'prov-kaltim' }, token: citizen }))
        .status,
    ).toBe(403);
    const f = await kab.api(`/api/v1/reports/${kabId}/forward`, {
      json: { peer: 'prov-kaltim' },
      token: national,
    });
    expect(f.status, JSON.stringify(f.body)).toBe(202);
    expect(f.body).toMatchObject({
      originInstance: 'kab-balikpapan',
      originRequestId: kabId,
      hops: ['kab-balikpapan'],
    });
    const again = await kab.api(`/api/v1/reports/${kabId}/forward`, {
      json: { peer: 'prov-kaltim' },
      token: national,
    });
    expect(again.status).toBe(200);
    expect(again.body.queued).toBe(false);
    const unknown = await kab.api(`/api/v1/reports/${kabId}/forward`, {
      json: { peer: 'prov-papua' },
      token: national,
    });
    expect(unknown.status).toBe(422);

    // The outbox holds our key at the province only sealed.
    const [row] = await rows(
      kab,
      sql`select payload::text as p, status from outbox where channel = 'federation'`,
    );
    expect(row.p).not.toContain(keyAtProv);
    for (const s of [REPORTER.name, REPORTER.email, REPORTER.phone]) expect(row.p).not.toContain(s);
    forwardedForm = JSON.parse(row.p).form;

    await kabWorker.drain();
    const [sent] = await rows(kab, sql`select status, attempts from outbox where channel = 'federation'`);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    const links = await rows(
      prov,
      sql`select l.*, r.tracking_id, r.anonymous, r.reporter_enc, o.hops as o_hops from federation_links l
          join reports r on r.id = l.report_id join open311_requests o on o.report_id = l.report_id`,
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      direction: 'in',
      peer_instance: 'kab-balikpapan',
      origin_instance: 'kab-balikpapan',
      origin_request_id: kabId,
      peer_request_id: kabId,
      anonymous: true,
    });
    expect(links[0].o_hops).toEqual(['kab-balikpapan']);
    provId = links[0].tracking_id;
    const provReport = await prov.api(`/api/v1/reports/${provId}`, {
      token: await prov.login(DEMO.national),
    });
    expect(JSON.stringify(provReport.body)).not.toContain(REPORTER.email);
    expect(provReport.body.title).toBe('Jalan provinsi amblas di Km 12');
  });

  it('a replay returns the same service_request_id and files nothing', async () => {
    const before = await rows(prov, sql`select count(*)::int as n from reports`);
    const replay = await post311(prov, 'requests.json', { ...forwardedForm, api_key: keyAtProv });
    expect(replay.status, JSON.stringify(replay.body)).toBe(201);
    expect(replay.body[0].service_request_id).toBe(provId);
    const after = await rows(prov, sql`select count(*)::int as n from reports`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('loops are refused: locally when forwarding back, and by the receiver on a crafted hop list', async () => {
    const national = await prov.login(DEMO.national);
    const back = await prov.api(`/api/v1/reports/${provId}/forward`, {
      json: { peer: 'kab-balikpapan' },
      token: national,
    });
    expect(back.status).toBe(422);
    expect(back.body.error.fields.peer).toBeDefined();
    const crafted = await post311(kab, 'requests.json', {
      ...forwardedForm,
      api_key: keyAtKab,
      'attribute[origin_instance]': 'kab-balikpapan',
      'attribute[hops]': 'kab-balikpapan,prov-kaltim',
    });
    expect(crafted.status).toBe(400);
    expect(crafted.body[0].description).toBeTruthy();
    const viaOther = await post311(kab, 'requests.json', {
      ...forwardedForm,
      api_key: keyAtKab,
      'attribute[origin_instance]': 'nasional',
      'attribute[hops]': 'nasional,kab-balikpapan,prov-kaltim',
    });
    expect(viaOther.status).toBe(400);
    // Only keys with the federation scope may claim an origin.
    const plain = (await createApiKey(prov.runtime.services, { name: 'Aplikasi Kota' })).key;
    const forged = await post311(prov, 'requests.json', { ...forwardedForm, api_key: plain });
    expect(forged.status).toBe(403);
    // Malformed federation attributes: 400, nothing stored.
    const bad = await post311(prov, 'requests.json', {
      ...forwardedForm,
      api_key: keyAtProv,
      'attribute[origin_request_id]': 'x y<script>',
    });
    expect(bad.status).toBe(400);
    const count = await rows(prov, sql`select count(*)::int as n from federation_links`);
    expect(count[0].n).toBe(1);
  });

  it("the province's follow-up travels back as servicerequestupdates", async () => {
    const national = await prov.login(DEMO.national);
    const v = await prov.api(`/api/v1/reports/${provId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: national,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const pupr = await prov.login(DEMO.puprAdmin);
    const done = await prov.api(`/api/v1/reports/${provId}/actions/respond`, {
      json: { body: 'Perbaikan jalan selesai oleh Dinas PUPR Provinsi.', final: true },
      token: pupr,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await provWorker.drain();
    const [update] = await rows(
      prov,
      sql`select status, payload::text as p from outbox where channel = 'federation'`,
    );
    expect(update.status).toBe('sent');
    expect(update.p).not.toContain(keyAtKab);
    const kabReport = await kab.api(`/api/v1/reports/${kabId}`, { token: await kab.login(DEMO.national) });
    expect(kabReport.body.status).toBe('responded');
    const events = await kab.api(`/api/v1/reports/${kabId}/events`, {
      token: await kab.login(DEMO.national),
    });
    expect(events.body.items.at(-1)).toMatchObject({ type: 'respond' });
    // Delivering the same update again is refused by the receiver (update_id is unique) and changes nothing.
    const replay = await post311(kab, 'servicerequestupdates.json', {
      ...JSON.parse(update.p).form,
      api_key: keyAtKab,
    });
    expect(replay.status).toBe(400);
  });
});
