/**
 * Mail and SMS queued while no transport was configured are put off by an hour ("kept pending"). When the operator
 * configures SMTP (or the SMS gateway) and restarts, the new worker releases them at once, channel by channel,
 * over the real local SMTP server and HTTP gateway.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startHttpReceiver, startSmtp } from '../../test/helpers/receivers.ts';
import { smsGateway, smtpMailer } from '../integrations/delivery.ts';
import { startWorker } from './worker.ts';

const REPORTER = { name: 'Dewi Lestari', email: 'dewi.lestari@contoh.aduan.id', phone: '081377788899' };
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let gw: Awaited<ReturnType<typeof startHttpReceiver>>;

const rows = async (q: ReturnType<typeof sql>) =>
  ((await t.runtime.services.db.execute(q)) as unknown as { rows: any[] }).rows;
const byChannel = (channel: string) =>
  rows(
    sql`select status, attempts, last_error, next_attempt_at from outbox
        where channel = ${channel} and recipient = 'reporter' order by id`,
  );

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  smtp = await startSmtp();
  gw = await startHttpReceiver();
});
afterAll(async () => {
  await smtp?.close();
  await gw?.close();
  await t?.close();
});

describe('rows kept pending without a transport', () => {
  it('go out as soon as a worker with the transport starts, channel by channel', async () => {
    const svc = t.runtime.services;
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Drainase tersumbat di Jalan Pahlawan',
        body: 'Saluran drainase di Jalan Pahlawan tersumbat sampah sehingga air meluap ke jalan setiap hujan.',
        regionCode: '64.72.02',
        categoryId: await categoryIdByName(t),
        reporter: REPORTER,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);

    // A worker started before SMTP and the SMS gateway were configured.
    const bare = await startWorker(svc, { transports: {}, autoStart: false, sweepEveryMs: 0 });
    await bare.drain();
    await bare.stop();
    const hour = svc.now().getTime() + 3_600_000;
    for (const channel of ['email', 'sms']) {
      const [row] = await byChannel(channel);
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.last_error).toBe(`no ${channel} transport configured; kept pending`);
      expect(new Date(row.next_attempt_at).getTime()).toBe(hour);
    }

    // SMTP configured, restart: the email goes out at once; the SMS still waits for its gateway.
    const logs: string[] = [];
    const withMail = await startWorker(svc, {
      transports: { mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>') },
      autoStart: false,
      sweepEveryMs: 0,
      log: (l) => logs.push(l),
    });
    await withMail.drain();
    await withMail.stop();
    expect(
      logs.some((l) => /^outbox: \d+ messages kept pending without a transport released$/.test(l)),
      logs.join('\n'),
    ).toBe(true);
    const mails = smtp.unique().filter((m) => m.to.includes(REPORTER.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`/lacak/${r.body.trackingId}?k=`);
    expect((await byChannel('email'))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    const [sms] = await byChannel('sms');
    expect(sms).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(sms.next_attempt_at).getTime()).toBe(hour);
    expect(gw.posts).toHaveLength(0);

    // The SMS gateway configured too.
    const withSms = await startWorker(svc, {
      transports: { sms: smsGateway(gw.url, 'gateway-secret') },
      autoStart: false,
      sweepEveryMs: 0,
    });
    // Released at start: due now, its reason saying so (the delivery clears it).
    const [released] = await byChannel('sms');
    expect(released.last_error).toBe(
      'no sms transport configured; kept pending (released: transport configured)',
    );
    expect(new Date(released.next_attempt_at).getTime()).toBe(svc.now().getTime());
    await withSms.drain();
    await withSms.stop();
    expect(gw.posts.map((p) => p.body.to)).toEqual([REPORTER.phone]);
    const [sent] = await byChannel('sms');
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.unique().filter((m) => m.to.includes(REPORTER.email))).toHaveLength(1); // not sent twice
  });

  it('a row put off for another reason (a failed attempt’s backoff) is left alone', async () => {
    const svc = t.runtime.services;
    const later = new Date(svc.now().getTime() + 600_000).toISOString();
    await svc.db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key, attempts, last_error, next_attempt_at)
          values ('email.reply', 'email', 'kantor@contoh.aduan.id', '{"subject":"s","text":"t"}', 'test:backoff:1',
                  1, 'connection refused', ${later}::timestamptz)`,
    );
    const w = await startWorker(svc, {
      transports: { mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>') },
      autoStart: false,
      sweepEveryMs: 0,
    });
    await w.drain();
    await w.stop();
    const [row] = await rows(
      sql`select status, next_attempt_at, last_error from outbox where idempotency_key = 'test:backoff:1'`,
    );
    expect(row.status).toBe('pending');
    expect(new Date(row.next_attempt_at).toISOString()).toBe(later);
    expect(row.last_error).toBe('connection refused');
  });
});
