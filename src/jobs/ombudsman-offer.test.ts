/**
 * The Ombudsman offer against a controllable clock: on the 60th working day after submission (rule `escalation` v1),
 * counted over Isra Mikraj, Imlek and its cuti bersama, Nyepi, Idul Fitri and its cuti bersama and Good Friday,
 * at each zone's own midnight (WITA before WIB), never while a report is on hold, exactly once, visible to the
 * reporter, who may then consent to the transfer.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { planSweep, runSweep } from './sweeper.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };
let wita: Made;
let wib: Made;
let held: Made;

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function submit(regionCode: string, title: string): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Jembatan kayu penghubung dua desa lapuk dan berbahaya dilalui anak sekolah setiap pagi.',
      regionCode,
      reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

const offers = async (moment: Date) =>
  (await planSweep(t.runtime.services, moment))
    .filter((a) => a.action === 'ombudsman_offer')
    .filter((a) => [wita, wib, held].some((r) => r.trackingId === a.trackingId));

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
  // Monday 5 January 2026, 09:00 local time in each zone.
  at('2026-01-05T09:00:00+08:00');
  wita = await submit('64.72', 'Jembatan desa lapuk di Samarinda');
  held = await submit('64.72', 'Jembatan desa lapuk ditunda');
  const coord = await t.login(DEMO.coordinator);
  const v = await t.api(`/api/v1/reports/${wita.trackingId}/actions/verify`, {
    json: { categoryId, agencyId: 'pupr-kaltim' },
    token: coord,
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  const h = await t.api(`/api/v1/reports/${held.trackingId}/actions/hold`, {
    json: { question: 'Di desa mana jembatan itu berada?' },
    token: coord,
  });
  expect(h.status, JSON.stringify(h.body)).toBe(200);
  at('2026-01-05T09:00:00+07:00');
  wib = await submit('11.71', 'Jembatan desa lapuk di Banda Aceh');
});
afterAll(() => t?.close());

describe('Ombudsman offer after the escalation threshold', () => {
  it('is not due before 60 working days have passed, and escalation is refused meanwhile', async () => {
    // Friday 10 April 2026 is the 60th working day after Monday 5 January in every zone; the threshold counts
    // whole local days (workingDaysBetween, as the escalate action does), so on Thursday 9 April only 59 have.
    expect(await offers(at('2026-04-09T23:59:59+08:00'))).toEqual([]);
    const early = await t.api(`/api/v1/reports/${wita.trackingId}/actions/escalate`, {
      json: { consent: true },
      accessKey: wita.accessKey,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('ESCALATION_NOT_DUE');
  });

  it('is due from 00:00 of the 60th working day, in the report’s own zone; never while on hold', async () => {
    // 00:00 WITA on Friday 10 April = 16:00 UTC on the 9th; WIB reaches midnight an hour later.
    const witaOnly = await offers(at('2026-04-09T16:00:01Z'));
    expect(witaOnly.map((a) => [a.trackingId, a.ruleId, a.ruleVersion, a.workingDays])).toEqual([
      [wita.trackingId, 'escalation', 1, 60],
    ]);
    expect(witaOnly[0]!.dueAt).toBe('2026-04-10T23:59:59.999+08:00');
    const both = await offers(at('2026-04-09T17:00:01Z'));
    expect(both.map((a) => a.trackingId).sort()).toEqual([wita.trackingId, wib.trackingId].sort());
    for (const a of both) expect(a.key).toMatch(/^ombudsman_offer:[0-9a-f-]{36}$/);
  });

  it('is performed once, shown to the reporter, and lets the reporter consent to the transfer', async () => {
    const moment = at('2026-04-13T09:00:00+08:00');
    const done = (await runSweep(t.runtime.services, moment, { dryRun: false })).filter(
      (a) => a.action === 'ombudsman_offer' && [wita, wib, held].some((r) => r.trackingId === a.trackingId),
    );
    expect(done.map((a) => [a.trackingId, a.result]).sort()).toEqual(
      [
        [wita.trackingId, 'done'],
        [wib.trackingId, 'done'],
      ].sort(),
    );
    expect(await offers(at('2026-04-14T09:00:00+08:00'))).toEqual([]);
    const again = await runSweep(t.runtime.services, at('2026-04-14T09:00:00+08:00'), { dryRun: false });
    expect(again.filter((a) => a.action === 'ombudsman_offer' && a.trackingId === wita.trackingId)).toEqual(
      [],
    );

    const [{ n } = { n: -1 }] = await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${wita.trackingId} and e.type = 'ombudsman_offer'`,
    );
    expect(n).toBe(1);
    const timeline = await t.api(`/api/v1/reports/${wita.trackingId}/events`, { accessKey: wita.accessKey });
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toContain('ombudsman_offer');

    const consent = await t.api(`/api/v1/reports/${wita.trackingId}/actions/escalate`, {
      json: { consent: true, note: 'Saya setuju dialihkan ke Ombudsman.' },
      accessKey: wita.accessKey,
    });
    expect(consent.status, JSON.stringify(consent.body)).toBe(200);
    expect(consent.body.status).toBe('transferred');
    const held2 = await t.api(`/api/v1/reports/${held.trackingId}`, { accessKey: held.accessKey });
    expect(held2.body.status).toBe('archived');
  });
});
