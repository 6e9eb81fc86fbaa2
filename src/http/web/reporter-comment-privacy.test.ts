/**
 * An anonim reporter who comments through a citizen account is never named to an agency role or the public: a
 * public comment the account wrote before claiming the report (filed without that account) is shown as the
 * reporter's once the report is claimed, and so are its replies through the claimed account or the private link
 * while signed in. Surfaces: the staff page as an agency role, the JSON timeline with an agency token, the public
 * page, the emails to agency staff. A verifier who may see the reporter reads the text unmasked, with the reporter
 * named as they see the reporter (the identity panel), and another citizen's comment keeps its author.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { deliverMailOnce, startSmtp } from '../../../test/helpers/receivers.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

/** The demo citizen account: its name, email and id must never reach an agency role on the reporter's report. */
const ACCOUNT = { name: 'Warga Demo', email: DEMO.citizen };
const accountId = async () =>
  (
    (await t.runtime.services.db.execute(
      sql`select id from users where email = ${DEMO.citizen}`,
    )) as unknown as {
      rows: Array<{ id: string }>;
    }
  ).rows[0]!.id;

/** Posts a public comment on the report page as the signed-in citizen (expects the 303). */
async function commentOnPublicPage(c: WebClient, id: string, body: string) {
  const csrf = csrfOf((await c.get(`/laporan/${id}`)).html);
  const r = await c.post(`/laporan/${id}/komentar`, { _csrf: csrf, body });
  expect(r.status, r.html.slice(0, 300)).toBe(303);
}

describe('an anonim reporter commenting through a citizen account', () => {
  it('is shown as "Pelapor" to the agency, the public and in staff emails, never by the account', async () => {
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Saluran air tersumbat di depan pasar',
        body: 'Saluran air di depan pasar tersumbat sampah sehingga jalan tergenang setiap hujan turun.',
        regionCode: '64.72.02',
        anonymous: true,
        reporter: { name: 'Sekar Lestari', email: 'sekar.l@contoh.aduan.id' },
      },
    });
    expect(filed.status).toBe(201);
    const { trackingId: id, accessKey: k } = filed.body as { trackingId: string; accessKey: string };
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const me = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);

    // 1. Before the claim the system cannot know the account is the reporter: a public comment.
    const early = 'Saya Warga Demo, saya yang melapor, sampai kini saluran masih tersumbat.';
    await commentOnPublicPage(me, id, early);
    // 2. The account claims the report with its number and key.
    const home = await me.get('/akun');
    const claimed = await me.post('/akun/klaim', { _csrf: csrfOf(home.html), trackingId: id, accessKey: k });
    expect(claimed.status, claimed.html.slice(0, 300)).toBe(303);
    // 3. A reply through the private link while signed in, and one through the claimed account (JSON API).
    const track = await me.get(`/lacak/${id}?k=${encodeURIComponent(k)}`);
    const linkReply = await me.post(`/lacak/${id}/comment`, {
      _csrf: csrfOf(track.html),
      k,
      commentBody: 'Hari ini air sudah sampai ke teras warung.',
    });
    expect(linkReply.location).toBe(`/lacak/${id}?k=${k}&ok=comment`);
    await actOk(
      t,
      id,
      'comment',
      { body: 'Mohon segera dibersihkan.' },
      { token: await t.login(DEMO.citizen) },
    );
    const uid = await accountId();
    const secrets = [ACCOUNT.name, ACCOUNT.email, uid, 'Sekar'];

    // The JSON timeline with an agency token: every one of the account's comments is the reporter's.
    const agency = await t.login(DEMO.puprAdmin);
    const events = await t.api(`/api/v1/reports/${id}/events`, { token: agency });
    expect(events.status).toBe(200);
    const said = (
      events.body.items as Array<{ type: string; body: string; actor: Record<string, unknown> }>
    ).filter((e) => e.type === 'comment' || e.type === 'reporter_reply');
    expect(said).toHaveLength(3);
    for (const e of said) expect(e.actor).toEqual({ role: 'reporter', agencyId: null });
    const json = JSON.stringify(events.body);
    for (const s of secrets) expect(json).not.toContain(s);
    expect(said[0]!.body).toContain('saluran masih tersumbat');

    // The staff page as an agency role (the officer and the agency admin): "Pelapor", never the account.
    for (const who of [DEMO.puprAdmin, DEMO.puprOfficer]) {
      const staff = await signInWeb(t.url, who);
      const page = await staff.get(`/kantor/laporan/${id}?lang=id`);
      expect(page.status).toBe(200);
      for (const s of secrets) expect(page.html).not.toContain(s);
      expect(page.html).toContain('saluran masih tersumbat');
    }
    // The public page: the comment is the reporter's, the account unnamed, its text masked.
    const pub = await new WebClient(t.url).get(`/laporan/${id}?lang=id`);
    expect(pub.status).toBe(200);
    expect(pub.html).toContain('saluran masih tersumbat');
    for (const s of secrets) expect(pub.html).not.toContain(s);
    const en = await t.api(`/api/v1/reports/${id}/events`);
    const publicComment = (en.body.items as Array<{ type: string; actor: { role: string } }>).find(
      (e) => e.type === 'comment',
    );
    expect(publicComment?.actor.role).toBe('reporter');

    // A verifier who may see the reporter reads the text as written; the author is the reporter there too.
    const coord = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.coordinator) });
    const coordSaid = (
      coord.body.items as Array<{ type: string; body: string; actor: { role: string } }>
    ).filter((e) => e.type === 'comment' || e.type === 'reporter_reply');
    expect(coordSaid[0]).toMatchObject({ body: early, actor: { role: 'reporter' } });

    // The emails agency staff get about the replies carry no account name, email or id.
    await deliverMailOnce(t.runtime.services, smtp.url);
    const toAgency = smtp.unique().filter((m) => m.text.includes(id) && !m.to.includes(DEMO.citizen));
    expect(toAgency.some((m) => m.to.includes(DEMO.puprOfficer) || m.to.includes(DEMO.puprAdmin))).toBe(true);
    for (const m of toAgency) for (const s of secrets) expect(m.subject + m.text).not.toContain(s);
  });

  it("another citizen's comment on someone else's anonim report keeps its author", async () => {
    const id = await submitReport(t, 'Lampu jalan padam di gang masjid', {
      anonymous: true,
      reporter: { name: 'Dewi Anggraini' },
    });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const me = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    await commentOnPublicPage(me, id, 'Di gang sebelah juga padam sejak minggu lalu.');
    const staff = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await staff.get(`/kantor/laporan/${id}?lang=id`);
    expect(page.html).toContain(ACCOUNT.name);
    const events = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.puprAdmin) });
    const comment = (events.body.items as Array<{ type: string; actor: Record<string, unknown> }>).find(
      (e) => e.type === 'comment',
    );
    expect(comment?.actor).toMatchObject({ role: 'citizen', userId: await accountId() });
  });
});
