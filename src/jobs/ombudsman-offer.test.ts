/**
 * The Ombudsman offer against a controllable clock: only after the escalation deadline (rule `escalation` v1:
 * the end of the 60th working day after submission, counted over Isra Mikraj, Imlek and its cuti bersama,
 * Nyepi, Idul Fitri and its cuti bersama and Good Friday), at each zone's own midnight after that day (WIT,
 * then WITA, then WIB), never while a report is on hold, exactly once, visible to the reporter, who may then
 * consent to the transfer. The reporter's `escalate` action opens at the same instant; a 0-day rule opens
 * both at once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import { planSweep, runSweep } from './sweeper.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };
let wita: Made;
let wib: Made;
let wit: Made;
let held: Made;

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function submit(regionCode: string, title: string, classification = 'pengaduan'): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification,
      title,
      body: 'Jembatan kayu penghubung dua desa lapuk dan berbahaya dilalui anak sekolah setiap pagi.',
      regionCode,
      reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

const offers = async (moment: Date, opts: { since?: Date } = {}) =>
  (await planSweep(t.runtime.services, moment, opts))
    .filter((a) => a.action === 'ombudsman_offer')
    .filter((a) => [wita, wib, wit, held].some((r) => r.trackingId === a.trackingId));
const offered = async (moment: Date) => (await offers(moment)).map((a) => a.trackingId).sort();
const escalate = (r: Made) =>
  t.api(`/api/v1/reports/${r.trackingId}/actions/escalate`, {
    json: { consent: true },
    accessKey: r.accessKey,
  });

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
  // Monday 5 January 2026, 09:00 local time in each zone.
  at('2026-01-05T09:00:00+09:00');
  wit = await submit('91.71', 'Jembatan desa lapuk di Jayapura');
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

describe('Ombudsman offer after the escalation deadline', () => {
  // Friday 10 April 2026 is the 60th working day after Monday 5 January in every zone (12 weekdays are
  // holidays or cuti bersama on the way, Good Friday 3 April the last). The escalation deadline is its end,
  // 23:59:59.999 local; the offer and the transfer open at 00:00 local on Saturday 11 April.
  it('is not offered during the whole 60th working day, in any zone', async () => {
    // 00:00 of Friday 10 April in WIT, WITA and WIB (15:00, 16:00, 17:00 UTC on the 9th).
    expect(await offers(at('2026-04-10T00:00:00.000+09:00'))).toEqual([]);
    expect(await offers(at('2026-04-10T00:00:00.000+08:00'))).toEqual([]);
    expect(await offers(at('2026-04-10T00:00:00.000+07:00'))).toEqual([]);
    // 23:59 and the deadline's very last millisecond, zone by zone.
    expect(await offers(at('2026-04-10T23:59:00.000+09:00'))).toEqual([]);
    expect(await offers(at('2026-04-10T23:59:59.999+09:00'))).toEqual([]);
  });

  it('is offered just after the deadline, at each report’s own midnight; never while on hold', async () => {
    // WIT first: 00:00 WIT on Saturday 11 April = 15:00 UTC; WITA is still at 23:00 on the 10th.
    const witOnly = await offers(at('2026-04-11T00:00:00.000+09:00'));
    expect(witOnly.map((a) => [a.trackingId, a.ruleId, a.ruleVersion, a.workingDays, a.dueAt])).toEqual([
      [wit.trackingId, 'escalation', 1, 60, '2026-04-10T23:59:59.999+09:00'],
    ]);
    // WITA: not at its deadline's last millisecond (15:59:59.999 UTC), one millisecond later yes.
    expect(await offered(at('2026-04-10T23:59:00.000+08:00'))).toEqual([wit.trackingId]);
    expect(await offered(at('2026-04-10T23:59:59.999+08:00'))).toEqual([wit.trackingId]);
    const witaToo = await offers(at('2026-04-11T00:00:00.000+08:00'));
    expect(witaToo.map((a) => a.trackingId).sort()).toEqual([wit.trackingId, wita.trackingId].sort());
    expect(witaToo.find((a) => a.trackingId === wita.trackingId)!.dueAt).toBe(
      '2026-04-10T23:59:59.999+08:00',
    );
    // WIB: the same, an hour later.
    expect(await offered(at('2026-04-10T23:59:00.000+07:00'))).toEqual(
      [wit.trackingId, wita.trackingId].sort(),
    );
    expect(await offered(at('2026-04-10T23:59:59.999+07:00'))).toEqual(
      [wit.trackingId, wita.trackingId].sort(),
    );
    const all = await offers(at('2026-04-11T00:00:00.000+07:00'));
    expect(all.map((a) => a.trackingId).sort()).toEqual(
      [wit.trackingId, wita.trackingId, wib.trackingId].sort(),
    );
    expect(all.find((a) => a.trackingId === wib.trackingId)!.dueAt).toBe('2026-04-10T23:59:59.999+07:00');
    for (const a of all) expect(a.key).toMatch(/^ombudsman_offer:[0-9a-f-]{36}$/);
  });

  it('an incremental plan reads every report whose deadline passed since the last sweep, to the millisecond', async () => {
    const ids = (a: Array<{ trackingId: string }>) => a.map((x) => x.trackingId).sort();
    // Each step is one millisecond past a deadline, or its very last millisecond. With the sweep at `since`
    // performed, the full plan at `at` holds what was offered at `since` (skipped by the sweep_log anti-join)
    // plus what became due in (since, at]: the incremental plan must read at least the latter, at most the full plan.
    const steps = [
      '2026-04-10T00:00:00.000+09:00',
      '2026-04-10T23:59:59.999+09:00',
      '2026-04-11T00:00:00.000+09:00',
      '2026-04-10T23:59:59.999+08:00',
      '2026-04-11T00:00:00.000+08:00',
      '2026-04-10T23:59:59.999+07:00',
      '2026-04-11T00:00:00.000+07:00',
    ].map((x) => new Date(x));
    const becameDue: string[][] = [];
    for (let i = 1; i < steps.length; i++) {
      const since = steps[i - 1]!;
      const before = ids(await offers(at(since.toISOString())));
      const full = ids(await offers(at(steps[i]!.toISOString())));
      const inc = ids(await offers(steps[i]!, { since }));
      const fresh = full.filter((id) => !before.includes(id));
      for (const id of fresh) expect(inc, steps[i]!.toISOString()).toContain(id);
      for (const id of inc) expect(full, steps[i]!.toISOString()).toContain(id);
      becameDue.push(fresh);
    }
    expect(becameDue).toEqual([[], [wit.trackingId], [], [wita.trackingId], [], [wib.trackingId]]);
  });

  it('refuses the transfer until just after the deadline, naming the first instant it is available', async () => {
    // WIT report: refused at 00:00, 23:59 and 23:59:59.999 of its 60th working day.
    for (const moment of [
      '2026-04-10T00:00:00.000+09:00',
      '2026-04-10T23:59:00.000+09:00',
      '2026-04-10T23:59:59.999+09:00',
    ]) {
      at(moment);
      const early = await escalate(wit);
      expect(early.status, moment).toBe(409);
      expect(early.body.error.code).toBe('ESCALATION_NOT_DUE');
      expect(early.body.error.params).toEqual({ availableFrom: '2026-04-11T00:00:00.000+09:00' });
    }
    // The WIB report at 23:59:59.999 WIB: its own zone's midnight, although WIT and WITA are past theirs.
    at('2026-04-10T23:59:59.999+07:00');
    const wibEarly = await escalate(wib);
    expect(wibEarly.status).toBe(409);
    expect(wibEarly.body.error.params).toEqual({ availableFrom: '2026-04-11T00:00:00.000+07:00' });
    // One millisecond after the WIT deadline the WIT reporter may transfer.
    at('2026-04-11T00:00:00.000+09:00');
    const ok = await escalate(wit);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('transferred');
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

  it('a 0-day escalation rule offers and allows the transfer at once (full and incremental plans)', async () => {
    await t.runtime.services.db.execute(
      sql`insert into sla_rules (id, version, clock, classification, working_days, basis, valid_from)
          values ('escalation.aspirasi', 1, 'escalation', 'aspirasi', 0, 'Aturan uji', '2026-01-01')`,
    );
    invalidateCalendarCache();
    const since = at('2026-04-15T09:00:00+08:00');
    const now = new Date(since.getTime() + 60_000);
    t.setNow(now);
    const r = await submit('64.72', 'Usulan jembatan baru di Samarinda', 'aspirasi');
    const mine = (a: Array<{ action: string; trackingId: string; workingDays?: number }>) =>
      a
        .filter((x) => x.action === 'ombudsman_offer' && x.trackingId === r.trackingId)
        .map((x) => x.workingDays);
    expect(mine(await planSweep(t.runtime.services, now))).toEqual([0]);
    expect(mine(await planSweep(t.runtime.services, now, { since }))).toEqual([0]);
    const ok = await escalate(r);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('transferred');
  });
});
