/**
 * The Ombudsman's read-only back office and the coordinator's escalate form in chromium (QA audit H3):
 *
 * - zero axe violations (wcag2a, wcag2aa, wcag21aa, wcag22aa), in id and en, on the list of handed-over reports, on a
 *   hand-off package with the shared identity and on one without it, and on the coordinator's report page with the
 *   escalate form and its error state;
 * - the Ombudsman's notifications (both hand-offs, linked to its own report pages): zero axe violations in id and en;
 * - with JavaScript disabled the Ombudsman signs in, lands on its list and opens a report from it and from its notice.
 *
 * Reports are filed 150 days in the past through the API, then the clock is set to the real present (session
 * cookies expire relative to it) and two reporters consent. Screenshots: tmp/screenshots/ombudsman-office/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { drainOutboxOnce } from '../test/helpers/receivers.ts';

const DAY = 86_400_000;
const LANGS = ['id', 'en'] as const;

let t: TestApp;
let b: TestBrowser;
const made: Record<'shared' | 'unshared' | 'open', string> = { shared: '', unshared: '', open: '' };

describe.skipIf(!HAS_CHROMIUM)('the Ombudsman back office in the browser', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date(Date.now() - 150 * DAY) });
    const categoryId = await categoryIdByName(t);
    const coord = await t.login(DEMO.coordinator);
    const file = async (title: string) => {
      const r = await t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title,
          body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
          regionCode: '64.71.01',
          reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      await actOk(t, r.body.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
      return r.body as { trackingId: string; accessKey: string };
    };
    const shared = await file('Jalan provinsi di Balikpapan amblas');
    const unshared = await file('Drainase jalan provinsi Balikpapan tersumbat');
    made.open = (await file('Lampu jalan provinsi Balikpapan padam')).trackingId;
    t.setNow(new Date());
    await actOk(
      t,
      shared.trackingId,
      'escalate',
      { consent: true, shareIdentity: true },
      { accessKey: shared.accessKey },
    );
    await actOk(t, unshared.trackingId, 'escalate', { consent: true }, { accessKey: unshared.accessKey });
    made.shared = shared.trackingId;
    made.unshared = unshared.trackingId;
    // The worker tells the office of both hand-offs (in-app notices on /kantor/notifikasi).
    await drainOutboxOnce(t.runtime.services);
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('has zero axe violations on the list, both hand-off packages and the escalate form, in id and en', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.ombudsman);
    expect(new URL(page.url()).pathname).toBe('/kantor/ombudsman');
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor/ombudsman?lang=${lang}`);
      expect(await page.locator('table.queue-table a[href^="/kantor/ombudsman/laporan/"]').count()).toBe(2);
      await expectA11y(page, `ombudsman list (${lang})`);
      await screenshot(page, 'ombudsman-office', `list-${lang}`);
      await page.goto(`${t.url}/kantor/ombudsman/laporan/${made.shared}?lang=${lang}`);
      expect(await page.locator('[data-slot="reporter-identity"]').textContent()).toContain('Rina Pelapor');
      await expectA11y(page, `hand-off package, identity shared (${lang})`);
      await screenshot(page, 'ombudsman-office', `shared-${lang}`);
      await page.goto(`${t.url}/kantor/ombudsman/laporan/${made.unshared}?lang=${lang}`);
      expect(await page.locator('[data-slot="reporter-hidden"]').count()).toBe(1);
      expect(await page.content()).not.toContain('Rina Pelapor');
      await expectA11y(page, `hand-off package, identity not shared (${lang})`);
      await page.goto(`${t.url}/kantor/notifikasi?lang=${lang}`);
      expect(await page.locator('a[href^="/kantor/ombudsman/laporan/"]').count()).toBe(2);
      await expectA11y(page, `Ombudsman notifications (${lang})`);
      await screenshot(page, 'ombudsman-office', `notifications-${lang}`);
    }
    await ctx.close();

    const staff = await b.context();
    const coord = await staff.newPage();
    await signInPage(coord, t.url, DEMO.coordinator);
    for (const lang of LANGS) {
      await coord.goto(`${t.url}/kantor/laporan/${made.open}?lang=${lang}`);
      expect(await coord.locator('#h-escalate').count()).toBe(1);
      await expectA11y(coord, `escalate form (${lang})`);
      await Promise.all([
        coord.waitForNavigation(),
        coord.click('section[aria-labelledby="h-escalate"] button'),
      ]);
      expect(await coord.locator('.error-summary, [data-slot="field-errors"]').count()).toBeGreaterThan(0);
      await expectA11y(coord, `escalate form errors (${lang})`);
      await screenshot(coord, 'ombudsman-office', `escalate-errors-${lang}`);
    }
    await staff.close();
  });

  it('without JavaScript the Ombudsman signs in to its list and opens a report', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.ombudsman);
    expect(new URL(page.url()).pathname).toBe('/kantor/ombudsman');
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/kantor/ombudsman/laporan/${made.shared}"]`),
    ]);
    expect(await page.locator('h1').textContent()).toContain('Jalan provinsi di Balikpapan amblas');
    expect(await page.locator('form[method="post"][action^="/kantor/laporan"]').count()).toBe(0);
    // The notice of the hand-off leads to the same page.
    await page.goto(`${t.url}/kantor/notifikasi`);
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/kantor/ombudsman/laporan/${made.unshared}"]`),
    ]);
    expect(await page.locator('h1').textContent()).toContain('Drainase jalan provinsi Balikpapan tersumbat');
    // The back office's home is the staff queue: it leads the Ombudsman to its own list instead.
    const res = await page.goto(`${t.url}/kantor`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/kantor/ombudsman');
    await ctx.close();
  });
});
