/**
 * Who hears about what (issue 4 "events that notify"), over a real database, a real SMTP server, a local
 * SMS gateway (body template + bearer auth) and a local Ombudsman endpoint: submitted (private link with
 * the access key, reporter only, in the reporter's language), hold with the question, supplement, verify,
 * dispose, return, interim and final follow-ups, auto-close, reminder/overdue/ladder (staff, coordinator),
 * transfer with and without identity, walk-in SMS, one confirmation per email or SMS filing; in-app notifications and the unread badge, preferences
 * and the daily digest, /metrics and the delivery log. Anonymous identity never reaches staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startHttpReceiver, startSmtp } from '../../test/helpers/receivers.ts';
import { DEMO_PASSWORD } from '../../test/global-setup.ts';
import { smsGateway, smtpMailer } from '../integrations/delivery.ts';
import { submitReport } from '../commands/submit-report.ts';
import { receiveEmail } from '../commands/receive-email.ts';
import { receiveSms } from '../commands/receive-sms.ts';
import { enqueueDigests } from '../commands/enqueue-digests.ts';
import { systemCaller } from '../app/context.ts';
import { runSweep } from './sweeper.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let gw: Awaited<ReturnType<typeof startHttpReceiver>>;
let omb: Awaited<ReturnType<typeof startHttpReceiver>>;
let worker: Worker;
let categoryId: number;
const TEMPLATE = '{"msisdn":"{to}","message":"{text}","ref":"{idempotencyKey}","sender":"ADUAN"}';
const REPORTER = { name: 'Rina Kartika', email: 'rina.k@contoh.aduan.id', phone: '081377788899' };
const SECRETS = [REPORTER.name, 'Rina', REPORTER.email, REPORTER.phone, '81377788899'];
const START = new Date('2026-03-12T02:00:00Z');

const rows = async (q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;
const userId = async (email: string) => (await rows(sql`select id from users where email = ${email}`))[0].id;
const mailsTo = (addr: string) => smtp.unique().filter((m) => m.to.includes(addr));
const act = async (
  id: string,
  action: string,
  json: unknown,
  auth: { token?: string; accessKey?: string },
) => {
  const r = await t.api(`/api/v1/reports/${id}/actions/${action}`, { json, ...auth });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  await worker.drain();
  return r;
};
async function submit(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jembatan kayu rusak di Loa Janan',
      body: 'Papan jembatan kayu di Loa Janan patah di beberapa titik sehingga berbahaya bagi pejalan kaki.',
      regionCode: '64.72.02',
      targetAgencyId: 'pupr-kaltim',
      ...extra,
    },
    headers,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await worker.drain();
  return r.body as { trackingId: string; accessKey: string };
}
function expectNoIdentity(texts: string[]) {
  for (const s of texts) for (const secret of SECRETS) expect(s).not.toContain(secret);
}

beforeAll(async () => {
  t = await startTestApp({ now: START });
  smtp = await startSmtp();
  gw = await startHttpReceiver();
  omb = await startHttpReceiver();
  worker = await startWorker(t.runtime.services, {
    transports: {
      mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>'),
      sms: smsGateway(gw.url, 'sms-secret', { auth: 'bearer:gw-token-123', template: TEMPLATE }),
      ombudsmanEndpoint: `${omb.url}/handoff`,
    },
    autoStart: false,
    sweepEveryMs: 0,
  });
  categoryId = await categoryIdByName(t);
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await gw?.close();
  await omb?.close();
  await t?.close();
});

describe('events that notify', () => {
  let report: { trackingId: string; accessKey: string };

  it('submitted: the reporter (in English, remembered) gets the private link with the key; staff never do', async () => {
    report = await submit({ anonymous: true, reporter: REPORTER }, { 'accept-language': 'en-US,en;q=0.9' });
    const [lang] = await rows(
      sql`select reporter_lang from reports where tracking_id = ${report.trackingId}`,
    );
    expect(lang.reporter_lang).toBe('en');
    const [mail] = mailsTo(REPORTER.email);
    expect(mail!.subject).toContain(report.trackingId);
    expect(mail!.text).toContain('Your report was received');
    expect(mail!.text).not.toContain('Laporan Anda diterima'); // one language: the reporter's
    const link = `${t.url}/lacak/${report.trackingId}?k=${encodeURIComponent(report.accessKey)}`;
    expect(mail!.text).toContain(link);
    expect(mail!.text).toMatch(/will be verified by \d{1,2} March 2026 at \d{2}:\d{2} WITA\./);
    expect(mail!.text).toContain('Please do not reply'); // web-filed: a reply could not join the thread
    // The link's key really opens the report as its reporter.
    const key = new URL(link).searchParams.get('k')!;
    expect((await t.api(`/api/v1/reports/${report.trackingId}`, { accessKey: key })).status).toBe(200);

    // SMS: exact request built from the template, with bearer auth, ≤ 160 chars, number + private link.
    expect(gw.posts).toHaveLength(1);
    const sms = gw.posts[0]!;
    expect(sms.headers.authorization).toBe('Bearer gw-token-123');
    expect(Object.keys(sms.body)).toEqual(['msisdn', 'message', 'ref', 'sender']);
    expect(sms.body).toMatchObject({ msisdn: REPORTER.phone, sender: 'ADUAN' });
    expect(sms.body.ref).toBe(sms.headers['idempotency-key']);
    expect(sms.body.message).toContain(report.trackingId);
    expect(sms.body.message).toContain(`?k=${encodeURIComponent(report.accessKey)}`);
    expect(sms.body.message.length).toBeLessThanOrEqual(160);

    // Verifiers of the chosen agency: email without the key or identity, plus an in-app notification.
    const staff = smtp.unique().filter((m) => !m.to.includes(REPORTER.email));
    expect(staff.map((m) => m.to)).toContain(DEMO.puprAdmin);
    for (const m of staff) expect(m.text + m.subject).not.toContain(report.accessKey);
    expectNoIdentity(staff.map((m) => m.subject + m.text));
    const token = await t.login(DEMO.puprAdmin);
    const list = await t.api('/api/v1/notifications', { token });
    expect(list.status).toBe(200);
    expect(list.body.unread).toBe(1);
    expect(list.body.items[0]).toMatchObject({ kind: 'submit', trackingId: report.trackingId, readAt: null });
    expectNoIdentity([JSON.stringify(list.body)]);
    // The sealed key lives only in the event row's payload, never in clear anywhere in the outbox.
    const all = await rows(sql`select payload::text as p from outbox`);
    for (const r of all) expect(r.p).not.toContain(report.accessKey);
  });

  it('hold (with the question) → supplement → verify → dispose: each audience once', async () => {
    const coord = await t.login(DEMO.coordinator);
    await act(
      report.trackingId,
      'hold',
      { question: 'Mohon sebutkan RT dan patokan terdekat.' },
      { token: coord },
    );
    const hold = mailsTo(REPORTER.email).at(-1)!;
    expect(hold.text).toContain('Mohon sebutkan RT dan patokan terdekat.');
    expect(hold.text).toContain('on hold');
    expect(hold.text).not.toContain('?k='); // later messages carry the plain link
    const before = mailsTo(DEMO.puprAdmin).length;
    await act(
      report.trackingId,
      'supplement',
      { body: 'RT 05, dekat masjid Al-Ikhlas.' },
      { accessKey: report.accessKey },
    );
    expect(mailsTo(DEMO.puprAdmin).length).toBe(before + 1); // verifiers hear about the supplement
    await act(report.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('verified');
    const admin = await t.login(DEMO.puprAdmin);
    await act(report.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: admin });
    expect(mailsTo(DEMO.puprOfficer).some((m) => m.subject.includes(report.trackingId))).toBe(true);
    // Each key delivered once per recipient.
    const keys = smtp.mails.map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("the conversation: the reporter's reply reaches the agency, a staff message the reporter, not a citizen's comment", async () => {
    const officer = await t.login(DEMO.puprOfficer);
    const citizen = await t.login(DEMO.citizen);
    const toReporter = mailsTo(REPORTER.email).length;
    const toOfficer = mailsTo(DEMO.puprOfficer).length;
    await act(report.trackingId, 'comment', { body: 'Papan mana yang paling parah?' }, { token: officer });
    expect(mailsTo(REPORTER.email)).toHaveLength(toReporter + 1);
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('A staff member wrote a message');
    await act(
      report.trackingId,
      'comment',
      { body: 'Yang di tengah, dekat tiang lampu. Salam, Rina Kartika 081377788899' },
      { accessKey: report.accessKey },
    );
    const reply = mailsTo(DEMO.puprOfficer);
    expect(reply).toHaveLength(toOfficer + 1);
    expect(reply.at(-1)!.text).toContain('Pelapor membalas pesan');
    expectNoIdentity([reply.at(-1)!.subject + reply.at(-1)!.text]);
    const inApp = await t.api('/api/v1/notifications', { token: officer });
    expect(inApp.body.items[0]).toMatchObject({ kind: 'reporter_reply', trackingId: report.trackingId });
    // Another citizen's comment on the public report notifies nobody by email.
    const all = smtp.unique().length;
    await act(
      report.trackingId,
      'comment',
      { body: 'Saya juga melihat jembatan itu rusak.' },
      { token: citizen },
    );
    expect(smtp.unique()).toHaveLength(all);
  });

  it('a reply before dispatch reaches the verifiers', async () => {
    const r = await submit({ anonymous: true, reporter: REPORTER });
    const coord = await t.login(DEMO.coordinator);
    await act(r.trackingId, 'hold', { question: 'Di RT berapa?' }, { token: coord });
    await act(r.trackingId, 'supplement', { body: 'RT 07.' }, { accessKey: r.accessKey });
    const before = mailsTo(DEMO.puprAdmin).length;
    await act(r.trackingId, 'comment', { body: 'Tambahan: dekat pos ronda.' }, { accessKey: r.accessKey });
    expect(mailsTo(DEMO.puprAdmin)).toHaveLength(before + 1);
    expect(mailsTo(DEMO.puprAdmin).at(-1)!.text).toContain(r.trackingId);
  });

  it('returned: the verifiers and the reporter are told', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const n = mailsTo(REPORTER.email).length;
    await act(
      report.trackingId,
      'return',
      { note: 'Bukan wewenang unit ini, mohon dialihkan.' },
      { token: admin },
    );
    expect(mailsTo(REPORTER.email)).toHaveLength(n + 1);
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('sent back');
    // The report left the agency: the region's coordinator (and national admins) verify it again.
    const toVerifier = mailsTo(DEMO.coordinator).at(-1)!;
    expect(toVerifier.text).toContain('dikembalikan');
    expectNoIdentity(
      smtp
        .unique()
        .filter((m) => !m.to.includes(REPORTER.email))
        .map((m) => m.text),
    );
  });

  it('interim and final follow-ups, then auto-close after 10 working days without reply', async () => {
    const coord = await t.login(DEMO.coordinator);
    // PUPR returned it above: sending it there again is a deliberate, confirmed choice.
    await act(
      report.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim', confirmRedispatch: true },
      { token: coord },
    );
    const admin = await t.login(DEMO.puprAdmin);
    await act(
      report.trackingId,
      'respond',
      { body: 'Tim akan meninjau lokasi minggu ini.', final: false },
      { token: admin },
    );
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('new follow-up');
    await act(
      report.trackingId,
      'respond',
      { body: 'Papan jembatan sudah diganti.', final: true },
      { token: admin },
    );
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('final follow-up');
    t.setNow(new Date('2026-05-04T02:00:00Z'));
    const actions = await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    expect(actions.find((a) => a.trackingId === report.trackingId && a.action === 'auto_close')?.result).toBe(
      'done',
    );
    await worker.drain();
    expect(mailsTo(REPORTER.email).at(-1)!.text).toContain('closed automatically');
    expect(mailsTo(DEMO.puprAdmin).at(-1)!.text).toContain('selesai otomatis');
    t.setNow(START);
  });

  it('reminder and overdue go to staff; the ladder reaches the coordinator and the national admin', async () => {
    const r = await submit({ reporter: { name: 'Budi', email: 'budi@contoh.aduan.id' } });
    const coord = await t.login(DEMO.coordinator);
    await act(r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const admin = await t.login(DEMO.puprAdmin);
    await act(r.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: admin });
    const [d] = await rows(
      sql`select d.due_at from report_deadlines d join reports r on r.id = d.report_id
          where r.tracking_id = ${r.trackingId} and d.stopped_at is null and d.clock = 'follow_up'`,
    );
    const due = new Date(d.due_at);
    const reporterBefore = mailsTo('budi@contoh.aduan.id').length;
    t.setNow(new Date(due.getTime() - 60_000));
    await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    await worker.drain();
    const reminder = mailsTo(DEMO.puprOfficer).at(-1)!;
    expect(reminder.text).toContain('Pengingat');
    expect(reminder.text).toContain(r.trackingId);
    // The clock by its name and the deadline as a date and time in the report's zone, not codes.
    expect(reminder.text).toMatch(/\(Tindak lanjut\) jatuh pada \d{1,2} \w+ 2026 pukul \d{2}\.\d{2} WITA/);
    expect(reminder.text).not.toContain('follow_up');
    t.setNow(new Date(due.getTime() + 40 * 86_400_000));
    await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    await worker.drain();
    expect(
      mailsTo(DEMO.puprOfficer).some(
        (m) => m.text.includes('melewati tenggat') && m.text.includes(r.trackingId),
      ),
    ).toBe(true);
    expect(
      mailsTo(DEMO.coordinator).some(
        (m) => m.text.includes('Eskalasi tingkat 3') && m.text.includes(r.trackingId),
      ),
    ).toBe(true);
    expect(
      mailsTo(DEMO.national).some(
        (m) => m.text.includes('Eskalasi tingkat 4') && m.text.includes(r.trackingId),
      ),
    ).toBe(true);
    // Staff-only events never reach the reporter.
    expect(mailsTo('budi@contoh.aduan.id').length).toBeGreaterThanOrEqual(reporterBefore);
    expect(
      mailsTo('budi@contoh.aduan.id').some((m) => /Pengingat|Eskalasi|melewati tenggat/.test(m.text)),
    ).toBe(false);
    t.setNow(START);
  });

  it('transferred: the Ombudsman package holds the identity only when the reporter allowed it', async () => {
    const shared = await submit({ reporter: { name: 'Dewi Lestari', email: 'dewi@contoh.aduan.id' } });
    const hidden = await submit({ reporter: { name: 'Joko Santoso', email: 'joko@contoh.aduan.id' } });
    t.setNow(new Date('2026-08-03T02:00:00Z'));
    await act(
      shared.trackingId,
      'escalate',
      { consent: true, shareIdentity: true },
      { accessKey: shared.accessKey },
    );
    await act(hidden.trackingId, 'escalate', { consent: true }, { accessKey: hidden.accessKey });
    const pkg = (id: string) => omb.posts.find((p) => p.body.trackingId === id)!.body;
    expect(pkg(shared.trackingId)).toMatchObject({
      identityShared: true,
      reporter: { name: 'Dewi Lestari' },
    });
    expect(pkg(hidden.trackingId)).toMatchObject({ identityShared: false, reporter: null });
    expect(JSON.stringify(pkg(hidden.trackingId))).not.toContain('Joko');
    // The identity that left for the Ombudsman is logged as a disclosure; the hidden one is not.
    const logged = await rows(
      sql`select r.tracking_id from pii_access_log l join reports r on r.id = l.report_id
          where l.purpose = 'ombudsman.handoff' and l.user_id is null`,
    );
    expect(logged.map((l: any) => l.tracking_id)).toEqual([shared.trackingId]);
    expect(mailsTo('dewi@contoh.aduan.id').at(-1)!.text).toContain('Ombudsman');
    const [ev] = await rows(
      sql`select e.data from report_events e join reports r on r.id = e.report_id
          where r.tracking_id = ${hidden.trackingId} and e.type = 'escalate'`,
    );
    expect(ev.data.shareIdentity).toBe(false);
    t.setNow(START);
  });

  it('walk-in: the citizen gets the tracking number by SMS', async () => {
    const svc = t.runtime.services;
    const officer = (await rows(sql`select id from users where email = ${DEMO.puprOfficer}`))[0].id;
    const caller = { ...systemCaller('test'), actor: { userId: officer, grants: [] } };
    const { report: r } = await submitReport(svc, caller, {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di Sempaja',
      body: 'Saluran drainase di Sempaja tersumbat sampah sehingga air meluap ke jalan saat hujan.',
      regionCode: '64.72.02',
      channel: 'walk_in',
      recordedBy: officer,
      reporter: { name: 'Pak Darto', phone: '085211122233' },
    });
    await worker.drain();
    const sms = gw.posts.filter((p) => p.body.msisdn === '085211122233');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body.message).toContain(r.row.trackingId);
    expect(sms[0]!.body.message).toContain('?k=');
    expect(sms[0]!.body.message.length).toBeLessThanOrEqual(160);
  });

  it('filed by email: one confirmation (the submitted message, with verify-by); later events still email', async () => {
    const svc = t.runtime.services;
    const address = 'warga.email@contoh.aduan.id';
    const filed = await receiveEmail(svc, {
      messageId: '<notify-email-1@contoh.aduan.id>',
      from: { address, name: 'Warga Email' },
      to: ['lapor@aduan.test'],
      subject: 'Trotoar rusak di Samarinda',
      text: 'Trotoar di depan pasar Segiri rusak dan membahayakan pejalan kaki.',
      attachments: [],
    });
    expect(filed.outcome).toBe('filed');
    const trackingId = filed.trackingId!;
    await worker.drain();
    const [mail, ...more] = mailsTo(address);
    expect(more).toHaveLength(0); // no separate channel reply
    expect(mail!.idempotencyKey).toMatch(/:email:reporter$/);
    expect(mail!.subject).toContain(trackingId);
    expect(mail!.text).toContain(`${t.url}/lacak/${trackingId}?k=`);
    expect(mail!.text).toMatch(/paling lambat \d{1,2} Maret 2026 pukul \d{2}\.\d{2} WITA\./);
    expect(mail!.text).toContain('Balas email ini');
    const national = await t.login(DEMO.national);
    await act(trackingId, 'hold', { question: 'Di sisi jalan yang mana?' }, { token: national });
    expect(mailsTo(address)).toHaveLength(2);
    expect(mailsTo(address)[1]!.text).toContain('Di sisi jalan yang mana?');
  });

  it('filed by SMS: the channel reply is the one confirmation (no submitted SMS), as before', async () => {
    const filed = await receiveSms(t.runtime.services, {
      messageId: 'notify-sms-1',
      from: '081299988877',
      text: 'PUPR Gorong-gorong ambrol di Samarinda',
    });
    expect(filed.outcome).toBe('filed');
    await worker.drain();
    const sms = gw.posts.filter((p) => p.body.msisdn === '6281299988877');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body.message).toContain(filed.trackingId!);
    expect(sms[0]!.body.ref).toMatch(/^sms-reply:/);
  });
});

describe('in-app, preferences and digest', () => {
  it('marks notifications read and shows the unread badge in the back office', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const before = await t.api('/api/v1/notifications', { token });
    expect(before.body.unread).toBeGreaterThan(0);
    const login = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.puprAdmin, password: DEMO_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await fetch(`${t.url}/kantor`, { headers: { cookie, accept: 'text/html' } });
    expect(await page.text()).toContain(`Notifikasi (${before.body.unread} belum dibaca)`);
    const list = await fetch(`${t.url}/kantor/notifikasi`, { headers: { cookie, accept: 'text/html' } });
    const html = await list.text();
    expect(list.status).toBe(200);
    expectNoIdentity([html]);
    const first = before.body.items[0].id;
    const r = await t.api('/api/v1/notifications/read', { json: { ids: [first] }, token });
    expect(r.body).toMatchObject({ marked: 1, unread: before.body.unread - 1 });
    const all = await t.api('/api/v1/notifications/read', { json: { all: true }, token });
    expect(all.body.unread).toBe(0);
    expect((await t.api('/api/v1/notifications', { token })).body.unread).toBe(0);
    expect((await t.api('/api/v1/notifications')).status).toBe(401);
  });

  it('a digest user gets no per-event email but one digest per day (key digest:<user>:<date>)', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const bad = await t.api('/api/v1/notifications/preferences', {
      method: 'PUT',
      json: { email: false, sms: false, inApp: false, digest: false },
      token,
    });
    expect(bad.status).toBe(422);
    const put = await t.api('/api/v1/notifications/preferences', {
      method: 'PUT',
      json: { email: true, sms: false, inApp: true, digest: true, lang: 'en' },
      token,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const before = mailsTo(DEMO.puprAdmin).length;
    const r = await submit({ anonymous: true, reporter: REPORTER });
    expect(mailsTo(DEMO.puprAdmin)).toHaveLength(before); // no per-event email
    const id = await userId(DEMO.puprAdmin);
    const day = '2026-03-12';
    expect(await enqueueDigests(t.runtime.services, day)).toBe(1);
    expect(await enqueueDigests(t.runtime.services, day)).toBe(0); // idempotent
    await worker.drain();
    const digest = mailsTo(DEMO.puprAdmin).at(-1)!;
    expect(digest.idempotencyKey).toBe(`digest:${id}:${day}`);
    expect(digest.subject).toContain('daily digest');
    expect(digest.text).toContain(r.trackingId);
    expectNoIdentity([digest.text]);
    await t.api('/api/v1/notifications/preferences', {
      method: 'PUT',
      json: { email: true, sms: false, inApp: true, digest: false, lang: 'id' },
      token,
    });
  });
});

describe('channel preferences', () => {
  it('a staff member chooses channels: in-app only gets no email; email only gets no in-app row', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const prefs = async (json: Record<string, unknown>) => {
      const r = await t.api('/api/v1/notifications/preferences', { method: 'PUT', json, token });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    const unread = async () => (await t.api('/api/v1/notifications?limit=100', { token })).body;
    try {
      await prefs({ email: false, sms: false, inApp: true, digest: false, lang: 'id' });
      const mails = mailsTo(DEMO.puprAdmin).length;
      const before = (await unread()).unread;
      const a = await submit({ reporter: { name: 'Pak Preferensi', email: 'pref@contoh.aduan.id' } });
      expect(mailsTo(DEMO.puprAdmin)).toHaveLength(mails);
      const inApp = await unread();
      expect(inApp.unread).toBe(before + 1);
      expect(JSON.stringify(inApp.items)).toContain(a.trackingId);

      await prefs({ email: true, sms: false, inApp: false, digest: false, lang: 'id' });
      const b = await submit({ reporter: { name: 'Bu Preferensi', email: 'pref2@contoh.aduan.id' } });
      const got = mailsTo(DEMO.puprAdmin).slice(mails);
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain(b.trackingId);
      const after = await unread();
      expect(after.unread).toBe(inApp.unread);
      expect(JSON.stringify(after.items)).not.toContain(b.trackingId);
      // The reporter of both still got their own message.
      expect(
        mailsTo('pref2@contoh.aduan.id')
          .map((m) => m.text)
          .join(),
      ).toContain(b.trackingId);
    } finally {
      await prefs({ email: true, sms: false, inApp: true, digest: false, lang: 'id' });
    }
  });
});

describe('operations', () => {
  it('/metrics exposes queue depth, failures per channel, latency and overdue per agency', async () => {
    await t.runtime.services.db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key, status, last_error)
          values ('sms.reply', 'sms', 'x', '{}', 'test:metrics:dead', 'dead', 'HTTP 400')`,
    );
    t.setNow(new Date('2026-06-01T02:00:00Z'));
    const res = await fetch(`${t.url}/metrics`);
    const text = await res.text();
    t.setNow(START);
    expect(text).toMatch(/aduan_outbox_queue_depth\{channel="sms",status="dead"\} 1/);
    expect(text).toMatch(/aduan_outbox_failed\{channel="sms"\} 1/);
    expect(text).toMatch(/aduan_overdue_reports\{agency="[a-z-]+"\} \d+/);
    expect(text).toContain('aduan_outbox_delivery_seconds_bucket');
    expect(text).toContain('# TYPE aduan_outbox_delivery_latency_seconds gauge');
  });

  it('delivery log: staff in scope see labels, never an anonymous reporter’s contact; others get 404', async () => {
    const [r] = await rows(
      sql`select tracking_id from reports where anonymous and title = 'Jembatan kayu rusak di Loa Janan' order by created_at limit 1`,
    );
    const cookieOf = async (email: string) => {
      const login = await fetch(`${t.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      return login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
    const path = `/kantor/laporan/${r.tracking_id}/pengiriman`;
    const res = await fetch(t.url + path, {
      headers: { cookie: await cookieOf(DEMO.puprAdmin), accept: 'text/html' },
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<td>Pelapor</td>');
    expect(html).toContain('notify.submit');
    expect(html).toContain('terkirim');
    // Times carry their zone, the report's (WITA for Loa Janan, Kutai Kartanegara), as on the report page.
    expect(html).toMatch(/<td>\d{1,2} \w+ 2026 pukul \d{2}\.\d{2} WITA<\/td>/);
    expectNoIdentity([html]);
    const other = await fetch(t.url + path, {
      headers: { cookie: await cookieOf(DEMO.dinkesAdmin), accept: 'text/html' },
    });
    expect([403, 404]).toContain(other.status);
  });
});

describe('SMS length', () => {
  it('every SMS this file sent fits in one part (three when it names the reply to send) and names its report', () => {
    const texts = [...new Set(gw.posts.map((p) => p.body.message as string))];
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts) {
      // A hold question or the TERIMA/TOLAK/OMBUDSMAN reply may take a concatenated SMS of up to 3 parts.
      const limit = /\b(INFO|TERIMA|OMBUDSMAN) \d{10}\b/.test(text) ? 459 : 160;
      expect(text.length, text).toBeLessThanOrEqual(limit);
      expect(text, text).toMatch(/^[\x20-\x7e\n]*$/); // GSM-7 friendly: no character that forces UCS-2
      expect(text, text).toMatch(/\b\d{10}\b|\b\d{4}-\d{4}-\d{2}\b/);
    }
  });
});
