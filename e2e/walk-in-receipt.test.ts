/**
 * The walk-in receipt in a real browser with JavaScript disabled: an officer records a complaint through the form,
 * lands on the confirmation that gives the citizen the tracking number and private link, and that page passes axe
 * (WCAG 2.2 AA) in both languages and prints as a receipt (navigation and buttons left out, the number and link kept).
 * Skips when chromium is absent.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import { checkA11yWithoutJs, HAS_CHROMIUM, withAppAndBrowser, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;

/** Sets a form control by name, whatever it is rendered as (radio, select, text). */
async function set(page: Page, name: string, value: string) {
  const control = page.locator(`[name="${name}"]`).first();
  const tag = await control.evaluate((el) => `${el.tagName}:${(el as HTMLInputElement).type}`);
  if (tag === 'INPUT:radio' || tag === 'INPUT:checkbox')
    await page.check(`[name="${name}"][value="${value}"]`);
  else if (tag.startsWith('SELECT')) await page.selectOption(`[name="${name}"]`, value);
  else await page.fill(`[name="${name}"]`, value);
}

describe.skipIf(!HAS_CHROMIUM)('walk-in receipt without JavaScript', () => {
  withAppAndBrowser((app, browser) => {
    t = app;
    b = browser;
  });

  it('the officer records a complaint; the receipt passes axe in id and en and prints the number and link', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of ['id', 'en']) {
      await page.goto(`${t.url}/kantor/lapor-langsung?lang=${lang}`);
      await set(page, 'channel', 'walk_in');
      await set(page, 'classification', 'pengaduan');
      await set(page, 'title', 'Lampu jalan padam di Jalan Juanda');
      await set(
        page,
        'body',
        'Lampu penerangan jalan di Jalan Juanda padam sejak dua minggu sehingga rawan kecelakaan malam hari.',
      );
      await set(page, 'regionCode', '64.72');
      await set(page, 'identity', 'named');
      await set(page, 'visibility', 'public');
      await set(page, 'reporter.name', 'Pak Datang Langsung');
      await set(page, 'reporter.phone', '081355500011');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      expect(page.url()).toContain('/kantor/lapor-langsung/selesai');
      const number = (await page.locator('.big-number').textContent())?.trim() ?? '';
      expect(number).toMatch(/^\d{10}$/);
      expect(await page.locator('a.private-link').getAttribute('href')).toMatch(
        new RegExp(`/lacak/${number}\\?k=`),
      );
      expect(await checkA11yWithoutJs(page), `receipt ${lang}`).toEqual([]);
      // Printed for the citizen: the number and the link stay, the staff navigation and buttons go.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.big-number').isVisible()).toBe(true);
      expect(await page.locator('a.private-link').isVisible()).toBe(true);
      expect(await page.locator('.site-header nav').first().isVisible()).toBe(false);
      expect(await page.locator('main .button').first().isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });
      // The receipt is shown once: the link's key is not stored, and a reload goes back to the form.
      await page.goto(`${t.url}/kantor/lapor-langsung/selesai?lang=${lang}`);
      expect(page.url()).not.toContain('/selesai');
    }
    await ctx.close();
  });
});
