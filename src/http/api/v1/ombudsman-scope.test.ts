/**
 * Fresh-eyes audit of the hand-off to the Ombudsman, over real HTTP against a controllable clock: what the Ombudsman
 * reads of a transferred report outside its hand-off package (the JSON API), and what the package itself carries.
 *
 * - The Ombudsman reads a transferred report through the API as the package shows it: no internal notes (an agency's
 *   internal note may name the reporter, who did not share their identity), and it writes nothing into the agency's
 *   timeline (the role is read-only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
const REPORTER = { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id', phone: '081234567890' };
const INTERNAL_NOTE = 'Sudah ditelepon Ibu Rina Pelapor di 081234567890, anggaran belum ada.';
let report: { trackingId: string; accessKey: string };

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA; the hand-off opens after the escalation deadline, in April.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const res = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan provinsi di Balikpapan amblas',
      body: 'Jalan provinsi di Balikpapan amblas. Sudah berbulan-bulan tidak ada perbaikan.',
      regionCode: '64.71.01',
      reporter: REPORTER,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  report = res.body;
  await actOk(
    t,
    report.trackingId,
    'verify',
    { categoryId, agencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.coordinator) },
  );
  await actOk(
    t,
    report.trackingId,
    'note',
    { body: INTERNAL_NOTE },
    { token: await t.login(DEMO.puprAdmin) },
  );
  t.setNow(new Date('2026-04-13T09:00:00+08:00'));
  // The reporter consents without sharing the identity.
  await actOk(t, report.trackingId, 'escalate', { consent: true }, { accessKey: report.accessKey });
});
afterAll(() => t?.close());

describe('the Ombudsman on the JSON API', () => {
  it('reads the transferred report and its timeline without internal notes or the reporter', async () => {
    const token = await t.login(DEMO.ombudsman);
    const got = await t.api(`/api/v1/reports/${report.trackingId}`, { token });
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('transferred');
    expect(got.body.reporter).toBeUndefined();
    expect(got.body.allowedActions).not.toContain('note');
    const events = await t.api(`/api/v1/reports/${report.trackingId}/events`, { token });
    expect(events.status).toBe(200);
    const items = events.body.items as Array<{ type: string; visibility: string; body: string | null }>;
    expect(items.map((e) => e.type)).toEqual(['submit', 'verify', 'escalate']);
    expect(items.every((e) => e.visibility === 'public')).toBe(true);
    const text = JSON.stringify(events.body);
    for (const secret of [REPORTER.name, REPORTER.phone, 'anggaran belum ada'])
      expect(text).not.toContain(secret);
    // The agency still reads its own note.
    const agency = await t.api(`/api/v1/reports/${report.trackingId}/events`, {
      token: await t.login(DEMO.puprAdmin),
    });
    expect(JSON.stringify(agency.body)).toContain('anggaran belum ada');
  });

  it('cannot write a note into the agency timeline', async () => {
    const token = await t.login(DEMO.ombudsman);
    const r = await t.api(`/api/v1/reports/${report.trackingId}/actions/note`, {
      json: { body: 'Catatan dari Ombudsman untuk instansi.' },
      token,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(403);
  });
});
