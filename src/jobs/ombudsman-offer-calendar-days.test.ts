/**
 * The Ombudsman takeover counts 60 days, not 60 working days (domain.md §5.4): escalation rule v2 (calendar days,
 * from 1 December 2026) opens the offer and the transfer at 00:00 local after the 60th calendar day, over
 * weekends, Christmas and its cuti bersama alike; a report filed before keeps v1 (60 working days) and every
 * working-day clock is counted as before. The SLA admin page shows the unit of each version and lets the national
 * admin choose it for a new one (real database, real HTTP).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../test/helpers/web-client.ts';
import { query } from '../db/client.ts';
import { bundledHolidays } from '../db/seed/reference.ts';
import { addWorkingDays, formatIsoInZone, makeCalendar } from '../domain/deadline/calendar.ts';
import { reporterMessage } from '../presenters/notification.ts';
import { planSweep, runSweep } from './sweeper.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string; deadline: { dueAt: string; explanation: string } };
let before: Made; // Friday 27 November 2026: escalation v1 (60 working days)
let after: Made; // Tuesday 1 December 2026: escalation v2 (60 calendar days)

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function submit(title: string): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Pipa air bersih bocor di tepi jalan dan airnya terbuang percuma sejak berminggu-minggu.',
      regionCode: '64.72.01',
      reporter: { name: 'Dewi Pelapor', email: 'dewi.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

const offers = async (moment: Date, opts: { since?: Date } = {}) =>
  (await planSweep(t.runtime.services, moment, opts)).filter(
    (a) => a.action === 'ombudsman_offer' && [before, after].some((r) => r.trackingId === a.trackingId),
  );
const escalate = (r: Made) =>
  t.api(`/api/v1/reports/${r.trackingId}/actions/escalate`, {
    json: { consent: true },
    accessKey: r.accessKey,
  });

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-11-27T02:00:00Z') });
  at('2026-11-27T10:00:00+08:00');
  before = await submit('Pipa bocor di Samarinda Ulu (sebelum aturan baru)');
  at('2026-12-01T10:00:00+08:00');
  after = await submit('Pipa bocor di Samarinda Ulu (sesudah aturan baru)');
});
afterAll(() => t?.close());

describe('escalation in calendar days (rule v2)', () => {
  it('leaves working-day clocks as they were', () => {
    // Verification: 3 working days from Tuesday 1 December = Friday 4 December.
    expect(after.deadline.dueAt).toBe('2026-12-04T23:59:59.999+08:00');
    expect(after.deadline.explanation).toContain('3 hari kerja');
  });

  it('offers the hand-off from 00:00 after the 60th calendar day (Saturday 30 January 2027), not earlier', async () => {
    // 1 December + 60 days = Saturday 30 January 2027; the deadline is its last millisecond, WITA.
    expect(await offers(at('2027-01-30T00:00:00.000+08:00'))).toEqual([]);
    expect(await offers(at('2027-01-30T23:59:59.999+08:00'))).toEqual([]);
    const open = await offers(at('2027-01-31T00:00:00.000+08:00'));
    expect(open).toEqual([
      expect.objectContaining({
        trackingId: after.trackingId,
        ruleId: 'escalation',
        ruleVersion: 2,
        calendarDays: 60,
        dueAt: '2027-01-30T23:59:59.999+08:00',
      }),
    ]);
    expect(open[0]!.workingDays).toBeUndefined();
    // An incremental sweep from the evening before reads it too.
    expect(
      (
        await offers(at('2027-01-31T00:00:00.000+08:00'), { since: new Date('2027-01-30T20:00:00+08:00') })
      ).map((a) => a.trackingId),
    ).toEqual([after.trackingId]);
  });

  it('keeps v1 (60 working days) for the report filed before 1 December', async () => {
    const cal = makeCalendar('WITA', bundledHolidays(), '64.72.01');
    const due = addWorkingDays(new Date('2026-11-27T10:00:00+08:00'), 60, cal).dueAt;
    // 60 working days is far more than 60 calendar days (26 January would have been the calendar-day date).
    expect(due.getTime()).toBeGreaterThan(Date.parse('2027-02-15T00:00:00+08:00'));
    const dueIso = formatIsoInZone(due, 'WITA');
    const mine = (a: Array<{ trackingId: string }>) => a.filter((x) => x.trackingId === before.trackingId);
    expect(mine(await offers(new Date(due.getTime())))).toEqual([]);
    const open = await offers(new Date(due.getTime() + 1));
    expect(open.find((a) => a.trackingId === before.trackingId)).toMatchObject({
      ruleVersion: 1,
      workingDays: 60,
      dueAt: dueIso,
    });
  });

  it('refuses the transfer through the 60th day and allows it from the next midnight; the offer says "60 hari"', async () => {
    at('2027-01-30T23:59:59.999+08:00');
    const early = await escalate(after);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'ESCALATION_NOT_DUE',
      params: { availableFrom: '2027-01-31T00:00:00.000+08:00' },
    });
    const moment = at('2027-01-31T00:00:00.000+08:00');
    const done = (await runSweep(t.runtime.services, moment, { dryRun: false })).filter(
      (a) => a.trackingId === after.trackingId && a.action === 'ombudsman_offer',
    );
    expect(done.map((a) => a.result)).toEqual(['done']);
    const [event] = await query<{ data: Record<string, unknown> }>(
      t.runtime.services.db,
      sql`select e.data from report_events e join reports r on r.id = e.report_id
          where r.tracking_id = ${after.trackingId} and e.type = 'ombudsman_offer'`,
    );
    expect(event!.data).toMatchObject({ calendarDays: 60, ruleVersion: 2 });
    const facts = {
      trackingId: after.trackingId,
      title: 'x',
      eventType: 'ombudsman_offer',
      eventBody: null,
      eventData: event!.data,
      link: 'https://contoh/lacak',
    };
    expect(reporterMessage(facts, 'id')!.text).toContain('belum selesai setelah 60 hari. Anda dapat');
    expect(reporterMessage(facts, 'id')!.sms).toContain('belum selesai setelah 60 hari. Untuk');
    expect(reporterMessage(facts, 'en')!.text).toContain('not resolved after 60 days.');
    const ok = await escalate(after);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('transferred');
  });

  it('the SLA page shows each version’s unit, and the national admin picks the unit of a new version', async () => {
    at('2027-02-01T09:00:00+08:00');
    const nat = await signInWeb(t.url, DEMO.national);
    const page = await nat.get('/kantor/admin/sla');
    expect(page.status).toBe(200);
    const escalationRows = page.html.split('<tr').filter((r) => r.includes('<code>escalation</code>'));
    expect(escalationRows).toHaveLength(2);
    expect(escalationRows.some((r) => r.includes('60 hari kalender') && r.includes('1 Desember 2026'))).toBe(
      true,
    );
    expect(escalationRows.some((r) => r.includes('60 hari kerja') && r.includes('30 November 2026'))).toBe(
      true,
    );
    // The unit radio defaults to working days.
    expect(page.html).toMatch(/<input[^>]*name="dayUnit"[^>]*value="working"[^>]*checked/);
    const en = await nat.get('/kantor/admin/sla?lang=en');
    expect(en.html).toContain('60 calendar days');
    expect(en.html).toContain('Unit of days');

    const bad = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      clock: 'hold_reply',
      workingDays: '30',
      dayUnit: 'lunar',
      basis: 'Contoh aturan uji',
      validFrom: '2027-03-01',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('#f-dayUnit');
    const added = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      clock: 'hold_reply',
      workingDays: '30',
      dayUnit: 'calendar',
      basis: 'Contoh aturan uji hari kalender',
      validFrom: '2027-03-01',
    });
    expect(added.status).toBe(303);
    const rows = (await nat.get('/kantor/admin/sla?lang=id')).html
      .split('<tr')
      .filter((r) => r.includes('<code>hold_reply</code>'));
    expect(rows.find((r) => r.includes('Contoh aturan uji hari kalender'))).toContain('30 hari kalender');
    expect(rows.find((r) => r.includes('Ketentuan bawaan aduan'))).toContain('10 hari kerja');
    const [rule] = await query<{ day_unit: string; version: number }>(
      t.runtime.services.db,
      sql`select day_unit, version from sla_rules where id = 'hold_reply' order by version desc limit 1`,
    );
    expect(rule).toEqual({ day_unit: 'calendar', version: 2 });
  });
});
