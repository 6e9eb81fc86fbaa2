/**
 * Email updates on a public report in chromium: signed out, the page offers a way to sign in that comes back to the
 * report; signed in, the person turns updates on and off without JavaScript; zero axe violations in id and en.
 * The emails themselves: src/jobs/supporter-updates.test.ts.
 *
 * Screenshots: tmp/screenshots/citizen/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../test/helpers/app.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { DEMO_PASSWORD } from '../test/global-setup.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('email updates on a public report in chromium', () => {
  beforeAll(async () => {
    // The real time: browser cookies expire against it.
    t = await startTestApp({ now: new Date() });
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('signed out → sign in → on and off without JavaScript; zero axe violations in id and en', async () => {
    const id = await submitReport(t, 'Jembatan kayu rapuh di Desa Sungai', {
      anonymous: true,
      reporter: { name: 'Pelapor Peramban', email: 'peramban@contoh.aduan.id' },
    });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));

    const nojs = await b.context({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    await p.goto(`${t.url}/laporan/${id}`);
    await p.getByRole('link', { name: 'Masuk untuk mengikuti laporan ini' }).click();
    await p.fill('input[name="email"]', DEMO.citizen);
    await p.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([p.waitForNavigation(), p.click('main button[type="submit"]')]);
    expect(p.url()).toBe(`${t.url}/laporan/${id}`);
    await p.getByRole('button', { name: 'Kirimi saya kabar lewat email' }).click();
    expect(p.url()).toBe(`${t.url}/laporan/${id}?kabar=ya`);
    await expect(p.locator('[data-slot="updates"]').textContent()).resolves.toContain(
      `Anda menerima kabar laporan ini lewat email di ${DEMO.citizen}.`,
    );
    await p.getByRole('button', { name: 'Berhenti menerima kabar' }).click();
    await expect(p.locator('.notice-ok').textContent()).resolves.toContain(
      'Anda tidak lagi menerima kabar laporan ini lewat email.',
    );
    await nojs.close();

    // axe needs JavaScript: signed out, then signed in with updates on, in both languages.
    const js = await b.context();
    const page = await js.newPage();
    await page.goto(`${t.url}/laporan/${id}`);
    await expectA11y(page, 'report page signed out');
    await signInPage(page, t.url, DEMO.citizen);
    await page.goto(`${t.url}/laporan/${id}`);
    await page.getByRole('button', { name: 'Kirimi saya kabar lewat email' }).click();
    for (const lang of ['id', 'en']) {
      await page.goto(`${t.url}/laporan/${id}?kabar=ya&lang=${lang}`);
      await expectA11y(page, `report page with updates on (${lang})`);
    }
    await screenshot(page, 'citizen', 'report-updates');
    await js.close();
  });
});
