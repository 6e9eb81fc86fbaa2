/**
 * The SLA rules page as the Kaltim coordinator, in chromium: zero axe-core violations (wcag2a,
 * wcag2aa, wcag21aa, wcag22aa) in Bahasa Indonesia and English on the page (national rules read-only, the form for
 * its region), on the refusal of a rule longer than the national one, and after a 1-working-day Pergub rule for
 * province 64 is added (its own group, "Provinsi Kalimantan Timur (64)"), and with the warning on a Pergub rule that a
 * later, shorter national rule caps. Screenshots: tmp/screenshots/admin/.
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

  // A Pergub's completion rule (4 working days from 2031) that a later national aspirasi rule (3) caps: the page marks it.
  let capped: Promise<void> | undefined;
  const capOnce = () =>
    (capped ??= (async () => {
      const rule = { clock: 'completion', workingDays: 4, validFrom: '2031-01-01' };
      const regional = await t.api('/api/v1/sla-rules', {
        json: { ...rule, regionCode: '64', basis: 'Pergub Kaltim 3/2030' },
        token: await t.login(DEMO.coordinator),
      });
      expect(regional.status, JSON.stringify(regional.body)).toBe(201);
      const national = await t.api('/api/v1/sla-rules', {
        json: { ...rule, classification: 'aspirasi', workingDays: 3, basis: 'PermenPANRB 1/2031' },
        token: await t.login(DEMO.national),
      });
      expect(national.status, JSON.stringify(national.body)).toBe(201);
    })());

  for (const lang of ['id', 'en'] as const) {
    it(`the warning on a regional rule a later national rule caps has zero axe violations (${lang})`, async () => {
      await capOnce();
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.coordinator);
      expect((await page.goto(`${t.url}/kantor/admin/sla?lang=${lang}`))?.status()).toBe(200);
      expect(await page.textContent('[role="note"]:has-text("PermenPANRB 1/2031")')).toBe(
        lang === 'id'
          ? 'Lebih lama dari batas nasional yang berlaku (3 hari kerja, PermenPANRB 1/2031); batas nasional yang dipakai.'
          : 'Longer than the national limit in force (3 working days, PermenPANRB 1/2031); the national limit applies.',
      );
      await expectA11y(page, `${lang} coordinator sla capped`);
      await screenshot(page, 'admin', `${lang}-sla-coordinator-capped`);
      await ctx.close();
    });
  }
});
