/**
 * Citizen and public pages on a cheap phone (fresh-eyes QA): at 360 CSS px wide no public page scrolls sideways
 * (WCAG 1.4.10 reflow): a wide data table scrolls inside its own labelled, focusable region. In Indonesian
 * and English, zero axe violations on the pages checked. Skips when chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/helpers/app.ts';
import { seedStatsReports } from '../test/helpers/stats-fixture.ts';
import { HAS_CHROMIUM, expectA11y, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('public pages at 360 px', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
    await seedStatsReports(t);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('no page is wider than the screen', async () => {
    b = await launchBrowser();
    for (const lang of ['id', 'en']) {
      const ctx = await b.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'id-ID' });
      const page = await ctx.newPage();
      for (const path of [
        '/',
        '/laporan',
        '/statistik',
        '/statistik/bulanan?bulan=2026-03',
        '/lacak',
        '/lapor/jenis',
      ]) {
        const res = await page.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(res?.status(), path).toBe(200);
        const width = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          screen: document.documentElement.clientWidth,
        }));
        expect(width.page, `${lang} ${path} scrolls sideways`).toBeLessThanOrEqual(width.screen);
        await expectA11y(page, `${lang} ${path}`);
        await screenshot(page, 'citizen-qa', `${lang}${path.replace(/[/?=&]+/g, '-')}`);
      }
      await ctx.close();
    }
  });
});
