/**
 * Drives reports through every path of the status table over real HTTP with the demo accounts,
 * on PGlite (default) or PostgreSQL (DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
let categoryId: number;

const base = {
  classification: 'pengaduan',
  title: 'Jalan rusak di depan pasar',
  body: 'Jalan di depan pasar rusak parah dan berlubang, membahayakan pengendara motor setiap hari.',
  regionCode: '64.72.02',
  reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id', phone: '081234567890' },
};

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', { json: { ...base, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as {
    trackingId: string;
    accessKey: string;
    url: string;
    deadline: { dueAt: string; explanation: string };
  };
}

async function act(id: string, action: string, body: unknown, auth: { token?: string; accessKey?: string }) {
  return t.api(`/api/v1/reports/${id}/actions/${action}`, { json: body, ...auth });
}

beforeAll(async () => {
  // Thursday 2026-03-12 10:00 WITA; Nyepi (2026-03-19) and Idul Fitri 2026 fall in the following weeks.
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

describe('the report lifecycle over the API', () => {
  it('submit → verify → dispose → interim → final → accept (completed)', async () => {
    const r = await submit();
    expect(r.trackingId).toMatch(/^\d{10}$/);
    expect(r.url).toContain(`/lacak/${r.trackingId}?k=`);
    expect(r.deadline.dueAt).toBe('2026-03-17T23:59:59.999+08:00');
    expect(r.deadline.explanation).toContain('3 hari kerja');

    const coord = await t.login(DEMO.coordinator);
    let res = await act(r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('dispatched');
    expect(res.body.agency.id).toBe('pupr-kaltim');
    expect(res.body.deadline.clock).toBe('follow_up');

    const admin = await t.login(DEMO.puprAdmin);
    res = await act(
      r.trackingId,
      'dispose',
      { unitId: 'pupr-kaltim-unit', note: 'Mohon ditinjau.' },
      { token: admin },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('dispatched');
    expect(res.body.agency.id).toBe('pupr-kaltim-unit');

    const officer = await t.login(DEMO.puprOfficer);
    res = await act(
      r.trackingId,
      'respond',
      { body: 'Tim sudah meninjau lokasi.', final: false },
      { token: officer },
    );
    expect(res.body.status).toBe('in_progress');
    expect(res.body.deadline.clock).toBe('completion');
    res = await act(
      r.trackingId,
      'respond',
      { body: 'Lubang sudah ditambal.', final: true },
      { token: officer },
    );
    expect(res.body.status).toBe('responded');
    expect(res.body.deadline.clock).toBe('reporter_window');

    res = await act(
      r.trackingId,
      'accept',
      { rating: 5, comment: 'Terima kasih' },
      { accessKey: r.accessKey },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('completed');
    expect(res.body.deadline).toBeNull();

    const events = await t.api(`/api/v1/reports/${r.trackingId}/events`, { accessKey: r.accessKey });
    expect(events.body.items.map((e: any) => e.type)).toEqual([
      'submit',
      'verify',
      'dispose',
      'respond',
      'respond',
      'accept',
    ]);
  });

  it('hold → supplement → verify → return (bukan wewenang) → re-verify → final → dispute → final', async () => {
    const r = await submit();
    const coord = await t.login(DEMO.coordinator);
    let res = await act(
      r.trackingId,
      'hold',
      { question: 'Mohon sebutkan nama jalannya.' },
      { token: coord },
    );
    expect(res.body.status).toBe('on_hold');
    expect(res.body.deadline.clock).toBe('hold_reply');
    res = await act(
      r.trackingId,
      'supplement',
      { body: 'Jalan Slamet Riyadi dekat pasar.' },
      { accessKey: r.accessKey },
    );
    expect(res.body.status).toBe('submitted');
    res = await act(r.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });
    expect(res.body.status).toBe('dispatched');

    t.setNow(new Date('2026-03-16T02:00:00Z')); // Monday: 2 working days later
    const dinkes = await t.login(DEMO.dinkesAdmin);
    res = await act(
      r.trackingId,
      'return',
      { note: 'Ini kewenangan Dinas PUPR.', suggestedAgencyId: 'pupr-kaltim' },
      { token: dinkes },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('returned');
    expect(res.body.agency).toBeNull();

    const national = await t.login(DEMO.national);
    const full = await t.api(`/api/v1/reports/${r.trackingId}`, { token: national });
    expect(full.body.misroutedWorkingDays).toBe(2);
    expect(full.body.returnCount).toBe(1);

    res = await act(
      r.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: await t.login(DEMO.coordinator) },
    );
    expect(res.body.status).toBe('dispatched');
    const admin = await t.login(DEMO.puprAdmin);
    res = await act(r.trackingId, 'respond', { body: 'Sudah diperbaiki.', final: true }, { token: admin });
    expect(res.body.status).toBe('responded');
    res = await act(
      r.trackingId,
      'dispute',
      { reason: 'Belum diperbaiki sama sekali.' },
      { accessKey: r.accessKey },
    );
    expect(res.body.status).toBe('in_progress');
    expect(res.body.deadline.clock).toBe('follow_up');
    res = await act(
      r.trackingId,
      'respond',
      { body: 'Perbaikan tuntas, foto terlampir.', final: true },
      { token: admin },
    );
    expect(res.body.status).toBe('responded');
    t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('archives a duplicate with a link to the kept report', async () => {
    const kept = await submit();
    const dup = await submit();
    const coord = await t.login(DEMO.coordinator);
    let res = await act(dup.trackingId, 'archive', { reason: 'duplicate' }, { token: coord });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.duplicateOf).toBeTruthy();
    res = await act(
      dup.trackingId,
      'archive',
      { reason: 'duplicate', duplicateOf: kept.trackingId },
      { token: coord },
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('archived');
    expect(res.body.archiveReason).toBe('duplicate');
    const ev = await t.api(`/api/v1/reports/${dup.trackingId}/events`, { accessKey: dup.accessKey });
    expect(ev.body.items.at(-1).data.duplicateOf).toBe(kept.trackingId);
  });

  it('never archives a report into a closed report, or into one the verifier cannot see', async () => {
    const closed = await submit();
    const dup = await submit();
    const elsewhere = await submit({ regionCode: '31.71.01' }); // DKI Jakarta: not the Kaltim coordinator's
    const coord = await t.login(DEMO.coordinator);
    await act(closed.trackingId, 'archive', { reason: 'too_general' }, { token: coord });
    const into = (duplicateOf: string) =>
      act(dup.trackingId, 'archive', { reason: 'duplicate', duplicateOf }, { token: coord });
    let res = await into(closed.trackingId);
    expect(res.status).toBe(422);
    expect(res.body.error.fields.duplicateOf).toContain('sudah ditutup');
    expect(res.body.error.translations.en.fields.duplicateOf).toContain('already closed');
    const merge = await t.api(`/api/v1/reports/${dup.trackingId}/actions/merge`, {
      json: { keepTrackingId: closed.trackingId },
      token: coord,
    });
    expect(merge.status).toBe(422);
    expect(merge.body.error.fields.keepTrackingId).toContain('sudah ditutup');
    // Hidden from this verifier: the same answer as a number that does not exist.
    const unknown = await into('1000000001');
    expect(unknown.status).toBe(422);
    res = await into(elsewhere.trackingId);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(unknown.body);
    const still = await t.api(`/api/v1/reports/${dup.trackingId}`, { token: coord });
    expect(still.body.status).toBe('submitted');
  });

  it('a duplicate of a confidential report does not tell its reporter the kept number; staff still see it', async () => {
    const kept = await submit({ confidential: true });
    const dup = await submit();
    const coord = await t.login(DEMO.coordinator);
    const res = await act(
      dup.trackingId,
      'archive',
      { reason: 'duplicate', duplicateOf: kept.trackingId },
      { token: coord },
    );
    expect(res.status).toBe(200);
    const mine = await t.api(`/api/v1/reports/${dup.trackingId}/events`, { accessKey: dup.accessKey });
    expect(mine.body.items.at(-1).data).toEqual({ reason: 'duplicate' });
    expect(JSON.stringify(mine.body)).not.toContain(kept.trackingId);
    const staff = await t.api(`/api/v1/reports/${dup.trackingId}/events`, { token: coord });
    expect(staff.body.items.at(-1).data.keptTrackingId).toBe(kept.trackingId);
  });

  it('escalates to Ombudsman only past the threshold and with consent', async () => {
    const r = await submit();
    const coord = await t.login(DEMO.coordinator);
    await act(r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    let res = await act(r.trackingId, 'escalate', { consent: true }, { accessKey: r.accessKey });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ESCALATION_NOT_DUE');
    res = await act(r.trackingId, 'escalate', { consent: false }, { accessKey: r.accessKey });
    expect(res.status).toBe(422);
    t.setNow(new Date('2026-07-01T02:00:00Z'));
    res = await act(
      r.trackingId,
      'escalate',
      { consent: true, note: 'Sudah 3 bulan.' },
      { accessKey: r.accessKey },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('transferred');
    const omb = await t.login(DEMO.ombudsman);
    const seen = await t.api(`/api/v1/reports/${r.trackingId}`, { token: omb });
    expect(seen.status).toBe(200);
    t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('answers 409 for illegal transitions and 403 for the wrong role', async () => {
    const r = await submit();
    const admin = await t.login(DEMO.puprAdmin);
    const coord = await t.login(DEMO.coordinator);
    let res = await act(r.trackingId, 'accept', { rating: 4 }, { accessKey: r.accessKey });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ILLEGAL_TRANSITION');
    res = await act(r.trackingId, 'respond', { body: 'Tidak boleh.', final: true }, { token: coord });
    expect(res.status).toBe(403);
    res = await act(r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: admin });
    expect(res.status).toBe(404); // not in the PUPR admin's scope: hidden, not forbidden
  });

  it('counts one support per device and per account', async () => {
    const r = await submit();
    const coord = await t.login(DEMO.coordinator);
    await act(r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const citizen = await t.login(DEMO.citizen);
    let res = await act(r.trackingId, 'support', {}, { token: citizen });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.supportCount).toBe(1);
    // `support` is no longer offered to whoever supports already (it would only answer 409), on the action's answer,
    // on the report and in the list; another device is still offered it.
    expect(res.body.allowedActions).not.toContain('support');
    const device = { cookie: 'aduan_device=device-aaaaaaaaaaaaaaaa' };
    const offered = async (auth: { token?: string; headers?: Record<string, string> }) => {
      const one = await t.api(`/api/v1/reports/${r.trackingId}`, auth);
      const list = await t.api('/api/v1/reports?pageSize=100', auth);
      const item = (list.body.items as Array<{ trackingId: string; allowedActions: string[] }>).find(
        (i) => i.trackingId === r.trackingId,
      );
      return [one.body.allowedActions.includes('support'), item?.allowedActions.includes('support')];
    };
    expect(await offered({ token: citizen })).toEqual([false, false]);
    expect(await offered({ headers: device })).toEqual([true, true]);
    res = await act(r.trackingId, 'support', {}, { token: citizen });
    expect(res.status).toBe(409);
    res = await t.api(`/api/v1/reports/${r.trackingId}/actions/support`, { json: {}, headers: device });
    expect(res.body.supportCount).toBe(2);
    expect(await offered({ headers: device })).toEqual([false, false]);
    expect(res.headers.get('set-cookie')).toBeNull(); // the device already has its cookie
    // A device without a cookie gets one only when a command needs it: a support, not a submission.
    const submitted = await t.api('/api/v1/reports', {
      json: {
        classification: 'aspirasi',
        title: 'Lampu taman kota',
        body: 'Mohon taman kota di kelurahan kami diberi lampu tambahan agar aman pada malam hari.',
        regionCode: '64.72.01',
        anonymous: true,
      },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.headers.get('set-cookie')).toBeNull();
    res = await t.api(`/api/v1/reports/${r.trackingId}/actions/support`, { json: {} });
    expect(res.body.supportCount).toBe(3);
    expect(res.headers.get('set-cookie')).toMatch(/^aduan_device=[A-Za-z0-9_-]{16,64};.*HttpOnly/i);
  });
});
