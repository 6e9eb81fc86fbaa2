/**
 * "The words that drove it" are readable: the model's synthetic region and classification tokens are
 * shown as the region's name and the classification, never as `wilayah64x71` or `klasifikasipengaduan`.
 * Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL); synthetic history.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';
import {
  actOk,
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { HEALTH, ROADS } from '../../test/helpers/routing-corpus.ts';
import { routingTokenMeaning } from '../domain/routing/ensemble.ts';
import { trainRoutingModels } from './train-routing.ts';

let t: TestApp;
let coord: string;
let catRoads: number;

const submit = (title: string, json: Record<string, unknown>) =>
  submitReport(t, title, { reporter: { name: 'Warga Uji' }, ...json });

// Roads reports come from Kota Balikpapan (64.71), health reports from Kutai Kartanegara (64.02): the region
// tokens carry weight, so they are among the words that drove each suggestion.
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  let catHealth: number;
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS)
    await verifyReport(t, coord, await submit(title, { regionCode: '64.71' }), 'pupr-kaltim', catRoads);
  for (const title of HEALTH)
    await verifyReport(
      t,
      coord,
      await submit(title, { regionCode: '64.02', classification: 'aspirasi' }),
      'dinkes-kaltim',
      catHealth,
    );
  await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
}, 120_000);
afterAll(() => t?.close());

describe('routing token meaning', () => {
  it('reads region prefixes and classifications, and leaves words alone', () => {
    expect(routingTokenMeaning('wilayah64x71')).toEqual({ kind: 'region', code: '64.71' });
    expect(routingTokenMeaning('wilayah64')).toEqual({ kind: 'region', code: '64' });
    expect(routingTokenMeaning('klasifikasipermintaaninformasi')).toEqual({
      kind: 'classification',
      value: 'permintaan_informasi',
    });
    expect(routingTokenMeaning('klasifikasilainnya')).toBeNull();
    expect(routingTokenMeaning('wilayah')).toBeNull();
    expect(routingTokenMeaning('jalan')).toBeNull();
  });
});

describe('suggestion words', () => {
  it('name the region and classification instead of showing model tokens', async () => {
    const id = await submit('Mohon perhatian untuk keluhan warga di lingkungan kami', {
      regionCode: '64.71',
    });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const words = [...r.body.agencies, ...r.body.categories].flatMap((s: { words: string[] }) => s.words);
    expect(words.length).toBeGreaterThan(0);
    expect(words.filter((w) => /^(wilayah|klasifikasi)/.test(w))).toEqual([]);
    expect(words).toContain('Kota Balikpapan');
    const top = r.body.agencies[0];
    expect(top.id).toBe('pupr-kaltim');
    expect(new Set(top.words).size).toBe(top.words.length);
  });

  it('are the words the report writes, not their stems', async () => {
    const title = 'Aspal mengelupas dan jalan berlubang di depan sekolah';
    const id = await submit(title, { regionCode: '64.71' });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const text = `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang.`.toLowerCase();
    const words = [...r.body.agencies, ...r.body.categories]
      .flatMap((s: { words: string[] }) => s.words)
      // Region names (capitalised) and the classification are not the report's words.
      .filter((w: string) => w === w.toLowerCase() && w !== 'pengaduan');
    expect(words).toContain('berlubang');
    // Times in the report's zone (Balikpapan: WITA), as every time the API gives.
    expect(r.body.models.agency.trainedAt).toMatch(/\+08:00$/);
    // "berlubang" stems to "lubang", "mengelupas" to "kelupas": shown as written, every word is in the text.
    for (const w of words) expect(text, w).toMatch(new RegExp(`(^|[^a-z])${w}([^a-z]|$)`));
  });

  it('show the classification as its name', async () => {
    const id = await submit('Keluhan warga di lingkungan kami', {
      regionCode: '64.02',
      classification: 'aspirasi',
    });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const words = r.body.agencies.flatMap((s: { words: string[] }) => s.words);
    expect(words).toContain('aspirasi');
    expect(words).toContain('Kabupaten Kutai Kartanegara');
  });
});

describe('a weak model', () => {
  it('says so beside its suggestions (cross-validated macro-F1 below 0.5), in the API and on the page', async () => {
    const id = await submit('Jalan berlubang di depan pasar pagi', { regionCode: '64.71' });
    const before = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    // Trained here without cross-validation: nothing stored, no warning.
    expect(before.body.models.classification.cvMacroF1).toBeNull();
    const page = await (await signInWeb(t.url, DEMO.coordinator)).get(`/kantor/laporan/${id}`);
    expect(page.html).not.toContain('data-weak-model');
    await t.runtime.services.db.execute(
      sql`update routing_models set metrics = metrics || '{"macroF1": 0.31}'::jsonb
           where active and kind = 'classification'`,
    );
    try {
      const after = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
      expect(after.body.models.classification.cvMacroF1).toBe(0.31);
      const weak = await (await signInWeb(t.url, DEMO.coordinator)).get(`/kantor/laporan/${id}`);
      expect(weak.html).toContain('data-weak-model="classification"');
      expect(weak.html).toContain('Model ini masih lemah (macro-F1 uji silang 0,31)');
      expect(weak.html).not.toContain('data-weak-model="agency"');
    } finally {
      await t.runtime.services.db.execute(
        sql`update routing_models set metrics = metrics - 'macroF1' where active and kind = 'classification'`,
      );
    }
  });
});

describe('report type suggestions', () => {
  // The history holds complaints about roads (pengaduan) and suggestions about health (aspirasi), so the
  // classification model is trained too.
  it("are answered with the agencies and categories, and the verifier's choice is recorded", async () => {
    const id = await submit('Saran untuk pelayanan puskesmas dan obat pasien', { regionCode: '64.71' });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const types = r.body.classifications as Array<{
      id: string;
      name: string;
      confidence: number;
      words: string[];
    }>;
    expect(types.map((c) => c.id).sort()).toEqual(['aspirasi', 'pengaduan']);
    expect(types[0]!.id).toBe('aspirasi');
    expect(types[0]!.confidence).toBeGreaterThan(0.5);
    expect(types.reduce((a, c) => a + c.confidence, 0)).toBeCloseTo(1, 2);
    // Named as the verification screen names them, in the request's language.
    expect(types[0]!.name).toBe('Aspirasi');
    const en = await t.api(`/api/v1/reports/${id}/suggestions`, {
      token: coord,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.classifications.map((c: { name: string }) => c.name).sort()).toEqual([
      'Aspiration',
      'Complaint',
    ]);
    expect(r.body.models.classification.version).toBeGreaterThanOrEqual(1);
    // The stored report-type model has the title-only third member; the agency model keeps two members.
    const stored = await query<{ kind: string; features: Array<{ wordScope?: string }> }>(
      t.runtime.services.db,
      sql`select kind, array(select m->'features' from jsonb_array_elements(model->'members') m) as features
            from routing_models where active and kind in ('agency', 'classification') order by kind`,
    );
    expect(stored.map((m) => [m.kind, m.features.map((f) => f.wordScope ?? 'all')])).toEqual([
      ['agency', ['all', 'all']],
      ['classification', ['all', 'all', 'title']],
    ]);
    // The verifier corrects the citizen's pengaduan to aspirasi, as suggested.
    await actOk(
      t,
      id,
      'verify',
      { agencyId: 'dinkes-kaltim', categoryId: catRoads, classification: 'aspirasi' },
      { token: coord },
    );
    const rows = await query<{ kind: string; chosen_label: string; accepted: boolean }>(
      t.runtime.services.db,
      sql`select s.kind, s.chosen_label, s.accepted from routing_suggestions s join reports r on r.id = s.report_id
           where r.tracking_id = ${id} and s.kind = 'classification'`,
    );
    expect(rows).toEqual([{ kind: 'classification', chosen_label: 'aspirasi', accepted: true }]);
    // The routing accuracy counts it with the other decisions of the month (API and CSV).
    const acc = await t.api('/api/v1/routing/accuracy?months=1', { token: await t.login(DEMO.national) });
    expect(acc.body.months[0]).toMatchObject({
      month: '2026-03',
      classificationDecided: 1,
      classificationAcceptedTop1: 1,
    });
    const page = await (await signInWeb(t.url, DEMO.national)).get('/kantor/statistik/rute?bulan=1&lang=id');
    expect(page.html).toMatch(
      /<li data-figure="type_top1"><strong>100%<\/strong> Ketepatan saran klasifikasi/,
    );
  });

  it('show on the verification screen, and picking one pre-selects it in the verify form', async () => {
    const id = await submit('Saran agar puskesmas menambah dokter jaga', { regionCode: '64.71' });
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get(`/kantor/laporan/${id}?lang=id`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Klasifikasi yang disarankan');
    expect(page.html).toContain('data-suggestion="classification:aspirasi"');
    expect(page.html).toMatch(/name="classification" value="pengaduan"[^>]*checked/);
    const picked = await web.get(`/kantor/laporan/${id}?klasifikasi=aspirasi&lang=id`);
    expect(picked.html).toMatch(/name="classification" value="aspirasi"[^>]*checked/);
    // A value that is not a classification is ignored.
    const bad = await web.get(`/kantor/laporan/${id}?klasifikasi=lainnya&lang=id`);
    expect(bad.status).toBe(200);
    expect(bad.html).toMatch(/name="classification" value="pengaduan"[^>]*checked/);
  });
});
