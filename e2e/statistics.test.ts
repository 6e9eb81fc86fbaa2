/**
 * Statistics and evaluation pages in a real browser (Debian chromium + playwright-core): zero axe
 * violations (WCAG 2.0/2.1/2.2 A and AA) in Bahasa Indonesia and English on the public statistics page,
 * the monthly report, the back-office dashboard (table and month views), the drill-down list, the
 * evaluation page with the scoring form and its error state, the public results and a certificate;
 * the public page works with JavaScript disabled; page weight (HTML + CSS gzipped) is measured.
 * Skips when chromium is absent.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { seedStatsReports } from '../test/helpers/stats-fixture.ts';
import { snapshotOpenData } from '../src/commands/snapshot-open-data.ts';
import { HAS_CHROMIUM, checkA11y, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { publishReviewed } from '../test/helpers/evaluation.ts';

let t: TestApp;
let b: TestBrowser;

async function expectClean(page: Page, path: string, name: string) {
  const res = await page.goto(t.url + path);
  expect([200, 422], path).toContain(res?.status());
  const v = await checkA11y(page);
  expect(v, `${path}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
  await screenshot(page, 'statistics', name);
}

describe.skipIf(!HAS_CHROMIUM)('statistics and evaluation pages in the browser', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
    await seedStatsReports(t);
    const national = await t.login(DEMO.national);
    const r = await t.api('/api/v1/evaluation/periods', {
      token: national,
      json: {
        id: 'kaltim-2026',
        name: 'Evaluasi Pengelolaan Pengaduan Kalimantan Timur 2026',
        from: '2026-01-01',
        to: '2026-12-31',
        minVolume: 1,
        groups: [
          {
            id: 'pd-kaltim-2026',
            name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
            scope: 'agency',
            participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
          },
        ],
      },
    });
    expect(r.status).toBe(201);
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    expect((await publishReviewed(t, 'kaltim-2026', national)).status).toBe(201);
    // A second, unpublished period: a published one is final and offers no scoring form.
    const open = await t.api('/api/v1/evaluation/periods', {
      token: national,
      json: {
        id: 'kaltim-2026-rubrik',
        name: 'Penilaian Rubrik Kalimantan Timur 2026',
        from: '2026-01-01',
        to: '2026-12-31',
        minVolume: 1,
        groups: [
          {
            id: 'pd-kaltim-2026-rubrik',
            name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
            scope: 'agency',
            participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
          },
        ],
      },
    });
    expect(open.status, JSON.stringify(open.body)).toBe(201);
    // Real clock for the browser: a past test clock gives session cookies an expiry the browser drops.
    t.setNow(new Date());
    b = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    it(`zero axe violations on every statistics/evaluation page (${lang})`, async () => {
      const ctx = await b.context({ locale: lang === 'id' ? 'id-ID' : 'en-GB' });
      const page = await ctx.newPage();
      await page.goto(`${t.url}/?lang=${lang}`);
      for (const [path, name] of [
        ['/statistik?tahun=2026', 'public'],
        ['/statistik', 'public-this-year'],
        ['/statistik?tahun=2026&prov=32', 'public-jabar'],
        ['/statistik/bulanan?bulan=2026-03', 'monthly'],
        ['/evaluasi/kaltim-2026', 'results'],
        ['/evaluasi/kaltim-2026/sertifikat/pupr-kaltim?kelompok=pd-kaltim-2026', 'certificate'],
      ] as const)
        await expectClean(page, path, `${name}-${lang}`);
      await signInPage(page, t.url, DEMO.national);
      expect(page.url()).not.toContain('/masuk');
      for (const [path, name] of [
        ['/kantor/statistik?dari=2026-03-01&sampai=2026-03-31', 'dashboard'],
        ['/kantor/statistik?kelompok=month&dari=2026-01-01&sampai=2026-04-15', 'dashboard-month'],
        [
          '/kantor/statistik/laporan?kelompok=agency&dari=2026-03-01&sampai=2026-03-31&kunci=pupr-kaltim',
          'drill',
        ],
        ['/kantor/evaluasi', 'eval-list'],
        ['/kantor/evaluasi/kaltim-2026', 'eval-period'],
      ] as const)
        await expectClean(page, path, `${name}-${lang}`);
      // The scoring form's error state (no evidence, too short, out of range), on the unpublished period, once a
      // participant is chosen (step 1 alone: e2e/evaluation-forms.test.ts).
      await expectClean(
        page,
        '/kantor/evaluasi/kaltim-2026-rubrik?agencyId=pupr-kaltim',
        `eval-open-period-${lang}`,
      );
      await page.fill('#f-score', '150');
      await page.fill('#f-justification', 'pendek');
      await Promise.all([page.waitForNavigation(), page.click('form[enctype] button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      const v = await checkA11y(page);
      expect(v, JSON.stringify(v)).toEqual([]);
      await screenshot(page, 'statistics', `eval-error-${lang}`);
      await ctx.close();
    }, 240_000);
  }

  it('the monthly report, results and certificate print to PDF without navigation or forms', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.emulateMedia({ media: 'print' });
    for (const [path, mustShow] of [
      [
        '/statistik/bulanan?bulan=2026-03',
        ['#kategori-h', '#instansi-h', '#kasus-h', 'figure svg', 'table.data-table'],
      ],
      ['/evaluasi/kaltim-2026', ['table']],
      ['/evaluasi/kaltim-2026/sertifikat/pupr-kaltim?kelompok=pd-kaltim-2026', ['.certificate']],
    ] as const) {
      expect((await page.goto(t.url + path))?.status(), path).toBe(200);
      // Navigation, header tools, filters, buttons and the footer are hidden in print.
      for (const sel of ['.site-header nav', '.header-tools', '.site-footer', '.no-print', '.filter-row'])
        for (const el of await page.locator(sel).all())
          expect(await el.isVisible(), `${path} ${sel}`).toBe(false);
      for (const sel of mustShow)
        expect(await page.locator(sel).first().isVisible(), `${path} ${sel}`).toBe(true);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1'), path).toBe('%PDF-');
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
      expect(pages, path).toBeGreaterThanOrEqual(1);
      if (path.includes('sertifikat')) expect(pages, 'certificate fits one page').toBe(1);
    }
    await ctx.close();
  }, 120_000);

  it('the public page works without JavaScript (province selector) and stays light', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/statistik?tahun=2026`);
    await page.selectOption('#f-prov', '32');
    await Promise.all([page.waitForNavigation(), page.click('form.filter-row button')]);
    expect(page.url()).toContain('prov=32');
    expect(await page.locator('h2', { hasText: 'Jawa Barat' }).count()).toBe(1);
    await ctx.close();
    const weigh = async (path: string) => Buffer.from(await (await fetch(t.url + path)).arrayBuffer());
    const css = Buffer.concat([await weigh('/static/app.css'), await weigh('/static/stats.css')]);
    for (const path of ['/statistik?tahun=2026', '/statistik/bulanan?bulan=2026-03']) {
      const html = await weigh(path);
      const gz = gzipSync(html).length + gzipSync(css).length;
      console.log(`page weight ${path}: html ${html.length} B, html+css gzip ${gz} B`);
      expect(gz).toBeLessThan(60 * 1024);
    }
  }, 120_000);
});
