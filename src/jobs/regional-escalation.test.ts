/**
 * A regional escalation rule moves the Ombudsman hand-off for reports of its region only (docs/adr/0013): Kalimantan
 * Timur (64) sets 30 calendar days from 1 December 2026; a report filed that day in Samarinda (64.72) is offered the
 * hand-off by the sweeper from 00:00 WITA on 1 January 2027 under `64:escalation`, and the transfer is refused before
 * that instant with that `availableFrom`; a report filed the same day in Banjarmasin (63.71) keeps the national 60
 * days. Real database, real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { planSweep } from './sweeper.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };
let samarinda: Made;
let banjarmasin: Made;

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function submit(title: string, regionCode: string): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Jembatan kayu di kampung kami rusak parah dan berbahaya bagi anak-anak yang berangkat sekolah.',
      regionCode,
      reporter: { name: 'Andi Pelapor', email: 'andi.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

const offers = async (moment: Date) =>
  (await planSweep(t.runtime.services, moment)).filter(
    (a) =>
      a.action === 'ombudsman_offer' && [samarinda, banjarmasin].some((r) => r.trackingId === a.trackingId),
  );

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-12-01T01:00:00Z') });
  at('2026-12-01T09:00:00+08:00');
  const rule = await t.api('/api/v1/sla-rules', {
    json: {
      regionCode: '64',
      clock: 'escalation',
      workingDays: 30,
      dayUnit: 'calendar',
      basis: 'Pergub Kaltim 12/2026 Pasal 11',
      validFrom: '2026-12-01',
    },
    token: await t.login(DEMO.coordinator),
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  at('2026-12-01T10:00:00+08:00');
  samarinda = await submit('Jembatan rusak di Samarinda', '64.72.01');
  banjarmasin = await submit('Jembatan rusak di Banjarmasin', '63.71.01');
});
afterAll(() => t?.close());

describe('a regional escalation rule', () => {
  it("offers the hand-off after the region's 30 days, to the region's reports only", async () => {
    expect(await offers(at('2026-12-31T23:59:59.999+08:00'))).toEqual([]);
    expect(await offers(at('2027-01-01T00:00:00.000+08:00'))).toEqual([
      expect.objectContaining({
        trackingId: samarinda.trackingId,
        ruleId: '64:escalation',
        ruleVersion: 1,
        calendarDays: 30,
        dueAt: '2026-12-31T23:59:59.999+08:00',
      }),
    ]);
    // Banjarmasin: the national 60 calendar days (30 January 2027).
    expect((await offers(at('2027-01-31T00:00:00.000+08:00'))).map((a) => a.ruleId).sort()).toEqual([
      '64:escalation',
      'escalation',
    ]);
  });

  it('refuses the transfer until the regional deadline has passed', async () => {
    at('2026-12-31T23:59:59.999+08:00');
    const early = await t.api(`/api/v1/reports/${samarinda.trackingId}/actions/escalate`, {
      json: { consent: true },
      accessKey: samarinda.accessKey,
    });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'ESCALATION_NOT_DUE',
      params: { availableFrom: '2027-01-01T00:00:00.000+08:00' },
    });
    const other = await t.api(`/api/v1/reports/${banjarmasin.trackingId}/actions/escalate`, {
      json: { consent: true },
      accessKey: banjarmasin.accessKey,
    });
    expect(other.body.error).toMatchObject({
      code: 'ESCALATION_NOT_DUE',
      params: { availableFrom: '2027-01-31T00:00:00.000+08:00' },
    });
    at('2027-01-01T00:00:00.000+08:00');
    const ok = await t.api(`/api/v1/reports/${samarinda.trackingId}/actions/escalate`, {
      json: { consent: true },
      accessKey: samarinda.accessKey,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('transferred');
  });
});
