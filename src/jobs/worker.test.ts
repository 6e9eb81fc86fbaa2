/**
 * The outbox worker over a real database with a real SMTP server and a local SMS gateway: fan-out,
 * bilingual copy, signatures, idempotency keys, retries and dead letters, and privacy of anonymous
 * reporters in staff notifications.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startHttpReceiver, startSmtp } from '../../test/helpers/receivers.ts';
import { smsGateway, smtpMailer } from '../integrations/delivery.ts';
import { startWorker, type Worker } from './worker.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let gw: Awaited<ReturnType<typeof startHttpReceiver>>;
let worker: Worker;
let categoryId: number;
const SECRET = 'gateway-test-secret';
const REPORTER = { name: 'Siti Rahmawati', email: 'siti.rahma@contoh.aduan.id', phone: '081298765432' };

const rows = async (q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  smtp = await startSmtp();
  gw = await startHttpReceiver();
  worker = await startWorker(t.runtime.services, {
    transports: {
      mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>'),
      sms: smsGateway(gw.url, SECRET),
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

describe('outbox delivery', () => {
  let trackingId: string;

  it('fans an anonymous submission out to the reporter (email + SMS) and the verifier, exactly once', async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan padam di Jalan Juanda',
        body: 'Lampu penerangan jalan di Jalan Juanda padam selama dua minggu sehingga rawan kecelakaan.',
        regionCode: '64.72.02',
        targetAgencyId: 'pupr-kaltim',
        anonymous: true,
        reporter: REPORTER,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    trackingId = r.body.trackingId;
    await worker.drain();
    await worker.drain(); // nothing more: idempotent

    const toReporter = smtp.mails.filter((m) => m.to.includes(REPORTER.email));
    expect(toReporter).toHaveLength(1);
    expect(toReporter[0]!.subject).toContain(trackingId);
    // One language: the reporter's (Indonesian by default), with the private link.
    expect(toReporter[0]!.text).toContain('Laporan Anda diterima');
    expect(toReporter[0]!.text).not.toContain('Your report was received');
    expect(toReporter[0]!.text).toContain(`/lacak/${trackingId}?k=`);
    expect(toReporter[0]!.messageId).toMatch(/@outbox\.aduan>$/);
    expect(toReporter[0]!.idempotencyKey).toMatch(/^event:[0-9a-f-]+:1:email:reporter$/);

    expect(gw.posts).toHaveLength(1);
    const sms = gw.posts[0]!;
    expect(Object.keys(sms.body).sort()).toEqual(['idempotencyKey', 'text', 'to']);
    expect(sms.body.to).toBe(REPORTER.phone);
    expect(sms.body.text).toContain(trackingId);
    expect(sms.body.text.length).toBeLessThanOrEqual(160);
    expect(sms.headers['idempotency-key']).toBe(sms.body.idempotencyKey);
    expect(sms.headers['x-aduan-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(sms.raw).digest('hex')}`,
    );

    const staff = smtp.mails.filter((m) => !m.to.includes(REPORTER.email));
    expect(staff.map((m) => m.to)).toContain(DEMO.puprAdmin);
    const status = await rows(
      sql`select channel, status, count(*)::int as n from outbox group by 1, 2 order by 1, 2`,
    );
    expect(status.every((s: any) => s.status === 'sent')).toBe(true);
  });

  it('never puts an anonymous reporter’s identity in an agency email or SMS (verify, dispose)', async () => {
    const coord = await t.login(DEMO.coordinator);
    const v = await t.api(`/api/v1/reports/${trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const admin = await t.login(DEMO.puprAdmin);
    const d = await t.api(`/api/v1/reports/${trackingId}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token: admin,
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    await worker.drain();
    const staff = smtp.mails.filter((m) => !m.to.includes(REPORTER.email));
    expect(staff.length).toBeGreaterThanOrEqual(2);
    expect(staff.map((m) => m.to)).toContain(DEMO.puprOfficer);
    const smsToStaff = gw.posts.filter((p) => p.body.to !== REPORTER.phone);
    for (const body of [...staff.map((m) => m.subject + m.text), ...smsToStaff.map((p) => p.raw)]) {
      expect(body).toContain(trackingId);
      for (const secret of [REPORTER.name, 'Siti', REPORTER.email, REPORTER.phone, '81298765432']) {
        expect(body).not.toContain(secret);
      }
      expect(body).not.toContain('?k='); // never the reporter's access key
    }
    // The reporter hears about the verification too (email + SMS), each once.
    expect(smtp.mails.filter((m) => m.to.includes(REPORTER.email))).toHaveLength(2);
    expect(gw.posts.filter((p) => p.body.to === REPORTER.phone)).toHaveLength(2);
  });

  it('stores no reporter address in clear in the outbox', async () => {
    const all = await rows(sql`select recipient, payload::text as p from outbox`);
    for (const r of all) {
      expect(`${r.recipient} ${r.p}`).not.toContain(REPORTER.email);
      expect(`${r.recipient} ${r.p}`).not.toContain(REPORTER.phone);
    }
  });

  it('retries with exponential backoff and dead-letters after the last attempt', async () => {
    const failing = await startHttpReceiver(() => 503);
    const w = await startWorker(t.runtime.services, {
      transports: { sms: smsGateway(failing.url, SECRET) },
      autoStart: false,
      sweepEveryMs: 0,
      maxAttempts: 3,
      baseBackoffMs: 1000,
    });
    const svc = t.runtime.services;
    await svc.db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key, next_attempt_at)
          values ('sms.reply', 'sms', '081200000001', '{"text":"uji"}', 'test:dead:1', ${svc.now().toISOString()}::timestamptz)`,
    );
    const start = svc.now().getTime();
    const seen: Array<{ attempts: number; status: string; next: number }> = [];
    for (let i = 0; i < 3; i++) {
      await w.drain();
      const [row] = await rows(
        sql`select attempts, status, next_attempt_at from outbox where idempotency_key = 'test:dead:1'`,
      );
      seen.push({
        attempts: row.attempts,
        status: row.status,
        next: new Date(row.next_attempt_at).getTime() - svc.now().getTime(),
      });
      t.clock.now = new Date(new Date(row.next_attempt_at).getTime() + 1);
    }
    t.clock.now = new Date(start);
    expect(seen.map((s) => s.status)).toEqual(['pending', 'pending', 'dead']);
    expect(seen[0]!.next).toBe(1000);
    expect(seen[1]!.next).toBe(2000);
    expect(failing.posts).toHaveLength(0);
    await w.stop();
    await failing.close();
  });

  it('a refusal quoting the reporter address or number is stored, shown and logged masked', async () => {
    const refusing = await startSmtp({ refuse: /^anon\.tolak@/ });
    const logged: string[] = [];
    const w = await startWorker(t.runtime.services, {
      transports: { mailer: smtpMailer(refusing.url, 'aduan <noreply@aduan.test>') },
      autoStart: false,
      sweepEveryMs: 0,
      maxAttempts: 1,
      log: (line: string) => logged.push(line),
    });
    const svc = t.runtime.services;
    const [report] = await rows(sql`select id, tracking_id from reports order by created_at limit 1`);
    await svc.db.execute(
      sql`insert into outbox (kind, channel, recipient, report_id, payload, idempotency_key, next_attempt_at)
          values ('notify.verify', 'email', 'reporter', ${report.id},
            ${JSON.stringify({ subject: 's', text: 't', recipientEnc: svc.sealer.seal('anon.tolak@contoh.aduan.id') })}::jsonb,
            'test:refused:1', ${svc.now().toISOString()}::timestamptz)`,
    );
    await w.drain();
    await w.stop();
    await refusing.close();
    const [row] = await rows(
      sql`select status, last_error from outbox where idempotency_key = 'test:refused:1'`,
    );
    expect(row.status).toBe('dead');
    expect(row.last_error).toContain('Recipient address rejected');
    expect(row.last_error).toContain('[email]');
    expect(row.last_error).not.toContain('anon.tolak');
    expect(logged.join('\n')).toContain('Recipient address rejected');
    expect(logged.join('\n')).not.toContain('anon.tolak');
    // The agency's delivery log page shows the masked text (and masks rows stored before the worker did).
    await svc.db.execute(
      sql`update outbox set last_error = '550 <lama@contoh.aduan.id> +62 812-9876-5432 rejected'
          where idempotency_key = 'test:refused:1'`,
    );
    const staff = await signInWeb(t.url, DEMO.national);
    const page = await staff.get(`/kantor/laporan/${report.tracking_id}/pengiriman`);
    const html = page.html;
    expect(page.status).toBe(200);
    expect(html).toContain('550 &lt;[email]> [nomor] rejected');
    expect(html).not.toMatch(/lama@|9876/);
  });

  it('keeps rows pending, attempts uncounted, when a channel has no transport', async () => {
    const w = await startWorker(t.runtime.services, { transports: {}, autoStart: false, sweepEveryMs: 0 });
    const svc = t.runtime.services;
    await svc.db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key, next_attempt_at)
          values ('email.reply', 'email', 'kantor@contoh.aduan.id', '{"subject":"s","text":"t"}', 'test:nosmtp:1', ${svc.now().toISOString()}::timestamptz)`,
    );
    await w.drain();
    const [row] = await rows(
      sql`select attempts, status, last_error from outbox where idempotency_key = 'test:nosmtp:1'`,
    );
    expect(row).toMatchObject({ attempts: 0, status: 'pending' });
    expect(row.last_error).toContain('no email transport');
    await w.stop();
  });
});
