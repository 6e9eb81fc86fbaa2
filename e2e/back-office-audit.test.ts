/**
 * Back-office audit fixes in chromium (2026-11-30): the report's delivery log (`/kantor/laporan/:id/pengiriman`), now
 * linked from the report page, is usable by keyboard at 360 px: its wide table scrolls inside a focusable, named
 * region, and the page (and the notification list) has zero axe violations (wcag2a, wcag2aa, wcag21aa, wcag22aa) in id and en.
 *
 * Screenshots: tmp/screenshots/back-office-audit/.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestApp, submitReport, DEMO, type TestApp } from '../test/helpers/app.ts';
import { drainOutboxOnce } from '../test/helpers/receivers.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('delivery log in the browser', () => {
  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('has zero axe violations at 360 px, in id and en, reached from the report page', async () => {
    const id = await submitReport(t, 'Saluran irigasi jebol di Palaran', {
      anonymous: true,
      reporter: { email: 'pelapor.irigasi@contoh.aduan.id' },
    });
    await drainOutboxOnce(t.runtime.services);
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of ['id', 'en'] as const) {
      await page.goto(`${t.url}/kantor/laporan/${id}?lang=${lang}`);
      await Promise.all([
        page.waitForNavigation(),
        page.click(`a[href^="/kantor/laporan/${id}/pengiriman"]`),
      ]);
      await expectA11y(page, `delivery log (${lang}, 360 px)`);
      await screenshot(page, 'back-office-audit', `delivery-log-${lang}`);
      await page.goto(`${t.url}/kantor/notifikasi?lang=${lang}`);
      await expectA11y(page, `notifications (${lang}, 360 px)`);
    }
    await ctx.close();
  });
});
