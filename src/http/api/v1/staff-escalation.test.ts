/**
 * Staff hand-off to Ombudsman over the JSON API: a coordinator (or national admin) records a consent the reporter
 * gave by phone or letter, once the hand-off is open; `allowedActions` offers `escalate` only from then; an anonim
 * reporter's identity stays out of the hand-off package; the reporter's own path is unchanged.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { signInWeb } from '../../../../test/helpers/web-client.ts';
import { handoffPackage } from '../../../queries/handoff-package.ts';

const START = new Date('2026-12-02T02:00:00Z');
const NOTE = 'Pelapor menyetujui melalui telepon 12/12/2026';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: START });
});
afterAll(() => t?.close());

/** Files a report with an access key (so the reporter can act too). */
async function file(title: string, extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang.`,
      regionCode: '64.72.02',
      reporter: { name: 'Dewi Anggraini', email: 'dewi@contoh.aduan.id', phone: '081234567890' },
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

const escalate = (id: string, json: unknown, auth: { token?: string; accessKey?: string }) =>
  t.api(`/api/v1/reports/${id}/actions/escalate`, { json, ...auth });

/** The coordinator's allowedActions: from the report (GET) and from an action's answer (a note), which must agree. */
let notes = 0;
async function coordinatorActions(id: string): Promise<string[]> {
  const token = await t.login(DEMO.coordinator);
  const r = await actOk(t, id, 'note', { body: `Dipantau oleh koordinator (${++notes}).` }, { token });
  const got = await t.api(`/api/v1/reports/${id}`, { token });
  expect(got.body.allowedActions).toEqual(r.body.allowedActions);
  return r.body.allowedActions as string[];
}

describe('staff transfer to Ombudsman with the reporter consent recorded', () => {
  it('refuses before the hand-off opens, with availableFrom, and does not offer escalate until then', async () => {
    t.setNow(START);
    const { trackingId } = await file('Lampu jalan padam di Jalan Juanda sejak sebulan');
    const coord = await t.login(DEMO.coordinator);
    const early = await escalate(trackingId, { consent: true, note: NOTE }, { token: coord });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(early.body.error.code).toBe('ESCALATION_NOT_DUE');
    const availableFrom = early.body.error.params.availableFrom as string;
    expect(availableFrom).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000\+08:00$/);
    // Not due is the answer first, whatever else is missing.
    const earlyBare = await escalate(trackingId, { consent: true }, { token: coord });
    expect(earlyBare.body.error.code).toBe('ESCALATION_NOT_DUE');

    const before = await coordinatorActions(trackingId);
    expect(before).toContain('note');
    expect(before).not.toContain('escalate');

    // One millisecond before it opens: still closed; at availableFrom: offered.
    t.setNow(new Date(new Date(availableFrom).getTime() - 1));
    expect(await coordinatorActions(trackingId)).not.toContain('escalate');
    t.setNow(new Date(availableFrom));
    expect(await coordinatorActions(trackingId)).toContain('escalate');
    t.setNow(START);
  });

  it('refuses a staff transfer without the consent record (note) or without consent: true, in both languages', async () => {
    t.setNow(START);
    const { trackingId } = await file('Saluran air tersumbat di Jalan Pahlawan');
    t.setNow(new Date('2027-02-15T02:00:00Z'));
    try {
      const coord = await t.login(DEMO.coordinator);
      const noNote = await escalate(trackingId, { consent: true }, { token: coord });
      expect(noNote.status, JSON.stringify(noNote.body)).toBe(422);
      expect(noNote.body.error.code).toBe('VALIDATION_FAILED');
      expect(noNote.body.error.fields.note).toContain('telepon');
      expect(noNote.body.error.translations.en.fields.note).toContain('Record how the reporter agreed');
      const short = await escalate(trackingId, { consent: true, note: 'telepon' }, { token: coord });
      expect(short.status).toBe(422);
      expect(Object.keys(short.body.error.fields)).toEqual(['note']);
      const blank = await escalate(trackingId, { consent: true, note: '          ' }, { token: coord });
      expect(blank.status).toBe(422);
      expect(blank.body.error.fields.note).toBeTruthy();
      const tooLong = await escalate(trackingId, { consent: true, note: 'x'.repeat(2001) }, { token: coord });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.error.fields.note).toBeTruthy();
      const noConsent = await escalate(trackingId, { note: NOTE }, { token: coord });
      expect(noConsent.status).toBe(422);
      expect(noConsent.body.error.fields.consent).toBeTruthy();
      const falseConsent = await escalate(trackingId, { consent: false, note: NOTE }, { token: coord });
      expect(falseConsent.status).toBe(422);
      // Nothing changed.
      const still = await t.api(`/api/v1/reports/${trackingId}`, { token: coord });
      expect(still.body.status).toBe('submitted');
    } finally {
      t.setNow(START);
    }
  });

  it('transfers when due with consent and note: transferred, event records consentVia staff and who', async () => {
    t.setNow(START);
    const { trackingId } = await file('Jalan berlubang di depan SD Negeri 012 Samarinda');
    t.setNow(new Date('2027-02-15T02:00:00Z'));
    try {
      const coord = await t.login(DEMO.coordinator);
      const me = await t.api('/api/v1/auth/me', { token: coord });
      expect(me.status).toBe(200);
      const ok = await escalate(trackingId, { consent: true, note: `  ${NOTE}  ` }, { token: coord });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.trackingId).toBe(trackingId);
      expect(ok.body.status).toBe('transferred');
      expect(ok.body.allowedActions).not.toContain('escalate');
      const events = await t.api(`/api/v1/reports/${trackingId}/events`, { token: coord });
      const ev = (events.body.items as any[]).find((e) => e.type === 'escalate');
      // The consent record is staff-only data: no text on the public timeline or in the Ombudsman package.
      expect(ev).toMatchObject({
        toStatus: 'transferred',
        body: null,
        actor: { role: 'coordinator' },
        data: { consentVia: 'staff', shareIdentity: false, consentNote: NOTE },
      });
      const publicEvents = await t.api(`/api/v1/reports/${trackingId}/events`);
      expect(publicEvents.status).toBe(200);
      expect(JSON.stringify(publicEvents.body)).not.toContain(NOTE);
      expect(ev.data.consentRecordedBy).toBeTruthy();
      expect(ev.data.consentRecordedBy).toBe(me.body.user.id);
      // Twice is a closed report: 409, not a second hand-off.
      const again = await escalate(trackingId, { consent: true, note: NOTE }, { token: coord });
      expect(again.status).toBe(409);
      // The package goes without the identity: the reporter did not ask for it to be shared.
      const pkg = await handoffPackage(t.runtime.services, trackingId);
      expect(pkg).toMatchObject({ identityShared: false, reporter: null });
      expect(pkg!.timeline.find((e) => e.type === 'escalate')?.body).toBeNull();
      expect(JSON.stringify(pkg)).not.toContain(NOTE);
    } finally {
      t.setNow(START);
    }
  });

  it('an anonim report: staff may not share the identity, and the hand-off package carries none', async () => {
    t.setNow(START);
    const { trackingId } = await file('Pungutan liar pada pengurusan akta kelahiran', { anonymous: true });
    // With the agency, whose staff read the timeline (internal data included) but never the reporter.
    await verifyReport(
      t,
      await t.login(DEMO.coordinator),
      trackingId,
      'pupr-kaltim',
      await categoryIdByName(t),
    );
    t.setNow(new Date('2027-02-15T02:00:00Z'));
    try {
      const national = await t.login(DEMO.national);
      const refused = await escalate(
        trackingId,
        { consent: true, note: NOTE, shareIdentity: true },
        { token: national },
      );
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error.fields.shareIdentity).toContain('anonim');
      expect(refused.body.error.translations.en.fields.shareIdentity).toContain(
        "reporter's identity stays hidden",
      );
      // A consent record naming the reporter stays with staff.
      const named = 'Ibu Dewi menyetujui melalui telepon 081234567890 pada 15 Februari 2027.';
      const ok = await escalate(trackingId, { consent: true, note: named }, { token: national });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('transferred');
      const publicEvents = await t.api(`/api/v1/reports/${trackingId}/events`);
      expect(JSON.stringify(publicEvents.body)).not.toMatch(/Dewi|081234567890/);
      const pkg = await handoffPackage(t.runtime.services, trackingId);
      expect(pkg).toMatchObject({ anonymous: true, identityShared: false, reporter: null });
      expect(JSON.stringify(pkg)).not.toMatch(/Dewi|dewi@|081234567890/);
      // The Ombudsman account does not see the reporter either, nor do the agency's staff: not in the report, not in
      // the consent record on the timeline (JSON or back-office page); the national admin still reads the record.
      for (const who of [DEMO.ombudsman, DEMO.puprAdmin, DEMO.puprOfficer]) {
        const token = await t.login(who);
        const seen = await t.api(`/api/v1/reports/${trackingId}`, { token });
        expect(seen.status, who).toBe(200);
        expect(JSON.stringify(seen.body), who).not.toMatch(/Dewi|dewi@|081234567890/);
        const events = await t.api(`/api/v1/reports/${trackingId}/events`, { token });
        expect(events.status, who).toBe(200);
        const escalated = (events.body.items as any[]).find((e) => e.type === 'escalate');
        // The agency admin reads the staff data of the event (so the check below is not vacuous), without the note.
        if (who === DEMO.puprAdmin) expect(escalated.data.consentVia).toBe('staff');
        expect(JSON.stringify(events.body), who).not.toMatch(/Dewi|dewi@|081234567890/);
        const path = who === DEMO.ombudsman ? '/kantor/ombudsman/laporan/' : '/kantor/laporan/';
        const page = await (await signInWeb(t.url, who)).get(path + trackingId);
        expect(page.status, who).toBe(200);
        expect(page.html, who).not.toMatch(/Dewi|dewi@|081234567890/);
      }
      // The national admin reads the record: how the consent was given, without the reporter's own name and number
      // (stored masked: event data is not sealed, the identity is, on the report).
      const consentViews = async () =>
        (
          (await t.runtime.services.db.execute(
            sql`select count(*)::int as n from pii_access_log l join reports r on r.id = l.report_id
                 where r.tracking_id = ${trackingId} and l.purpose = 'api.report.events.consent_note'`,
          )) as unknown as { rows: Array<{ n: number }> }
        ).rows[0]!.n;
      // The agency's reads above (no note given) were not logged as views of reporter data; this one is.
      expect(await consentViews()).toBe(0);
      const nationalEvents = await t.api(`/api/v1/reports/${trackingId}/events`, { token: national });
      expect(await consentViews()).toBe(1);
      const record = (nationalEvents.body.items as any[]).find((e) => e.type === 'escalate').data.consentNote;
      expect(record).toBe(
        'Ibu [nama-disembunyikan] menyetujui melalui telepon [telepon-disembunyikan] pada 15 Februari 2027.',
      );
      const { rows } = (await t.runtime.services.db.execute(
        sql`select e.data::text as data from report_events e join reports r on r.id = e.report_id
             where r.tracking_id = ${trackingId} and e.type = 'escalate'`,
      )) as unknown as { rows: Array<{ data: string }> };
      expect(rows[0]!.data).not.toMatch(/Dewi|081234567890/);
    } finally {
      t.setNow(START);
    }
  });

  it('a non-anonim report: the identity goes only when shareIdentity: true is sent', async () => {
    t.setNow(START);
    const { trackingId } = await file('Trotoar rusak di Jalan Basuki Rahmat');
    t.setNow(new Date('2027-02-15T02:00:00Z'));
    try {
      const coord = await t.login(DEMO.coordinator);
      const ok = await escalate(
        trackingId,
        { consent: true, note: NOTE, shareIdentity: true },
        { token: coord },
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const pkg = await handoffPackage(t.runtime.services, trackingId);
      expect(pkg).toMatchObject({ identityShared: true, reporter: { name: 'Dewi Anggraini' } });
    } finally {
      t.setNow(START);
    }
  });

  it('others holding no escalate right cannot transfer; the reporter path is unchanged (no note needed)', async () => {
    t.setNow(START);
    const { trackingId, accessKey } = await file('Pohon tumbang menutup Jalan Ahmad Yani');
    t.setNow(new Date('2027-02-15T02:00:00Z'));
    try {
      const other = await escalate(
        trackingId,
        { consent: true, note: NOTE },
        { token: await t.login(DEMO.balikpapanCoordinator) },
      );
      expect([403, 404]).toContain(other.status);
      const citizen = await escalate(
        trackingId,
        { consent: true, note: NOTE },
        { token: await t.login(DEMO.citizen) },
      );
      expect([403, 404]).toContain(citizen.status);
      const ok = await escalate(trackingId, { consent: true }, { accessKey });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('transferred');
      const events = await t.api(`/api/v1/reports/${trackingId}/events`, {
        token: await t.login(DEMO.coordinator),
      });
      const ev = (events.body.items as any[]).find((e) => e.type === 'escalate');
      expect(ev.data).toMatchObject({ consentVia: 'reporter', shareIdentity: false });
      expect(ev.data.consentRecordedBy).toBeUndefined();
    } finally {
      t.setNow(START);
    }
  });
});
