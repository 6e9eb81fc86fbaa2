/**
 * CORS over real HTTP (src/http/plugins/cors.ts, docs/api-v1.md "Cross-origin reads", docs/open311.md): the keyless
 * public reads answer `Access-Control-Allow-Origin: *` (never with credentials), errors included, and their
 * preflights 204; writes, keyed reads, cookie- and bearer-authenticated staff routes and pages get no CORS header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { DEMO_OPEN311_KEY } from '../../../../test/global-setup.ts';
import { isCorsPublicUrl } from '../../plugins/cors.ts';

const ORIGIN = 'https://kota.example';
let t: TestApp;
let publicId: string;
let privateId: string;
let accessKey: string;

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.url + path, { headers: { origin: ORIGIN, ...headers } });
}

function preflight(path: string, method = 'GET', requestHeaders?: string): Promise<Response> {
  return fetch(t.url + path, {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': method,
      ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
    },
  });
}

function expectCors(res: Response, what: string): void {
  expect(res.headers.get('access-control-allow-origin'), what).toBe('*');
  expect(res.headers.get('access-control-allow-credentials'), what).toBeNull();
  expect(res.headers.get('access-control-expose-headers'), what).toMatch(/ETag/);
}

function expectNoCors(res: Response, what: string): void {
  for (const h of [
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-allow-methods',
    'access-control-expose-headers',
  ])
    expect(res.headers.get(h), `${what}: ${h}`).toBeNull();
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  publicId = await submitReport(t, 'Lampu jalan mati di depan sekolah dasar', { anonymous: true });
  await actOk(t, publicId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Saluran air tersumbat di gang mawar',
      body: 'Saluran air di gang mawar tersumbat sampah sejak seminggu, air meluap ke rumah warga.',
      regionCode: '64.72.02',
      anonymous: true,
    },
  });
  expect(r.status).toBe(201);
  privateId = r.body.trackingId;
  accessKey = r.body.accessKey;
});
afterAll(() => t?.close());

describe('CORS on the keyless public reads', () => {
  it('answers Access-Control-Allow-Origin: * without credentials on every public read', async () => {
    for (const path of [
      '/open311/discovery.json',
      '/open311/discovery.xml',
      '/open311/v2/services.json',
      '/open311/v2/services.xml',
      '/open311/v2/requests.json',
      `/open311/v2/requests/${publicId}.xml`,
      '/open311/v2/servicerequestupdates.json',
      '/open311/test/v2/services.json',
      '/open311/test/v2/requests.xml',
      '/api/v1/open-data/reports.json',
      '/api/v1/open-data/reports.csv',
      '/api/v1/open-data/dictionary',
      '/api/v1/stats?groupBy=agency',
      '/api/v1/stats.csv',
      '/api/v1/stats.xlsx',
      '/api/v1/reports',
      '/api/v1/reports?status=dispatched&page=1',
      `/api/v1/reports/${publicId}`,
      `/api/v1/reports/${publicId}/events`,
      '/api/v1/similar?title=Lampu%20jalan%20mati&body=Lampu%20jalan%20mati%20di%20depan%20sekolah&regionCode=64.72',
      '/api/v1/agencies',
      '/api/v1/categories',
      '/api/v1/regions?parent=64',
      '/api/v1/holidays?year=2026',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expectCors(res, path);
      await res.arrayBuffer();
    }
  });

  it('also on errors, 404s and 304s, so a page can read why', async () => {
    for (const [path, status] of [
      ['/api/v1/reports?status=bogus', 422],
      ['/api/v1/reports/0000000000', 404],
      [`/api/v1/reports/${privateId}`, 404],
      ['/api/v1/open-data/snapshots/latest', 404],
      ['/api/v1/open-data/snapshots/abc', 422],
      ['/open311/v2/requests/0000000000.json', 404],
      ['/open311/v2/services/no-such-code.xml', 404],
      ['/api/v1/stats?groupBy=nonsense', 422],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expectCors(res, path);
      await res.arrayBuffer();
    }
    const first = await get('/open311/v2/services.json');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    await first.arrayBuffer();
    const again = await get('/open311/v2/services.json', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expectCors(again, '304');
  });

  it('answers a preflight for a public read with 204 and the allowed methods and headers', async () => {
    for (const path of [
      '/open311/v2/requests.xml',
      '/open311/discovery.json',
      '/open311/test/v2/services.json',
      '/api/v1/open-data/reports.csv',
      '/api/v1/stats',
      '/api/v1/reports',
      `/api/v1/reports/${publicId}`,
      '/api/v1/similar?title=x',
    ]) {
      const res = await preflight(path, 'GET', 'if-none-match, accept-language');
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
      expect(res.headers.get('access-control-allow-methods'), path).toBe('GET, HEAD, OPTIONS');
      const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const h of ['if-none-match', 'accept-language']) expect(allowed, path).toContain(h);
      // No header that carries a credential passes the preflight.
      for (const h of ['authorization', 'x-api-key', 'x-access-key', 'cookie'])
        expect(allowed).not.toContain(h);
      expect(res.headers.get('access-control-max-age')).toBe('86400');
      expect(await res.text()).toBe('');
    }
  });
});

describe('no CORS elsewhere', () => {
  it('refuses preflights for writes (public paths included) and for non-public paths', async () => {
    for (const [path, method] of [
      ['/api/v1/reports', 'POST'],
      [`/api/v1/reports/${publicId}/actions/support`, 'POST'],
      ['/open311/v2/requests.json', 'POST'],
      ['/open311/v2/servicerequestupdates.xml', 'POST'],
      ['/api/v1/auth/login', 'POST'],
      ['/api/v1/auth/me', 'GET'],
      ['/api/v1/notifications', 'GET'],
      ['/api/v1/routing/accuracy', 'GET'],
      [`/api/v1/reports/${publicId}/similar`, 'GET'],
      ['/kantor', 'GET'],
    ] as const) {
      const res = await preflight(path, method, 'content-type');
      expect(res.status, `${method} ${path}`).not.toBe(204);
      expectNoCors(res, `preflight ${method} ${path}`);
      await res.arrayBuffer();
    }
  });

  it('sends no CORS header on writes, with a bearer token or an API key', async () => {
    const coord = await t.login(DEMO.coordinator);
    const submit = await fetch(`${t.url}/api/v1/reports`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${coord}` },
      body: JSON.stringify({
        classification: 'aspirasi',
        title: 'Usulan taman bermain anak di kelurahan',
        body: 'Mohon dibangun taman bermain anak di lahan kosong dekat kantor kelurahan kami.',
        regionCode: '64.72.02',
        anonymous: true,
      }),
    });
    expect(submit.status).toBe(201);
    expectNoCors(submit, 'POST /api/v1/reports with bearer');
    const hold = await fetch(`${t.url}/api/v1/reports/${privateId}/actions/hold`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${coord}` },
      body: JSON.stringify({ question: 'Mohon lampirkan foto saluran yang tersumbat.' }),
    });
    expect(hold.status).toBe(200);
    expectNoCors(hold, 'staff action with bearer');
    const bad = await fetch(`${t.url}/api/v1/reports`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(422);
    expectNoCors(bad, 'rejected write');
    const form = new URLSearchParams({
      api_key: DEMO_OPEN311_KEY,
      service_code: '25',
      address_id: '64.72.02',
      'attribute[classification]': 'pengaduan',
      description: 'Tes CORS: jalan berlubang di depan pasar.',
    });
    const o311 = await fetch(`${t.url}/open311/test/v2/requests.json`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(o311.status).toBeLessThan(500);
    expectNoCors(o311, 'Open311 POST');
    await o311.arrayBuffer();
  });

  it('sends no CORS header on keyed reads, staff reads, the session and pages', async () => {
    const coord = await t.login(DEMO.coordinator);
    for (const [path, headers] of [
      [`/open311/v2/requests.json?api_key=${DEMO_OPEN311_KEY}`, {}],
      [`/open311/v2/requests/${publicId}.json?api_key=${DEMO_OPEN311_KEY}&extensions=true`, {}],
      [`/api/v1/reports/${privateId}?k=${encodeURIComponent(accessKey)}`, {}],
      ['/api/v1/auth/me', { authorization: `Bearer ${coord}` }],
      ['/api/v1/notifications', { authorization: `Bearer ${coord}` }],
      ['/api/v1/routing/accuracy', { authorization: `Bearer ${coord}` }],
      [`/api/v1/reports/${publicId}/similar`, { authorization: `Bearer ${coord}` }],
      [`/api/v1/reports/${publicId}/suggestions`, { authorization: `Bearer ${coord}` }],
      ['/api/docs/json', {}],
      ['/kantor', {}],
      ['/masuk', {}],
      ['/', {}],
      ['/healthz', {}],
      ['/metrics', {}],
    ] as const) {
      const res = await get(path, headers);
      expect(res.status, path).toBeLessThan(500);
      expectNoCors(res, path);
      await res.arrayBuffer();
    }
  });
});

describe('isCorsPublicUrl', () => {
  it('matches the public read paths only, and no URL carrying a key', () => {
    for (const url of [
      '/open311/discovery.json',
      '/open311/v2/tokens/abc.json',
      '/open311/test/v2/requests/1234567890.xml?extensions=true',
      '/api/v1/open-data/snapshots/latest.sha256',
      '/api/v1/stats.xlsx?groupBy=region',
      '/api/v1/reports?status=completed',
      '/api/v1/reports/1234567890/events?lang=en',
      '/api/v1/similar?title=x&api_key=',
    ])
      expect(isCorsPublicUrl(url), url).toBe(true);
    for (const url of [
      '/open311/discovery.html',
      '/open311/v2',
      '/open311/v3/services.json',
      '/open311/v2/requests.json?api_key=k',
      '/api/v1/reports/1234567890?k=secret',
      '/api/v1/reports/1234567890/attachments/x',
      '/api/v1/reports/1234567890/similar',
      '/api/v1/reports/1234567890/actions/support',
      '/api/v1/statsx',
      '/api/v1/stats/extra',
      '/api/v1/auth/me',
      '/api/v1/evaluation/periods',
      '/kantor',
    ])
      expect(isCorsPublicUrl(url), url).toBe(false);
  });
});
