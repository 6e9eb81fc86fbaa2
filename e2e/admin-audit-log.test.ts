/**
 * The administration log in chromium: zero axe-core violations (wcag2a, wcag2aa, wcag21aa, wcag22aa) in Bahasa
 * Indonesia and English on the admin home with its link, the log with entries (national admin), a filter with no
 * entry (empty state), and the coordinator's view of its region; the filter works without JavaScript. Also the later
 * actions (an SMS keyword cleared from the CLI, a coordinator's regional holiday) in words, with zero violations.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, type TestApp } from '../test/helpers/app.ts';
import {
  expectA11y,
  HAS_CHROMIUM,
  screenshot,
  type TestBrowser,
  withAppAndBrowser,
} from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { setSmsKeyword } from '../src/commands/set-sms-keyword.ts';
import { upsertHoliday } from '../src/commands/manage-holidays.ts';
import { actorFor } from '../src/db/repositories/users.ts';

let t: TestApp;
let b: TestBrowser;

describe.skipIf(!HAS_CHROMIUM)('administration log in chromium', () => {
  withAppAndBrowser((app, browser) => ((t = app), (b = browser)));

  it('records a change made in the browser and filters without JavaScript', async () => {
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    // A change to log: the coordinator mark of an agency in Kalimantan Timur (the coordinator reads it too).
    await page.goto(`${t.url}/kantor/admin/instansi/pupr-kaltim`);
    await Promise.all([page.waitForNavigation(), page.click('#h-coordinator ~ form button[type="submit"]')]);
    await page.goto(`${t.url}/kantor/admin`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/kantor/admin/log"]')]);
    expect(await page.locator('[data-action="agency.coordinator"]').count()).toBe(1);
    await page.selectOption('#f-kelompok', 'category');
    await Promise.all([page.waitForNavigation(), page.click('form[role="search"] button')]);
    expect(new URL(page.url()).searchParams.get('kelompok')).toBe('category');
    expect(await page.locator('[data-entry]').count()).toBe(0);
    expect(await page.locator('[data-empty]').count()).toBe(1);
  });

  for (const lang of ['id', 'en'] as const) {
    it(`the admin home, the log, its empty state and the coordinator's view have zero axe violations (${lang})`, async () => {
      const page = await (await b.context()).newPage();
      await signInPage(page, t.url, DEMO.national);
      await page.goto(`${t.url}/kantor/admin?lang=${lang}`);
      expect(await page.locator('a[href="/kantor/admin/log"]').count()).toBe(1);
      await expectA11y(page, `${lang} admin home with the log link`);
      await page.goto(`${t.url}/kantor/admin/log?lang=${lang}`);
      expect(await page.locator('[data-entry]').count()).toBeGreaterThan(0);
      await expectA11y(page, `${lang} administration log`);
      await screenshot(page, 'admin', `${lang}-admin-log`);
      await page.goto(`${t.url}/kantor/admin/log?kelompok=webhook&lang=${lang}`);
      expect(await page.locator('[data-empty]').count()).toBe(1);
      await expectA11y(page, `${lang} administration log, empty filter`);

      const coord = await (await b.context()).newPage();
      await signInPage(coord, t.url, DEMO.coordinator);
      await coord.goto(`${t.url}/kantor/admin/log?lang=${lang}`);
      expect(await coord.locator('[data-entry]').count()).toBeGreaterThan(0);
      await expectA11y(coord, `${lang} administration log as a coordinator`);
    });
  }

  it('an SMS keyword change and a regional holiday read in words; zero axe violations (id, en)', async () => {
    const svc = t.runtime.services;
    await setSmsKeyword(svc, 'pupr-kaltim', null);
    const [u] = (
      (await svc.db.execute(
        sql`select u.id, a.region_code from users u join role_grants g on g.user_id = u.id
            join agencies a on a.id = g.agency_id where u.email = ${DEMO.coordinator} and g.role = 'coordinator'`,
      )) as unknown as { rows: { id: string; region_code: string }[] }
    ).rows;
    await upsertHoliday(
      svc,
      { actor: await actorFor(svc.db, u!.id) },
      { date: '2026-05-20', name: 'Hari Jadi Uji E2E', kind: 'regional', regionCode: u!.region_code },
    );
    const words = { id: 'menghapus kata kunci SMS PUPR', en: 'removed the SMS keyword PUPR' };
    for (const lang of ['id', 'en'] as const) {
      const page = await (await b.context()).newPage();
      await signInPage(page, t.url, DEMO.national);
      await page.goto(`${t.url}/kantor/admin/log?kelompok=sms_keyword&lang=${lang}`);
      expect(await page.locator('[data-action="sms_keyword.clear"]').textContent()).toContain(words[lang]);
      await expectA11y(page, `${lang} administration log, SMS keywords`);
      const coord = await (await b.context()).newPage();
      await signInPage(coord, t.url, DEMO.coordinator);
      await coord.goto(`${t.url}/kantor/admin/log?kelompok=holiday&lang=${lang}`);
      expect(await coord.locator('[data-action="holiday.add"]').textContent()).toContain('Hari Jadi Uji E2E');
      await expectA11y(coord, `${lang} administration log, a coordinator's regional holiday`);
    }
  });
});
