/**
 * The outline map of the report form's "where" step over real HTTP: an SVG of the province's kab/kota from
 * the bundled boundaries with the chosen one highlighted and a title in the page language; bad codes are a
 * 422, unknown provinces a 404; the point → region lookup behind filling the selects from a click; the step page
 * carries the (hidden) map slot, its status message and the lazily loaded script.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });

describe('report form map', () => {
  it('draws the kab/kota of a province, framing and highlighting the chosen one', async () => {
    const r = await get('/lapor/peta.svg?wilayah=64.72');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('image/svg+xml');
    expect(r.headers.get('cache-control')).toContain('max-age=86400');
    const svg = await r.text();
    expect(svg).toMatch(/^<svg [^>]*viewBox="[-\d. ]+"/);
    expect(svg).toContain('data-k="1000"');
    expect(svg).toMatch(/<path [^>]*data-kode="64\.72"[^>]*class="region-focus"/);
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(5); // the neighbours too
    expect(svg).toMatch(/<title id="region-map-title">Peta [^<]*SAMARINDA[^<]* dan sekitarnya<\/title>/i);
    expect(svg).not.toContain('<script');
    // Samarinda's frame: x (longitude × 1000) around 117 000, y (−latitude × 1000) around 500.
    const [x, y, w, h] = /viewBox="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
    expect(x).toBeGreaterThan(116_500);
    expect(x! + w!).toBeLessThan(117_700);
    expect(y).toBeGreaterThan(0);
    expect(y! + h!).toBeLessThan(1_200);
    const en = await (await get('/lapor/peta.svg?wilayah=64', { cookie: 'lang=en' })).text();
    expect(en).toContain('Map of the kabupaten/kota in the chosen province');
    expect(en).not.toContain('region-focus');
  });

  it('bad input is a clear 4xx, never a 500', async () => {
    expect((await get('/lapor/peta.svg?wilayah=abc')).status).toBe(422);
    expect((await get('/lapor/peta.svg')).status).toBe(422);
    expect((await get('/lapor/peta.svg?wilayah=99')).status).toBe(404);
  });

  it('answers the region of a point (province, kab/kota and their choices); 404 at sea, 422 when malformed', async () => {
    const r = await get('/lapor/wilayah-titik?lat=-0.5&lon=117.15');
    expect(r.status).toBe(200);
    const w = (await r.json()) as any;
    expect(w.prov).toEqual({ code: '64', name: expect.stringMatching(/Kalimantan Timur/i) });
    expect(w.kab).toEqual({ code: '64.72', name: expect.stringMatching(/Samarinda/i) });
    expect(w.kabOptions.map((o: any) => o.value)).toContain('64.02');
    expect(w.kecOptions.length).toBeGreaterThan(3);
    expect(w.kecOptions.every((o: any) => o.value.startsWith('64.72.'))).toBe(true);
    expect((await (await get('/lapor/wilayah-titik?lat=-1.24&lon=116.85')).json()).kab.code).toBe('64.71');
    expect((await get('/lapor/wilayah-titik?lat=-1.5&lon=118.5')).status).toBe(404); // Makassar Strait
    expect((await get('/lapor/wilayah-titik?lat=abc&lon=117')).status).toBe(422);
    expect((await get('/lapor/wilayah-titik?lat=-95&lon=117')).status).toBe(422);
    expect((await get('/lapor/wilayah-titik')).status).toBe(422);
  });

  it('the where step has the hidden map slot and loads map.js only there', async () => {
    const where = await (await get('/lapor/lokasi')).text();
    expect(where).toMatch(/<div class="region-map" data-region-map="true" data-need="[^"]+" hidden>/);
    expect(where).toMatch(/<script src="\/static\/map\.js\?v=[^"]+" defer><\/script>/);
    expect(where).toContain('id="f-lat"');
    expect(where).toMatch(
      /<p class="hint" role="status" data-map-status="true" data-filled="[^"]*\{name\}[^"]*"><\/p>/,
    );
    const what = await (await get('/lapor/kejadian')).text();
    expect(what).not.toContain('map.js');
    const js = await get('/static/map.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeLessThan(4000);
  });
});
