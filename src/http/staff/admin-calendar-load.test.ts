/**
 * Loading the national holidays of a year the SKB has not set yet on `/kantor/admin/kalender` (real database, real
 * HTTP): the national admin loads 2027 (certain dates confirmed, bundled predictions tentative), a running deadline
 * over a 2027 holiday moves and its explanation marks the prediction, a second load adds nothing, one prediction is
 * confirmed, then the whole year; coordinators and officers cannot load (403).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, submitReport, type TestApp } from '../../../test/helpers/app.ts';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { csrfOf, signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
const log = auditLog(() => t);
beforeAll(async () => {
  // Wednesday 30 December 2026 (WITA): the 2027 calendar is empty in the test database.
  t = await startTestApp({ now: new Date('2026-12-30T02:00:00Z') });
});
afterAll(() => t?.close());

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function holidays2027() {
  return rows<{ date: string; name: string; tentative: boolean }>(
    sql`select date::text as date, name, tentative from holidays
        where region_code is null and date between '2027-01-01' and '2027-12-31' order by date`,
  );
}

async function clockOf(trackingId: string) {
  const [d] = await rows<{ due_at: string | Date; explanation: { id: string; en: string } }>(
    sql`select d.due_at, d.explanation from report_deadlines d join reports r on r.id = d.report_id
        where r.tracking_id = ${trackingId} and d.stopped_at is null`,
  );
  return { dueAt: new Date(d!.due_at).toISOString(), explanation: d!.explanation };
}

async function postOn(c: WebClient, page: string, action: string, form: Record<string, string>) {
  const p = await c.get(page);
  expect(p.status).toBe(200);
  return c.post(action, { _csrf: csrfOf(p.html), ...form });
}

describe('loading the holidays of 2027', () => {
  it('coordinators and officers cannot load or confirm', async () => {
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get('/kantor/admin/kalender?tahun=2027');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('/kantor/admin/kalender/muat');
    const csrf = csrfOf(page.html);
    expect((await coord.post('/kantor/admin/kalender/muat', { _csrf: csrf, year: '2027' })).status).toBe(403);
    expect(
      (await coord.post('/kantor/admin/kalender/konfirmasi', { _csrf: csrf, year: '2027' })).status,
    ).toBe(403);
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    const queue = await officer.get('/kantor');
    expect(
      (await officer.post('/kantor/admin/kalender/muat', { _csrf: csrfOf(queue.html), year: '2027' })).status,
    ).toBe(403);
    expect(await holidays2027()).toEqual([]);
  });

  it('loads certain dates and predictions, moves a running deadline, and a second load adds nothing', async () => {
    const tracking = await submitReport(t, 'Jalan berlubang di depan sekolah dasar', { anonymous: true });
    const before = await clockOf(tracking);
    const nat = await signInWeb(t.url, DEMO.national);
    const page = await nat.get('/kantor/admin/kalender?tahun=2027');
    expect(page.html).toContain('Muat hari libur 2027');
    const since = await log.lastId();
    const r = await nat.post('/kantor/admin/kalender/muat', { _csrf: csrfOf(page.html), year: '2027' });
    expect(r.status).toBe(303);
    const rowsNow = await holidays2027();
    expect(rowsNow).toHaveLength(19);
    expect(rowsNow.filter((h) => h.tentative)).toHaveLength(11);
    expect(rowsNow.find((h) => h.date === '2027-01-01')).toMatchObject({ tentative: false });
    expect(rowsNow.find((h) => h.date === '2027-01-05')).toMatchObject({ tentative: true });
    expect(rowsNow.find((h) => h.date === '2027-12-25')).toMatchObject({
      name: 'Kelahiran Yesus Kristus (Natal) / Isra Mikraj Nabi Muhammad S.A.W.',
      tentative: false,
    });
    // The clock started on 30 December skips 1 January (certain) and 5 January (predicted Isra Mikraj).
    const after = await clockOf(tracking);
    expect(after.dueAt).not.toBe(before.dueAt);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(after.explanation.id).toContain('Tahun Baru 2027 Masehi (libur nasional)');
    expect(after.explanation.id).toContain('Isra Mikraj Nabi Muhammad S.A.W. (libur nasional, perkiraan');
    expect(after.explanation.en).toContain('prediction: not yet set by the SKB');
    const [entry] = await log.entriesAfter(since);
    expect(entry).toMatchObject({ action: 'holiday.load', target_id: '2027' });
    expect(entry!.details).toMatchObject({ year: 2027, added: 19, tentative: 11 });
    expect(Number(entry!.details.recomputed)).toBeGreaterThan(0);
    const logPage = await nat.get('/kantor/admin/log?kelompok=holiday');
    expect(logPage.html).toContain('memuat hari libur nasional 2027: 19 ditambahkan (11 perkiraan)');

    const shown = await nat.get(r.location!);
    expect(shown.html).toMatch(
      /Hari libur dimuat: 19 ditambahkan, 11 di antaranya perkiraan\. Tenggat dihitung ulang: [1-9]/,
    );
    expect(shown.html.match(/class="tag tag-yellow"/g)).toHaveLength(11);
    // The year is complete: no more load button, the warning counts the predictions.
    expect(shown.html).not.toContain('/kantor/admin/kalender/muat');
    expect(shown.html).toContain('Konfirmasi semua perkiraan 2027');
    const status = await t.api('/api/v1/calendar/status');
    expect(status.body.warning).toMatchObject({ year: 2027, tentative: 11 });
    expect(status.body.warning.message.id).toContain('11 perkiraan');
    const api = await t.api('/api/v1/holidays?year=2027');
    expect(api.body.items.find((h: any) => h.date === '2027-05-16')).toMatchObject({ tentative: true });
    expect(api.body.items.find((h: any) => h.date === '2027-05-01')).toMatchObject({ tentative: false });

    // A second load (the form posted again) adds nothing and moves nothing.
    const again = await nat.post('/kantor/admin/kalender/muat', { _csrf: csrfOf(shown.html), year: '2027' });
    expect(again.location).toContain('dimuat=0');
    expect(again.location).toContain('dihitung=0');
    expect(await holidays2027()).toEqual(rowsNow);
  });

  it('confirms one prediction, adding a date again confirms it, then confirm all of 2027', async () => {
    const nat = await signInWeb(t.url, DEMO.national);
    const page = '/kantor/admin/kalender?tahun=2027';
    const one = await postOn(nat, page, '/kantor/admin/kalender/konfirmasi', {
      year: '2027',
      date: '2027-01-05',
    });
    expect(one.status).toBe(303);
    expect((await holidays2027()).find((h) => h.date === '2027-01-05')).toMatchObject({ tentative: false });
    // The running clock's explanation no longer calls it a prediction.
    const notice = await nat.get(one.location!);
    expect(notice.html).toMatch(/Dikonfirmasi sesuai SKB: 1\. Tenggat dihitung ulang: [1-9]/);
    // Confirming it again: not a prediction any more.
    expect(
      (await postOn(nat, page, '/kantor/admin/kalender/konfirmasi', { year: '2027', date: '2027-01-05' }))
        .status,
    ).toBe(404);
    const add = await postOn(nat, page, '/kantor/admin/kalender', {
      date: '2027-05-17',
      name: 'Hari Raya Idul Adha 1448 Hijriyah',
      kind: 'libur_nasional',
    });
    expect(add.status).toBe(303);
    expect((await holidays2027()).find((h) => h.date === '2027-05-17')).toMatchObject({ tentative: false });
    const since = await log.lastId();
    const all = await postOn(nat, page, '/kantor/admin/kalender/konfirmasi', { year: '2027' });
    expect(all.status).toBe(303);
    expect(all.location).toContain('dikonfirmasi=9');
    expect((await holidays2027()).some((h) => h.tentative)).toBe(false);
    expect((await log.entriesAfter(since))[0]).toMatchObject({
      action: 'holiday.confirm',
      details: { year: 2027, confirmed: 9 },
    });
    const done = await nat.get(page);
    expect(done.html).not.toContain('class="tag tag-yellow"');
    expect(done.html).not.toContain('Konfirmasi semua perkiraan 2027');
    expect((await nat.get('/kantor/admin/log?kelompok=holiday&lang=en')).html).toContain(
      'confirmed 9 predicted 2027 national holidays as set by the SKB',
    );
    expect((await t.api('/api/v1/calendar/status')).body.warning).toBeNull();
  });

  it('for 2031 (beyond the bundled table) loads only the certain dates; a bad year is a field error', async () => {
    const nat = await signInWeb(t.url, DEMO.national);
    const r = await postOn(nat, '/kantor/admin/kalender?tahun=2031', '/kantor/admin/kalender/muat', {
      year: '2031',
    });
    expect(r.location).toContain('dimuat=8&perkiraan=0');
    const bad = await postOn(nat, '/kantor/admin/kalender?tahun=2031', '/kantor/admin/kalender/muat', {
      year: 'tahun depan',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('2000');
  });
});
