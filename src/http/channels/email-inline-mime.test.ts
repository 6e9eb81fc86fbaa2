/**
 * Which parts of an emailed complaint are images of its body (withheld from the agency on an anonim report until a
 * verifier releases one) and which are files the citizen attached, for MIME as real clients write it, sent as raw
 * messages over a real SMTP conversation with the listener (and the inbound-parse webhook for the same shapes):
 * - Outlook: the logo in a `multipart/related` with a Content-ID and no Content-Disposition, the HTML showing it;
 * - the Content-ID in other case or without angle brackets, the HTML showing it, in a `multipart/mixed`;
 * - Apple Mail: a photo sent `Content-Disposition: inline` without a Content-ID, under a plain-text message; and an
 *   inline image with a Content-ID the HTML never shows: both attached files, not images of the body.
 * Then what the agency reads before and after a verifier releases a withheld image.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, verifyReport } from '../../../test/helpers/app.ts';
import { mailToListener, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { signInWeb } from '../../../test/helpers/web-client.ts';
import { isInlinePart } from '../../domain/report/email-text.ts';

const SECRET = 'email-inbound-secret';
const AUTH = `Basic ${Buffer.from(`parse:${SECRET}`).toString('base64')}`;
let c: ChannelTestApp;

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/** A small image of one colour, base64 in 76-character lines as mail clients write it. */
const image = async (format: 'png' | 'jpeg', r: number) => {
  const img = sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g: 80, b: 80 } } });
  return (await (format === 'png' ? img.png() : img.jpeg()).toBuffer()).toString('base64');
};
const lines = (b64: string) => b64.match(/.{1,76}/g)!.join('\r\n');

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { emailInboundSecret: SECRET } });
});
afterAll(() => c?.close());

/** Sends one raw message over SMTP to the listener, from an address without a display name (an anonim report). */
async function sendRaw(subject: string, contentType: string, body: string): Promise<void> {
  const raw = [
    'From: warga.tanpa.nama@contoh.aduan.id',
    'To: lapor@aduan.local',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, '.')}@contoh.aduan.id>`,
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
    '',
    body,
  ].join('\r\n');
  await mailToListener(c, {
    envelope: { from: 'warga.tanpa.nama@contoh.aduan.id', to: ['lapor@aduan.local'] },
    raw,
  });
}

/** The stored files of the report titled `subject`: tracking number and `email_inline` by original order. */
async function stored(subject: string) {
  const [report] = await rows<{ id: string; tracking_id: string; anonymous: boolean }>(
    sql`select id, tracking_id, anonymous from reports where title = ${subject}`,
  );
  expect(report, subject).toBeDefined();
  expect(report!.anonymous).toBe(true);
  const files = await rows<{ id: string; email_inline: boolean; mime: string; size: number }>(
    sql`select id, email_inline, mime, size from attachments where report_id = ${report!.id}
        order by mime, id`,
  );
  // Stored in one statement's time: told apart by type, not order.
  const inline = (mime: string) => files.filter((f) => f.mime === mime).map((f) => f.email_inline);
  return { id: report!.tracking_id, files, inline };
}

const TEXT = 'Jalan di depan sekolah berlubang besar dan membahayakan anak-anak yang lewat.';

describe('MIME parts of an anonim emailed complaint over the SMTP listener', () => {
  it('Outlook: a logo in multipart/related with a Content-ID and no disposition is an image of the body', async () => {
    const subject = 'Jalan berlubang depan SD Outlook';
    const logo = await image('png', 210);
    const photo = await image('jpeg', 30);
    await sendRaw(
      subject,
      'multipart/mixed; boundary="mix"',
      [
        '--mix',
        'Content-Type: multipart/related; boundary="rel"; type="text/html"',
        '',
        '--rel',
        'Content-Type: text/html; charset="us-ascii"',
        '',
        `<html><body><p>${TEXT}</p><p>Hormat saya,<br><img width="80" src="cid:image001.png@01DA7B2C.5E3F1A20" alt="logo"></p></body></html>`,
        '--rel',
        'Content-Type: image/png; name="image001.png"',
        'Content-Transfer-Encoding: base64',
        'Content-ID: <image001.png@01DA7B2C.5E3F1A20>',
        '',
        lines(logo),
        '--rel--',
        '--mix',
        'Content-Type: image/jpeg; name="jalan.jpg"',
        'Content-Disposition: attachment; filename="jalan.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        lines(photo),
        '--mix--',
        '',
      ].join('\r\n'),
    );
    const s = await stored(subject);
    expect(s.inline('image/png')).toEqual([true]);
    expect(s.inline('image/jpeg')).toEqual([false]);
    const held = s.files.find((f) => f.mime === 'image/png');
    const attached = s.files.find((f) => f.mime === 'image/jpeg');

    // The hand-off filter: the agency lists and opens the attached photo, never the logo, until it is released.
    const coordToken = await c.t.login(DEMO.coordinator);
    await verifyReport(c.t, coordToken, s.id, 'pupr-kaltim', await categoryIdByName(c.t));
    const agency = await c.t.login(DEMO.puprAdmin);
    const file = (token: string, f: string) => c.t.api(`/api/v1/reports/${s.id}/attachments/${f}`, { token });
    expect((await file(agency, attached!.id)).status).toBe(200);
    expect((await file(agency, held!.id)).status).toBe(404);
    const before = JSON.stringify((await c.t.api(`/api/v1/reports/${s.id}/events`, { token: agency })).body);
    expect(before).toContain(attached!.id);
    expect(before).not.toContain(held!.id);
    const page = await (await signInWeb(c.url, DEMO.puprAdmin)).get(`/kantor/laporan/${s.id}?lang=id`);
    expect(page.html).toContain(attached!.id);
    expect(page.html).not.toContain(held!.id);

    const release = await c.t.api(`/api/v1/reports/${s.id}/attachments/${held!.id}/release`, {
      method: 'POST',
      token: coordToken,
    });
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    expect((await file(agency, held!.id)).status).toBe(200);
    const after = JSON.stringify((await c.t.api(`/api/v1/reports/${s.id}/events`, { token: agency })).body);
    expect(after).toContain(held!.id);
    // Released to the agency, still never public.
    expect((await c.t.api(`/api/v1/reports/${s.id}/attachments/${held!.id}`)).status).toBe(404);
  });

  it('a Content-ID in another case, or without angle brackets, that the HTML shows is an image of the body', async () => {
    const subject = 'Jalan berlubang depan SD huruf besar';
    await sendRaw(
      subject,
      'multipart/mixed; boundary="mix"',
      [
        '--mix',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>${TEXT}</p><img src="cid:Logo-Kantor@Contoh.Aduan.ID"><img src="cid:ttd-pengirim@contoh.aduan.id">`,
        '--mix',
        'Content-Type: image/png; name="logo.png"',
        'Content-Disposition: inline; filename="logo.png"',
        'Content-Transfer-Encoding: base64',
        'Content-ID: <logo-kantor@contoh.aduan.id>',
        '',
        lines(await image('png', 40)),
        '--mix',
        'Content-Type: image/png; name="ttd.png"',
        'Content-Transfer-Encoding: base64',
        'Content-ID: ttd-pengirim@contoh.aduan.id',
        '',
        lines(await image('png', 70)),
        '--mix',
        'Content-Type: image/jpeg; name="lubang.jpg"',
        'Content-Disposition: attachment; filename="lubang.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        lines(await image('jpeg', 100)),
        '--mix--',
        '',
      ].join('\r\n'),
    );
    const s = await stored(subject);
    expect(s.inline('image/png')).toEqual([true, true]);
    expect(s.inline('image/jpeg')).toEqual([false]);
  });

  it('Apple Mail: a photo sent inline without a Content-ID the HTML shows is an attached file', async () => {
    // Plain text with the photo inline (no Content-ID), as Apple Mail and phone clients send an attached photo.
    const plain = 'Jalan berlubang depan SD Apple Mail';
    await sendRaw(
      plain,
      'multipart/mixed; boundary="Apple-Mail=_1"',
      [
        '--Apple-Mail=_1',
        'Content-Transfer-Encoding: 7bit',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        TEXT,
        '',
        '--Apple-Mail=_1',
        'Content-Disposition: inline; filename="IMG_0412.jpeg"',
        'Content-Type: image/jpeg; x-unix-mode=0644; name="IMG_0412.jpeg"',
        'Content-Transfer-Encoding: base64',
        '',
        lines(await image('jpeg', 150)),
        '--Apple-Mail=_1--',
        '',
      ].join('\r\n'),
    );
    const p = await stored(plain);
    expect(p.files.map((f) => f.email_inline)).toEqual([false]);
    // An inline image with a Content-ID the HTML body never shows is an attached file too.
    const unshown = 'Jalan berlubang depan SD tanpa rujukan';
    await sendRaw(
      unshown,
      'multipart/mixed; boundary="Apple-Mail=_2"',
      [
        '--Apple-Mail=_2',
        'Content-Type: text/html; charset=us-ascii',
        '',
        `<html><body><div>${TEXT}</div></body></html>`,
        '--Apple-Mail=_2',
        'Content-Disposition: inline; filename="IMG_0413.jpeg"',
        'Content-Type: image/jpeg; name="IMG_0413.jpeg"',
        'Content-Transfer-Encoding: base64',
        'Content-Id: <A1B2C3D4-0413@contoh.aduan.id>',
        '',
        lines(await image('jpeg', 160)),
        '--Apple-Mail=_2--',
        '',
      ].join('\r\n'),
    );
    const u = await stored(unshown);
    expect(u.files.map((f) => f.email_inline)).toEqual([false]);
    // The agency sees the citizen's photo as any attached file.
    await verifyReport(
      c.t,
      await c.t.login(DEMO.coordinator),
      p.id,
      'pupr-kaltim',
      await categoryIdByName(c.t),
    );
    const agency = await c.t.login(DEMO.puprAdmin);
    expect(
      (await c.t.api(`/api/v1/reports/${p.id}/attachments/${p.files[0]!.id}`, { token: agency })).status,
    ).toBe(200);
  });

  it('the inbound-parse webhook reads the same shapes the same way', async () => {
    const res = await fetch(`${c.url}/channels/email/inbound`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'warga.lain@contoh.aduan.id',
        to: 'lapor@aduan.local',
        subject: 'Jalan berlubang depan SD lewat webhook',
        text: TEXT,
        html: `<p>${TEXT}</p><img src="cid:LOGO@Kantor">`,
        attachments: [
          { filename: 'logo.png', content: await image('png', 11), contentId: '<logo@kantor>' },
          { filename: 'IMG_1.jpeg', content: await image('jpeg', 12), disposition: 'inline' },
          {
            filename: 'IMG_2.jpeg',
            content: await image('jpeg', 13),
            disposition: 'inline',
            contentId: 'tidak-ditampilkan@contoh',
          },
          { filename: 'jalan.jpg', content: await image('jpeg', 14) },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const s = await stored('Jalan berlubang depan SD lewat webhook');
    expect(s.inline('image/png')).toEqual([true]);
    expect(s.inline('image/jpeg')).toEqual([false, false, false]);
  });

  it('isInlinePart: references by cid (brackets, case, URL-encoding), related parts, data URLs', () => {
    const html = '<img src="cid:Foto%40Kantor"><div style="background:url(cid:latar@x)">';
    expect(isInlinePart({ cid: 'foto@kantor' }, html)).toBe(true);
    expect(isInlinePart({ contentId: '<LATAR@X>' }, html)).toBe(true);
    expect(isInlinePart({ cid: 'foto@kantor2' }, html)).toBe(false);
    expect(isInlinePart({ cid: 'foto' }, html)).toBe(false);
    expect(isInlinePart({ contentDisposition: 'inline' }, html)).toBe(false);
    expect(isInlinePart({ cid: 'x@y', related: true }, '')).toBe(true);
    expect(isInlinePart({ related: true }, '')).toBe(false);
    const bytes = Buffer.from('gambar');
    const data = `<img src="data:image/png;base64,${bytes.toString('base64')}">`;
    expect(isInlinePart({ contentType: 'image/png', content: bytes }, data)).toBe(true);
    expect(isInlinePart({ contentType: 'image/png', content: Buffer.from('lain') }, data)).toBe(false);
  });
});
