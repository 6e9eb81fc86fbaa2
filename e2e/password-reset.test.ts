/**
 * "Lupa kata sandi" in chromium: from the sign-in page's link to the request form, the
 * "check your email" page, the emailed link's form (with a field error), the sign-in page with its notice and the
 * page of a used link, each with zero axe-core violations, in Bahasa Indonesia and English (axe needs JavaScript; the
 * pages are plain POST forms, which src/http/account/password-reset.test.ts submits as a browser without it would).
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import { resolveResetRequests } from '../test/helpers/receivers.ts';
import { expectA11y, HAS_CHROMIUM, type TestBrowser, withAppAndBrowser } from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;

async function submit(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
}

/**
 * The path of the newest reset link: the worker's half of the request issues it and queues the email (the email
 * transport is not needed here).
 */
async function newestLink(): Promise<string> {
  await resolveResetRequests(t.runtime.services);
  const r = (await t.runtime.services.db.execute(
    sql`select payload from outbox where kind = 'account.password_reset' order by id desc limit 1`,
  )) as unknown as { rows: Array<{ payload: { textEnc: string } }> };
  const link = /https?:\/\/\S+\/atur-ulang-sandi\?token=[A-Za-z0-9_-]+/.exec(
    t.runtime.services.sealer.open<string>(r.rows[0]!.payload.textEnc),
  )![0];
  const u = new URL(link);
  return u.pathname + u.search;
}

describe.skipIf(!HAS_CHROMIUM)('password reset pages in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  const accounts = { id: DEMO.citizen, en: DEMO.dinkesAdmin } as const;
  for (const lang of ['id', 'en'] as const) {
    it(`request, link, new password and a used link have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await page.goto(`${t.url}/masuk?lang=${lang}`);
      await Promise.all([page.waitForNavigation(), page.click('a[href^="/lupa-sandi"]')]);
      expect(new URL(page.url()).pathname).toBe('/lupa-sandi');
      await expectA11y(page, `${lang} request form`);
      await submit(page);
      await expectA11y(page, `${lang} request form with an error`);
      await page.fill('#f-email', accounts[lang]);
      await submit(page);
      expect(new URL(page.url()).pathname).toBe('/lupa-sandi/terkirim');
      await expectA11y(page, `${lang} check your email`);

      const link = await newestLink();
      await page.goto(`${t.url}${link}&lang=${lang}`);
      await expectA11y(page, `${lang} new password form`);
      await page.fill('#f-password', 'pendek');
      await page.fill('#f-passwordConfirm', 'pendek');
      await submit(page);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} new password form with an error`);
      await page.fill('#f-password', 'kata sandi baru yang panjang');
      await page.fill('#f-passwordConfirm', 'kata sandi baru yang panjang');
      await submit(page);
      expect(new URL(page.url()).pathname).toBe('/masuk');
      expect(await page.locator('.notice-ok').count()).toBe(1);
      await expectA11y(page, `${lang} sign-in with the notice`);

      const used = await page.goto(`${t.url}${link}&lang=${lang}`);
      expect(used!.status()).toBe(410);
      await expectA11y(page, `${lang} used link`);
      await ctx.close();
    });
  }
});
