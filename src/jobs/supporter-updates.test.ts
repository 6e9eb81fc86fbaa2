/**
 * Email updates for supporters (issue 7's "support instead of filing again", made whole): a signed-in person who asks
 * on a public report's page gets an email when the agency follows up and when the report is completed, in the
 * language they asked in, with the public number, title and link only. Over a real database, real HTTP and a real
 * SMTP server:
 *
 * - signed out there is only a way to sign in (a device cannot be written to); the form needs the CSRF token;
 * - turning updates on supports the report; turning them off stops the emails and keeps the support;
 * - PRIVACY: the emails never carry the anonim reporter's identity or the follow-up's text, the delivery log shows
 *   "a supporter" and never who, and a report made confidential tells its supporters nothing more;
 * - a merge carries the request for updates to the kept report;
 * - each email carries its own link (and a one-click `List-Unsubscribe`) that stops the updates without signing in,
 *   asks before it stops (a GET never stops: mail scanners open links), follows a merge, shows nothing of a report
 *   that left the public pages, and refuses any link the instance did not make.
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
} from '../../test/helpers/app.ts';
import { startSmtp } from '../../test/helpers/receivers.ts';
import { csrfOf, signInWeb, WebClient } from '../../test/helpers/web-client.ts';
import { smtpMailer } from '../integrations/delivery.ts';
import { supporterUnsubscribeUrl } from '../commands/supporter-unsubscribe.ts';
import { deliveryLog } from '../queries/notifications.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let worker: Worker;
let categoryId: number;
let coord: string;
let admin: string;
const HIDDEN = { name: 'Ratna Anonim', email: 'ratna.anon@contoh.aduan.id', phone: '081355500033' };
const SECRETS = [HIDDEN.name, HIDDEN.email, HIDDEN.phone, HIDDEN.phone.slice(1)];
const FOLLOW_UP = 'Tim teknis sudah meninjau lokasi dan menjadwalkan perbaikan pekan depan.';

const mailsTo = (addr: string) => smtp.unique().filter((m) => m.to.includes(addr));

/** The unsubscribe link in an email's text. */
const LINK = /https?:\/\/\S+\/kabar\/berhenti\?t=[A-Za-z0-9_-]{64}(?:&lang=en)?/;

/** A report's uuid and a demo account's uuid. */
async function idsOf(trackingId: string, email: string): Promise<{ reportId: string; userId: string }> {
  const r = (await t.runtime.services.db.execute(
    sql`select (select id from reports where tracking_id = ${trackingId}) as report_id,
               (select id from users where email = ${email}) as user_id`,
  )) as unknown as { rows: Array<{ report_id: string; user_id: string }> };
  return { reportId: r.rows[0]!.report_id, userId: r.rows[0]!.user_id };
}

/** The account's support of a report: its updates language (null: none), or undefined without a support. */
async function supportOf(trackingId: string, email: string): Promise<string | null | undefined> {
  const { reportId, userId } = await idsOf(trackingId, email);
  const r = (await t.runtime.services.db.execute(
    sql`select notify_lang from supports where report_id = ${reportId} and supporter_key = ${`user:${userId}`}`,
  )) as unknown as { rows: Array<{ notify_lang: string | null }> };
  return r.rows[0] ? r.rows[0].notify_lang : undefined;
}

/** The path and query of an absolute link. */
const pathOf = (link: string) => {
  const u = new URL(link);
  return u.pathname + u.search;
};

/** An anonim public report, verified and dispatched to the roads agency. */
async function publicReport(title: string): Promise<string> {
  const id = await submitReport(t, title, { anonymous: true, reporter: HIDDEN });
  await verifyReport(t, coord, id, 'pupr-kaltim', categoryId);
  await worker.drain();
  return id;
}

/** Turns updates on (`ya`) or off (`tidak`) from the report page, as a person would. */
async function setUpdates(c: WebClient, id: string, kabar: 'ya' | 'tidak', lang = 'id') {
  const page = await c.get(`/laporan/${id}?lang=${lang}`);
  const form = /<form[^>]*action="\/laporan\/\d+\/kabar"[\s\S]*?<\/form>/.exec(page.html)?.[0] ?? '';
  expect(form, 'the updates form').toContain(`name="kabar" value="${kabar}"`);
  const r = await c.post(`/laporan/${id}/kabar`, { _csrf: csrfOf(form), kabar });
  expect(r.status, r.html.slice(0, 300)).toBe(303);
  expect(r.location).toBe(`/laporan/${id}?kabar=${kabar}`);
  return (await c.get(r.location!)).html;
}

const respond = async (id: string, final: boolean) => {
  await actOk(t, id, 'respond', { body: FOLLOW_UP, final }, { token: admin });
  await worker.drain();
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-11-03T02:00:00Z') });
  smtp = await startSmtp();
  worker = await startWorker(t.runtime.services, {
    transports: { mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>') },
    autoStart: false,
    sweepEveryMs: 0,
  });
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  admin = await t.login(DEMO.puprAdmin);
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await t?.close();
});

describe('email updates for supporters', () => {
  it('signed out: only a way to sign in; the form posts nothing without a session or a CSRF token', async () => {
    const id = await publicReport('Jembatan kayu di Jalan Pelabuhan lapuk dan berlubang');
    const device = new WebClient(t.url);
    const html = (await device.get(`/laporan/${id}`)).html;
    expect(html).toContain(`<a href="/masuk?next=%2Flaporan%2F${id}">Masuk untuk mengikuti laporan ini</a>`);
    expect(html).not.toContain(`action="/laporan/${id}/kabar"`);
    const r = await device.post(`/laporan/${id}/kabar`, { kabar: 'ya' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/masuk?next=${encodeURIComponent(`/laporan/${id}`)}`);
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    expect((await citizen.post(`/laporan/${id}/kabar`, { kabar: 'ya' })).status).toBe(403);
    const page = (await citizen.get(`/laporan/${id}`)).html;
    expect(page).toContain('0 dukungan');
    expect(page).toContain('Kirimi saya kabar lewat email');
  });

  it('a follow-up and the completion reach those who asked, in their language; the emails carry no reporter', async () => {
    const id = await publicReport('Lampu penerangan jalan padam di Jalan Cendana');
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    const before = (await citizen.get(`/laporan/${id}`)).html;
    expect(before).toContain(`Kami dapat mengirim email ke ${DEMO.citizen}`);
    const on = await setUpdates(citizen, id, 'ya');
    expect(on).toContain('Anda akan menerima kabar laporan ini lewat email.');
    expect(on).toContain(`Anda menerima kabar laporan ini lewat email di ${DEMO.citizen}.`);
    expect(on).toContain('Berhenti menerima kabar');
    // Following supports the report.
    expect(on).toContain('1 dukungan');
    expect(on).toContain('Anda sudah mendukung laporan ini');
    // Another person, following in English.
    const assessor = await signInWeb(t.url, DEMO.assessor, undefined, `/laporan/${id}`);
    await setUpdates(assessor, id, 'ya', 'en');

    await respond(id, false);
    const [mail] = mailsTo(DEMO.citizen);
    expect(mail, 'the citizen is told of the follow-up').toBeDefined();
    expect(mail!.subject).toContain(id);
    expect(mail!.text).toContain('Yth. Pendukung laporan,');
    expect(mail!.text).toContain(
      `Instansi memberikan tindak lanjut atas laporan ${id} yang Anda ikuti: Lampu penerangan jalan padam di Jalan Cendana`,
    );
    expect(mail!.text).toContain(`/laporan/${id}`);
    expect(mail!.text).not.toContain('/lacak/');
    expect(mail!.text).toContain('Berhenti menerima kabar');
    const [en] = mailsTo(DEMO.assessor);
    expect(en!.text).toContain(`The agency followed up on report ${id}, which you follow`);
    // PRIVACY: no reporter and not the follow-up's text (read on the public page), in any email about the report.
    for (const m of smtp.unique().filter((x) => x.text.includes(id) && !x.to.includes(HIDDEN.email))) {
      for (const s of [...SECRETS, FOLLOW_UP]) expect(m.text, `${m.to} ${s}`).not.toContain(s);
    }
    // The delivery log names no supporter.
    const row = (await t.runtime.services.db.execute(
      sql`select id from reports where tracking_id = ${id}`,
    )) as unknown as { rows: Array<{ id: string }> };
    const log = await deliveryLog(t.runtime.services, row.rows[0]!.id);
    const toSupporters = log.filter((l) => l.recipient.kind === 'supporter');
    expect(toSupporters).toHaveLength(2);
    for (const l of toSupporters) expect(l.recipient.name).toBeUndefined();

    // The citizen stops; the assessor still hears of the final follow-up and of the completion.
    const off = await setUpdates(citizen, id, 'tidak');
    expect(off).toContain('Anda tidak lagi menerima kabar laporan ini lewat email.');
    expect(off).toContain('Anda sudah mendukung laporan ini');
    expect(off).toContain('Kirimi saya kabar lewat email');
    await respond(id, true);
    expect(mailsTo(DEMO.citizen)).toHaveLength(1);
    expect(mailsTo(DEMO.assessor).at(-1)!.text).toContain('final follow-up');
  });

  it('the JSON API: the signed-in caller reads and sets updates; 401 without an account, 422 on a bad body', async () => {
    const id = await publicReport('Trotoar ambles di depan pasar induk');
    const token = await t.login(DEMO.citizen);
    const path = `/api/v1/reports/${id}/updates`;
    expect((await t.api(path)).status).toBe(401);
    expect((await t.api(path, { method: 'PUT', json: { email: true } })).status).toBe(401);
    expect((await t.api(path, { token })).body).toEqual({ trackingId: id, supported: false, updates: false });
    const bad = await t.api(path, { method: 'PUT', json: { email: 'ya' }, token });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.email).toBeDefined();
    const on = await t.api(path, { method: 'PUT', json: { email: true, lang: 'en' }, token });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body).toEqual({ trackingId: id, supported: true, updates: true });
    const sent = mailsTo(DEMO.citizen).length;
    await respond(id, false);
    expect(mailsTo(DEMO.citizen)).toHaveLength(sent + 1);
    expect(mailsTo(DEMO.citizen).at(-1)!.text).toContain(
      `The agency followed up on report ${id}, which you follow`,
    );
    const off = await t.api(path, { method: 'PUT', json: { email: false }, token });
    expect(off.body).toEqual({ trackingId: id, supported: true, updates: false });
    // A report the public may not see: 404, as for one that does not exist.
    const hidden = await submitReport(t, 'Laporan rahasia tentang pungutan di sekolah', {
      confidential: true,
      reporter: HIDDEN,
    });
    expect((await t.api(`/api/v1/reports/${hidden}/updates`, { token })).status).toBe(404);
    expect(
      (await t.api(`/api/v1/reports/${hidden}/updates`, { method: 'PUT', json: { email: true }, token }))
        .status,
    ).toBe(404);
  });

  it('a report made confidential tells its supporters nothing more', async () => {
    const id = await publicReport('Pipa air bersih bocor di depan sekolah dasar');
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    await setUpdates(citizen, id, 'ya');
    const made = await t.api(`/api/v1/reports/${id}/privacy`, { json: { confidential: true }, token: coord });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const sent = mailsTo(DEMO.citizen).length;
    await respond(id, false);
    expect(mailsTo(DEMO.citizen)).toHaveLength(sent);
  });

  it('a merge carries the request for updates to the kept report', async () => {
    const kept = await publicReport('Saluran drainase tersumbat di Jalan Merdeka');
    const dup = await publicReport('Drainase tersumbat sampah di Jalan Merdeka');
    // Returned as bukan wewenang: public, and back in verification, where a duplicate is merged away.
    await actOk(
      t,
      dup,
      'return',
      { note: 'Bukan wewenang instansi ini, mohon dialihkan.' },
      { token: admin },
    );
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${dup}`);
    await setUpdates(citizen, dup, 'ya');
    const merged = await t.api(`/api/v1/reports/${dup}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: coord,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const page = (await citizen.get(`/laporan/${kept}`)).html;
    expect(page).toContain(`Anda menerima kabar laporan ini lewat email di ${DEMO.citizen}.`);
    const sent = mailsTo(DEMO.citizen).length;
    await respond(kept, false);
    expect(mailsTo(DEMO.citizen)).toHaveLength(sent + 1);
    expect(mailsTo(DEMO.citizen).at(-1)!.text).toContain(kept);
  });

  it("each email's own link stops the updates without signing in, after asking; one-click from the mail client", async () => {
    // An anonim reporter who named themself in the title: the stored title is masked, and so is every page.
    const id = await publicReport(`${HIDDEN.name} melaporkan gorong-gorong runtuh di Jalan Cemara`);
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    await setUpdates(citizen, id, 'ya');
    const assessor = await signInWeb(t.url, DEMO.assessor, undefined, `/laporan/${id}`);
    await setUpdates(assessor, id, 'ya', 'en');
    await respond(id, false);
    const mail = mailsTo(DEMO.citizen).at(-1)!;
    expect(mail.text).toContain(id);
    const link = LINK.exec(mail.text)?.[0];
    expect(link, mail.text).toBeDefined();
    expect(link).not.toContain('lang=');
    expect(mail.text).toContain(`Berhenti menerima kabar (tanpa perlu masuk): ${link}`);
    expect(mail.rawHeaders['list-unsubscribe']).toBe(`<${link}>`);
    expect(mail.rawHeaders['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const enLink = LINK.exec(mailsTo(DEMO.assessor).at(-1)!.text)?.[0];
    expect(enLink).toMatch(/&lang=en$/);
    expect(enLink).not.toBe(link);
    // The reporter's own emails carry no such header.
    for (const m of smtp.unique().filter((x) => x.to.includes(HIDDEN.email)))
      expect(m.rawHeaders['list-unsubscribe']).toBeUndefined();

    // Opening the link (signed out) asks first and changes nothing.
    const stranger = new WebClient(t.url);
    const ask = await stranger.get(pathOf(link!));
    expect(ask.status).toBe(200);
    expect(ask.headers.get('referrer-policy')).toBe('no-referrer');
    expect(ask.headers.get('cache-control')).toBe('no-store');
    expect(ask.html).toContain(`tentang laporan ${id}:`);
    expect(ask.html).toContain('melaporkan gorong-gorong runtuh di Jalan Cemara');
    expect(ask.html).toContain('Dukungan Anda untuk laporan ini tetap tercatat.');
    for (const secret of [...SECRETS, DEMO.citizen]) expect(ask.html).not.toContain(secret);
    expect(await supportOf(id, DEMO.citizen)).toBe('id');

    // Links this instance did not make: a changed signature, the other account's part, someone else's report.
    const token = new URL(link!).searchParams.get('t')!;
    const other = new URL(enLink!).searchParams.get('t')!;
    const flipped = token.slice(0, 60) + (token[60] === 'A' ? 'B' : 'A') + token.slice(61);
    const swapped = token.slice(0, 21) + other.slice(21, 43) + token.slice(43);
    for (const bad of [flipped, swapped, token.slice(0, 63), 'x'.repeat(64), '']) {
      for (const r of [
        await stranger.get(`/kabar/berhenti?t=${bad}`),
        await stranger.post(`/kabar/berhenti?t=${bad}`, { 'List-Unsubscribe': 'One-Click' }),
      ]) {
        expect(r.status, bad).toBe(404);
        expect(r.html).toContain('Tautan ini tidak berlaku');
      }
    }
    expect(await supportOf(id, DEMO.citizen)).toBe('id');
    expect(await supportOf(id, DEMO.assessor)).toBe('en');

    // The mail client's one-click POST: no cookie, no CSRF token, the body RFC 8058 prescribes.
    const oneClick = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('Kabar dihentikan');
    // The support stays; only the emails stop.
    expect(await supportOf(id, DEMO.citizen)).toBeNull();
    expect(await supportOf(id, DEMO.assessor)).toBe('en');
    const again = await stranger.get(pathOf(link!));
    expect(again.html).toContain('Kabar sudah dihentikan');
    expect(again.html).not.toContain('<form method="post" action="/kabar/berhenti');
    const page = (await citizen.get(`/laporan/${id}`)).html;
    expect(page).toContain('Anda sudah mendukung laporan ini');
    expect(page).toContain('Kirimi saya kabar lewat email');

    // The English reader confirms in a signed-in browser (its session's CSRF is not asked: the link is the
    // authority), from a multipart one-click body as some mail clients send it.
    const enAsk = await assessor.get(pathOf(enLink!));
    expect(enAsk.html).toContain('You will no longer get update emails about report');
    const form = new FormData();
    form.append('List-Unsubscribe', 'One-Click');
    const enDone = await assessor.postMultipart(pathOf(enLink!), form);
    expect(enDone.status).toBe(200);
    expect(enDone.html).toContain('Updates stopped');
    expect(await supportOf(id, DEMO.assessor)).toBeNull();

    const before = mailsTo(DEMO.citizen).length + mailsTo(DEMO.assessor).length;
    await respond(id, true);
    expect(mailsTo(DEMO.citizen).length + mailsTo(DEMO.assessor).length).toBe(before);
  });

  it('a link follows a merge to the kept report, and shows nothing of a report that left the public pages', async () => {
    const kept = await publicReport('Bak sampah terbakar di Jalan Anggrek');
    const dup = await publicReport('Tempat sampah terbakar di ujung Jalan Anggrek');
    await actOk(t, dup, 'return', { note: 'Bukan wewenang instansi ini.' }, { token: admin });
    const citizen = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${dup}`);
    await setUpdates(citizen, dup, 'ya');
    // The link an email about the duplicate carried before the merge.
    const { reportId, userId } = await idsOf(dup, DEMO.citizen);
    const link = await supporterUnsubscribeUrl(t.runtime.services, reportId, userId, 'id');
    const merged = await t.api(`/api/v1/reports/${dup}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: coord,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(await supportOf(kept, DEMO.citizen)).toBe('id');
    const ask = await new WebClient(t.url).get(pathOf(link));
    expect(ask.html).toContain(`tentang laporan ${kept}:`);
    const done = await new WebClient(t.url).post(pathOf(link), {});
    expect(done.html).toContain(`Anda tidak akan lagi menerima email kabar tentang laporan ${kept}.`);
    expect(done.html).toContain(`href="/laporan/${kept}"`);
    expect(await supportOf(kept, DEMO.citizen)).toBeNull();

    // A report made confidential: the page names neither its number nor its title, and the link still stops.
    const secret = await publicReport('Tiang listrik miring di depan puskesmas');
    await setUpdates(citizen, secret, 'ya');
    const ids = await idsOf(secret, DEMO.citizen);
    const hiddenLink = await supporterUnsubscribeUrl(t.runtime.services, ids.reportId, ids.userId, 'id');
    const made = await t.api(`/api/v1/reports/${secret}/privacy`, {
      json: { confidential: true },
      token: coord,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const hiddenAsk = await new WebClient(t.url).get(pathOf(hiddenLink));
    expect(hiddenAsk.html).toContain('Anda tidak akan lagi menerima email kabar tentang laporan ini.');
    const hiddenDone = await new WebClient(t.url).post(pathOf(hiddenLink), {});
    expect(hiddenDone.status).toBe(200);
    for (const html of [hiddenAsk.html, hiddenDone.html]) {
      expect(html).not.toContain(secret);
      expect(html).not.toContain('Tiang listrik miring');
    }
    expect(await supportOf(secret, DEMO.citizen)).toBeNull();
  });
});
