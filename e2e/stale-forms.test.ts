/**
 * A stale form in a real browser (chromium + axe-core): a signed-in citizen types a reply on the tracking page, signs
 * in again in another tab (a new session, so the open page's token no longer holds) and sends the reply. The page
 * comes back with the typed text, the message and a fresh token (zero WCAG 2.2 A/AA violations, in id and en), and
 * sending it again works. The same for a report journey step and for the account's claim form (its own form again,
 * the tracking number kept and the access key to type again, then claimed), and the tracking lookup, whose stale post
 * shows the typed text read-only for copying (never the access key) with a link back. In the back office, a verifier's
 * hold question on the report page comes back in its form the same way, then holds the report.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../test/global-setup.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  withAppAndBrowser,
  type TestBrowser,
} from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;
withAppAndBrowser((app, browser) => {
  t = app;
  b = browser;
});

async function report(title: string): Promise<{ trackingId: string; accessKey: string }> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}: sudah dua minggu tidak ada perbaikan dari instansi terkait.`,
      regionCode: '64.71',
      reporter: { name: 'Pelapor Peramban', email: 'peramban@contoh.aduan.id' },
    },
  });
  expect(r.status).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

/** Signs the context in (again) through the sign-in page in a tab of its own: a new session replaces the old one. */
async function signIn(ctx: BrowserContext, email: string = DEMO.citizen): Promise<void> {
  const tab = await ctx.newPage();
  await tab.goto(`${t.url}/masuk`);
  await tab.fill('#f-email', email);
  await tab.fill('#f-password', DEMO_PASSWORD);
  await tab.locator('form[action="/masuk"] button[type="submit"]').click();
  await tab.waitForURL((u) => !u.pathname.startsWith('/masuk'));
  await tab.close();
}

/** The status of the answer to the form submitted by `click`. */
async function submitted(page: Page, click: () => Promise<void>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

describe.skipIf(!HAS_CHROMIUM)('a stale form gives the typed text back (browser)', () => {
  it('the tracking page reply: re-rendered with the text, zero axe violations, sent with the fresh token', async () => {
    const { trackingId, accessKey } = await report('Lampu jalan mati di Jalan Cendana');
    const ctx = await b.context();
    await signIn(ctx);
    const page = await ctx.newPage();
    for (const lang of ['id', 'en'] as const) {
      const text = `Lampunya masih mati malam ini (${lang}).`;
      await page.goto(`${t.url}/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}&lang=${lang}`);
      await page.fill('#f-commentBody', text);
      await signIn(ctx);
      const reply = page.locator('form[action$="/comment"] button[type="submit"]');
      expect(await submitted(page, () => reply.click())).toBe(403);
      expect(await page.locator('#f-commentBody').inputValue()).toBe(text);
      expect(await page.locator('.error-summary').textContent()).toContain(
        lang === 'id' ? 'Formulir kedaluwarsa demi keamanan' : 'The form expired for your security',
      );
      await expectA11y(page, `${lang} tracking page after a stale form`);
      await screenshot(page, 'stale-forms', `${lang}-tracking`);
      expect(await submitted(page, () => reply.click())).toBe(303);
      expect(page.url()).toContain('ok=comment');
      expect(await page.locator('.timeline').textContent()).toContain(text);
    }
    await ctx.close();
  });

  it('a journey step, the claim form and the tracking lookup: the text back, zero axe violations', async () => {
    const { trackingId, accessKey } = await report('Trotoar rusak di Jalan Pahlawan');
    const ctx = await b.context();
    await signIn(ctx);
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lapor/kejadian`);
    await page.fill('#f-title', 'Pungutan liar di loket kelurahan');
    await page.fill('#f-body', 'Petugas loket meminta uang tambahan untuk surat pengantar.');
    await signIn(ctx);
    const next = page.locator('form[action="/lapor/kejadian"] button[type="submit"]');
    expect(await submitted(page, () => next.click())).toBe(403);
    expect(await page.locator('#f-title').inputValue()).toBe('Pungutan liar di loket kelurahan');
    await expectA11y(page, 'journey step after a stale form');
    await screenshot(page, 'stale-forms', 'id-journey');

    // An account form re-renders itself: the tracking number kept, the access key to type again, then claimed.
    await page.goto(`${t.url}/akun`);
    await page.fill('#f-trackingId', trackingId);
    await page.fill('#f-accessKey', accessKey);
    await signIn(ctx);
    const claim = page.locator('form[action^="/akun/klaim"] button');
    expect(await submitted(page, () => claim.click())).toBe(403);
    expect(await page.locator('#f-trackingId').inputValue()).toBe(trackingId);
    expect(await page.locator('#f-accessKey').inputValue()).toBe('');
    expect(await page.content()).not.toContain(accessKey);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'kecuali kata sandi dan kunci akses',
    );
    await expectA11y(page, 'account page after a stale claim form');
    await screenshot(page, 'stale-forms', 'id-account-claim');
    await page.fill('#f-accessKey', accessKey);
    expect(await submitted(page, () => claim.click())).toBe(303);
    expect(await page.locator('.notice-ok').textContent()).toContain(trackingId);

    // Any other citizen form: the typed text read-only for copying (never the access key), with a link back.
    await page.goto(`${t.url}/lacak`);
    await page.fill('#f-id', trackingId);
    await page.fill('#f-k', accessKey);
    await signIn(ctx);
    expect(await submitted(page, () => page.locator('form[action="/lacak"] button').click())).toBe(403);
    expect(await page.locator('#stale-form-texts').inputValue()).toBe(trackingId);
    expect(await page.content()).not.toContain(accessKey);
    await expectA11y(page, 'stale form page');
    await screenshot(page, 'stale-forms', 'id-fallback');
    await page.locator('a', { hasText: 'Kembali ke formulir' }).click();
    expect(new URL(page.url()).pathname).toBe('/lacak');
    await ctx.close();
  });

  it("the back office's report page: a verifier's hold question back in its form, zero axe violations, then sent", async () => {
    const { trackingId } = await report('Jembatan penyeberangan rusak di Jalan Awang Long');
    const ctx = await b.context();
    await signIn(ctx, DEMO.coordinator);
    const page = await ctx.newPage();
    const question = 'Mohon kirim foto jembatan dan sebutkan tiang mana yang rusak.';
    await page.goto(`${t.url}/kantor/laporan/${trackingId}?lang=en`);
    await page.fill('#f-question', question);
    await signIn(ctx, DEMO.coordinator);
    const hold = page.locator('form[action*="/hold"] button[type="submit"]');
    expect(await submitted(page, () => hold.click())).toBe(403);
    expect(await page.locator('#f-question').inputValue()).toBe(question);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'The form expired for your security',
    );
    await expectA11y(page, 'en report page after a stale form');
    await screenshot(page, 'stale-forms', 'en-staff-report');
    expect(await submitted(page, () => hold.click())).toBe(303);
    expect(page.url()).toContain('selesai=1');
    await ctx.close();
  });
});
