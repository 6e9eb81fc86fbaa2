/**
 * Requests Node refuses before routing (URL and headers over 16 KB) get the caller's error shape: an Open311
 * `errors` body in the URL's format, the JSON envelope elsewhere; never Fastify's own JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  // Node keeps a socket it refused during parsing in the server's list until its periodic check (about a minute), and
  // a graceful close waits for it; `aduan serve` bounds that wait (10 s grace, then closeAllConnections), so do the same.
  t?.app.server.closeAllConnections();
  await t?.close();
});

const ids = Array.from({ length: 3000 }, (_, i) => `LAP-${100000 + i}`).join(',');

describe('a URL over the header limit', () => {
  it('Open311 XML: 431 with an errors body, both languages', async () => {
    const res = await fetch(`${t.url}/open311/v2/requests.xml?service_request_id=${ids}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('<errors><error><code>431</code><description>');
    expect(text).toContain('Alamat atau kepala permintaan terlalu panjang');
    expect(text).toContain('The address or request headers are too long');
  });

  it('Open311 JSON: 431 with an errors list', async () => {
    const res = await fetch(`${t.url}/open311/test/v2/requests.json?service_request_id=${ids}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual([{ code: 431, description: expect.stringContaining(' / ') }]);
  });

  it('a page a browser opens: 431 with the HTML error page, both languages', async () => {
    const res = await fetch(`${t.url}/lacak?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="id"/);
    expect(html).toContain('Alamat atau kepala permintaan terlalu panjang');
    expect(html).toContain('The address or request headers are too long');
    expect(html).toContain('href="/lacak"');
  });

  it('the JSON API: 431 with the error envelope', async () => {
    const res = await fetch(`${t.url}/api/v1/reports?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    const body = await res.json();
    expect(body.error.code).toBe('HEADERS_TOO_LARGE');
    expect(body.error.translations.en.message).toContain('too long');
    // The server goes on answering.
    expect((await fetch(`${t.url}/open311/v2/services.json`)).status).toBe(200);
  });
});

describe('a path with a malformed percent-encoding (%ZZ)', () => {
  it('Open311: 400 with an errors body in the URL’s format', async () => {
    const xml = await fetch(`${t.url}/open311/v2/requests/%ZZ.xml`);
    expect(xml.status).toBe(400);
    expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const text = await xml.text();
    expect(text).toContain('<errors><error><code>400</code><description>');
    expect(text).toContain(' / ');
    const json = await fetch(`${t.url}/open311/v2/services/%E0%A4%A.json`);
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual([{ code: 400, description: expect.stringContaining(' / ') }]);
  });

  it('the JSON API: 400 with the error envelope in both languages', async () => {
    const res = await fetch(`${t.url}/api/v1/reports/%ZZ`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toBe(body.error.translations.en.message);
    expect(body.error.translations.id.message).toBeTruthy();
  });

  it('a page: 400 with the HTML error page', async () => {
    const res = await fetch(`${t.url}/lacak/%ZZ`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toMatch(/^<!doctype html><html lang="id"/);
  });
});
