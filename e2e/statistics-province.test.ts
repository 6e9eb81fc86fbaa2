/**
 * An unknown province on the public statistics pages (`/statistik?prov=99`), an unknown year (`tahun=1999`) or a
 * period parameter the page does not take (`/statistik/bulanan?tahun=2026`) in a real browser WITHOUT JavaScript:
 * the 422 page says so in the page language, offers the way back to the statistics, and has zero axe violations
 * (WCAG 2.0/2.1/2.2 A and AA), in Bahasa Indonesia and English. Following the link back shows the default province.
 * Skips when chromium is absent.
 */
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../test/helpers/app.ts';
import {
  HAS_CHROMIUM,
  checkA11yWithoutJs,
  screenshot,
  withAppAndBrowser,
  type TestBrowser,
} from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('unknown province or year on the statistics pages (no JavaScript)', () => {
  withAppAndBrowser((app, browser) => {
    t = app;
    b = browser;
  });

  it.each([
    ['id', '/statistik?prov=99', 'Provinsi: Kode provinsi tidak dikenal', 'Ke halaman statistik', 'province'],
    [
      'en',
      '/statistik/bulanan?prov=99',
      'Province: Unknown province code',
      'To the monthly report',
      'province',
    ],
    ['id', '/statistik?tahun=1999', 'Tahun: Tahun tidak tersedia', 'Ke halaman statistik', 'year'],
    [
      'en',
      '/statistik/bulanan?tahun=2026',
      'Year: This parameter is not used here; use bulan.',
      'To the monthly report',
      'year',
    ],
  ] as const)(
    '%s %s: 422 page with the message, a way back, zero axe violations',
    async (lang, path, message, back, what) => {
      const ctx = await b.context({ javaScriptEnabled: false, locale: lang === 'id' ? 'id-ID' : 'en-GB' });
      const page = await ctx.newPage();
      const res = await page.goto(`${t.url}${path}&lang=${lang}`);
      expect(res?.status()).toBe(422);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('main').innerText()).toContain(message);
      const v = await checkA11yWithoutJs(page);
      expect(v, JSON.stringify(v, null, 1)).toEqual([]);
      await screenshot(page, 'statistics', `unknown-${what}-${lang}`);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: back }).click()]);
      expect(new URL(page.url()).pathname).toBe(new URL(t.url + path).pathname);
      expect(await page.locator('h2', { hasText: 'Kalimantan Timur' }).count()).toBeGreaterThan(0);
      await ctx.close();
    },
    120_000,
  );
});
