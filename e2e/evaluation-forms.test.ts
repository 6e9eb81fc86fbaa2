/**
 * Evaluation period forms in a real browser (Debian chromium + playwright-core): zero axe violations
 * (WCAG 2.0/2.1/2.2 A and AA) on the create form, its error state and the change form, in Bahasa
 * Indonesia and English; creating a period with the form lands on the period page with the publish
 * button. These run with JavaScript on (the forms carry no script; the plain form posts are covered without a
 * browser in src/http/staff/evaluation-admin.test.ts).
 * The assessor's scoring form, with JavaScript off and on, in both languages: step 1 chooses the participant
 * (a GET form: the choice lands in the URL), step 2 then offers only that participant's weighted indicators; a
 * too-short justification comes back with the participant kept, and the score is saved back to the same
 * participant; zero axe violations on each step (`checkA11yWithoutJs` with JavaScript off).
 * Skips when chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { MINIMAL_PDF } from '../test/helpers/pdf.ts';
import {
  HAS_CHROMIUM,
  checkA11y,
  checkA11yWithoutJs,
  launchBrowser,
  screenshot,
  type TestBrowser,
} from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;

async function expectClean(page: Page, name: string, js = true) {
  const v = await (js ? checkA11y(page) : checkA11yWithoutJs(page));
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

  const SCORING = 'penilaian-langkah-2026';
  let scoringPeriod: Promise<void> | undefined;
  /** The period the scoring tests use (created once): complaint handling and a website award. */
  const scoringPeriodReady = () =>
    (scoringPeriod ??= (async () => {
      const created = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: SCORING,
          name: 'Penilaian Rubrik Kalimantan Timur 2026',
          from: '2026-01-01',
          to: '2026-12-31',
          groups: [
            {
              id: `${SCORING}-pd`,
              name: 'Perangkat Daerah Kaltim',
              scope: 'agency',
              participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
            },
            {
              id: `${SCORING}-web`,
              name: 'Situs Web Kab/Kota',
              scope: 'agency',
              award: 'website',
              participants: [{ agencyId: 'diskominfo-balikpapan' }],
            },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    })());

  for (const js of [false, true])
    for (const [lang, agencyId, indicators] of [
      ['id', 'pupr-kaltim', ['komitmen_pimpinan', 'sumber_daya_manusia', 'inovasi', 'pemanfaatan_data']],
      ['en', 'diskominfo-balikpapan', ['website']],
    ] as const) {
      const mode = js ? 'js' : 'nojs';
      it(`scoring: participant first, then only its indicators (${lang}, JavaScript ${js ? 'on' : 'off'})`, async () => {
        await scoringPeriodReady();
        const context = await b.context({ javaScriptEnabled: js, locale: lang === 'id' ? 'id-ID' : 'en-GB' });
        const page = await context.newPage();
        const options = () =>
          page
            .locator('#f-indicator option')
            .all()
            .then((os) => Promise.all(os.map((o) => o.getAttribute('value'))));
        const submit = (form: string) =>
          Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
        try {
          await signInPage(page, t.url, DEMO.assessor);
          expect((await page.goto(`${t.url}/kantor/evaluasi/${SCORING}?lang=${lang}`))?.status()).toBe(200);
          expect(await page.locator('#f-indicator').count()).toBe(0);
          await expectClean(page, `score-step1-${lang}-${mode}`, js);

          // Step 1: a GET form; the choice (and the language) lands in the URL, at the form.
          await page.selectOption('#f-agencyId', agencyId);
          await submit(`form[action="/kantor/evaluasi/${SCORING}#score-h"]`);
          const url = new URL(page.url());
          expect(url.pathname).toBe(`/kantor/evaluasi/${SCORING}`);
          expect(url.searchParams.get('agencyId')).toBe(agencyId);
          expect(url.searchParams.get('lang')).toBe(lang);
          expect(url.hash).toBe('#score-h');
          expect(await options()).toEqual(indicators);
          await expectClean(page, `score-step2-${lang}-${mode}`, js);

          // Step 2 with a too-short justification: 422 with the participant and its indicators kept.
          const form = `form[action="/kantor/evaluasi/${SCORING}/nilai"]`;
          const file = { name: 'bukti.pdf', mimeType: 'application/pdf', buffer: Buffer.from(MINIMAL_PDF) };
          await page.selectOption('#f-indicator', indicators.at(-1)!);
          await page.fill('#f-score', '80');
          await page.fill('#f-justification', 'pendek');
          await page.setInputFiles('#f-evidence', file);
          await submit(form);
          expect(await page.locator('.error-summary').count()).toBe(1);
          expect(await options()).toEqual(indicators);
          expect(await page.inputValue('#f-score')).toBe('80');
          await expectClean(page, `score-error-${lang}-${mode}`, js);

          await page.fill('#f-justification', 'Dokumen inovasi dan SK tim pengelola pengaduan tersedia.');
          await page.setInputFiles('#f-evidence', file);
          await submit(form);
          const saved = new URL(page.url());
          expect(saved.searchParams.get('ok')).toBe('1');
          expect(saved.searchParams.get('agencyId')).toBe(agencyId);
          expect(await page.locator('.notice-ok').count()).toBe(1);
          expect(await options()).toEqual(indicators);
        } finally {
          await context.close();
        }
      }, 240_000);
    }

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
