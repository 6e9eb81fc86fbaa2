/**
 * The back-office queue's search form in chromium (docs/back-office.md "Search and export"):
 *
 * - zero axe violations (wcag2a, wcag2aa, wcag21aa, wcag22aa), in id and en, at 360 px, on the queue with the form
 *   opened, on search results with their export links, and on the form with field messages (a date range backwards),
 *   with nothing wider than the screen;
 * - with JavaScript disabled a unit officer opens the form, types words and picks a status, submits, gets the
 *   results with the filters kept, and then types a tracking number with spaces and lands on the report;
 * - the national admin's long grouped lists (categories with subcategories, kab/kota by province, agencies by
 *   province): zero axe violations; with JavaScript each list's search box narrows its options, without it the box
 *   stays hidden, picking a province in its group still searches, and then its kab/kota are offered.
 * Screenshots: tmp/screenshots/queue-search/.
 */
import { describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, submitReport, type TestApp } from '../test/helpers/app.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  withAppAndBrowser,
  type TestBrowser,
} from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

const LANGS = ['id', 'en'] as const;
const WORD = 'Markersaring';

let t: TestApp;
let b: TestBrowser;
const made = { unit: '', top: '' };

describe.skipIf(!HAS_CHROMIUM)('queue search form in the browser', () => {
  withAppAndBrowser((app, browser) => {
    t = app;
    b = browser;
  });

  it('files the reports it searches for', async () => {
    const categoryId = await categoryIdByName(t);
    const coord = await t.login(DEMO.coordinator);
    const pupr = await t.login(DEMO.puprAdmin);
    made.unit = await submitReport(t, `Jalan ${WORD} berlubang dekat pasar`, { anonymous: true });
    await actOk(t, made.unit, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    await actOk(t, made.unit, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });
    made.top = await submitReport(t, `Drainase ${WORD} tersumbat`, { anonymous: true });
    await actOk(t, made.top, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  });

  it('has zero axe violations at 360 px in id and en: the form, results and field messages', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 800 });
    await signInPage(page, t.url, DEMO.coordinator);
    const fits = async (label: string) =>
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${label}: page wider than 360 px`,
      ).toBeLessThanOrEqual(360);
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor?lang=${lang}`);
      await page.click('details.queue-search > summary');
      expect(await page.locator('details.queue-search').getAttribute('open')).not.toBeNull();
      await expectA11y(page, `queue with the search form open (${lang})`);
      await fits(`form (${lang})`);
      await screenshot(page, 'queue-search', `form-${lang}`);

      await page.goto(`${t.url}/kantor?q=${WORD}&instansi=pupr-kaltim&lang=${lang}`);
      expect(await page.locator('table.queue-table a[href^="/kantor/laporan/"]').count()).toBe(2);
      expect(await page.locator('a[href^="/kantor/cari.csv"]').count()).toBe(1);
      await expectA11y(page, `search results (${lang})`);
      await fits(`results (${lang})`);
      await screenshot(page, 'queue-search', `results-${lang}`);

      await page.goto(`${t.url}/kantor?q=${WORD}&dari=2026-03-10&sampai=2026-03-01&lang=${lang}`);
      expect(await page.locator('.error-summary a[href="#f-dari"]').count()).toBe(1);
      expect(await page.locator('#f-dari').getAttribute('aria-invalid')).toBe('true');
      await expectA11y(page, `field messages (${lang})`);
      await fits(`errors (${lang})`);
      await screenshot(page, 'queue-search', `errors-${lang}`);
    }
    await ctx.close();
  });

  it('works without JavaScript: filter, keep the filters, jump by tracking number', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 800 });
    await signInPage(page, t.url, DEMO.puprOfficer);
    await page.goto(`${t.url}/kantor`);
    await page.click('details.queue-search > summary');
    await page.fill('#f-q', WORD);
    await page.selectOption('#f-status', 'dispatched');
    await Promise.all([page.waitForNavigation(), page.click('form.queue-search-form button')]);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/kantor');
    expect(url.searchParams.get('q')).toBe(WORD);
    expect(url.searchParams.get('status')).toBe('dispatched');
    // The unit officer finds its unit's report, not the one still at the agency's top.
    const listed = await page.locator('table.queue-table a[href^="/kantor/laporan/"]').allTextContents();
    expect(listed).toEqual([made.unit]);
    expect(await page.locator('h2').first().textContent()).toBe('Hasil pencarian');
    expect(await page.inputValue('#f-q')).toBe(WORD);

    await page.fill('#f-q', `${made.unit.slice(0, 5)} ${made.unit.slice(5)}`);
    await page.selectOption('#f-status', '');
    await Promise.all([page.waitForNavigation(), page.click('form.queue-search-form button')]);
    expect(new URL(page.url()).pathname).toBe(`/kantor/laporan/${made.unit}`);
    await ctx.close();
  });

  it('the national admin: grouped lists without axe violations, a search box with JavaScript only', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    await page.goto(`${t.url}/kantor?q=${WORD}`);
    expect(await page.locator('#f-wilayah optgroup').count()).toBeGreaterThanOrEqual(34);
    expect(await page.locator('#f-instansi optgroup').count()).toBeGreaterThanOrEqual(2);
    await expectA11y(page, 'national admin search form with grouped lists');
    expect(await page.locator('#f-wilayah-filter').isVisible()).toBe(true);
    // The kab/kota of a province are listed once it is chosen (the national list holds the provinces only).
    await page.goto(`${t.url}/kantor?q=${WORD}&wilayah=64`);
    await page.fill('#f-wilayah-filter', 'Balikpapan');
    const shown = await page
      .locator('#f-wilayah option:not([hidden])')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(shown).toEqual(['64.71']);
    await ctx.close();

    const noJs = await b.context({ javaScriptEnabled: false });
    const p2 = await noJs.newPage();
    await signInPage(p2, t.url, DEMO.national);
    await p2.goto(`${t.url}/kantor?q=${WORD}`);
    expect(await p2.locator('#f-wilayah-filter').isVisible()).toBe(false);
    await p2.selectOption('#f-wilayah', '64');
    await Promise.all([p2.waitForNavigation(), p2.click('form.queue-search-form button')]);
    expect(new URL(p2.url()).searchParams.get('wilayah')).toBe('64');
    const listed = await p2.locator('table.queue-table a[href^="/kantor/laporan/"]').allTextContents();
    expect(listed.sort()).toEqual([made.unit, made.top].sort());
    // Then its kab/kota are offered: one more search narrows to one.
    await p2.selectOption('#f-wilayah', '64.72');
    await Promise.all([p2.waitForNavigation(), p2.click('form.queue-search-form button')]);
    expect(new URL(p2.url()).searchParams.get('wilayah')).toBe('64.72');
    const inCity = await p2.locator('table.queue-table a[href^="/kantor/laporan/"]').allTextContents();
    expect(inCity.sort()).toEqual([made.unit, made.top].sort());
    await noJs.close();
  });
});
