/**
 * Publishing evaluates the data at the moment of publishing, not an older daily snapshot (QA H1), over real HTTP:
 * a daily snapshot is written, then the Balikpapan coordinator signs in (admin activity) and a report is verified
 * and counted by a statistics refresh. The preview at publish time, the published result and `aduan evaluate`
 * (from the snapshot file written by the publish) are equal, and differ from what the stale daily snapshot gives.
 * The period page names the data moment of the preview and of a publish.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  submitReport,
  startTestApp,
  type TestApp,
} from '../../test/helpers/app.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';
import { statsCli } from '../cli/stats-cli.ts';
import { evaluate } from '../domain/evaluation/evaluate.ts';
import { loadEvaluationConfig } from '../queries/evaluation.ts';
import { snapshotBySha256 } from '../queries/open-data-snapshot.ts';
import { refreshStats } from './refresh-stats.ts';
import { snapshotOpenData, type SnapshotWritten } from './snapshot-open-data.ts';
import { publishReviewed } from '../../test/helpers/evaluation.ts';

let t: TestApp;
let national: string;
let daily: SnapshotWritten;
let pending: string;

const REPORTER = { reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' } };

const period = {
  id: 'h1-2026',
  name: 'Evaluasi H1 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  groups: [
    {
      id: 'h1-kabkota',
      name: 'Diskominfo Kabupaten/Kota H1',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-balikpapan' }, { agencyId: 'diskominfo-samarinda' }],
    },
    {
      id: 'h1-pd',
      name: 'Perangkat Daerah H1',
      scope: 'agency',
      participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
    },
  ],
};

const indicator = (result: any, group: string, agencyId: string, id: string) =>
  result.groups
    .find((g: any) => g.id === group)
    .results.find((r: any) => r.agencyId === agencyId)
    .indicators.find((i: any) => i.indicator === id);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  national = await t.login(DEMO.national);
  const coord = await t.login(DEMO.coordinator);
  const categoryId = await categoryIdByName(t);
  for (const [agencyId, regionCode] of [
    ['pupr-kaltim', '64.71.01'],
    ['pupr-kaltim', '64.72.02'],
    ['dinkes-kaltim', '64.72.02'],
    ['dinkes-kaltim', '64.71.02'],
  ] as const) {
    const id = await submitReport(t, 'Layanan publik lambat di kantor kelurahan', {
      regionCode,
      ...REPORTER,
    });
    await actOk(t, id, 'verify', { categoryId, agencyId }, { token: coord });
  }
  pending = await submitReport(t, 'Lampu jalan padam di kompleks perumahan', {
    regionCode: '64.71.01',
    ...REPORTER,
  });
  const created = await t.api('/api/v1/evaluation/periods', { json: period, token: national });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // The daily snapshot, written before the Balikpapan coordinator signs in and before `pending` is verified.
  t.setNow(new Date('2026-03-12T03:00:00Z'));
  daily = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
}, 120_000);
afterAll(() => t?.close());

describe('publishing evaluates the data of the publish moment', () => {
  it('publishes exactly the preview at publish time, reproducible by `aduan evaluate`, not the stale snapshot', async () => {
    national = await t.login(DEMO.national);
    const preview = async () => {
      const r = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: national });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    // After the daily snapshot, `pending` is verified and the worker refreshes the statistics.
    t.setNow(new Date('2026-03-12T05:00:00Z'));
    const categoryId = await categoryIdByName(t);
    await actOk(
      t,
      pending,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: await t.login(DEMO.coordinator) },
    );
    t.setNow(new Date('2026-03-12T05:05:00Z'));
    await refreshStats(t.runtime.services);
    national = await t.login(DEMO.national);
    // A preview seen now (and cached): nobody of Balikpapan active yet.
    const before = await preview();
    expect(indicator(before, 'h1-kabkota', 'diskominfo-balikpapan', 'admin_activity').formula).toContain(
      '0 of 1 admins active',
    );

    // Then the Balikpapan coordinator and the PUPR admin sign in; no statistics refresh follows.
    await t.login(DEMO.balikpapanCoordinator);
    await t.login(DEMO.puprAdmin);

    // The preview at publish time sees them.
    const atPublish = await preview();
    expect(indicator(atPublish, 'h1-kabkota', 'diskominfo-balikpapan', 'admin_activity').formula).toContain(
      '1 of 1 admins active',
    );
    expect(indicator(atPublish, 'h1-pd', 'pupr-kaltim', 'admin_activity').formula).toContain(
      '1 of 2 admins active',
    );
    expect(atPublish.reportsAsOf).toBe('2026-03-12T05:05:00.000Z');
    expect(atPublish.groups).not.toEqual(before.groups);

    const pub = await publishReviewed(t, period.id, national);
    expect(pub.status, JSON.stringify(pub.body)).toBe(201);
    const published = (await t.api(`/api/v1/evaluation/periods/${period.id}/results`)).body;
    expect(published.result.groups).toEqual(atPublish.groups);
    expect(published.result.reportsAsOf).toBe(atPublish.reportsAsOf);

    // A new snapshot was written for the publish and is the one recorded; the daily one would rank otherwise.
    expect(published.snapshotSha256).not.toBe(daily.sha256);
    const stored = await snapshotBySha256(t.runtime.services.db, published.snapshotSha256);
    expect(stored).not.toBeNull();
    const doc = JSON.parse(await readFile(stored!.path, 'utf8'));
    expect(doc.schema).toBe('aduan-open-data/4');
    expect(doc.license).toBe('https://creativecommons.org/licenses/by/4.0/'); // the file states its licence
    expect(doc.generatedAt).toBe('2026-03-12T05:05:00.000Z');
    expect(doc.reportsAsOf).toBe('2026-03-12T05:05:00.000Z');
    const cfg = await loadEvaluationConfig(t.runtime.services.db, period.id);
    const stale = evaluate(JSON.parse(await readFile(daily.path, 'utf8')), cfg);
    expect(indicator(stale, 'h1-kabkota', 'diskominfo-balikpapan', 'admin_activity').formula).toContain(
      '0 of 1 admins active',
    );
    expect(stale.groups).not.toEqual(published.result.groups);
    expect(evaluate(doc, cfg)).toEqual(published.result);

    // `aduan evaluate` recomputes it from the stored snapshot alone.
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await statsCli(t.runtime, 'evaluate', ['--period', period.id]);
    const out = log.mock.calls.map((c) => c.join(' ')).join('\n');
    log.mockRestore();
    expect(out).toContain(`snapshot sha256 ${published.snapshotSha256}`);
    expect(out).toContain('MATCH: equals the published result');
    expect(code).toBe(0);

    // Anyone can download it by its checksum.
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${published.snapshotSha256}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-checksum-sha256')).toBe(published.snapshotSha256);

    // The public page names the data moment.
    const html = await (await fetch(`${t.url}/evaluasi/${period.id}`)).text();
    expect(html).toContain('Data yang dinilai: laporan per 12 Maret 2026');
  });

  it('the period page names the data moment of the preview and of a publish', async () => {
    const other = {
      ...period,
      id: 'h1-2026-b',
      groups: period.groups.map((g) => ({ ...g, id: `${g.id}-b` })),
    };
    const created = await t.api('/api/v1/evaluation/periods', { json: other, token: national });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const web = await signInWeb(t.url, DEMO.national);
    const page = await web.get(`/kantor/evaluasi/${other.id}`);
    expect(page.status).toBe(200);
    // 05:05 UTC is 12.05 WIB.
    expect(page.html).toContain('Data pratinjau: laporan per 12 Maret 2026');
    expect(page.html).toMatch(/kini 12 Maret 2026 (pukul )?12[.:]05 WIB/);
    expect(page.html).not.toContain('snapshot data terbuka terbaru');
    const en = await web.get(`/kantor/evaluasi/${other.id}?lang=en`);
    expect(en.html).toContain('Preview data: reports as of 12 March 2026');
  });
});
