/**
 * Who hears about a merge and an assignment, over a real database, a real SMTP server and a local SMS
 * gateway: merging a duplicate tells the kept report's reporter (email and SMS, in their language) that another
 * report was merged into theirs and its supporters now count there, without anything about the other report
 * or its reporter; the duplicate's reporter gets the archive notice once and nothing else. Assigning a report
 * tells the assignee only (in-app and email by their preferences), never when staff assign themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startHttpReceiver, startSmtp } from '../../test/helpers/receivers.ts';
import { csrfOf, signInWeb } from '../../test/helpers/web-client.ts';
import { smsGateway, smtpMailer } from '../integrations/delivery.ts';
import { reporterMessage } from '../presenters/notification.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let gw: Awaited<ReturnType<typeof startHttpReceiver>>;
let worker: Worker;
let categoryId: number;
const KEPT = { name: 'Agus Prasetyo', email: 'agus.p@contoh.aduan.id', phone: '081355500011' };
const DUP = { name: 'Sri Wahyuni', email: 'sri.w@contoh.aduan.id', phone: '081355500022' };
const HIDDEN = { name: 'Ratna Anonim', email: 'ratna.anon@contoh.aduan.id', phone: '081355500033' };

const rows = async (q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;
const mailsTo = (addr: string) => smtp.unique().filter((m) => m.to.includes(addr));
const smsTo = (phone: string) => gw.posts.filter((p) => !p.duplicate && p.body.to === phone);
const secretsOf = (who: { name: string; email: string; phone: string }) => [
  who.name,
  who.email,
  who.phone,
  who.phone.slice(1),
];

async function submit(title: string, reporter: typeof KEPT, headers: Record<string, string> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang di wilayah ini.`,
      regionCode: '64.72.02',
      anonymous: true,
      reporter,
    },
    headers,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await worker.drain();
  return r.body as { trackingId: string; accessKey: string };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-11-03T02:00:00Z') });
  smtp = await startSmtp();
  gw = await startHttpReceiver();
  worker = await startWorker(t.runtime.services, {
    transports: {
      mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>'),
      sms: smsGateway(gw.url, 'sms-secret'),
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
  await t?.close();
});

describe('merge: both reporters told, each once', () => {
  it('the kept report’s reporter hears of the merge (email + SMS), nothing of the other reporter', async () => {
    const coord = await t.login(DEMO.coordinator);
    const kept = await submit('Lampu jalan padam di Jalan Pahlawan', KEPT);
    await actOk(t, kept.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const dup = await submit('Lampu penerangan jalan mati di Jalan Pahlawan', DUP);
    // Supporters of the duplicate (written directly: supports exist on public reports only).
    await t.runtime.services.db.execute(
      sql`insert into supports (report_id, supporter_key)
          select id, k from reports, unnest(array['device:merge-a', 'device:merge-b']) as k
           where tracking_id = ${dup.trackingId}`,
    );
    await t.runtime.services.db.execute(
      sql`update reports set support_count = 2 where tracking_id = ${dup.trackingId}`,
    );
    await worker.drain();
    const keptMails = mailsTo(KEPT.email).length;
    const keptSms = smsTo(KEPT.phone).length;
    const dupMails = mailsTo(DUP.email).length;
    const dupSms = smsTo(DUP.phone).length;
    const staffMails = smtp.unique().filter((m) => !m.to.includes('contoh.aduan.id')).length;

    const m = await t.api(`/api/v1/reports/${dup.trackingId}/actions/merge`, {
      // The note names the other reporter: it must not reach the kept report's reporter.
      json: { keepTrackingId: kept.trackingId, note: `Sama dengan laporan ${DUP.name}` },
      token: coord,
    });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body.supportersMoved).toBe(2);
    await worker.drain();

    // The kept report's reporter: one email and one SMS about the merge, in Indonesian (their language).
    const mails = mailsTo(KEPT.email).slice(keptMails);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe(`Laporan ${kept.trackingId}: Laporan duplikat digabungkan ke laporan ini`);
    expect(mail.text).toContain(
      `Laporan lain tentang masalah yang sama digabungkan ke laporan Anda ${kept.trackingId}: pendukungnya kini dihitung pada laporan Anda (2 dipindahkan)`,
    );
    expect(mail.text).toContain(`${t.url}/lacak/${kept.trackingId}`);
    expect(mail.text).not.toContain('?k=');
    const sms = smsTo(KEPT.phone).slice(keptSms);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body.text).toContain(kept.trackingId);
    expect(sms[0]!.body.text.length).toBeLessThanOrEqual(160);
    // Nothing about the duplicate or its reporter: not its number, name, contacts or the staff note.
    for (const s of [mail.subject, mail.text, sms[0]!.body.text]) {
      for (const secret of [dup.trackingId, 'Sama dengan', ...secretsOf(DUP)])
        expect(s).not.toContain(secret);
    }

    // The duplicate's reporter: the archive notice once (email + SMS), no merge message.
    const dupNew = mailsTo(DUP.email).slice(dupMails);
    expect(dupNew).toHaveLength(1);
    expect(dupNew[0]!.subject).toContain(dup.trackingId);
    // Told where the complaint lives on: the kept (public) report's number and its public page, not a rejection.
    expect(dupNew[0]!.text).toContain(
      `Laporan ${dup.trackingId} membahas masalah yang sama dengan laporan ${kept.trackingId}, sehingga digabungkan`,
    );
    expect(dupNew[0]!.text).toContain(`${t.url}/laporan/${kept.trackingId}`);
    expect(smsTo(DUP.phone).slice(dupSms)).toHaveLength(1);
    // Their tracking page says the same and links the kept report.
    const track = await fetch(`${t.url}/lacak/${dup.trackingId}?k=${dup.accessKey}`).then((r) => r.text());
    expect(track).toContain(`digabungkan ke sana`);
    expect(track).toContain(`href="/laporan/${kept.trackingId}"`);
    for (const s of [dupNew[0]!.text, dupNew[0]!.subject]) {
      for (const secret of secretsOf(KEPT)) expect(s).not.toContain(secret);
    }
    // The merge message goes to the kept report's reporter only: no staff email, no in-app row.
    const merge = await rows(
      sql`select o.channel, o.recipient, r.tracking_id from outbox o join reports r on r.id = o.report_id
           where o.kind = 'notify.merge' order by o.channel`,
    );
    expect(merge).toEqual([
      { channel: 'email', recipient: 'reporter', tracking_id: kept.trackingId },
      { channel: 'sms', recipient: 'reporter', tracking_id: kept.trackingId },
    ]);
    expect(await rows(sql`select id from notifications where kind = 'merge'`)).toEqual([]);
    expect(smtp.unique().filter((m) => !m.to.includes('contoh.aduan.id')).length).toBe(staffMails);
    // The outbox never holds the addresses in clear.
    for (const r of await rows(sql`select payload::text as p from outbox where kind = 'notify.merge'`)) {
      for (const secret of [...secretsOf(KEPT), ...secretsOf(DUP)]) expect(r.p).not.toContain(secret);
    }
  });

  it('the merge copy exists in English too', () => {
    const msg = reporterMessage(
      {
        trackingId: '2611030001',
        title: 'Lampu jalan padam',
        eventType: 'merge',
        eventBody: 'note',
        eventData: { mergedFrom: '2611030002', supportersMoved: 3 },
        link: 'https://aduan.test/lacak/2611030001',
      },
      'en',
    )!;
    expect(msg.subject).toBe('Report 2611030001: A duplicate report was merged into this one');
    expect(msg.text).toContain(
      'Another report about the same problem was merged into your report 2611030001: its supporters now count for yours (3 moved)',
    );
    expect(msg.text + msg.sms).not.toContain('2611030002');
    expect(msg.text + msg.sms).not.toContain('note');
  });
});

describe('archive as a duplicate of a confidential report', () => {
  it('tells the reporter the complaint was merged, without the kept report’s number (id, en)', () => {
    const facts = {
      trackingId: '2611030003',
      title: 'Lampu jalan padam',
      eventType: 'archive',
      eventBody: null,
      eventData: { reason: 'duplicate', keptTrackingId: '2611030004' },
      link: 'https://aduan.test/lacak/2611030003',
    };
    const id = reporterMessage(facts, 'id')!;
    expect(id.text).toContain('digabungkan ke laporan tersebut');
    const en = reporterMessage(facts, 'en')!;
    expect(en.text).toContain('Report 2611030003 is about the same problem as another report');
    expect(id.text + id.sms + en.text + en.sms).not.toContain('2611030004');
  });
});

describe('assign: the assignee is told, nobody else', () => {
  it('the officer gets an in-app notification and an email; self-assignment and preferences respected', async () => {
    const r = await submit('Trotoar berlubang di depan sekolah', HIDDEN);
    const coord = await t.login(DEMO.coordinator);
    await actOk(t, r.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const adminToken = await t.login(DEMO.puprAdmin);
    await actOk(t, r.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: adminToken });
    await worker.drain();
    const [officer] = await rows(sql`select id from users where email = ${DEMO.puprOfficer}`);
    const [admin] = await rows(sql`select id from users where email = ${DEMO.puprAdmin}`);
    const officerMails = mailsTo(DEMO.puprOfficer).length;
    const allMails = smtp.unique().length;
    const reporterSms = gw.posts.length;

    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const assign = async (assignee: string) => {
      const page = await web.get(`/kantor/laporan/${r.trackingId}`);
      expect(page.status).toBe(200);
      const res = await web.post(`/kantor/laporan/${r.trackingId}/assign`, {
        _csrf: csrfOf(page.html),
        assignee,
      });
      expect(res.status, /error-summary[\s\S]{0,600}/.exec(res.html)?.[0]).toBe(303);
      await worker.drain();
    };
    await assign(officer.id);

    // In-app: the officer's list shows the assignment, in words, without the reporter's identity.
    const officerToken = await t.login(DEMO.puprOfficer);
    const list = await t.api('/api/v1/notifications', { token: officerToken });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ kind: 'assign', trackingId: r.trackingId, readAt: null });
    expect(list.body.items[0].title).toBe(`Laporan ${r.trackingId}: Ditugaskan ke petugas`);
    // Email: one, to the officer.
    const mails = mailsTo(DEMO.puprOfficer).slice(officerMails);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(
      `Laporan ${r.trackingId} ditugaskan kepada Anda: Trotoar berlubang di depan sekolah`,
    );
    expect(mails[0]!.text).toContain(`${t.url}/kantor/laporan/${r.trackingId}`);
    // Nobody else: no other email or SMS, and the only in-app row is the officer's.
    expect(smtp.unique().length).toBe(allMails + 1);
    expect(gw.posts.length).toBe(reporterSms);
    expect(await rows(sql`select user_id from notifications where kind = 'assign'`)).toEqual([
      { user_id: officer.id },
    ]);
    for (const s of [JSON.stringify(list.body), mails[0]!.text, mails[0]!.subject]) {
      for (const secret of secretsOf(HIDDEN)) expect(s).not.toContain(secret);
    }

    // The admin assigns the report to themselves: nobody is told (they did it).
    await assign(admin.id);
    expect(await rows(sql`select user_id from notifications where kind = 'assign'`)).toHaveLength(1);
    expect(smtp.unique().length).toBe(allMails + 1);

    // Back to the officer, who now wants in-app notices only: no email this time.
    const prefs = await t.api('/api/v1/notifications/preferences', {
      method: 'PUT',
      json: { email: false, sms: false, inApp: true, digest: false, lang: 'id' },
      token: officerToken,
    });
    expect(prefs.status, JSON.stringify(prefs.body)).toBe(200);
    await assign(officer.id);
    expect(await rows(sql`select user_id from notifications where kind = 'assign'`)).toEqual([
      { user_id: officer.id },
      { user_id: officer.id },
    ]);
    expect(mailsTo(DEMO.puprOfficer).slice(officerMails)).toHaveLength(1);
    expect(smtp.unique().length).toBe(allMails + 1);
    const outbox = await rows(sql`select channel, recipient from outbox where kind = 'notify.assign'`);
    expect(outbox).toEqual([{ channel: 'email', recipient: `user:${officer.id}` }]);
  });
});
