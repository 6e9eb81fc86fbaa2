/**
 * Open311 GeoReport v2 conformance: one test per item of the checklist in /work/shared/docs/open311.md §13,
 * each in XML and JSON where the item applies, over real HTTP against the real app and database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311, serviceCodes, type Open311Response } from '../../../test/helpers/open311.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';

const KEY = 'demo-open311-key';
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const FORMATS = ['xml', 'json'] as const;
type Fmt = (typeof FORMATS)[number];

let c: ChannelTestApp;
let code: string;
let otherCode: string;
let batchCode: string;
let blackboxCode: string;

const get = (path: string): Promise<Open311Response> => fetchOpen311(c.url + path);

function post(fmt: Fmt, fields: Record<string, string | string[]>, query = ''): Promise<Open311Response> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return fetchOpen311(`${c.url}/open311/v2/requests.${fmt}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form.toString(),
  });
}

const base = (extra: Record<string, string | string[]> = {}) => ({
  api_key: KEY,
  jurisdiction_id: 'aduan.example.id',
  service_code: code,
  address_id: '64.72.02',
  description: 'Jalan berlubang di depan pasar, membahayakan pengendara.',
  'attribute[classification]': 'pengaduan',
  first_name: 'Warga',
  last_name: 'Uji',
  ...extra,
});

/** Items of a list answer in either format, as arrays. */
function items(fmt: Fmt, body: any, root: string, child: string): any[] {
  if (fmt === 'json') return body;
  const node = body[root]?.[child];
  return node === undefined ? [] : Array.isArray(node) ? node : [node];
}

function errorsOf(fmt: Fmt, body: any): Array<{ code: unknown; description: string }> {
  return items(fmt, body, 'errors', 'error');
}

async function create(fmt: Fmt = 'json', extra: Record<string, string | string[]> = {}): Promise<string> {
  const r = await post(fmt, base(extra));
  expect(r.status, r.text).toBe(201);
  return items(fmt, r.body, 'service_requests', 'request')[0].service_request_id;
}

async function verify(id: string, agencyId = 'pupr-kaltim') {
  const token = await c.t.login(DEMO.coordinator);
  const r = await c.t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { categoryId: Number(code), agencyId },
    token,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'));
  const services = await get('/open311/v2/services.json');
  [code, otherCode, batchCode, blackboxCode] = serviceCodes(
    services.body,
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    'KESEHATAN',
    'AGAMA',
    'HAJI DAN UMROH',
  );
  await setOpen311ServiceType(c.t.runtime.services, batchCode, 'batch');
  await setOpen311ServiceType(c.t.runtime.services, blackboxCode, 'blackbox');
});
afterAll(() => c?.close());

describe('§13 Discovery', () => {
  it('item 1: discovery.xml and discovery.json answer 200; XML declares UTF-8', async () => {
    const x = await get('/open311/discovery.xml');
    const j = await get('/open311/discovery.json');
    expect(x.status).toBe(200);
    expect(j.status).toBe(200);
    expect(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  });

  it('item 2: every discovery field is present', async () => {
    for (const fmt of FORMATS) {
      const r = await get(`/open311/discovery.${fmt}`);
      const d = fmt === 'json' ? r.body : r.body.discovery;
      for (const f of ['changeset', 'contact', 'key_service']) expect(typeof d[f]).toBe('string');
      const endpoints = fmt === 'json' ? d.endpoints : d.endpoints.endpoint;
      expect(endpoints.length).toBeGreaterThanOrEqual(2);
      for (const e of endpoints) {
        for (const f of ['specification', 'url', 'changeset']) expect(e[f]).toBeTruthy();
        expect(['production', 'test']).toContain(e.type);
        const formats = fmt === 'json' ? e.formats : [e.formats.format].flat();
        expect(formats.length).toBeGreaterThan(0);
      }
    }
  });

  it('item 3: a GeoReport_v2 endpoint lists text/xml; one production and one test endpoint', async () => {
    for (const fmt of FORMATS) {
      const r = await get(`/open311/discovery.${fmt}`);
      const endpoints = fmt === 'json' ? r.body.endpoints : r.body.discovery.endpoints.endpoint;
      const formats = (e: any) => (fmt === 'json' ? e.formats : [e.formats.format].flat());
      expect(
        endpoints.some(
          (e: any) =>
            e.specification === 'http://wiki.open311.org/GeoReport_v2' && formats(e).includes('text/xml'),
        ),
      ).toBe(true);
      expect(endpoints.map((e: any) => e.type).sort()).toEqual(['production', 'test']);
      const prod = endpoints.find((e: any) => e.type === 'production');
      expect(prod.url).toBe(`${c.url}/open311/v2`);
      expect(endpoints.find((e: any) => e.type === 'test').url).toBe(`${c.url}/open311/test/v2`);
    }
  });
});

describe('§13 Format & encoding', () => {
  it('item 4: every resource answers on .xml and on .json (JSON is advertised)', async () => {
    const id = await create();
    const token = await post('json', base({ service_code: batchCode }));
    const tok = token.body[0].token;
    for (const path of [
      'services',
      `services/${code}`,
      'requests',
      `requests/${id}`,
      `tokens/${tok}`,
      'servicerequestupdates',
    ]) {
      for (const fmt of FORMATS) {
        const r = await get(
          `/open311/v2/${path}.${fmt}${path.startsWith('requests/') ? `?api_key=${KEY}` : ''}`,
        );
        expect(r.status, `${path}.${fmt}: ${r.text}`).toBe(200);
      }
    }
  });

  it('item 5: exact content types (discovery without charset; everything else with charset=utf-8)', async () => {
    expect((await get('/open311/discovery.xml')).type).toBe('text/xml');
    expect((await get('/open311/discovery.json')).type).toBe('application/json');
    for (const path of ['services', `services/${code}`, 'requests', 'requests/0000000000', 'nothing']) {
      expect((await get(`/open311/v2/${path}.xml`)).type).toBe('text/xml; charset=utf-8');
      expect((await get(`/open311/v2/${path}.json`)).type).toBe('application/json; charset=utf-8');
    }
  });

  it('item 6: JSON is the Spark mapping of the XML; ids are strings; empty optional fields are ""', async () => {
    const id = await create('json', { address_string: '' });
    await verify(id);
    const x = await get(`/open311/v2/requests.xml?service_request_id=${id}`);
    const j = await get(`/open311/v2/requests.json?service_request_id=${id}`);
    expect(Array.isArray(j.body)).toBe(true);
    expect(j.body).toHaveLength(1);
    const xi = x.body.service_requests.request;
    const ji = j.body[0];
    expect(Object.keys(ji).sort()).toEqual(Object.keys(xi).sort());
    for (const [k, v] of Object.entries(ji)) expect(String(v)).toBe(xi[k]);
    expect(typeof ji.service_request_id).toBe('string');
    expect(typeof ji.service_code).toBe('string');
    for (const k of ['status_notes', 'service_notice', 'zipcode', 'media_url', 'lat', 'long']) {
      expect(ji[k]).toBe('');
      expect(x.text).toContain(`<${k}></${k}>`);
    }
    expect(x.text).not.toContain('null');
    expect(JSON.stringify(j.body)).not.toContain('null');
    const sx = await get('/open311/v2/services.xml');
    const sj = await get('/open311/v2/services.json');
    expect(Array.isArray(sj.body)).toBe(true);
    expect(sx.body.services.service.length).toBe(sj.body.length);
    const def = await get(`/open311/v2/services/${code}.json`);
    expect(Array.isArray(def.body.attributes)).toBe(true);
    expect(Array.isArray(def.body.attributes[0].values)).toBe(true);
    // A POST response leaves out the absent one of token / service_request_id (item 17).
    const created = await post('json', base());
    expect(Object.keys(created.body[0])).not.toContain('token');
  });

  it('item 7: non-ASCII text round-trips byte-exact in both formats', async () => {
    const text = 'Jalan rusak di Kec. Cibeunying Kaler – §ü';
    for (const fmt of FORMATS) {
      const id = await create(fmt, { description: text });
      const r = await get(`/open311/v2/requests/${id}.${fmt}?api_key=${KEY}`);
      const item = items(fmt, r.body, 'service_requests', 'request')[0];
      expect(item.description).toBe(text);
      expect(r.text).toContain(text);
    }
  });

  it('item 8: every datetime with a value matches the W3C pattern; empty ones are ""', async () => {
    const id = await create();
    await verify(id);
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/requests/${id}.${fmt}`);
      const item = items(fmt, r.body, 'service_requests', 'request')[0];
      for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
        expect(item[k], k).toMatch(W3C);
      }
      const d = await get(`/open311/discovery.${fmt}`);
      const changeset = fmt === 'json' ? d.body.changeset : d.body.discovery.changeset;
      expect(changeset).toMatch(W3C);
    }
  });
});

describe('§13 Services', () => {
  it('item 9: service items have code, name, metadata and type', async () => {
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/services.${fmt}`);
      const list = items(fmt, r.body, 'services', 'service');
      expect(list.length).toBeGreaterThan(0);
      for (const s of list) {
        expect(typeof s.service_code).toBe('string');
        expect(s.service_name).toBeTruthy();
        expect(['true', 'false', true, false]).toContain(s.metadata);
        expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
      }
    }
  });

  it('item 10: each metadata=true service has a definition; an unknown code is 404 with errors', async () => {
    const list = (await get('/open311/v2/services.json')).body.filter((s: any) => s.metadata === true);
    for (const s of list.slice(0, 25)) {
      const r = await get(`/open311/v2/services/${s.service_code}.json`);
      expect(r.status).toBe(200);
      expect(r.body.service_code).toBe(s.service_code);
    }
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/services/999999.${fmt}`);
      expect(r.status).toBe(404);
      expect(errorsOf(fmt, r.body)[0]!.description).toBeTruthy();
    }
  });

  it('item 11: attribute datatypes are valid; lists have values; order is positive and unique', async () => {
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/services/${code}.${fmt}`);
      const def = fmt === 'json' ? r.body : r.body.service_definition;
      const attrs = fmt === 'json' ? def.attributes : def.attributes.attribute;
      const orders = new Set<number>();
      for (const a of attrs) {
        expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(
          a.datatype,
        );
        const order = Number(a.order);
        expect(order).toBeGreaterThan(0);
        orders.add(order);
        if (a.datatype.endsWith('valuelist')) {
          const values = fmt === 'json' ? a.values : [a.values.value].flat();
          expect(values.length).toBeGreaterThan(0);
          for (const v of values) expect(v.key && v.name).toBeTruthy();
        }
      }
      expect(orders.size).toBe(attrs.length);
    }
  });
});

describe('§13 POST', () => {
  it('item 12: no api_key → 403, wrong key → 403; a key is accepted from the body or the query', async () => {
    for (const fmt of FORMATS) {
      const { api_key: _k, ...without } = base();
      let r = await post(fmt, without);
      expect(r.status).toBe(403);
      expect(errorsOf(fmt, r.body)[0]!.code).toBe(fmt === 'json' ? 403 : '403');
      r = await post(fmt, base({ api_key: 'wrong-key-123' }));
      expect(r.status).toBe(403);
      r = await post(fmt, base());
      expect(r.status).toBe(201);
      r = await post(fmt, without, `?api_key=${KEY}`);
      expect(r.status, r.text).toBe(201);
    }
  });

  it('item 13: missing service_code → 400; unknown service_code → 404', async () => {
    for (const fmt of FORMATS) {
      const { service_code: _s, ...without } = base();
      expect((await post(fmt, without)).status).toBe(400);
      const r = await post(fmt, base({ service_code: '987654' }));
      expect(r.status).toBe(404);
      expect(errorsOf(fmt, r.body).length).toBeGreaterThan(0);
    }
  });

  it('item 14: no location → 400; lat without long → 400', async () => {
    for (const fmt of FORMATS) {
      const { address_id: _a, ...without } = base();
      expect((await post(fmt, without)).status).toBe(400);
      expect((await post(fmt, { ...without, lat: '-1.2379' })).status).toBe(400);
      expect((await post(fmt, { ...without, lat: '-1.2379', long: '116.8529' })).status).toBe(201);
      const located = await post(fmt, {
        ...without,
        address_string: 'Jl. Jenderal Sudirman, Kota Balikpapan',
      });
      expect(located.status, located.text).toBe(201);
    }
  });

  it('item 15: required attribute missing → 400; wrong list key → 400; multivaluelist [] accepted', async () => {
    for (const fmt of FORMATS) {
      const { 'attribute[classification]': _c, ...without } = base();
      let r = await post(fmt, without);
      expect(r.status).toBe(400);
      expect(errorsOf(fmt, r.body)[0]!.description).toContain('attribute[classification]');
      r = await post(fmt, base({ 'attribute[classification]': 'keluhan' }));
      expect(r.status).toBe(400);
      r = await post(fmt, base({ 'attribute[dampak][]': ['keselamatan', 'ekonomi'] }));
      expect(r.status, r.text).toBe(201);
      const id = items(fmt, r.body, 'service_requests', 'request')[0].service_request_id;
      const read = await get(`/open311/v2/requests/${id}.json?api_key=${KEY}&extensions=true`);
      expect(read.body[0].extended_attributes.attributes.dampak).toEqual(['keselamatan', 'ekonomi']);
    }
  });

  it('item 16: description over 4000 characters → 400; HTML is not interpreted on output', async () => {
    for (const fmt of FORMATS) {
      expect((await post(fmt, base({ description: 'a'.repeat(4001) }))).status).toBe(400);
      const html = '<script>alert(1)</script> & <b>tebal</b>';
      const id = await create(fmt, { description: html });
      const r = await get(`/open311/v2/requests/${id}.${fmt}?api_key=${KEY}`);
      expect(items(fmt, r.body, 'service_requests', 'request')[0].description).toBe(html);
      if (fmt === 'xml') expect(r.text).toContain('&lt;script&gt;');
    }
  });

  it('item 17: realtime → id and no token; batch → token and no id; blackbox → neither', async () => {
    for (const fmt of FORMATS) {
      const pick = async (service_code: string) =>
        items(fmt, (await post(fmt, base({ service_code }))).body, 'service_requests', 'request')[0];
      const rt = await pick(code);
      expect(rt.service_request_id).toMatch(/^\d{10}$/);
      expect(rt).not.toHaveProperty('token');
      const batch = await pick(batchCode);
      expect(batch.token).toBeTruthy();
      expect(batch).not.toHaveProperty('service_request_id');
      const bb = await pick(blackboxCode);
      expect(bb).not.toHaveProperty('token');
      expect(bb).not.toHaveProperty('service_request_id');
    }
  });

  it('item 18: the response is service_requests/request (XML) or an array (JSON); service_notice is a string', async () => {
    const x = await post('xml', base());
    expect(x.body.service_requests.request.service_request_id).toBeTruthy();
    expect(typeof x.body.service_requests.request.service_notice).toBe('string');
    const j = await post('json', base());
    expect(Array.isArray(j.body)).toBe(true);
    expect(typeof j.body[0].service_notice).toBe('string');
  });

  it('item 19: the created request reads back with the partner key (status open); 404 without until verified', async () => {
    for (const fmt of FORMATS) {
      const id = await create(fmt, { description: 'Lampu jalan padam sepanjang Jalan Juanda.' });
      const own = await get(`/open311/v2/requests/${id}.${fmt}?api_key=${KEY}`);
      expect(own.status).toBe(200);
      const item = items(fmt, own.body, 'service_requests', 'request')[0];
      expect(item.status).toBe('open');
      expect(item.service_code).toBe(code);
      expect(item.description).toBe('Lampu jalan padam sepanjang Jalan Juanda.');
      expect(item.address_id).toBe('64.72.02');
      expect((await get(`/open311/v2/requests/${id}.${fmt}`)).status).toBe(404);
      await verify(id);
      expect((await get(`/open311/v2/requests/${id}.${fmt}`)).status).toBe(200);
    }
  });
});

describe('§13 Tokens', () => {
  it('item 20: tokens/{token} → id and token; not ready → 200 with ""; unknown → 404', async () => {
    for (const fmt of FORMATS) {
      const created = await post(fmt, base({ service_code: batchCode }));
      const token = items(fmt, created.body, 'service_requests', 'request')[0].token;
      let r = await get(`/open311/v2/tokens/${token}.${fmt}`);
      expect(r.status).toBe(200);
      let item = items(fmt, r.body, 'service_requests', 'request')[0];
      expect(item.token).toBe(token);
      expect(item.service_request_id).toBe('');
      const [row] = await c.t.runtime.services.db
        .execute<{ tracking_id: string }>(
          sql`select r.tracking_id from open311_requests o join reports r on r.id = o.report_id where o.token = ${token}`,
        )
        .then((x: any) => x.rows);
      await verify(row.tracking_id);
      r = await get(`/open311/v2/tokens/${token}.${fmt}`);
      item = items(fmt, r.body, 'service_requests', 'request')[0];
      expect(item.service_request_id).toBe(row.tracking_id);
      expect((await get(`/open311/v2/tokens/tidak-ada.${fmt}`)).status).toBe(404);
    }
  });
});

describe('§13 GET requests', () => {
  it('item 21: no arguments → the last 90 days only, at most 1000, newest first', async () => {
    c.t.setNow(new Date('2025-11-01T02:00:00Z'));
    const old = await create();
    await verify(old);
    c.t.setNow(new Date('2026-03-12T02:00:00Z'));
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/requests.${fmt}`);
      const list = items(fmt, r.body, 'service_requests', 'request');
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(1000);
      expect(list.map((i: any) => i.service_request_id)).not.toContain(old);
      const times = list.map((i: any) => Date.parse(i.requested_datetime));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    }
  });

  it('item 22: service_request_id=a,b ignores every other filter', async () => {
    const a = await create();
    const b = await create();
    await verify(a);
    await verify(b);
    for (const fmt of FORMATS) {
      const r = await get(
        `/open311/v2/requests.${fmt}?service_request_id=${a},${b}&status=closed&service_code=${otherCode}&start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`,
      );
      const ids = items(fmt, r.body, 'service_requests', 'request').map((i: any) => i.service_request_id);
      expect(ids.sort()).toEqual([a, b].sort());
    }
  });

  it('item 23: comma lists of service_code and status work; an unknown status → 400', async () => {
    const id = await create();
    await verify(id);
    for (const fmt of FORMATS) {
      let r = await get(`/open311/v2/requests.${fmt}?service_code=${code},${otherCode}&status=open,closed`);
      let ids = items(fmt, r.body, 'service_requests', 'request').map((i: any) => i.service_request_id);
      expect(ids).toContain(id);
      r = await get(`/open311/v2/requests.${fmt}?service_code=${otherCode}&status=closed`);
      ids = items(fmt, r.body, 'service_requests', 'request').map((i: any) => i.service_request_id);
      expect(ids).not.toContain(id);
      r = await get(`/open311/v2/requests.${fmt}?status=open,pending`);
      expect(r.status).toBe(400);
      expect(errorsOf(fmt, r.body)[0]!.description).toContain('status');
    }
  });

  it('item 24: start_date/end_date filter on requested_datetime; a span over 90 days → 400', async () => {
    c.t.setNow(new Date('2026-01-15T02:00:00Z'));
    const jan = await create();
    await verify(jan);
    c.t.setNow(new Date('2026-03-12T02:00:00Z'));
    for (const fmt of FORMATS) {
      let r = await get(
        `/open311/v2/requests.${fmt}?start_date=2026-01-14T00:00:00Z&end_date=2026-01-16T00:00:00Z`,
      );
      const ids = items(fmt, r.body, 'service_requests', 'request').map((i: any) => i.service_request_id);
      expect(ids).toEqual([jan]);
      r = await get(
        `/open311/v2/requests.${fmt}?start_date=2025-10-01T00:00:00Z&end_date=2026-01-16T00:00:00Z`,
      );
      expect(r.status).toBe(400);
      expect(errorsOf(fmt, r.body).length).toBe(1);
    }
  });

  it('item 25: required fields; updated ≥ requested; a closed request shows its close time', async () => {
    const id = await create();
    await verify(id);
    c.t.setNow(new Date('2026-03-13T03:00:00Z'));
    const admin = await c.t.login(DEMO.puprAdmin);
    const res = await c.t.api(`/api/v1/reports/${id}/actions/respond`, {
      json: { body: 'Sudah diperbaiki.', final: true },
      token: admin,
    });
    expect(res.status).toBe(200);
    c.t.setNow(new Date('2026-03-14T04:00:00Z'));
    const form = new URLSearchParams({
      api_key: KEY,
      service_request_id: id,
      update_id: 'close-1',
      updated_datetime: '2026-03-14T12:00:00+08:00',
      status: 'CLOSED',
      description: 'Warga puas.',
      'attribute[rating]': '5',
    });
    const closed = await fetch(`${c.url}/open311/v2/servicerequestupdates.json`, {
      method: 'POST',
      body: form,
    });
    expect(closed.status, await closed.clone().text()).toBe(201);
    c.t.setNow(new Date('2026-03-20T02:00:00Z'));
    // Later activity (a staff comment) moves updated_at but not the close time.
    const later = await c.t.api(`/api/v1/reports/${id}/actions/comment`, {
      json: { body: 'Terima kasih atas tanggapannya.' },
      token: await c.t.login(DEMO.puprAdmin),
    });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/requests.${fmt}?status=open,closed`);
      for (const item of items(fmt, r.body, 'service_requests', 'request')) {
        for (const f of [
          'service_request_id',
          'status',
          'service_code',
          'service_name',
          'requested_datetime',
        ])
          expect(item[f], f).toBeTruthy();
        expect(['open', 'closed']).toContain(item.status);
        expect(Date.parse(item.updated_datetime)).toBeGreaterThanOrEqual(Date.parse(item.requested_datetime));
      }
      const one = items(
        fmt,
        (await get(`/open311/v2/requests/${id}.${fmt}`)).body,
        'service_requests',
        'request',
      )[0];
      expect(one.status).toBe('closed');
      expect(Date.parse(one.updated_datetime)).toBe(Date.parse('2026-03-14T04:00:00Z'));
    }
    c.t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('item 26: expected_datetime is the running SLA deadline (reports.due_at)', async () => {
    const id = await create();
    await verify(id);
    const national = await c.t.login(DEMO.national);
    const full = await c.t.api(`/api/v1/reports/${id}`, { token: national });
    const due = Math.floor(Date.parse(full.body.deadline.dueAt) / 1000) * 1000;
    for (const fmt of FORMATS) {
      const item = items(
        fmt,
        (await get(`/open311/v2/requests/${id}.${fmt}`)).body,
        'service_requests',
        'request',
      )[0];
      expect(Date.parse(item.expected_datetime)).toBe(due);
    }
  });

  it('item 27: an unknown request id → 404 with an errors body', async () => {
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/requests/1234567890.${fmt}`);
      expect(r.status).toBe(404);
      expect(errorsOf(fmt, r.body)[0]!.description).toBeTruthy();
    }
  });
});

describe('§13 jurisdiction_id', () => {
  it('item 28: any jurisdiction_id, absent or empty, is accepted and ignored', async () => {
    for (const fmt of FORMATS) {
      for (const j of [
        '',
        '?jurisdiction_id=',
        '?jurisdiction_id=kaltim.go.id',
        '?jurisdiction_id=apa-saja',
      ]) {
        expect((await get(`/open311/v2/services.${fmt}${j}`)).status).toBe(200);
        expect((await get(`/open311/v2/requests.${fmt}${j}`)).status).toBe(200);
      }
      expect((await post(fmt, base({ jurisdiction_id: '' }))).status).toBe(201);
    }
  });
});

describe('§13 Errors', () => {
  it('item 29: every 4xx carries an errors body in the requested format', async () => {
    const cases: Array<[string, number]> = [
      ['/open311/v2/services/999999', 404],
      ['/open311/v2/requests/0000000000', 404],
      ['/open311/v2/tokens/nope', 404],
      ['/open311/v2/requests', 400],
      ['/open311/v2/does-not-exist', 404],
    ];
    for (const fmt of FORMATS) {
      for (const [path, status] of cases) {
        const q = status === 400 ? '?status=bogus' : '';
        const r = await get(`${path}.${fmt}${q}`);
        expect(r.status, path).toBe(status);
        const errs = errorsOf(fmt, r.body);
        expect(errs.length).toBeGreaterThan(0);
        expect(Number(errs[0]!.code)).toBe(status);
        if (fmt === 'xml') expect(r.text).toMatch(/<errors><error><code>\d+<\/code><description>/);
      }
    }
  });

  it('item 30: empty optional parameters behave exactly like absent ones', async () => {
    for (const fmt of FORMATS) {
      const a = await get(`/open311/v2/requests.${fmt}`);
      const b = await get(
        `/open311/v2/requests.${fmt}?service_request_id=&service_code=&start_date=&end_date=&status=&page=&page_size=&updated_after=&extensions=&api_key=`,
      );
      expect(b.status).toBe(200);
      expect(b.text).toBe(a.text);
      const p = await post(fmt, base({ address_string: '', lat: '', long: '', email: '', media_url: '' }));
      expect(p.status, p.text).toBe(201);
    }
  });
});
