/**
 * Browser journeys across both sides (Debian chromium + playwright-core), JavaScript DISABLED for every form,
 * against the real app on the real clock:
 * 1. a citizen files an ANONYMOUS report through the web form and gets a tracking number and private link;
 * 2. the provincial coordinator verifies and dispatches it to Dinas PUPR (and sees the name);
 * 3. the PUPR admin disposes it to Bidang Bina Marga; 4. the officer posts a final follow-up;
 * 5. the citizen accepts with a rating on the tracking page.
 * At every step we assert what each party sees, including that PUPR staff never see the reporter's name.
 * Journey 2: the agency returns it (bukan wewenang) and the coordinator re-routes it to Dinkes.
 * Journey 3: the citizen disputes the final follow-up (a reason with a phone number: warned, confirmed, masked on
 * the public page) and the agency gets it back.
 * Every page a party reaches is also checked with axe-core (zero WCAG 2.2 A/AA violations): axe needs JavaScript,
 * so `expectA11y` reopens the party's current page in a JavaScript-enabled context with the same cookies.
 * Screenshots: tmp/screenshots/journeys/.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../test/global-setup.ts';
import {
  checkA11y,
  HAS_CHROMIUM,
  screenshot,
  type TestBrowser,
  withAppAndBrowser,
} from './helpers/browser.ts';

let t: TestApp;
let b: TestBrowser;

/**
 * Zero axe violations on the page a party is looking at. The journeys run without JavaScript, and axe needs it,
 * so the same URL is opened (GET, no side effect: every form redirects) in a JavaScript context with the same cookies.
 */
async function expectA11y(page: Page, label: string) {
  const js = await b.browser.newContext({
    storageState: await page.context().storageState(),
    locale: 'id-ID',
  });
  const p = await js.newPage();
  await p.goto(page.url());
  expect(p.url(), `${label}: the same page with the same cookies (not a redirect)`).toBe(page.url());
  expect(await p.title()).toBe(await page.title());
  const v = await checkA11y(p);
  await js.close();
  expect(v, `${label} (${page.url()}): ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const continueBtn = (page: Page) => page.getByRole('button', { name: /Lanjutkan|Continue/ });

/** The citizen's web journey without JavaScript; returns the tracking number and private link. */
async function fileAnonymous(page: Page, name: string, title: string) {
  await page.goto(`${t.url}/lapor`);
  await page.locator('#f-classification').check();
  await continueBtn(page).click();
  await page.fill('#f-title', title);
  await page.fill(
    '#f-body',
    `${title}: kondisinya memburuk sejak minggu lalu dan membahayakan warga yang lewat.`,
  );
  await page.fill('#f-occurredOn', '2026-03-09');
  await continueBtn(page).click();
  await page.selectOption('#f-prov', '64');
  await page.locator('button[name="_refresh"]').click();
  await page.selectOption('#f-kab', '64.72');
  await page.locator('button[name="_refresh"]').click();
  await page.fill('#f-address', 'Jalan Juanda');
  await continueBtn(page).click();
  await continueBtn(page).click(); // category: let the verifier choose
  await continueBtn(page).click(); // no attachments
  await page.locator('#f-privacy').check(); // anonim
  await continueBtn(page).click();
  await page.fill('#f-name', name);
  await page.fill('#f-email', 'warga.anonim@contoh.aduan.id');
  await continueBtn(page).click();
  await page.getByRole('button', { name: /Kirim laporan|Send report/ }).click();
  const trackingId = (await page.locator('[data-testid="tracking-number"]').textContent())!.trim();
  const link = (await page.locator('[data-testid="private-link"]').getAttribute('href'))!;
  expect(trackingId).toMatch(/^\d{10}$/);
  return { trackingId, link };
}

async function staffPage(email: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await b.context({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${t.url}/masuk`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  return { ctx, page };
}

async function submitSection(page: Page, section: string) {
  await Promise.all([page.waitForNavigation(), page.click(`#h-${section} + form button[type="submit"]`)]);
}

async function verifyTo(trackingId: string, agencyId: string, name: string, shot?: string) {
  const { ctx, page } = await staffPage(DEMO.coordinator);
  await page.goto(`${t.url}/kantor?tab=verify`);
  expect(await page.content()).toContain(trackingId);
  await page.click(`a[href="/kantor/laporan/${trackingId}"]`);
  expect(await page.content(), 'the coordinator may see who reported').toContain(name);
  await page.selectOption('#f-categoryId', { index: 1 });
  await page.selectOption('#f-agencyId', agencyId);
  if (shot) await screenshot(page, 'journeys', shot);
  await submitSection(page, 'verify');
  expect(page.url()).toContain('selesai=1');
  await expectA11y(page, 'coordinator after verifying');
  await ctx.close();
}

async function expectNoName(page: Page, name: string, where: string) {
  const html = await page.content();
  expect(html.includes(name), `${where} must not show the anonymous reporter's name`).toBe(false);
  expect(html.includes('warga.anonim@'), `${where} must not show the reporter's email`).toBe(false);
}

describe.skipIf(!HAS_CHROMIUM)('journeys in chromium without JavaScript', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  it('anonymous report → verify → dispose → final follow-up → accepted with a rating', async () => {
    const name = 'Wulan Tanpa Nama';
    const citizen = await b.context({ javaScriptEnabled: false });
    const cp = await citizen.newPage();
    const { trackingId, link } = await fileAnonymous(cp, name, 'Trotoar amblas di Jalan Juanda');
    await screenshot(cp, 'journeys', '1-confirmation');
    await expectA11y(cp, 'confirmation');
    await cp.goto(link);
    expect(await cp.content()).toContain('Trotoar amblas');
    await expectA11y(cp, 'tracking page, submitted');

    // The public feed does not list it before verification, nor the name after.
    await verifyTo(trackingId, 'pupr-kaltim', name, '2-coordinator-verify');

    const admin = await staffPage(DEMO.puprAdmin);
    await admin.page.goto(`${t.url}/kantor?tab=dispatched`);
    expect(await admin.page.content()).toContain(trackingId);
    await expectNoName(admin.page, name, 'PUPR queue');
    await expectA11y(admin.page, 'PUPR queue');
    await admin.page.click(`a[href="/kantor/laporan/${trackingId}"]`);
    await expectNoName(admin.page, name, 'PUPR report page');
    await expectA11y(admin.page, 'PUPR report page');
    await admin.page.selectOption('#f-unitId', 'pupr-kaltim-unit');
    await submitSection(admin.page, 'dispose');
    await screenshot(admin.page, 'journeys', '3-agency-disposed');
    await expectA11y(admin.page, 'PUPR after disposing');
    await admin.ctx.close();

    const officer = await staffPage(DEMO.puprOfficer);
    await officer.page.goto(`${t.url}/kantor?tab=follow_up`);
    expect(await officer.page.content()).toContain(trackingId);
    await expectA11y(officer.page, 'officer follow-up queue');
    await officer.page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    await expectNoName(officer.page, name, 'officer report page');
    await expectA11y(officer.page, 'officer report page');
    await officer.page.fill('#f-body', 'Trotoar sudah diperbaiki dan dicor ulang oleh Bidang Bina Marga.');
    await officer.page.check('#f-kind-1');
    await submitSection(officer.page, 'respond');
    await screenshot(officer.page, 'journeys', '4-officer-final');
    await expectA11y(officer.page, 'officer after the final follow-up');
    await officer.ctx.close();

    await cp.goto(link);
    expect(await cp.content()).toContain('Trotoar sudah diperbaiki');
    await expectA11y(cp, 'tracking page with accept and dispute forms');
    await cp.check('#f-rating-4');
    await Promise.all([
      cp.waitForNavigation(),
      cp.getByRole('button', { name: /Terima dan beri nilai/ }).click(),
    ]);
    await screenshot(cp, 'journeys', '5-citizen-accepted');
    await expectA11y(cp, 'tracking page, accepted');
    const status = await t.api(`/api/v1/reports/${trackingId}`, { token: await t.login(DEMO.national) });
    expect(status.body.status).toBe('completed');
    expect(status.body.rating).toBe(5);
    // Public page after closing: no name anywhere.
    await cp.goto(`${t.url}/laporan/${trackingId}`);
    await expectNoName(cp, name, 'public report page');
    await expectA11y(cp, 'public report page, completed');
    await citizen.close();
  });

  it('return for re-routing: PUPR says bukan wewenang, the coordinator re-routes it to Dinkes', async () => {
    const name = 'Yusuf Rahasia';
    const citizen = await b.context({ javaScriptEnabled: false });
    const cp = await citizen.newPage();
    const { trackingId, link } = await fileAnonymous(cp, name, 'Puskesmas tutup di jam layanan');
    await verifyTo(trackingId, 'pupr-kaltim', name);

    const admin = await staffPage(DEMO.puprAdmin);
    await admin.page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    await expectNoName(admin.page, name, 'PUPR report page');
    await admin.page.fill('#f-returnNote', 'Layanan puskesmas adalah wewenang Dinas Kesehatan, bukan PUPR.');
    await submitSection(admin.page, 'return');
    expect(admin.page.url()).toContain('/kantor?tab=dispatched');
    expect(await admin.page.content()).not.toContain(trackingId);
    await expectA11y(admin.page, 'PUPR queue after returning');
    await admin.ctx.close();

    const coord = await staffPage(DEMO.coordinator);
    await coord.page.goto(`${t.url}/kantor?tab=returned`);
    expect(await coord.page.content()).toContain(trackingId);
    await screenshot(coord.page, 'journeys', 'return-coordinator-queue');
    await expectA11y(coord.page, 'coordinator returned tab');
    await coord.ctx.close();
    await verifyTo(trackingId, 'dinkes-kaltim', name);

    const dinkes = await staffPage(DEMO.dinkesAdmin);
    await dinkes.page.goto(`${t.url}/kantor?tab=dispatched`);
    expect(await dinkes.page.content()).toContain(trackingId);
    await dinkes.page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    await expectNoName(dinkes.page, name, 'Dinkes report page');
    expect(await dinkes.page.content()).toContain('bukan PUPR'); // the return note is in the staff timeline
    await expectA11y(dinkes.page, 'Dinkes report page');
    await dinkes.ctx.close();
    await cp.goto(link);
    expect(await cp.content()).toMatch(/Dinas Kesehatan|Dinkes/);
    await expectA11y(cp, 'tracking page after re-routing');
    await citizen.close();
  });

  it('dispute: the citizen disputes the final follow-up and the agency gets it back', async () => {
    const name = 'Dewi Sanggah';
    const citizen = await b.context({ javaScriptEnabled: false });
    const cp = await citizen.newPage();
    const { trackingId, link } = await fileAnonymous(cp, name, 'Lubang jalan di depan sekolah');
    await verifyTo(trackingId, 'pupr-kaltim', name);
    const admin = await staffPage(DEMO.puprAdmin);
    await admin.page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    await admin.page.fill('#f-body', 'Lubang sudah ditambal oleh tim reaksi cepat.');
    await admin.page.check('#f-kind-1');
    await submitSection(admin.page, 'respond');
    await admin.ctx.close();

    // The dispute form's error state, with JavaScript on: the summary takes focus, zero axe violations.
    const js = await b.context();
    const jp = await js.newPage();
    await jp.goto(link);
    await Promise.all([jp.waitForNavigation(), jp.getByRole('button', { name: /Kirim sanggahan/ }).click()]);
    expect(await jp.locator('.error-summary').count()).toBe(1);
    expect(await jp.evaluate('document.activeElement && document.activeElement.className')).toBe(
      'error-summary',
    );
    const v = await checkA11y(jp);
    expect(v, JSON.stringify(v, null, 1)).toEqual([]);
    await js.close();

    // The personal-data warning state, with JavaScript on, in both languages: the summary takes focus and links
    // to the confirmation checkbox, the notice describes the text field, zero axe violations.
    const phone = '0812-3456-7890';
    const reason = `Tambalan hanya sebagian, lubang di sisi kiri masih dalam. Hubungi saya di ${phone}.`;
    for (const [locale, lang, send] of [
      ['id-ID', 'id', /Kirim sanggahan/],
      ['en-GB', 'en', /Send dispute/],
    ] as const) {
      const ctx = await b.context({ locale });
      const wp = await ctx.newPage();
      await wp.goto(`${link}&lang=${lang}`);
      await wp.fill('#f-reason', reason);
      await Promise.all([wp.waitForNavigation(), wp.getByRole('button', { name: send }).click()]);
      expect(await wp.getAttribute('html', 'lang')).toBe(lang);
      expect(await wp.evaluate('document.activeElement && document.activeElement.className')).toBe(
        'error-summary',
      );
      await wp.keyboard.press('Tab');
      expect(await wp.evaluate('document.activeElement.getAttribute("href")')).toBe('#f-reasonPiiOk');
      expect(await wp.locator('#f-reason').getAttribute('aria-describedby')).toContain('f-reason-pii');
      expect(await wp.locator('#f-reason').inputValue()).toBe(reason);
      await screenshot(wp, 'journeys', `dispute-pii-warning-${lang}`);
      const pv = await checkA11y(wp);
      expect(pv, `${lang} personal-data warning: ${JSON.stringify(pv, null, 1)}`).toEqual([]);
      await ctx.close();
    }

    // Without JavaScript: the warning, then the confirmation sends the text as written.
    await cp.goto(link);
    await cp.fill('#f-reason', reason);
    await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: /Kirim sanggahan/ }).click()]);
    expect(await cp.locator('#f-reasonPiiOk').count()).toBe(1);
    expect(await cp.locator('#f-reason-pii').textContent()).toContain('nomor telepon');
    await cp.check('#f-reasonPiiOk');
    await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: /Kirim sanggahan/ }).click()]);
    await screenshot(cp, 'journeys', 'dispute-citizen');
    expect(await cp.content()).toContain('Sanggahan Anda terkirim');
    expect(await cp.content()).toContain(`Hubungi saya di ${phone}`);
    await expectA11y(cp, 'tracking page, disputed');
    // The public page shows the reason with the phone number masked.
    const pub = await citizen.newPage();
    await pub.goto(`${t.url}/laporan/${trackingId}`);
    expect(await pub.content()).toContain('Tambalan hanya sebagian');
    expect(await pub.content()).not.toContain(phone);
    await pub.close();

    const back = await staffPage(DEMO.puprAdmin);
    await back.page.goto(`${t.url}/kantor?tab=follow_up`);
    expect(await back.page.content()).toContain(trackingId);
    await expectA11y(back.page, 'PUPR follow-up tab after the dispute');
    await back.page.goto(`${t.url}/kantor/laporan/${trackingId}`);
    expect(await back.page.content()).toContain(
      `Tambalan hanya sebagian, lubang di sisi kiri masih dalam. Hubungi saya di ${phone}`,
    );
    await expectNoName(back.page, name, 'PUPR after dispute');
    await expectA11y(back.page, 'PUPR report page after the dispute');
    await back.ctx.close();
    await citizen.close();
  });
});
