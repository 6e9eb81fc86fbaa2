/**
 * Every statistics indicator of issue 6 over real HTTP, with exact expected values from a scenario
 * built through the API (February 2026, no holidays 2–13 February): received, verified, verified on
 * time; dispatched, returned with working days lost; followed up on time, completed, completion rate;
 * overdue now; median and p90 working days to first follow-up and to completion; mean rating and share
 * of disputes; reopened. Checked per agency rolled up its tree, per region (province → kab/kota with
 * `parent`), category, classification, channel and month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';

let t: TestApp;
let categoryId: number;

const base = {
  classification: 'pengaduan',
  title: 'Lampu jalan padam di simpang',
  body: 'Lampu penerangan jalan di simpang empat sudah padam dua minggu, rawan kecelakaan malam hari.',
  regionCode: '64.72.02',
  reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
};
const at = (day: number) => new Date(`2026-02-${String(day).padStart(2, '0')}T02:00:00Z`); // 10:00 WITA

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', { json: { ...base, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}
function act(id: string, action: string, body: unknown, auth: { token?: string; accessKey?: string }) {
  return actOk(t, id, action, body, auth);
}

beforeAll(async () => {
  t = await startTestApp({ now: at(2) }); // Monday 2 February 2026
  categoryId = await categoryIdByName(t);
  // Sessions expire: sign in again at every step of the test clock.
  const verify = async (id: string, agencyId = 'pupr-kaltim') =>
    act(id, 'verify', { categoryId, agencyId }, { token: await t.login(DEMO.coordinator) });

  // Monday: six reports received; five verified the same day (E stays unverified, F is verified late).
  const a = await submit();
  const b = await submit();
  const c = await submit();
  const d = await submit({ regionCode: '64.71.01' });
  await submit({ classification: 'aspirasi' }); // E
  const f = await submit();
  for (const r of [a, b, c]) await verify(r.trackingId);
  await verify(d.trackingId, 'dinkes-kaltim');

  const respond = async (id: string) =>
    act(
      id,
      'respond',
      { body: 'Sudah ditangani di lapangan.', final: true },
      { token: await t.login(DEMO.puprAdmin) },
    );
  t.setNow(at(3)); // Tuesday: A answered after 1 working day, rated 4
  await respond(a.trackingId);
  await act(a.trackingId, 'accept', { rating: 4 }, { accessKey: a.accessKey });
  t.setNow(at(4)); // Wednesday: C answered after 2, rated 2; Dinkes returns D (2 working days lost)
  await respond(c.trackingId);
  await act(c.trackingId, 'accept', { rating: 2 }, { accessKey: c.accessKey });
  await act(
    d.trackingId,
    'return',
    { note: 'Ini kewenangan Dinas PUPR.', suggestedAgencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.dinkesAdmin) },
  );
  await verify(d.trackingId);
  t.setNow(at(5)); // Thursday: B answered after 3, then disputed (reopened)
  await respond(b.trackingId);
  await act(
    b.trackingId,
    'dispute',
    { reason: 'Lampu masih padam sampai hari ini.' },
    { accessKey: b.accessKey },
  );
  t.setNow(at(9)); // next Monday: F verified after 5 working days (limit 3)
  await verify(f.trackingId);
  t.setNow(at(12)); // Thursday: F answered after 3 working days, rated 3
  await respond(f.trackingId);
  await act(f.trackingId, 'accept', { rating: 3 }, { accessKey: f.accessKey });

  t.setNow(new Date('2026-04-15T02:00:00Z'));
  const r = await refreshStats(t.runtime.services);
  expect(r.reports).toBe(6);
}, 120_000);
afterAll(() => t?.close());

/** The expected indicators of the whole scenario. */
const ALL = {
  received: 6,
  verified: 5,
  verifiedOnTime: 4,
  returned: 1,
  returns: 1,
  misroutedWorkingDays: 2,
  followedUpOnTime: 4,
  completed: 3,
  completionRate: 0.6,
  // D waits for its first follow-up, E for verification, B for a new answer after the dispute.
  overdue: 3,
  medianWorkingDaysToFollowUp: 2.5, // 1, 2, 3, 3
  p90WorkingDaysToFollowUp: 3,
  medianWorkingDaysToCompletion: 2, // 1, 2, 3
  p90WorkingDaysToCompletion: 2.8,
  satisfaction: { meanRating: 3, ratings: 3, disputed: 1, disputeShare: 0.25 },
  reopened: 1,
};

describe('GET /api/v1/stats: every indicator with exact values', () => {
  it('totals: verification, misrouting, follow-up, completion, overdue, durations, satisfaction, reopened', async () => {
    const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-02-01&to=2026-02-28');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.totals).toMatchObject(ALL);
    // Rates carry Wilson intervals: 4 of 6 verifications measured or past due were on time.
    expect(r.body.totals.verifiedOnTimeRate).toMatchObject({ successes: 4, trials: 6 });
    expect(r.body.totals.verifiedOnTimeRate.rate).toBeCloseTo(4 / 6, 3);
    const ci = r.body.totals.completionRateInterval;
    expect(ci.lower).toBeLessThan(0.6);
    expect(ci.upper).toBeGreaterThan(0.6);
    // Dispatched: every verified report handed to an agency.
    expect(r.body.totals.dispatched).toBe(5);
  });

  it('per agency, rolled up its tree; the unverified report under "-"', async () => {
    const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-02-01&to=2026-02-28');
    const item = (k: string) => r.body.items.find((i: any) => i.key === k);
    // Everything but the unverified report E (received, overdue).
    const handled = { ...ALL, received: 5, overdue: 2 };
    expect(item('pupr-kaltim')).toMatchObject(handled);
    expect(item('pemprov-kaltim')).toMatchObject(handled);
    expect(item('-')).toMatchObject({ received: 1, verified: 0, overdue: 1 });
    expect(item('dinkes-kaltim')).toBeUndefined(); // D now belongs to PUPR
    const drill = await t.api(
      '/api/v1/stats?groupBy=agency&from=2026-02-01&to=2026-02-28&parent=pemprov-kaltim',
    );
    expect(drill.body.items.map((i: any) => i.key)).toEqual(
      expect.arrayContaining(['pemprov-kaltim', 'pupr-kaltim']),
    );
  });

  it('per region, province then kab/kota (parent=64)', async () => {
    const r = await t.api('/api/v1/stats?groupBy=region&from=2026-02-01&to=2026-02-28&parent=64');
    expect(r.status).toBe(200);
    const item = (k: string) => r.body.items.find((i: any) => i.key === k);
    expect(item('64')).toMatchObject(ALL);
    expect(item('64.72')).toMatchObject({ received: 5, parentKey: '64', reopened: 1, completed: 3 });
    expect(item('64.71')).toMatchObject({
      received: 1,
      parentKey: '64',
      returned: 1,
      misroutedWorkingDays: 2,
      overdue: 1,
      completed: 0,
    });
  });

  it('per category, classification, channel and month', async () => {
    const get = async (g: string) =>
      (await t.api(`/api/v1/stats?groupBy=${g}&from=2026-02-01&to=2026-02-28`)).body.items;
    const cat = (await get('category')).find((i: any) => i.key === String(categoryId));
    const handled = { ...ALL, received: 5, overdue: 2 }; // E has no category and is an aspirasi
    expect(cat).toMatchObject(handled);
    const cls = await get('classification');
    expect(cls.find((i: any) => i.key === 'pengaduan')).toMatchObject(handled);
    expect(cls.find((i: any) => i.key === 'aspirasi')).toMatchObject({
      received: 1,
      verified: 0,
      overdue: 1,
    });
    expect((await get('channel')).find((i: any) => i.key === 'api')).toMatchObject(ALL);
    expect((await get('month')).find((i: any) => i.key === '2026-02')).toMatchObject(ALL);
  });
});
