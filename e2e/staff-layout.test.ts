/**
 * Back-office QA fixes in chromium:
 *
 * - 360 px: the staff queue (its deadline column, with long titles, overdue countdowns and the verify tab's
 *   suggestion column), the verification screen's similar reports (score and "Duplikat dari ini" on screen) and the
 *   holiday calendar page (a regional holiday named by region) never make the page
 *   itself scroll sideways: `document.documentElement.scrollWidth` stays within the 360 px viewport, and each queue
 *   row's deadline is on screen (the rows stack below 40rem instead of scrolling a column out of view).
 * - Zero axe violations (wcag2a, wcag2aa, wcag21aa, wcag22aa), in id and en, on: the returned-report panel of the
 *   verification screen, the `confirmRedispatch` and `confirmUnstaffed` checkboxes as shown after the refusal, the
 *   pull-back form ("Tarik kembali ke verifikasi") and its error state, and the notices after a return and a
 *   pull-back.
 * - 1280 px: the routing accuracy page's month table (nine columns), each chart's table beside its chart
 *   (`.chart-pair`) and the verification screen's similar reports show all their columns without a scroll box.
 *
 * Screenshots: tmp/screenshots/staff-layout/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  actOk,
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../test/helpers/web-client.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;
let coord: string;
let catRoads: number;

const LANGS = ['id', 'en'] as const;
const WIDTH = 360;

/** A long title without spaces to break at, the worst case for a table cell. */
const LONG_TITLE =
  'Jalan-provinsi-Samarinda–Bontang-berlubang-besar-di-kilometer-duapuluh-tujuh-membahayakan-pengendara';

const submit = (title: string) =>
  submitReport(t, title, {
    body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang, sudah berminggu-minggu.`,
    reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' },
  });

/**
 * What makes the page wider than its viewport: the document's scroll width and, for the failure message, the
 * elements reaching past the right edge that are not inside a scroll container of their own.
 */
async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      className: unknown;
      id: string;
      parentElement: El | null;
      getBoundingClientRect(): { right: number };
    };
    const doc = (
      globalThis as unknown as {
        document: {
          documentElement: { scrollWidth: number; clientWidth: number };
          querySelectorAll(s: string): Iterable<El>;
        };
      }
    ).document;
    const style = (
      globalThis as unknown as { getComputedStyle(e: El): { overflowX: string } }
    ).getComputedStyle.bind(globalThis);
    const vw = doc.documentElement.clientWidth;
    const scrolls = (e: El) => {
      for (let p = e.parentElement; p; p = p.parentElement)
        if (['auto', 'scroll', 'hidden'].includes(style(p).overflowX)) return true;
      return false;
    };
    const culprits = [...doc.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > vw + 0.5 && !scrolls(e))
      .slice(0, 12)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.split(' ').join('.')}` : ''} → ${Math.round(e.getBoundingClientRect().right)}`,
      );
    return { scrollWidth: doc.documentElement.scrollWidth, culprits };
  });
}

async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const o = await sidewaysOverflow(page);
  expect(o.scrollWidth, `${label}: ${o.culprits.join(', ')}`).toBeLessThanOrEqual(WIDTH);
}

describe.skipIf(!HAS_CHROMIUM)('back-office layout at 360 px and confirmation forms in chromium', () => {
  beforeAll(async () => {
    // The real time (browser cookies expire against it), on a clock the test can move forward.
    t = await startTestApp({ now: new Date() });
    coord = await t.login(DEMO.coordinator);
    [catRoads] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG');
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('the queue, the similar reports and the holiday calendar do not scroll sideways at 360 px', async () => {
    // Waiting, dispatched and (once the clock moves) overdue reports, one with a title that cannot wrap.
    const waiting = await submit(LONG_TITLE);
    await submit('Lampu penerangan jalan umum mati di Jalan Melati sejak minggu lalu');
    for (const title of [LONG_TITLE, 'Drainase tersumbat di permukiman, air meluap ke jalan']) {
      await verifyReport(t, coord, await submit(title), 'pupr-kaltim', catRoads);
    }
    // A regional holiday of Kota Balikpapan, entered on the page as a coordinator would.
    const web = await signInWeb(t.url, DEMO.coordinator);
    const year = t.clock.now.getUTCFullYear();
    const cal = await web.get(`/kantor/admin/kalender?tahun=${year}`);
    const added = await web.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: `${year}-12-03`,
      name: 'Hari jadi Kota Balikpapan dan peringatan daerah yang namanya cukup panjang',
      regionCode: '64.71',
    });
    expect(added.status, added.html.slice(0, 300)).toBe(303);
    // Six weeks on, the verification and follow-up clocks are overdue.
    t.setNow(new Date(t.clock.now.getTime() + 42 * 86_400_000));

    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: WIDTH, height: 780 });
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of LANGS) {
      for (const path of ['/kantor?tab=verify', '/kantor?tab=dispatched', '/kantor?tab=overdue']) {
        await page.goto(`${t.url}${path}&lang=${lang}`);
        expect(await page.locator('.queue-table tbody tr').count(), path).toBeGreaterThan(0);
        await expectNoSidewaysScroll(page, `${lang} ${path}`);
        // The deadline itself is on screen, not in a column scrolled out of view.
        const deadline = (await page.locator('.queue-table tbody tr td:last-child').first().boundingBox())!;
        expect(deadline.x, `${lang} ${path} deadline`).toBeGreaterThanOrEqual(0);
        expect(deadline.x + deadline.width, `${lang} ${path} deadline`).toBeLessThanOrEqual(WIDTH);
        // The explanation of a deadline, opened, stays inside the page too.
        await page.locator('.queue-table details.deadline summary').first().click();
        await expectNoSidewaysScroll(page, `${lang} ${path} with an explanation open`);
        await expectA11y(page, `${lang} ${path} at 360 px`);
      }
      await screenshot(page, 'staff-layout', `queue-360-${lang}`);
      // The verification screen's similar reports (the other report with the same title) stack too: the score and
      // "Duplikat dari ini" are on screen, not in columns scrolled out of view.
      await page.goto(`${t.url}/kantor/laporan/${waiting}?lang=${lang}`);
      const similar = page.locator('[data-slot="similar-reports"] .similar-table tbody tr');
      expect(await similar.count(), `${lang} similar reports`).toBeGreaterThan(0);
      await expectNoSidewaysScroll(page, `${lang} verification screen`);
      for (const cell of ['td[data-score]', 'a[data-duplicate-of]']) {
        const box = (await similar.first().locator(cell).boundingBox())!;
        expect(box.x, `${lang} ${cell}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${lang} ${cell}`).toBeLessThanOrEqual(WIDTH);
      }
      await expectA11y(page, `${lang} verification screen at 360 px`);
      await screenshot(page, 'staff-layout', `similar-360-${lang}`);
      await page.goto(`${t.url}/kantor/admin/kalender?tahun=${year}&lang=${lang}`);
      expect(await page.locator('td[data-region="64.71"]').first().textContent()).toBe(
        'Kota Balikpapan (64.71)',
      );
      await expectNoSidewaysScroll(page, `${lang} calendar`);
      await expectA11y(page, `${lang} calendar at 360 px`);
      await screenshot(page, 'staff-layout', `calendar-360-${lang}`);
    }
    await ctx.close();
  });

  it("at desk width every column of the routing month table and of the charts' tables is on screen, not scrolled away", async () => {
    // Two reports of one problem: the second's verification screen lists the first as similar.
    const sameProblem = 'Lampu jalan padam di simpang empat dekat kantor kelurahan sejak seminggu';
    await submit(sameProblem);
    const second = await submit(sameProblem);
    // One verification is enough for the routing page to show its month table; the statistics pages need reports.
    // A fresh sign-in: the first test moved the clock past the session's expiry.
    await verifyReport(
      t,
      await t.login(DEMO.coordinator),
      await submit('Trotoar rusak di depan pasar, pejalan kaki turun ke jalan'),
      'pupr-kaltim',
      catRoads,
    );
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of LANGS) {
      for (const [path, selector] of [
        // Nine columns; the English headers ("Verifications", "Misrouting rate") overflowed by 42 px.
        ['/kantor/statistik/rute', '.table-scroll:has(table.data-table-dense)'],
        // The month table beside its chart lost "Tingkat penyelesaian" to a scroll box (407 px in 362 px).
        ['/kantor/statistik', '.chart-pair .table-scroll'],
        ['/statistik', '.chart-pair .table-scroll'],
      ] as const) {
        await page.goto(`${t.url}${path}?lang=${lang}`);
        const boxes = await page
          .locator(selector)
          .evaluateAll((els) => els.map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth })));
        expect(boxes.length, `${lang} ${path}`).toBeGreaterThan(0);
        for (const box of boxes) expect(box.scroll, `${lang} ${path}`).toBeLessThanOrEqual(box.client);
      }
      await screenshot(page, 'staff-layout', `statistics-1280-${lang}`);
      // The similar reports on the verification screen: every column on screen, and the title (what the verifier
      // compares) at least 10rem wide; its headers used to stay on one line and squeeze it to one word a line.
      await page.goto(`${t.url}/kantor/laporan/${second}?lang=${lang}`);
      const similar = page.locator('[data-slot="similar-reports"] .table-scroll');
      const box = await similar.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      expect(box.scroll, `${lang} similar reports`).toBeLessThanOrEqual(box.client);
      const titleCell = (await similar.locator('td.similar-title').first().boundingBox())!;
      expect(titleCell.width, `${lang} similar title`).toBeGreaterThanOrEqual(160);
      await expectA11y(page, `${lang} verification screen at 1280 px`);
    }
    await ctx.close();
  });

  it('returned panel, the two confirmations after a refusal, the pull-back form and the notices: zero axe violations', async () => {
    coord = await t.login(DEMO.coordinator); // the clock may have moved since (sessions last 12 h)
    const ctx = await b.context();
    ctx.setDefaultTimeout(60_000);
    const page = await ctx.newPage();

    // The agency returns a report (bukan wewenang) from its report page, naming Dinkes: the queue it lands on says so.
    const returned = await submit('Puskesmas pembantu tutup pada jam pelayanan, pasien menunggu lama');
    await verifyReport(t, coord, returned, 'pupr-kaltim', catRoads);
    await signInPage(page, t.url, DEMO.puprAdmin);
    await page.goto(`${t.url}/kantor/laporan/${returned}`);
    await page.fill('#f-returnNote', 'Layanan puskesmas adalah wewenang Dinas Kesehatan, bukan PUPR.');
    await page.selectOption('#f-suggestedAgencyId', 'dinkes-kaltim');
    await submitSection(page, 'return');
    expect(new URL(page.url()).searchParams.get('selesai')).toBe('kembali');
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor?tab=dispatched&selesai=kembali&lang=${lang}`);
      expect(await page.locator('.notice-ok[role="status"]').textContent()).toContain(
        lang === 'id' ? 'dikembalikan ke verifikator' : 'returned to the verifier',
      );
      expect(await page.content()).not.toContain(returned);
      await expectA11y(page, `${lang} queue after a return`);
    }

    // The verifier: the latest return on top of the verification screen, then the redispatch confirmation.
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor/laporan/${returned}?lang=${lang}`);
      expect(
        await page.locator('[data-slot="latest-return"] [data-suggested-agency="dinkes-kaltim"]').count(),
      ).toBe(1);
      await expectA11y(page, `${lang} returned-report panel`);
      await screenshot(page, 'staff-layout', `returned-panel-${lang}`);
      await chooseAgency(page, 'pupr-kaltim');
      await submitSection(page, 'verify');
      expect(await page.locator('.error-summary a[href="#f-confirmRedispatch"]').count()).toBe(1);
      expect(await page.locator('input[name="confirmRedispatch"]').count()).toBe(1);
      await expectA11y(page, `${lang} confirmRedispatch after the refusal`);
    }

    // An agency nobody could handle the report in: refused without confirmUnstaffed, the warning and checkbox shown.
    const unstaffed = await submit('Aspal jalan kelurahan mengelupas dan berlubang di depan sekolah');
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor/laporan/${unstaffed}?lang=${lang}`);
      await chooseAgency(page, 'pemkab-balikpapan');
      await submitSection(page, 'verify');
      expect(await page.locator('.error-summary a[href="#f-confirmUnstaffed"]').count()).toBe(1);
      expect(
        await page.locator('[data-slot="unstaffed-warning"] input[name="confirmUnstaffed"]').count(),
      ).toBe(1);
      await expectA11y(page, `${lang} confirmUnstaffed after the refusal`);
      await screenshot(page, 'staff-layout', `confirm-unstaffed-${lang}`);
    }

    // The pull-back form, its error state, and the notice once pulled back.
    const pulled = await submit('Jembatan kayu di jalan desa rapuh dan membahayakan warga');
    await actOk(
      t,
      pulled,
      'verify',
      { categoryId: catRoads, agencyId: 'pemkab-balikpapan', confirmUnstaffed: true },
      { token: coord },
    );
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor/laporan/${pulled}?lang=${lang}`);
      expect(await page.locator('#h-pull-back + form textarea[name="pullBackNote"]').count()).toBe(1);
      await expectA11y(page, `${lang} pull-back form`);
      await submitSection(page, 'pull-back');
      expect(await page.locator('.error-summary a[href="#f-pullBackNote"]').count()).toBe(1);
      await expectA11y(page, `${lang} pull-back form with its error`);
    }
    await page.goto(`${t.url}/kantor/laporan/${pulled}?lang=id`);
    await page.fill('#f-pullBackNote', 'Salah pilih instansi: Pemkab Balikpapan belum punya petugas.');
    await submitSection(page, 'pull-back');
    expect(new URL(page.url()).searchParams.get('selesai')).toBe('tarik');
    for (const lang of LANGS) {
      await page.goto(`${t.url}/kantor/laporan/${pulled}?selesai=tarik&lang=${lang}`);
      expect(await page.locator('.notice-ok[role="status"]').textContent()).toContain(
        lang === 'id' ? 'ditarik kembali ke verifikasi' : 'pulled back to verification',
      );
      await expectA11y(page, `${lang} report page after a pull-back`);
    }
    await ctx.close();
  });
});

/** Submits the form of one report-page section (`#h-<action>`) and waits for the page it leads to. */
async function submitSection(page: Page, action: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(`#h-${action} + form button[type="submit"]`)]);
}

/** Picks an agency (and the roads category) in the verify form. */
async function chooseAgency(page: Page, agencyId: string): Promise<void> {
  await page.selectOption('#f-categoryId', String(catRoads));
  await page.selectOption('#f-agencyId', agencyId);
}
