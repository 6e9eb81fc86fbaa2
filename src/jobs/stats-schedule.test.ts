/**
 * The worker keeps the statistics roll-ups up to date by itself: each scheduled tick refreshes only what
 * changed since the previous one (new reports, changed reports, deadlines that passed), and the public
 * API then answers from the roll-up with the new numbers and the new `refreshedAt`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let w: Worker;
let categoryId: number;

const submit = async () => {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Saluran air tersumbat',
      body: 'Saluran air di depan sekolah tersumbat sampah sehingga jalan tergenang setiap hujan turun.',
      regionCode: '64.72.02',
      reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
    },
  });
  expect(r.status).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
};
const act = (id: string, action: string, body: unknown, auth: { token?: string; accessKey?: string }) =>
  actOk(t, id, action, body, auth);
const stats = async () => {
  const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-02-01&to=2026-02-28');
  expect(r.status).toBe(200);
  return r.body;
};
/** Facts rows rewritten since `at` (the refresh touches only what changed). */
const factsTouchedSince = async (at: string) =>
  (
    await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from stats_report_facts where refreshed_at >= ${at}::timestamptz`,
    )
  )[0]!.n;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-02-02T02:00:00Z') }); // Monday 10:00 WITA
  const cats = await t.api('/api/v1/categories');
  categoryId = cats.body.items[0].id;
  w = await startWorker(t.runtime.services, { transports: {}, autoStart: false });
});
afterAll(async () => {
  await w?.stop();
  await t?.close();
});

describe('statistics roll-ups maintained by the worker', () => {
  it('each scheduled tick brings the statistics up to date, incrementally', async () => {
    const coord = await t.login(DEMO.coordinator);
    const a = await submit();
    await act(a.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    await submit();
    expect((await stats()).totals.received).toBe(0); // nothing refreshed yet

    t.setNow(new Date('2026-02-02T02:05:00Z'));
    await w.runScheduled();
    let s = await stats();
    expect(s.totals).toMatchObject({ received: 2, verified: 1, completed: 0 });
    expect(s.refreshedAt).toBe('2026-02-02T02:05:00.000Z');

    // The next day: A is answered and accepted, one new report arrives.
    t.setNow(new Date('2026-02-03T02:00:00Z'));
    await act(
      a.trackingId,
      'respond',
      { body: 'Saluran sudah dibersihkan.', final: true },
      { token: await t.login(DEMO.puprAdmin) },
    );
    await act(a.trackingId, 'accept', { rating: 5 }, { accessKey: a.accessKey });
    await submit();
    t.setNow(new Date('2026-02-03T02:05:00Z'));
    const before = t.runtime.services.now().toISOString();
    await w.runScheduled();
    s = await stats();
    expect(s.totals).toMatchObject({ received: 3, verified: 1, completed: 1 });
    expect(s.totals.satisfaction).toMatchObject({ meanRating: 5, ratings: 1 });
    expect(s.refreshedAt).toBe('2026-02-03T02:05:00.000Z');
    expect(s.items.find((i: any) => i.key === 'pupr-kaltim')).toMatchObject({ received: 1, completed: 1 });
    // Incremental: only the changed report and the new one were recomputed, not the untouched B.
    expect(await factsTouchedSince(before)).toBe(2);
  });
});
