/**
 * The holiday calendar of a year the SKB has not set yet, in chromium (zero axe-core violations, id and en): the
 * "load the holidays for 2027" button before loading, then the year with its predictions marked "perkiraan" and
 * their confirm actions, the notice after loading and after confirming one. The load and the confirmation are done
 * in a context with JavaScript disabled (plain POST forms); axe runs in one with it on. Screenshots:
 * tmp/screenshots/admin/.
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

describe.skipIf(!HAS_CHROMIUM)('holiday predictions on the calendar page in chromium', () => {
  // The test database holds no 2027 holidays (its snapshot is seeded with the confirmed years only).
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  it('loads 2027 without JavaScript and shows the predictions (id), then confirms one (en)', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    const noJs = await b.context({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await signInPage(plain, t.url, DEMO.national);

    await page.goto(`${t.url}/kantor/admin/kalender?tahun=2027&lang=id`);
    expect(await page.locator('#h-load-year').textContent()).toBe('Muat hari libur 2027');
    await expectA11y(page, 'id calendar 2027 before loading');

    await plain.goto(`${t.url}/kantor/admin/kalender?tahun=2027&lang=id`);
    await Promise.all([plain.waitForNavigation(), plain.click('#h-load-year ~ form button[type="submit"]')]);
    expect(await plain.locator('.notice-ok').textContent()).toContain(
      '19 ditambahkan, 11 di antaranya perkiraan',
    );
    await page.goto(plain.url());
    expect(await page.locator('.notice-ok').textContent()).toContain(
      '19 ditambahkan, 11 di antaranya perkiraan',
    );
    expect(await page.locator('td .tag-yellow').count()).toBe(11);
    expect(await page.locator('td .tag-yellow').first().textContent()).toBe('perkiraan');
    await expectA11y(page, 'id calendar 2027 with predictions');
    await screenshot(page, 'admin', 'id-calendar-predictions');

    await page.goto(`${t.url}/kantor/admin/kalender?tahun=2027&lang=en`);
    expect(await page.locator('td .tag-yellow').first().textContent()).toBe('prediction');
    await expectA11y(page, 'en calendar 2027 with predictions');
    await plain.goto(`${t.url}/kantor/admin/kalender?tahun=2027&lang=en`);
    const confirmOne = plain.locator(
      'form[action^="/kantor/admin/kalender/konfirmasi"]:has(input[value="2027-01-05"])',
    );
    expect(await confirmOne.count()).toBe(1);
    await Promise.all([plain.waitForURL(/dikonfirmasi=1/), confirmOne.locator('button').click()]);
    expect(await plain.locator('.notice-ok').textContent()).toContain('Confirmed as set by the SKB: 1.');
    await page.goto(plain.url());
    expect(await page.locator('td .tag-yellow').count()).toBe(10);
    await expectA11y(page, 'en calendar 2027 after confirming one');
    await screenshot(page, 'admin', 'en-calendar-predictions');
    await ctx.close();
    await noJs.close();
  });
});
