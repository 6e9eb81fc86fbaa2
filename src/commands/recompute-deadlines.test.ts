/**
 * Calendar edits move running deadlines (real database, real HTTP): a regional holiday added through the back
 * office inside the window of two reports filed the same day in Balikpapan moves both due dates by one working
 * day, so the report filed before the edit and the one filed after it agree, and the staff page's countdown
 * matches the stored date; removing the holiday moves them back. A Samarinda clock (another kota) and a clock
 * already stopped never change; nothing reaches the public timeline; the statistics see the reports as changed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { csrfOf, signInWeb, type WebClient } from '../../test/helpers/web-client.ts';
import { query } from '../db/client.ts';
import { upsertHoliday } from './manage-holidays.ts';
import { recomputeRunningClocks } from './recompute-deadlines.ts';
import { actorFor } from '../db/repositories/users.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };

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
      body: 'Lampu penerangan jalan di depan sekolah padam sejak sepekan sehingga jalan gelap pada malam hari.',
      regionCode,
      anonymous: true,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

interface ClockState {
  id: number;
  clock: string;
  due_at: Date;
  stopped_at: Date | null;
  explanation: { id: string; en: string };
}

async function clocksOf(trackingId: string): Promise<ClockState[]> {
  const rows = await query<ClockState>(
    t.runtime.services.db,
    sql`select d.id, d.clock, d.due_at, d.stopped_at, d.explanation from report_deadlines d
          join reports r on r.id = d.report_id where r.tracking_id = ${trackingId} order by d.id`,
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    due_at: new Date(r.due_at),
    stopped_at: r.stopped_at ? new Date(r.stopped_at) : null,
  }));
}

async function reportRow(trackingId: string) {
  const [row] = await query<{ due_at: Date; updated_at: Date; events: number; deadline: { dueAt: string } }>(
    t.runtime.services.db,
    sql`select r.due_at, r.updated_at, r.deadline,
          (select count(*)::int from report_events e where e.report_id = r.id) as events
        from reports r where r.tracking_id = ${trackingId}`,
  );
  return { ...row!, due_at: new Date(row!.due_at), updated_at: new Date(row!.updated_at) };
}

/** The staff page's deadline line: "Verifikasi: batas 10 Juli 2026 (3 hari kerja lagi)". */
async function staffDeadline(c: WebClient, trackingId: string): Promise<string> {
  const page = await c.get(`/kantor/laporan/${trackingId}`);
  expect(page.status).toBe(200);
  const m = /<span class="deadline-due">(.*?)<\/span>/s.exec(page.html);
  expect(m, 'deadline badge on the staff page').not.toBeNull();
  return m![1]!.replace(/<!--.*?-->/g, '');
}

/** The deadline the JSON API shows staff. */
async function apiDue(trackingId: string): Promise<{ dueAt: string; explanation: string }> {
  const r = await t.api(`/api/v1/reports/${trackingId}`, { token: await t.login(DEMO.coordinator) });
  expect(r.status).toBe(200);
  return r.body.deadline;
}

const HOLIDAY = 'Hari Jadi Kota Balikpapan (uji tenggat)';

let before: Made; // Balikpapan, filed before the holiday is entered
let other: Made; // Samarinda, same moment
let verified: Made; // Balikpapan, verified to the Balikpapan government: verification stopped, follow-up running
let staff: WebClient;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-07-06T01:00:00Z') });
  // Monday 6 July 2026, 09:00 WITA. Three working days: Tue 7, Wed 8, Thu 9 July.
  at('2026-07-06T09:00:00+08:00');
  before = await submit('64.71.01', 'Lampu jalan padam di Balikpapan Selatan');
  other = await submit('64.72.01', 'Lampu jalan padam di Samarinda');
  verified = await submit('64.71.02', 'Lampu jalan padam di Balikpapan Timur');
  const categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
  const v = await t.api(`/api/v1/reports/${verified.trackingId}/actions/verify`, {
    // The demo's Pemkab Balikpapan has no staff account: the verifier confirms.
    json: { categoryId, agencyId: 'pemkab-balikpapan', confirmUnstaffed: true },
    token: await t.login(DEMO.coordinator),
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  staff = await signInWeb(t.url, DEMO.coordinator);
});
afterAll(() => t?.close());

describe('calendar edits recompute running deadlines', () => {
  it('a regional holiday moves the running clocks of its region, both ways, and nothing else', async () => {
    const wita = (d: string) => `${d}T23:59:59.999+08:00`;
    expect((await apiDue(before.trackingId)).dueAt).toBe(wita('2026-07-09'));
    expect((await apiDue(other.trackingId)).dueAt).toBe(wita('2026-07-09'));
    const verifiedBefore = await clocksOf(verified.trackingId);
    const stopped = verifiedBefore.find((c) => c.clock === 'verification')!;
    expect(stopped.stopped_at).not.toBeNull();
    // Follow-up, 5 working days from Monday 6 July: Tue 7 … Mon 13 July.
    expect(verifiedBefore.find((c) => c.clock === 'follow_up')!.due_at.toISOString()).toBe(
      new Date(wita('2026-07-13')).toISOString(),
    );
    const eventsBefore = (await reportRow(before.trackingId)).events;

    // Half an hour later the Balikpapan coordinator enters Wednesday 8 July as a regional holiday.
    const edited = at('2026-07-06T09:30:00+08:00');
    const coordBpn = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    const cal = await coordBpn.get('/kantor/admin/kalender?tahun=2026');
    expect(cal.html).toContain('Tenggat laporan yang sedang berjalan di wilayah itu langsung dihitung ulang');
    const add = await coordBpn.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: '2026-07-08',
      name: HOLIDAY,
      regionCode: '64.71',
    });
    expect(add.status).toBe(303);
    // before (verification), verified (follow-up and completion) moved: 3 clocks.
    expect(add.location).toMatch(/^\/kantor\/admin\/kalender\?tahun=2026&selesai=1&dihitung=3(&|$)/);
    expect((await coordBpn.get(add.location!)).html).toContain('Tenggat yang dihitung ulang: 3.');

    // A report filed the same day after the edit gets the same due date as the one filed before it.
    const after = await submit('64.71.01', 'Lampu jalan padam di Balikpapan Kota');
    for (const r of [before, after]) {
      const d = await apiDue(r.trackingId);
      expect(d.dueAt, r.trackingId).toBe(wita('2026-07-10'));
      expect(d.explanation).toContain(HOLIDAY);
      // The countdown (current calendar: Tue 7, Thu 9, Fri 10) agrees with the stored date.
      expect(await staffDeadline(staff, r.trackingId)).toBe(
        'Verifikasi: batas 10 Juli 2026 (3 hari kerja lagi)',
      );
    }
    const moved = await reportRow(before.trackingId);
    expect(moved.due_at.toISOString()).toBe(new Date(wita('2026-07-10')).toISOString());
    expect(moved.updated_at.toISOString()).toBe(edited.toISOString()); // the statistics refresh picks it up
    expect(moved.events).toBe(eventsBefore); // nothing on the timeline
    const [clock] = await clocksOf(before.trackingId);
    expect(clock!.due_at.toISOString()).toBe(new Date(wita('2026-07-10')).toISOString());
    expect(clock!.explanation.id).toContain(`8 Jul ${HOLIDAY} (libur daerah)`);

    // Samarinda is not in the region: untouched.
    expect((await apiDue(other.trackingId)).dueAt).toBe(wita('2026-07-09'));
    expect(await staffDeadline(staff, other.trackingId)).toBe(
      'Verifikasi: batas 9 Juli 2026 (3 hari kerja lagi)',
    );
    expect((await reportRow(other.trackingId)).updated_at.toISOString()).not.toBe(edited.toISOString());

    // The stopped verification clock keeps its due date; the running follow-up moves to Tuesday 14 July and the
    // report shows it.
    const verifiedAfter = await clocksOf(verified.trackingId);
    expect(verifiedAfter.find((c) => c.id === stopped.id)).toEqual(stopped);
    expect(verifiedAfter.find((c) => c.clock === 'follow_up')!.due_at.toISOString()).toBe(
      new Date(wita('2026-07-14')).toISOString(),
    );
    expect((await apiDue(verified.trackingId)).dueAt).toBe(wita('2026-07-14'));
    expect(await staffDeadline(staff, verified.trackingId)).toBe(
      'Tindak lanjut: batas 14 Juli 2026 (5 hari kerja lagi)',
    );

    // Removing the holiday moves them back.
    const listed = await coordBpn.get('/kantor/admin/kalender?tahun=2026');
    const rm = await coordBpn.post('/kantor/admin/kalender/hapus', {
      _csrf: csrfOf(listed.html),
      date: '2026-07-08',
      regionCode: '64.71',
    });
    expect(rm.status).toBe(303);
    expect(rm.location).toMatch(/^\/kantor\/admin\/kalender\?tahun=2026&selesai=1&dihitung=4(&|$)/);
    for (const r of [before, after]) {
      const d = await apiDue(r.trackingId);
      expect(d.dueAt, r.trackingId).toBe(wita('2026-07-09'));
      expect(d.explanation).not.toContain(HOLIDAY);
      expect(await staffDeadline(staff, r.trackingId)).toBe(
        'Verifikasi: batas 9 Juli 2026 (3 hari kerja lagi)',
      );
    }
    expect((await apiDue(verified.trackingId)).dueAt).toBe(wita('2026-07-13'));
    expect((await clocksOf(verified.trackingId)).find((c) => c.id === stopped.id)).toEqual(stopped);
    expect((await apiDue(other.trackingId)).dueAt).toBe(wita('2026-07-09'));
    expect((await reportRow(before.trackingId)).events).toBe(eventsBefore);
  });

  it('a national edit (API) reaches every zone; a clock whose window misses the date is not rewritten', async () => {
    at('2026-07-06T10:00:00+08:00');
    const national = await t.login(DEMO.national);
    const add = await t.api('/api/v1/holidays', {
      json: { date: '2026-07-07', name: 'Libur nasional uji', kind: 'libur_nasional_khusus' },
      token: national,
    });
    expect(add.status).toBe(201);
    // Every verification clock filed on 6 July now ends a working day later (Fri 10 July).
    for (const r of [before, other])
      expect((await apiDue(r.trackingId)).dueAt).toBe('2026-07-10T23:59:59.999+08:00');
    const removed = await t.api('/api/v1/holidays/2026-07-07', { method: 'DELETE', token: national });
    expect(removed.status).toBe(200);
    for (const r of [before, other])
      expect((await apiDue(r.trackingId)).dueAt).toBe('2026-07-09T23:59:59.999+08:00');

    // A date after every due date (and one before every start) changes nothing, and the query says so.
    const svc = t.runtime.services;
    for (const date of ['2026-09-01', '2026-06-01'])
      expect(
        await svc.db.transaction((tx) => recomputeRunningClocks(tx, { date, regionCode: null }, svc.now())),
      ).toBe(0);
    // A holiday on a Saturday inside a window changes the explanation only (the day was not counted anyway).
    const coord = { actor: await actorFor(svc.db, (await userId(DEMO.balikpapanCoordinator))!) };
    const dueBefore = (await clocksOf(verified.trackingId)).map((c) => c.due_at.toISOString());
    const saturday = {
      date: '2026-07-11',
      name: 'Sabtu daerah uji',
      kind: 'regional',
      regionCode: '64.71',
    } as const;
    // verified: follow-up (due Mon 13) and completion; `before` is due on the 9th, before the date.
    expect((await upsertHoliday(svc, coord, saturday)).recomputed).toBe(2);
    const verifiedNow = await clocksOf(verified.trackingId);
    expect(verifiedNow.map((c) => c.due_at.toISOString())).toEqual(dueBefore);
    expect(verifiedNow.find((c) => c.clock === 'follow_up')!.explanation.id).toContain(
      '11 Jul Sabtu daerah uji',
    );
    expect((await upsertHoliday(svc, coord, saturday)).recomputed).toBe(0); // the same again: nothing to do
  });
});

async function userId(email: string): Promise<string | undefined> {
  const [u] = await query<{ id: string }>(
    t.runtime.services.db,
    sql`select id from users where email = ${email}`,
  );
  return u?.id;
}
