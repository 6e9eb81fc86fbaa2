/**
 * Details of Open311 request reads and writes (docs/open311.md): descriptions that are short or absent (§6
 * makes them optional) against the JSON API's report limits, one time zone per request across every answer,
 * W3C dates (impossible dates refused, a date alone is 00:00 WIB), `service_request_id` overriding every other
 * argument (§8), and value types (coordinates without float noise, `support_count` a number). Real HTTP.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_OPEN311_KEY } from '../../../test/global-setup.ts';
import { fetchOpen311, serviceCode, type Open311Response } from '../../../test/helpers/open311.ts';

const KEY = DEMO_OPEN311_KEY;
const FORMATS = ['xml', 'json'] as const;
type Fmt = (typeof FORMATS)[number];

let t: TestApp;
let code: string;

const get = (path: string) => fetchOpen311(t.url + path);

function post(path: string, fields: Record<string, string>): Promise<Open311Response> {
  return fetchOpen311(t.url + path, { method: 'POST', body: new URLSearchParams(fields) });
}

const base = (extra: Record<string, string> = {}): Record<string, string> => ({
  api_key: KEY,
  service_code: code,
  address_id: '64.72.02',
  'attribute[classification]': 'pengaduan',
  ...extra,
});

/** Files a request (production unless `endpoint` says test) and returns its id. */
async function create(extra: Record<string, string> = {}, endpoint = 'v2'): Promise<string> {
  const r = await post(`/open311/${endpoint}/requests.json`, base(extra));
  expect(r.status, r.text).toBe(201);
  return r.body[0].service_request_id as string;
}

/** The one item of `requests/{id}` in either format (read with the submitting partner's key). */
async function readBack(id: string, fmt: Fmt, query = `api_key=${KEY}`, endpoint = 'v2'): Promise<any> {
  const r = await get(`/open311/${endpoint}/requests/${id}.${fmt}?${query}`);
  expect(r.status, r.text).toBe(200);
  return fmt === 'json' ? r.body[0] : r.body.service_requests.request;
}

/** The report as the JSON API gives it to the national admin. */
async function report(id: string): Promise<{ title: string; body: string }> {
  const r = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.national) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const chars = (s: string) => [...s].length;

/** The JSON API's limits (docs/api-v1.md): title 5–150, body 20–10,000 characters. */
function expectWithinLimits(r: { title: string; body: string }) {
  expect(chars(r.title), r.title).toBeGreaterThanOrEqual(5);
  expect(chars(r.title), r.title).toBeLessThanOrEqual(150);
  expect(chars(r.body), r.body).toBeGreaterThanOrEqual(20);
  expect(chars(r.body), r.body).toBeLessThanOrEqual(10_000);
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  code = serviceCode((await get('/open311/v2/services.json')).body);
});
afterAll(() => t?.close());

describe('description: optional (§6), read back as sent, the report within the JSON API limits (M7)', () => {
  it('no description: 201; read back as ""; the report has a title and a body within the limits', async () => {
    const id = await create();
    for (const fmt of FORMATS) expect(await readBack(id, fmt)).toMatchObject({ description: '' });
    const r = await report(id);
    expectWithinLimits(r);
    expect(r.body).toContain('Open311');
    // Public too, once verified: still "" and never the service name.
    const v = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: Number(code), agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    for (const fmt of FORMATS) expect((await readBack(id, fmt, '')).description).toBe('');
  });

  it('a 1-character or short description: read back exactly; the stored report stays within the limits', async () => {
    for (const description of ['x', 'Jalan rusak.', 'Lampu\nmati']) {
      const id = await create({ description });
      for (const fmt of FORMATS) expect((await readBack(id, fmt)).description).toBe(description);
      const r = await report(id);
      expectWithinLimits(r);
      expect(r.body.startsWith(description)).toBe(true);
    }
  });

  it('a description of 20 characters or more is stored as sent; a short first line does not make the title', async () => {
    const description = 'Hi\nJalan berlubang besar di depan pasar Segiri.';
    const id = await create({ description });
    const r = await report(id);
    expect(r.body).toBe(description);
    expectWithinLimits(r);
    expect(r.title).toBe('Hi Jalan berlubang besar di depan pasar Segiri.');
    expect((await readBack(id, 'json')).description).toBe(description);
  });

  it('attribute[judul] shorter than 5 characters → 400 naming it; 5 characters make the title', async () => {
    for (const fmt of FORMATS) {
      const r = await post(`/open311/v2/requests.${fmt}`, base({ 'attribute[judul]': 'abc' }));
      expect(r.status, r.text).toBe(400);
      expect(r.text).toContain('attribute[judul]: ');
    }
    const id = await create({ 'attribute[judul]': 'Jalan' });
    expect((await report(id)).title).toBe('Jalan');
  });

  it('the test endpoint reads back "" for no description too', async () => {
    const id = await create({}, 'test/v2');
    for (const fmt of FORMATS) expect((await readBack(id, fmt, '', 'test/v2')).description).toBe('');
  });
});

describe('one zone per request (LOW 3)', () => {
  it('a WITA request with no agency: items, notes, updates and the sandbox all answer +08:00', async () => {
    const id = await create({ description: 'Saluran air tersumbat di Jalan Juanda, Samarinda.' });
    const offsets: string[] = [];
    for (const fmt of FORMATS) {
      const item = await readBack(id, fmt, `api_key=${KEY}&extensions=true`);
      offsets.push(item.requested_datetime, item.updated_datetime, item.expected_datetime);
      const notes = fmt === 'json' ? item.notes : [item.notes.note].flat();
      expect(notes.length).toBeGreaterThan(0);
      offsets.push(...notes.map((n: any) => n.datetime));
      const u = await get(`/open311/v2/servicerequestupdates.${fmt}?api_key=${KEY}`);
      expect(u.status, u.text).toBe(200);
      const updates = (
        fmt === 'json' ? u.body : [u.body.service_request_updates.request_update].flat()
      ).filter((x: any) => x.service_request_id === id);
      expect(updates.length).toBeGreaterThan(0);
      offsets.push(...updates.map((x: any) => x.updated_datetime));
    }
    const sandbox = await create(
      { description: 'Saluran air tersumbat di Jalan Juanda, Samarinda.' },
      'test/v2',
    );
    for (const fmt of FORMATS) {
      const item = await readBack(sandbox, fmt, '', 'test/v2');
      offsets.push(item.requested_datetime, item.updated_datetime);
    }
    for (const o of offsets) expect(o).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  });
});

describe('W3C dates (LOW 5)', () => {
  it('impossible dates and times, and times without a zone → 400 naming the parameter', async () => {
    const bad = [
      'start_date=2026-02-30T00:00:00Z',
      'start_date=2026-02-29T00:00:00Z',
      'start_date=2026-13-01T00:00:00Z',
      'start_date=2026-02-30',
      'start_date=2026-03-01T24:00:00Z',
      'start_date=2026-03-01T10:60:00Z',
      'start_date=2026-03-01T10:00:00',
      'start_date=2026-03-01T10:00:00%2B15:00',
      'end_date=2026-04-31T00:00:00%2B08:00',
      'updated_after=2026-02-30T00:00:00Z',
    ];
    for (const q of bad) {
      for (const fmt of FORMATS) {
        const r = await get(`/open311/v2/requests.${fmt}?${q}`);
        expect(r.status, `${q} → ${r.text}`).toBe(400);
        expect(r.text).toContain(`${q.split('=')[0]}: `);
      }
      const u = await get(
        `/open311/v2/servicerequestupdates.json?${q.replace(/^updated_after/, 'start_date')}`,
      );
      expect(u.status, `${q} → ${u.text}`).toBe(400);
    }
    // POST servicerequestupdates: updated_datetime without a zone is refused too.
    const r = await post('/open311/v2/servicerequestupdates.json', {
      api_key: KEY,
      service_request_id: '1234567890',
      update_id: 'zone-less',
      status: 'OPEN',
      description: 'Kapan ditangani?',
      updated_datetime: '2026-03-12T10:00:00',
    });
    expect(r.status, r.text).toBe(400);
    expect(r.text).toContain('updated_datetime');
  });

  it('updated_before earlier than updated_after → 400 naming updated_before, never an empty list', async () => {
    for (const fmt of FORMATS) {
      const r = await get(
        `/open311/v2/requests.${fmt}?updated_after=2026-03-12T00:00:00Z&updated_before=2026-03-01T00:00:00Z`,
      );
      expect(r.status, r.text).toBe(400);
      expect(r.text).toContain('updated_before: ');
      expect(r.text).toContain('updated_before must not be before updated_after');
    }
    // The same instant at both ends is a valid (empty or not) window.
    const same = await get(
      '/open311/v2/requests.json?updated_after=2026-03-12T00:00:00Z&updated_before=2026-03-12T07:00:00%2B07:00',
    );
    expect(same.status, same.text).toBe(200);
  });

  it('real dates with a zone (also without seconds or with a fraction) and a date alone (00:00 WIB) are accepted', async () => {
    // 2026-03-11T17:30Z is 00:30 on 12 March in WIB: a date alone must include it (it would not as UTC midnight).
    t.setNow(new Date('2026-03-11T17:30:00Z'));
    const id = await create({ description: 'Lampu penerangan jalan padam sejak kemarin malam.' });
    t.setNow(new Date('2026-03-12T02:00:00Z'));
    for (const q of [
      'start_date=2026-03-12',
      'start_date=2026-03-12T00:00%2B07:00',
      'start_date=2026-03-11T17:00:00.000Z',
      'start_date=2026-03-11T17:00:00Z&end_date=2026-03-13',
    ]) {
      const r = await get(`/open311/v2/requests.json?${q}&api_key=${KEY}`);
      expect(r.status, `${q} → ${r.text}`).toBe(200);
      expect(
        r.body.map((i: any) => i.service_request_id),
        q,
      ).toContain(id);
    }
    // A date alone is the instant 00:00 WIB for end_date too: end_date=2026-03-12 ends before 00:30 WIB.
    const before = await get(`/open311/v2/requests.json?end_date=2026-03-12&api_key=${KEY}`);
    expect(before.status).toBe(200);
    expect(before.body.map((i: any) => i.service_request_id)).not.toContain(id);
    const after = await get(
      `/open311/v2/requests.json?start_date=2026-03-13&end_date=2026-03-14&api_key=${KEY}`,
    );
    expect(after.status).toBe(200);
    expect(after.body.map((i: any) => i.service_request_id)).not.toContain(id);
  });
});

describe('service_request_id overrides every other argument (§8, LOW 6)', () => {
  it('invalid filters, dates and paging next to the ids are ignored', async () => {
    const id = await create({ description: 'Trotoar ambles di depan sekolah dasar negeri.' });
    const noise = [
      'status=bogus',
      'service_code=abc',
      'start_date=2026-02-30T00:00:00Z',
      'end_date=kemarin',
      'updated_after=x',
      'bbox=1,2,3',
      'lat=100',
      'radius=0',
      'page=0',
      'page_size=5000',
    ].join('&');
    for (const fmt of FORMATS) {
      const r = await get(`/open311/v2/requests.${fmt}?service_request_id=${id}&${noise}&api_key=${KEY}`);
      expect(r.status, r.text).toBe(200);
      const list = fmt === 'json' ? r.body : [r.body.service_requests.request].flat();
      expect(list.map((i: any) => i.service_request_id)).toEqual([id]);
    }
    // Without the ids the same arguments are refused.
    expect((await get(`/open311/v2/requests.json?${noise}`)).status).toBe(400);
  });
});

describe('value types (LOW 11)', () => {
  it('lat/long without float noise; extended_attributes.support_count is a number in JSON', async () => {
    const id = await create({
      address_id: '',
      lat: '-0.5265249999999999',
      long: '117.1277250000000001',
      description: 'Pohon tumbang menutup jalan di dekat jembatan.',
    });
    await t.runtime.services.db.execute(sql`update reports set support_count = 3 where tracking_id = ${id}`);
    const j = await readBack(id, 'json', `api_key=${KEY}&extensions=true`);
    expect(j.lat).toBe('-0.526525');
    expect(j.long).toBe('117.127725');
    expect(j.extended_attributes.support_count).toBe(3);
    const x = await get(`/open311/v2/requests/${id}.xml?api_key=${KEY}&extensions=true`);
    expect(x.text).toContain('<lat>-0.526525</lat><long>117.127725</long>');
    expect(x.text).toContain('<support_count>3</support_count>');
    const sandbox = await create(
      { address_id: '', lat: '-0.5265249999999999', long: '117.1277250000000001' },
      'test/v2',
    );
    const s = await readBack(sandbox, 'json', '', 'test/v2');
    expect([s.lat, s.long]).toEqual(['-0.526525', '117.127725']);
  });
});

describe('coordinates on POST (§6: WGS84 decimal degrees)', () => {
  it('hex, binary or octal lat/long → 400 naming each, as the filters answer; decimal and exponent forms file', async () => {
    for (const fmt of FORMATS) {
      for (const [lat, long] of [
        ['0x0', '0x74'],
        ['-0b1', '0o164'],
      ] as const) {
        const r = await post(`/open311/v2/requests.${fmt}`, base({ address_id: '', lat, long }));
        expect(r.status, r.text).toBe(400);
        expect(r.text).toContain('lat: ');
        expect(r.text).toContain('long: ');
      }
    }
    const id = await create({ address_id: '', lat: '-1.2654e0', long: '+116.8312' });
    const item = await readBack(id, 'json');
    expect([item.lat, item.long]).toEqual(['-1.2654', '116.8312']);
  });
});

describe('reporter contact (the JSON API rules, ReporterSchema)', () => {
  it('a phone that cannot be dialled or an invalid or over-long email → 400 naming it; nothing is filed', async () => {
    const count = async () =>
      Number(
        ((await t.runtime.services.db.execute(sql`select count(*)::int as n from reports`)) as any).rows[0].n,
      );
    const before = await count();
    for (const fmt of FORMATS) {
      for (const [field, value, key] of [
        ['phone', 'abc', /Nomor telepon tidak valid/],
        ['phone', '12-34', /Nomor telepon tidak valid/],
        ['phone', '0812'.repeat(80), /Nomor telepon tidak valid/],
        ['email', 'warga@contoh', /email/i],
        ['email', `${'a'.repeat(200)}@contoh.aduan.id`, /200/],
      ] as const) {
        const r = await post(`/open311/v2/requests.${fmt}`, base({ [field]: value }));
        expect(r.status, `${field}=${value}: ${r.text}`).toBe(400);
        expect(r.text).toContain(`${field}: `);
        expect(r.text).toMatch(key);
      }
    }
    expect(await count()).toBe(before);
    // Numbers as people write them are accepted, as on the web form and the JSON API.
    for (const phone of ['081234567890', '+62 812-3456-7890', '(0541) 7654321'])
      await create({ phone, email: 'warga@contoh.aduan.id' });
  });
});
