/**
 * Inbound email over real HTTP (inbound-parse webhook, multipart and JSON) and over real SMTP (nodemailer
 * against the `aduan smtp` listener on a random port): filing with attachments, replies recognised by the
 * signed token in the address, duplicates ignored, bad auth refused. A filing gets exactly one confirmation
 * email (the regular submitted notification: number, private link, verify-by date, tokenised Reply-To), and
 * later events still reach the email reporter.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, verifyReport } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { mintReplyToken, replyAddress, resolveReplyToken } from '../../commands/reply-token.ts';
import { startSmtpListener } from '../../cli/channels.ts';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { smtpMailer } from '../../integrations/delivery.ts';
import { startWorker } from '../../jobs/worker.ts';
import { startSmtp } from '../../../test/helpers/receivers.ts';
import { sha256 } from '../../integrations/crypto.ts';

const SECRET = 'email-inbound-secret';
const AUTH = `Basic ${Buffer.from(`parse:${SECRET}`).toString('base64')}`;
let c: ChannelTestApp;

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

async function inbound(body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(`${c.url}/channels/email/inbound`, {
    method: 'POST',
    headers: { authorization: AUTH, ...headers },
    body,
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { emailInboundSecret: SECRET } });
});
afterAll(() => c?.close());

const JSON_TYPE = { 'content-type': 'application/json' };
const post = (mail: Record<string, unknown>) => inbound(JSON.stringify(mail), JSON_TYPE);

/**
 * The inbound_messages row of a Message-ID and the email.reply queued for it, if any. The row holds a hash of the
 * Message-ID, never the id itself (it often carries the sender's host or address).
 */
async function recorded(messageId: string) {
  const stored = await rows<any>(
    sql`select count(*)::int as n from inbound_messages where channel = 'email' and external_id like ${'%@%'}`,
  );
  expect(stored[0].n).toBe(0);
  const [msg] = await rows<any>(
    sql`select id, outcome, report_id from inbound_messages
        where channel = 'email' and external_id = ${sha256(`message-id:${messageId}`)}`,
  );
  const replies = await rows<any>(
    sql`select report_id, payload from outbox where kind = 'email.reply' and idempotency_key = ${`email-reply:${msg?.id}`}`,
  );
  return {
    msg,
    replies: replies.map(
      (r): { reportId: string | null; subject: string; text: string; recipientEnc: string } => ({
        reportId: r.report_id,
        ...(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload),
      }),
    ),
  };
}

describe('email channel', () => {
  it('refuses a webhook without the inbound secret', async () => {
    const res = await fetch(`${c.url}/channels/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic eDp5' },
      body: JSON.stringify({ from: 'a@b.id', subject: 'x', text: 'y' }),
    });
    expect(res.status).toBe(401);
  });

  it('files a report from a multipart inbound-parse post, storing the attachment; ignores the duplicate', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer();
    const fd = () => {
      const f = new FormData();
      f.append('from', 'Budi Santoso <budi@contoh.aduan.id>');
      f.append('to', 'lapor@aduan.local');
      f.append('subject', 'Drainase tersumbat di Samarinda');
      f.append('text', 'Saluran air di Jalan Pahlawan tersumbat sampah sejak seminggu.');
      f.append('headers', 'Message-ID: <abc-123@contoh.aduan.id>\nX-Other: 1');
      f.append('attachment1', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto.png');
      return f;
    };
    const r = await inbound(fd());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('filed');
    const [report] = await rows<any>(sql`select * from reports where tracking_id = ${r.body.trackingId}`);
    expect(report.channel).toBe('email');
    expect(report.title).toBe('Drainase tersumbat di Samarinda');
    expect(report.region_code.startsWith('64.72')).toBe(true);
    const [att] = await rows<any>(
      sql`select count(*)::int as n from attachments where report_id = ${report.id}`,
    );
    expect(att.n).toBe(1);
    // No channel reply for a filing: the submit event's notification is the one confirmation.
    const replies = await rows<any>(
      sql`select * from outbox where kind = 'email.reply' and report_id = ${report.id}`,
    );
    expect(replies).toEqual([]);
    const queued = await rows<any>(sql`select * from outbox where report_id = ${report.id}`);
    expect(queued.length).toBeGreaterThan(0);
    expect(JSON.stringify(queued)).not.toContain('budi@');
    expect((await inbound(fd())).body.status).toBe('duplicate');
  });

  it('adds a reply to the thread as a reporter reply when the address carries a valid token', async () => {
    const filed = await inbound(
      JSON.stringify({
        from: 'siti@contoh.aduan.id',
        to: 'lapor@aduan.local',
        subject: 'Lampu padam Balikpapan',
        text: 'Lampu jalan padam.',
      }),
      { 'content-type': 'application/json' },
    );
    const id = filed.body.trackingId;
    const [report] = await rows<any>(sql`select id from reports where tracking_id = ${id}`);
    const token = await mintReplyToken(c.t.runtime.services, report.id);
    expect(await resolveReplyToken(c.t.runtime.services, token)).toBe(report.id);
    expect(
      await resolveReplyToken(c.t.runtime.services, token.slice(0, -1) + (token.endsWith('0') ? '1' : '0')),
    ).toBeNull();
    const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);
    const r = await inbound(
      JSON.stringify({
        from: 'siti@contoh.aduan.id',
        to: to.toUpperCase(),
        subject: 'Re: Laporan diterima',
        text: 'Sudah tiga malam padam.\n\nPada Kamis menulis:\n> Laporan Anda diterima',
      }),
      { 'content-type': 'application/json' },
    );
    expect(r.body.status).toBe('replied');
    const national = await c.t.login(DEMO.national);
    const events = await c.t.api(`/api/v1/reports/${id}/events`, { token: national });
    const last = events.body.items.at(-1);
    expect(last.type).toBe('reporter_reply');
    expect(last.body).toContain('Sudah tiga malam padam.');
    expect(last.body).not.toContain('> Laporan');
  });

  it('an anonymous reporter replying from Outlook: the quoted original, its private link and the address never reach the agency', async () => {
    const filed = await inbound(
      JSON.stringify({
        from: 'anon.balas@contoh.aduan.id',
        to: 'lapor@aduan.local',
        subject: 'Lampu jalan mati di Samarinda',
        text: 'Lampu jalan di Jalan Juanda Samarinda mati sejak dua minggu.',
      }),
      { 'content-type': 'application/json' },
    );
    const id = filed.body.trackingId;
    const [report] = await rows<any>(sql`select id, anonymous from reports where tracking_id = ${id}`);
    expect(report.anonymous).toBe(true);
    await verifyReport(c.t, await c.t.login(DEMO.national), id, 'pupr-kaltim', await categoryIdByName(c.t));
    const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);
    const outlook = [
      'Sudah saya cek lagi, lampu masih mati.',
      '',
      '________________________________',
      'From: aduan <noreply@aduan.local>',
      'Sent: Sunday, November 29, 2026 10:00 AM',
      'To: anon.balas@contoh.aduan.id',
      `Subject: Laporan ${id}: Laporan diterima`,
      '',
      `Tautan pribadi: http://127.0.0.1/lacak/${id}?k=RahasiaKunciAkses0123`,
    ].join('\r\n');
    for (const [n, text] of [
      [1, outlook],
      // No separator line, a wrapped Gmail attribution, and the address typed by the reporter.
      [
        2,
        `Masih mati, kontak saya anon.balas@contoh.aduan.id\r\n\r\nOn Sun, Nov 29, 2026 at 10:00 AM aduan <\r\nnoreply@aduan.local> wrote:\r\nhttp://127.0.0.1/lacak/${id}?k=RahasiaKunciAkses0123`,
      ],
    ] as const) {
      const r = await inbound(
        JSON.stringify({
          from: 'anon.balas@contoh.aduan.id',
          to,
          subject: `RE: Laporan ${id}`,
          text,
          headers: `Message-ID: <outlook-${n}@contoh>`,
        }),
        { 'content-type': 'application/json' },
      );
      expect(r.body.status).toBe('replied');
    }
    const pupr = await c.t.login(DEMO.puprAdmin);
    const events = await c.t.api(`/api/v1/reports/${id}/events`, { token: pupr });
    const replies = events.body.items.filter((e: any) => e.type === 'reporter_reply');
    expect(replies).toHaveLength(2);
    expect(replies[0].body).toContain('lampu masih mati');
    expect(replies[1].body).toContain('Masih mati, kontak saya');
    const seen = JSON.stringify(events.body);
    expect(seen).not.toContain('anon.balas@contoh.aduan.id');
    expect(seen).not.toContain('RahasiaKunciAkses0123');
    expect(seen).not.toContain('Sent: Sunday');
  });

  it('an anonymous filing signed off "Hormat saya," with name, NIK, phone and address publishes none of them', async () => {
    const complaint = 'Sampah di pasar pagi Samarinda menumpuk seminggu tidak diangkut, bau menyengat.';
    const filed = await post({
      from: 'kilo.anon@contoh.aduan.id',
      to: 'lapor@aduan.local',
      subject: 'Sampah menumpuk di pasar Samarinda',
      text: [
        complaint,
        'Saya sudah lapor ke kelurahan, NIK saya 6472010101900011 dicatat petugas.',
        '',
        'Hormat saya,',
        'Kilo Prasetyo',
        'NIK 6472010101900011',
        'HP 0812-9988-7711',
        'Jl. Pramuka No. 5 Samarinda',
      ].join('\n'),
      headers: 'Message-ID: <signoff-filing@contoh>',
    });
    expect(filed.body.status).toBe('filed');
    const id = filed.body.trackingId;
    await verifyReport(
      c.t,
      await c.t.login(DEMO.coordinator),
      id,
      'pupr-kaltim',
      await categoryIdByName(c.t),
    );
    const publicApi = await c.t.api(`/api/v1/reports/${id}`);
    const page = await (await fetch(`${c.url}/laporan/${id}`)).text();
    const [stored] = await rows<any>(sql`select title, body from reports where tracking_id = ${id}`);
    expect(publicApi.body.body).toContain(complaint);
    expect(publicApi.body.body).toContain('Hormat saya,');
    expect(publicApi.body.body).toContain('[nik-disembunyikan]');
    for (const seen of [JSON.stringify(publicApi.body), page, JSON.stringify(stored)]) {
      expect(seen).not.toMatch(/Kilo Prasetyo|6472010101900011|9988-7711|Pramuka No\. 5/);
    }
  });

  it('an anonymous filing and reply with a signature: name, phone and address reach neither the public nor the agency', async () => {
    const from = 'sari.anon@contoh.aduan.id';
    const NAME = 'Sari Kusumawati';
    const PHONE = '081299887721';
    const complaint = 'Saluran air di Jalan Gatot Subroto Samarinda meluap setiap hujan.';
    const filed = await post({
      from,
      to: 'lapor@aduan.local',
      subject: 'Saluran air meluap di Samarinda',
      text: [
        complaint,
        'Kantor kelurahan (0541) 741234 sudah dihubungi.',
        '',
        '-- ',
        NAME,
        `HP ${PHONE}`,
        from,
        '',
        'Dikirim dari Yahoo Mail di Android',
      ].join('\r\n'),
      headers: 'Message-ID: <sig-filing@contoh>',
    });
    expect(filed.body.status).toBe('filed');
    const id = filed.body.trackingId;
    const [report] = await rows<any>(sql`select id, anonymous, body from reports where tracking_id = ${id}`);
    expect(report.anonymous).toBe(true);
    await verifyReport(
      c.t,
      await c.t.login(DEMO.coordinator),
      id,
      'pupr-kaltim',
      await categoryIdByName(c.t),
    );

    const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);
    const replied = await post({
      from,
      to,
      subject: 'Re: Laporan diterima',
      text: [
        'Tadi malam meluap lagi sampai ke rumah warga.',
        '',
        'Sent from my iPhone',
        NAME,
        PHONE,
        '',
        'On Sun, Mar 15, 2026 at 10:00 AM aduan <noreply@aduan.local> wrote:',
        '> Laporan Anda diterima',
      ].join('\n'),
      headers: 'Message-ID: <sig-reply@contoh>',
    });
    expect(replied.body.status).toBe('replied');

    const pupr = await c.t.login(DEMO.puprAdmin);
    const publicApi = await c.t.api(`/api/v1/reports/${id}`);
    const publicPage = await fetch(`${c.url}/laporan/${id}`);
    const agencyView = await c.t.api(`/api/v1/reports/${id}`, { token: pupr });
    const agencyEvents = await c.t.api(`/api/v1/reports/${id}/events`, { token: pupr });
    expect(publicApi.status).toBe(200);
    expect(publicPage.status).toBe(200);
    expect(agencyView.status).toBe(200);
    expect(agencyEvents.status).toBe(200);
    const page = await publicPage.text();
    // The complaint itself is kept, office number included.
    expect(publicApi.body.body).toContain(complaint);
    expect(publicApi.body.body).toContain('(0541) 741234');
    expect(page).toContain(complaint);
    expect(agencyView.body.body).toContain(complaint);
    const reply = agencyEvents.body.items.filter((e: any) => e.type === 'reporter_reply').at(-1);
    expect(reply.body).toContain('Tadi malam meluap lagi sampai ke rumah warga.');
    for (const [surface, seen] of [
      ['public API', JSON.stringify(publicApi.body)],
      ['public page', page],
      ['agency report', JSON.stringify(agencyView.body)],
      ['agency timeline', JSON.stringify(agencyEvents.body)],
      ['stored body', report.body],
    ] as const) {
      for (const secret of [NAME, PHONE, from, 'Yahoo Mail', 'iPhone'])
        expect(seen.toLowerCase(), `${surface} shows ${secret}`).not.toContain(secret.toLowerCase());
    }
  });

  it('a forwarded filing from a named sender: forwarded address lines dropped, the sender masked in title and body', async () => {
    const filed = await post({
      from: 'Rudi Hartono <rudi.hartono@contoh.aduan.id>',
      to: 'lapor@aduan.local',
      subject: 'Fwd: Jembatan retak, laporan Rudi Hartono',
      text: [
        'Mohon ditindaklanjuti. Kontak: rudi.hartono@contoh.aduan.id',
        '',
        '---------- Forwarded message ---------',
        'From: Ibu Warsini <warsini.rt@contoh.aduan.id>',
        'Date: Sun, Mar 8, 2026 at 9:00 AM',
        'Subject: Jembatan retak',
        'To: RUDI HARTONO <Rudi.Hartono@contoh.aduan.id>',
        '',
        'Jembatan desa di Tenggarong retak, berbahaya untuk anak sekolah.',
      ].join('\n'),
      headers: 'Message-ID: <fwd-filing@contoh>',
    });
    expect(filed.body.status).toBe('filed');
    const [report] = await rows<any>(
      sql`select title, body, anonymous from reports where tracking_id = ${filed.body.trackingId}`,
    );
    expect(report.anonymous).toBe(false);
    expect(report.title).toBe('Fwd: Jembatan retak, laporan [nama-disembunyikan]');
    expect(report.body).toContain('Jembatan desa di Tenggarong retak, berbahaya untuk anak sekolah.');
    expect(report.body).toContain('Kontak: [email-disembunyikan]');
    for (const secret of ['rudi', 'hartono', 'warsini', '@contoh'])
      expect(`${report.title}\n${report.body}`.toLowerCase()).not.toContain(secret);
  });

  it('an attachment aduan does not take is skipped; the complaint is still filed', async () => {
    const filed = await inbound(
      JSON.stringify({
        from: 'Budi Lampiran <budi.lampiran@contoh.aduan.id>',
        to: 'lapor@aduan.local',
        subject: 'Trotoar rusak',
        text: 'Trotoar di depan sekolah rusak parah.',
        attachments: [{ filename: 'catatan.txt', content: Buffer.from('catatan biasa').toString('base64') }],
        headers: 'Message-ID: <skipped-attachment@contoh>',
      }),
      { 'content-type': 'application/json' },
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.status).toBe('filed');
    const [n] = await rows<any>(
      sql`select count(*)::int as n from attachments a join reports r on r.id = a.report_id where r.tracking_id = ${filed.body.trackingId}`,
    );
    expect(n.n).toBe(0);
    // The sender is told which file was skipped and why (one notice; the confirmation is the submit notification).
    const { replies } = await recorded('skipped-attachment@contoh');
    expect(replies).toHaveLength(1);
    const notice = c.t.runtime.services.sealer.open<string>((replies[0] as any).textEnc);
    expect(notice).toContain(filed.body.trackingId);
    expect(notice).toContain('Lampiran "catatan.txt" dilewati: jenis berkas tidak diterima');
    expect(notice).toContain('Attachment "catatan.txt" was skipped: file type not accepted');
    expect(notice).not.toContain('dipotong');
    expect(c.t.runtime.services.sealer.open<string>(replies[0]!.recipientEnc)).toBe(
      'budi.lampiran@contoh.aduan.id',
    );
  });

  it('a body over 10,000 characters is cut and the sender told, with the skipped attachments and why', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#00a' } })
      .png()
      .toBuffer();
    const opening = 'Drainase di Jalan Slamet Riyadi Samarinda tersumbat sejak sebulan. ';
    const tail = 'BAGIAN-AKHIR-YANG-TERPOTONG';
    const text = `${opening}${'Air menggenang di badan jalan setiap hujan. '.repeat(260)}${tail}`;
    expect(text.length).toBeGreaterThan(10_000);
    const filed = await post({
      from: 'Rina Panjang <rina.panjang@contoh.aduan.id>',
      to: 'lapor@aduan.local',
      subject: 'Drainase tersumbat di Samarinda',
      text,
      attachments: [
        { filename: 'foto-1.png', content: png.toString('base64') },
        { filename: 'program.exe', content: Buffer.from('4d5a9000', 'hex').toString('base64') },
        { filename: 'kosong.pdf', content: Buffer.from('%PDF-rusak').toString('base64') },
      ],
      headers: 'Message-ID: <long-body@contoh>',
    });
    expect(filed.body.status).toBe('filed');
    const [report] = await rows<{ body: string; attachments: number }>(
      sql`select body, (select count(*)::int from attachments a where a.report_id = r.id) as attachments
          from reports r where tracking_id = ${filed.body.trackingId}`,
    );
    expect(report!.body.length).toBe(10_000);
    expect(report!.body).toContain(opening.trim());
    expect(report!.body).not.toContain(tail);
    expect(report!.attachments).toBe(1);
    const { msg, replies } = await recorded('long-body@contoh');
    expect(msg.outcome).toBe('filed');
    expect(replies).toHaveLength(1);
    const payload = replies[0] as any;
    expect(payload.reportId).toBe(msg.report_id);
    // File names may hold a name or a NIK: the notice is sealed in the outbox.
    expect(payload.text).toBeUndefined();
    expect(JSON.stringify(payload)).not.toContain('program.exe');
    expect(payload.subject).toContain(filed.body.trackingId);
    const notice = c.t.runtime.services.sealer.open<string>(payload.textEnc);
    expect(notice).toContain('Isi email Anda dipotong pada 10.000 karakter');
    expect(notice).toContain("Your email's text was cut at 10,000 characters");
    expect(notice).toContain('Lampiran "program.exe" dilewati: jenis berkas tidak diterima');
    expect(notice).toContain('Lampiran "kosong.pdf" dilewati');
    expect(notice).not.toContain('foto-1.png');
    // Delivered by the worker over real SMTP, next to the filing's one confirmation (the submitted notification).
    const smtp = await startSmtp();
    const worker = await startWorker(c.t.runtime.services, {
      transports: { mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.local>') },
      autoStart: false,
      sweepEveryMs: 0,
    });
    try {
      await worker.drain();
      await worker.drain();
      const mine = smtp.unique().filter((m) => m.to.includes('rina.panjang@contoh.aduan.id'));
      expect(mine).toHaveLength(2);
      const delivered = mine.find((m) => m.subject.includes('tidak disimpan'));
      expect(delivered?.text).toContain('Isi email Anda dipotong pada 10.000 karakter');
      expect(delivered?.text).toContain('program.exe');
      expect(mine.find((m) => m !== delivered)?.text).toContain(filed.body.trackingId);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('a filing stored whole gets no notice', async () => {
    const filed = await post({
      from: 'utuh@contoh.aduan.id',
      to: 'lapor@aduan.local',
      subject: 'Lampu jalan padam di Samarinda',
      text: 'Lampu jalan di Jalan Pahlawan padam seminggu.',
      headers: 'Message-ID: <stored-whole@contoh>',
    });
    expect(filed.body.status).toBe('filed');
    expect((await recorded('stored-whole@contoh')).replies).toEqual([]);
  });

  it('an HTML-only message keeps its words', async () => {
    const filed = await inbound(
      JSON.stringify({
        from: 'html.saja@contoh.aduan.id',
        to: 'lapor@aduan.local',
        subject: 'Drainase tersumbat',
        html: '<div dir="ltr"><p>Saluran air di <b>Jalan Ahmad Yani</b> tersumbat sampah.</p><p>Mohon dibersihkan.<img src="cid:x"></p></div>',
      }),
      { 'content-type': 'application/json' },
    );
    expect(filed.status).toBe(200);
    const [row] = await rows<any>(sql`select body from reports where tracking_id = ${filed.body.trackingId}`);
    expect(row.body).toContain('Saluran air di Jalan Ahmad Yani tersumbat sampah.');
    expect(row.body).toContain('Mohon dibersihkan.');
    expect(row.body).not.toContain('<');
  });

  it('a reply to a report on hold answers the hold: the report goes back to verification', async () => {
    const filed = await inbound(
      JSON.stringify({
        from: 'budi.tunda@contoh.aduan.id',
        to: 'lapor@aduan.local',
        subject: 'Jalan rusak di Balikpapan',
        text: 'Jalan rusak dan berlubang besar.',
      }),
      { 'content-type': 'application/json' },
    );
    const id = filed.body.trackingId;
    const national = await c.t.login(DEMO.national);
    const hold = await c.t.api(`/api/v1/reports/${id}/actions/hold`, {
      json: { question: 'Di ruas jalan mana tepatnya?' },
      token: national,
    });
    expect(hold.status, JSON.stringify(hold.body)).toBe(200);
    const [report] = await rows<any>(sql`select id from reports where tracking_id = ${id}`);
    const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);
    const r = await inbound(
      JSON.stringify({
        from: 'budi.tunda@contoh.aduan.id',
        to,
        subject: 'Re: Laporan ditunda',
        text: 'Di Jalan Mulawarman, depan pasar.',
      }),
      { 'content-type': 'application/json' },
    );
    expect(r.body.status).toBe('replied');
    const after = await c.t.api(`/api/v1/reports/${id}`, { token: national });
    expect(after.body.status).toBe('submitted');
    const events = await c.t.api(`/api/v1/reports/${id}/events`, { token: national });
    expect(events.body.items.at(-1)).toMatchObject({ type: 'supplement' });
    expect(events.body.items.at(-1).body).toContain('Jalan Mulawarman');
  });

  it('accepts real mail over SMTP (nodemailer → aduan smtp listener), including replies by token', async () => {
    const smtp = await startSmtpListener(c.t.runtime.services, { port: 0, address: 'lapor@aduan.local' });
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: 'Andi <andi@contoh.aduan.id>',
        to: 'lapor@aduan.local',
        subject: 'Jembatan retak di Kutai Kartanegara',
        text: 'Jembatan desa retak parah, berbahaya untuk anak sekolah.',
        messageId: '<smtp-1@contoh.aduan.id>',
      });
      const [report] = await rows<any>(
        sql`select * from reports where title = 'Jembatan retak di Kutai Kartanegara'`,
      );
      expect(report.channel).toBe('email');
      const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);
      await transport.sendMail({
        from: 'andi@contoh.aduan.id',
        to,
        subject: 'Re: laporan',
        text: 'Foto menyusul.',
      });
      const [ev] = await rows<any>(
        sql`select type from report_events where report_id = ${report.id} order by seq desc limit 1`,
      );
      expect(ev.type).toBe('reporter_reply');
      await expect(
        transport.sendMail({
          from: 'x@contoh.aduan.id',
          to: 'orang-lain@aduan.local',
          subject: 's',
          text: 't',
        }),
      ).rejects.toThrow(/550/);
    } finally {
      await smtp.close();
    }
  });

  it('emails to an email reporter carry a tokenised Reply-To; replying over SMTP joins the thread', async () => {
    // The reporters' mail host: a real SMTP server capturing what the worker sends.
    const inbox: ParsedMail[] = [];
    const host = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((m) => void inbox.push(m))
          .then(() => cb(), cb);
      },
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    const hostPort = (host.server.address() as { port: number }).port;
    const listener = await startSmtpListener(c.t.runtime.services, { port: 0, address: 'lapor@aduan.local' });
    const mailer = smtpMailer(`smtp://127.0.0.1:${hostPort}`, 'aduan <noreply@aduan.local>');
    const worker = await startWorker(c.t.runtime.services, {
      transports: { mailer, replyInbound: 'lapor@aduan.local' },
      autoStart: false,
      sweepEveryMs: 0,
    });
    try {
      const filed = await inbound(
        JSON.stringify({
          from: 'Rina <rina@contoh.aduan.id>',
          to: 'lapor@aduan.local',
          subject: 'Sampah menumpuk di Balikpapan',
          text: 'Sampah tidak diangkut sejak Senin.',
          message_id: '<reply-to-1@contoh.aduan.id>',
        }),
        { 'content-type': 'application/json' },
      );
      expect(filed.body.status).toBe('filed');
      // A web-filed report with an email: no channel to act with, so no Reply-To.
      const web = await c.t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title: 'Lampu jalan padam di Jalan Sudirman',
          body: 'Lampu jalan di depan kantor pos padam sejak seminggu yang lalu.',
          regionCode: '64.71.01',
          reporter: { name: 'Web Pelapor', email: 'web.pelapor@contoh.aduan.id' },
        },
      });
      expect(web.status, JSON.stringify(web.body)).toBe(201);
      await worker.drain();
      const rinaMails = () =>
        inbox.filter((m) => m.to && JSON.stringify(m.to).includes('rina@contoh.aduan.id'));
      const trackingId: string = filed.body.trackingId;
      const [report] = await rows<any>(sql`select id from reports where tracking_id = ${trackingId}`);
      const expected = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report.id);

      // Exactly one confirmation, carrying the number, the private link, the verify-by date and the Reply-To.
      expect(rinaMails()).toHaveLength(1);
      const confirmation = rinaMails()[0]!;
      expect(confirmation.subject).toContain(trackingId);
      expect(confirmation.text).toContain(trackingId);
      const [access] = await rows<any>(
        sql`select access_key_enc from channel_access where report_id = ${report.id}`,
      );
      const key = c.t.runtime.services.sealer.open<string>(access.access_key_enc);
      const link = `${c.url}/lacak/${trackingId}?k=${encodeURIComponent(key)}`;
      expect(confirmation.text).toContain(link);
      const opened = await c.t.api(`/api/v1/reports/${trackingId}`, {
        accessKey: new URL(link).searchParams.get('k')!,
      });
      expect(opened.status).toBe(200);
      const [clock] = await rows<any>(
        sql`select due_at from report_deadlines where report_id = ${report.id} and clock = 'verification'`,
      );
      // Balikpapan is in WITA (Asia/Makassar); the reporter's language is Indonesian.
      const due = `${new Intl.DateTimeFormat('id-ID', {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Asia/Makassar',
      }).format(new Date(clock.due_at))} WITA`;
      expect(confirmation.text).toContain(`paling lambat ${due}`);
      expect(confirmation.text).toContain('Balas email ini');
      expect(confirmation.replyTo?.value[0]?.address).toBe(expected);
      expect(
        (await rows<any>(sql`select 1 from outbox where kind = 'email.reply' and report_id = ${report.id}`))
          .length,
      ).toBe(0);

      // A later event (verified) still emails the reporter, with the Reply-To and the plain link.
      const national = await c.t.login(DEMO.national);
      const categoryId = await categoryIdByName(c.t);
      const verified = await c.t.api(`/api/v1/reports/${trackingId}/actions/verify`, {
        json: { categoryId, agencyId: 'pupr-kaltim' },
        token: national,
      });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
      await worker.drain();
      expect(rinaMails()).toHaveLength(2);
      const later = rinaMails()[1]!;
      expect(later.subject).toContain(trackingId);
      expect(later.text).toContain('diverifikasi');
      expect(later.text).not.toContain('?k=');
      expect(later.replyTo?.value[0]?.address).toBe(expected);
      const toRina = rinaMails();
      for (const m of toRina) expect(m.replyTo?.value[0]?.address).toBe(expected);
      const toWeb = inbox.filter((m) => JSON.stringify(m.to).includes('web.pelapor@'));
      expect(toWeb.length).toBeGreaterThan(0);
      for (const m of toWeb) expect(m.replyTo).toBeUndefined();

      // Rina answers from her mail client: the reply goes to the Reply-To, through the SMTP listener.
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: 'rina@contoh.aduan.id',
        to: toRina[0]!.replyTo!.value[0]!.address!,
        subject: `Re: ${toRina[0]!.subject}`,
        text: 'Hari ini sudah bau sekali.\n\nOn Thu, aduan wrote:\n> Laporan diterima',
      });
      const [ev] = await rows<any>(
        sql`select type, body from report_events where report_id = ${report.id} order by seq desc limit 1`,
      );
      expect(ev.type).toBe('reporter_reply');
      expect(ev.body).toContain('Hari ini sudah bau sekali.');
      expect(ev.body).not.toContain('> Laporan');
      // A reply to the thread keeps its channel answer.
      await worker.drain();
      expect(rinaMails().filter((m) => m.subject === `Tanggapan diterima: ${trackingId}`)).toHaveLength(1);
    } finally {
      await worker.stop();
      mailer.close();
      await listener.close();
      await new Promise<void>((r) => host.close(() => r()));
    }
  });

  it('a reply to a garbled or unknown reply address files nothing and gets one answer naming the plain address', async () => {
    const svc = c.t.runtime.services;
    const filed = await post({
      from: 'dewi.balas@contoh.aduan.id',
      to: 'lapor@aduan.local',
      subject: 'Pohon tumbang di Samarinda',
      text: 'Pohon tumbang menutup Jalan Gajah Mada.',
    });
    expect(filed.body.status).toBe('filed');
    const trackingId: string = filed.body.trackingId;
    const [report] = await rows<any>(sql`select id from reports where tracking_id = ${trackingId}`);
    const token = await mintReplyToken(svc, report.id);
    const count = async () =>
      (
        await rows<any>(
          sql`select (select count(*)::int from reports) as reports,
                     (select count(*)::int from report_events where report_id = ${report.id}) as events,
                     (select count(*)::int from attachments where report_id = ${report.id}) as attachments`,
        )
      )[0];
    const before = await count();
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#00a' } })
      .png()
      .toBuffer();
    const answers = new Set<string>();
    for (const [name, tag] of [
      ['truncated', token.slice(0, 40)],
      ['wrong-signature', token.slice(0, -1) + (token.endsWith('0') ? '1' : '0')],
      ['unknown-report', await mintReplyToken(svc, randomUUID())],
    ] as const) {
      const r = await post({
        from: 'Dewi <dewi.balas@contoh.aduan.id>',
        to: `lapor+${tag}@aduan.local`,
        subject: 'Re: Laporan diterima',
        text: 'Pohonnya belum diangkut.',
        message_id: `<garbled-${name}@contoh.aduan.id>`,
        attachments: [{ filename: 'foto.png', content: png.toString('base64') }],
      });
      expect(r.status, name).toBe(200);
      expect(r.body, name).toEqual({ status: 'bad_reply_address' });
      const { msg, replies } = await recorded(`garbled-${name}@contoh.aduan.id`);
      expect(msg).toMatchObject({ outcome: 'bad_reply_address', report_id: null });
      expect(replies, name).toHaveLength(1);
      const [answer] = replies;
      expect(answer!.reportId).toBeNull();
      expect(svc.sealer.open(answer!.recipientEnc!)).toBe('dewi.balas@contoh.aduan.id');
      expect(answer!.text).toContain('tidak dikenali');
      expect(answer!.text).toContain('not recognised');
      expect(answer!.text).toContain('kirim email ke lapor@aduan.local');
      expect(answer!.text).toContain('write to lapor@aduan.local');
      expect(answer!.text).not.toContain(trackingId);
      answers.add(`${answer!.subject}\n${answer!.text}`);
    }
    // The same answer whatever the token named: it does not tell whether a report exists.
    expect(answers.size).toBe(1);
    expect(await count()).toEqual(before);
    // With EMAIL_INBOUND_ADDRESS configured the answer names it, never the domain of a forged recipient.
    svc.inboundEmailAddress = 'lapor@aduan.local';
    try {
      const forged = await post({
        from: 'dewi.balas@contoh.aduan.id',
        to: `lapor+${token.slice(0, 40)}@penipu.example`,
        subject: 'Re: Laporan',
        text: 'Tolong tulis ke alamat lain.',
        message_id: '<garbled-forged@contoh.aduan.id>',
      });
      expect(forged.body).toEqual({ status: 'bad_reply_address' });
      const { replies } = await recorded('garbled-forged@contoh.aduan.id');
      expect(replies[0]!.text).toContain('kirim email ke lapor@aduan.local');
      expect(replies[0]!.text).not.toContain('penipu.example');
    } finally {
      svc.inboundEmailAddress = undefined;
    }
    // An ordinary sub-address among the recipients of a new complaint is not a reply address.
    const other = await post({
      from: 'dewi.balas@contoh.aduan.id',
      to: 'lapor@aduan.local, dewi+arsip@contoh.aduan.id',
      subject: 'Trotoar amblas di Samarinda',
      text: 'Trotoar di Jalan Gajah Mada amblas.',
    });
    expect(other.body.status).toBe('filed');
  });

  it('a reply with nothing written above the quote adds nothing and says so; an attachment alone still joins', async () => {
    const svc = c.t.runtime.services;
    const filed = await post({
      from: 'eko.kosong@contoh.aduan.id',
      to: 'lapor@aduan.local',
      subject: 'Got mampet di Balikpapan',
      text: 'Got di Jalan Sudirman mampet.',
    });
    const trackingId: string = filed.body.trackingId;
    const [report] = await rows<any>(sql`select id from reports where tracking_id = ${trackingId}`);
    const to = await replyAddress(svc, 'lapor@aduan.local', report.id);
    const events = async () =>
      (
        await rows<any>(sql`select type, body from report_events where report_id = ${report.id} order by seq`)
      ).map((e) => e.type as string);
    const before = await events();
    const txt = { filename: 'catatan.txt', content: Buffer.from('catatan').toString('base64') };
    for (const [name, text, attachments] of [
      ['quote-only', '\r\n\r\nPada Kamis, 12 Mar 2026 menulis:\r\n> Laporan Anda diterima', []],
      ['whitespace', ' \r\n\t\r\n ', []],
      ['unsupported-attachment', '', [txt]],
    ] as const) {
      const r = await post({
        from: 'eko.kosong@contoh.aduan.id',
        to,
        subject: `Re: Laporan ${trackingId}: Laporan diterima`,
        text,
        attachments,
        message_id: `<empty-${name}@contoh.aduan.id>`,
      });
      expect(r.status, name).toBe(200);
      expect(r.body, name).toEqual({ status: 'empty', trackingId });
      const { msg, replies } = await recorded(`empty-${name}@contoh.aduan.id`);
      expect(msg).toMatchObject({ outcome: 'empty', report_id: report.id });
      expect(replies).toHaveLength(1);
      expect(replies[0]!.reportId).toBe(report.id);
      expect(svc.sealer.open(replies[0]!.recipientEnc!)).toBe('eko.kosong@contoh.aduan.id');
      expect(replies[0]!.text).toContain('tidak ada yang ditambahkan');
      expect(replies[0]!.text).toContain('nothing was added');
    }
    expect(await events()).toEqual(before);

    // A photo with no words is still a reply: it is attached (and the subject kept, as before).
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#a00' } })
      .png()
      .toBuffer();
    const r = await post({
      from: 'eko.kosong@contoh.aduan.id',
      to,
      subject: 'Re: foto got',
      text: '',
      attachments: [{ filename: 'got.png', content: png.toString('base64') }],
      message_id: '<empty-photo@contoh.aduan.id>',
    });
    expect(r.body).toEqual({ status: 'replied', trackingId });
    const [att] = await rows<any>(
      sql`select count(*)::int as n from attachments where report_id = ${report.id}`,
    );
    expect(att.n).toBe(1);
    expect((await events()).slice(before.length)).toEqual(['attachment', 'reporter_reply']);
  });

  it('a gateway retry is a duplicate whether or not its Message-ID has angle brackets', async () => {
    for (const [n, first, retry] of [
      [
        1,
        { message_id: '<retry-1@contoh.aduan.id>' },
        { headers: 'Message-ID:  retry-1@contoh.aduan.id \r\n' },
      ],
      [2, { message_id: 'retry-2@contoh.aduan.id' }, { message_id: ' < retry-2@contoh.aduan.id > ' }],
    ] as const) {
      const mail = {
        from: `fajar.ulang${n}@contoh.aduan.id`,
        to: 'lapor@aduan.local',
        subject: `Jembatan goyang ${n} di Samarinda`,
        text: 'Jembatan kayu di Sungai Karang Mumus goyang.',
      };
      const a = await post({ ...mail, ...first });
      expect(a.body.status).toBe('filed');
      const b = await post({ ...mail, ...retry });
      expect(b.status).toBe(200);
      expect(b.body).toEqual({ status: 'duplicate' });
      const [row] = await rows<any>(
        sql`select count(*)::int as n from reports where title = ${mail.subject}`,
      );
      expect(row.n).toBe(1);
    }
  });
});
