/**
 * Who on the staff side hears that a report was handed over to the Ombudsman. The agency holding a dispatched report
 * always did; a report that was never dispatched (still waiting for verification after 60 days, the case the hand-off
 * exists for) told nobody, although its verifiers had been chased about it by the escalation ladder: now its
 * verifiers hear (the addressed agency's admins, else the region's coordinators and the national admins). A dispatched
 * report's hand-off also tells the coordinators of its region (ombudsman-handoff-notify.test.ts: the Ombudsman office,
 * the disposisi unit, the consent wording).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let worker: Worker;
type Made = { trackingId: string; accessKey: string };

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA; the hand-off opens in April.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  worker = await startWorker(t.runtime.services, { transports: {}, autoStart: false, sweepEveryMs: 0 });
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

async function file(title: string, extra: Record<string, unknown> = {}): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi.`,
      regionCode: '64.71.01',
      reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

/** The accounts told in the app that the report was handed over (kind `escalate`). */
const toldOfTransfer = async (trackingId: string) =>
  (
    await query<{ email: string }>(
      t.runtime.services.db,
      sql`select u.email from notifications n join users u on u.id = n.user_id join reports r on r.id = n.report_id
           where r.tracking_id = ${trackingId} and n.kind = 'escalate' order by u.email`,
    )
  ).map((r) => r.email);

describe('staff told of a hand-off to the Ombudsman', () => {
  it('tells the verifiers of an undispatched report and the agency of a dispatched one', async () => {
    const categoryId = await categoryIdByName(t);
    const unrouted = await file('Lampu jalan padam di Balikpapan Timur');
    const addressed = await file('Pohon tumbang menutup jalan provinsi di Balikpapan', {
      targetAgencyId: 'pupr-kaltim',
    });
    const dispatched = await file('Jalan provinsi di Balikpapan amblas');
    await actOk(
      t,
      dispatched.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: await t.login(DEMO.coordinator) },
    );
    await worker.drain();
    t.setNow(new Date('2026-04-14T09:00:00+08:00'));
    for (const r of [unrouted, addressed, dispatched])
      await actOk(t, r.trackingId, 'escalate', { consent: true }, { accessKey: r.accessKey });
    await worker.drain();

    // No agency chosen: the region's coordinators (Balikpapan and Kalimantan Timur) and the national admin.
    expect(await toldOfTransfer(unrouted.trackingId)).toEqual(
      [DEMO.balikpapanCoordinator, DEMO.coordinator, DEMO.national].sort(),
    );
    // Addressed to Dinas PUPR, which verifies it: its admin.
    expect(await toldOfTransfer(addressed.trackingId)).toContain(DEMO.puprAdmin);
    // Dispatched: the agency holding it, and the coordinators of the region it was dispatched in.
    expect(await toldOfTransfer(dispatched.trackingId)).toEqual(
      [DEMO.balikpapanCoordinator, DEMO.coordinator, DEMO.puprAdmin].sort(),
    );
  });
});
