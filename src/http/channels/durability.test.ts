/**
 * Inbound channels survive a crash half way (real HTTP, real SMTP, real database). The crash is made with two
 * triggers: storing the report's channel access fails (the point after the report is written, before the answer),
 * and deleting from inbound_messages fails too, as it would for a process that died and can clean nothing up. The
 * gateway's retry (same message id) and the sending MTA's retry must then file the complaint once, not be taken
 * for duplicates and lost; a mail the listener could not take is refused temporarily (451), so the MTA retries.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { startSmtpListener } from '../../cli/channels.ts';

const SMS_SECRET = 'sms-gateway-secret-uji';
const EMAIL_SECRET = 'email-inbound-secret';
let c: ChannelTestApp;

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/** Makes the next filings fail after the report is written, with no way to clean up (a crashed process). */
async function crashAfterStore() {
  await c.t.runtime.services.db.execute(sql`
    create or replace function test_crash() returns trigger language plpgsql as
    $$ begin raise exception 'simulated crash'; end $$`);
  await c.t.runtime.services.db.execute(
    sql`create trigger test_crash_access before insert on channel_access for each row execute function test_crash()`,
  );
  await c.t.runtime.services.db.execute(
    sql`create trigger test_crash_cleanup before delete on inbound_messages for each row execute function test_crash()`,
  );
}

/** The process is back: filings work again (the cleanup trigger stays, so nothing may rely on a delete). */
async function recover() {
  await c.t.runtime.services.db.execute(sql`drop trigger if exists test_crash_access on channel_access`);
}

async function sms(messageId: string, text: string) {
  const body = JSON.stringify({ messageId, from: '081299990001', text });
  const sig = createHmac('sha256', SMS_SECRET).update(body).digest('hex');
  const res = await fetch(`${c.url}/channels/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${sig}` },
    body,
  });
  return { status: res.status, body: (await res.json()) as { status?: string; trackingId?: string } };
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
    channels: { smsGatewaySecret: SMS_SECRET, emailInboundSecret: EMAIL_SECRET },
  });
});
afterEach(async () => {
  await recover();
  await c.t.runtime.services.db.execute(sql`drop trigger if exists test_crash_cleanup on inbound_messages`);
});
afterAll(() => c?.close());

describe('inbound channels after a crash', () => {
  it('an SMS whose handling crashed is filed once on the gateway retry, with its reply', async () => {
    const text = 'PUPR Lampu jalan di Jalan Juanda padam sejak sebulan, gelap sekali malam hari';
    await crashAfterStore();
    const first = await sms('gw-crash-1', text);
    expect(first.status).toBeGreaterThanOrEqual(500);
    // Nothing half-done is left: no report, no record that would make the retry look like a duplicate.
    expect(await rows(sql`select 1 from inbound_messages where external_id = 'gw-crash-1'`)).toHaveLength(0);
    expect(await rows(sql`select 1 from reports where body like '%Jalan Juanda padam%'`)).toHaveLength(0);

    await recover();
    const retry = await sms('gw-crash-1', text);
    expect(retry.body.status).toBe('filed');
    const reports = await rows<{ id: string }>(
      sql`select id from reports where body like '%Jalan Juanda padam%'`,
    );
    expect(reports).toHaveLength(1);
    expect(
      await rows(sql`select 1 from outbox where kind = 'sms.reply' and report_id = ${reports[0]!.id}`),
    ).toHaveLength(1);
    // A later retry is still a duplicate.
    expect((await sms('gw-crash-1', text)).body).toEqual({ status: 'duplicate' });
  });

  it('an email whose handling crashed is filed once on the retry', async () => {
    const mail = {
      from: 'Sari <sari@contoh.aduan.id>',
      to: 'lapor@aduan.local',
      subject: 'Trotoar ambles di Balikpapan',
      text: 'Trotoar di depan pasar ambles sedalam setengah meter, pejalan kaki terpaksa turun ke jalan.',
      message_id: '<crash-1@contoh.aduan.id>',
    };
    const post = () =>
      fetch(`${c.url}/channels/email/inbound`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`parse:${EMAIL_SECRET}`).toString('base64')}`,
        },
        body: JSON.stringify(mail),
      });
    await crashAfterStore();
    expect((await post()).status).toBeGreaterThanOrEqual(500);
    expect(await rows(sql`select 1 from reports where title = 'Trotoar ambles di Balikpapan'`)).toHaveLength(
      0,
    );
    await recover();
    const retry = await post();
    expect(((await retry.json()) as { status: string }).status).toBe('filed');
    expect(await rows(sql`select 1 from reports where title = 'Trotoar ambles di Balikpapan'`)).toHaveLength(
      1,
    );
  });

  it('the SMTP listener answers a failure it did not cause with 451 (retry later), a refused sender with 554', async () => {
    const logged: string[] = [];
    const smtp = await startSmtpListener(c.t.runtime.services, {
      port: 0,
      address: 'lapor@aduan.local',
      logError: (line) => logged.push(line),
    });
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
      });
      const mail = {
        from: 'Rudi <rudi@contoh.aduan.id>',
        to: 'lapor@aduan.local',
        subject: 'Pompa air PDAM mati di Samarinda',
        text: 'Air PDAM tidak mengalir tiga hari di kelurahan kami, warga membeli air galon.',
        messageId: '<smtp-crash-1@contoh.aduan.id>',
      };
      await crashAfterStore();
      const failed = await transport
        .sendMail(mail)
        .catch((e: { responseCode?: number; response?: string }) => e);
      expect((failed as { responseCode?: number }).responseCode).toBe(451);
      // The bounce text names no internal detail (SQL, table names) to the sender.
      expect(String((failed as { response?: string }).response)).not.toMatch(/crash|insert|channel_access/i);
      // The operator's log has one line for it, without the sender or the mail's words.
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^aduan smtp: mail kept for retry \(451\): /);
      expect(logged[0]).not.toMatch(/rudi|contoh\.aduan\.id|PDAM|Samarinda/i);
      await recover();
      await transport.sendMail(mail);
      expect(
        await rows(sql`select 1 from reports where title = 'Pompa air PDAM mati di Samarinda'`),
      ).toHaveLength(1);

      // A sender that can never be taken is refused for good: the sending server bounces it.
      const refused = await transport
        .sendMail({ ...mail, from: 'bukan-alamat', messageId: '<smtp-crash-2@contoh.aduan.id>' })
        .catch((e: { responseCode?: number }) => e);
      expect((refused as { responseCode?: number }).responseCode).toBe(554);
      expect(logged).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });
});
