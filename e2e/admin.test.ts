/**
 * Administration and account pages in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa, wcag22aa)
 * on every new page (admin home, agency tree and agency page, users with the invitation form and the pending
 * invitations, a user page, categories and a category, the holiday calendar, SLA rules, password change, register,
 * check-your-email, the invitation page for a new and for an existing account and its invalid-link page, the account
 * page) in Bahasa Indonesia and English, including their error states; an invitation accepted without JavaScript; a
 * keyboard-only check on the password form (Tab reaches the submit button in order; on error, focus moves to the
 * error summary). Screenshots: tmp/screenshots/admin/.
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
import { inviteStaffAsOperator } from '../src/commands/staff-invitations.ts';

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
      // An invitation from the users page: the notice and the pending invitations; then the form's error state.
      await page.goto(`${t.url}/kantor/admin/pengguna?lang=${lang}`);
      await page.fill('#f-name', `Petugas Undangan ${lang}`);
      await page.fill('#f-email', `petugas.undangan.${lang}@contoh.aduan.id`);
      await page.selectOption('#f-role', 'officer');
      await page.selectOption('#f-agencyId', 'pupr-kaltim-unit');
      await Promise.all([page.waitForNavigation(), page.click('#h-invite ~ form button[type="submit"]')]);
      expect(await page.locator('.notice-ok').textContent()).toContain(
        `petugas.undangan.${lang}@contoh.aduan.id`,
      );
      expect(await page.locator('[data-invitation]').count()).toBeGreaterThan(0);
      await expectA11y(page, `${lang} users with pending invitations`);
      await screenshot(page, 'admin', `${lang}-users-invitations`);
      await page.fill('#f-email', 'bukan-alamat');
      await Promise.all([page.waitForNavigation(), page.click('#h-invite ~ form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} invite error`);
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

      // The invitation page: a new account (and its error state), an existing account (wrong password), a dead link.
      const svc = t.runtime.services;
      const fresh = await inviteStaffAsOperator(svc, {
        email: `baru.${lang}@contoh.aduan.id`,
        name: 'Petugas Baru',
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
        lang,
      });
      await ap.goto(`${fresh.url}&lang=${lang}`);
      expect(await ap.locator('#f-passwordConfirm').count()).toBe(1);
      await expectA11y(ap, `${lang} invitation new account`);
      await screenshot(ap, 'admin', `${lang}-invitation`);
      await ap.fill('#f-password', 'pendek');
      await Promise.all([ap.waitForNavigation(), ap.click('main form button[type="submit"]')]);
      expect(await ap.locator('.error-summary').count()).toBe(1);
      await expectA11y(ap, `${lang} invitation error`);
      const existing = await inviteStaffAsOperator(svc, {
        email: DEMO.citizen,
        name: 'Warga Demo',
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
        lang,
      });
      await ap.goto(`${existing.url}&lang=${lang}`);
      expect(await ap.locator('#f-passwordConfirm').count()).toBe(0);
      await expectA11y(ap, `${lang} invitation existing account`);
      await ap.fill('#f-password', 'bukan kata sandinya');
      await Promise.all([ap.waitForNavigation(), ap.click('main form button[type="submit"]')]);
      expect(await ap.locator('.error-summary').count()).toBe(1);
      await expectA11y(ap, `${lang} invitation wrong password`);
      const dead = await ap.goto(`${t.url}/undangan?token=tidak-ada-token-seperti-ini-000&lang=${lang}`);
      expect(dead?.status()).toBe(404);
      await expectA11y(ap, `${lang} invitation invalid link`);
      // Accepted without JavaScript: the new officer lands in the back office.
      const nojs = await b.context({ javaScriptEnabled: false });
      const np = await nojs.newPage();
      await np.goto(`${fresh.url}&lang=${lang}`);
      await np.fill('#f-password', 'kata sandi petugas baru');
      await np.fill('#f-passwordConfirm', 'kata sandi petugas baru');
      await Promise.all([np.waitForNavigation(), np.click('main form button[type="submit"]')]);
      expect(new URL(np.url()).pathname).toBe('/kantor');
      await nojs.close();
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
