/**
 * Every legal (status, action) pair of the lifecycle table, driven over the JSON API with the demo accounts:
 * reach the status through real actions, apply the action, and check the resulting status. Every event has its
 * outbox row (one transaction per command), and a refused action writes neither.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../db/client.ts';
import { TRANSITIONS } from '../../../domain/report/lifecycle.ts';
import type { ReportAction, ReportStatus } from '../../../domain/report/report.ts';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

const T0 = new Date('2026-03-02T02:00:00Z');
const LATER = new Date('2026-08-03T02:00:00Z'); // past the 60-working-day escalation threshold
let t: TestApp;
let categoryId: number;

interface Ticket {
  trackingId: string;
  accessKey: string;
}

async function act(r: Ticket, action: ReportAction, who: string, body: unknown) {
  const auth = who === 'reporter' ? { accessKey: r.accessKey } : { token: await t.login(who) };
  const res = await t.api(`/api/v1/reports/${r.trackingId}/actions/${action}`, { json: body, ...auth });
  expect(res.status, `${action} by ${who}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

/** Real actions that bring a new report into `status`. */
async function reach(status: ReportStatus): Promise<Ticket> {
  t.setNow(T0);
  const s = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Trotoar rusak di pusat kota',
      body: 'Trotoar di pusat kota rusak dan berlubang sehingga pejalan kaki terpaksa berjalan di badan jalan.',
      regionCode: '64.72.01',
      reporter: { name: 'Warga Uji Tabel' },
    },
  });
  const r: Ticket = s.body;
  const verify = () => act(r, 'verify', DEMO.coordinator, { categoryId, agencyId: 'pupr-kaltim' });
  switch (status) {
    case 'submitted':
      break;
    case 'on_hold':
      await act(r, 'hold', DEMO.coordinator, { question: 'Di ruas jalan mana tepatnya?' });
      break;
    case 'archived':
      await act(r, 'archive', DEMO.coordinator, { reason: 'too_general' });
      break;
    case 'dispatched':
      await verify();
      break;
    case 'returned':
      await verify();
      await act(r, 'return', DEMO.puprAdmin, { note: 'Trotoar kota adalah kewenangan pemerintah kota.' });
      break;
    case 'in_progress':
      await verify();
      await act(r, 'respond', DEMO.puprAdmin, { body: 'Sedang ditinjau.', final: false });
      break;
    case 'responded':
      await verify();
      await act(r, 'respond', DEMO.puprAdmin, { body: 'Sudah diperbaiki.', final: true });
      break;
    case 'completed':
      await verify();
      await act(r, 'respond', DEMO.puprAdmin, { body: 'Sudah diperbaiki.', final: true });
      await act(r, 'accept', 'reporter', { rating: 4 });
      break;
    case 'transferred':
      await verify();
      t.setNow(LATER);
      await act(r, 'escalate', 'reporter', { consent: true });
      break;
  }
  return r;
}

/** Who performs each action, with which body. */
const PERFORM: Record<ReportAction, { who: string; body: (final: boolean) => unknown }> = {
  // A returned report comes back from PUPR: dispatching it there again is confirmed (confirmRedispatch).
  verify: {
    who: DEMO.coordinator,
    body: () => ({ categoryId, agencyId: 'pupr-kaltim', confirmRedispatch: true }),
  },
  hold: { who: DEMO.coordinator, body: () => ({ question: 'Mohon lampirkan foto.' }) },
  supplement: { who: 'reporter', body: () => ({ body: 'Di depan toko roti, foto menyusul.' }) },
  archive: { who: DEMO.coordinator, body: () => ({ reason: 'out_of_scope', note: 'Di luar cakupan.' }) },
  dispose: { who: DEMO.puprAdmin, body: () => ({ unitId: 'pupr-kaltim-unit' }) },
  return: { who: DEMO.puprAdmin, body: () => ({ note: 'Bukan kewenangan kami.' }) },
  respond: { who: DEMO.puprAdmin, body: (final) => ({ body: 'Tindak lanjut uji.', final }) },
  accept: { who: 'reporter', body: () => ({ rating: 5 }) },
  dispute: { who: 'reporter', body: () => ({ reason: 'Belum selesai di lapangan.' }) },
  escalate: { who: 'reporter', body: () => ({ consent: true }) },
  note: { who: DEMO.coordinator, body: () => ({ body: 'Catatan uji.' }) },
  comment: { who: 'reporter', body: () => ({ body: 'Terima kasih atas tanggapannya.' }) },
  support: { who: DEMO.citizen, body: () => ({}) },
};

type Case = [ReportStatus, ReportAction, boolean, string];
const CASES: Case[] = (Object.keys(TRANSITIONS) as ReportStatus[]).flatMap((status) =>
  (Object.entries(TRANSITIONS[status]) as Array<[ReportAction, string]>).flatMap(
    ([action, outcome]): Case[] =>
      outcome === 'respond'
        ? [
            [status, action, false, 'in_progress'],
            [status, action, true, 'responded'],
          ]
        : outcome === 'respond_final'
          ? [[status, action, true, 'responded']]
          : [[status, action, false, outcome === 'same' ? status : outcome]],
  ),
);

beforeAll(async () => {
  t = await startTestApp({ now: T0 });
  const cats = await t.api('/api/v1/categories');
  categoryId = cats.body.items[0].id;
});
afterAll(() => t?.close());

describe('every legal transition over the API', () => {
  it('covers every entry of the table', () => {
    expect(CASES.length).toBeGreaterThan(40);
  });

  it.each(CASES)('%s × %s (final=%s) → %s', async (status, action, final, expected) => {
    const r = await reach(status);
    if (action === 'escalate') t.setNow(LATER);
    const p = PERFORM[action];
    const body = await act(r, action, p.who, p.body(final));
    expect(body.status).toBe(expected);
  });

  it('wrote each event with its outbox row in the same transaction; a refused action writes neither', async () => {
    const db = t.runtime.services.db;
    const orphans = await query<{ type: string; n: number }>(
      db,
      sql`select e.type, count(*)::int as n from report_events e
           where not exists (select 1 from outbox o
                              where o.idempotency_key = 'event:' || e.report_id || ':' || e.seq
                                and o.report_id = e.report_id)
           group by e.type`,
    );
    expect(orphans).toEqual([]);
    const types = await query<{ type: string }>(db, sql`select distinct type from report_events`);
    for (const a of ['submit', 'verify', 'hold', 'supplement', 'archive', 'dispose', 'return', 'respond'])
      expect(types.map((x) => x.type)).toContain(a);
    for (const a of ['accept', 'dispute', 'escalate', 'note', 'reporter_reply', 'support'])
      expect(types.map((x) => x.type)).toContain(a);

    const counts = async () =>
      (
        await query<{ e: number; o: number }>(
          db,
          sql`select (select count(*)::int from report_events) as e, (select count(*)::int from outbox) as o`,
        )
      )[0];
    const r = await reach('submitted');
    const before = await counts();
    const refused = await t.api(`/api/v1/reports/${r.trackingId}/actions/accept`, {
      json: { rating: 5 },
      accessKey: r.accessKey,
    });
    expect(refused.status).toBe(409);
    expect(await counts()).toEqual(before);
  });
});
