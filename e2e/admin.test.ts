/**
 * Administration and account pages in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa, wcag22aa)
 * on every new page (admin home, agency tree and agency page, users and a user page, categories and a
 * category, the holiday calendar, SLA rules, password change, register, check-your-email, the account page)
 * in Bahasa Indonesia and English, including their error states; a keyboard-only check on the password form
 * (Tab reaches the submit button in order; on error, focus moves to the error summary).
 * Screenshots: tmp/screenshots/admin/.
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

describe.skipIf(!HAS_CHROMIUM)('administration and account pages in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`every admin and account page has zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.national);
      const { rows } = (await t.runtime.services.db.execute(
        sql`select (select id from users where email = ${DEMO.puprOfficer}) as uid, (select min(id) from categories) as cid`,
      )) as unknown as { rows: Array<{ uid: string; cid: number }> };
      const user = { id: rows[0]!.uid };
      const catId = rows[0]!.cid;
      const pages: Array<[string, string]> = [
        ['admin home', '/kantor/admin'],
        ['agency tree', '/kantor/admin/instansi'],
        ['agency page', '/kantor/admin/instansi/pupr-kaltim'],
        ['users', '/kantor/admin/pengguna'],
        ['user page', `/kantor/admin/pengguna/${user.id}`],
        ['categories', '/kantor/admin/kategori'],
        ['category page', `/kantor/admin/kategori/${catId}`],
        ['calendar', '/kantor/admin/kalender'],
        ['sla', '/kantor/admin/sla'],
        ['password', '/kantor/kata-sandi'],
        ['queue', '/kantor?tab=follow_up'],
      ];
      for (const [label, path] of pages) {
        const res = await page.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(res?.status(), label).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await expectA11y(page, `${lang} ${label}`);
        if (['admin home', 'users', 'calendar', 'sla'].includes(label))
          await screenshot(page, 'admin', `${lang}-${label.replace(/ /g, '-')}`);
      }
      // Error states: an invalid unit name, an invalid SLA rule, a bad password change.
      await page.goto(`${t.url}/kantor/admin/instansi/pupr-kaltim?lang=${lang}`);
      await page.fill('#f-childName', 'x');
      await Promise.all([page.waitForNavigation(), page.click('#h-add + form button[type="submit"]')]);
      await expectA11y(page, `${lang} agency add error`);
      await page.goto(`${t.url}/kantor/admin/sla?lang=${lang}`);
      await Promise.all([page.waitForNavigation(), page.click('#h-add-sla ~ form button[type="submit"]')]);
      await expectA11y(page, `${lang} sla error`);
      await screenshot(page, 'admin', `${lang}-sla-error`);
      await ctx.close();

      const anon = await b.context();
      const ap = await anon.newPage();
      for (const [label, path] of [
        ['register', '/daftar'],
        ['register sent', '/daftar/terkirim'],
        ['verify failed', '/daftar/verifikasi?token=tidak-ada-token-seperti-ini-000'],
      ] as const) {
        await ap.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await expectA11y(ap, `${lang} ${label}`);
      }
      await ap.goto(`${t.url}/daftar?lang=${lang}`);
      await Promise.all([ap.waitForNavigation(), ap.click('main form button[type="submit"]')]);
      await expectA11y(ap, `${lang} register error`);
      await signInPage(ap, t.url, DEMO.citizen);
      await ap.goto(`${t.url}/akun?lang=${lang}`);
      await expectA11y(ap, `${lang} account`);
      await screenshot(ap, 'admin', `${lang}-account`);
      await ap.fill('#f-trackingId', '0000000001');
      await ap.fill('#f-accessKey', 'salah');
      await Promise.all([ap.waitForNavigation(), ap.click('#h-claim ~ form button[type="submit"]')]);
      await expectA11y(ap, `${lang} claim error`);
      await anon.close();
    }, 300_000);
  }

  it('keyboard only: Tab order on the password form reaches submit; focus moves to the error summary', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.dinkesAdmin);
    await page.goto(`${t.url}/kantor/kata-sandi`);
    await page.focus('#f-currentPassword');
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(
          'document.activeElement.id || document.activeElement.tagName + ":" + document.activeElement.type',
        ),
      );
    }
    expect(order).toEqual(['f-newPassword', 'f-newPasswordConfirm', 'BUTTON:submit']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('salah-sekali');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kata sandi baru panjang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kata sandi baru panjang');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.evaluate('document.activeElement && document.activeElement.className')).toBe(
      'error-summary',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("href")')).toBe('#f-currentPassword');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('f-currentPassword');
    await screenshot(page, 'admin', 'keyboard-password-error');
    await ctx.close();
  });
});
