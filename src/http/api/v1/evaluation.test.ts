/**
 * Evaluation over real HTTP: a period with two groups, assessor rubric scores with evidence,
 * live preview, publishing from the open-data snapshot, published results, XLSX, and
 * `aduan evaluate` recomputing the same numbers from the snapshot file.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../../test/helpers/pdf.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { publishEvaluation } from '../../../commands/publish-evaluation.ts';
import { systemCaller } from '../../../app/context.ts';
import { latestSnapshot } from '../../../queries/open-data-snapshot.ts';
import { statsCli } from '../../../cli/stats-cli.ts';
import { loadEvaluationConfig } from '../../../queries/evaluation.ts';
import { evaluationPreview } from '../../../queries/evaluation-preview.ts';

let t: TestApp;
let national: string;

const period = {
  id: 'kaltim-2026',
  name: 'Evaluasi Pengelolaan Pengaduan Kalimantan Timur 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 2,
  groups: [
    {
      id: 'pd-kaltim-2026',
      name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
      scope: 'agency',
      participants: [
        { agencyId: 'pupr-kaltim', websiteUrl: 'https://pu.kaltimprov.go.id/' },
        { agencyId: 'dinkes-kaltim' },
      ],
    },
    {
      id: 'kabkota-kaltim-2026',
      name: 'Diskominfo Kabupaten/Kota se-Kalimantan Timur 2026',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-balikpapan' }],
    },
  ],
};

async function score(token: string, agencyId: string, indicator: string, value: number | string) {
  const form = new FormData();
  form.set('agencyId', agencyId);
  form.set('indicator', indicator);
  form.set('score', String(value));
  form.set('justification', 'SK Tim Pengelola Pengaduan Nomor 100/2026 dan kebijakan tertulis tersedia.');
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)], { type: 'application/pdf' }), 'sk-tim.pdf');
  const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/scores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  national = await t.login(DEMO.national);
  const coord = await t.login(DEMO.coordinator);
  const cats = await t.api('/api/v1/categories');
  const categoryId = cats.body.items[0].id;
  for (const [agencyId, region] of [
    ['pupr-kaltim', '64.71.01'],
    ['pupr-kaltim', '64.72.02'],
    ['pupr-kaltim', '64.71.02'],
    ['dinkes-kaltim', '64.72.02'],
  ] as const) {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Layanan publik bermasalah',
        body: 'Pelayanan di kantor ini lambat sekali dan tidak ada kejelasan waktu penyelesaian.',
        regionCode: region,
        reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId, agencyId },
      token: coord,
    });
    expect(v.status).toBe(200);
  }
  await refreshStats(t.runtime.services);
});
afterAll(() => t?.close());

describe('evaluation API', () => {
  it('a national admin (or a coordinator of every participant) creates periods; weights are versioned', async () => {
    // The Balikpapan coordinator does not cover the provincial participants.
    let r = await t.api('/api/v1/evaluation/periods', {
      json: period,
      token: await t.login(DEMO.balikpapanCoordinator),
    });
    expect(r.status).toBe(403);
    r = await t.api('/api/v1/evaluation/periods', {
      json: { ...period, from: '2026-12-31', to: '2026-01-01' },
      token: national,
    });
    expect(r.status).toBe(422);
    r = await t.api('/api/v1/evaluation/periods', { json: period, token: national });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.weightsVersion).toBe(1);
    r = await t.api('/api/v1/evaluation/periods', {
      json: { ...period, weights: { completion_rate: 1 } },
      token: national,
    });
    expect(r.body.weightsVersion).toBe(2);
    r = await t.api('/api/v1/evaluation/periods', { json: period, token: national });
    expect(r.body.weightsVersion).toBe(3);
  });

  it('assessors score rubric indicators with evidence and justification', async () => {
    const assessor = await t.login(DEMO.assessor);
    expect((await score(await t.login(DEMO.citizen), 'pupr-kaltim', 'inovasi', 80)).status).toBe(403);
    const bad = await score(assessor, 'pupr-kaltim', 'nonsense', 180);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['indicator', 'score']);
    const ok = await score(assessor, 'pupr-kaltim', 'komitmen_pimpinan', 80);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.evidence[0]).toMatchObject({
      filename: 'sk-tim.pdf',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const second = await score(national, 'pupr-kaltim', 'komitmen_pimpinan', 90);
    expect(second.status).toBe(201);
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token: assessor });
    expect(cfg.body.rubricScores).toHaveLength(2);
    const pub = await t.api(`/api/v1/evaluation/periods/${period.id}`);
    expect(pub.body.rubricScores).toBeUndefined();
  });

  it('previews rankings with indicator-by-indicator explanations and spread between assessors', async () => {
    expect((await t.api(`/api/v1/evaluation/periods/${period.id}/preview`)).status).toBe(401);
    const r = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, {
      token: await t.login(DEMO.assessor),
    });
    expect(r.status).toBe(200);
    const pd = r.body.groups.find((g: any) => g.id === 'pd-kaltim-2026');
    expect(pd.results.map((x: any) => [x.agencyId, x.rank, x.received])).toEqual([
      ['pupr-kaltim', 1, 3],
      ['dinkes-kaltim', null, 1],
    ]);
    expect(pd.results[1].flags).toContain('below_min_volume');
    const komitmen = pd.results[0].indicators.find((i: any) => i.indicator === 'komitmen_pimpinan');
    expect(komitmen).toMatchObject({ value: 85, assessors: 2, spread: 10 });
    const kab = r.body.groups.find((g: any) => g.id === 'kabkota-kaltim-2026').results[0];
    expect(kab.received).toBe(2); // reports located in 64.71 (Balikpapan)
    expect(kab.indicators.find((i: any) => i.indicator === 'volume').formula).toContain('per 100,000');
  });

  it('reuses the preview (no new open-data snapshot) until a statistics refresh or a configuration change', async () => {
    const db = t.runtime.services.db;
    const now = t.runtime.services.now();
    const cfg = await loadEvaluationConfig(db, period.id);
    const first = await evaluationPreview(db, cfg, now);
    expect(await evaluationPreview(db, cfg, now)).toBe(first);
    const changed = { ...cfg, minVolume: cfg.minVolume + 1 };
    expect(await evaluationPreview(db, changed, now)).not.toBe(first);
    // A refresh one minute later (new watermark) recomputes it; then back to the test clock's watermark.
    await refreshStats({ ...t.runtime.services, now: () => new Date(now.getTime() + 60_000) });
    const refreshed = await evaluationPreview(db, cfg, now);
    expect(refreshed).not.toBe(first);
    expect(refreshed.groups).toEqual(first.groups);
    await refreshStats(t.runtime.services, { full: true });
  });

  it('publishes from the snapshot; results are public, hashed, exportable and recomputable by `aduan evaluate`', async () => {
    // Services that know no data directory need an earlier snapshot to know where to write.
    const { dataDir: _dataDir, ...noDir } = t.runtime.services;
    await expect(
      publishEvaluation(noDir, systemCaller('test'), period.id, { expectedPreview: '0'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_REQUIRED' });
    let r = await t.api(`/api/v1/evaluation/periods/${period.id}/publish`, {
      method: 'POST',
      token: await t.login(DEMO.assessor),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    // The preview carries the fingerprint of its rankings; new data moves it, and a publish naming the old one
    // is refused with nothing written.
    const before = (await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: national })).body;
    expect(before.previewSha256).toMatch(/^[0-9a-f]{64}$/);
    r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan padam',
        body: 'Lampu penerangan jalan di depan sekolah padam sejak seminggu, jalan gelap pada malam hari.',
        regionCode: '64.71.01',
        reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const verified = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId: (await t.api('/api/v1/categories')).body.items[0].id, agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    expect(verified.status).toBe(200);
    // The statistics refresh that brings it in (a later instant than the cached preview's refresh).
    const at = t.runtime.services.now().getTime() + 120_000;
    await refreshStats({ ...t.runtime.services, now: () => new Date(at) });
    const after = (await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: national })).body;
    expect(after.previewSha256).not.toBe(before.previewSha256);
    r = await t.api(`/api/v1/evaluation/periods/${period.id}/publish`, {
      json: { previewSha256: before.previewSha256 },
      token: national,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PREVIEW_CHANGED');
    expect(r.body.error.message).toMatch(/Peringkat berubah|rankings changed/);
    // A publish that names no reviewed preview (empty body, no body, a body from an older client) is 428
    // PREVIEW_REQUIRED in both languages, as the publish form is, and writes nothing.
    for (const init of [{ json: {} }, { method: 'POST' }, { json: null }]) {
      r = await t.api(`/api/v1/evaluation/periods/${period.id}/publish`, { ...init, token: national });
      expect(r.status, JSON.stringify(init)).toBe(428);
      expect(r.body.error.code).toBe('PREVIEW_REQUIRED');
      expect(r.body.error.translations.id.message).toContain('Periksa pratinjau peringkat');
      expect(r.body.error.translations.en.message).toContain('Review the preview rankings');
    }
    expect((await t.api(`/api/v1/evaluation/periods/${period.id}/results`)).status).toBe(404);
    // A fresh install (no snapshot yet) publishes: the snapshot file goes to <ADUAN_DATA_DIR>/open-data.
    expect(await latestSnapshot(t.runtime.services.db)).toBeNull();
    r = await t.api(`/api/v1/evaluation/periods/${period.id}/publish`, {
      json: { previewSha256: after.previewSha256 },
      token: national,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await latestSnapshot(t.runtime.services.db))?.path).toContain(
      join(t.runtime.config.dataDir, 'open-data'),
    );
    const results = await t.api(`/api/v1/evaluation/periods/${period.id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(results.body.result.groups.find((g: any) => g.id === 'pd-kaltim-2026').results[0].agencyId).toBe(
      'pupr-kaltim',
    );

    const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/results.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets[0]!.getRow(1).getCell(2).value).toBe('Kategori penghargaan');
    expect(wb.worksheets[0]!.getRow(1).getCell(3).value).toBe('Peringkat');

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await statsCli(t.runtime, 'evaluate', ['--period', period.id]);
    const out = log.mock.calls.map((c) => c.join(' ')).join('\n');
    log.mockRestore();
    expect(out).toContain('MATCH: equals the published result');
    expect(out).toContain(results.body.inputsSha256);
    expect(code).toBe(0);
  });
});
