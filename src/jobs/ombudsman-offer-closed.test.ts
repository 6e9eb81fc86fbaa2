/**
 * The sweeper never offers the Ombudsman hand-off on a report that is no longer open when the offer is made. A sweep
 * plans first and performs after: a report it auto-closes in the same run (the reporter did not answer a final
 * follow-up) was planned as a candidate too, and the reporter must not be told "not resolved yet, you may ask for
 * the Ombudsman" about a report that was just completed, with a link whose form then answers 409.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { perform, runSweep } from './sweeper.ts';

let t: TestApp;
let closing: { trackingId: string; accessKey: string };
let open: { trackingId: string; accessKey: string };

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const coordinator = await t.login(DEMO.coordinator);
  const file = async (title: string) => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title,
        body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi.`,
        regionCode: '64.71.01',
        reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await actOk(
      t,
      r.body.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: coordinator },
    );
    return r.body as { trackingId: string; accessKey: string };
  };
  closing = await file('Trotoar jalan provinsi di Balikpapan rusak');
  open = await file('Jalan provinsi di Balikpapan amblas');
  // The agency posts a final follow-up the reporter never answers.
  await actOk(
    t,
    closing.trackingId,
    'respond',
    { body: 'Trotoar sudah diperbaiki oleh tim lapangan minggu ini.', final: true },
    { token: await t.login(DEMO.puprAdmin) },
  );
});
afterAll(() => t?.close());

const eventTypes = async (trackingId: string) =>
  (
    await query<{ type: string }>(
      t.runtime.services.db,
      sql`select e.type from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${trackingId} order by e.seq`,
    )
  ).map((e) => e.type);

describe('the Ombudsman offer of a sweep that also closes the report', () => {
  it('auto-closes the report and makes no offer on it; the open report is offered', async () => {
    // The first sweep after the escalation deadline (Tuesday 14 April 2026): the reporter's window closed long ago.
    const at = new Date('2026-04-14T09:00:00+08:00');
    t.setNow(at);
    const planned = await runSweep(t.runtime.services, at, { dryRun: false });
    // The plan closes the report and offers it nothing (so a dry run lists no offer the run would skip).
    const forClosing = planned.filter((a) => a.trackingId === closing.trackingId).map((a) => a.action);
    expect(forClosing).toContain('auto_close');
    expect(forClosing).not.toContain('ombudsman_offer');
    const closed = await t.api(`/api/v1/reports/${closing.trackingId}`, { accessKey: closing.accessKey });
    expect(closed.body.status).toBe('completed');
    expect(await eventTypes(closing.trackingId)).not.toContain('ombudsman_offer');
    const log = await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from sweep_log s join reports r on r.id = s.report_id
           where r.tracking_id = ${closing.trackingId} and s.action = 'ombudsman_offer'`,
    );
    expect(log[0]!.n).toBe(0);
    // A report still open is offered as before.
    expect(await eventTypes(open.trackingId)).toContain('ombudsman_offer');
    // An offer planned before the report closed (the reporter accepted meanwhile) is skipped when performed.
    const offer = planned.find((a) => a.trackingId === open.trackingId && a.action === 'ombudsman_offer')!;
    expect(await perform(t.runtime.services, { ...offer, trackingId: closing.trackingId })).toBe('skipped');
    expect(await eventTypes(closing.trackingId)).not.toContain('ombudsman_offer');
  });
});
