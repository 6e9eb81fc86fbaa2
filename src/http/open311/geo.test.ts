/**
 * Open311 GET requests: the geographic filters (`bbox`, `lat`+`long`+`radius`; docs/open311.md) and the read
 * cache (ETag/304, Cache-Control, the in-process cache of keyless answers and its invalidation), over real
 * HTTP in XML and JSON. Privacy: confidential reports never match, anonymous reporters are never exposed,
 * and coordinates are output exactly as the plain reads already output them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, xmlParser, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { serviceCode } from '../../../test/helpers/open311.ts';
import { haversineMetres } from '../../domain/open311/geo.ts';

const KEY = 'demo-open311-key';
const NOW = new Date('2026-03-12T02:00:00Z');
/** Balikpapan city centre; the other points are offsets from it. */
const CENTRE = { lat: -1.2654, long: 116.8312 };
const FORMATS = ['json', 'xml'] as const;
type Fmt = (typeof FORMATS)[number];

let c: ChannelTestApp;
let code: string;
/** Tracking ids by role. */
const ids = {} as Record<'a' | 'north300' | 'east2k' | 'secret' | 'anon' | 'noPoint' | 'unverified', string>;

async function get(path: string, headers: Record<string, string> = {}, app = c) {
  const res = await fetch(app.url + path, { headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text && type.includes('json') ? JSON.parse(text) : text ? xmlParser.parse(text) : undefined,
  };
}

/** The request items of a JSON or XML list. */
function items(fmt: Fmt, body: any): any[] {
  if (fmt === 'json') return body;
  const r = body?.service_requests?.request;
  return r === undefined ? [] : Array.isArray(r) ? r : [r];
}

async function list(query: string, fmt: Fmt = 'json', app = c) {
  const r = await get(`/open311/v2/requests.${fmt}?${query}`, {}, app);
  expect(r.status, r.text).toBe(200);
  return items(fmt, r.body);
}

async function create(extra: Record<string, string>, app = c): Promise<string> {
  const p = new URLSearchParams({
    api_key: KEY,
    service_code: code,
    description: 'Lampu jalan padam di simpang empat.',
    'attribute[classification]': 'pengaduan',
    ...extra,
  });
  const res = await fetch(`${app.url}/open311/v2/requests.json`, { method: 'POST', body: p });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text)[0].service_request_id;
}

async function verify(id: string, app = c) {
  const r = await app.t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { categoryId: Number(code), agencyId: 'pupr-kaltim' },
    token: await app.t.login(DEMO.national),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A point `north` and `east` metres from the centre. */
const at = (north: number, east: number) => ({
  lat: String(CENTRE.lat + north / 111_195),
  long: String(CENTRE.long + east / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180))),
});

const WHO = {
  first_name: 'Wulan',
  last_name: 'Rahasiani',
  email: 'wulan.r@contoh.aduan.id',
  phone: '081255501234',
};

async function seed(app: ChannelTestApp) {
  const made = {} as typeof ids;
  made.a = await create({ ...at(0, 0), description: 'Titik pusat GEO-A.' }, app);
  made.north300 = await create({ ...at(300, 0), description: 'Tiga ratus meter ke utara GEO-N.' }, app);
  made.east2k = await create({ ...at(0, 2000), description: 'Dua kilometer ke timur GEO-E.' }, app);
  made.secret = await create(
    { ...at(50, 50), 'attribute[rahasia]': 'true', description: 'Pungli di loket GEO-RAHASIA.' },
    app,
  );
  made.anon = await create({ ...at(-100, 100), ...WHO, 'attribute[anonim]': 'true' }, app);
  made.noPoint = await create({ address_id: '64.71', description: 'Tanpa titik GEO-X.' }, app);
  made.unverified = await create({ ...at(10, 10), description: 'Belum diverifikasi GEO-U.' }, app);
  for (const k of ['a', 'north300', 'east2k', 'secret', 'anon', 'noPoint'] as const)
    await verify(made[k], app);
  return made;
}

beforeAll(async () => {
  c = await startChannelApp(NOW);
  const services = (await get('/open311/v2/services.json')).body;
  code = serviceCode(services);
  Object.assign(ids, await seed(c));
}, 600_000);
afterAll(() => c?.close());

const centreQ = `lat=${CENTRE.lat}&long=${CENTRE.long}`;

describe('lat + long + radius', () => {
  it('returns exactly the public requests within the radius (exact distance), in XML and JSON', async () => {
    for (const fmt of FORMATS) {
      const got = await list(`${centreQ}&radius=500&page_size=1000`, fmt);
      const found = new Set(got.map((i) => i.service_request_id));
      expect(found.has(ids.a) && found.has(ids.north300) && found.has(ids.anon), fmt).toBe(true);
      for (const out of [ids.east2k, ids.secret, ids.noPoint, ids.unverified])
        expect(found.has(out)).toBe(false);
      for (const i of got)
        expect(haversineMetres(CENTRE.lat, CENTRE.long, Number(i.lat), Number(i.long))).toBeLessThanOrEqual(
          500,
        );
    }
    // 300 m north is outside a 250 m circle; 2 km east is inside a 2.5 km one.
    const small = (await list(`${centreQ}&radius=250`)).map((i) => i.service_request_id);
    expect(small).toContain(ids.a);
    expect(small).not.toContain(ids.north300);
    expect((await list(`${centreQ}&radius=2500`)).map((i) => i.service_request_id)).toContain(ids.east2k);
  });

  it('without radius uses 1000 m', async () => {
    const got = (await list(centreQ)).map((i) => i.service_request_id);
    expect(got).toEqual(expect.arrayContaining([ids.a, ids.north300]));
    expect(got).not.toContain(ids.east2k);
  });

  it('pages inside the filtered set, newest first, combined with the other filters', async () => {
    const all = (await list(`${centreQ}&radius=2500&status=open`)).map((i) => i.service_request_id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const second = await list(`${centreQ}&radius=2500&status=open&page=2&page_size=1`);
    expect(second.map((i) => i.service_request_id)).toEqual([all[1]]);
    const closed = await list(`${centreQ}&radius=2500&status=closed`);
    expect(closed.every((i) => i.status === 'closed')).toBe(true);
    expect(closed.map((i) => i.service_request_id)).not.toContain(ids.a);
    expect(await list(`${centreQ}&radius=2500&service_code=999999`)).toEqual([]);
  });

  it('a small area read cell by cell (grid index) lists and pages exactly like the plain range', async () => {
    // 2100 m spans 25 grid cells (read cell by cell and merged); 2500 m spans more (one lat/long range).
    const wide = await list(`${centreQ}&radius=2500`);
    const expected = wide
      .filter((i) => haversineMetres(CENTRE.lat, CENTRE.long, Number(i.lat), Number(i.long)) <= 2100)
      .map((i) => i.service_request_id);
    expect(expected).toEqual(expect.arrayContaining([ids.a, ids.north300, ids.east2k, ids.anon]));
    const cells = (await list(`${centreQ}&radius=2100`)).map((i) => i.service_request_id);
    expect(cells).toEqual(expected);
    const paged: string[] = [];
    for (let page = 1; page <= expected.length + 1; page++)
      paged.push(
        ...(await list(`${centreQ}&radius=2100&page=${page}&page_size=1`)).map((i) => i.service_request_id),
      );
    expect(paged).toEqual(expected);
  });

  it('service_request_id ignores the geographic filters too (item 22)', async () => {
    const got = await list(`service_request_id=${ids.east2k}&${centreQ}&radius=10`);
    expect(got.map((i) => i.service_request_id)).toEqual([ids.east2k]);
  });
});

describe('bbox', () => {
  it('returns the public requests inside min_long,min_lat,max_long,max_lat', async () => {
    const p = at(400, 400);
    const q = at(-400, -400);
    const bbox = `${q.long},${q.lat},${p.long},${p.lat}`;
    for (const fmt of FORMATS) {
      const got = await list(`bbox=${bbox}`, fmt);
      const found = got.map((i) => i.service_request_id);
      expect(found).toEqual(expect.arrayContaining([ids.a, ids.north300, ids.anon]));
      for (const out of [ids.east2k, ids.secret, ids.noPoint, ids.unverified])
        expect(found).not.toContain(out);
      for (const i of got) {
        expect(Number(i.lat)).toBeGreaterThanOrEqual(Number(q.lat));
        expect(Number(i.lat)).toBeLessThanOrEqual(Number(p.lat));
        expect(Number(i.long)).toBeGreaterThanOrEqual(Number(q.long));
        expect(Number(i.long)).toBeLessThanOrEqual(Number(p.long));
      }
    }
    // bbox and a circle together: both must hold.
    expect((await list(`bbox=${bbox}&${centreQ}&radius=200`)).map((i) => i.service_request_id)).toEqual(
      expect.arrayContaining([ids.a, ids.anon]),
    );
    expect((await list(`bbox=${bbox}&${centreQ}&radius=200`)).map((i) => i.service_request_id)).not.toContain(
      ids.north300,
    );
  });
});

describe('bad geographic values → 400 with an errors body in the requested format, in both languages', () => {
  const cases: Array<[string, string]> = [
    ['bbox=1,2,3', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['bbox=117,-1,116,0', 'bbox'],
    ['bbox=116,-95,117,0', 'bbox'],
    [`lat=${CENTRE.lat}`, 'long'],
    [`long=${CENTRE.long}`, 'lat'],
    ['lat=abc&long=116', 'lat'],
    ['lat=-91&long=116', 'lat'],
    ['lat=0&long=181', 'long'],
    [`${centreQ}&radius=0`, 'radius'],
    [`${centreQ}&radius=100001`, 'radius'],
    [`${centreQ}&radius=dekat`, 'radius'],
    ['radius=500', 'radius'],
  ];
  it.each(cases)('%s → 400 (%s)', async (query, field) => {
    const json = await get(`/open311/v2/requests.json?${query}`);
    expect(json.status).toBe(400);
    expect(json.body[0].code).toBe(400);
    expect(json.body[0].description).toMatch(new RegExp(`^${field}: `));
    const en = await get(`/open311/v2/requests.json?${query}`, { 'accept-language': 'en' });
    expect(en.body[0].description).toMatch(new RegExp(`^${field}: `));
    expect(en.body[0].description).not.toBe(json.body[0].description);
    const xml = await get(`/open311/v2/requests.xml?${query}`);
    expect(xml.status).toBe(400);
    expect(xml.text).toContain('<errors><error><code>400</code><description>');
  });

  it('empty geographic parameters behave like absent ones (item 30)', async () => {
    const plain = (await list('page_size=1000')).map((i) => i.service_request_id);
    const empty = (await list('page_size=1000&bbox=&lat=&long=&radius=')).map((i) => i.service_request_id);
    expect(empty).toEqual(plain);
  });
});

describe('privacy', () => {
  it('a confidential report never matches, even exactly at its point; an unverified one only for its partner', async () => {
    const p = at(50, 50);
    for (const fmt of FORMATS) {
      for (const q of [
        `lat=${p.lat}&long=${p.long}&radius=1`,
        `bbox=${Number(p.long) - 0.0001},${Number(p.lat) - 0.0001},${Number(p.long) + 0.0001},${Number(p.lat) + 0.0001}`,
      ]) {
        const r = await get(`/open311/v2/requests.${fmt}?${q}&extensions=true`);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(ids.secret);
        expect(r.text).not.toContain('GEO-RAHASIA');
      }
    }
    const u = at(10, 10);
    const near = `lat=${u.lat}&long=${u.long}&radius=5`;
    expect((await list(near)).map((i) => i.service_request_id)).not.toContain(ids.unverified);
    expect((await list(`${near}&api_key=${KEY}`)).map((i) => i.service_request_id)).toContain(ids.unverified);
  });

  it('an anonymous reporter is never exposed; coordinates are those the plain reads already output', async () => {
    for (const fmt of FORMATS) {
      for (const key of ['', `&api_key=${KEY}`]) {
        const r = await get(`/open311/v2/requests.${fmt}?${centreQ}&radius=500&extensions=true${key}`);
        expect(r.status).toBe(200);
        expect(r.text).toContain(ids.anon);
        for (const v of Object.values(WHO)) expect(r.text).not.toContain(v);
        expect(r.text).not.toContain('wulan');
        const geoItem = items(fmt, r.body).find((i) => i.service_request_id === ids.anon);
        const plain = await get(`/open311/v2/requests/${ids.anon}.${fmt}?extensions=true${key}`);
        const plainItem = items(fmt, plain.body)[0];
        expect(geoItem).toEqual(plainItem);
        expect([geoItem.lat, geoItem.long]).toEqual([plainItem.lat, plainItem.long]);
      }
    }
  });
});

describe('HTTP caching', () => {
  it('every read carries an ETag; If-None-Match answers 304 without a body; keyed reads are private', async () => {
    const first = await get(`/open311/v2/requests.json?${centreQ}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(`/open311/v2/requests.json?${centreQ}`, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const other = await get(`/open311/v2/requests.json?${centreQ}`, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.text).toBe(first.text);
    // Caching is off by default (buildApp): revalidate every time.
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const keyed = await get(`/open311/v2/requests.json?${centreQ}&api_key=${KEY}`);
    expect(keyed.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('discovery and servicerequestupdates carry an ETag and Cache-Control too; keyed updates are private', async () => {
    for (const fmt of FORMATS) {
      for (const [path, cacheControl] of [
        [`/open311/discovery.${fmt}`, 'no-cache'],
        [`/open311/v2/servicerequestupdates.${fmt}`, 'no-cache'],
        [`/open311/v2/servicerequestupdates.${fmt}?api_key=${KEY}`, 'private, no-cache'],
        [`/open311/test/v2/servicerequestupdates.${fmt}`, 'no-cache'],
      ] as const) {
        const first = await get(path);
        expect(first.status, path).toBe(200);
        expect(first.headers.get('cache-control'), path).toBe(cacheControl);
        const etag = first.headers.get('etag');
        expect(etag, path).toMatch(/^"[\w-]+"$/);
        const again = await get(path, { 'if-none-match': etag! });
        expect(again.status, path).toBe(304);
        expect(again.text).toBe('');
      }
      // D6 still holds for the discovery documents.
      expect((await get(`/open311/discovery.${fmt}`)).headers.get('content-type')).toBe(
        fmt === 'xml' ? 'text/xml' : 'application/json',
      );
    }
  });
});

describe('in-process cache of keyless answers (listCacheSeconds, changes)', () => {
  let cached: ChannelTestApp;
  let made: typeof ids;
  const heard: string[] = [];
  const onChange: Array<() => void> = [];
  let unlisten: (() => Promise<void>) | undefined;
  /** Waits until every notification sent so far reached the app (they arrive in order). */
  async function settled() {
    const mark = `sentinel-${heard.length}-${Math.random()}`;
    await cached.t.runtime.services.db.execute(sql`select pg_notify('outbox', ${mark})`);
    await vi.waitFor(() => expect(heard).toContain(mark), { timeout: 10_000 });
  }
  beforeAll(async () => {
    cached = await startChannelApp(NOW, {
      open311: {
        readsPerMinute: 1_000_000,
        writesPerMinute: 1_000_000,
        listCacheSeconds: 30,
        // The app subscribes while it is built; the database listener is attached right after.
        changes: async (fn) => {
          onChange.push(fn);
          return async () => undefined;
        },
      },
    });
    unlisten = await cached.t.runtime.database.listen('outbox', (payload) => {
      heard.push(payload);
      for (const fn of onChange) fn();
    });
    const services = (await get('/open311/v2/services.json', {}, cached)).body;
    code = serviceCode(services);
    made = await seed(cached);
    await settled();
  }, 600_000);
  afterAll(async () => {
    await unlisten?.();
    await cached?.close();
  });

  const db = () => cached.t.runtime.services.db;

  it('serves identical keyless reads from the cache for listCacheSeconds; keyed reads are never cached', async () => {
    const q = `/open311/v2/requests.json?${centreQ}&radius=500`;
    const first = await get(q, {}, cached);
    expect(first.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=30');
    expect(first.text).toContain('Titik pusat GEO-A.');
    // A change that sends no notification (no report event): the cached answer stays until it expires…
    await db().execute(sql`update reports set body = 'Diubah GEO-A2.' where tracking_id = ${made.a}`);
    const hit = await get(`${q}&jurisdiction_id=kaltimprov.go.id&lang=en`, {}, cached);
    expect(hit.text).toBe(first.text);
    expect(hit.headers.get('etag')).toBe(first.headers.get('etag'));
    // …while a keyed read is computed fresh…
    const keyed = await get(`${q}&api_key=${KEY}`, {}, cached);
    expect(keyed.headers.get('cache-control')).toBe('private, no-cache');
    expect(keyed.text).toContain('Diubah GEO-A2.');
    // …and so is any other query.
    expect((await get(`${q}&page_size=999`, {}, cached)).text).toContain('Diubah GEO-A2.');
    // Once expired, the old answer is served while one refresh runs (stale-while-revalidate)…
    cached.t.setNow(new Date(NOW.getTime() + 31_000));
    expect((await get(q, {}, cached)).text).toBe(first.text);
    // …and the refreshed one follows.
    await expect.poll(async () => (await get(q, {}, cached)).text).toContain('Diubah GEO-A2.');
  });

  it('a report turned confidential leaves every cached public answer at once (report event → NOTIFY)', async () => {
    const q = `/open311/v2/requests.xml?${centreQ}&radius=500&extensions=true`;
    const byId = `/open311/v2/requests/${made.north300}.json`;
    expect((await get(q, {}, cached)).text).toContain(made.north300);
    expect((await get(byId, {}, cached)).status).toBe(200);
    const r = await cached.t.api(`/api/v1/reports/${made.north300}/privacy`, {
      json: { confidential: true },
      token: await cached.t.login(DEMO.national),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The notification arrives at commit (PGlite) or just after it (PostgreSQL, another connection).
    await expect.poll(async () => (await get(q, {}, cached)).text).not.toContain(made.north300);
    expect((await get(byId, {}, cached)).status).toBe(404);
    expect((await get(q, {}, cached)).text).not.toContain('Tiga ratus meter');
  });
});
