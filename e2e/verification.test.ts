/**
 * Issue 3 back-office additions in chromium: the verification screen with similar earlier reports and routing
 * suggestions (a trained model, a confidential similar report), picking a suggestion into the verify form and
 * verifying WITHOUT JavaScript; walk-in intake by phone without JavaScript (channel choice, the "sent by email"
 * confirmation); the dispose form's unit suggestions, picked and disposed WITHOUT JavaScript; the forced password
 * change of an account created with a temporary password (every
 * back-office page leads to it; changing it without JavaScript opens the back office). Zero axe violations
 * (wcag2a, wcag2aa, wcag21aa, wcag22aa) on each of these pages in id and en. Screenshots:
 * tmp/screenshots/verification/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemCaller } from '../src/app/context.ts';
import { actorFor } from '../src/db/repositories/users.ts';
import { categoryIds, DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { trainRoutingModels } from '../src/commands/train-routing.ts';
import { createStaffUser } from '../src/commands/manage-staff-users.ts';
import { expectA11y, HAS_CHROMIUM, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';

let t: TestApp;
let b: TestBrowser;
let coord: string;
let catRoads: number;
let fresh: string;
const SECRET = 'Wiryawan Tersamar';

const ROADS = [
  'Jalan berlubang dan aspal rusak parah di dekat jembatan',
  'Aspal jalan provinsi mengelupas, lubang besar membahayakan motor',
  'Drainase jalan tersumbat, jalan tergenang dan aspal rusak',
  'Jembatan kayu lapuk dan jalan rusak menuju kampung',
  'Perbaikan jalan rusak berlubang belum dikerjakan kontraktor',
];
const WATER = [
  'Saluran air minum bocor di permukiman, air bersih tidak mengalir',
  'Drainase permukiman tersumbat sampah, air meluap ke rumah warga',
  'Instalasi pengolahan air limbah komunal tidak berfungsi',
  'Sambungan air bersih ke rumah warga belum dipasang',
  'Saluran air permukiman mampet dan berbau',
];
const HEALTH = [
  'Puskesmas kekurangan obat dan dokter jaga tidak ada',
  'Antrean rumah sakit panjang, perawat tidak ramah kepada pasien',
  'Pasien BPJS ditolak di rumah sakit daerah saat darurat',
  'Puskesmas tutup pada jam pelayanan, pasien menunggu dokter',
  'Obat di apotek puskesmas habis, pasien diminta beli sendiri',
];

async function submit(title: string, extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang, sudah berminggu-minggu.`,
      regionCode: '64.72.02',
      reporter: { name: SECRET, email: 'wiryawan@contoh.aduan.id' },
      anonymous: true,
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.trackingId as string;
}

async function verify(id: string, agencyId: string, categoryId: number) {
  const r = await t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { agencyId, categoryId },
    token: coord,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

describe.skipIf(!HAS_CHROMIUM)(
  'verification aids, phone intake and forced password change in chromium',
  () => {
    beforeAll(async () => {
      t = await startTestApp({ limits: { submitPerMinute: 1000 } });
      coord = await t.login(DEMO.coordinator);
      let catHealth: number;
      [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
      for (const title of ROADS) await verify(await submit(title), 'pupr-kaltim', catRoads);
      for (const title of HEALTH) await verify(await submit(title), 'dinkes-kaltim', catHealth);
      await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
      await verify(await submit('Lampu penerangan jalan umum mati di Jalan Melati'), 'pupr-kaltim', catRoads);
      const secret = await submit('Lampu penerangan jalan mati total di Jalan Melati', {
        confidential: true,
      });
      await verify(secret, 'pupr-kaltim', catRoads);
      fresh = await submit('Lampu jalan umum mati di Jalan Melati sejak minggu lalu');
      b = await launchBrowser();
      // Fail at the action that cannot happen instead of waiting for the test timeout.
      const newContext = b.context.bind(b);
      b.context = async (opts) => {
        const c = await newContext(opts);
        c.setDefaultTimeout(60_000);
        return c;
      };
    }, 240_000);
    afterAll(async () => {
      await b?.close();
      await t?.close();
    });

    it('verification screen: similar reports and suggestions are accessible; pick and verify without JS', async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.coordinator);
      for (const lang of ['id', 'en']) {
        await page.goto(`${t.url}/kantor/laporan/${fresh}?lang=${lang}`);
        expect(await page.locator('[data-slot="similar-reports"] tbody tr').count()).toBeGreaterThanOrEqual(
          2,
        );
        expect(await page.locator('[data-suggestion^="agency:"]').count()).toBeGreaterThanOrEqual(1);
        await expectA11y(page, `verification ${lang}`);
        await screenshot(page, 'verification', `report-aids-${lang}`);
        // With a suggestion picked into the form (axe needs JavaScript, so this runs here).
        await page.goto(
          `${t.url}/kantor/laporan/${fresh}?instansi=pupr-kaltim&kategori=${catRoads}&lang=${lang}`,
        );
        await expectA11y(page, `verification with picks ${lang}`);
        // The verify queue names each waiting report's suggested agency.
        await page.goto(`${t.url}/kantor?tab=verify&lang=${lang}`);
        expect(await page.locator('td[data-suggestion="pupr-kaltim"]').count()).toBeGreaterThanOrEqual(1);
        await expectA11y(page, `verify queue with suggestions ${lang}`);
        await screenshot(page, 'verification', `queue-suggestions-${lang}`);
      }
      await ctx.close();

      const nojs = await b.context({ javaScriptEnabled: false });
      const p = await nojs.newPage();
      await signInPage(p, t.url, DEMO.coordinator);
      await p.goto(`${t.url}/kantor/laporan/${fresh}`);
      await Promise.all([p.waitForNavigation(), p.click('[data-suggestion="agency:pupr-kaltim"] a')]);
      expect(await p.inputValue('#f-agencyId')).toBe('pupr-kaltim');
      await Promise.all([p.waitForNavigation(), p.click(`[data-suggestion="category:${catRoads}"] a`)]);
      expect(await p.inputValue('#f-agencyId')).toBe('pupr-kaltim');
      expect(await p.inputValue('#f-categoryId')).toBe(String(catRoads));
      await Promise.all([p.waitForNavigation(), p.click('#h-verify + form button[type="submit"]')]);
      expect(p.url()).toContain('selesai=1');
      const after = await t.api(`/api/v1/reports/${fresh}`, { token: coord });
      expect(after.body.status).toBe('dispatched');
      await nojs.close();

      // The agency (verifying a report addressed to it) never sees the anonymous name, panel included.
      const addressed = await submit('Lampu penerangan jalan mati di Jalan Melati dekat pasar', {
        targetAgencyId: 'pupr-kaltim',
      });
      const a = await b.context();
      const ap = await a.newPage();
      await signInPage(ap, t.url, DEMO.puprAdmin);
      await ap.goto(`${t.url}/kantor/laporan/${addressed}`);
      expect(await ap.locator('[data-slot="similar-reports"]').count()).toBe(1);
      expect(await ap.content()).not.toContain(SECRET);
      await ap.goto(`${t.url}/kantor?tab=verify`);
      expect(await ap.locator(`a[href="/kantor/laporan/${addressed}"]`).count()).toBe(1);
      expect(await ap.locator('td[data-suggestion]').count()).toBeGreaterThanOrEqual(1);
      expect(await ap.content()).not.toContain(SECRET);
      await a.close();
    }, 600_000);

    it('walk-in by phone without JavaScript: channel recorded, the citizen is told it went by email', async () => {
      const ctx = await b.context({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.coordinator);
      await page.goto(`${t.url}/kantor/lapor-langsung`);
      await page.check('input[name="channel"][value="phone"]');
      await page.fill('#f-title', 'Sampah menumpuk di pasar pagi');
      await page.fill(
        '#f-body',
        'Sampah menumpuk di pasar pagi sejak seminggu dan tidak diangkut petugas kebersihan kota.',
      );
      await page.selectOption('#f-regionCode', '64.72');
      await page.check('input[name="identity"][value="named"]');
      await page.check('input[name="visibility"][value="public"]');
      await page.fill('#f-reporter-name', 'Ibu Penelepon');
      await page.fill('#f-reporter-email', 'ibu.penelepon@contoh.aduan.id');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      const html = await page.content();
      expect(html).toContain('dikirim ke warga lewat email');
      const id = /class="big-number">(\d{10})</.exec(html)![1]!;
      await page.goto(`${t.url}/kantor/laporan/${id}`);
      expect(await page.content()).toContain('Telepon');
      await ctx.close();
      const js = await b.context();
      const jp = await js.newPage();
      await signInPage(jp, t.url, DEMO.coordinator);
      for (const lang of ['id', 'en']) {
        await jp.goto(`${t.url}/kantor/lapor-langsung?lang=${lang}`);
        await expectA11y(jp, `walk-in ${lang}`);
      }
      await js.close();
    });

    it('forced password change: every back-office page leads to it; changed without JS, the back office opens', async () => {
      const { rows } = (await t.runtime.services.db.execute(
        sql`select id from users where email = ${DEMO.national}`,
      )) as unknown as { rows: Array<{ id: string }> };
      const caller = {
        ...systemCaller('e2e'),
        actor: await actorFor(t.runtime.services.db, rows[0]!.id),
      };
      const made = await createStaffUser(t.runtime.services, caller, {
        email: 'petugas.e2e@contoh.aduan.id',
        name: 'Petugas E2E',
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
      });
      for (const lang of ['id', 'en']) {
        const ctx = await b.context();
        const page = await ctx.newPage();
        await signInPage(page, t.url, 'petugas.e2e@contoh.aduan.id', made.temporaryPassword);
        expect(new URL(page.url()).pathname).toBe('/kantor/kata-sandi');
        await page.goto(`${t.url}/kantor?lang=${lang}`);
        expect(new URL(page.url()).pathname).toBe('/kantor/kata-sandi');
        await expectA11y(page, `forced password ${lang}`);
        await screenshot(page, 'verification', `forced-password-${lang}`);
        await ctx.close();
      }
      const ctx = await b.context({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await signInPage(page, t.url, 'petugas.e2e@contoh.aduan.id', made.temporaryPassword);
      await page.fill('#f-currentPassword', made.temporaryPassword);
      await page.fill('#f-newPassword', 'kata sandi baru petugas e2e');
      await page.fill('#f-newPasswordConfirm', 'kata sandi baru petugas e2e');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      expect(await page.locator('.notice-ok').count()).toBe(1);
      await page.goto(`${t.url}/kantor`);
      expect(new URL(page.url()).pathname).toBe('/kantor');
      await ctx.close();
    });

    it('where step: with JavaScript a click on the outline map fills lat/long; without it the form is unchanged', async () => {
      const ctx = await b.context();
      const page = await ctx.newPage();
      await page.goto(`${t.url}/lapor/lokasi`);
      await page.selectOption('#f-prov', '64');
      await Promise.all([page.waitForNavigation(), page.click('button[name="_refresh"]')]);
      await page.selectOption('#f-kab', '64.72');
      await Promise.all([page.waitForNavigation(), page.click('button[name="_refresh"]')]);
      expect(await page.locator('[data-region-map] svg').count()).toBe(0); // lazy: nothing before the point is asked for
      await page.click('details[data-point] summary');
      await page.waitForSelector('[data-region-map] svg path.region-focus');
      const box = (await page.locator('path.region-focus').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      const la = Number(await page.inputValue('#f-lat'));
      const lo = Number(await page.inputValue('#f-lon'));
      // Samarinda (64.72) lies around 0.5° S, 117.1° E.
      expect(la).toBeGreaterThan(-0.8);
      expect(la).toBeLessThan(-0.2);
      expect(lo).toBeGreaterThan(116.9);
      expect(lo).toBeLessThan(117.4);
      expect(await page.locator('[data-region-map] circle[data-point]').count()).toBe(1);
      await expectA11y(page, 'where step with the map');
      await screenshot(page, 'verification', 'where-map');
      await ctx.close();

      const nojs = await b.context({ javaScriptEnabled: false });
      const p = await nojs.newPage();
      await p.goto(`${t.url}/lapor/lokasi`);
      await p.click('details[data-point] summary');
      expect(await p.locator('[data-region-map]').isVisible()).toBe(false);
      expect(await p.locator('#f-lat').isVisible()).toBe(true);
      await nojs.close();
    });

    it('dispose form: unit suggestions are accessible; pick and dispose without JS', async () => {
      // Dispositions to each of the demo's two PUPR units, for the unit model to learn from.
      const pupr = await t.login(DEMO.puprAdmin);
      const CK = 'pupr-kaltim-cipta-karya';
      const dispose = async (id: string, unitId: string) => {
        const r = await t.api(`/api/v1/reports/${id}/actions/dispose`, { json: { unitId }, token: pupr });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      };
      for (const title of ROADS) {
        const id = await submit(title);
        await verify(id, 'pupr-kaltim', catRoads);
        await dispose(id, 'pupr-kaltim-unit');
      }
      for (const title of WATER) {
        const id = await submit(title);
        await verify(id, 'pupr-kaltim', catRoads);
        await dispose(id, CK);
      }
      const [unit] = await trainRoutingModels(t.runtime.services, { cvMaxRows: 0, kinds: ['unit'] });
      expect(unit!.status).toBe('trained');
      const id = await submit('Saluran air minum bocor dan drainase permukiman meluap');
      await verify(id, 'pupr-kaltim', catRoads);

      const ctx = await b.context();
      const page = await ctx.newPage();
      await signInPage(page, t.url, DEMO.puprAdmin);
      for (const lang of ['id', 'en']) {
        await page.goto(`${t.url}/kantor/laporan/${id}?lang=${lang}`);
        expect(await page.locator('[data-suggestion^="unit:"]').count()).toBe(2);
        await expectA11y(page, `dispose with unit suggestions ${lang}`);
        await page.goto(`${t.url}/kantor/laporan/${id}?unit=${CK}&lang=${lang}#h-dispose`);
        await expectA11y(page, `dispose with a unit picked ${lang}`);
      }
      await page.goto(`${t.url}/kantor/laporan/${id}?lang=id#h-dispose`);
      await screenshot(page, 'verification', 'dispose-unit-suggestions');
      await ctx.close();

      const nojs = await b.context({ javaScriptEnabled: false });
      const p = await nojs.newPage();
      await signInPage(p, t.url, DEMO.puprAdmin);
      await p.goto(`${t.url}/kantor/laporan/${id}`);
      await Promise.all([p.waitForNavigation(), p.click(`[data-suggestion="unit:${CK}"] a`)]);
      expect(await p.locator('#h-dispose + form select[name="unitId"]').inputValue()).toBe(CK);
      await Promise.all([p.waitForNavigation(), p.click('#h-dispose + form button[type="submit"]')]);
      const [row] = await t.runtime.services.db
        .execute(sql`select agency_id from reports where tracking_id = ${id}`)
        .then((r) => (r as unknown as { rows: { agency_id: string }[] }).rows);
      expect(row!.agency_id).toBe(CK);
      await nojs.close();
    });
  },
);
