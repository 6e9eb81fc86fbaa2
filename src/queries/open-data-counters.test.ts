/**
 * The open-data counters of the reports that are not rows (received but not (yet) verified), over real HTTP and a
 * real database:
 *
 * - every participant scope the evaluation supports gets them: a region-scope participant located below kab/kota
 *   (a kecamatan office, `64.72.02`, as an imported agency tree may hold; the app's own form gives a child its
 *   parent's region) counts the unverified reports of its kecamatan (snapshot schema 3, `unlistedReports.byArea`),
 *   not those of the rest of the city; an agency-scope participant below a perangkat daerah (a unit) counts those
 *   addressed to it. A schema 2 snapshot (no `byArea`) still evaluates as it was published (rows only there).
 * - a report made rahasia after a snapshot leaves the served counters exactly: its own count goes from each entry it
 *   was counted in (its kab/kota, its kecamatan, its agency path), the other reports of that date stay, and an entry
 *   left empty goes. The file listing which reports were counted (`countedPath`) is never served. A snapshot stored
 *   without that file (written before it existed) still withdraws the whole date, as before.
 */
import { createHash } from 'node:crypto';
import { access, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { openDataDir, snapshotOpenData, writeOpenDataSnapshot } from '../commands/snapshot-open-data.ts';
import { agencies } from '../db/schema.ts';
import { evaluate } from '../domain/evaluation/evaluate.ts';
import { loadEvaluationConfig } from './evaluation.ts';
import { buildOpenDataSnapshot, countedPath, forgetWithdrawnAnswer } from './open-data-snapshot.ts';
import { jsonFileReading } from '../integrations/json-file.ts';

const WHOLE_UP_TO = jsonFileReading.wholeUpTo;

let t: TestApp;
const ids: Record<string, string> = {};
const AREA = 'kecamatan-uji-64-72-02';
const UNIT = 'pupr-kaltim-unit';
const SECRET_LATER = 'Pungli RAHASIA-NANTI-K4 di kantor kelurahan';
const REPORTER = { reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' } };

const period = {
  id: 'k-2026',
  name: 'Evaluasi K 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  groups: [
    {
      id: 'k-wilayah',
      name: 'Wilayah K',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-samarinda' }, { agencyId: AREA }],
    },
    {
      id: 'k-instansi',
      name: 'Instansi K',
      scope: 'agency',
      participants: [{ agencyId: UNIT }, { agencyId: 'dinkes-kaltim' }],
    },
  ],
};

const row = (result: any, group: string, agencyId: string) =>
  result.groups.find((g: any) => g.id === group).results.find((r: any) => r.agencyId === agencyId);
/** [received, verified on time, verification measured or due] of one participant. */
const timeliness = (result: any, group: string, agencyId: string) => {
  const r = row(result, group, agencyId);
  const i = r.indicators.find((x: any) => x.indicator === 'verification_timeliness');
  return [r.received, i.interval?.successes ?? 0, i.interval?.trials ?? 0];
};
const entry = (list: any[], date: string, key: string) =>
  list.find((c) => c.createdDate === date && (c.regionCode ?? c.agencyPath.join('/')) === key);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const db = t.runtime.services.db;
  // A kecamatan office under the Samarinda city government, located in kecamatan 64.72.02.
  const [city] = await db.select().from(agencies).where(eq(agencies.id, 'pemkab-samarinda'));
  await db.insert(agencies).values({
    id: AREA,
    name: 'Kantor Kecamatan Uji, Kota Samarinda',
    kind: 'unit',
    parentId: city!.id,
    path: `${city!.path}${AREA}/`,
    regionCode: '64.72.02',
    zone: 'WITA',
  });
  const coord = await t.login(DEMO.coordinator);
  const categoryId = await categoryIdByName(t);
  // Verified at once (rows of the open data): one in the kecamatan, one elsewhere in Samarinda.
  for (const regionCode of ['64.72.02', '64.72.01']) {
    const id = await submitReport(t, 'Jalan berlubang di depan sekolah', { regionCode, ...REPORTER });
    await actOk(t, id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  }
  // Left unverified (counters only): two in the kecamatan (one made rahasia later), one elsewhere in the city,
  // one addressed to the PUPR unit in Balikpapan.
  ids.area = await submitReport(t, 'Drainase tersumbat di gang sempit', {
    regionCode: '64.72.02',
    ...REPORTER,
  });
  ids.later = await submitReport(t, SECRET_LATER, { regionCode: '64.72.02', ...REPORTER });
  ids.city = await submitReport(t, 'Lampu jalan padam di simpang', { regionCode: '64.72.01', ...REPORTER });
  ids.unit = await submitReport(t, 'Trotoar rusak di depan pasar', {
    regionCode: '64.71.01',
    targetAgencyId: UNIT,
    ...REPORTER,
  });
  // A month later all four are long past their 3-working-day verification deadline.
  t.setNow(new Date('2026-04-15T03:00:00Z'));
  await refreshStats(t.runtime.services);
  const created = await t.api('/api/v1/evaluation/periods', {
    json: period,
    token: await t.login(DEMO.national),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 120_000);
afterAll(() => t?.close());

describe('unverified-report counters for every participant scope', () => {
  it('a region participant below kab/kota counts the unverified reports of its kecamatan only', async () => {
    const preview = (
      await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: await t.login(DEMO.national) })
    ).body;
    // Kecamatan: 1 verified on time + 2 unverified past due; not the one elsewhere in the city.
    expect(timeliness(preview, 'k-wilayah', AREA)).toEqual([3, 1, 3]);
    // The city: 2 verified + 3 unverified.
    expect(timeliness(preview, 'k-wilayah', 'diskominfo-samarinda')).toEqual([5, 2, 5]);
    // A unit below its perangkat daerah: the report addressed to it.
    expect(timeliness(preview, 'k-instansi', UNIT)).toEqual([1, 0, 1]);

    // The published snapshot carries those counters (schema 3 on), and evaluates to the same from the file alone.
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const doc = JSON.parse(await readFile(written.path, 'utf8'));
    expect(doc.schema).toBe('aduan-open-data/4');
    expect(doc.unlistedReports.byArea).toEqual([
      {
        createdDate: '2026-03-12',
        regionCode: '64.72.02',
        received: 2,
        verificationDue: 2,
        verifiedOnTime: 0,
      },
    ]);
    const cfg = await loadEvaluationConfig(t.runtime.services.db, period.id);
    const fromFile = evaluate(doc, cfg);
    for (const [g, a] of [
      ['k-wilayah', AREA],
      ['k-wilayah', 'diskominfo-samarinda'],
      ['k-instansi', UNIT],
    ] as const)
      expect(timeliness(fromFile, g, a), a).toEqual(timeliness(preview, g, a));

    // A schema 2 snapshot (no byArea) evaluates as it was published: the kecamatan on its rows alone.
    const { byArea: _a, ...v2counters } = doc.unlistedReports;
    const v2 = evaluate({ ...doc, schema: 'aduan-open-data/2', unlistedReports: v2counters }, cfg);
    expect(timeliness(v2, 'k-wilayah', AREA)).toEqual([1, 1, 1]);
    expect(timeliness(v2, 'k-wilayah', 'diskominfo-samarinda')).toEqual([5, 2, 5]);
  });
});

describe('a report made rahasia after a snapshot', () => {
  it('leaves exactly its own counts in the served snapshot; the other reports of its date stay', async () => {
    const svc = t.runtime.services;
    const written = await snapshotOpenData(svc, t.runtime.config.dataDir);
    // A snapshot stored without the counted-reports file (as written before it existed).
    t.setNow(new Date('2026-04-15T03:30:00Z'));
    const legacy = await writeOpenDataSnapshot(
      svc,
      openDataDir(t.runtime.config.dataDir),
      await buildOpenDataSnapshot(svc.db, svc.now()),
    );
    await expect(access(countedPath(legacy.path))).rejects.toThrow();
    const stored = JSON.parse(await readFile(written.path, 'utf8'));
    const before = stored.unlistedReports;
    expect(entry(before.byRegion, '2026-03-12', '64.72')).toMatchObject({ received: 3, verificationDue: 3 });

    t.setNow(new Date('2026-04-15T04:00:00Z'));
    const made = await t.api(`/api/v1/reports/${ids.later}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);

    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const served = JSON.parse(text);
    expect(res.headers.get('x-snapshot-original-sha256')).toBe(written.sha256);
    expect(res.headers.get('x-checksum-sha256')).toBe(createHash('sha256').update(text).digest('hex'));
    const after = served.unlistedReports;
    // Its kab/kota and kecamatan entries lose one report each; nothing else changes.
    expect(entry(after.byRegion, '2026-03-12', '64.72')).toEqual({
      ...entry(before.byRegion, '2026-03-12', '64.72'),
      received: 2,
      verificationDue: 2,
    });
    expect(entry(after.byArea, '2026-03-12', '64.72.02')).toEqual({
      ...entry(before.byArea, '2026-03-12', '64.72.02'),
      received: 1,
      verificationDue: 1,
    });
    expect(after.byRegion.filter((c: any) => c.regionCode !== '64.72')).toEqual(
      before.byRegion.filter((c: any) => c.regionCode !== '64.72'),
    );
    expect(after.byAgency).toEqual(before.byAgency);
    expect(
      after.byAgency.filter((c: any) => c.createdDate === '2026-03-12' && c.agencyPath.at(-1) === UNIT),
    ).toEqual([expect.objectContaining({ received: 1, verificationDue: 1 })]);
    expect(served.withdrawnCounts).toBe(2);
    expect(served.reports).toEqual(stored.reports);

    // The snapshot now counts as if the report had been rahasia when it was written: the counters equal those of a
    // fresh snapshot, which leaves it out.
    const fresh = JSON.parse(
      await readFile((await snapshotOpenData(svc, t.runtime.config.dataDir)).path, 'utf8'),
    ).unlistedReports;
    expect(after).toEqual(fresh);

    // Nothing of the report, nor the list of counted reports, is served.
    const listedIds = JSON.parse(await readFile(countedPath(written.path), 'utf8')).reports.map(
      (r: any) => r[0],
    );
    expect(listedIds.length).toBe(4);
    // Owner-only on disk, like the key file.
    expect((await stat(countedPath(written.path))).mode & 0o777).toBe(0o600);
    for (const p of [
      `/api/v1/open-data/snapshots/${written.sha256}`,
      '/api/v1/open-data/snapshots/latest',
      '/api/v1/open-data/reports.json',
      '/api/v1/open-data/reports.csv',
    ]) {
      const body = await (await fetch(t.url + p)).text();
      for (const marker of [ids.later!, 'RAHASIA-NANTI-K4', 'Warga Uji', ...listedIds])
        expect(body, `${p} contains ${marker}`).not.toContain(marker);
    }

    // A snapshot without the counted-reports file cannot tell where the report was counted: its date goes.
    const old = JSON.parse(
      await (await fetch(`${t.url}/api/v1/open-data/snapshots/${legacy.sha256}`)).text(),
    );
    expect(old.withdrawnCounts).toBeGreaterThan(0);
    expect(entry(old.unlistedReports.byRegion, '2026-03-12', '64.72')).toBeUndefined();
    expect(old.unlistedReports.byAgency.some((c: any) => c.createdDate === '2026-03-12')).toBe(false);
  });
});

describe('serving a stored snapshot after reports changed', () => {
  it('a report that changed without being a row or counted as rahasia: the stored file, not read', async () => {
    const svc = t.runtime.services;
    t.setNow(new Date('2026-04-16T02:00:00Z'));
    const spam = await submitReport(t, 'Saluran air meluap ke jalan', {
      regionCode: '64.72.01',
      ...REPORTER,
    });
    t.setNow(new Date('2026-04-16T03:00:00Z'));
    const written = await snapshotOpenData(svc, t.runtime.config.dataDir);
    const bytes = await readFile(written.path);
    const doc = JSON.parse(bytes.toString('utf8'));
    // The ledger lists the rows' tracking numbers.
    const ledger = JSON.parse(await readFile(countedPath(written.path), 'utf8'));
    expect(ledger.listed).toEqual(doc.reports.map((r: any) => r.trackingId));
    expect(ledger.listed).not.toContain(spam);
    t.setNow(new Date('2026-04-16T04:00:00Z'));
    await actOk(t, spam, 'archive', { reason: 'spam' }, { token: await t.login(DEMO.coordinator) });
    // Proof that the file is not read: replaced by bytes that are not JSON, it is still what is served.
    await writeFile(written.path, 'bukan JSON');
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('bukan JSON');
    expect(res.headers.get('x-checksum-sha256')).toBe(written.sha256);
    expect(res.headers.get('x-snapshot-original-sha256')).toBeNull();
    await writeFile(written.path, bytes);
  });

  it('a write killed mid-way leaves a partial file: the next snapshot removes it after an hour, not a fresh one', async () => {
    const dir = openDataDir(t.runtime.config.dataDir);
    const abandoned = join(dir, '.aduan-open-data-2026-04-16T00-00-00-000Z-mati.partial');
    const running = join(dir, '.aduan-open-data-2026-04-16T00-00-00-000Z-jalan.partial');
    const other = join(dir, 'catatan-operator.partial');
    for (const f of [abandoned, running, other]) await writeFile(f, '{"schema":');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(abandoned, twoHoursAgo, twoHoursAgo);
    await utimes(other, twoHoursAgo, twoHoursAgo);
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    await expect(access(abandoned)).rejects.toThrow();
    await access(running);
    await access(other);
    // The new snapshot's own partial file is gone too: renamed to carry its checksum.
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial')).sort()).toEqual([
      '.aduan-open-data-2026-04-16T00-00-00-000Z-jalan.partial',
      'catatan-operator.partial',
    ]);
    await access(written.path);
  });

  it('a row made rahasia since: withdrawn from the served file, also when the file is parsed as it streams in', async () => {
    const svc = t.runtime.services;
    const written = await snapshotOpenData(svc, t.runtime.config.dataDir);
    const doc = JSON.parse(await readFile(written.path, 'utf8'));
    const row = doc.reports[0].trackingId as string;
    t.setNow(new Date('2026-04-16T05:00:00Z'));
    const made = await t.api(`/api/v1/reports/${row}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const served: string[] = [];
    const dir = openDataDir(t.runtime.config.dataDir);
    const answers = async () => (await readdir(dir)).filter((f) => f.startsWith('.aduan-withdrawn-'));
    for (const wholeUpTo of [jsonFileReading.wholeUpTo, 0]) {
      jsonFileReading.wholeUpTo = wholeUpTo;
      // Each parser makes the answer itself: nothing remembered, nothing on disk.
      forgetWithdrawnAnswer();
      for (const f of await answers()) await rm(join(dir, f));
      try {
        const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-snapshot-original-sha256')).toBe(written.sha256);
        expect(res.headers.get('x-snapshot-withdrawn-rows')).toBe('1');
        served.push(await res.text());
      } finally {
        jsonFileReading.wholeUpTo = WHOLE_UP_TO;
      }
    }
    expect(served[1]).toBe(served[0]);
    const after = JSON.parse(served[0]!);
    expect(after.reports.map((r: any) => r.trackingId)).toEqual(
      doc.reports.slice(1).map((r: any) => r.trackingId),
    );
    expect(served[0]).not.toContain(row);

    // The answer is a file beside the snapshot, not memory: another process (or this one after a restart) serves it
    // without reading the snapshot. Proof: the snapshot replaced by bytes that are not JSON, the same answer.
    const [answer] = await answers();
    expect(await answers()).toHaveLength(1);
    expect(await readFile(join(dir, answer!), 'utf8')).toBe(served[0]);
    const bytes = await readFile(written.path);
    await writeFile(written.path, 'bukan JSON');
    try {
      forgetWithdrawnAnswer();
      const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-snapshot-withdrawn-rows')).toBe('1');
      expect(res.headers.get('x-checksum-sha256')).toBe(
        createHash('sha256').update(served[0]!).digest('hex'),
      );
      expect(await res.text()).toBe(served[0]);
    } finally {
      await writeFile(written.path, bytes);
    }

    // Another row made rahasia: a new answer without either row replaces the old one, which still held that row.
    const second = doc.reports[1].trackingId as string;
    t.setNow(new Date('2026-04-16T06:00:00Z'));
    const again = await t.api(`/api/v1/reports/${second}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${written.sha256}`);
    expect(res.headers.get('x-snapshot-withdrawn-rows')).toBe('2');
    const text = await res.text();
    expect(text).not.toContain(row);
    expect(text).not.toContain(second);
    const now = await answers();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(answer);
    expect(await readFile(join(dir, now[0]!), 'utf8')).toBe(text);
  });
});
