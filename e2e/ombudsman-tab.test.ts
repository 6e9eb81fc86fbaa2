/**
 * The back-office "Ombudsman" queue tab and the coordinator's statistics pages in chromium (QA audit M1, M3, L3):
 *
 * - zero axe violations (wcag2a, wcag2aa, wcag21aa, wcag22aa), in id and en, on the Ombudsman tab (a report handed
 *   over and one waiting for the reporter's consent), on the dashboard with its "handed over to the Ombudsman"
 *   figure, on a drill-down with the agency's name in its heading, and on the back-office error page of a bad date;
 * - with JavaScript disabled the Kota Balikpapan coordinator reaches the tab from the queue's tab links and sees
 *   its region's reports only, and follows the dashboard's link to it.
 *
 * Reports are filed 150 days in the past through the API, then the clock is set to the real present (session
 * cookies expire relative to it), the sweeper offers the hand-off and one reporter consents.
 * Screenshots: tmp/screenshots/ombudsman-tab/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../test/helpers/app.ts';
import { refreshStats } from '../src/commands/refresh-stats.ts';
import { localDate } from '../src/domain/deadline/calendar.ts';
import { runSweep } from '../src/jobs/sweeper.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

const DAY = 86_400_000;
const LANGS = ['id', 'en'] as const;

let t: TestApp;
let b: TestBrowser;
let range = '';
const made: Record<'bppTransferred' | 'bppOffered' | 'smdOffered', string> = {
  bppTransferred: '',
  bppOffered: '',
  smdOffered: '',
};

describe.skipIf(!HAS_CHROMIUM)('Ombudsman tab and coordinator statistics in the browser', () => {
  beforeAll(async () => {
    const past = new Date(Date.now() - 150 * DAY);
    t = await startTestApp({ now: past });
    const categoryId = await categoryIdByName(t);
    const coord = await t.login(DEMO.coordinator);
    const file = async (regionCode: string, agencyId: string, title: string) => {
      const r = await t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title,
          body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
          regionCode,
          reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      await actOk(t, r.body.trackingId, 'verify', { categoryId, agencyId }, { token: coord });
      return r.body as { trackingId: string; accessKey: string };
    };
    const transferred = await file('64.71.01', 'pupr-kaltim', 'Jalan provinsi di Balikpapan amblas');
    made.bppTransferred = transferred.trackingId;
    made.bppOffered = (
      await file('64.71.01', 'dinkes-kaltim', 'Puskesmas Balikpapan tanpa dokter jaga')
    ).trackingId;
    made.smdOffered = (
      await file('64.72.02', 'dinkes-kaltim', 'Puskesmas Samarinda kehabisan vaksin')
    ).trackingId;
    // A fresh one: no offer, in no Ombudsman list.
    t.setNow(new Date());
    await submitReport(t, 'Trotoar di Balikpapan rusak', {
      regionCode: '64.71.01',
      reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
    });
    const offers = await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    expect(offers.filter((a) => a.action === 'ombudsman_offer')).toHaveLength(3);
    await actOk(
      t,
      transferred.trackingId,
      'escalate',
      { consent: true },
      { accessKey: transferred.accessKey },
    );
    await refreshStats(t.runtime.services);
    range = `dari=${localDate(past, 'WITA')}&sampai=${localDate(t.clock.now, 'WITA')}`;
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('has zero axe violations on the tab, the dashboard, a drill-down and the error page, in id and en', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor?tab=ombudsman&lang=${lang}`);
      expect(await page.locator('[data-ombudsman="transferred"]').count()).toBe(1);
      expect(await page.locator('[data-ombudsman="offered"]').count()).toBe(2);
      await expectA11y(page, `ombudsman tab (${lang})`);
      await screenshot(page, 'ombudsman-tab', `tab-${lang}`);

      await page.goto(`${t.url}/kantor/statistik?${range}&lang=${lang}`);
      expect(await page.locator('[data-slot="transferred"]').textContent()).toContain('1');
      await expectA11y(page, `dashboard (${lang})`);

      await page.goto(
        `${t.url}/kantor/statistik/laporan?kelompok=agency&${range}&kunci=dinkes-kaltim&lang=${lang}`,
      );
      expect(await page.locator('h1').textContent()).toContain('Dinas Kesehatan');
      await expectA11y(page, `drill-down (${lang})`);
      await screenshot(page, 'ombudsman-tab', `drill-${lang}`);

      await page.goto(`${t.url}/kantor/statistik?dari=abc&lang=${lang}`);
      expect(await page.locator('[data-slot="field-errors"]').count()).toBe(1);
      await expectA11y(page, `error page (${lang})`);
      await screenshot(page, 'ombudsman-tab', `error-${lang}`);
    }
    await ctx.close();
  });

  it('without JavaScript the Balikpapan coordinator reaches its region’s hand-offs from the tabs and the dashboard', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.balikpapanCoordinator);
    await page.goto(`${t.url}/kantor`);
    await Promise.all([
      page.waitForNavigation(),
      page.click('nav.queue-tabs a[href="/kantor?tab=ombudsman"]'),
    ]);
    const listed = async () =>
      (await page.locator('table.queue-table a[href^="/kantor/laporan/"]').allTextContents()).sort();
    expect(await listed()).toEqual([made.bppTransferred, made.bppOffered].sort());
    expect(await page.locator('h2').first().textContent()).toBe('Ombudsman');

    await page.goto(`${t.url}/kantor/statistik?${range}`);
    await Promise.all([page.waitForNavigation(), page.click('[data-slot="transferred"] a')]);
    expect(new URL(page.url()).search).toBe('?tab=ombudsman');
    expect(await listed()).not.toContain(made.smdOffered);
    await ctx.close();
  });
});
