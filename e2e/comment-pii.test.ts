/**
 * The public report page's comment form in its personal-data warning state, in a real browser (Debian chromium +
 * playwright-core + axe-core): a signed-in citizen types a phone number into a comment; with JavaScript on, in Bahasa
 * Indonesia and English, the page comes back with the error summary focused and linking to the confirmation
 * checkbox, the warning describing the text field and zero WCAG 2.2 A/AA violations. Without JavaScript, ticking the
 * box sends the comment, which the public page shows masked. Skips with a message when chromium is absent.
 */
import { describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, submitReport, verifyReport, type TestApp } from '../test/helpers/app.ts';
import { PII_MASKS } from '../src/domain/report/pii-hints.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  withAppAndBrowser,
  type TestBrowser,
} from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;
withAppAndBrowser((app, browser) => {
  t = app;
  b = browser;
});

const PHONE = '0812-3456-7890';
const COMMENT = `Di gang kami juga sama sejak minggu lalu. Hubungi saya di ${PHONE}.`;

describe.skipIf(!HAS_CHROMIUM)('public report page: comment with personal data', () => {
  it('the warning state has no axe violations (id, en); the confirmation sends the comment, masked for the public', async () => {
    const id = await submitReport(t, 'Saluran air tersumbat di Jalan Mulawarman', { anonymous: true });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));

    for (const [locale, lang, send] of [
      ['id-ID', 'id', /Kirim komentar/],
      ['en-GB', 'en', /Send comment/],
    ] as const) {
      const ctx = await b.context({ locale });
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.citizen);
      await page.goto(`${t.url}/laporan/${id}?lang=${lang}`);
      expect(await page.locator('#f-body').getAttribute('aria-describedby')).toBe('f-body-hint');
      await expectA11y(page, `${lang} comment form`);
      await page.fill('#f-body', COMMENT);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: send }).click()]);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.evaluate('document.activeElement && document.activeElement.className')).toBe(
        'error-summary',
      );
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.getAttribute("href")')).toBe('#f-bodyPiiOk');
      expect(await page.locator('#f-body').getAttribute('aria-describedby')).toBe('f-body-hint f-body-pii');
      expect(await page.locator('#f-body').inputValue()).toBe(COMMENT);
      expect(await page.locator('#f-bodyPiiOk').getAttribute('aria-describedby')).toBe(
        'f-body-pii f-bodyPiiOk-error',
      );
      await screenshot(page, 'comment-pii', `warning-${lang}`);
      await expectA11y(page, `${lang} comment personal-data warning`);
      await ctx.close();
    }

    // Without JavaScript: the warning, then the ticked box sends the comment.
    const nojs = await b.context({ javaScriptEnabled: false });
    const cp = await nojs.newPage();
    await signInPage(cp, t.url, DEMO.citizen);
    await cp.goto(`${t.url}/laporan/${id}`);
    await cp.fill('#f-body', COMMENT);
    await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: /Kirim komentar/ }).click()]);
    expect(await cp.locator('#f-body-pii').textContent()).toContain('nomor telepon');
    await cp.check('#f-bodyPiiOk');
    await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: /Kirim komentar/ }).click()]);
    expect(cp.url()).toContain('komentar=ok');
    const html = await cp.content();
    expect(html).toContain('Komentar Anda terkirim.');
    expect(html).toContain(`Hubungi saya di ${PII_MASKS.phone}.`);
    expect(html).not.toContain(PHONE);
    await nojs.close();
  });
});
