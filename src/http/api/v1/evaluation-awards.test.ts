/**
 * Evaluation awards and public-surface privacy over real HTTP:
 * - a period with its own weights and predikat thresholds, and three award categories (complaint
 *   handling, website, social media) ranked separately; each total equals the sum of its indicator
 *   contributions; the predikat follows the period's thresholds;
 * - the published result equals the live preview (the app) and `aduan evaluate` (the snapshot alone);
 *   a tampered snapshot gives MISMATCH and exit code 1;
 * - privacy sweep: every public surface (statistics JSON/CSV/XLSX per grouping, open data JSON/CSV,
 *   the snapshot file, the public period, the results JSON/XLSX, the public pages) carries no
 *   confidential report, anonymous identity, reporter contact, assessor justification, evidence file
 *   name or assessor e-mail.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../../test/helpers/pdf.ts';
import { SECRET, seedStatsReports } from '../../../../test/helpers/stats-fixture.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { snapshotOpenData } from '../../../commands/snapshot-open-data.ts';
import { statsCli } from '../../../cli/stats-cli.ts';
import { predikatFor } from '../../../domain/evaluation/scoring.ts';
import { publishReviewed } from '../../../../test/helpers/evaluation.ts';

let t: TestApp;
let ids: Record<string, string>;
let snapshotPath: string;

const JUSTIFICATION = 'Catatan penilai JUSTIFIKASI-INTERNAL-77: situs memuat tautan LAPOR! di beranda.';
const EVIDENCE = 'bukti-internal-QRS.pdf';
const THRESHOLDS = [
  { predikat: 'Istimewa', min: 60 },
  { predikat: 'Cukup', min: 0 },
];

const period = {
  id: 'awards-2026',
  name: 'Penghargaan Pengelolaan Pengaduan Kalimantan Timur 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  weights: { completion_rate: 2, admin_activity: 1, komitmen_pimpinan: 1 },
  thresholds: THRESHOLDS,
  groups: [
    {
      id: 'pd-2026',
      name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
      scope: 'agency',
      participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
    },
    {
      id: 'web-2026',
      name: 'Website Terbaik 2026',
      scope: 'agency',
      award: 'website',
      participants: [
        { agencyId: 'pupr-kaltim', websiteUrl: 'https://pu.kaltimprov.go.id/' },
        { agencyId: 'dinkes-kaltim', websiteUrl: 'https://dinkes.kaltimprov.go.id/' },
      ],
    },
    {
      id: 'sosmed-2026',
      name: 'Media Sosial Terbaik 2026',
      scope: 'agency',
      award: 'media_sosial',
      participants: [
        { agencyId: 'pupr-kaltim', socialUrl: 'https://www.instagram.com/dpupr.kaltim/' },
        { agencyId: 'dinkes-kaltim', socialUrl: 'https://www.instagram.com/dinkes.kaltim/' },
      ],
    },
  ],
};

async function score(email: string, agencyId: string, indicator: string, value: number) {
  const form = new FormData();
  form.set('agencyId', agencyId);
  form.set('indicator', indicator);
  form.set('score', String(value));
  form.set('justification', JUSTIFICATION);
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)], { type: 'application/pdf' }), EVIDENCE);
  const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/scores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.login(email)}` },
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** Every cell of every sheet of an XLSX file, as one string. */
async function xlsxText(path: string): Promise<string> {
  const res = await fetch(t.url + path);
  expect(res.status, path).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const out: string[] = [];
  for (const ws of wb.worksheets)
    ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value ?? ''))));
  return out.join('\n');
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  ids = await seedStatsReports(t); // clock now 15 April 2026
  const created = await t.api('/api/v1/evaluation/periods', {
    json: period,
    token: await t.login(DEMO.national),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await score(DEMO.assessor, 'pupr-kaltim', 'komitmen_pimpinan', 100);
  await score(DEMO.assessor, 'pupr-kaltim', 'website', 60);
  await score(DEMO.national, 'pupr-kaltim', 'website', 80);
  await score(DEMO.assessor, 'dinkes-kaltim', 'website', 90);
  await score(DEMO.assessor, 'pupr-kaltim', 'media_sosial', 75);
  snapshotPath = (await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir)).path;
  const pub = await publishReviewed(t, period.id, await t.login(DEMO.national));
  expect(pub.status, JSON.stringify(pub.body)).toBe(201);
}, 120_000);
afterAll(() => t?.close());

describe('award categories, weights and thresholds per period', () => {
  it('ranks each award category separately with the period weights and predikat thresholds', async () => {
    const r = await t.api(`/api/v1/evaluation/periods/${period.id}/results`);
    expect(r.status).toBe(200);
    const groups = r.body.result.groups as any[];
    expect(Object.fromEntries(groups.map((g) => [g.id, g.award]))).toEqual({
      'pd-2026': 'complaint_handling',
      'web-2026': 'website',
      'sosmed-2026': 'media_sosial',
    });
    for (const g of groups)
      for (const p of g.results) {
        // Every total is explained: the sum of its indicators' contributions; predikat from the period.
        const sum = p.indicators.reduce((s: number, i: any) => s + i.contribution, 0);
        expect(p.total, `${g.id} ${p.agencyId}`).toBeCloseTo(sum, 1);
        expect(p.predikat).toBe(predikatFor(p.total, THRESHOLDS));
        for (const i of p.indicators) expect(i.formula).toMatch(new RegExp(`^${i.indicator}: `));
      }

    const [pd, web, sosmed] = ['pd-2026', 'web-2026', 'sosmed-2026'].map((id) =>
      groups.find((g) => g.id === id),
    );
    // Complaint handling: only the weighted indicators, in the period's proportions 2 : 1 : 1.
    const pupr = pd.results.find((p: any) => p.agencyId === 'pupr-kaltim');
    expect(Object.fromEntries(pupr.indicators.map((i: any) => [i.indicator, i.weight]))).toEqual({
      completion_rate: 2,
      admin_activity: 1,
      komitmen_pimpinan: 1,
    });
    expect(pupr.indicators.find((i: any) => i.indicator === 'completion_rate').interval).toMatchObject({
      successes: 1,
      trials: 2, // the public reports only: the confidential one is not in the open data
    });
    expect(pupr.indicators.find((i: any) => i.indicator === 'admin_activity').formula).toMatch(
      /admins active in the last 30 days/,
    );
    const dinkes = pd.results.find((p: any) => p.agencyId === 'dinkes-kaltim');
    expect(dinkes.flags).toContain('no_assessment:komitmen_pimpinan');

    // Website: the mean of the assessors' scores only (pupr 60 and 80 → 70, spread 20; dinkes 90).
    expect(web.results.map((p: any) => [p.agencyId, p.rank, p.total, p.predikat])).toEqual([
      ['dinkes-kaltim', 1, 90, 'Istimewa'],
      ['pupr-kaltim', 2, 70, 'Istimewa'],
    ]);
    expect(web.results[1].indicators).toEqual([
      expect.objectContaining({ indicator: 'website', value: 70, assessors: 2, spread: 20 }),
    ]);
    // Social media: dinkes has no score yet: flagged, 0, Cukup, and not ranked (no certificate), after pupr.
    expect(sosmed.results.map((p: any) => [p.agencyId, p.rank, p.total, p.predikat])).toEqual([
      ['pupr-kaltim', 1, 75, 'Istimewa'],
      ['dinkes-kaltim', null, 0, 'Cukup'],
    ]);
    expect(sosmed.results[1].flags).toEqual(['no_assessment:media_sosial', 'not_assessed']);
    expect(
      (await fetch(`${t.url}/evaluasi/${period.id}/sertifikat/dinkes-kaltim?kelompok=sosmed-2026`)).status,
    ).toBe(404);

    // The XLSX export carries every group and the predikat of the period.
    const text = await xlsxText(`/api/v1/evaluation/periods/${period.id}/results.xlsx?lang=en`);
    for (const s of ['Website Terbaik 2026', 'Media Sosial Terbaik 2026', 'Istimewa', 'Cukup', 'Rank'])
      expect(text).toContain(s);
  });

  it('the published result equals the live preview and `aduan evaluate`; a tampered snapshot is a MISMATCH', async () => {
    const published = await t.api(`/api/v1/evaluation/periods/${period.id}/results`);
    const preview = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, {
      token: await t.login(DEMO.assessor),
    });
    expect(preview.status).toBe(200);
    expect(preview.body.groups).toEqual(published.body.result.groups);

    const run = async (args: string[]) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const code = await statsCli(t.runtime, 'evaluate', args);
      const out = log.mock.calls.map((c) => c.join(' ')).join('\n');
      const err = error.mock.calls.map((c) => c.join(' ')).join('\n');
      log.mockRestore();
      error.mockRestore();
      return { code, out, err };
    };
    const ok = await run(['--period', period.id]);
    expect(ok.out).toContain('MATCH: equals the published result');
    expect(ok.code).toBe(0);

    // One report's completion flipped in a copy of the snapshot: the recomputation differs.
    const doc = JSON.parse(await readFile(snapshotPath, 'utf8'));
    const completed = doc.reports.find((r: any) => r.completed);
    expect(completed).toBeTruthy();
    completed.completed = false;
    const tampered = `${snapshotPath}.tampered.json`;
    await writeFile(tampered, JSON.stringify(doc));
    const bad = await run(['--period', period.id, '--snapshot', tampered]);
    expect(bad.out).toContain('MISMATCH');
    expect(bad.code).toBe(1);

    // A file that cannot be the snapshot: one line that names it and says why, exit 1, nothing evaluated.
    const notJson = `${snapshotPath}.html`;
    await writeFile(notJson, '<html>bukan snapshot</html>');
    const notSnapshot = `${snapshotPath}.other.json`;
    await writeFile(notSnapshot, JSON.stringify({ schema: 'lain/1', items: [] }));
    for (const [file, message] of [
      [`${snapshotPath}.missing`, `snapshot file not found: ${snapshotPath}.missing`],
      [dirname(snapshotPath), `${dirname(snapshotPath)} is a directory, not a snapshot file`],
      [notJson, `${notJson} is not JSON`],
      [notSnapshot, `${notSnapshot} is not an open-data snapshot`],
    ] as const) {
      const r = await run(['--period', period.id, '--snapshot', file]);
      expect(r.code, file).toBe(1);
      expect(r.err, file).toContain(`aduan evaluate: ${message}`);
      expect(r.err.split('\n'), file).toHaveLength(1);
      expect(r.out, file).toBe('');
    }
  });

  it('later daily snapshots do not break the recomputation; the evaluated snapshot stays downloadable', async () => {
    const published = (await t.api(`/api/v1/evaluation/periods/${period.id}/results`)).body;
    // A new report and the next day's snapshot: the latest snapshot now differs from the evaluated one.
    t.setNow(new Date('2026-04-16T02:00:00Z'));
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Trotoar rusak di depan kantor',
        body: 'Trotoar di depan kantor kecamatan rusak dan membahayakan pejalan kaki setiap hari kerja.',
        regionCode: '64.72.02',
        reporter: { name: 'Warga Lain', email: 'warga.lain@contoh.aduan.id' },
      },
    });
    const cats = await t.api('/api/v1/categories');
    await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId: cats.body.items[0].id, agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    await refreshStats(t.runtime.services);
    const later = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    expect(later.sha256).not.toBe(published.snapshotSha256);

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await statsCli(t.runtime, 'evaluate', ['--period', period.id]);
    const out = log.mock.calls.map((c) => c.join(' ')).join('\n');
    log.mockRestore();
    expect(out).toContain(`snapshot sha256 ${published.snapshotSha256}`);
    expect(out).toContain('MATCH: equals the published result');
    expect(code).toBe(0);

    // Anyone can download the evaluated snapshot by its checksum and recompute.
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${published.snapshotSha256}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(published.snapshotSha256);
    expect(res.headers.get('x-checksum-sha256')).toBe(published.snapshotSha256);
    expect((await fetch(`${t.url}/api/v1/open-data/snapshots/${'0'.repeat(64)}`)).status).toBe(404);
    expect([400, 422]).toContain((await fetch(`${t.url}/api/v1/open-data/snapshots/not-a-hash`)).status);
    const html = await (await fetch(`${t.url}/evaluasi/${period.id}`)).text();
    expect(html).toContain(`/api/v1/open-data/snapshots/${published.snapshotSha256}`);
  });
});

describe('privacy of every public surface', () => {
  const forbidden = () => [
    ids.confidential!,
    ids.unverified!,
    ...Object.values(SECRET),
    'JUSTIFIKASI-INTERNAL-77',
    EVIDENCE,
    DEMO.assessor,
    DEMO.national,
  ];
  const expectClean = (where: string, text: string) => {
    for (const f of forbidden()) expect(text, `${where} contains ${f}`).not.toContain(f);
  };
  const text = async (path: string) => {
    const res = await fetch(t.url + path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  it('statistics JSON, CSV and XLSX for every grouping', async () => {
    for (const g of ['agency', 'category', 'region', 'classification', 'channel', 'month']) {
      const q = `groupBy=${g}&from=2026-01-01&to=2026-12-31`;
      expectClean(`/api/v1/stats?${q}`, await text(`/api/v1/stats?${q}`));
      expectClean(`/api/v1/stats.csv?${q}`, await text(`/api/v1/stats.csv?${q}`));
      expectClean(`/api/v1/stats.xlsx?${q}`, await xlsxText(`/api/v1/stats.xlsx?${q}`));
    }
  });

  it('open data JSON, CSV, dictionary and the snapshot file', async () => {
    for (const p of [
      '/api/v1/open-data/reports.json',
      '/api/v1/open-data/reports.csv',
      '/api/v1/open-data/dictionary',
      '/api/v1/open-data/snapshots/latest',
      '/api/v1/open-data/snapshots/latest.sha256',
    ])
      expectClean(p, await text(p));
    expectClean('snapshot file', await readFile(snapshotPath, 'utf8'));
  });

  it('evaluation: public period, results JSON and XLSX, results and certificate pages', async () => {
    for (const p of [
      '/api/v1/evaluation/periods',
      `/api/v1/evaluation/periods/${period.id}`,
      `/api/v1/evaluation/periods/${period.id}/results`,
      `/evaluasi/${period.id}`,
      `/evaluasi/${period.id}?lang=en`,
      `/evaluasi/${period.id}/sertifikat/dinkes-kaltim?kelompok=web-2026`,
    ])
      expectClean(p, await text(p));
    expectClean('results.xlsx', await xlsxText(`/api/v1/evaluation/periods/${period.id}/results.xlsx`));
  });

  it('public statistics pages', async () => {
    for (const p of ['/statistik?tahun=2026', '/statistik/bulanan?bulan=2026-03', '/statistik?lang=en'])
      expectClean(p, await text(p));
  });
});
