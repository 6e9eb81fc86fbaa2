/**
 * Email updates on a public report in chromium: signed out, the page offers a way to sign in that comes back to the
 * report; signed in, the person turns updates on and off without JavaScript; the email's own link stops them without
 * JavaScript or a sign-in; zero axe violations in id and en. The emails themselves: src/jobs/supporter-updates.test.ts.
 *
 * Screenshots: tmp/screenshots/citizen/.
 */
import { sql } from 'drizzle-orm';
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
import { supporterUnsubscribeUrl } from '../src/commands/supporter-unsubscribe.ts';

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

  it("the email's link: asks, then stops without JavaScript or a sign-in; zero axe violations in id and en", async () => {
    const id = await submitReport(t, 'Lampu lalu lintas mati di simpang Jalan Juanda', {
      reporter: { name: 'Warga Juanda', email: 'juanda@contoh.aduan.id' },
    });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const token = await t.login(DEMO.citizen);
    const on = await t.api(`/api/v1/reports/${id}/updates`, { method: 'PUT', json: { email: true }, token });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const ids = (await t.runtime.services.db.execute(
      sql`select r.id as report_id, u.id as user_id from reports r, users u
           where r.tracking_id = ${id} and u.email = ${DEMO.citizen}`,
    )) as unknown as { rows: Array<{ report_id: string; user_id: string }> };
    const link = await supporterUnsubscribeUrl(
      t.runtime.services,
      ids.rows[0]!.report_id,
      ids.rows[0]!.user_id,
      'id',
    );
    const path = link.slice(link.indexOf('/kabar/'));

    const js = await b.context();
    const page = await js.newPage();
    for (const lang of ['id', 'en']) {
      await page.goto(`${t.url}${path}&lang=${lang}`);
      await expectA11y(page, `unsubscribe confirmation (${lang})`);
    }
    await page.goto(`${t.url}${path}&lang=id`);
    await screenshot(page, 'citizen', 'unsubscribe-confirm');
    await js.close();

    const nojs = await b.context({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    await p.goto(`${t.url}${path}`);
    await expect(p.locator('h1').textContent()).resolves.toBe('Berhenti menerima kabar laporan');
    await p.getByRole('button', { name: 'Berhenti menerima kabar' }).click();
    await expect(p.locator('h1').textContent()).resolves.toBe('Kabar dihentikan');
    await p.getByRole('link', { name: `Lihat laporan ${id}` }).click();
    expect(p.url()).toBe(`${t.url}/laporan/${id}`);
    await nojs.close();
    expect((await t.api(`/api/v1/reports/${id}/updates`, { token })).body).toEqual({
      trackingId: id,
      supported: true,
      updates: false,
    });

    const after = await b.context();
    const done = await after.newPage();
    for (const lang of ['id', 'en']) {
      await done.goto(`${t.url}${path}&lang=${lang}`);
      await expectA11y(done, `unsubscribe, already stopped (${lang})`);
    }
    await done.goto(`${t.url}/kabar/berhenti?t=${'x'.repeat(64)}`);
    await expectA11y(done, 'unsubscribe, invalid link');
    await after.close();
  });
});
