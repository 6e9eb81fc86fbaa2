/**
 * Routing accuracy months are local to the report's zone (WIB, WITA, WIT), as on the statistics pages: a
 * verification late on 31 March UTC is already April in Kalimantan Timur (WITA, UTC+8) but still March in
 * Jakarta (WIB, UTC+7) until 17:00 UTC. Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-31T16:30:00Z'), limits: { submitPerMinute: 1000 } });
}, 60_000);
afterAll(() => t?.close());

describe('routing accuracy months', () => {
  it('count each verification in the local month of its report', async () => {
    const national = await t.login(DEMO.national);
    const roads = await categoryIdByName(t);
    const file = (regionCode: string) =>
      submitReport(t, `Jalan rusak di wilayah ${regionCode}`, {
        regionCode,
        reporter: { name: 'Warga Uji' },
      });
    // 16:30 UTC on 31 March: 23:30 WIB (March) and 00:30 WITA on 1 April.
    const jakarta = await file('31.71.01');
    const kaltim = await file('64.72.02');
    await verifyReport(t, national, jakarta, 'pupr-kaltim', roads);
    await verifyReport(t, national, kaltim, 'pupr-kaltim', roads);
    t.setNow(new Date('2026-04-10T02:00:00Z'));
    const r = await t.api('/api/v1/routing/accuracy?months=2', { token: await t.login(DEMO.national) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.months.map((m: any) => [m.month, m.verifications])).toEqual([
      ['2026-03', 1],
      ['2026-04', 1],
    ]);
  });

  it('group the decided agency suggestions by the confidence of the top one', async () => {
    // Four decided agency suggestions in the open month (April): 0.95 followed, 0.92 overruled, 0.85 followed,
    // 0.3 overruled; one category suggestion, which does not count here.
    const db = t.runtime.services.db;
    const cases: Array<[string, number, boolean]> = [
      ['agency', 0.95, true],
      ['agency', 0.92, false],
      ['agency', 0.85, true],
      ['agency', 0.3, false],
      ['category', 0.99, true],
    ];
    for (const [i, [kind, conf, accepted]] of cases.entries()) {
      const id = await submitReport(t, `Lampu jalan padam nomor ${i}`, {
        regionCode: '64.72.02',
        reporter: { name: 'Warga' },
      });
      await db.execute(sql`insert into routing_suggestions
          (report_id, kind, suggestions, top_label, top_confidence, shown_at, chosen_label, accepted, in_top3, decided_at)
        select id, ${kind}, '[]'::jsonb, 'pupr-kaltim', ${conf}, now(), 'pupr-kaltim', ${accepted}, true,
               ${new Date('2026-04-10T03:00:00Z').toISOString()}::timestamptz
          from reports where tracking_id = ${id}`);
    }
    const r = await t.api('/api/v1/routing/accuracy?months=2', { token: await t.login(DEMO.national) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.confidence).toEqual([
      { from: 0.9, to: 1, decided: 2, acceptedTop1: 1, top1Accuracy: 0.5, share: 0.5 },
      { from: 0.8, to: 0.9, decided: 1, acceptedTop1: 1, top1Accuracy: 1, share: 0.25 },
      { from: 0.7, to: 0.8, decided: 0, acceptedTop1: 0, top1Accuracy: null, share: 0 },
      { from: 0.5, to: 0.7, decided: 0, acceptedTop1: 0, top1Accuracy: null, share: 0 },
      { from: 0, to: 0.5, decided: 1, acceptedTop1: 0, top1Accuracy: 0, share: 0.25 },
    ]);
    // The Balikpapan coordinator (another kab/kota) sees none of them.
    const other = await t.api('/api/v1/routing/accuracy?months=2', {
      token: await t.login(DEMO.balikpapanCoordinator),
    });
    expect(other.body.confidence.map((b: any) => b.decided)).toEqual([0, 0, 0, 0, 0]);
    await db.execute(sql`delete from routing_suggestions`);
  });

  it('keep closed months once read and read the open month live', async () => {
    const national = await t.login(DEMO.national);
    const read = async () =>
      (await t.api('/api/v1/routing/accuracy?months=2', { token: national })).body.months.map((m: any) => [
        m.month,
        m.verifications,
      ]);
    // A new verification in the open month (April) shows at once.
    const roads = await categoryIdByName(t);
    const id = await submitReport(t, 'Jembatan retak di desa', {
      regionCode: '64.72.02',
      reporter: { name: 'Warga' },
    });
    await verifyReport(t, national, id, 'pupr-kaltim', roads);
    expect(await read()).toEqual([
      ['2026-03', 1],
      ['2026-04', 2],
    ]);
    // March is closed (already April in WIB) and comes from the first read; April is read again each time.
    const id2 = await submitReport(t, 'Jembatan ambles di desa', {
      regionCode: '31.71.01',
      reporter: { name: 'Warga' },
    });
    await verifyReport(t, national, id2, 'pupr-kaltim', roads);
    expect(await read()).toEqual([
      ['2026-03', 1],
      ['2026-04', 3],
    ]);
  });
});
