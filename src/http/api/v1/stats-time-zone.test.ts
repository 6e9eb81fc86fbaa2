/**
 * The instance's home zone (ADUAN_TIME_ZONE) decides "today" for the public statistics (default year, month and
 * range of the pages and the API) and the date of the daily open-data snapshot, so both agree at a day boundary.
 * Real HTTP, real database, fixed clock: 16:30 UTC on 31 December 2026 is 23:30 WIB on 31 December and 00:30 WITA
 * on 1 January 2027. A report's own date of receipt stays in the zone of its region (Samarinda: WITA; Jakarta: WIB).
 * Also the setting itself: default WITA, case-insensitive, a clear startup error otherwise.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  categoryIdByName,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { ConfigError, loadConfig } from '../../../config.ts';
import { dailyOpenDataSnapshot, snapshotKey } from '../../../commands/daily-open-data-snapshot.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';

/** 23:30 WIB on 31 December 2026 = 00:30 WITA on 1 January 2027. */
const BOUNDARY = new Date('2026-12-31T16:30:00Z');

/** Files and verifies one public report per region at the boundary; returns the tracking numbers by region. */
async function reportsAtBoundary(t: TestApp, anonymousName: string) {
  const national = await t.login(DEMO.national);
  const categoryId = await categoryIdByName(t);
  const samarinda = await submitReport(t, 'Lampu jalan mati di Samarinda ZONA-WITA', {
    regionCode: '64.72.02',
    reporter: { name: 'Warga Samarinda', email: 'warga.zona@contoh.aduan.id' },
  });
  const jakarta = await submitReport(t, 'Lampu jalan mati di Jakarta ZONA-WIB', {
    regionCode: '31.71.01',
    anonymous: true,
    reporter: { name: anonymousName, email: 'anonim.zona@contoh.aduan.id' },
  });
  await verifyReport(t, national, samarinda, 'pupr-kaltim', categoryId);
  await verifyReport(t, national, jakarta, 'pupr-kaltim', categoryId);
  // A confidential report at the same instant: on neither surface.
  const secret = await submitReport(t, 'Pungli RAHASIA-ZONA di kantor kelurahan', {
    confidential: true,
    reporter: { name: 'Warga Rahasia', email: 'rahasia.zona@contoh.aduan.id' },
  });
  await verifyReport(t, national, secret, 'pupr-kaltim', categoryId);
  await refreshStats(t.runtime.services);
  return { samarinda, jakarta, secret };
}

/** What each surface calls "today", and what it holds, at the boundary. */
async function surfaces(t: TestApp) {
  const stats = await t.api('/api/v1/stats?groupBy=month');
  expect(stats.status).toBe(200);
  const page = await (await fetch(`${t.url}/statistik`)).text();
  const monthly = await (await fetch(`${t.url}/statistik/bulanan`)).text();
  const snap = await dailyOpenDataSnapshot(t.runtime.services, t.runtime.config.dataDir);
  expect(snap).not.toBeNull();
  const file = readFileSync(snap!.path, 'utf8');
  const doc = JSON.parse(file) as { reports: { trackingId: string; createdDate: string }[] };
  return {
    range: { from: stats.body.from as string, to: stats.body.to as string },
    received: stats.body.totals.received as number,
    pageYear: /<option value="(\d{4})" selected/.exec(page)?.[1],
    monthly: /<h1>([^<]*)<\/h1>/.exec(monthly)?.[1],
    snapshotDate: snap!.date,
    rows: Object.fromEntries(doc.reports.map((r) => [r.trackingId, r.createdDate])),
    text: file + JSON.stringify(stats.body) + page + monthly,
  };
}

describe.each([
  // Unset: WITA, today's public-statistics behaviour (the snapshot used WIB before the setting).
  [undefined, '2027-01-01', '2027', 'Laporan bulanan Januari 2027'],
  ['WIB', '2026-12-31', '2026', 'Laporan bulanan Desember 2026'],
] as const)('ADUAN_TIME_ZONE=%s at 16:30 UTC on 31 December 2026', (zone, today, year, monthly) => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof reportsAtBoundary>>;
  const anonymousName = 'Pelapor Anonim Zona';

  beforeAll(async () => {
    t = await startTestApp({ now: BOUNDARY, ...(zone ? { timeZone: zone } : {}) });
    ids = await reportsAtBoundary(t, anonymousName);
  });
  afterAll(() => t?.close());

  it(`the statistics and the snapshot both say today is ${today}`, async () => {
    const s = await surfaces(t);
    expect(s.range).toEqual({ from: `${year}-01-01`, to: today });
    expect(s.pageYear).toBe(year);
    expect(s.monthly).toBe(monthly);
    expect(s.snapshotDate).toBe(today);
    // Each report keeps the date of receipt of its own region: Samarinda (WITA) 1 January, Jakarta (WIB) 31 December.
    expect(s.rows[ids.samarinda]).toBe('2027-01-01');
    expect(s.rows[ids.jakarta]).toBe('2026-12-31');
    // The statistics of "today's" year count exactly the public reports received that year in their own zone.
    expect(s.received).toBe(1);
    // Privacy: the confidential report and the anonymous reporter are on neither surface.
    expect(s.rows[ids.secret]).toBeUndefined();
    for (const marker of [ids.secret, 'RAHASIA-ZONA', anonymousName, 'anonim.zona@contoh.aduan.id'])
      expect(s.text).not.toContain(marker);
  });

  it('a second tick the same local day writes nothing; the day is keyed by the home-zone date', async () => {
    expect(await dailyOpenDataSnapshot(t.runtime.services, t.runtime.config.dataDir)).toBeNull();
    const key = snapshotKey(today);
    const rows = (await t.runtime.services.db.execute(
      sql`select value ->> 'state' as state from settings where key = ${key}`,
    )) as unknown as { rows: { state: string }[] };
    expect(rows.rows.map((r) => r.state)).toEqual(['done']);
  });
});

describe('the ADUAN_TIME_ZONE setting', () => {
  it('defaults to WITA, reads WIB/WITA/WIT in any case, refuses anything else with a clear message', () => {
    expect(loadConfig({}).timeZone).toBe('WITA');
    expect(loadConfig({ ADUAN_TIME_ZONE: '' }).timeZone).toBe('WITA');
    expect(loadConfig({ ADUAN_TIME_ZONE: ' wib ' }).timeZone).toBe('WIB');
    expect(loadConfig({ ADUAN_TIME_ZONE: 'WIT' }).timeZone).toBe('WIT');
    for (const bad of ['Asia/Makassar', 'UTC+8', 'WITA,WIB']) {
      expect(() => loadConfig({ ADUAN_TIME_ZONE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ADUAN_TIME_ZONE: bad })).toThrow(/ADUAN_TIME_ZONE: must be WIB, WITA or WIT/);
    }
  });
});
