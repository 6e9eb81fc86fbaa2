/**
 * Citizen pages in a real browser (Debian chromium + playwright-core + axe-core): zero WCAG 2.2 A/AA
 * violations on every citizen page in Bahasa Indonesia and English, the full report journey with JavaScript
 * DISABLED ending on the confirmation page, the tracking page timeline, and page weights (HTML + CSS,
 * gzip) of the home page and a form step. Skips with a message when chromium is absent.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { MINIMAL_PDF } from '../test/helpers/pdf.ts';
import { checkA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;
let publicId: string;
let tracked: { trackingId: string; accessKey: string };

async function seedReport(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jembatan kayu rapuh di Desa Sungai',
      body: 'Papan jembatan banyak yang patah dan anak-anak sekolah melewatinya setiap pagi.',
      regionCode: '64.71',
      reporter: { name: 'Pelapor Peramban', email: 'peramban@contoh.aduan.id' },
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  const categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
    json: { categoryId, agencyId: 'pupr-kaltim' },
    token: coord,
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  return r.body as { trackingId: string; accessKey: string };
}

async function expectA11y(page: Page, label: string) {
  const v = await checkA11y(page);
  expect(v, `${label}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const JOURNEY_TEXT = {
  title: 'Lampu lalu lintas mati di simpang Rapak',
  body: 'Lampu lalu lintas di simpang Rapak mati sejak Senin dan menyebabkan kemacetan panjang.',
};

/** Fills and submits the steps up to the category step (Balikpapan); `check` runs on every page reached. */
async function toCategoryStep(page: Page, check: (label: string) => Promise<void>, text = JOURNEY_TEXT) {
  await page.goto(`${t.url}/lapor`);
  await check('step jenis');
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step jenis error');
  await page.locator('#f-classification').check();
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step kejadian');
  await page.fill('#f-title', text.title);
  await page.fill('#f-body', text.body);
  await page.fill('#f-occurredOn', '2026-03-09');
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step lokasi');
  await page.selectOption('#f-prov', '64');
  await page.locator('button[name="_refresh"]').click();
  await page.selectOption('#f-kab', '64.71');
  await page.locator('button[name="_refresh"]').click();
  await check('step lokasi narrowed');
  await page.fill('#f-address', 'Simpang Rapak');
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step kategori');
}

/** Fills and submits each step of the journey; `check` runs on every page reached. */
async function journey(page: Page, check: (label: string) => Promise<void>) {
  await toCategoryStep(page, check);
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step lampiran');
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step privasi');
  await page.locator('#f-privacy').check();
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('step kontak');
  await page.fill('#f-email', 'warga.peramban@contoh.aduan.id');
  await page.getByRole('button', { name: /Lanjutkan|Continue/ }).click();
  await check('check page');
  await page.getByRole('button', { name: /Kirim laporan|Send report/ }).click();
  await check('confirmation');
  return (await page.locator('[data-testid="tracking-number"]').textContent())!.trim();
}

describe.skipIf(!HAS_CHROMIUM)('citizen pages in chromium', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
    b = await launchBrowser();
    publicId = (await seedReport({ anonymous: true })).trackingId;
    tracked = await seedReport({ anonymous: true });
    // The agency's public follow-up with a file, so the public report page's file list is checked by axe and
    // counted in the page weight.
    const agency = await t.login(DEMO.puprAdmin);
    const respond = await t.api(`/api/v1/reports/${publicId}/actions/respond`, {
      json: { body: 'Papan jembatan sudah diganti, berita acara terlampir.', final: false },
      token: agency,
    });
    expect(respond.status, JSON.stringify(respond.body)).toBe(200);
    const agencyFile = new FormData();
    const agencyPdf = MINIMAL_PDF;
    agencyFile.append('file', new Blob([agencyPdf], { type: 'application/pdf' }), 'berita-acara.pdf');
    const agencyUp = await fetch(`${t.url}/api/v1/reports/${publicId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agency}` },
      body: agencyFile,
    });
    expect(agencyUp.status).toBe(201);
    // A file on the tracked report, so the tracking page's attachment list is checked by axe too.
    const fd = new FormData();
    const pdf = MINIMAL_PDF;
    fd.append('file', new Blob([pdf], { type: 'application/pdf' }), 'foto-jembatan.pdf');
    const up = await fetch(`${t.url}/api/v1/reports/${tracked.trackingId}/attachments`, {
      method: 'POST',
      headers: { 'x-access-key': tracked.accessKey },
      body: fd,
    });
    expect(up.status).toBe(201);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    it(`every citizen page has zero axe violations (${lang})`, async () => {
      const ctx = await b.context({ locale: lang === 'en' ? 'en-GB' : 'id-ID' });
      const page = await ctx.newPage();
      await page.goto(`${t.url}/?lang=${lang}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expectA11y(page, `${lang} home`);
      await screenshot(page, 'citizen', `${lang}-home`);
      const id = await journey(page, async (label) => {
        await expectA11y(page, `${lang} ${label}`);
        if (/confirmation|check page|error/.test(label))
          await screenshot(page, 'citizen', `${lang}-${label.replace(/ /g, '-')}`);
      });
      expect(id).toMatch(/^\d{10}$/);
      for (const [label, path] of [
        ['track form', '/lacak'],
        ['tracking page', `/lacak/${tracked.trackingId}?k=${encodeURIComponent(tracked.accessKey)}`],
        ['feed', '/laporan'],
        ['feed search', '/laporan?q=jembatan&prov=64'],
        ['report page', `/laporan/${publicId}`],
        ['sign-in', '/masuk'],
        ['404', '/tidak-ada-halaman'],
      ] as const) {
        const res = await page.goto(t.url + path);
        expect(res?.headers()['content-type']).toContain('text/html');
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        if (label === 'tracking page') expect(await page.content()).toContain('foto-jembatan.pdf</a>');
        if (label === 'report page') {
          const html = await page.content();
          expect(html).toMatch(/>lampiran-[0-9a-f]{8}\.pdf<\/a>/);
          expect(html).not.toContain('Pelapor Peramban');
        }
        await expectA11y(page, `${lang} ${label}`);
        await screenshot(page, 'citizen', `${lang}-${label.replace(/ /g, '-')}`);
      }
      await ctx.close();
    });
  }

  it('the whole report journey works with JavaScript disabled and ends with a tracking number', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    const id = await journey(page, async () => undefined);
    expect(id).toMatch(/^\d{10}$/);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Laporan terkirim');
    const link = await page.locator('[data-testid="private-link"]').getAttribute('href');
    expect(link).toContain(`/lacak/${id}?k=`);
    await page.goto(link!);
    await expect(page.locator('.timeline').first().textContent()).resolves.toContain('Laporan masuk');
    // The reporter replies without JavaScript (form POST, redirect back).
    await page.fill('#f-commentBody', 'Terima kasih, saya tunggu kabarnya.');
    await page.getByRole('button', { name: 'Kirim pesan' }).click();
    await expect(page.locator('.notice-ok').textContent()).resolves.toContain('Pesan Anda terkirim');
    await screenshot(page, 'citizen', 'nojs-tracking');
    await ctx.close();
  });

  it('an error summary receives focus when JavaScript is on (keyboard and screen-reader users)', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lapor/baru`);
    await page.getByRole('button', { name: 'Lanjutkan' }).click();
    expect(await page.evaluate('document.activeElement && document.activeElement.className')).toBe(
      'error-summary',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("href")')).toBe('#f-classification');
    await ctx.close();
  });

  it('similar reports on the category step: zero axe violations, and supporting one works without JavaScript', async () => {
    const text = {
      title: 'Saluran air tersumbat di Jalan Sudirman Klandasan',
      body: 'Saluran air di Jalan Sudirman Klandasan tersumbat sampah, setiap hujan air meluap ke jalan dan rumah warga.',
    };
    const { trackingId } = await seedReport({ ...text, anonymous: true });
    const js = await b.context();
    const page = await js.newPage();
    await toCategoryStep(page, async () => undefined, text);
    const similar = page.locator('section.similar-public');
    await expect(similar.locator(`a[href="/laporan/${trackingId}"]`).textContent()).resolves.toBe(text.title);
    expect(await page.content()).not.toContain('Pelapor Peramban');
    // The pointer above the form leads to the list below it.
    await page.getByRole('link', { name: 'Periksa sebelum melanjutkan' }).click();
    expect(page.url()).toBe(`${t.url}/lapor/kategori#similar-public-title`);
    await expect(page.locator('#similar-public-title').isVisible()).resolves.toBe(true);
    expect(
      await page.evaluate('document.getElementById("similar-public-title").getBoundingClientRect().top'),
    ).toBeLessThan(await page.evaluate('window.innerHeight'));
    await expectA11y(page, 'step kategori with similar reports');
    await screenshot(page, 'citizen', 'kategori-similar');
    // The thanks after supporting from the draft, with its way back (axe needs JavaScript on).
    await page.goto(`${t.url}/laporan/${trackingId}?dukung=ok&draf=kategori`);
    await expectA11y(page, 'report page after support from the draft');
    await js.close();

    const nojs = await b.context({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    await toCategoryStep(p, async () => undefined, text);
    await p
      .locator('section.similar-public')
      .getByRole('button', { name: /Dukung laporan ini/ })
      .click();
    expect(p.url()).toBe(`${t.url}/laporan/${trackingId}?dukung=ok&draf=kategori`);
    await expect(p.locator('.notice-ok').textContent()).resolves.toContain(
      'Terima kasih atas dukungan Anda.',
    );
    // The draft is kept: the notice leads back to the category step, where the report now counts the support.
    await p.getByRole('link', { name: 'Lanjutkan menulis laporan Anda' }).click();
    expect(p.url()).toBe(`${t.url}/lapor/kategori`);
    await expect(p.locator('section.similar-public .meta').textContent()).resolves.toContain('1 dukungan');
    await nojs.close();
  });

  it('page weight: HTML + CSS of the home page, form steps, feed, report and tracking pages stay under 60 KB (gzip)', async () => {
    const get = async (p: string) => Buffer.from(await (await fetch(t.url + p)).arrayBuffer());
    const css = await get('/static/app.css');
    const js = await get('/static/app.js');
    const sizes: Record<string, { raw: number; gzip: number }> = {};
    for (const [name, path] of [
      ['home', '/'],
      ['form step', '/lapor/kejadian'],
      ['feed', '/laporan'],
      ['category step (every category as an option)', '/lapor/kategori'],
      ['public report page', `/laporan/${publicId}`],
      ['tracking page', `/lacak/${tracked.trackingId}?k=${encodeURIComponent(tracked.accessKey)}`],
    ] as const) {
      const res = await fetch(t.url + path, { redirect: 'manual' });
      expect(res.status, path).toBe(200);
      const html = Buffer.from(await res.arrayBuffer());
      sizes[name] = {
        raw: html.length + css.length,
        gzip: gzipSync(html).length + gzipSync(css).length,
      };
      expect(sizes[name].gzip).toBeLessThan(60 * 1024);
    }
    console.log(
      'page weight (HTML+CSS bytes):',
      JSON.stringify(sizes),
      'app.js',
      js.length,
      'gzip',
      gzipSync(js).length,
    );
  });
});
