/**
 * The report form's "where" step in chromium: a click on the optional outline map fills latitude/longitude and
 * also the region selects (province and kab/kota from the server's point-in-polygon lookup; a different kab/kota
 * refills the kecamatan choices and empties the desa ones), announced in a status message; zero axe violations
 * after the fill; without JavaScript the map slot stays hidden and the selects are the server's.
 * Screenshots: tmp/screenshots/report-map/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestApp } from '../test/helpers/app.ts';
import { kabKotaAt } from '../src/queries/boundaries.ts';
import {
  checkA11y,
  HAS_CHROMIUM,
  screenshot,
  type TestBrowser,
  withAppAndBrowser,
} from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;

async function choose(page: Page, select: string, value: string) {
  await page.selectOption(select, value);
  await Promise.all([page.waitForNavigation(), page.click('button[name="_refresh"]')]);
}

async function openMap(page: Page) {
  await page.click('details[data-point] summary');
  await page.waitForSelector('[data-region-map] svg path');
}

/** Clicks the map at a longitude/latitude (through the SVG's own transform). */
async function clickAt(page: Page, lon: number, lat: number) {
  await page.locator('[data-region-map] svg').scrollIntoViewIfNeeded();
  const at = await page.evaluate(
    ([x, y]) => {
      const svg = document.querySelector('[data-region-map] svg') as SVGSVGElement;
      const p = svg.createSVGPoint();
      p.x = x!;
      p.y = y!;
      const s = p.matrixTransform(svg.getScreenCTM()!);
      return { x: s.x, y: s.y };
    },
    [lon * 1000, -lat * 1000],
  );
  await page.mouse.click(at.x, at.y);
}

/** A point inside `kode` and inside the map's current frame (searched on a grid over the viewBox). */
async function pointIn(page: Page, kode: string): Promise<[number, number]> {
  const vb = (await page.getAttribute('[data-region-map] svg', 'viewBox'))!.split(' ').map(Number);
  const [x, y, w, h] = vb as [number, number, number, number];
  for (let i = 2; i < 20; i++)
    for (let j = 2; j < 20; j++) {
      const lon = (x + (w * i) / 21) / 1000;
      const lat = -(y + (h * j) / 21) / 1000;
      if (kabKotaAt(lon, lat)?.properties.kode === kode) return [lon, lat];
    }
  throw new Error(`no point of ${kode} in the frame`);
}

describe.skipIf(!HAS_CHROMIUM)('report form map fills the region selects', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  it('a click fills province and kab/kota; another kab/kota refills the kecamatan choices', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lapor/lokasi`);
    await choose(page, '#f-prov', '64');
    expect(await page.inputValue('#f-kab')).toBe('');
    await openMap(page); // the whole province
    const [lon, lat] = await pointIn(page, '64.72');
    await clickAt(page, lon, lat);
    await expect.poll(() => page.inputValue('#f-kab')).toBe('64.72');
    expect(await page.inputValue('#f-prov')).toBe('64');
    expect(Number(await page.inputValue('#f-lat'))).toBeCloseTo(lat, 2);
    expect(await page.textContent('[data-map-status]')).toMatch(/Samarinda/i);
    const v = await checkA11y(page);
    expect(v, JSON.stringify(v, null, 1)).toEqual([]);
    await screenshot(page, 'report-map', 'province-click');

    // With a kab/kota and a kecamatan chosen, a click in the neighbouring kab/kota changes both levels.
    await choose(page, '#f-kab', '64.72');
    const kec = await page.locator('#f-kec option').nth(1).getAttribute('value');
    await choose(page, '#f-kec', kec!);
    expect(await page.locator('#f-desa option').count()).toBeGreaterThan(1);
    await openMap(page);
    const [lon2, lat2] = await pointIn(page, '64.02');
    await clickAt(page, lon2, lat2);
    await expect.poll(() => page.inputValue('#f-kab')).toBe('64.02');
    expect(await page.inputValue('#f-kec')).toBe('');
    const kecs = await page
      .locator('#f-kec option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(kecs.length).toBeGreaterThan(2);
    expect(kecs.slice(1).every((c) => c.startsWith('64.02.'))).toBe(true);
    expect(await page.locator('#f-desa option').count()).toBe(1);
    // The filled selects are what the form sends: the next step stores them.
    await Promise.all([page.waitForNavigation(), page.click('button[name="_refresh"]')]);
    expect(await page.inputValue('#f-kab')).toBe('64.02');
    await ctx.close();
  }, 120_000);

  it('without JavaScript nothing changes: the map slot stays hidden, the selects are the server-side ones', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lapor/lokasi`);
    await choose(page, '#f-prov', '64');
    await page.click('details[data-point] summary');
    expect(await page.locator('[data-region-map]').isVisible()).toBe(false);
    expect(await page.locator('[data-region-map] svg').count()).toBe(0);
    expect(await page.inputValue('#f-kab')).toBe('');
    expect(await page.textContent('[data-map-status]')).toBe('');
    await ctx.close();
  });
});
