/**
 * The verification clock while a report is on hold (issue 4, "On hold"): hold stops it and starts the
 * reporter's reply clock (10 working days), nothing is reminded or marked overdue meanwhile, and the reporter's
 * supplement starts a new verification clock (3 working days) that the sweeper then follows. WITA, exact instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { planSweep } from './sweeper.ts';

let t: TestApp;
let r: { trackingId: string; accessKey: string; deadline: { dueAt: string } };

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};
const mine = async (moment: Date) =>
  (await planSweep(t.runtime.services, moment))
    .filter((a) => a.trackingId === r.trackingId)
    .map((a) => [a.action, a.clock, a.ruleVersion, a.dueAt]);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') }); // Monday 09:00 WITA
  const s = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di Sungai Kunjang',
      body: 'Drainase di depan rumah warga tersumbat lumpur sehingga air meluap ke jalan setiap hujan deras.',
      regionCode: '64.72.02',
      reporter: { name: 'Warga Uji Tunda', email: 'tunda@contoh.aduan.id' },
    },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  r = s.body;
});
afterAll(() => t?.close());

describe('on hold: the verification clock pauses', () => {
  it('stops the verification clock on hold, so nothing is due while the reporter is asked', async () => {
    expect(r.deadline.dueAt).toBe('2026-03-05T23:59:59.999+08:00'); // Thursday, 3 working days
    at('2026-03-03T02:00:00Z'); // Tuesday 10:00 WITA
    const h = await t.api(`/api/v1/reports/${r.trackingId}/actions/hold`, {
      json: { question: 'Di RT berapa drainase itu?' },
      token: await t.login(DEMO.coordinator),
    });
    expect(h.status, JSON.stringify(h.body)).toBe(200);
    expect(h.body.deadline).toMatchObject({ clock: 'hold_reply', dueAt: '2026-03-17T23:59:59.999+08:00' });
    // Past the original verification due date (and a working day after it): no reminder, overdue or ladder step.
    expect(await mine(at('2026-03-06T04:00:00Z'))).toEqual([]);
    expect(await mine(at('2026-03-10T04:00:00Z'))).toEqual([]);
  });

  it('starts a new verification clock on supplement, which the sweeper follows', async () => {
    at('2026-03-11T02:00:00Z'); // Wednesday 10:00 WITA
    const s = await t.api(`/api/v1/reports/${r.trackingId}/actions/supplement`, {
      json: { body: 'Di RT 12, depan masjid.' },
      accessKey: r.accessKey,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.status).toBe('submitted');
    // Thursday 12, Friday 13, Monday 16 March.
    expect(s.body.deadline).toMatchObject({ clock: 'verification', dueAt: '2026-03-16T23:59:59.999+08:00' });
    expect(await mine(at('2026-03-12T04:00:00Z'))).toEqual([]);
    // From 00:00 of Friday 13 (the working day before): the reminder of the new clock, then overdue on Tuesday.
    expect(await mine(at('2026-03-12T16:00:01Z'))).toEqual([
      ['reminder', 'verification', 1, '2026-03-16T23:59:59.999+08:00'],
    ]);
    const late = await mine(at('2026-03-16T16:00:01Z'));
    expect(late).toContainEqual(['overdue', 'verification', 1, '2026-03-16T23:59:59.999+08:00']);
    expect(late.filter((a) => a[1] !== 'verification')).toEqual([]);
  });
});
