/**
 * The tracking page's supplement form with its file input in a real browser (chromium + axe-core): zero WCAG 2.2
 * A/AA violations in Bahasa Indonesia and English, on the page and on the page a refused file brings back; and
 * with JavaScript DISABLED the reporter completes a held report with text and a photo (multipart form POST,
 * redirect back, "1 lampiran" on the supplement).
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  withAppAndBrowser,
  type TestBrowser,
} from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;
withAppAndBrowser((app, browser) => {
  t = app;
  b = browser;
});

async function heldReport(): Promise<{ trackingId: string; accessKey: string }> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan berlubang di depan SD Negeri 12',
      body: 'Lubang besar di badan jalan depan sekolah, sudah dua murid jatuh dari sepeda motor minggu ini.',
      regionCode: '64.71',
      reporter: { name: 'Pelapor Peramban', email: 'peramban@contoh.aduan.id' },
    },
  });
  expect(r.status).toBe(201);
  const { trackingId, accessKey } = r.body as { trackingId: string; accessKey: string };
  const hold = await t.api(`/api/v1/reports/${trackingId}/actions/hold`, {
    json: { question: 'Mohon kirim foto lubangnya.' },
    token: await t.login(DEMO.coordinator),
  });
  expect(hold.status).toBe(200);
  return { trackingId, accessKey };
}

describe.skipIf(!HAS_CHROMIUM)('tracking page: files with the supplement (browser)', () => {
  it('zero axe violations with the file inputs and with a refused file, in id and en', async () => {
    const { trackingId, accessKey } = await heldReport();
    const ctx = await b.context();
    const page = await ctx.newPage();
    for (const lang of ['id', 'en'] as const) {
      await page.goto(`${t.url}/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}&lang=${lang}`);
      expect(await page.locator('#f-supplementFiles').getAttribute('type')).toBe('file');
      expect(await page.locator('#f-commentFiles').getAttribute('type')).toBe('file');
      await expectA11y(page, `${lang} tracking page with file inputs`);
      await screenshot(page, 'track-files', `${lang}-tracking`);
      // A text file under a photo's name: refused next to the field, the text kept.
      await page.fill('#f-body', 'Foto lubangnya saya lampirkan.');
      await page.setInputFiles('#f-supplementFiles', {
        name: 'lubang.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('bukan gambar'),
      });
      await page.locator('form[action$="/supplement"] button[type="submit"]').click();
      expect(await page.locator('#f-supplementFiles-error').textContent()).toContain('lubang.jpg');
      expect(await page.locator('#f-body').inputValue()).toBe('Foto lubangnya saya lampirkan.');
      await expectA11y(page, `${lang} tracking page with a refused file`);
      await screenshot(page, 'track-files', `${lang}-refused`);
    }
    await ctx.close();
  });

  it('without JavaScript the reporter completes a held report with text and a photo', async () => {
    const { trackingId, accessKey } = await heldReport();
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}`);
    await page.fill('#f-body', 'Foto lubang di depan sekolah saya lampirkan.');
    const photo = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#654' } })
      .jpeg()
      .toBuffer();
    await page.setInputFiles('#f-supplementFiles', {
      name: 'lubang-jalan.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await page.getByRole('button', { name: 'Kirim keterangan' }).click();
    await expect(page.locator('.notice-ok').textContent()).resolves.toBeTruthy();
    const html = await page.content();
    expect(html).toContain('lubang-jalan.jpg</a>');
    expect(html).toContain('<p class="timeline-explanation">1 lampiran</p>');
    await ctx.close();
  });
});
