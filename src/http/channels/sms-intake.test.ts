/**
 * SMS intake over the real webhook, for what the QA audit found lost or leaked:
 *
 * - privacy: an SMS report is anonymous, so the sender's own number (in any format), other phone numbers and email
 *   addresses written in the text reach neither the public (page, JSON API, Open311 JSON/XML) nor the agency, in the
 *   complaint or in a command's text; staff allowed to see the reporter still read the sealed number;
 * - floods: commands about the sender's own report are not stopped by the filing flood limit (their own higher
 *   bound), and a refused sender gets one "too many messages" SMS per window;
 * - near-empty texts ("halo", emoji, symbols) get the help reply instead of a tracking number, and the message stays
 *   recorded with its outcome; the help fits one SMS and names every command word.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO } from '../../../test/helpers/app.ts';
import { sendSms, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311 } from '../../../test/helpers/open311.ts';
import { SMS_COMMAND_WORDS } from '../../commands/receive-sms.ts';
import { t as tr } from '../../locales/index.ts';

const SECRET = 'sms-gateway-secret-intake';
const START = new Date('2026-03-12T02:00:00Z');
let c: ChannelTestApp;
let seq = 0;
let categoryId: number;

const sms = (from: string, text: string) =>
  sendSms(c.url, SECRET, { messageId: `intake-${++seq}`, from, text });

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/** The SMS replies queued for the messages of one number, oldest first (opened when sealed). */
async function repliesTo(phone62: string): Promise<string[]> {
  const hash = c.t.runtime.services.sealer.digest(`sms:${phone62}`);
  const found = await rows<{ payload: { text?: string; textEnc?: string } }>(
    sql`select o.payload from outbox o join inbound_messages m on o.idempotency_key = 'sms-reply:' || m.id
        where m.channel = 'sms' and m.sender_hash = ${hash} order by o.id`,
  );
  return found.map(({ payload: p }) =>
    p.textEnc ? c.t.runtime.services.sealer.open<string>(p.textEnc) : p.text!,
  );
}

/** Verifies a report to PUPR and posts its final follow-up. */
async function respondFinal(id: string): Promise<void> {
  const coord = await c.t.login(DEMO.coordinator);
  await actOk(c.t, id, 'verify', { agencyId: 'pupr-kaltim', categoryId }, { token: coord });
  const pupr = await c.t.login(DEMO.puprAdmin);
  await actOk(
    c.t,
    id,
    'respond',
    { body: 'Lubang jalan telah ditambal oleh tim Bina Marga pada hari ini.', final: true },
    { token: pupr },
  );
}

beforeAll(async () => {
  c = await startChannelApp(START, {
    channels: {
      smsGatewaySecret: SECRET,
      smsLimits: { perNumber: 3, windowSeconds: 3600, ownReportCommands: 4 },
    },
  });
  categoryId = await categoryIdByName(c.t);
});
afterAll(() => c?.close());

describe('SMS: personal data in the text never reaches the public or the agency', () => {
  it("the sender's own number in any format, other numbers and email addresses are masked on every surface", async () => {
    const complaint = 'Jalan di depan rumah saya di Samarinda berlubang besar sejak bulan lalu.';
    const leaks = [
      '081377788899',
      '+62 813-7778-8899',
      '62813 7778 8899',
      '813.7778.8899',
      '0812-5550-1234',
      'warga.pelapor@contoh.aduan.id',
    ];
    const filed = await sms(
      '081377788899',
      `PUPR ${complaint} Hubungi saya ${leaks[0]} atau ${leaks[1]} atau ${leaks[2]} (WA ${leaks[3]}), ` +
        `tetangga ${leaks[4]}, email ${leaks[5]}`,
    );
    expect(filed.status).toBe('filed');
    const id = filed.trackingId!;
    const [stored] = await rows<{ title: string; body: string }>(
      sql`select title, body from reports where tracking_id = ${id}`,
    );
    expect(stored!.body).toContain(complaint);
    expect(stored!.body).toContain('[telepon-disembunyikan]');
    expect(stored!.body).toContain('[email-disembunyikan]');

    await respondFinal(id);
    // The reporter disputes, writing the numbers again: the reason reaches the agency's timeline.
    expect(
      (
        await sms(
          '+6281377788899',
          `TOLAK ${id} Belum ditambal. Telepon saya 0813 7778 8899 atau ${leaks[4]}`,
        )
      ).status,
    ).toBe('disputed');

    const pupr = await c.t.login(DEMO.puprAdmin);
    const surfaces: Array<[string, string]> = [
      ['stored', JSON.stringify(stored)],
      ['public page', await (await fetch(`${c.url}/laporan/${id}`)).text()],
      ['public API', JSON.stringify((await c.t.api(`/api/v1/reports/${id}`)).body)],
      ['public timeline', JSON.stringify((await c.t.api(`/api/v1/reports/${id}/events`)).body)],
      ['agency API', JSON.stringify((await c.t.api(`/api/v1/reports/${id}`, { token: pupr })).body)],
      [
        'agency timeline',
        JSON.stringify((await c.t.api(`/api/v1/reports/${id}/events`, { token: pupr })).body),
      ],
    ];
    for (const fmt of ['json', 'xml']) {
      const r = await fetchOpen311(`${c.url}/open311/v2/requests/${id}.${fmt}`);
      expect(r.status).toBe(200);
      expect(r.text).toContain('Jalan di depan rumah saya');
      surfaces.push([`Open311 ${fmt}`, r.text]);
    }
    for (const [surface, seen] of surfaces) {
      if (!surface.includes('timeline')) expect(seen, surface).toContain('Jalan di depan rumah saya');
      for (const leak of [...leaks, '0813 7778 8899'])
        expect(seen, `${surface}: ${leak}`).not.toContain(leak);
      expect(seen, surface).not.toMatch(/7778|5550|6281377/);
    }
    const [dispute] = await rows<{ body: string }>(
      sql`select e.body from report_events e join reports r on r.id = e.report_id
          where r.tracking_id = ${id} and e.type = 'dispute'`,
    );
    expect(dispute!.body).toContain('Belum ditambal.');
    expect(dispute!.body).not.toMatch(/7778|5550/);

    // Staff allowed to see the reporter still read the number, sealed as the reporter's contact.
    const national = await c.t.login(DEMO.national);
    const staffView = await c.t.api(`/api/v1/reports/${id}`, { token: national });
    expect(staffView.body.reporter).toMatchObject({ phone: '6281377788899' });
  });
});

describe('SMS: flood limit', () => {
  it("commands about the sender's own report pass the filing flood limit; one notice SMS per window", async () => {
    const phone = '081366600011';
    const first = await sms(phone, 'PUPR Jalan poros di Samarinda Seberang berlubang besar');
    expect(first.status).toBe('filed');
    const id = first.trackingId!;
    await respondFinal(id);
    expect((await sms(phone, 'PUPR Lampu jalan di Jalan Juanda padam seminggu')).status).toBe('filed');
    expect((await sms(phone, 'PUPR Trotoar di depan pasar pagi retak dan amblas')).status).toBe('filed');
    // The fourth filing in the hour is refused, and the sender is told once.
    expect((await sms(phone, 'PUPR Drainase di Jalan Pahlawan tersumbat sampah')).status).toBe(
      'rate_limited',
    );
    expect((await sms(phone, 'PUPR Jembatan kecil di Sempaja retak di tengahnya')).status).toBe(
      'rate_limited',
    );
    // A stranger's report number does not get past the limit either.
    expect((await sms(phone, 'STATUS 0000000000')).status).toBe('rate_limited');
    // The reporter's own commands still work: STATUS, then the acceptance is applied.
    expect((await sms(phone, `STATUS ${id}`)).status).toBe('status');
    expect((await sms(phone, `TERIMA ${id} 5 cepat ditangani`)).status).toBe('accepted');
    const [report] = await rows<{ status: string }>(
      sql`select status from reports where tracking_id = ${id}`,
    );
    expect(report!.status).toBe('completed');
    // Commands have their own bound (4 here), checked before the report is read, so the stranger's number above
    // counted too: the fifth command is refused, still without a second notice.
    expect((await sms(phone, `STATUS ${id}`)).status).toBe('status');
    expect((await sms(phone, `STATUS ${id}`)).status).toBe('rate_limited');

    const replies = await repliesTo('6281366600011');
    const notices = replies.filter((r) => r.startsWith('Terlalu banyak pesan'));
    expect(notices).toEqual([tr('id', 'channels.sms.rate_limited', { minutes: 60 })]);
    // Every refused message is still recorded with its outcome.
    const [counted] = await rows<{ n: number }>(
      sql`select count(*)::int as n from inbound_messages
          where sender_hash = ${c.t.runtime.services.sealer.digest('sms:6281366600011')} and outcome = 'rate_limited'`,
    );
    expect(counted!.n).toBe(4);
    // The next window starts afresh.
    c.t.setNow(new Date(START.getTime() + 3600_000));
    expect((await sms(phone, 'PUPR Saluran air di Jalan Antasari meluap tiap hujan')).status).toBe('filed');
    c.t.setNow(START);
  });
});

describe('SMS: near-empty texts', () => {
  it('a text without enough real words gets the help reply, not a tracking number; the message stays recorded', async () => {
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from reports`);
    const texts = ['halo', '☃☃☃ 🙂🙂 %%% ###', 'PUPR halo', 'PUPR !!! ??? 123', 'Jalan rusak parah'];
    for (const [i, text] of texts.entries()) {
      // One number each: the flood limit of this app is 3 messages per number.
      const phone = `62813444555${i}0`;
      expect(await sms(phone, text), text).toEqual({ status: 'help' });
      const [recorded] = await rows<{ outcome: string; report_id: string | null }>(
        sql`select outcome, report_id from inbound_messages
            where sender_hash = ${c.t.runtime.services.sealer.digest(`sms:${phone}`)}`,
      );
      expect(recorded, text).toEqual({ outcome: 'help', report_id: null });
      expect(await repliesTo(phone), text).toEqual([tr('id', 'channels.sms.help')]);
    }
    const after = await rows<{ n: number }>(sql`select count(*)::int as n from reports`);
    expect(after[0]!.n).toBe(before[0]!.n);
    // Enough words (the web form's 20 characters) is a complaint.
    expect((await sms('081344455567', 'PUPR Jalan rusak parah di Loa Bakung')).status).toBe('filed');
  });

  it('the help fits one SMS (160 GSM-7 characters) in both languages and names every command word', () => {
    const gsm7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;
    for (const lang of ['id', 'en'] as const) {
      const help = tr(lang, 'channels.sms.help');
      expect(help, lang).toMatch(gsm7);
      expect(help.length, lang).toBeLessThanOrEqual(160);
      for (const word of SMS_COMMAND_WORDS) expect(help, `${lang}: ${word}`).toContain(word);
    }
  });
});
