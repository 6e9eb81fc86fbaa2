/**
 * Bad input on the integration surfaces that the conformance and client tests do not already cover
 * (docs/integrations.md §Bad input): oversized and unsupported media, broken multipart, unsupported and
 * malformed bodies on Open311 POST; malformed integration API bodies. Every answer is a specified 4xx in
 * the surface's own error shape, never a 500, and a refused submission stores nothing (atomic).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_OPEN311_KEY } from '../../../test/global-setup.ts';
import { serviceCode } from '../../../test/helpers/open311.ts';

let t: TestApp;
let code: string;
const count = async () =>
  (
    (await t.runtime.services.db.execute(sql`select count(*)::int as n from reports`)) as unknown as {
      rows: Array<{ n: number }>;
    }
  ).rows[0]!.n;
const fields = () => ({
  api_key: DEMO_OPEN311_KEY,
  service_code: code,
  address_id: '64.72.02',
  description: 'Drainase tersumbat menyebabkan genangan setiap hujan.',
  'attribute[classification]': 'pengaduan',
});
async function post(body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}
function multipart(file: { name: string; data: Uint8Array; type: string }) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields())) fd.append(k, v);
  fd.append('media', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return fd;
}
const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  code = serviceCode(await (await fetch(`${t.url}/open311/v2/services.json`)).json());
});
afterAll(() => t?.close());

describe('Open311 POST: bad bodies and media', () => {
  it('a media file over 10 MB → 413 errors body; nothing stored', async () => {
    const before = await count();
    const big = new Uint8Array(10 * 1024 * 1024 + 10);
    big.set(PNG);
    const r = await post(multipart({ name: 'besar.png', data: big, type: 'image/png' }));
    expect(r.status, r.text).toBe(413);
    expect(JSON.parse(r.text)[0].code).toBe(413);
    expect(await count()).toBe(before);
  });

  it('an unsupported media type (an executable) → 4xx; the report is not half-stored', async () => {
    const before = await count();
    const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, ...new Array(200).fill(0)]);
    const r = await post(multipart({ name: 'foto.jpg', data: exe, type: 'image/jpeg' }));
    expect(r.status, r.text).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(Array.isArray(JSON.parse(r.text))).toBe(true);
    expect(await count()).toBe(before);
    // The same request with a real image is accepted once.
    const ok = await post(multipart({ name: 'foto.png', data: PNG, type: 'image/png' }));
    expect(ok.status, ok.text).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('broken multipart, unsupported content types and malformed JSON/form bodies → 4xx, never 500', async () => {
    const before = await count();
    const cases: Array<[BodyInit, Record<string, string>]> = [
      [
        '--x\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nabc',
        { 'content-type': 'multipart/form-data; boundary=x' },
      ],
      ['service_code=1', { 'content-type': 'multipart/form-data' }],
      ['just some text', { 'content-type': 'text/plain' }],
      ['{"service_code": ', { 'content-type': 'application/json' }],
      ['[1,2,3]', { 'content-type': 'application/json' }],
      ['"a string"', { 'content-type': 'application/json' }],
      ['%%%=%%%&api_key', { 'content-type': 'application/x-www-form-urlencoded' }],
      [
        `api_key=${DEMO_OPEN311_KEY}&service_code=${code}&attribute=plain&address_id=64.72.02`,
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
      [
        `api_key=${DEMO_OPEN311_KEY}&service_code=${code}&address_id=64.72.02&attribute[classification][x]=1`,
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
      ['<service_request><api_key>x</api_key>', { 'content-type': 'text/xml' }],
    ];
    for (const [body, headers] of cases) {
      const r = await post(body, headers);
      expect(r.status, `${headers['content-type']} ${String(body)} → ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${headers['content-type']} ${String(body)} → ${r.text}`).toBeLessThan(500);
    }
    expect(await count()).toBe(before);
  });

  it('deeply nested JSON or XML bodies → 400 errors body in the URL format, never 500 (H1)', async () => {
    const before = await count();
    const depth = 5000;
    const arrays = '['.repeat(depth) + '1' + ']'.repeat(depth);
    const objects = '{"x":'.repeat(depth) + '1' + '}'.repeat(depth);
    const xmlDeep = '<x>'.repeat(depth) + '1' + '</x>'.repeat(depth);
    const valid = JSON.stringify(fields()).slice(1, -1);
    const paths = ['/open311/v2/requests', '/open311/test/v2/requests', '/open311/v2/servicerequestupdates'];
    const bodies: Array<[string, string]> = [
      [`{"x":${arrays}}`, 'application/json'],
      [`{${valid},"x":${arrays}}`, 'application/json'],
      [`{${valid},"attribute":{"rahasia":${arrays}}}`, 'application/json'],
      [`{${valid},"attribute":{"rahasia":{"a":${objects}}}}`, 'application/json'],
      [`{${valid},"description":${objects}}`, 'application/json'],
      [`{"x":${objects}}`, 'application/json'],
      [`<request><api_key>${DEMO_OPEN311_KEY}</api_key>${xmlDeep}</request>`, 'text/xml'],
      [`<request><attribute><rahasia>${xmlDeep}</rahasia></attribute></request>`, 'text/xml'],
    ];
    for (const path of paths) {
      for (const fmt of ['json', 'xml'] as const) {
        for (const [body, type] of bodies) {
          const res = await fetch(`${t.url}${path}.${fmt}`, {
            method: 'POST',
            body,
            headers: { 'content-type': type },
          });
          const text = await res.text();
          const what = `${path}.${fmt} ${type} ${body.slice(0, 60)} → ${text.slice(0, 200)}`;
          expect(res.status, what).toBeGreaterThanOrEqual(400);
          expect(res.status, what).toBeLessThan(500);
          if (fmt === 'json') expect(JSON.parse(text)[0].code, what).toBe(res.status);
          else expect(text, what).toContain(`<errors><error><code>${res.status}</code>`);
        }
        // The audit's exact body: a nested list where a text value belongs is a 400 naming the field.
        const res = await fetch(`${t.url}${path}.${fmt}`, {
          method: 'POST',
          body: `{"x":${arrays}}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('x: ');
      }
    }
    expect(await count()).toBe(before);
  });

  it('unknown service codes and missing locations keep their codes in XML too', async () => {
    const unknown = await fetch(`${t.url}/open311/v2/requests.xml`, {
      method: 'POST',
      body: new URLSearchParams({ ...fields(), service_code: '999999' }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<code>404</code>');
    const { address_id: _drop, ...rest } = fields();
    const nowhere = await fetch(`${t.url}/open311/v2/requests.xml`, {
      method: 'POST',
      body: new URLSearchParams(rest),
    });
    expect(nowhere.status).toBe(400);
  });

  it('a service code written otherwise than listed (leading zero, sign, decimals) is unknown, as D1 strings are', async () => {
    for (const other of [`0${code}`, `+${code}`, `${code}.0`]) {
      const def = await fetch(`${t.url}/open311/v2/services/${encodeURIComponent(other)}.json`);
      expect(def.status, other).toBe(404);
      expect(await def.json()).toEqual([{ code: 404, description: expect.stringContaining('service_code') }]);
      const before = await count();
      const r = await post(new URLSearchParams({ ...fields(), service_code: other }));
      expect(r.status, `${other}: ${r.text}`).toBe(404);
      expect(await count()).toBe(before);
      // As a GET filter it matches nothing (the listed code does).
      const list = await fetch(
        `${t.url}/open311/v2/requests.json?api_key=${DEMO_OPEN311_KEY}&service_code=${encodeURIComponent(other)}`,
      );
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual([]);
    }
    const listed = await fetch(
      `${t.url}/open311/v2/requests.json?api_key=${DEMO_OPEN311_KEY}&service_code=${code}`,
    );
    expect(((await listed.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  it('a known resource asked with another method → 405 with Allow, in the URL format; unknown ones stay 404', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/open311/v2/requests.json', 'GET, HEAD, POST'],
      ['PUT', '/open311/v2/services.xml', 'GET, HEAD'],
      ['POST', '/open311/v2/services/538.json', 'GET, HEAD'],
      ['PATCH', '/open311/test/v2/requests/123.json', 'GET, HEAD'],
      ['POST', '/open311/discovery.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${t.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), path).toBe(allow);
      const text = await res.text();
      if (path.endsWith('.xml')) expect(text).toContain('<code>405</code>');
      else expect(JSON.parse(text)).toEqual([{ code: 405, description: expect.stringContaining(allow) }]);
    }
    const unknown = await fetch(`${t.url}/open311/v2/nothing.json`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
  });
});

describe('Open311 POST bodies that are not UTF-8 (§1: UTF-8 in and out)', () => {
  // One byte per character: \xfc stays the byte 0xFC.
  const raw = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
  const formHead = () =>
    `api_key=${DEMO_OPEN311_KEY}&service_code=${code}&address_id=64.72.02&attribute%5Bclassification%5D=pengaduan`;

  it('a form, JSON or XML body with bytes that are not UTF-8 → 400 errors body; nothing stored', async () => {
    const before = await count();
    const cases: Array<[string, Uint8Array<ArrayBuffer>, string]> = [
      [
        'form, raw byte',
        raw(`${formHead()}&description=Jalan\xfc rusak di depan pasar besar`),
        'application/x-www-form-urlencoded',
      ],
      [
        'form, %FC',
        raw(`${formHead()}&description=Jalan%FC rusak di depan pasar besar`),
        'application/x-www-form-urlencoded; charset=iso-8859-1',
      ],
      [
        'json',
        raw(
          `{"api_key":"${DEMO_OPEN311_KEY}","service_code":"${code}","address_id":"64.72.02","attribute":{"classification":"pengaduan"},"description":"Jalan\xfc rusak di depan pasar besar"}`,
        ),
        'application/json',
      ],
      [
        'xml',
        raw(
          `<request><api_key>${DEMO_OPEN311_KEY}</api_key><service_code>${code}</service_code><address_id>64.72.02</address_id><attribute><classification>pengaduan</classification></attribute><description>Jalan\xfc rusak di depan pasar</description></request>`,
        ),
        'application/xml',
      ],
    ];
    for (const [name, body, type] of cases) {
      const r = await post(body, { 'content-type': type });
      expect(r.status, `${name}: ${r.text}`).toBe(400);
      const errors = JSON.parse(r.text) as Array<{ code: number; description: string }>;
      expect(errors[0]!.code, name).toBe(400);
      expect(errors.map((e) => e.description).join(' '), name).toMatch(/UTF-8/);
    }
    expect(await count()).toBe(before);
  });

  it('the field is named, and a lone % or + in a form body still reads as the WHATWG form decoding does', async () => {
    const bad = await post(raw(`${formHead()}&description=Jalan%FC rusak di depan pasar besar`), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(bad.text).toContain('description: ');
    const ok = await post(
      raw(
        `${formHead()}&description=Diskon+100%+palsu%2C+jalan+%E2%80%93+rusak+%C2%A7%C3%BC&first_name=Budi`,
      ),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(ok.status, ok.text).toBe(201);
    const id = JSON.parse(ok.text)[0].service_request_id as string;
    const back = await fetch(`${t.url}/open311/v2/requests/${id}.json?api_key=${DEMO_OPEN311_KEY}`);
    expect((await back.json())[0].description).toBe('Diskon 100% palsu, jalan – rusak §ü');
  });
});

describe('Open311 XML bodies and servicerequestupdates: bad input', () => {
  const xmlRequest = (doctype: string, description: string) =>
    `<?xml version="1.0"?>${doctype}<request><api_key>${DEMO_OPEN311_KEY}</api_key><service_code>${code}</service_code>` +
    `<address_id>64.72.02</address_id><description>${description}</description>` +
    `<attribute><classification>pengaduan</classification></attribute></request>`;

  it('a DTD (entity bomb, external entity) is a 400 errors body and stores nothing; plain entities still decode', async () => {
    const before = await count();
    const entities = Array.from(
      { length: 8 },
      (_, i) => `<!ENTITY b${i} "${(i ? `&b${i - 1};` : '&a;').repeat(10)}">`,
    ).join('');
    const bomb = xmlRequest(`<!DOCTYPE r [<!ENTITY a "${'x'.repeat(1000)}">${entities}]>`, '&b7;');
    const xxe = xmlRequest('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '&x;');
    for (const body of [bomb, xxe]) {
      const r = await post(body, { 'content-type': 'text/xml' });
      expect(r.status, r.text).toBe(400);
      expect(JSON.parse(r.text)).toEqual([{ code: 400, description: expect.any(String) }]);
    }
    expect(await count()).toBe(before);
    const ok = await post(xmlRequest('', 'Saluran &amp; gorong-gorong &lt;tersumbat&gt;'), {
      'content-type': 'application/xml',
    });
    expect(ok.status, ok.text).toBe(201);
    const id = JSON.parse(ok.text)[0].service_request_id;
    const back = await fetch(`${t.url}/open311/v2/requests/${id}.json?api_key=${DEMO_OPEN311_KEY}`);
    expect(((await back.json()) as any[])[0].description).toBe('Saluran & gorong-gorong <tersumbat>');
  });

  it('servicerequestupdates: malformed bodies, missing fields, unknown ids, oversized text → 4xx errors', async () => {
    const up = async (body: BodyInit, headers: Record<string, string> = {}) => {
      const res = await fetch(`${t.url}/open311/v2/servicerequestupdates.xml`, {
        method: 'POST',
        body,
        headers,
      });
      return { status: res.status, text: await res.text() };
    };
    const valid = {
      api_key: DEMO_OPEN311_KEY,
      service_request_id: '1234567890',
      update_id: 'u-1',
      updated_datetime: '2026-03-12T00:00:00Z',
      status: 'OPEN',
      description: 'Kapan ditangani?',
    };
    const cases: Array<[Promise<{ status: number; text: string }>, number]> = [
      [up('%%%=%%%', { 'content-type': 'application/x-www-form-urlencoded' }), 403],
      [up('<x><api_key>', { 'content-type': 'text/xml' }), 400],
      [up('{"api_key": 1', { 'content-type': 'application/json' }), 400],
      [up(new URLSearchParams({ api_key: DEMO_OPEN311_KEY })), 400],
      [up(new URLSearchParams(valid)), 404],
      [up(new URLSearchParams({ ...valid, description: 'x'.repeat(4001) })), 400],
      [up(new URLSearchParams({ ...valid, status: 'SELESAI' })), 400],
    ];
    for (const [p, status] of cases) {
      const r = await p;
      expect(r.status, r.text).toBe(status);
      expect(r.text).toContain(`<errors><error><code>${status}</code>`);
    }
    const list = await fetch(`${t.url}/open311/v2/servicerequestupdates.json?start_date=kemarin`);
    expect(list.status).toBe(400);
    expect(await list.text()).toContain('start_date');
  });
});

describe('integration API: bad bodies', () => {
  it('malformed or unexpected JSON → 400/422 with bilingual messages; bad ids → 4xx', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const send = (path: string, body: string, method = 'POST') =>
      fetch(`${t.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body,
      });
    for (const [path, body] of [
      ['/api/v1/integrations/webhooks', '{"url":'],
      ['/api/v1/integrations/webhooks', '{"url":"https://x.test/h","events":["dispatched"],"secret":"mine"}'],
      [
        '/api/v1/integrations/webhooks',
        `{"url":"https://x.test/${'a'.repeat(3000)}","events":["dispatched"]}`,
      ],
      ['/api/v1/integrations/webhooks', '{"url":"javascript:alert(1)","events":["dispatched"]}'],
      ['/api/v1/integrations/tokens', '{"name":""}'],
      ['/api/v1/integrations/tokens', '{"name":"x","agencyId":"tidak-ada"}'],
      ['/api/v1/reports/0000000000/forward', '{"peer":"prov-kaltim"}'],
      ['/api/v1/reports/abc/forward', '{"peer":"prov-kaltim"}'],
    ] as const) {
      const r = await send(path, body);
      const j = (await r.json()) as any;
      expect(r.status, `${path} ${body.slice(0, 80)} → ${JSON.stringify(j)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(j.error.translations.en.message).toBeTruthy();
    }
    const del = await fetch(`${t.url}/api/v1/integrations/webhooks/not-a-uuid`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(del.status).toBe(422);
    const missing = await fetch(
      `${t.url}/api/v1/integrations/webhooks/00000000-0000-4000-8000-000000000000/deliveries`,
      {
        headers: { authorization: `Bearer ${admin}` },
      },
    );
    expect(missing.status).toBe(404);
  });
});
