/**
 * Keyboard-only journeys in chromium (JavaScript on, as most keyboard users have it): no mouse click and no
 * programmatic fill, only Tab, Enter, Space, arrow keys and typing.
 * - Citizen: the skip link is the first stop and moves focus to <main>; the landmarks and `lang` are there;
 *   the whole report journey from the home page to the confirmation, with the error summary taking focus and
 *   its link leading to the field; then a reply on the tracking page.
 * - Staff: sign-in, the queue's deadline badge explanation opens from the keyboard (Enter on its summary),
 *   then the report page is reached by keyboard, and the agency picker's search box narrows the tree.
 * - Back-office actions: verify with a category and an agency chosen from the picker (search box, Shift+Tab
 *   back and forth), dispose to a unit, then a final follow-up; each form is submitted with Enter on its
 *   focused button (visible focus checked) and the report's state is read back from the API.
 * Screenshots: tmp/screenshots/keyboard/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { categoryIdByName, DEMO, type TestApp } from '../test/helpers/app.ts';
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

/** Describes the focused element (tag#id.name "text") for assertion messages and matching. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: Record<string, any> | null } }).document;
    const el = d.activeElement;
    if (!el) return { tag: '', id: '', name: '', text: '', cls: '', href: '', inDeadline: false };
    return {
      tag: String(el.tagName).toLowerCase(),
      id: String(el.id ?? ''),
      name: String(el.getAttribute?.('name') ?? ''),
      text: String(el.textContent ?? '').trim(),
      cls: String(el.className ?? ''),
      href: String(el.getAttribute?.('href') ?? ''),
      inDeadline: Boolean(el.closest?.('details.deadline')),
    };
  });
type Focused = Awaited<ReturnType<typeof focused>>;

/** Presses Tab until `match` holds for the focused element (fails after 80 presses). */
async function tabTo(page: Page, what: string, match: (f: Focused) => boolean): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}
const byId = (id: string) => (f: Focused) => f.id === id;
const button = (re: RegExp) => (f: Focused) => f.tag === 'button' && re.test(f.text);

/** Presses Enter on the focused control and waits for the next page. */
async function enter(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** Moves a focused closed <select> with the arrow keys until it holds `value`. */
async function arrowSelect(page: Page, id: string, value: string): Promise<void> {
  const current = () => page.evaluate((i) => (globalThis as any).document.getElementById(i).value, id);
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 200; i++) {
      if ((await current()) === value) return;
      const before = await current();
      await page.keyboard.press(key);
      if ((await current()) === before) break; // end of the list in this direction
    }
  }
  expect(await current(), `#${id} reached by arrow keys`).toBe(value);
}

const CONTINUE = button(/^(Lanjutkan|Continue)$/);

/** The focused element shows a visible focus indicator (`:focus-visible` and a non-empty outline). */
async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  const s = await page.evaluate(() => {
    const g = globalThis as any;
    const el = g.document.activeElement;
    const css = g.getComputedStyle(el);
    return {
      visible: Boolean(el.matches(':focus-visible')),
      style: css.outlineStyle,
      width: css.outlineWidth,
    };
  });
  expect(s.visible, `${what}: :focus-visible`).toBe(true);
  expect(s.style, `${what}: outline style`).not.toBe('none');
  expect(parseFloat(s.width), `${what}: outline width`).toBeGreaterThan(0);
}

/** Signs in on /masuk with the keyboard only (Enter in the password field submits). */
async function keyboardSignIn(page: Page, email: string, next: string): Promise<void> {
  await page.goto(`${t.url}/masuk?next=${encodeURIComponent(next)}`);
  await tabTo(page, 'email', (f) => f.name === 'email');
  await page.keyboard.type(email);
  await tabTo(page, 'password', (f) => f.name === 'password');
  await page.keyboard.type(DEMO_PASSWORD);
  await enter(page);
}

/** Tabs to a form's submit button, checks its visible focus, and presses Enter (the form posts). */
async function submitWith(page: Page, what: string, re: RegExp): Promise<void> {
  await tabTo(page, what, button(re));
  await expectVisibleFocus(page, what);
  await enter(page);
}

describe.skipIf(!HAS_CHROMIUM)('keyboard-only journeys in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  it('citizen: skip link, landmarks, the report journey and a reply, keyboard only', async () => {
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    for (const landmark of ['banner', 'navigation', 'main', 'contentinfo'])
      expect(await page.getByRole(landmark as 'main').count(), landmark).toBeGreaterThan(0);

    // The skip link is the first stop and moves focus to the main content.
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.href).toBe('#main');
    expect(
      await page.evaluate(() => (globalThis as any).document.activeElement.matches(':focus-visible')),
    ).toBe(true);
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('main');

    await tabTo(page, 'the start link', (f) => f.tag === 'a' && f.href === '/lapor');
    await enter(page);
    expect(page.url()).toContain('/lapor/jenis');

    // Continue without a choice: the error summary takes focus, its link leads to the field.
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);
    expect((await focused(page)).cls).toContain('error-summary');
    await page.keyboard.press('Tab');
    expect((await focused(page)).href).toBe('#f-classification');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('f-classification');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#f-classification')).toBe(true);
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);

    // What happened, including the date typed into the date field.
    await tabTo(page, 'title', byId('f-title'));
    await page.keyboard.type('Lampu penyeberangan mati di depan sekolah');
    await tabTo(page, 'chronology', byId('f-body'));
    await page.keyboard.type(
      'Lampu penyeberangan di depan SD 005 mati sejak Senin, anak-anak menyeberang tanpa lampu.',
    );
    await tabTo(page, 'date', byId('f-occurredOn'));
    // Day = month, so the test does not depend on the browser's dd/mm or mm/dd segment order.
    await page.keyboard.type('03032026');
    expect(await page.inputValue('#f-occurredOn')).toBe('2026-03-03');
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);

    // Where: province, "show the next choices", kab/kota, again (no mouse, no map).
    expect(page.url()).toContain('/lapor/lokasi');
    await tabTo(page, 'province', byId('f-prov'));
    await arrowSelect(page, 'f-prov', '64');
    await tabTo(page, 'refresh', (f) => f.tag === 'button' && f.name === '_refresh');
    await enter(page);
    await tabTo(page, 'kab/kota', byId('f-kab'));
    await arrowSelect(page, 'f-kab', '64.72');
    await tabTo(page, 'refresh', (f) => f.tag === 'button' && f.name === '_refresh');
    await enter(page);
    await tabTo(page, 'kecamatan', byId('f-kec'));
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#f-kec')).toMatch(/^64\.72\.\d\d$/);
    await tabTo(page, 'address', byId('f-address'));
    await page.keyboard.type('Jalan Pahlawan');
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);

    for (const step of ['kategori', 'lampiran']) {
      expect(page.url()).toContain(`/lapor/${step}`);
      await tabTo(page, 'continue', CONTINUE);
      await enter(page);
    }
    expect(page.url()).toContain('/lapor/privasi');
    await tabTo(page, 'anonim', byId('f-privacy'));
    await page.keyboard.press('Space');
    expect(await page.isChecked('#f-privacy')).toBe(true);
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);
    await tabTo(page, 'email', byId('f-email'));
    await page.keyboard.type('warga.keyboard@contoh.aduan.id');
    await tabTo(page, 'continue', CONTINUE);
    await enter(page);

    expect(page.url()).toContain('/lapor/periksa');
    expect(await page.content()).toContain('Lampu penyeberangan mati');
    await tabTo(page, 'send', button(/Kirim laporan/));
    await enter(page);
    const trackingId = (await page.locator('[data-testid="tracking-number"]').textContent())!.trim();
    expect(trackingId).toMatch(/^\d{10}$/);
    expect(await checkA11y(page)).toEqual([]);
    await screenshot(page, 'keyboard', 'citizen-confirmation');

    // The private link, then a reply, by keyboard.
    await tabTo(page, 'private link', (f) => f.tag === 'a' && f.href.includes(`/lacak/${trackingId}?k=`));
    await enter(page);
    await tabTo(page, 'message', byId('f-commentBody'));
    await page.keyboard.type('Terima kasih, mohon dicek sebelum jam sekolah.');
    await tabTo(page, 'send message', button(/Kirim pesan/));
    await enter(page);
    expect(await page.locator('.notice-ok').textContent()).toContain('Pesan Anda terkirim');
    const api = await t.api(`/api/v1/reports/${trackingId}`, { token: await t.login(DEMO.coordinator) });
    expect(api.body.status).toBe('submitted');
    expect(api.body.anonymous).toBe(true);
    expect(api.body.regionCode).toMatch(/^64\.72\.\d\d/);
    await ctx.close();
  });

  it('staff: sign in, open a deadline explanation and a report, keyboard only', async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Papan nama jalan hilang di simpang empat',
        body: 'Papan nama jalan di simpang empat hilang sejak bulan lalu sehingga pengunjung tersesat.',
        regionCode: '64.72',
        reporter: { name: 'Pelapor Papan', email: 'papan@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const ctx = await b.context();
    const page = await ctx.newPage();
    await page.goto(`${t.url}/masuk?next=%2Fkantor`);
    await tabTo(page, 'email', (f) => f.name === 'email');
    await page.keyboard.type(DEMO.coordinator);
    await tabTo(page, 'password', (f) => f.name === 'password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter'); // Enter in a field submits its form
    await page.waitForURL(/\/kantor/);

    // The first row's deadline badge: its explanation opens from the keyboard.
    await tabTo(page, 'a deadline explanation', (f) => f.tag === 'summary' && f.inDeadline);
    const open = () =>
      page.evaluate(() => Boolean((globalThis as any).document.activeElement.closest('details').open));
    expect(await open()).toBe(false);
    await page.keyboard.press('Enter');
    expect(await open()).toBe(true);
    await screenshot(page, 'keyboard', 'staff-queue-explanation');

    await page.goto(`${t.url}/kantor?tab=verify`);
    await tabTo(
      page,
      'the report link',
      (f) => f.tag === 'a' && f.href === `/kantor/laporan/${r.body.trackingId}`,
    );
    await enter(page);
    expect(page.url()).toContain(`/kantor/laporan/${r.body.trackingId}`);
    expect(await page.content()).toContain('Papan nama jalan hilang');

    // The agency picker's search box (shown by its script) filters the tree as the verifier types.
    await tabTo(page, 'the agency search box', byId('f-agencyId-filter'));
    await page.keyboard.type('kesehatan');
    const options = await page.$$eval('#f-agencyId option', (os) =>
      os.map((o) => ({
        value: (o as any).value as string,
        text: String(o.textContent),
        hidden: Boolean((o as any).hidden),
      })),
    );
    const visible = options.filter((o) => o.value && !o.hidden);
    expect(visible.length).toBeGreaterThan(0);
    expect(
      visible.every((o) => /kesehatan/i.test(o.text)),
      JSON.stringify(visible),
    ).toBe(true);
    expect(options.find((o) => o.value === 'pupr-kaltim')?.hidden).toBe(true);
    expect(options.find((o) => o.value === 'dinkes-kaltim')?.hidden).toBe(false);
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('f-agencyId');
    await arrowSelect(page, 'f-agencyId', 'dinkes-kaltim');
    await screenshot(page, 'keyboard', 'staff-agency-search');
    await ctx.close();
  });

  it('staff: verify with an agency, dispose to a unit and post a final follow-up, keyboard only', async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Gorong-gorong ambrol di Jalan Mulawarman',
        body: 'Gorong-gorong di bawah Jalan Mulawarman ambrol sehingga badan jalan amblas dan membahayakan motor.',
        regionCode: '64.72',
        reporter: { name: 'Pelapor Gorong', email: 'gorong@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const id = r.body.trackingId as string;
    const path = `/kantor/laporan/${id}`;
    const categoryId = String(await categoryIdByName(t));
    const state = async () =>
      (await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.coordinator) })).body;

    // Verify: category and agency from the pickers (search box, then the list), Shift+Tab goes back.
    const verifier = await b.context();
    let page = await verifier.newPage();
    await keyboardSignIn(page, DEMO.coordinator, path);
    expect(page.url()).toContain(path);
    await tabTo(page, 'the category list', byId('f-categoryId'));
    await expectVisibleFocus(page, 'category list');
    // A long list: type-ahead jumps to the category by its first letters, the arrows settle it.
    await page.keyboard.type('PEKERJAAN UMUM');
    await arrowSelect(page, 'f-categoryId', categoryId);
    await tabTo(page, 'the agency search box', byId('f-agencyId-filter'));
    await page.keyboard.type('pekerjaan umum');
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('f-agencyId');
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).id, 'Shift+Tab returns to the search box').toBe('f-agencyId-filter');
    await page.keyboard.press('Tab');
    await expectVisibleFocus(page, 'agency list');
    await arrowSelect(page, 'f-agencyId', 'pupr-kaltim');
    await submitWith(page, 'the verify button', /^Verifikasi dan teruskan$/);
    expect(page.url()).toContain(`${path}?selesai=1`);
    let s = await state();
    expect(s.status).toBe('dispatched');
    expect(s.agency?.id).toBe('pupr-kaltim');
    expect(s.categoryId).toBe(Number(categoryId));
    await verifier.close();

    // Dispose to a unit of the agency, with a note typed in.
    const agency = await b.context();
    page = await agency.newPage();
    await keyboardSignIn(page, DEMO.puprAdmin, path);
    expect(page.url()).toContain(path);
    await tabTo(page, 'the unit list', byId('f-unitId'));
    await expectVisibleFocus(page, 'unit list');
    await arrowSelect(page, 'f-unitId', 'pupr-kaltim-unit');
    await tabTo(page, 'the disposition note', byId('f-disposeNote'));
    await page.keyboard.type('Mohon tim jalan dan jembatan cek hari ini.');
    await submitWith(page, 'the dispose button', /^Disposisikan$/);
    s = await state();
    expect(s.agency?.id).toBe('pupr-kaltim-unit');
    expect(page.url()).toContain(`${path}?selesai=1`);
    expect(await page.content()).toContain('Mohon tim jalan dan jembatan cek hari ini.');

    // A final follow-up: the text, then the "final" radio chosen with the arrow keys, then Enter.
    await tabTo(page, 'the follow-up text', byId('f-body'));
    await page.keyboard.type('Gorong-gorong sudah diganti dan badan jalan diaspal ulang pada hari ini.');
    await page.keyboard.press('Tab');
    expect((await focused(page)).id, 'Tab lands on the checked radio').toBe('f-kind');
    await expectVisibleFocus(page, 'interim radio');
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).id).toBe('f-kind-1');
    expect(await page.isChecked('#f-kind-1')).toBe(true);
    await submitWith(page, 'the follow-up button', /^Kirim tindak lanjut$/);
    s = await state();
    expect(s.status).toBe('responded');
    expect(page.url()).toContain(`${path}?selesai=1`);
    expect(await page.content()).toContain('Gorong-gorong sudah diganti dan badan jalan diaspal ulang');
    expect(await checkA11y(page)).toEqual([]);
    await screenshot(page, 'keyboard', 'staff-final-follow-up');
    await agency.close();
  });
});
