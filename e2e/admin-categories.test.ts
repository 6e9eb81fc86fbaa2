/**
 * The category list (`/kantor/admin/kategori`) in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa,
 * wcag22aa) in Bahasa Indonesia and English on the national admin's search results, a middle page of the list
 * (previous and next links), an empty result, a rename page opened from a search, and the demo coordinator's
 * read-only list and search; then without JavaScript: the coordinator searches and pages through the results, and
 * the national admin deactivates a category from a search page and lands on the same search.
 * Screenshots: tmp/screenshots/admin-categories/.
 */
import { describe, expect, it } from 'vitest';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  type TestBrowser,
  withAppAndBrowser,
} from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('the category list in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`search, paging, empty result and the read-only view have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.national);
      const open = async (path: string, label: string) => {
        const res = await page.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(res?.status(), label).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await expectA11y(page, `${lang} ${label}`);
      };
      await open('/kantor/admin/kategori?q=j%C3%A1lan', 'search results');
      expect(await page.locator('tr[data-category]').count()).toBeGreaterThan(1);
      expect(await page.locator('tr[data-category] .row-actions form').count()).toBeGreaterThan(1);
      await screenshot(page, 'admin-categories', `${lang}-search`);
      await open('/kantor/admin/kategori?page=2', 'middle page');
      expect(await page.locator('tr[data-category]').count()).toBe(50);
      expect(await page.locator('nav.pagination a[rel="prev"]').count()).toBe(1);
      expect(await page.locator('nav.pagination a[rel="next"]').count()).toBe(1);
      await open('/kantor/admin/kategori?q=zzqqxx&status=nonaktif', 'empty result');
      expect(await page.locator('[data-empty]').count()).toBe(1);
      expect(await page.locator('table').count()).toBe(0);
      await screenshot(page, 'admin-categories', `${lang}-empty`);
      // The rename page opened from a search keeps it in its back link.
      await page.goto(`${t.url}/kantor/admin/kategori?q=bendungan&lang=${lang}`);
      await Promise.all([page.waitForNavigation(), page.click('tr[data-category] .row-actions a')]);
      expect(new URL(page.url()).searchParams.get('q')).toBe('bendungan');
      expect(await page.getAttribute('a.back-link', 'href')).toBe('/kantor/admin/kategori?q=bendungan');
      await expectA11y(page, `${lang} rename page from a search`);
      await ctx.close();

      const cctx = await b.context();
      const cp = await cctx.newPage();
      await signInPage(cp, t.url, DEMO.coordinator);
      for (const [label, path] of [
        ['coordinator read-only list', '/kantor/admin/kategori'],
        ['coordinator search', '/kantor/admin/kategori?q=JALAN&status=aktif'],
      ] as const) {
        const res = await cp.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(res?.status(), label).toBe(200);
        expect(await cp.locator('[data-read-only]').count()).toBe(1);
        expect(await cp.locator('main form[method="post"]').count()).toBe(0);
        expect(await cp.locator('tr[data-category]').count()).toBeGreaterThan(0);
        await expectA11y(cp, `${lang} ${label}`);
      }
      await screenshot(cp, 'admin-categories', `${lang}-coordinator`);
      await cctx.close();
    }, 180_000);
  }

  it('without JavaScript: the coordinator searches and pages, the admin toggles and returns to the search', async () => {
    const cctx = await b.context({ javaScriptEnabled: false });
    const cp = await cctx.newPage();
    await signInPage(cp, t.url, DEMO.coordinator);
    await cp.goto(`${t.url}/kantor/admin/kategori`);
    await cp.fill('#f-q', 'an');
    await cp.selectOption('#f-status', 'aktif');
    await Promise.all([cp.waitForNavigation(), cp.click('form[role="search"] button[type="submit"]')]);
    const url = new URL(cp.url());
    expect(url.pathname).toBe('/kantor/admin/kategori');
    expect(url.searchParams.get('q')).toBe('an');
    expect(url.searchParams.get('status')).toBe('aktif');
    expect(await cp.locator('[data-showing]').textContent()).toMatch(/^Menampilkan 1–50 dari \d+ kategori/);
    await Promise.all([cp.waitForNavigation(), cp.click('nav.pagination a[rel="next"]')]);
    const next = new URL(cp.url());
    expect(next.searchParams.get('q')).toBe('an');
    expect(next.searchParams.get('page')).toBe('2');
    expect(await cp.locator('[data-showing]').textContent()).toMatch(/^Menampilkan 51–/);
    await cctx.close();

    const nctx = await b.context({ javaScriptEnabled: false });
    const np = await nctx.newPage();
    await signInPage(np, t.url, DEMO.national);
    await np.goto(`${t.url}/kantor/admin/kategori?q=bendungan`);
    const row = np.locator('tr[data-category]').first();
    const id = await row.getAttribute('data-category');
    await Promise.all([np.waitForNavigation(), row.locator('form button[type="submit"]').click()]);
    const back = new URL(np.url());
    expect(back.pathname).toBe('/kantor/admin/kategori');
    expect(back.searchParams.get('q')).toBe('bendungan');
    expect(await np.locator('.notice-ok').textContent()).toBe('Perubahan tersimpan.');
    expect(await np.locator(`tr[data-category="${id}"]`).textContent()).toContain('Nonaktif');
    await nctx.close();
  });
});
