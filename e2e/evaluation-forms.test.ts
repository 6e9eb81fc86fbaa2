/**
 * Evaluation period forms in a real browser (Debian chromium + playwright-core): zero axe violations
 * (WCAG 2.0/2.1/2.2 A and AA) on the create form, its error state and the change form, in Bahasa
 * Indonesia and English; creating a period with the form lands on the period page with the publish
 * button. axe needs the page's timers, so these pages run with JavaScript on (the forms carry no script;
 * the plain form posts are covered without a browser in src/http/staff/evaluation-admin.test.ts).
 * Skips when chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { HAS_CHROMIUM, checkA11y, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;

async function expectClean(page: Page, name: string) {
  const v = await checkA11y(page);
  expect(v, `${page.url()}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
  await screenshot(page, 'evaluation-forms', name);
}

describe.skipIf(!HAS_CHROMIUM)('evaluation period forms in the browser', () => {
  beforeAll(async () => {
    // Real clock: a past test clock gives session cookies an expiry the browser drops.
    t = await startTestApp({ now: new Date() });
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    it(`create form, error state, created period and change form have no axe violations (${lang})`, async () => {
      const context = await b.context({
        javaScriptEnabled: true,
        locale: lang === 'id' ? 'id-ID' : 'en-GB',
      });
      const page = await context.newPage();
      try {
        await signInPage(page, t.url, DEMO.national);
        const res = await page.goto(`${t.url}/kantor/evaluasi/baru?lang=${lang}`);
        expect(res?.status()).toBe(200);
        await expectClean(page, `create-${lang}`);
        // Submit with a bad code and no participants: the error summary and inline errors.
        await page.fill('input[name="id"]', 'Bad Id!');
        await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
        expect(await page.locator('.error-summary, [role="alert"]').count()).toBeGreaterThan(0);
        await expectClean(page, `create-errors-${lang}`);
        const id = `pd-kaltim-2026-${lang}`;
        await page.fill('input[name="id"]', id);
        await page.fill('input[name="name"]', 'Perangkat Daerah Provinsi Kalimantan Timur 2026');
        await page.fill('input[name="from"]', '2026-01-01');
        await page.fill('input[name="to"]', '2026-12-31');
        await page.fill('input[name="g1_id"]', `${id}-pd`);
        await page.fill('input[name="g1_name"]', 'Perangkat Daerah Kaltim');
        await page.fill(
          'textarea[name="g1_participants"]',
          'pupr-kaltim, https://pu.kaltimprov.go.id\ndinkes-kaltim',
        );
        await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
        expect(page.url()).toContain(`/kantor/evaluasi/${id}?ok=created`);
        expect(await page.locator(`form[action="/kantor/evaluasi/${id}/terbitkan"]`).count()).toBe(1);
        await page.goto(`${t.url}/kantor/evaluasi/${id}/ubah?lang=${lang}`);
        expect(await page.inputValue('input[name="g1_name"]')).toBe('Perangkat Daerah Kaltim');
        await expectClean(page, `edit-${lang}`);
      } finally {
        await context.close();
      }
    }, 240_000);
  }
});
