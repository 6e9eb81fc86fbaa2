/**
 * Routing accuracy months are local to the report's zone (WIB, WITA, WIT), as on the statistics pages: a
 * verification late on 31 March UTC is already April in Kalimantan Timur (WITA, UTC+8) but still March in
 * Jakarta (WIB, UTC+7) until 17:00 UTC. Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL).
 */
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
