/**
 * The account pages of the users administration in chromium: zero axe-core violations on the users list with the
 * invitation link shown once (no email transport), the deactivated-accounts filter, and a user page with the deactivate
 * and reactivate forms, and the national admin's grant form (agencies grouped by kind, which kinds each role fits, a
 * misfit's field error), in Bahasa Indonesia and English. The forms are plain POST forms (no script needed; the HTTP
 * tests in src/http/staff/admin-users-accounts.test.ts submit them as a browser without JavaScript would).
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import { expectA11y, HAS_CHROMIUM, type TestBrowser, withAppAndBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;

/** Clicks a submit button and waits for the page it leads to. */
async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('account administration pages in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`invitation link, filters and deactivation have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.puprAdmin);
      await page.goto(`${t.url}/kantor/admin/pengguna?lang=${lang}`);
      await page.fill('#f-name', `Petugas Tautan ${lang}`);
      await page.fill('#f-email', `tautan.${lang}@contoh.aduan.id`);
      await page.selectOption('#f-role', 'officer');
      await page.selectOption('#f-agencyId', 'pupr-kaltim-unit');
      expect(await page.locator('#f-agencyId optgroup').count()).toBeGreaterThan(0);
      expect(await page.locator('#f-role-fits li').count()).toBe(2);
      await submit(page, '#h-invite ~ form button[type=submit]');
      expect(await page.textContent('[data-testid="invite-link"]')).toContain('/undangan?token=');
      await expectA11y(page, `${lang} users with the invitation link`);

      const { rows } = (await t.runtime.services.db.execute(
        sql`select id from users where email = ${DEMO.puprOfficer}`,
      )) as unknown as { rows: Array<{ id: string }> };
      const userPath = `/kantor/admin/pengguna/${rows[0]!.id}`;
      await page.goto(`${t.url}${userPath}?lang=${lang}`);
      await expectA11y(page, `${lang} user page`);
      await submit(page, '#h-account ~ form button[type=submit]');
      expect(page.url()).toContain(`${userPath}?selesai=1`);
      await expectA11y(page, `${lang} user page, deactivated`);
      await page.goto(`${t.url}/kantor/admin/pengguna?tampil=nonaktif&lang=${lang}`);
      expect(await page.content()).toContain(DEMO.puprOfficer);
      await expectA11y(page, `${lang} deactivated accounts`);
      await page.goto(`${t.url}${userPath}?lang=${lang}`);
      await submit(page, '#h-account ~ form button[type=submit]');
      expect(await page.content()).not.toContain('(nonaktif)');
      await ctx.close();
    });

    it(`the national admin's grant form, grouped by kind with the role guidance, has zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.national);
      await page.goto(`${t.url}/kantor/admin/pengguna?lang=${lang}`);
      const groups = await page
        .locator('#f-agencyId optgroup')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
      expect(groups).toContain(lang === 'id' ? 'Perangkat daerah' : 'Perangkat daerah (regional office)');
      expect(groups).toContain('Ombudsman');
      expect(await page.locator('#f-role-fits li[data-role="coordinator"]').count()).toBe(1);
      await expectA11y(page, `${lang} users page with the grouped grant form`);
      // A misfit is still refused with a field error next to the agency.
      await page.fill('#f-name', `Koordinator Salah ${lang}`);
      await page.fill('#f-email', `salah.${lang}@contoh.aduan.id`);
      await page.selectOption('#f-role', 'coordinator');
      await page.selectOption('#f-agencyId', 'dishub-kaltim');
      await submit(page, '#h-invite ~ form button[type=submit]');
      expect(await page.locator('#f-agencyId').getAttribute('aria-invalid')).toBe('true');
      await expectA11y(page, `${lang} grant form with a misfit error`);
      await ctx.close();
    });
  }
});
