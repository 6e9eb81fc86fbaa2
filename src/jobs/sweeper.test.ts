/**
 * The deadline sweeper against a controllable clock across weekends, Nyepi, Idul Fitri and their cuti
 * bersama, in WIB (Aceh, 11), WITA (Kaltim, 64) and WIT (Papua, 91): exact due dates, exact actions,
 * idempotent re-runs, auto-close, no-reply archive, and versioned SLA rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';
import { planSweep, runSweep } from './sweeper.ts';
import { setSlaRule } from '../commands/set-sla-rule.ts';
import { verifyChains } from '../db/repositories/events.ts';
import { sweepWatermark, sweptUntil } from '../queries/sweep-candidates.ts';

let t: TestApp;
let categoryId: number;
const ZONES = [
  { zone: 'WIB', region: '11', offset: '+07:00' },
  { zone: 'WITA', region: '64', offset: '+08:00' },
  { zone: 'WIT', region: '91', offset: '+09:00' },
] as const;
const ids: Record<string, string> = {};

async function submit(regionCode: string, title: string) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Uraian laporan uji penyapu tenggat yang cukup panjang untuk lolos validasi isian laporan.',
      regionCode,
      anonymous: true,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string; deadline: { dueAt: string } };
}

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};
const mine = <T extends { trackingId: string }>(actions: T[], id: string) =>
  actions.filter((a) => a.trackingId === id);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-16T03:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

describe('deadline sweeper', () => {
  it('computes the verification deadline per zone across Nyepi, Idul Fitri and cuti bersama', async () => {
    for (const z of ZONES) {
      // Monday 16 March 2026, 10:00 local time.
      at(`2026-03-16T10:00:00${z.offset}`);
      const r = await submit(z.region, `Laporan uji zona ${z.zone}`);
      ids[z.zone] = r.trackingId;
      // Day 1 Tue 17; skipped Wed 18 (cuti bersama Nyepi), Thu 19 (Nyepi), Fri 20–Tue 24 (Idul Fitri,
      // weekend, cuti bersama); day 2 Wed 25, day 3 Thu 26.
      expect(r.deadline.dueAt).toBe(`2026-03-26T23:59:59.999${z.offset}`);
    }
  });

  it('reminds one working day before, exactly once', async () => {
    const before = await planSweep(t.runtime.services, at('2026-03-24T12:00:00+09:00'));
    for (const z of ZONES) expect(mine(before, ids[z.zone]!)).toEqual([]);
    for (const z of ZONES) {
      const now = at(`2026-03-25T00:00:00${z.offset}`);
      const plan = mine(await planSweep(t.runtime.services, now), ids[z.zone]!);
      expect(plan.map((a) => [a.action, a.clock, a.ruleVersion, a.dueAt])).toEqual([
        ['reminder', 'verification', 1, `2026-03-26T23:59:59.999${z.offset}`],
      ]);
      // No target agency: the verify queue of the region's coordinator (Kaltim has one in the demo), else
      // the national admins.
      expect(plan[0]!.notify).toEqual(
        z.region === '64'
          ? [{ role: 'coordinator', agencyId: 'diskominfo-kaltim' }]
          : [{ role: 'national_admin', agencyId: null }],
      );
    }
    const done = await runSweep(t.runtime.services, at('2026-03-25T12:00:00+07:00'), { dryRun: false });
    expect(done.filter((a) => a.action === 'reminder').map((a) => a.result)).toEqual([
      'done',
      'done',
      'done',
    ]);
    const again = await runSweep(t.runtime.services, at('2026-03-25T13:00:00+07:00'), { dryRun: false });
    expect(again.filter((a) => a.action === 'reminder')).toEqual([]);
  });

  it('marks overdue at the zone’s own midnight: at 15:30 UTC on 26 March only WIT is late', async () => {
    const plan = await planSweep(t.runtime.services, at('2026-03-26T15:30:00Z'));
    expect(mine(plan, ids.WIB!)).toEqual([]);
    expect(mine(plan, ids.WITA!)).toEqual([]);
    expect(mine(plan, ids.WIT!).map((a) => [a.action, a.level])).toEqual([['overdue', 1]]);
    const done = await runSweep(t.runtime.services, at('2026-03-26T15:30:00Z'), { dryRun: false });
    expect(mine(done, ids.WIT!).map((a) => a.result)).toEqual(['done']);
    const ev = await t.api(`/api/v1/reports/${ids.WIT}/events`, { token: await t.login(DEMO.national) });
    if (ev.status === 200) {
      const items = (ev.body.items ?? ev.body) as Array<{ type: string }>;
      expect(items.filter((e) => e.type === 'overdue')).toHaveLength(1);
    }
  });

  it('climbs the escalation ladder by working days late (national admin for unrouted reports outside any coordinator’s region)', async () => {
    // Overdue since Fri 27 March (WIB): 2 working days late on Mon 30 → level 2; 5 on Thu 2 Apr → level 3;
    // Fri 3 Apr is Good Friday, so level 4 (10 days) waits until Fri 10 April... plus the weekend.
    const p1 = mine(await planSweep(t.runtime.services, at('2026-03-30T08:00:00+07:00')), ids.WIB!);
    expect(p1.map((a) => [a.action, a.level])).toEqual([
      ['overdue', 1],
      ['escalate', 2],
    ]);
    const p2 = mine(await planSweep(t.runtime.services, at('2026-04-02T08:00:00+07:00')), ids.WIB!);
    expect(p2.map((a) => a.level)).toEqual([1, 2, 3]);
    const p3 = mine(await planSweep(t.runtime.services, at('2026-04-09T08:00:00+07:00')), ids.WIB!);
    expect(p3.map((a) => a.level)).toEqual([1, 2, 3]);
    const p4 = mine(await planSweep(t.runtime.services, at('2026-04-10T08:00:00+07:00')), ids.WIB!);
    expect(p4.map((a) => a.level)).toEqual([1, 2, 3, 4]);
  });

  it('archives an on-hold report with no reply after 10 working days (reason no_reply)', async () => {
    at('2026-04-13T09:00:00+08:00'); // Monday
    const r = await submit('64', 'Laporan ditunda tanpa jawaban');
    const nat = await t.login(DEMO.national);
    const h = await t.api(`/api/v1/reports/${r.trackingId}/actions/hold`, {
      json: { question: 'Mohon sebutkan lokasi persisnya.' },
      token: nat,
    });
    expect(h.status, JSON.stringify(h.body)).toBe(200);
    expect(h.body.deadline.dueAt).toBe('2026-04-27T23:59:59.999+08:00');
    expect(mine(await planSweep(t.runtime.services, at('2026-04-27T23:00:00+08:00')), r.trackingId)).toEqual(
      [],
    );
    const done = mine(
      await runSweep(t.runtime.services, at('2026-04-28T00:00:01+08:00'), { dryRun: false }),
      r.trackingId,
    );
    expect(done.map((a) => [a.action, a.result])).toEqual([['archive_no_reply', 'done']]);
    const got = await t.api(`/api/v1/reports/${r.trackingId}`, { accessKey: r.accessKey });
    expect(got.body.status).toBe('archived');
  });

  it('auto-closes a responded report after the reporter window, with the reason', async () => {
    at('2026-05-04T09:00:00+08:00'); // Monday
    const r = await submit('64.72.02', 'Laporan ditutup otomatis');
    const coord = await t.login(DEMO.coordinator);
    let res = await t.api(`/api/v1/reports/${r.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const admin = await t.login(DEMO.puprAdmin);
    res = await t.api(`/api/v1/reports/${r.trackingId}/actions/respond`, {
      json: { body: 'Perbaikan jalan telah selesai dikerjakan oleh tim Bina Marga.', final: true },
      token: admin,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const due = res.body.deadline.dueAt as string;
    expect(res.body.deadline.clock).toBe('reporter_window');
    const late = new Date(new Date(due).getTime() + 1000);
    const done = mine(
      await runSweep(t.runtime.services, at(late.toISOString()), { dryRun: false }),
      r.trackingId,
    );
    expect(done.map((a) => [a.action, a.result, a.ruleVersion])).toEqual([['auto_close', 'done', 1]]);
    const got = await t.api(`/api/v1/reports/${r.trackingId}`, { accessKey: r.accessKey });
    expect(got.body.status).toBe('completed');
    const again = mine(
      await runSweep(t.runtime.services, at(late.toISOString()), { dryRun: false }),
      r.trackingId,
    );
    expect(again).toEqual([]);
  });

  it('keeps the rule version a running report started under; new clocks use the new version', async () => {
    at('2026-06-01T09:00:00+08:00');
    const older = await submit('64.72.02', 'Laporan sebelum aturan baru');
    const coord = await t.login(DEMO.coordinator);
    const v1 = await t.api(`/api/v1/reports/${older.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v1.body.deadline).toMatchObject({ clock: 'follow_up', ruleVersion: 1 });
    const rule = await setSlaRule(t.runtime.services, {
      clock: 'follow_up',
      workingDays: 7,
      basis: 'Aturan uji 2026',
      validFrom: '2026-06-15',
    });
    expect(rule).toMatchObject({ id: 'follow_up', version: 2 });
    at('2026-06-16T09:00:00+08:00');
    const newer = await submit('64.72.02', 'Laporan sesudah aturan baru');
    const v2 = await t.api(`/api/v1/reports/${newer.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    expect(v2.body.deadline).toMatchObject({ clock: 'follow_up', ruleVersion: 2 });
    expect(v2.body.deadline.explanation.id ?? v2.body.deadline.explanation).toContain('aturan versi 2');
    const old = await t.api(`/api/v1/reports/${older.trackingId}`, {
      token: await t.login(DEMO.coordinator),
    });
    expect(old.body.deadline).toMatchObject({ ruleVersion: 1 });
  });

  it('incremental sweeps plan exactly what a full sweep would (over 17 August, all zones, new clocks)', async () => {
    const svc = t.runtime.services;
    // Catch up: perform everything due now, which also sets the watermark.
    await runSweep(svc, at('2026-08-07T10:00:00+07:00'), { dryRun: false });
    expect((await sweptUntil(svc))?.toISOString()).toBe('2026-08-07T03:00:00.000Z');
    const coord = await t.login(DEMO.coordinator);
    const fresh: string[] = [];
    const file = async (when: string, region: string, verify: boolean) => {
      at(when);
      const r = await submit(region, `Laporan uji sapuan bertahap ${fresh.length}`);
      fresh.push(r.trackingId);
      if (verify) {
        const v = await t.api(`/api/v1/reports/${r.trackingId}/actions/verify`, {
          json: { categoryId, agencyId: 'pupr-kaltim' },
          token: coord,
        });
        expect(v.status, JSON.stringify(v.body)).toBe(200);
      }
    };
    await file('2026-08-07T11:00:00+07:00', '11', false);
    await file('2026-08-07T11:00:00+08:00', '64.72.02', true);
    await file('2026-08-07T11:00:00+09:00', '91', false);
    let performed = 0;
    const keys = (a: Array<{ key: string }>) => a.map((x) => x.key).sort();
    // Every 9 hours for four weeks (Independence Day on Monday 17 August, Maulid Nabi 25–26 August), and a
    // new report after one week.
    let last = new Date(0);
    for (let h = 9; h <= 28 * 24; h += 9) {
      const now = at(new Date(Date.parse('2026-08-07T03:00:00Z') + h * 3_600_000).toISOString());
      last = now;
      if (h === 171) await file(now.toISOString(), '64', false);
      const full = await planSweep(svc, now);
      const inc = await runSweep(svc, now, { dryRun: true, incremental: true });
      expect(keys(inc), now.toISOString()).toEqual(keys(full));
      const done = await runSweep(svc, now, { dryRun: false, incremental: true });
      expect(
        done.filter((a) => a.result !== 'done'),
        now.toISOString(),
      ).toEqual([]);
      performed += done.length;
    }
    // The new reports went through reminders, overdue marks and every ladder step, each exactly once.
    const mineAll = await planSweep(svc, last);
    expect(fresh.flatMap((id) => mine(mineAll, id))).toEqual([]);
    expect(performed).toBeGreaterThan(0);
    // The WIB report (verification due Wed 12 August) climbed every rung by Mon 31 August.
    const ev = await t.api(`/api/v1/reports/${fresh[0]}/events`, { token: await t.login(DEMO.national) });
    expect(ev.status).toBe(200);
    const types = ((ev.body.items ?? ev.body) as Array<{ type: string }>).map((e) => e.type);
    expect(types.filter((x) => x === 'reminder')).toHaveLength(1);
    expect(types.filter((x) => x === 'overdue')).toHaveLength(1);
    expect(types.filter((x) => x === 'escalate_ladder')).toHaveLength(3);
    expect((await verifyChains(svc.db)).problems).toEqual([]);
  });

  it('performs a deadline’s overdue mark and the ladder steps it crossed together, once', async () => {
    const svc = t.runtime.services;
    at('2026-09-07T09:00:00+07:00');
    const r = await submit('11', 'Laporan uji langkah bersamaan');
    // Due Thu 10 September; nobody swept until Fri 2 October: overdue and levels 2, 3, 4 are due at once.
    const done = mine(await runSweep(svc, at('2026-10-02T09:00:00+07:00'), { dryRun: false }), r.trackingId);
    expect(done.map((a) => [a.action, a.level, a.result])).toEqual([
      ['overdue', 1, 'done'],
      ['escalate', 2, 'done'],
      ['escalate', 3, 'done'],
      ['escalate', 4, 'done'],
    ]);
    const again = mine(await planSweep(svc, at('2026-10-02T10:00:00+07:00')), r.trackingId);
    expect(again).toEqual([]);
    expect((await verifyChains(svc.db)).problems).toEqual([]);
    // The staff timeline says which clock each step is about, when it was due and which rung was reached.
    const page = await (await signInWeb(t.url, DEMO.national)).get(`/kantor/laporan/${r.trackingId}`);
    expect(page.status).toBe(200);
    const timeline = page.html.slice(page.html.indexOf('Melewati tenggat'));
    expect(timeline).toContain('Verifikasi');
    expect(timeline).toContain('batas 10 September 2026 23.59 WIB');
    for (const n of [2, 3, 4]) expect(page.html).toContain(`tingkat eskalasi ${n}`);
  });
  it('an incremental sweep after a holiday or ladder edit plans what a full sweep would', async () => {
    const svc = t.runtime.services;
    const keys = (a: Array<{ key: string }>) => a.map((x) => x.key).sort();
    at('2026-10-13T10:00:00+07:00');
    const national = await t.login(DEMO.national);
    const added = await t.api('/api/v1/holidays', {
      json: { date: '2026-10-19', name: 'Libur uji penyapu', kind: 'libur_nasional' },
      token: national,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const r = await submit('11', 'Laporan uji sunting hari libur');
    expect(r.deadline.dueAt).toBe('2026-10-16T23:59:59.999+07:00');
    // Fri 23 October: 4 working days late (Mon 19 is a holiday): overdue and ladder level 2, not level 3.
    const first = mine(await runSweep(svc, at('2026-10-23T10:00:00+07:00'), { dryRun: false }), r.trackingId);
    expect(first.map((a) => [a.action, a.level, a.result])).toEqual([
      ['overdue', 1, 'done'],
      ['escalate', 2, 'done'],
    ]);
    const mark = await sweepWatermark(svc);
    expect(mark?.at.toISOString()).toBe('2026-10-23T03:00:00.000Z');
    // The holiday is withdrawn: the clock is now 5 working days late and owes level 3, although no
    // threshold moved since the watermark (5 minutes ago, same local day).
    const removed = await t.api('/api/v1/holidays/2026-10-19', {
      method: 'DELETE',
      token: await t.login(DEMO.national),
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const now = at('2026-10-23T10:05:00+07:00');
    const full = await planSweep(svc, now);
    expect(mine(full, r.trackingId).map((a) => [a.action, a.level])).toEqual([['escalate', 3]]);
    // A sweep from the watermark alone would miss it …
    expect(mine(await planSweep(svc, now, { since: mark!.at }), r.trackingId)).toEqual([]);
    // … so the edit makes the next incremental sweep full.
    const inc = await runSweep(svc, now, { dryRun: true, incremental: true });
    expect(keys(inc)).toEqual(keys(full));
    const done = await runSweep(svc, now, { dryRun: false, incremental: true });
    expect(mine(done, r.trackingId).map((a) => [a.action, a.level, a.result])).toEqual([
      ['escalate', 3, 'done'],
    ]);
    expect((await sweepWatermark(svc))?.config).not.toBe(mark!.config);
    // Back to incremental once the new configuration is swept: nothing more is owed.
    const later = at('2026-10-23T10:10:00+07:00');
    expect(keys(await runSweep(svc, later, { dryRun: true, incremental: true }))).toEqual(
      keys(await planSweep(svc, later)),
    );
    // A ladder edit (settings `sweep.ladder`): level 3 after 4 working days, a new level 5 after 4 too.
    await svc.db.execute(
      sql`insert into settings (key, value) values ('sweep.ladder', ${JSON.stringify([
        { level: 1, role: 'officer', scope: 'agency', afterWorkingDays: 0 },
        { level: 2, role: 'agency_admin', scope: 'agency', afterWorkingDays: 2 },
        { level: 3, role: 'coordinator', scope: 'region', afterWorkingDays: 4 },
        { level: 4, role: 'national_admin', scope: 'national', afterWorkingDays: 10 },
        { level: 5, role: 'national_admin', scope: 'national', afterWorkingDays: 4 },
      ])}::jsonb) on conflict (key) do update set value = excluded.value`,
    );
    const afterLadder = at('2026-10-23T10:15:00+07:00');
    const fullL = await planSweep(svc, afterLadder);
    expect(mine(fullL, r.trackingId).map((a) => [a.action, a.level])).toEqual([['escalate', 5]]);
    const incL = await runSweep(svc, afterLadder, { dryRun: true, incremental: true });
    expect(keys(incL)).toEqual(keys(fullL));
    await svc.db.execute(sql`delete from settings where key = 'sweep.ladder'`);
  });

  it('an incremental sweep after an SLA rule edit plans what a full sweep would', async () => {
    const svc = t.runtime.services;
    const keys = (a: Array<{ key: string }>) => a.map((x) => x.key).sort();
    await runSweep(svc, at('2026-10-26T11:00:00+07:00'), { dryRun: false, incremental: true });
    const mark = (await sweepWatermark(svc))!;
    // The Ombudsman offer after 5 working days instead of 60, for reports filed from 1 January 2026.
    await setSlaRule(svc, {
      clock: 'escalation',
      workingDays: 5,
      basis: 'Aturan uji',
      validFrom: '2026-01-01',
      retroactive: true,
    });
    const now = at('2026-10-26T11:05:00+07:00');
    const full = await planSweep(svc, now);
    const offers = full.filter((a) => a.action === 'ombudsman_offer');
    expect(offers.length).toBeGreaterThan(0);
    expect(offers.every((a) => a.workingDays === 5)).toBe(true);
    // From the watermark alone the reports that became old enough under the new rule are not read …
    const fromMark = await planSweep(svc, now, { since: mark.at });
    expect(fromMark.filter((a) => a.action === 'ombudsman_offer')).toEqual([]);
    // … so the edit makes the next incremental sweep full.
    expect(keys(await runSweep(svc, now, { dryRun: true, incremental: true }))).toEqual(keys(full));
    const done = await runSweep(svc, now, { dryRun: false, incremental: true });
    expect(done.filter((a) => a.result !== 'done')).toEqual([]);
    const after = (await sweepWatermark(svc))!;
    expect(after.at.toISOString()).toBe(now.toISOString());
    expect(after.config).not.toBe(mark.config);
  });
});
