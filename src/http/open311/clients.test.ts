/**
 * Open311: the known client behaviours of docs §14 (SeeClickFix validator, FixMyStreet, node-open311), the
 * extensions (page/page_size, updated_after/before, extensions=true, media[], servicerequestupdates, XML
 * bodies, the test sandbox, rate limits) and privacy (confidential never appears; anonymous reporters are
 * never exposed), in XML and JSON over real HTTP.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311, serviceCodes } from '../../../test/helpers/open311.ts';
import { sql } from 'drizzle-orm';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';
import { createApiKey } from '../../commands/create-api-key.ts';

const KEY = 'demo-open311-key';
let c: ChannelTestApp;
let code: string;
let batchCode: string;

const get = (path: string) => fetchOpen311(c.url + path);

const postTo = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetchOpen311(c.url + path, { method: 'POST', body, headers });

const form = (f: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) for (const x of [v].flat()) p.append(k, x);
  return p;
};

const base = (extra: Record<string, string | string[]> = {}) => ({
  api_key: KEY,
  jurisdiction_id: 'kaltimprov.go.id',
  service_code: code,
  address_id: '64.72.02',
  description: 'Drainase tersumbat menyebabkan genangan setiap hujan.',
  'attribute[classification]': 'pengaduan',
  ...extra,
});

async function create(extra: Record<string, string | string[]> = {}) {
  const r = await postTo('/open311/v2/requests.json', form(base(extra)));
  expect(r.status, r.text).toBe(201);
  return r.body[0].service_request_id as string;
}

async function verify(id: string, extra: Record<string, unknown> = {}) {
  const r = await c.t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { categoryId: Number(code), agencyId: 'pupr-kaltim', ...extra },
    token: await c.t.login(DEMO.coordinator),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'));
  const services = (await get('/open311/v2/services.json')).body;
  [code, batchCode] = serviceCodes(services, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'AGAMA');
  await setOpen311ServiceType(c.t.runtime.services, batchCode, 'batch');
});
afterAll(() => c?.close());

describe('§14.1 SeeClickFix open311-validator', () => {
  it('appends .xml/.json to the discovery base; exact content types; two endpoints; changeset in the past', async () => {
    const baseUrl = '/open311/discovery';
    const x = await get(`${baseUrl}.xml`);
    const j = await get(`${baseUrl}.json`);
    expect(x.type).toBe('text/xml');
    expect(j.type).toBe('application/json');
    expect([x.body.discovery.endpoints.endpoint].flat().length).toBe(2);
    expect(Date.parse(j.body.changeset)).toBeLessThan(Date.now());
    expect(j.body.endpoints.every((e: any) => e.formats.includes('text/xml'))).toBe(true);
  });

  it('finds at least one service with a service_code on both endpoints, with a jurisdiction id', async () => {
    for (const ep of ['v2', 'test/v2']) {
      for (const fmt of ['xml', 'json']) {
        const r = await get(`/open311/${ep}/services.${fmt}?jurisdiction_id=kaltimprov.go.id`);
        const list = fmt === 'json' ? r.body : r.body.services.service;
        expect(list.length).toBeGreaterThan(0);
        expect(list[0].service_code).toBeTruthy();
      }
    }
  });
});

describe('§14.2 FixMyStreet as a client', () => {
  it('polls tokens/{token} until the id appears (batch), always sending jurisdiction_id', async () => {
    for (const fmt of ['xml', 'json']) {
      const r = await postTo(`/open311/v2/requests.${fmt}`, form(base({ service_code: batchCode })));
      const token = fmt === 'json' ? r.body[0].token : r.body.service_requests.request.token;
      const poll = async () => {
        const p = await get(`/open311/v2/tokens/${token}.${fmt}?jurisdiction_id=kaltimprov.go.id`);
        expect(p.status).toBe(200);
        return fmt === 'json'
          ? p.body[0].service_request_id
          : p.body.service_requests.request.service_request_id;
      };
      expect(await poll()).toBe('');
      const mine = await get(`/open311/v2/requests.json?api_key=${KEY}&service_code=${batchCode}`);
      const pending = mine.body.filter((i: any) => i.status === 'open');
      for (const i of pending) await verify(i.service_request_id);
      expect(await poll()).toMatch(/^\d{10}$/);
    }
  });

  it('uploads photos as multipart photo1 / file_* parts and media[]; the partner sees media_urls', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    for (const part of ['photo1', 'media[]', 'file_extra']) {
      const fd = new FormData();
      for (const [k, v] of Object.entries(base())) fd.append(k, String(v));
      fd.append(part, new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto.png');
      const r = await postTo('/open311/v2/requests.json', fd);
      expect(r.status, r.text).toBe(201);
      const id = r.body[0].service_request_id;
      const own = await get(`/open311/v2/requests/${id}.json?api_key=${KEY}&extensions=true`);
      expect(own.body[0].media_urls).toHaveLength(1);
      expect(own.body[0].media_url).toBe(own.body[0].media_urls[0]);
      await verify(id);
      // Reporter uploads stay private: the public read shows no media.
      const pub = await get(`/open311/v2/requests/${id}.json?extensions=true`);
      expect(pub.body[0].media_urls).toEqual([]);
      expect(pub.body[0].media_url).toBe('');
    }
    const fd = new FormData();
    for (const [k, v] of Object.entries(base())) fd.append(k, String(v));
    fd.append('media[]', new Blob([new TextEncoder().encode('not an image')]), 'x.exe');
    const bad = await postTo('/open311/v2/requests.xml', fd);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.error.description).toContain('media');
  });

  it('keywords carry no FixMyStreet behaviour flags; definition strings are never null', async () => {
    const services = (await get('/open311/v2/services.json')).body;
    for (const s of services) expect(s.keywords).not.toMatch(/private|inactive|staff|waste_only/);
    const def = (await get(`/open311/v2/services/${code}.json`)).body;
    for (const a of def.attributes) {
      expect(typeof a.datatype_description).toBe('string');
      expect(typeof a.description).toBe('string');
      expect(typeof a.order).toBe('number');
    }
  });

  it('GET and POST servicerequestupdates with extended statuses; replays are refused', async () => {
    const id = await create();
    await verify(id);
    const admin = await c.t.login(DEMO.puprAdmin);
    const res = await c.t.api(`/api/v1/reports/${id}/actions/respond`, {
      json: { body: 'Saluran sudah dibersihkan.', final: true },
      token: admin,
    });
    expect(res.status).toBe(200);
    for (const fmt of ['xml', 'json']) {
      const r = await get(`/open311/v2/servicerequestupdates.${fmt}?start_date=2026-03-11T00:00:00Z`);
      const list = fmt === 'json' ? r.body : [r.body.service_request_updates.request_update].flat();
      const mine = list.filter((u: any) => u.service_request_id === id);
      expect(mine.map((u: any) => u.status)).toEqual(['FOR_TRIAGE', 'OPEN', 'FIXED']);
      expect(mine[2].description).toBe('Saluran sudah dibersihkan.');
    }
    const update = {
      api_key: KEY,
      service_request_id: id,
      update_id: 'fms-77',
      updated_datetime: '2026-03-12T12:00:00+08:00',
      status: 'REOPEN',
      description: 'Masih tergenang kemarin sore.',
    };
    const r = await postTo('/open311/v2/servicerequestupdates.xml', form(update));
    expect(r.status, r.text).toBe(201);
    expect(r.body.service_request_updates.request_update.update_id).toMatch(/^\d+$/);
    const again = await postTo('/open311/v2/servicerequestupdates.json', form(update));
    expect(again.status).toBe(400);
    const item = (await get(`/open311/v2/requests/${id}.json?extensions=true`)).body[0];
    expect(item.extended_attributes.status_detail).toBe('in_progress');
    expect(item.notes.map((n: any) => n.type)).toEqual(['submit', 'verify', 'respond', 'dispute']);
    const bad = await postTo(
      '/open311/v2/servicerequestupdates.json',
      form({ ...update, update_id: 'x', status: 'MAYBE' }),
    );
    expect(bad.status).toBe(400);
  });

  it('never answers application/xml, and agency_responsible is a plain string', async () => {
    const id = await create();
    await verify(id);
    const x = await get(`/open311/v2/requests/${id}.xml`);
    expect(x.type).toBe('text/xml; charset=utf-8');
    expect(typeof x.body.service_requests.request.agency_responsible).toBe('string');
    expect(x.body.service_requests.request.agency_responsible).toContain('Pekerjaan Umum');
  });
});

describe('§14.3 node-open311 and the extensions', () => {
  it('attributes flattened to attribute[...]; page/page_size paginate newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      c.t.setNow(new Date(Date.parse('2026-03-12T03:00:00Z') + i * 60_000));
      ids.push(await create({ 'attribute[anonim]': 'true' }));
    }
    c.t.setNow(new Date('2026-03-12T04:00:00Z'));
    for (const id of ids) await verify(id);
    const p1 = await get('/open311/v2/requests.json?page=1&page_size=2&start_date=2026-03-12T02:59:00Z');
    const p2 = await get('/open311/v2/requests.json?page=2&page_size=2&start_date=2026-03-12T02:59:00Z');
    expect([...p1.body, ...p2.body].map((i: any) => i.service_request_id)).toEqual([...ids].reverse());
    expect((await get('/open311/v2/requests.json?page_size=1001')).status).toBe(400);
    c.t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('updated_after / updated_before select by last update', async () => {
    c.t.setNow(new Date('2026-03-12T05:00:00Z'));
    const id = await create();
    await verify(id);
    c.t.setNow(new Date('2026-03-12T02:00:00Z'));
    const after = await get('/open311/v2/requests.xml?updated_after=2026-03-12T04:59:00Z');
    const list = [after.body.service_requests.request].flat();
    expect(list.map((i: any) => i.service_request_id)).toEqual([id]);
    const before = await get('/open311/v2/requests.json?updated_before=2026-03-12T04:59:00Z');
    expect(before.body.map((i: any) => i.service_request_id)).not.toContain(id);
  });

  it('accepts an XML POST body; malformed XML is a 400 errors body', async () => {
    const fields = Object.entries(base())
      .map(([k, v]) => (k.startsWith('attribute') ? '' : `<${k}>${v}</${k}>`))
      .join('');
    const xml = `<?xml version="1.0" encoding="utf-8"?><request>${fields}<attribute><classification>aspirasi</classification></attribute></request>`;
    const ok = await postTo('/open311/v2/requests.xml', xml, { 'content-type': 'text/xml' });
    expect(ok.status, ok.text).toBe(201);
    const bad = await postTo('/open311/v2/requests.xml', '<request><api_key>x</request>', {
      'content-type': 'text/xml',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.error.code).toBe('400');
  });

  it('the test endpoint validates like production, stores apart and never dispatches', async () => {
    const before = await get(`/open311/v2/requests.json?api_key=${KEY}&page_size=1000`);
    const invalid = await postTo(
      '/open311/test/v2/requests.json',
      form(base({ 'attribute[classification]': '' })),
    );
    expect(invalid.status).toBe(400);
    const r = await postTo('/open311/test/v2/requests.json', form(base()));
    expect(r.status, r.text).toBe(201);
    const id = r.body[0].service_request_id;
    expect((await get(`/open311/test/v2/requests/${id}.json`)).body[0].status).toBe('open');
    expect((await get(`/open311/v2/requests/${id}.json?api_key=${KEY}`)).status).toBe(404);
    const after = await get(`/open311/v2/requests.json?api_key=${KEY}&page_size=1000`);
    expect(after.body.length).toBe(before.body.length);
  });

  it('the test endpoint answers POST servicerequestupdates like production: 201, and 400 for a bad status or rating', async () => {
    const r = await postTo('/open311/test/v2/requests.json', form(base()));
    expect(r.status, r.text).toBe(201);
    const id = r.body[0].service_request_id as string;
    const update = (extra: Record<string, string>) => ({
      api_key: KEY,
      service_request_id: id,
      description: 'Mohon kabar tindak lanjutnya.',
      updated_datetime: '2026-03-12T10:00:00+08:00',
      status: 'OPEN',
      ...extra,
    });
    for (const ep of ['v2', 'test/v2']) {
      for (const [extra, field] of [
        [{ update_id: `bogus-status-${ep}`, status: 'BOGUS' }, 'status'],
        [{ update_id: `bad-rating-${ep}`, status: 'CLOSED', 'attribute[rating]': '9' }, 'attribute[rating]'],
        [{ update_id: `long-${ep}`, description: 'x'.repeat(4001) }, 'description'],
      ] as const) {
        const bad = await postTo(`/open311/${ep}/servicerequestupdates.xml`, form(update(extra)));
        expect(bad.status, `${ep} ${field}: ${bad.text}`).toBe(400);
        expect(bad.text).toContain(`${field}: `);
      }
    }
    const ok = await postTo(
      '/open311/test/v2/servicerequestupdates.json',
      form(update({ update_id: 'ok-1' })),
    );
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toEqual([{ update_id: 'ok-1' }]);
  });

  it('the test endpoint validates GET requests and servicerequestupdates arguments like production', async () => {
    for (const q of [
      'status=bogus',
      'start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z',
      'start_date=garbage',
      'page_size=0',
      'bbox=1,2',
      'updated_after=2026-03-12T00:00:00Z&updated_before=2026-03-01T00:00:00Z',
    ]) {
      for (const ep of ['v2', 'test/v2']) {
        const r = await get(`/open311/${ep}/requests.json?${q}`);
        expect(r.status, `${ep} ${q}: ${r.text}`).toBe(400);
      }
    }
    for (const q of ['start_date=garbage', 'start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z']) {
      for (const ep of ['v2', 'test/v2']) {
        const r = await get(`/open311/${ep}/servicerequestupdates.json?${q}`);
        expect(r.status, `${ep} ${q}: ${r.text}`).toBe(400);
      }
    }
    // Valid arguments still answer the sandbox's own list.
    expect((await get('/open311/test/v2/requests.json?status=open&page_size=5')).status).toBe(200);
  });

  it('rate limits writes per API key and reads per client with a 429 errors body', async () => {
    const limited = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
      open311: { readsPerMinute: 2, writesPerMinute: 2 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}/open311/v2/requests.xml`, {
          method: 'POST',
          body: form(base()),
        });
        statuses.push(res.status);
        // Every body is read: an unread (compressed, chunked) answer keeps its connection busy and delays close().
        const text = await res.text();
        if (res.status === 429) expect(text).toContain('<errors><error><code>429</code>');
      }
      expect(statuses).toEqual([201, 201, 429]);
      // Reads: per client (IP without a key, else the key), 429 with an errors body in the URL's format.
      const reads: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}/open311/v2/services.json`);
        reads.push(res.status);
        const body: unknown = await res.json();
        if (res.status === 429) {
          expect(res.headers.get('retry-after')).toBeTruthy();
          expect(body).toEqual([{ code: 429, description: expect.any(String) }]);
        }
      }
      expect(reads).toEqual([200, 200, 429]);
      const keyed = await fetch(`${limited.url}/open311/v2/services.xml?api_key=${KEY}`);
      expect(keyed.status).toBe(200);
      await keyed.text();
    } finally {
      await limited.close();
    }
  });
});

describe('privacy', () => {
  it('a confidential (rahasia) report never appears in any Open311 read', async () => {
    const id = await create({
      'attribute[rahasia]': 'true',
      description: 'Dugaan pungli di loket RAHASIA-XYZ.',
    });
    await verify(id);
    for (const fmt of ['xml', 'json']) {
      const paths = [
        `/open311/v2/requests.${fmt}`,
        `/open311/v2/requests.${fmt}?service_request_id=${id}`,
        `/open311/v2/requests.${fmt}?extensions=true&status=open`,
        `/open311/v2/servicerequestupdates.${fmt}`,
      ];
      for (const p of paths) {
        const r = await get(p);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(id);
        expect(r.text).not.toContain('RAHASIA-XYZ');
      }
      expect((await get(`/open311/v2/requests/${id}.${fmt}`)).status).toBe(404);
    }
  });

  it('a report made confidential after it was public leaves every read, tokens and updates', async () => {
    await setOpen311ServiceType(c.t.runtime.services, batchCode, 'batch');
    const posted = await postTo(
      '/open311/v2/requests.json',
      form(base({ service_code: batchCode, description: 'Pungli di loket RAHASIA-LATER.' })),
    );
    expect(posted.status, posted.text).toBe(201);
    const token = posted.body[0].token as string;
    const id = (await get(`/open311/v2/tokens/${token}.json`)).body[0].service_request_id;
    expect(id).toBe('');
    const { rows } = (await c.t.runtime.services.db.execute(
      sql`select r.tracking_id from open311_requests o join reports r on r.id = o.report_id where o.token = ${token}`,
    )) as unknown as { rows: Array<{ tracking_id: string }> };
    const trackingId = rows[0]!.tracking_id;
    await verify(trackingId, { categoryId: Number(batchCode) });
    expect((await get(`/open311/v2/tokens/${token}.json`)).body[0].service_request_id).toBe(trackingId);
    expect((await get(`/open311/v2/requests/${trackingId}.json`)).status).toBe(200);
    const coordinator = await c.t.login(DEMO.coordinator);
    const set = await c.t.api(`/api/v1/reports/${trackingId}/privacy`, {
      json: { confidential: true },
      token: coordinator,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    for (const fmt of ['xml', 'json']) {
      for (const p of [
        `/open311/v2/requests.${fmt}?extensions=true`,
        `/open311/v2/requests.${fmt}?service_request_id=${trackingId}`,
        `/open311/v2/requests.${fmt}?updated_after=2026-03-01T00:00:00Z`,
        `/open311/v2/requests.${fmt}?bbox=94.7,-11.2,141.1,6.3`,
        `/open311/v2/servicerequestupdates.${fmt}`,
      ]) {
        const r = await get(p);
        expect(r.status, p).toBe(200);
        expect(r.text, p).not.toContain(trackingId);
        expect(r.text, p).not.toContain('RAHASIA-LATER');
      }
      expect((await get(`/open311/v2/requests/${trackingId}.${fmt}`)).status).toBe(404);
      // The batch token no longer resolves to the id (D4: "not ready"), so it reveals nothing.
      const tok = await get(`/open311/v2/tokens/${token}.${fmt}`);
      expect(tok.text).not.toContain(trackingId);
    }
  });

  it('a confidential request to the test endpoint is read back only by the partner that posted it', async () => {
    const other = await createApiKey(c.t.runtime.services, { name: 'Aplikasi uji lain' });
    const post = (service_code: string, description: string) =>
      postTo(
        '/open311/test/v2/requests.json',
        form(base({ service_code, description, 'attribute[rahasia]': 'true' })),
      );
    const realtime = await post(code, 'Uji coba pungli di loket SANDBOX-RAHASIA.');
    expect(realtime.status, realtime.text).toBe(201);
    const id = realtime.body[0].service_request_id as string;
    const batch = await post(batchCode, 'Uji coba token SANDBOX-RAHASIA.');
    expect(batch.status, batch.text).toBe(201);
    const token = batch.body[0].token as string;
    const open = await postTo('/open311/test/v2/requests.json', form(base()));
    const openId = open.body[0].service_request_id as string;
    for (const fmt of ['xml', 'json']) {
      for (const key of ['', `api_key=${other.key}`]) {
        for (const p of [
          `/open311/test/v2/requests.${fmt}?${key}`,
          `/open311/test/v2/requests.${fmt}?service_request_id=${id}&${key}`,
        ]) {
          const r = await get(p);
          expect(r.status, p).toBe(200);
          expect(r.text, p).not.toContain(id);
          expect(r.text, p).not.toContain('SANDBOX-RAHASIA');
        }
        expect((await get(`/open311/test/v2/requests/${id}.${fmt}?${key}`)).status).toBe(404);
        const tok = await get(`/open311/test/v2/tokens/${token}.${fmt}?${key}`);
        expect(tok.status).toBe(200);
        expect(tok.text).not.toContain('SANDBOX-RAHASIA');
        const item = fmt === 'json' ? tok.body[0] : tok.body.service_requests.request;
        expect(item.service_request_id).toBe('');
        // A request sent without rahasia stays readable by anyone, as before.
        expect((await get(`/open311/test/v2/requests/${openId}.${fmt}?${key}`)).status).toBe(200);
      }
      const own = await get(`/open311/test/v2/requests.${fmt}?api_key=${KEY}`);
      expect(own.text).toContain(id);
      expect((await get(`/open311/test/v2/requests/${id}.${fmt}?api_key=${KEY}`)).status).toBe(200);
      const ownToken = await get(`/open311/test/v2/tokens/${token}.json?api_key=${KEY}`);
      expect(ownToken.body[0].service_request_id).toMatch(/^\d{10}$/);
    }
  });

  it('POST servicerequestupdates: a partner with no relation learns nothing about a report it cannot read', async () => {
    const other = await createApiKey(c.t.runtime.services, { name: 'Aplikasi lain' });
    const hidden = await create({ 'attribute[rahasia]': 'true', description: 'Rahasia.' });
    await verify(hidden);
    const pending = await create();
    const open = await create();
    await verify(open);
    const update = (id: string, extra: Record<string, string> = {}) =>
      postTo(
        '/open311/v2/servicerequestupdates.json',
        form({
          api_key: other.key,
          service_request_id: id,
          update_id: `u-${id}`,
          updated_datetime: '2026-03-12T12:00:00+08:00',
          status: 'OPEN',
          description: 'Kapan ditangani?',
          ...extra,
        }),
      );
    // Confidential or not yet verified: the same 404 as an id that does not exist.
    for (const id of [hidden, pending, '9999999999']) {
      const r = await update(id);
      expect(r.status, id).toBe(404);
      expect(r.body[0].code).toBe(404);
    }
    // A public report it did not submit: it exists, but this partner may not act on it.
    expect((await update(open)).status).toBe(403);
    // updated_datetime must be a W3C datetime.
    const bad = await postTo(
      '/open311/v2/servicerequestupdates.xml',
      form({
        api_key: KEY,
        service_request_id: open,
        update_id: 'bad-date',
        updated_datetime: 'kemarin sore',
        status: 'OPEN',
        description: 'x',
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('updated_datetime');
  });

  it('an anonymous reporter (and any reporter) is never exposed: no name, email or phone anywhere', async () => {
    const who = {
      first_name: 'Siti',
      last_name: 'Rahasiawati',
      email: 'siti.rahasia@contoh.aduan.id',
      phone: '081299990000',
      device_id: 'device-abc-123',
      account_id: 'akun-987',
    };
    const anon = await create({ ...who, 'attribute[anonim]': 'true' });
    const named = await create(who);
    await verify(anon);
    await verify(named);
    for (const fmt of ['xml', 'json']) {
      for (const key of ['', `&api_key=${KEY}`]) {
        for (const p of [
          `/open311/v2/requests.${fmt}?extensions=true${key}`,
          `/open311/v2/requests/${anon}.${fmt}?extensions=true${key}`,
          `/open311/v2/requests/${named}.${fmt}?extensions=true${key}`,
          `/open311/v2/servicerequestupdates.${fmt}?x=1${key}`,
        ]) {
          const r = await get(p);
          expect(r.status, p).toBe(200);
          for (const v of [
            'Siti',
            'Rahasiawati',
            'siti.rahasia',
            '081299990000',
            'device-abc-123',
            'akun-987',
          ])
            expect(r.text, `${p} leaks ${v}`).not.toContain(v);
        }
      }
    }
    // The sealed contact is still there for the reveal flow, never in clear.
    const national = await c.t.login(DEMO.national);
    const full = await c.t.api(`/api/v1/reports/${anon}`, { token: national });
    expect(full.body.anonymous).toBe(true);
    // The agency handling it never learns who sent an anonim Open311 request: not in the report, nor its timeline.
    const agency = await c.t.login(DEMO.puprAdmin);
    for (const path of [`/api/v1/reports/${anon}`, `/api/v1/reports/${anon}/events`]) {
      const r = await c.t.api(path, { token: agency });
      expect(r.status, path).toBe(200);
      for (const v of Object.values(who).slice(0, 4))
        expect(JSON.stringify(r.body), `${path} leaks ${v}`).not.toContain(v);
    }
    const seen = await c.t.api(`/api/v1/reports/${anon}`, { token: agency });
    expect(seen.body).not.toHaveProperty('reporter');
  });
});
