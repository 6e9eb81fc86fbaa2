/**
 * Unit suggestions at disposisi: the unit model learns which unit of an agency's tree each report was passed down to,
 * suggests only the units the dispose form offers (with confidences conditional on them), records what it showed,
 * and the disposisi marks whether the officer followed it. Real HTTP over PGlite (default) or PostgreSQL
 * (DATABASE_URL); synthetic history.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { csrfOf, signInWeb } from '../../test/helpers/web-client.ts';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { trainRoutingModels, type TrainRoutingResult } from './train-routing.ts';

/** Bina Marga (roads) and Sumber Daya Air (water) reports, distinct enough for a model to tell apart. */
const BINA_MARGA = [
  'Jalan berlubang dan aspal rusak parah di dekat jembatan',
  'Aspal jalan provinsi mengelupas, lubang besar membahayakan motor',
  'Jembatan kayu lapuk dan jalan rusak menuju kampung',
  'Perbaikan jalan rusak berlubang belum dikerjakan kontraktor',
  'Jalan longsor dan aspal retak di tikungan tanjakan',
  'Bahu jalan provinsi ambles dan aspal bergelombang',
];
const SUMBER_DAYA_AIR = [
  'Banjir setiap hujan karena sungai meluap ke permukiman',
  'Tanggul sungai jebol dan air masuk ke sawah warga',
  'Saluran irigasi tersumbat sehingga sawah kekeringan',
  'Bendungan kecil bocor, debit air irigasi berkurang',
  'Normalisasi sungai terhenti, banjir rob makin sering',
  'Pintu air irigasi rusak dan tidak bisa dibuka',
];
const BM = 'pupr-kaltim-unit';
const SDA = 'pupr-kaltim-bidang-sumber-daya-air';
const SECRET_NAME = 'Rahasia Pelapor Unit';
const SECRET_PHONE = '081299887766';

let t: TestApp;
let coord: string;
let pupr: string;
let catRoads: number;
let trained: TrainRoutingResult[];

const dispatched = async (title: string, json: Record<string, unknown> = {}) => {
  const id = await submitReport(t, title, { reporter: { name: 'Warga Uji' }, regionCode: '64.72', ...json });
  await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
  return id;
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  catRoads = await categoryIdByName(t);
  // The PUPR admin adds a unit to the agency's tree (beside the demo's Bina Marga and Cipta Karya, which has no
  // history here, so the model never suggests it).
  const admin = await signInWeb(t.url, DEMO.puprAdmin);
  const page = await admin.get('/kantor/admin/instansi/pupr-kaltim');
  const add = await admin.post('/kantor/admin/instansi/pupr-kaltim/tambah', {
    _csrf: csrfOf(page.html),
    childName: 'Bidang Sumber Daya Air',
    kind: 'unit',
  });
  expect(add.status, add.html.slice(0, 300)).toBe(303);
  for (const [unit, titles] of [
    [BM, BINA_MARGA],
    [SDA, SUMBER_DAYA_AIR],
  ] as const)
    for (const title of titles)
      await actOk(t, await dispatched(title), 'dispose', { unitId: unit }, { token: pupr });
  // A report the agency handles itself teaches the unit model nothing.
  await dispatched('Trotoar rusak di depan kantor dinas');
  trained = await trainRoutingModels(t.runtime.services, { kinds: ['unit'], cvMaxRows: 0 });
}, 180_000);
afterAll(() => t?.close());

describe('unit suggestions', () => {
  it('the unit model learns the unit each report was passed down to', () => {
    expect(trained).toHaveLength(1);
    expect(trained[0]).toMatchObject({ kind: 'unit', status: 'trained', rows: 12, labels: 2 });
  });

  it('suggest the units of the tree, best first, with confidences conditional on them', async () => {
    const id = await dispatched('Banjir karena sungai meluap dan tanggul jebol di desa kami');
    const r = await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: pupr });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.trackingId).toBe(id);
    expect(r.body.model).toMatchObject({ version: 1 });
    const units = r.body.units as Array<{ id: string; name: string; confidence: number; words: string[] }>;
    expect(units.map((u) => u.id)).toEqual([SDA, BM]);
    expect(units[0]!.name).toBe('Bidang Sumber Daya Air');
    expect(units[0]!.confidence).toBeGreaterThan(0.5);
    expect(units[0]!.confidence + units[1]!.confidence).toBeCloseTo(1, 2);
    expect(units[0]!.words.some((w) => /banjir|sungai|tanggul/.test(w))).toBe(true);
    const road = await dispatched('Aspal jalan berlubang dan jembatan rusak');
    const r2 = await t.api(`/api/v1/reports/${road}/unit-suggestions`, { token: pupr });
    expect(r2.body.units[0].id).toBe(BM);
  });

  it('answer only staff who may dispose the report', async () => {
    const id = await dispatched('Saluran irigasi tersumbat lumpur');
    // Neither the verifier, another agency nor the public (who may read this public report) may dispose it.
    expect((await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: coord })).status).toBe(403);
    const dinkes = await t.login(DEMO.dinkesAdmin);
    expect((await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: dinkes })).status).toBe(403);
    // The public without credentials: sign in first (401).
    expect((await t.api(`/api/v1/reports/${id}/unit-suggestions`)).status).toBe(401);
    expect((await t.api('/api/v1/reports/12/unit-suggestions', { token: pupr })).status).toBe(422);
  });

  it('never carry an anonymous reporter’s identity', async () => {
    const id = await dispatched('Tanggul sungai retak menjelang musim hujan', {
      anonymous: true,
      reporter: { name: SECRET_NAME, phone: SECRET_PHONE },
    });
    const r = await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: pupr });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['model', 'trackingId', 'units']);
    for (const u of r.body.units)
      expect(Object.keys(u).sort()).toEqual(['confidence', 'id', 'name', 'words']);
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(SECRET_NAME);
    expect(text).not.toContain(SECRET_PHONE);
    const page = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${id}?lang=id`);
    expect(page.html).toContain('Unit yang disarankan');
    expect(page.html).not.toContain(SECRET_NAME);
    expect(page.html).not.toContain(SECRET_PHONE);
  });

  it('show in the dispose form; picking one pre-selects it; the disposisi records whether it was followed', async () => {
    const id = await dispatched('Pintu air sungai rusak, banjir masuk rumah warga');
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}?lang=id`);
    expect(page.status).toBe(200);
    const form = page.html.slice(page.html.indexOf('id="h-dispose"'));
    expect(form).toContain('Unit yang disarankan');
    expect(form.indexOf(`data-suggestion="unit:${SDA}"`)).toBeLessThan(
      form.indexOf(`data-suggestion="unit:${BM}"`),
    );
    expect(form).toContain(`href="/kantor/laporan/${id}?unit=${SDA}&amp;lang=id#h-dispose"`);
    expect(form).not.toMatch(/<option[^>]*selected[^>]*>/);
    const picked = await web.get(`/kantor/laporan/${id}?unit=${SDA}&lang=id`);
    expect(picked.html).toMatch(new RegExp(`<option value="${SDA}" selected`));
    expect(picked.html).toContain('Dipilih di formulir');
    // A malformed pick is ignored.
    expect((await web.get(`/kantor/laporan/${id}?unit=%3Cx%3E&lang=id`)).status).toBe(200);

    // An hour after the verification, so nothing below can mistake the disposisi for the verify event.
    t.setNow(new Date(t.clock.now.getTime() + 3_600_000));
    await actOk(t, id, 'dispose', { unitId: SDA }, { token: pupr });
    const rows = await query<{ chosen_label: string; accepted: boolean; in_top3: boolean }>(
      t.runtime.services.db,
      sql`select s.chosen_label, s.accepted, s.in_top3 from routing_suggestions s
            join reports r on r.id = s.report_id
           where r.tracking_id = ${id} and s.kind = 'unit'`,
    );
    expect(rows).toEqual([{ chosen_label: SDA, accepted: true, in_top3: true }]);
    // Now at Sumber Daya Air, the report can still move inside the tree, but never "to" the unit holding it.
    const again = await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: pupr });
    expect(again.status).toBe(200);
    expect(again.body.units.map((u: { id: string }) => u.id)).not.toContain(SDA);
    // The routing accuracy counts the unit decisions of the month.
    const acc = await t.api('/api/v1/routing/accuracy?months=1', { token: await t.login(DEMO.national) });
    expect(acc.body.months[0]).toMatchObject({ month: '2026-03', unitDecided: 1, unitAcceptedTop1: 1 });
    // So does the agency admin's scope (the chosen unit lies in PUPR's tree); Dinkes' does not.
    const own = await t.api('/api/v1/routing/accuracy?months=1', { token: pupr });
    expect(own.body.months[0]).toMatchObject({ unitDecided: 1, unitAcceptedTop1: 1 });
    const other = await t.api('/api/v1/routing/accuracy?months=1', {
      token: await t.login(DEMO.dinkesAdmin),
    });
    expect(other.body.months[0]).toMatchObject({ unitDecided: 0 });
    const stats = await (await signInWeb(t.url, DEMO.national)).get('/kantor/statistik/rute?bulan=1&lang=id');
    expect(stats.html).toMatch(/<li data-figure="unit_top1"><strong>100%<\/strong> Ketepatan saran unit/);
  });

  it('without a unit model the dispose form is as before and the API answers an empty list', async () => {
    await t.runtime.services.db.execute(sql`update routing_models set active = false where kind = 'unit'`);
    try {
      const id = await dispatched('Jalan rusak di depan pasar');
      const r = await t.api(`/api/v1/reports/${id}/unit-suggestions`, { token: pupr });
      expect(r.body).toEqual({ trackingId: id, units: [], model: null });
      const page = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${id}?lang=id`);
      expect(page.html).toContain('id="h-dispose"');
      expect(page.html).not.toContain('Unit yang disarankan');
    } finally {
      await t.runtime.services.db.execute(
        sql`update routing_models set active = true where kind = 'unit' and version = 1`,
      );
    }
  });
});
