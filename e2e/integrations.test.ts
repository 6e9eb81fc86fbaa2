/**
 * The integrations page in chromium (the page ships no script of its own; the forms are plain POSTs): zero axe-core
 * violations (wcag2a, wcag2aa, wcag21aa, wcag22aa) in Bahasa Indonesia and English on the page, its error
 * state (a webhook to a private address), the secret-shown-once panel, the filled tables and the webhook
 * delivery log; for the PUPR agency admin and the national admin (federation section). The secret is on
 * the page once and gone after a reload. Screenshots: tmp/screenshots/integrations/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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

/** Submits the form posting to `/kantor/integrasi/<path>`. */
async function submit(page: Page, path: string) {
  await Promise.all([
    page.waitForNavigation(),
    page.click(`form[action^="/kantor/integrasi/${path}?"] button[type="submit"]`),
  ]);
}

describe.skipIf(!HAS_CHROMIUM)('integrations page in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`agency admin: keys, tokens, webhooks, errors and the delivery log have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      page.setDefaultTimeout(60_000);
      await signInPage(page, t.url, DEMO.puprAdmin);
      const res = await page.goto(`${t.url}/kantor/integrasi?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expectA11y(page, `${lang} empty page`);

      // Error state: a webhook to a private address; focus and summary come from the shared layout.
      await page.fill('#f-url', 'http://192.168.1.20/hook');
      await page.check('#f-events');
      await page.selectOption('#f-hookAgency', 'pupr-kaltim');
      await submit(page, 'webhook');
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.inputValue('#f-url')).toBe('http://192.168.1.20/hook');
      await expectA11y(page, `${lang} webhook error`);
      await screenshot(page, 'integrations', `${lang}-webhook-error`);

      // Issue a key: the secret panel, then gone after a reload.
      await page.fill('#f-keyName', `Aplikasi Kota ${lang}`);
      await page.selectOption('#f-keyAgency', 'pupr-kaltim');
      await page.check('#f-keyOptions');
      await submit(page, 'kunci');
      const secret = (await page.textContent('[data-testid="created-secret"]'))?.trim() ?? '';
      expect(secret).toMatch(/^ak_/);
      await expectA11y(page, `${lang} key created`);
      await screenshot(page, 'integrations', `${lang}-key-created`);
      await page.reload();
      expect(await page.content()).not.toContain(secret);

      // A token and a webhook (allowlisted local receiver address so the form accepts it).
      t.runtime.services.outboundAllowHosts = ['127.0.0.1'];
      await page.fill('#f-tokenName', `SIMPUPR ${lang}`);
      await page.selectOption('#f-tokenAgency', 'pupr-kaltim');
      await submit(page, 'token');
      expect(await page.textContent('[data-testid="created-secret"]')).toMatch(/ait_/);
      await page.fill('#f-url', `http://127.0.0.1:9/${lang}`);
      await page.check('#f-events');
      await page.selectOption('#f-hookAgency', 'pupr-kaltim');
      await submit(page, 'webhook');
      expect(await page.textContent('[data-testid="created-secret"]')).toMatch(/whsec_/);
      t.runtime.services.outboundAllowHosts = [];
      await page.reload();
      await expectA11y(page, `${lang} filled tables`);
      await screenshot(page, 'integrations', `${lang}-filled`);

      // Pause, then the delivery log.
      await Promise.all([
        page.waitForNavigation(),
        page.click(`tr:has-text("http://127.0.0.1:9/${lang}") form[action*="/jeda"] button`),
      ]);
      await expectA11y(page, `${lang} paused notice`);
      await Promise.all([
        page.waitForNavigation(),
        page.click(`tr:has-text("http://127.0.0.1:9/${lang}") a[href*="/kantor/integrasi/webhook/"]`),
      ]);
      expect(page.url()).toMatch(/\/kantor\/integrasi\/webhook\/[0-9a-f-]{36}/);
      await expectA11y(page, `${lang} delivery log`);
      await ctx.close();
    });
  }

  it('national admin: federation section and its error state have zero axe violations', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    await signInPage(page, t.url, DEMO.national);
    for (const lang of ['id', 'en'] as const) {
      await page.goto(`${t.url}/kantor/integrasi?lang=${lang}`);
      expect(await page.locator('#h-federation').count()).toBe(1);
      await expectA11y(page, `${lang} national page`);
      await page.fill('#f-peerInstance', 'prov-kaltim');
      await page.fill('#f-peerUrl', 'http://169.254.169.254/');
      await page.fill('#f-peerKey', 'rahasia-sekali');
      await submit(page, 'federasi');
      expect(await page.content()).not.toContain('rahasia-sekali');
      await expectA11y(page, `${lang} federation error`);
      await screenshot(page, 'integrations', `${lang}-federation-error`);
    }
    await ctx.close();
  });
});
