/**
 * Verification timeliness and volume count the reports left unverified (QA H2), over real HTTP: in Samarinda a
 * report stays unverified past its verification deadline and another one is not yet due (a confidential one,
 * late too, stays out). The preview lowers Samarinda's verification timeliness to 2/3 and counts 4 received,
 * exactly as the public statistics (`GET /api/v1/stats`), while Balikpapan keeps 2/2. The open data (JSON, CSV,
 * the snapshot file and the served snapshot) holds only counters of those reports, never their text or number.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { snapshotOpenData } from '../commands/snapshot-open-data.ts';
import { evaluate } from '../domain/evaluation/evaluate.ts';
import { loadEvaluationConfig } from './evaluation.ts';

let t: TestApp;
const ids: Record<string, string> = {};

const LATE = 'Drainase tersumbat BELUM-DIVERIFIKASI-Q7 di gang sempit';
const LATE_BODY = 'Isi rahasia pelapor TEKS-BADAN-Q7 tentang drainase yang tersumbat sejak lama.';
const FRESH = 'Pohon tumbang BELUM-JATUH-TEMPO-Q8 menutup jalan';
const SECRET = 'Pungutan liar RAHASIA-BELUM-Q9 di loket';
const REPORTER = { reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' } };

const period = {
  id: 'h2-2026',
  name: 'Evaluasi H2 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  groups: [
    {
      id: 'h2-kabkota',
      name: 'Diskominfo Kabupaten/Kota H2',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-balikpapan' }, { agencyId: 'diskominfo-samarinda' }],
    },
  ],
};

const row = (result: any, agencyId: string) =>
  result.groups.find((g: any) => g.id === 'h2-kabkota').results.find((r: any) => r.agencyId === agencyId);
const timeliness = (result: any, agencyId: string) =>
  row(result, agencyId).indicators.find((i: any) => i.indicator === 'verification_timeliness');

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const coord = await t.login(DEMO.coordinator);
  const categoryId = await categoryIdByName(t);
  for (const regionCode of ['64.71.01', '64.71.02', '64.72.01', '64.72.02']) {
    const id = await submitReport(t, 'Jalan berlubang di depan sekolah', { regionCode, ...REPORTER });
    await actOk(t, id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  }
  ids.late = await submitReport(t, LATE, { regionCode: '64.72.02', body: LATE_BODY, ...REPORTER });
  ids.secret = await submitReport(t, SECRET, { regionCode: '64.72.02', confidential: true, ...REPORTER });
  // A month later: the two are long past their 3-working-day verification deadline; a new one is not yet due.
  t.setNow(new Date('2026-04-15T02:00:00Z'));
  ids.fresh = await submitReport(t, FRESH, { regionCode: '64.72.01', ...REPORTER });
  t.setNow(new Date('2026-04-15T03:00:00Z'));
  await refreshStats(t.runtime.services);
  const created = await t.api('/api/v1/evaluation/periods', {
    json: period,
    token: await t.login(DEMO.national),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 120_000);
afterAll(() => t?.close());

describe('verification timeliness: verified on time / measured or past due', () => {
  it('an unverified report past its deadline lowers its kab/kota in the preview, as in the statistics', async () => {
    const national = await t.login(DEMO.national);
    const preview = (await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: national }))
      .body;
    expect(timeliness(preview, 'diskominfo-samarinda').interval).toMatchObject({ successes: 2, trials: 3 });
    expect(timeliness(preview, 'diskominfo-samarinda').formula).toContain('of 2/3 verified on time');
    expect(row(preview, 'diskominfo-samarinda').received).toBe(4); // 2 verified, 1 late, 1 not due; not the rahasia one
    expect(timeliness(preview, 'diskominfo-balikpapan').interval).toMatchObject({ successes: 2, trials: 2 });
    expect(row(preview, 'diskominfo-balikpapan').received).toBe(2);
    expect(timeliness(preview, 'diskominfo-samarinda').score).toBeLessThan(
      timeliness(preview, 'diskominfo-balikpapan').score,
    );

    // The public statistics of the same range give the same counts and the same Wilson lower bound.
    const stats = await t.api('/api/v1/stats?groupBy=region&parent=64&from=2026-01-01&to=2026-12-31');
    expect(stats.status).toBe(200);
    for (const [code, agencyId] of [
      ['64.72', 'diskominfo-samarinda'],
      ['64.71', 'diskominfo-balikpapan'],
    ] as const) {
      const item = stats.body.items.find((i: any) => i.key === code);
      const ind = timeliness(preview, agencyId);
      expect(item.received, code).toBe(row(preview, agencyId).received);
      expect(item.verifiedOnTimeRate.successes, code).toBe(ind.interval.successes);
      expect(item.verifiedOnTimeRate.trials, code).toBe(ind.interval.trials);
      expect(item.verifiedOnTimeRate.lower, code).toBe(ind.interval.lower);
    }

    // The staff page shows it, under a column label that says what is counted.
    const web = await signInWeb(t.url, DEMO.national);
    const page = await web.get(`/kantor/evaluasi/${period.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Laporan diterima (tanpa rahasia)');
    expect(page.html).toContain('Batas bawah Wilson 95% dari 2/3 diverifikasi tepat waktu');
  });

  it('a snapshot of schema 1 (listed reports only) still evaluates as before', async () => {
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const doc = JSON.parse(await readFile(written.path, 'utf8'));
    const cfg = await loadEvaluationConfig(t.runtime.services.db, period.id);
    const now = evaluate(doc, cfg);
    expect(timeliness(now, 'diskominfo-samarinda').interval).toMatchObject({ successes: 2, trials: 3 });
    const { unlistedReports: _u, reportsAsOf: _r, ...v1 } = doc;
    const old = evaluate({ ...v1, schema: 'aduan-open-data/1' }, cfg);
    expect(old.reportsAsOf).toBeUndefined();
    expect(timeliness(old, 'diskominfo-samarinda').interval).toMatchObject({ successes: 2, trials: 2 });
    expect(row(old, 'diskominfo-samarinda').received).toBe(2);
  });

  it('the open data holds counters of the unverified reports, never their text or tracking number', async () => {
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const file = await readFile(written.path, 'utf8');
    const doc = JSON.parse(file);
    expect(doc.schema).toBe('aduan-open-data/4');
    const samarinda = doc.unlistedReports.byRegion.filter((c: any) => c.regionCode === '64.72');
    expect(samarinda).toEqual([
      { createdDate: '2026-03-12', regionCode: '64.72', received: 1, verificationDue: 1, verifiedOnTime: 0 },
      { createdDate: '2026-04-15', regionCode: '64.72', received: 1, verificationDue: 0, verifiedOnTime: 0 },
    ]);
    for (const c of [...doc.unlistedReports.byRegion, ...doc.unlistedReports.byAgency])
      expect(Object.keys(c).sort()).toEqual(
        [
          'createdDate',
          'received',
          'verificationDue',
          'verifiedOnTime',
          'regionCode' in c ? 'regionCode' : 'agencyPath',
        ].sort(),
      );
    const texts: [string, string][] = [['snapshot file', file]];
    for (const p of [
      '/api/v1/open-data/reports.json',
      '/api/v1/open-data/reports.csv',
      '/api/v1/open-data/snapshots/latest',
      `/api/v1/open-data/snapshots/${written.sha256}`,
    ]) {
      const res = await fetch(t.url + p);
      expect(res.status, p).toBe(200);
      texts.push([p, await res.text()]);
    }
    for (const [where, text] of texts)
      for (const marker of [
        ids.late!,
        ids.fresh!,
        ids.secret!,
        'BELUM-DIVERIFIKASI-Q7',
        'TEKS-BADAN-Q7',
        'BELUM-JATUH-TEMPO-Q8',
        'RAHASIA-BELUM-Q9',
        'Warga Uji',
      ])
        expect(text, `${where} contains ${marker}`).not.toContain(marker);
  });

  it("a report made rahasia later leaves the preview at once and its date's counters in the served snapshot", async () => {
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    t.setNow(new Date('2026-04-15T04:00:00Z'));
    const made = await t.api(`/api/v1/reports/${ids.late}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    // The preview leaves it out at once, before the next statistics refresh (as a publish now would).
    const preview = (
      await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: await t.login(DEMO.national) })
    ).body;
    expect(timeliness(preview, 'diskominfo-samarinda').interval).toMatchObject({ successes: 2, trials: 2 });
    expect(row(preview, 'diskominfo-samarinda').received).toBe(3);
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
    const served = JSON.parse(await res.text());
    expect(served.withdrawnCounts).toBeGreaterThan(0);
    expect(served.unlistedReports.byRegion.some((c: any) => c.createdDate === '2026-03-12')).toBe(false);
    expect(served.unlistedReports.byAgency.some((c: any) => c.createdDate === '2026-03-12')).toBe(false);
    expect(served.unlistedReports.byRegion.some((c: any) => c.createdDate === '2026-04-15')).toBe(true);
    // The stored file is unchanged (a published evaluation recomputes from it).
    expect(res.headers.get('x-snapshot-original-sha256')).toBe(written.sha256);
  });
});
