/**
 * Agency administration in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa, wcag22aa) in Bahasa
 * Indonesia and English on the national admin's agency tree with the "add an agency" form and its error state, an
 * agency page with its facts, the people holding roles and the deactivation confirmation (and its error state), and
 * the Ombudsman office and a ministry's regional office as a regional coordinator sees them (no forms, a note), and
 * the region and time zone form's error state. A top-level agency is added without JavaScript.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
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

describe.skipIf(!HAS_CHROMIUM)('agency administration in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`agency pages and their error states have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.national);
      await page.goto(`${t.url}/kantor/admin/instansi?lang=${lang}`);
      expect(await page.locator('#h-create').count()).toBe(1);
      await expectA11y(page, `${lang} agency tree with the create form`);
      await page.fill('#f-name', 'x');
      await page.fill('#f-regionCode', '99.99');
      await Promise.all([page.waitForNavigation(), page.click('#h-create ~ form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} create error`);
      await screenshot(page, 'admin', `${lang}-agency-create-error`);

      await page.goto(`${t.url}/kantor/admin/instansi/pupr-kaltim-unit?lang=${lang}`);
      expect(await page.locator('[data-staff]').count()).toBe(1);
      await expectA11y(page, `${lang} agency page with staff`);
      await Promise.all([page.waitForNavigation(), page.click('#h-status ~ form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} deactivation needs confirmation`);
      await screenshot(page, 'admin', `${lang}-agency-deactivate-confirm`);

      const coord = await (await b.context()).newPage();
      await signInPage(coord, t.url, DEMO.coordinator);
      await coord.goto(`${t.url}/kantor/admin/instansi/ombudsman-kaltim?lang=${lang}`);
      expect(await coord.locator('[data-national-only]').count()).toBe(1);
      expect(await coord.locator('main form').count()).toBe(0);
      await expectA11y(coord, `${lang} ombudsman office as a coordinator`);

      // The region and time zone form, and its error state.
      await page.goto(`${t.url}/kantor/admin/instansi/pupr-kaltim-unit?lang=${lang}`);
      await page.fill('#f-regionCode', '99.99');
      await Promise.all([page.waitForNavigation(), page.click('#h-region ~ form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.locator('#f-regionCode').getAttribute('aria-invalid')).toBe('true');
      await expectA11y(page, `${lang} region form error`);

      // A ministry's regional office in the coordinator's province: read-only for the coordinator, with a note.
      await page.goto(`${t.url}/kantor/admin/instansi/kemenpanrb?lang=${lang}`);
      await page.fill('#f-childName', `Kantor Wilayah Uji ${lang}`);
      await page.fill('#f-childRegionCode', '64.72');
      await Promise.all([page.waitForNavigation(), page.click('#h-add ~ form button[type="submit"]')]);
      const kanwil = new URL(page.url()).pathname;
      expect(kanwil).toBe(`/kantor/admin/instansi/kemenpanrb-kantor-wilayah-uji-${lang}`);
      await coord.goto(`${t.url}${kanwil}?lang=${lang}`);
      expect(await coord.locator('[data-national-only="central"]').count()).toBe(1);
      expect(await coord.locator('main form').count()).toBe(0);
      await expectA11y(coord, `${lang} ministry office as a coordinator`);
    });
  }

  it('adds a top-level agency and marks a coordinator without JavaScript', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    await page.goto(`${t.url}/kantor/admin/instansi`);
    await page.fill('#f-name', 'Pemerintah Provinsi Kalimantan Utara');
    await page.selectOption('#f-kind', 'pemerintah_provinsi');
    await page.fill('#f-regionCode', '65');
    await page.check('#f-isCoordinator');
    await Promise.all([page.waitForNavigation(), page.click('#h-create ~ form button[type="submit"]')]);
    expect(page.url()).toContain('/kantor/admin/instansi/pemerintah-provinsi-kalimantan-utara');
    expect(await page.locator('.notice-ok').textContent()).toContain('Instansi baru ditambahkan.');
    const { rows } = (await t.runtime.services.db.execute(
      sql`select zone, is_coordinator from agencies where id = 'pemerintah-provinsi-kalimantan-utara'`,
    )) as unknown as { rows: Array<{ zone: string; is_coordinator: boolean }> };
    expect(rows[0]).toEqual({ zone: 'WITA', is_coordinator: true });
    await Promise.all([page.waitForNavigation(), page.click('#h-coordinator ~ form button[type="submit"]')]);
    expect(await page.locator('[data-coordinator]').getAttribute('data-coordinator')).toBe('false');
  });
});
