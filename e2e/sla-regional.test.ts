/**
 * The SLA rules page as the Kaltim coordinator, in chromium: zero axe-core violations (wcag2a,
 * wcag2aa, wcag21aa, wcag22aa) in Bahasa Indonesia and English on the page (national rules read-only, the form for
 * its region), on the refusal of a rule longer than the national one, and after a 1-working-day Pergub rule for
 * province 64 is added (its own group, "Provinsi Kalimantan Timur (64)"). Screenshots: tmp/screenshots/admin/.
 */
import { describe, expect, it } from 'vitest';
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

describe.skipIf(!HAS_CHROMIUM)('regional SLA rules page in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  for (const lang of ['id', 'en'] as const) {
    it(`the coordinator's SLA page, its refusal and its new rule have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.coordinator);
      const res = await page.goto(`${t.url}/kantor/admin/sla?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expectA11y(page, `${lang} coordinator sla`);
      await screenshot(page, 'admin', `${lang}-sla-coordinator`);

      const fill = async (days: string) => {
        await page.selectOption('#f-regionCode', '64');
        await page.selectOption('#f-clock', 'verification');
        await page.fill('#f-workingDays', days);
        await page.fill('#f-basis', 'Pergub Kaltim 12/2029 tentang Pengelolaan Pengaduan');
        await page.fill('#f-validFrom', '2030-01-01');
        return Promise.all([page.waitForNavigation(), page.click('#h-add-sla ~ form button[type="submit"]')]);
      };
      const [refused] = await fill('5');
      expect(refused?.status()).toBe(422);
      expect(await page.textContent('#f-workingDays-error, .field-error, main')).toMatch(
        lang === 'id' ? /hanya boleh memperketat: paling lama 3 hari/ : /may only tighten: at most 3 days/,
      );
      await expectA11y(page, `${lang} coordinator sla refused`);
      await screenshot(page, 'admin', `${lang}-sla-coordinator-refused`);

      await page.goto(`${t.url}/kantor/admin/sla?lang=${lang}`);
      const [added] = await fill('1');
      expect(added?.status()).toBe(200); // the page after the redirect
      expect(page.url()).toContain('selesai=1');
      expect(await page.textContent('#h-sla-64')).toBe('Provinsi Kalimantan Timur (64)');
      await expectA11y(page, `${lang} coordinator sla added`);
      await ctx.close();
    });
  }
});
