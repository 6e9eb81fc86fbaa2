/**
 * Response compression over real HTTP: public pages, the journey's category step, the stylesheet, the public API
 * and Open311 are compressed for a client that accepts it; responses that hold a secret (a signed-in session's
 * pages, tracking pages with an access key, the journey's contact/check/confirmation steps) never are (BREACH).
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { signInWeb, WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** A raw GET (no automatic decompression): status, content-encoding, vary and the bytes on the wire. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; encoding: string | undefined; vary: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          vary: res.headers.vary,
          bytes: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const cookieHeader = (c: WebClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('response compression', () => {
  it('compresses the public pages, the stylesheet and the public API for a client that accepts it', async () => {
    const plain = await rawGet('/laporan');
    expect(plain.encoding).toBeUndefined();
    const gz = await rawGet('/laporan', { 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.encoding).toBe('gzip');
    expect(gz.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gz.bytes).toString('utf8')).toBe(plain.bytes.toString('utf8'));
    expect(gz.bytes.length).toBeLessThan(plain.bytes.length / 2);

    const css = await rawGet('/static/app.css', { 'accept-encoding': 'br, gzip' });
    expect(css.encoding).toBe('br');
    expect(brotliDecompressSync(css.bytes).toString('utf8')).toContain('.notice-ok');

    const api = await rawGet('/api/v1/categories', { 'accept-encoding': 'gzip' });
    expect(api.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(api.bytes).toString('utf8')).items.length).toBeGreaterThan(10);
  });

  it('compresses the category step, and not the steps that show the reporter’s own details', async () => {
    const c = new WebClient(t.url);
    for (const [step, form] of [
      ['jenis', { classification: 'pengaduan' }],
      [
        'kejadian',
        {
          title: 'Lampu jalan padam',
          body: 'Lampu penerangan jalan di depan sekolah padam sejak seminggu, jalan gelap.',
          occurredOn: '',
        },
      ],
      ['lokasi', { prov: '64', kab: '64.72', kec: '', desa: '', address: '' }],
    ] as const) {
      expect((await c.post(`/lapor/${step}`, form)).status).toBe(303);
    }
    const headers = { cookie: cookieHeader(c), 'accept-encoding': 'gzip' };
    const kategori = await rawGet('/lapor/kategori', headers);
    expect(kategori.status).toBe(200);
    expect(kategori.encoding).toBe('gzip');
    expect(gunzipSync(kategori.bytes).toString('utf8')).toContain('name="categoryId"');
    const kontak = await rawGet('/lapor/kontak', headers);
    expect(kontak.status).toBe(200);
    expect(kontak.encoding).toBeUndefined();
    expect(kontak.bytes.toString('utf8')).toContain('name="phone"');
  });

  it('never compresses a signed-in session’s pages or a page with an access key', async () => {
    const staff = await signInWeb(t.url, DEMO.national);
    const signedIn = await rawGet('/laporan', { cookie: cookieHeader(staff), 'accept-encoding': 'gzip' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.encoding).toBeUndefined();
    expect(signedIn.bytes.toString('utf8')).toContain('name="_csrf"');

    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jalan berlubang di depan pasar',
        body: 'Jalan berlubang besar di depan pasar membahayakan pengendara motor setiap malam.',
        regionCode: '64.72.02',
        reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const report = r.body as { trackingId: string; accessKey: string };
    const track = await rawGet(`/lacak/${report.trackingId}?k=${encodeURIComponent(report.accessKey)}`, {
      'accept-encoding': 'gzip',
    });
    expect(track.status).toBe(200);
    expect(track.encoding).toBeUndefined();
    const api = await rawGet(`/api/v1/reports/${report.trackingId}`, {
      'x-access-key': report.accessKey,
      'accept-encoding': 'gzip',
    });
    expect(api.status).toBe(200);
    expect(api.encoding).toBeUndefined();
  });
});
