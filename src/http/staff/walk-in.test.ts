/**
 * Walk-in, phone and letter intake over real HTTP with a cookie session: the channel is a required choice
 * recorded on the report (and shown on the staff report page), and a citizen who gave an email address or a
 * phone number receives the tracking number and private link through the real outbox worker (SMTP server and
 * SMS gateway on localhost). Without a contact nothing is sent and the page says to hand them over. Anonim and
 * rahasia are two required questions put to the citizen (no default); the submit event records that they were asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { startHttpReceiver, startSmtp } from '../../../test/helpers/receivers.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import { csrfOf, WebClient } from '../../../test/helpers/web-client.ts';
import { smsGateway, smtpMailer } from '../../integrations/delivery.ts';
import { startWorker, type Worker } from '../../jobs/worker.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let gw: Awaited<ReturnType<typeof startHttpReceiver>>;
let worker: Worker;
const TEMPLATE = '{"msisdn":"{to}","message":"{text}"}';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  smtp = await startSmtp();
  gw = await startHttpReceiver();
  worker = await startWorker(t.runtime.services, {
    transports: {
      mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>'),
      sms: smsGateway(gw.url, 'sms-secret', { auth: 'bearer:gw', template: TEMPLATE }),
    },
    autoStart: false,
    sweepEveryMs: 0,
  });
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await gw?.close();
  await t?.close();
});

async function officer(): Promise<WebClient> {
  const c = new WebClient(t.url);
  const r = await c.post('/masuk', { email: DEMO.coordinator, password: DEMO_PASSWORD, next: '/kantor' });
  expect(r.status).toBe(303);
  return c;
}

/** What the citizen reports, without the answers to the privacy questions. */
const CONTENT = {
  classification: 'pengaduan',
  title: 'Lampu jalan padam di Jalan Juanda',
  body: 'Lampu penerangan jalan di Jalan Juanda padam sejak dua minggu sehingga rawan kecelakaan malam hari.',
  regionCode: '64.72',
};
/** The form as posted: the citizen's answers to the two privacy questions are required (nothing preselected). */
const REPORT = { ...CONTENT, identity: 'named', visibility: 'public' };

/** Posts the walk-in form, follows the PRG to the confirmation, and returns its tracking number. */
async function record(c: WebClient, form: Record<string, string>) {
  const page = await c.get('/kantor/lapor-langsung');
  const r = await c.post('/kantor/lapor-langsung', { _csrf: csrfOf(page.html), ...REPORT, ...form });
  expect(r.status, r.html.slice(0, 400)).toBe(303);
  const done = await c.get(r.location!);
  expect(done.status).toBe(200);
  const id = /class="big-number">(\d{10})</.exec(done.html)![1]!;
  await worker.drain();
  return { id, html: done.html };
}

describe('walk-in, phone and letter intake', () => {
  it('the form offers the three channels; a missing channel is a field error that keeps the input', async () => {
    const c = await officer();
    const page = await c.get('/kantor/lapor-langsung');
    expect(page.html).toContain('Cara pengaduan masuk');
    for (const v of ['walk_in', 'phone', 'letter'])
      expect(page.html).toMatch(new RegExp(`name="channel"[^>]*value="${v}"`));
    expect(page.html).toContain('Telepon');
    expect(page.html).toContain('Surat');
    const en = await c.get('/kantor/lapor-langsung?lang=en');
    expect(en.html).toContain('How the complaint came in');
    expect(en.html).toContain('Letter');
    const bad = await c.post('/kantor/lapor-langsung', {
      _csrf: csrfOf(page.html),
      ...REPORT,
      channel: 'fax',
      'reporter.name': 'Pak Fax',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-channel"');
    expect(bad.html).toContain('value="Pak Fax"');
    // The page says "choose one" in words; the codes behind the radios are the API's business.
    expect(bad.html).toContain('Choose one.');
    expect(bad.html).not.toContain('walk_in, phone');
  });

  it('phone: channel recorded, the citizen gets the tracking number and private link by email', async () => {
    const c = await officer();
    const { id, html } = await record(c, {
      channel: 'phone',
      'reporter.name': 'Bu Sari Telepon',
      'reporter.email': 'sari.telepon@contoh.aduan.id',
    });
    expect(html).toContain('dikirim ke warga lewat email');
    const api = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.coordinator) });
    expect(api.body.channel).toBe('phone');
    const [rec] = (
      (await t.runtime.services.db.execute(
        sql`select e.actor_user_id is not null as by_staff, e.actor_role as role, e.actor_agency_id as agency
              from report_events e join reports r on r.id = e.report_id
             where r.tracking_id = ${id} and e.type = 'submit'`,
      )) as unknown as { rows: Array<{ by_staff: boolean; role: string; agency: string | null }> }
    ).rows;
    // The audit trail names the recorder's own grant: the Kaltim coordinator, not a generic officer.
    expect(rec).toEqual({ by_staff: true, role: 'coordinator', agency: 'diskominfo-kaltim' });
    const mail = smtp.unique().find((m) => m.to.includes('sari.telepon@contoh.aduan.id'));
    expect(mail, 'email to the citizen').toBeTruthy();
    expect(mail!.subject).toContain(id);
    expect(mail!.text).toMatch(new RegExp(`/lacak/${id}\\?k=`));
    const staffPage = await c.get(`/kantor/laporan/${id}`);
    expect(staffPage.html).toContain('Telepon');
  });

  it('letter: the citizen gets the tracking number by SMS; without a contact nothing is sent', async () => {
    const c = await officer();
    const { id, html } = await record(c, {
      channel: 'letter',
      'reporter.name': 'Pak Surat',
      'reporter.phone': '081355566677',
    });
    expect(html).toContain('lewat SMS');
    const api = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.coordinator) });
    expect(api.body.channel).toBe('letter');
    const sms = gw.posts.filter((p) => p.body.msisdn === '081355566677');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body.message).toContain(id);
    expect(sms[0]!.body.message).toContain('?k=');

    const smsBefore = gw.posts.length;
    const none = await record(c, { channel: 'walk_in', 'reporter.name': 'Pak Tanpa Kontak' });
    expect(none.html).toContain('tidak memberi email atau nomor telepon');
    // Staff hear about the new report as usual; nothing goes to the citizen.
    const toReporter = (
      (await t.runtime.services.db.execute(
        sql`select count(*)::int as n from outbox o join reports r on r.id = o.report_id
             where r.tracking_id = ${none.id} and o.recipient = 'reporter'`,
      )) as unknown as { rows: Array<{ n: number }> }
    ).rows[0]!.n;
    expect(toReporter).toBe(0);
    expect(gw.posts.length).toBe(smsBefore);
    expect(smtp.unique().some((m) => m.text.includes(`/lacak/${none.id}?k=`))).toBe(false);
  });

  it('privacy: two questions with nothing preselected; an unanswered one is a field error that keeps the input', async () => {
    const c = await officer();
    const page = await c.get('/kantor/lapor-langsung');
    for (const [name, values] of [
      ['identity', ['named', 'anonymous']],
      ['visibility', ['public', 'confidential']],
    ] as const)
      for (const v of values) {
        const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="${v}"[^>]*>`).exec(page.html)?.[0];
        expect(input, `${name}=${v}`).toBeTruthy();
        expect(input).not.toContain('checked');
      }
    expect(page.html).toContain('Bolehkah instansi yang menangani mengetahui nama Anda?');
    expect(page.html).toContain('Bolehkah laporan Anda tampil di situs publik?');
    expect(page.html).toContain('Tidak, rahasia');
    for (const [lang, identity, visibility] of [
      [
        'id',
        'Tanyakan kepada warga apakah instansi boleh mengetahui namanya',
        'Tanyakan kepada warga apakah laporannya boleh tampil',
      ],
      [
        'en',
        'Ask the citizen whether the agency may know their name',
        'Ask the citizen whether their report may appear',
      ],
    ]) {
      const bad = await c.post(`/kantor/lapor-langsung?lang=${lang}`, {
        _csrf: csrfOf(page.html),
        ...CONTENT,
        channel: 'walk_in',
        'reporter.name': 'Bu Belum Ditanya',
      });
      expect(bad.status).toBe(422);
      expect(bad.html).toContain('href="#f-identity"');
      expect(bad.html).toContain('href="#f-visibility"');
      expect(bad.html).toContain(identity);
      expect(bad.html).toContain(visibility);
      expect(bad.html).toContain('value="Bu Belum Ditanya"');
      expect(bad.html).toContain(CONTENT.title);
    }
    // One answered, one not: the answer given stays chosen.
    const half = await c.post('/kantor/lapor-langsung', {
      _csrf: csrfOf(page.html),
      ...CONTENT,
      channel: 'walk_in',
      identity: 'anonymous',
    });
    expect(half.status).toBe(422);
    expect(half.html).toMatch(/<input[^>]*name="identity"[^>]*value="anonymous"[^>]*checked/);
    expect(half.html).toContain('href="#f-visibility"');
    expect(half.html).not.toContain('href="#f-identity"');
    // Anonymous needs no name; named without a name still asks for it.
    expect(half.html).not.toContain('href="#f-reporter-name"');
    const named = await c.post('/kantor/lapor-langsung', {
      _csrf: csrfOf(page.html),
      ...REPORT,
      channel: 'walk_in',
    });
    expect(named.status).toBe(422);
    expect(named.html).toContain('href="#f-reporter-name"');
  });

  it("privacy: the citizen's answers set anonim and rahasia, and the submit event records they were asked", async () => {
    const c = await officer();
    const secret = await record(c, {
      channel: 'walk_in',
      identity: 'anonymous',
      visibility: 'confidential',
    });
    const open = await record(c, { channel: 'phone', 'reporter.name': 'Pak Terbuka' });
    const rows = (
      (await t.runtime.services.db.execute(
        sql`select r.tracking_id as id, r.anonymous, r.confidential, e.data->>'privacyChoice' as choice
              from report_events e join reports r on r.id = e.report_id
             where r.tracking_id in (${secret.id}, ${open.id}) and e.type = 'submit'`,
      )) as unknown as {
        rows: Array<{ id: string; anonymous: boolean; confidential: boolean; choice: string }>;
      }
    ).rows;
    expect(rows.find((r) => r.id === secret.id)).toMatchObject({
      anonymous: true,
      confidential: true,
      choice: 'asked',
    });
    expect(rows.find((r) => r.id === open.id)).toMatchObject({
      anonymous: false,
      confidential: false,
      choice: 'asked',
    });
    // Staff read it on the timeline, on the report page and in the JSON API.
    const staffPage = await c.get(`/kantor/laporan/${open.id}?lang=en`);
    expect(staffPage.html).toContain('Privacy as the citizen answered when the officer asked');
    const token = await t.login(DEMO.coordinator);
    const events = await t.api(`/api/v1/reports/${open.id}/events`, { token });
    expect(events.status).toBe(200);
    const submit = (events.body.items as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'submit',
    );
    expect(submit!.data.privacyChoice).toBe('asked');
    // Outside staff (the citizen with the private link) the event data is the public set, without it.
    const accessKey = decodeURIComponent(new RegExp(`/lacak/${open.id}\\?k=([^"&]+)`).exec(open.html)![1]!);
    const own = await t.api(`/api/v1/reports/${open.id}/events`, { accessKey });
    expect(own.status).toBe(200);
    const ownSubmit = (own.body.items as Array<{ type: string; data: Record<string, unknown> }>).find(
      (e) => e.type === 'submit',
    );
    expect(ownSubmit!.data.channel).toBe('phone');
    expect(ownSubmit!.data).not.toHaveProperty('privacyChoice');
    // A report filed by the citizen themselves (JSON API) carries no such record.
    const filed = await t.api('/api/v1/reports', {
      json: { ...CONTENT, reporter: { name: 'Bu Sendiri' } },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const ownEvent = (
      (await t.runtime.services.db.execute(
        sql`select e.data->>'privacyChoice' as choice from report_events e join reports r on r.id = e.report_id
             where r.tracking_id = ${filed.body.trackingId} and e.type = 'submit'`,
      )) as unknown as { rows: Array<{ choice: string | null }> }
    ).rows[0]!;
    expect(ownEvent.choice).toBeNull();
  });
});
