/**
 * A report located only by a point is filed under the kab/kota of that point, whichever channel it came by
 * (JSON API, Open311 with `lat`+`long`, the no-JavaScript web journey): its verification deadline runs in that
 * region's zone and calendar (WITA and the regional holidays of Balikpapan), the region's coordinator sees it
 * and it counts in the region's statistics. A point at sea keeps no region (national queue, WIB), a harbour just
 * outside the simplified coastline still gets its city, and a region the citizen chose is never replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { walkJourney } from '../../test/helpers/journey.ts';
import { signInWeb, WebClient } from '../../test/helpers/web-client.ts';
import { kabKotaAt, kabKotaOfPoint } from '../queries/boundaries.ts';
import { refreshStats } from './refresh-stats.ts';

/** Thursday 5 March 2026, 10:00 WITA (09:00 WIB). */
const NOW = new Date('2026-03-05T02:00:00Z');
/** Balikpapan city centre (the reproduction's point). */
const BALIKPAPAN = { lat: -1.2654, lon: 116.8312 };
/** Semayang harbour, Balikpapan: on the real coast, ~0.4 km outside the simplified polygon. */
const SEMAYANG = { lat: -1.2676, lon: 116.8075 };
/** Open sea in the Makassar Strait, inside Indonesia's bounding box, ~80 km from any coast. */
const AT_SEA = { lat: -1.5, lon: 117.8 };
/** Four km off Balikpapan's beach: sea, beyond the coastline tolerance. */
const OFFSHORE = { lat: -1.31, lon: 116.9 };

const KEY = 'demo-open311-key';

let t: TestApp;
let coordBpp: string;
let national: string;
/** Tracking ids of the reports this file expects filed under Balikpapan (64.71). */
const inBalikpapan: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ now: NOW });
  coordBpp = await t.login(DEMO.balikpapanCoordinator);
  national = await t.login(DEMO.national);
  // A regional holiday of Balikpapan only, on the first working day after submission.
  const holiday = await t.api('/api/v1/holidays', {
    token: coordBpp,
    json: { date: '2026-03-06', name: 'Hari jadi uji Balikpapan', kind: 'regional', regionCode: '64.71' },
  });
  expect(holiday.status, JSON.stringify(holiday.body)).toBe(201);
});
afterAll(() => t?.close());

const base = {
  classification: 'pengaduan',
  title: 'Judul laporan uji',
  body: 'Isi laporan yang cukup panjang untuk lolos validasi.',
  anonymous: true,
};

/** POST /api/v1/reports; expects 201 and returns the answer. */
async function submit(extra: Record<string, unknown>) {
  const r = await t.api('/api/v1/reports', { json: { ...base, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string; deadline: { dueAt: string } };
}

/** GET /api/v1/reports/{id} with a staff token: status and body. */
const read = (id: string, token: string) => t.api(`/api/v1/reports/${id}`, { token });

describe('kabKotaOfPoint', () => {
  it('the containing kab/kota; the nearest one for a harbour just outside the simplified coast; none at sea', () => {
    expect(kabKotaOfPoint(BALIKPAPAN.lon, BALIKPAPAN.lat)?.properties.kode).toBe('64.71');
    // Samarinda, inland (64.72).
    expect(kabKotaOfPoint(117.15, -0.5)?.properties.kode).toBe('64.72');
    expect(kabKotaAt(SEMAYANG.lon, SEMAYANG.lat), 'outside the simplified polygon').toBeNull();
    expect(kabKotaOfPoint(SEMAYANG.lon, SEMAYANG.lat)?.properties.kode).toBe('64.71');
    // Losari seafront, Makassar (73.71), also just outside its polygon.
    expect(kabKotaOfPoint(119.4076, -5.1437)?.properties.kode).toBe('73.71');
    expect(kabKotaOfPoint(AT_SEA.lon, AT_SEA.lat)).toBeNull();
    expect(kabKotaOfPoint(OFFSHORE.lon, OFFSHORE.lat)).toBeNull();
    expect(kabKotaOfPoint(SEMAYANG.lon, SEMAYANG.lat, 0), 'no tolerance: containment only').toBeNull();
  });
});

describe('a point-only report gets the kab/kota of its point', () => {
  it('JSON API: Balikpapan, deadline in WITA with its regional holiday, seen by its coordinator', async () => {
    const point = await submit({ ...BALIKPAPAN });
    const chosen = await submit({ regionCode: '64.71' });
    const samarinda = await submit({ regionCode: '64.72' });
    inBalikpapan.push(point.trackingId, chosen.trackingId);

    // Thursday + 3 working days, skipping the Balikpapan holiday on Friday: Wednesday 11 March, in WITA.
    expect(point.deadline.dueAt).toMatch(/^2026-03-11T.*\+08:00$/);
    expect(point.deadline.dueAt).toBe(chosen.deadline.dueAt);
    // Samarinda has no such holiday: one working day earlier.
    expect(samarinda.deadline.dueAt).toMatch(/^2026-03-10T.*\+08:00$/);

    const seen = await read(point.trackingId, coordBpp);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.regionCode).toBe('64.71');
    expect(seen.body.location).toEqual(BALIKPAPAN);
    expect(seen.body.deadline.dueAt).toBe(point.deadline.dueAt);
    // The coordinator's list and verification queue hold it.
    const list = await t.api('/api/v1/reports?status=submitted&pageSize=100', { token: coordBpp });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { trackingId: string }) => r.trackingId)).toContain(point.trackingId);
    const queue = await (await signInWeb(t.url, DEMO.balikpapanCoordinator)).get('/kantor?tab=verify');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(`href="/kantor/laporan/${point.trackingId}"`);
    // The province's coordinator (64) sees it too.
    expect((await read(point.trackingId, await t.login(DEMO.coordinator))).status).toBe(200);
  });

  it('a region the citizen chose is kept even when the point lies elsewhere', async () => {
    const r = await submit({ regionCode: '64.72.02', ...BALIKPAPAN });
    const seen = await read(r.trackingId, national);
    expect(seen.body.regionCode).toBe('64.72.02');
    expect(seen.body.location).toEqual(BALIKPAPAN);
    expect((await read(r.trackingId, coordBpp)).status).toBe(404);
  });

  it('a harbour just outside the simplified coastline gets its city', async () => {
    const r = await submit({ ...SEMAYANG });
    inBalikpapan.push(r.trackingId);
    const seen = await read(r.trackingId, coordBpp);
    expect(seen.status).toBe(200);
    expect(seen.body.regionCode).toBe('64.71');
    expect(r.deadline.dueAt).toMatch(/\+08:00$/);
  });

  it('a point at sea is accepted without a region: national queue, WIB clock, the point kept', async () => {
    for (const point of [AT_SEA, OFFSHORE]) {
      const r = await submit({ ...point });
      expect(r.deadline.dueAt).toMatch(/\+07:00$/);
      // No regional holiday applies: Thursday + 3 working days in WIB.
      expect(r.deadline.dueAt).toMatch(/^2026-03-10T/);
      const seen = await read(r.trackingId, national);
      expect(seen.status).toBe(200);
      expect(seen.body.regionCode).toBeNull();
      expect(seen.body.location).toEqual(point);
      expect((await read(r.trackingId, coordBpp)).status).toBe(404);
    }
    // Outside Indonesia is still refused.
    const abroad = await t.api('/api/v1/reports', { json: { ...base, lat: 51.5, lon: -0.12 } });
    expect(abroad.status).toBe(422);
  });

  it('Open311: lat+long without address_id gets the kab/kota (production and test endpoints)', async () => {
    const services = await t.api('/open311/v2/services.json');
    const code = String(services.body[0].service_code);
    const form = () =>
      new URLSearchParams({
        api_key: KEY,
        service_code: code,
        lat: String(BALIKPAPAN.lat),
        long: String(BALIKPAPAN.lon),
        description: 'Lampu jalan padam di simpang empat sejak seminggu.',
        'attribute[classification]': 'pengaduan',
      });
    const res = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body: form() });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const id = JSON.parse(text)[0].service_request_id as string;
    inBalikpapan.push(id);
    const seen = await read(id, coordBpp);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.regionCode).toBe('64.71');
    expect(seen.body.deadline.dueAt).toMatch(/^2026-03-11T.*\+08:00$/);
    const item = (await t.api(`/open311/v2/requests/${id}.json?api_key=${KEY}`)).body[0];
    expect(item.address_id).toBe('64.71');
    expect(item.expected_datetime).toMatch(/\+08:00$/);

    // The test endpoint stores what production would have filed.
    const sandbox = await fetch(`${t.url}/open311/test/v2/requests.json`, { method: 'POST', body: form() });
    const sandboxText = await sandbox.text();
    expect(sandbox.status, sandboxText).toBe(201);
    const sid = JSON.parse(sandboxText)[0].service_request_id as string;
    const sitem = (await t.api(`/open311/test/v2/requests/${sid}.json`)).body[0];
    expect(sitem.address_id).toBe('64.71');
  });

  it('web journey (no JavaScript): a typed point and no region chosen', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {
      lokasi: {
        prov: '',
        kab: '',
        kec: '',
        desa: '',
        address: '',
        lat: String(BALIKPAPAN.lat),
        lon: String(BALIKPAPAN.lon),
      },
    });
    const sent = await c.post('/lapor/kirim', {});
    expect(sent.location, sent.html.slice(0, 300)).toBe('/lapor/selesai');
    const done = await c.get('/lapor/selesai');
    const id = /data-testid="tracking-number">(\d{10})</.exec(done.html)?.[1];
    expect(id).toMatch(/^\d{10}$/);
    inBalikpapan.push(id!);
    const seen = await read(id!, coordBpp);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.regionCode).toBe('64.71');
    expect(seen.body.channel).toBe('web');
    expect(seen.body.deadline.dueAt).toMatch(/^2026-03-11T.*\+08:00$/);
  });

  // Last: counts every report this file filed under Balikpapan.
  it("counts in the region's statistics", async () => {
    expect(inBalikpapan).toHaveLength(5);
    await refreshStats(t.runtime.services);
    const r = await t.api('/api/v1/stats?groupBy=region&from=2026-03-05&to=2026-03-05');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const received = (key: string) =>
      r.body.items.find((i: { key: string }) => i.key === key)?.received as number | undefined;
    expect(received('64.71')).toBe(inBalikpapan.length);
  });
});
