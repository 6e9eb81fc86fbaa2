/**
 * The auto-dispatch admin page in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa, wcag22aa) on the
 * settings page with a listed auto-dispatch (national admin and coordinator views), its error state and the pull-back
 * confirmation (with its error state), in Bahasa Indonesia and English (axe runs with JavaScript on); then the whole job without JavaScript: the national
 * admin turns an agency rule on, and the PUPR admin pulls the auto-dispatched report back to verification. The routing
 * accuracy page linked from the settings page: zero axe violations (id, en) and its period filter without JavaScript.
 * Screenshots: tmp/screenshots/auto-dispatch/. Synthetic texts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  categoryIdByName,
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../test/helpers/app.ts';
import { HEALTH, ROADS } from '../test/helpers/routing-corpus.ts';
import { autoDispatchPending } from '../src/commands/auto-dispatch.ts';
import { trainRoutingModels } from '../src/commands/train-routing.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

const PAGE = '/kantor/admin/rute-otomatis';
let t: TestApp;
let b: TestBrowser;
let dispatched: string;

const submit = (title: string) =>
  submitReport(t, title, { reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' } });

describe.skipIf(!HAS_CHROMIUM)('auto-dispatch admin page in chromium', () => {
  beforeAll(async () => {
    t = await startTestApp({ limits: { submitPerMinute: 1000 } });
    const coord = await t.login(DEMO.coordinator);
    const [roads, health] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
    for (const [titles, agencyId, categoryId] of [
      [ROADS, 'pupr-kaltim', roads],
      [HEALTH, 'dinkes-kaltim', health],
    ] as const) {
      for (const title of titles) {
        await verifyReport(t, coord, await submit(title), agencyId, categoryId);
      }
    }
    await trainRoutingModels(t.runtime.services, { cvMaxRows: 0, kinds: ['agency', 'category'] });
    await t.runtime.services.db.execute(
      sql`insert into settings (key, value)
          values ('routing.auto_dispatch', ${JSON.stringify({ instance: { enabled: true, threshold: 0.5 } })}::jsonb)
          on conflict (key) do update set value = excluded.value`,
    );
    dispatched = await submit('Jalan rusak berlubang dan aspal mengelupas dekat jembatan');
    const pass = await autoDispatchPending(t.runtime.services);
    expect(pass.dispatched.map((d) => d.trackingId)).toEqual([dispatched]);
    b = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    it(`the settings page, its error state and the pull-back page have zero axe violations (${lang})`, async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.national);
      const res = await page.goto(`${t.url}${PAGE}?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator(`[data-auto-dispatch="${dispatched}"]`).count()).toBe(1);
      await expectA11y(page, `${lang} settings`);
      await screenshot(page, 'auto-dispatch', `${lang}-settings`);
      // Error state: a threshold below 50 on the instance form.
      await page.fill('#f-instanceThreshold', '30');
      await Promise.all([page.waitForNavigation(), page.click('#h-instance ~ form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} settings error`);
      // The pull-back confirmation and its error state (no reason).
      await page.goto(`${t.url}${PAGE}/${dispatched}/tarik?lang=${lang}`);
      await expectA11y(page, `${lang} pull back`);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      await expectA11y(page, `${lang} pull back error`);
      await screenshot(page, 'auto-dispatch', `${lang}-pull-back-error`);
      await ctx.close();
      // The coordinator's view: the instance rule read-only; it manages the agency, so it may pull back too.
      const cctx = await b.context();
      const cpage = await cctx.newPage();
      await signInPage(cpage, t.url, DEMO.coordinator);
      await cpage.goto(`${t.url}${PAGE}?lang=${lang}`);
      expect(await cpage.locator(`[data-auto-dispatch="${dispatched}"]`).count()).toBe(1);
      expect(await cpage.locator(`a[href="${PAGE}/${dispatched}/tarik"]`).count()).toBe(1);
      await expectA11y(cpage, `${lang} settings (coordinator)`);
      await cctx.close();
    }, 120_000);
  }

  it('works without JavaScript: set an agency rule, then pull the report back to verification', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    await page.goto(`${t.url}${PAGE}`);
    await page.selectOption('#f-agencyId', 'dinkes-kaltim');
    await page.check('#f-agencyEnabled');
    await page.fill('#f-agencyThreshold', '80');
    await Promise.all([page.waitForNavigation(), page.click('#h-agency-set ~ form button[type="submit"]')]);
    expect(page.url()).toContain('selesai=1');
    expect(await page.textContent('main')).toContain('aktif, ambang 80%');
    await ctx.close();

    const ctx2 = await b.context({ javaScriptEnabled: false });
    const pupr = await ctx2.newPage();
    await signInPage(pupr, t.url, DEMO.puprAdmin);
    await pupr.goto(`${t.url}${PAGE}`);
    await Promise.all([pupr.waitForNavigation(), pupr.click(`a[href="${PAGE}/${dispatched}/tarik"]`)]);
    await pupr.fill('#f-note', 'Diteruskan otomatis ke instansi yang kurang tepat.');
    await Promise.all([pupr.waitForNavigation(), pupr.click('main form button[type="submit"]')]);
    expect(pupr.url()).toContain('selesai=tarik');
    expect(await pupr.textContent('.notice-ok')).toContain('antrean verifikasi');
    const report = await t.api(`/api/v1/reports/${dispatched}`, { token: await t.login(DEMO.coordinator) });
    expect(report.body.status).toBe('returned');
    await ctx2.close();
  }, 120_000);

  it('the routing accuracy page linked from here: zero axe violations, and it renders without JavaScript', async () => {
    // One suggestion shown and decided, so the month has figures and the charts render.
    const coord = await t.login(DEMO.coordinator);
    const id = await submit('Aspal jalan rusak dan berlubang di kampung');
    expect((await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord })).status).toBe(200);
    const roads = await categoryIdByName(t);
    await verifyReport(t, coord, id, 'pupr-kaltim', roads);
    const ctx = await b.context();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    await page.goto(`${t.url}${PAGE}`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/kantor/statistik/rute"]')]);
    for (const lang of ['id', 'en'] as const) {
      const res = await page.goto(`${t.url}/kantor/statistik/rute?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('svg.chart[role="img"]').count()).toBe(3);
      await expectA11y(page, `${lang} routing accuracy`);
      await screenshot(page, 'auto-dispatch', `${lang}-routing-accuracy`);
    }
    await ctx.close();
    const noJs = await b.context({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await signInPage(plain, t.url, DEMO.coordinator);
    await plain.goto(`${t.url}/kantor/statistik/rute?lang=id`);
    await plain.selectOption('#f-bulan', '6');
    await Promise.all([plain.waitForNavigation(), plain.click('form.filter-row button')]);
    expect(plain.url()).toContain('bulan=6');
    expect(await plain.textContent('h1')).toBe('Ketepatan saran rute');
    expect(await plain.locator('table.data-table tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await plain.locator('svg.chart').count()).toBe(3);
    await noJs.close();
  }, 120_000);
});
