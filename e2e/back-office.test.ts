/**
 * Back office in a real browser (Debian chromium + playwright-core): zero axe violations (WCAG 2.0/2.1/2.2 A
 * and AA) on the queue, the report page (verifier and agency views) and the walk-in form with its error state,
 * in Bahasa Indonesia and English; and one journey with JavaScript disabled: the coordinator signs in and
 * verifies, the PUPR admin disposes, the officer posts a final follow-up, while the agency never sees the
 * anonymous reporter's name. Skips when chromium is absent.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { signInPage } from './helpers/session.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Screenshots are test artifacts in the git-ignored tmp/ folder. */
const SHOTS = new URL('../tmp/screenshots/back-office/', import.meta.url).pathname;
const SECRET_NAME = 'Sukma Rahasiawati';

let t: TestApp;
let browser: Browser;
let trackingId: string;

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  return violations as string[];
}

async function signOut(page: Page) {
  await Promise.all([page.waitForNavigation(), page.click('header form[action="/keluar"] button')]);
}

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)('back office in the browser', () => {
  beforeAll(async () => {
    // Real clock: a fixed past clock would give session cookies an expiry the browser drops at once.
    t = await startTestApp();
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jembatan kayu hampir roboh',
        body: 'Jembatan kayu penghubung dua kampung sudah miring dan papannya banyak yang patah sejak banjir.',
        regionCode: '64.72.02',
        anonymous: true,
        reporter: { name: SECRET_NAME, email: 'sukma.rahasia@contoh.aduan.id' },
      },
    });
    trackingId = r.body.trackingId;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('has zero axe violations on queue, report (verifier), walk-in and its error state, in id and en', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.coordinator);
    for (const lang of ['id', 'en']) {
      // The last one: a back-office error page (404), which keeps the staff menu.
      for (const path of [
        '/kantor',
        `/kantor/laporan/${trackingId}`,
        '/kantor/lapor-langsung',
        '/kantor/laporan/0000000000',
      ]) {
        await page.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(await axe(page), `${path} ${lang}`).toEqual([]);
        // No routing model is trained here: the verify queue says there is no suggestion yet.
        if (path === '/kantor')
          expect(await page.locator('td.hint').first().textContent()).toBe(
            lang === 'id' ? 'Belum ada saran' : 'No suggestion yet',
          );
      }
      await page.goto(`${t.url}/kantor/lapor-langsung?lang=${lang}`);
      await page.fill('#f-title', 'abc');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
      expect(await axe(page), `walk-in error ${lang}`).toEqual([]);
      await shot(page, `walk-in-error-${lang}`);
    }
    await ctx.close();
  });

  it('journey without JavaScript: verify → dispose → final follow-up; agency never sees the name', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();

    await signInPage(page, t.url, DEMO.coordinator);
    await page.goto(`${t.url}/kantor`);
    await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
    expect(await page.content()).toContain(SECRET_NAME);
    await page.selectOption('#f-categoryId', { label: 'PEKERJAAN UMUM DAN PENATAAN RUANG' });
    await page.selectOption('#f-agencyId', 'pupr-kaltim');
    await shot(page, 'report-verifier');
    await Promise.all([page.waitForNavigation(), page.click('#h-verify + form button[type="submit"]')]);
    expect(page.url()).toContain('selesai=1');
    await signOut(page);

    await signInPage(page, t.url, DEMO.puprAdmin);
    await page.goto(`${t.url}/kantor?tab=dispatched`);
    expect(await page.content()).not.toContain(SECRET_NAME);
    await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
    expect(await page.content()).not.toContain(SECRET_NAME);
    await page.selectOption('#f-unitId', 'pupr-kaltim-unit');
    await shot(page, 'report-agency');
    await Promise.all([page.waitForNavigation(), page.click('#h-dispose + form button[type="submit"]')]);
    expect(page.url()).toContain('selesai=1');
    await signOut(page);

    await signInPage(page, t.url, DEMO.puprOfficer);
    await page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    expect(await page.content()).not.toContain(SECRET_NAME);
    await page.fill('#f-body', 'Jembatan sudah diperkuat dan dibuka kembali untuk warga.');
    await page.check('#f-kind-1');
    await Promise.all([page.waitForNavigation(), page.click('#h-respond + form button[type="submit"]')]);
    const html = await page.content();
    expect(html).toContain('Jembatan sudah diperkuat');
    expect(html).not.toContain(SECRET_NAME);
    await ctx.close();

    // The agency view is accessible too (JavaScript on for axe), in both languages.
    const a = await browser.newContext();
    const ap = await a.newPage();
    await signInPage(ap, t.url, DEMO.puprAdmin);
    for (const lang of ['id', 'en']) {
      await ap.goto(`${t.url}/kantor/laporan/${trackingId}?lang=${lang}`);
      expect(await axe(ap), `agency report ${lang}`).toEqual([]);
      await ap.goto(`${t.url}/kantor?tab=dispatched&lang=${lang}`);
      expect(await axe(ap), `agency queue ${lang}`).toEqual([]);
    }
    await a.close();
  });
});
