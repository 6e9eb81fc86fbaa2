/**
 * Images of an emailed complaint's body (Content-Disposition inline, or a Content-ID the HTML shows: a signature
 * logo, the sender's photo), over a real SMTP conversation with the listener and the inbound-parse webhook. On an
 * anonim report they are withheld from the agency (not listed on the staff page or in the JSON timeline, not served)
 * and never public; a verifier who may see the reporter sees them marked and may release one, which is logged as an
 * internal event. On a named report they stay as before, marked for staff.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, verifyReport } from '../../../test/helpers/app.ts';
import { mailToListener, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';

const SECRET = 'email-inbound-secret';
const AUTH = `Basic ${Buffer.from(`parse:${SECRET}`).toString('base64')}`;
let c: ChannelTestApp;

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/** A small image of one colour (a photo of the problem, a signature logo). */
const image = (format: 'png' | 'jpeg', r: number) => {
  const img = sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g: 80, b: 80 } } });
  return (format === 'png' ? img.png() : img.jpeg()).toBuffer();
};

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { emailInboundSecret: SECRET } });
});
afterAll(() => c?.close());

interface Files {
  id: string;
  inline: string;
  attached: string;
}

/** Sends one complaint over SMTP with a photo in its body (cid) and one attached file; returns the stored ids. */
async function mailWithInlinePhoto(from: string, subject: string): Promise<Files> {
  await mailToListener(c, {
    from,
    to: 'lapor@aduan.local',
    subject,
    text: 'Jalan di depan rumah saya berlubang besar dan membahayakan pengendara motor.',
    html:
      '<p>Jalan di depan rumah saya berlubang besar dan membahayakan pengendara motor.</p>' +
      '<p>Salam,<br><img src="cid:foto-pengirim@contoh.aduan.id" alt=""></p>',
    attachments: [
      { filename: 'foto-saya.png', content: await image('png', 200), cid: 'foto-pengirim@contoh.aduan.id' },
      { filename: 'jalan-berlubang.jpg', content: await image('jpeg', 20) },
    ],
  });
  const [report] = await rows<{ id: string; tracking_id: string }>(
    sql`select id, tracking_id from reports where title = ${subject}`,
  );
  const files = await rows<{ id: string; email_inline: boolean }>(
    sql`select id, email_inline from attachments where report_id = ${report!.id} order by created_at`,
  );
  expect(files).toHaveLength(2);
  return {
    id: report!.tracking_id,
    inline: files.find((f) => f.email_inline)!.id,
    attached: files.find((f) => !f.email_inline)!.id,
  };
}

describe('an image of the email body on an anonim report (sender without a name)', () => {
  it('is withheld from the agency until a verifier releases it, and the release is logged', async () => {
    const f = await mailWithInlinePhoto('warga.tanpa.nama@contoh.aduan.id', 'Jalan berlubang di depan rumah');
    const [report] = await rows<{ anonymous: boolean }>(
      sql`select anonymous from reports where tracking_id = ${f.id}`,
    );
    expect(report!.anonymous).toBe(true);
    const coordToken = await c.t.login(DEMO.coordinator);
    await verifyReport(c.t, coordToken, f.id, 'pupr-kaltim', await categoryIdByName(c.t));

    const file = (token: string, id: string) =>
      c.t.api(`/api/v1/reports/${f.id}/attachments/${id}`, { token });
    const timeline = async (token: string) =>
      JSON.stringify((await c.t.api(`/api/v1/reports/${f.id}/events`, { token })).body);

    // The agency: the attached photo is listed and served, the body image is neither.
    const token = await c.t.login(DEMO.puprAdmin);
    expect((await file(token, f.attached)).status).toBe(200);
    expect((await file(token, f.inline)).status).toBe(404);
    const json = await timeline(token);
    expect(json).toContain(f.attached);
    expect(json).not.toContain(f.inline);
    expect(json).toContain('"withheld":true');
    const held = await (await signInWeb(c.url, DEMO.puprAdmin)).get(`/kantor/laporan/${f.id}?lang=id`);
    expect(held.status).toBe(200);
    expect(held.html).toContain(f.attached);
    expect(held.html).not.toContain(f.inline);
    expect(held.html).not.toContain('/teruskan');
    // The agency may not release it itself.
    const byAgency = await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.inline}/release`, {
      method: 'POST',
      token,
    });
    expect(byAgency.status).toBe(403);
    // Never public, not even its id.
    expect((await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.inline}`)).status).toBe(404);
    expect(JSON.stringify((await c.t.api(`/api/v1/reports/${f.id}/events`)).body)).not.toContain(f.inline);
    const pub = await new WebClient(c.url).get(`/laporan/${f.id}`);
    expect(pub.html).not.toContain(f.inline);

    // The verifier who may see the reporter: listed, marked, served, with the release form (both languages).
    expect((await file(coordToken, f.inline)).status).toBe(200);
    const coord = await signInWeb(c.url, DEMO.coordinator);
    const page = await coord.get(`/kantor/laporan/${f.id}?lang=id`);
    expect(page.html).toContain(f.inline);
    expect(page.html).toContain('gambar di badan email, bisa memuat identitas pelapor');
    const en = await coord.get(`/kantor/laporan/${f.id}?lang=en`);
    expect(en.html).toContain('image in the email body, may identify the reporter');
    // An attached file is not withheld: nothing to release (409 with the message).
    const notHeld = await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.attached}/release`, {
      method: 'POST',
      token: coordToken,
    });
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.error.code).toBe('NOT_WITHHELD');

    // Released through the staff page: the agency now lists and opens it, still marked as from the email body.
    const released = await coord.post(`/kantor/laporan/${f.id}/lampiran/${f.inline}/teruskan?lang=id`, {
      _csrf: csrfOf(page.html),
    });
    expect(released.status, released.html.slice(0, 300)).toBe(303);
    const after = await coord.get(released.location!);
    expect(after.html).toContain('Gambar diteruskan ke instansi.');
    expect(after.html).not.toContain('/teruskan');
    expect((await file(token, f.inline)).status).toBe(200);
    const agencyPage = await (await signInWeb(c.url, DEMO.puprAdmin)).get(`/kantor/laporan/${f.id}?lang=id`);
    expect(agencyPage.html).toContain(f.inline);
    expect(agencyPage.html).toContain('(gambar di badan email)');
    // Sent again (JSON): the same release, not a second one. The release is an internal event naming who did it.
    const again = await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.inline}/release`, {
      method: 'POST',
      token: coordToken,
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(f.inline);
    const events = await rows<{ visibility: string; actor_role: string; actor_user_id: string; data: any }>(
      sql`select e.visibility, e.actor_role, e.actor_user_id, e.data from report_events e
          join reports r on r.id = e.report_id
          where r.tracking_id = ${f.id} and e.type = 'attachment_release'`,
    );
    const [coordUser] = await rows<{ id: string }>(
      sql`select id from users where email = ${DEMO.coordinator}`,
    );
    expect(events).toEqual([
      {
        visibility: 'internal',
        actor_role: 'coordinator',
        actor_user_id: coordUser!.id,
        data: { attachmentId: f.inline },
      },
    ]);
    // Still never public.
    expect((await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.inline}`)).status).toBe(404);
  });
});

describe('an image of the email body on a named report', () => {
  it('reaches the agency as before, marked as from the email body (SMTP and the inbound-parse webhook)', async () => {
    const f = await mailWithInlinePhoto('Budi Santoso <budi.s@contoh.aduan.id>', 'Lampu jalan padam di gang');
    await verifyReport(
      c.t,
      await c.t.login(DEMO.coordinator),
      f.id,
      'pupr-kaltim',
      await categoryIdByName(c.t),
    );
    const agency = await c.t.login(DEMO.puprAdmin);
    expect((await c.t.api(`/api/v1/reports/${f.id}/attachments/${f.inline}`, { token: agency })).status).toBe(
      200,
    );
    const page = await (await signInWeb(c.url, DEMO.puprAdmin)).get(`/kantor/laporan/${f.id}?lang=en`);
    expect(page.html).toContain(f.inline);
    expect(page.html).toContain('(image in the email body)');
    expect(page.html).not.toContain('may identify the reporter');

    // The webhook: a file whose Content-ID the HTML shows is an image of the body; one flagged inline too.
    const res = await fetch(`${c.url}/channels/email/inbound`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'Sari Dewi <sari.d@contoh.aduan.id>',
        to: 'lapor@aduan.local',
        subject: 'Trotoar rusak di Samarinda',
        text: 'Trotoar rusak di Samarinda dekat pasar.',
        html: '<p>Trotoar rusak.</p><img src="cid:logo-kantor">',
        attachments: [
          {
            filename: 'logo.png',
            content: (await image('png', 90)).toString('base64'),
            contentId: '<logo-kantor>',
          },
          { filename: 'wajah.png', content: (await image('png', 120)).toString('base64'), inline: true },
          { filename: 'trotoar.jpg', content: (await image('jpeg', 60)).toString('base64') },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const { trackingId } = (await res.json()) as { trackingId: string };
    const stored = await rows<{ email_inline: boolean }>(
      sql`select a.email_inline from attachments a join reports r on r.id = a.report_id
          where r.tracking_id = ${trackingId} order by a.created_at`,
    );
    expect(stored.map((s) => s.email_inline)).toEqual([true, true, false]);
  });
});
