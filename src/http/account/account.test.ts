/**
 * Citizen accounts over real HTTP: register (the verification link leaves through the outbox as an email row
 * with the address sealed), verify once, sign in, `/akun` lists the citizen's reports, and claiming a report
 * filed without an account: unknown tracking number, wrong key and someone else's report answer the same;
 * the correct key links it (an event), and an ANONYMOUS claimed report still never shows the account's name
 * or email to the agency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, WebClient } from '../../../test/helpers/web-client.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';

let t: TestApp;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function outboxFor(email: string) {
  const all = await rows<{
    kind: string;
    channel: string;
    recipient: string;
    payload: Record<string, string>;
  }>(
    sql`select kind, channel, recipient, payload from outbox where channel = 'email' and kind like 'account.%' order by id`,
  );
  return all.filter((r) => t.runtime.services.sealer.open<string>(r.payload.recipientEnc!) === email);
}

async function register(c: WebClient, email: string, name = 'Sari Warga') {
  return c.post('/daftar', {
    name,
    email,
    password: 'rahasia warga panjang',
    passwordConfirm: 'rahasia warga panjang',
  });
}

describe('citizen accounts', () => {
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers, verifies by the emailed link once, signs in and claims a report by its key', async () => {
    const c = new WebClient(t.url);
    const form = await c.get('/daftar?lang=en');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Create a citizen account');
    const bad = await c.post('/daftar', {
      name: 'S',
      email: 'bukan-email',
      password: 'pendek',
      passwordConfirm: 'x',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('value="bukan-email"');
    expect(bad.html).not.toContain('pendek');

    const r = await register(c, 'sari.warga@contoh.aduan.id');
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/daftar\/terkirim/);
    const [mail] = await outboxFor('sari.warga@contoh.aduan.id');
    expect(mail!.kind).toBe('account.verify');
    expect(mail!.recipient).toMatch(/^user:/); // no clear address in the outbox
    const [clear] = await rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where payload::text like '%sari.warga@%' or recipient like '%sari.warga@%'`,
    );
    expect(clear!.n).toBe(0);
    const link = /https?:\/\/\S+\/daftar\/verifikasi\?token=[A-Za-z0-9_-]+/.exec(mail!.payload.text!)![0];
    const token = new URL(link).searchParams.get('token')!;
    const [stored] = await rows<{ id: string }>(sql`select id from account_tokens`);
    expect(stored!.id).not.toBe(token); // only the hash is stored

    // Before verification: signed in, but no reports and no claim form.
    const early = new WebClient(t.url);
    expect(
      (await early.post('/masuk', { email: 'sari.warga@contoh.aduan.id', password: 'rahasia warga panjang' }))
        .status,
    ).toBe(303);
    expect((await early.get('/akun?lang=id')).html).toContain('belum diverifikasi');

    const v = await c.get(new URL(link).pathname + new URL(link).search);
    expect(v.status).toBe(200);
    expect(v.html).toMatch(/Email (terverifikasi|verified)/);
    expect((await c.get(new URL(link).pathname + new URL(link).search)).status).toBe(404); // single use

    // Registering again with the same address reveals nothing and sends an "already registered" email.
    const again = await register(new WebClient(t.url), 'sari.warga@contoh.aduan.id', 'Orang Lain');
    expect(again.status).toBe(303);
    expect(again.location).toMatch(/^\/daftar\/terkirim/);
    expect((await outboxFor('sari.warga@contoh.aduan.id')).map((m) => m.kind)).toEqual([
      'account.verify',
      'account.exists',
    ]);

    // A report filed anonymously without an account.
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan padam sepanjang jalan',
        body: 'Lampu penerangan jalan umum padam sejak seminggu, jalan gelap dan rawan kecelakaan di malam hari.',
        regionCode: '64.72.02',
        reporter: { name: 'Sari Warga', email: 'sari.lapor@contoh.aduan.id' },
        anonymous: true,
      },
    });
    expect(filed.status).toBe(201);
    const { trackingId, accessKey } = filed.body as { trackingId: string; accessKey: string };

    const me = new WebClient(t.url);
    await me.post('/masuk', { email: 'sari.warga@contoh.aduan.id', password: 'rahasia warga panjang' });
    const home = await me.get('/akun?lang=id');
    expect(home.html).toContain('Belum ada laporan');
    const csrf = csrfOf(home.html);
    // Unknown number, wrong key: the same answer, nothing about the report.
    const unknown = await me.post('/akun/klaim', {
      _csrf: csrf,
      trackingId: '0000000001',
      accessKey: 'salah',
    });
    const wrong = await me.post('/akun/klaim', { _csrf: csrf, trackingId, accessKey: 'salah' });
    expect(unknown.status).toBe(422);
    expect(wrong.status).toBe(422);
    const msg = (h: string) => /<ul class="error-summary-list">[\s\S]*?<\/ul>/.exec(h)![0];
    expect(msg(unknown.html)).toBe(msg(wrong.html));
    expect(wrong.html).not.toContain('Lampu jalan padam');
    expect(wrong.html).not.toContain('salah"'); // the key is never echoed
    // Without the CSRF token nothing happens.
    expect((await me.post('/akun/klaim', { trackingId, accessKey })).status).toBe(403);

    const ok = await me.post('/akun/klaim', { _csrf: csrf, trackingId, accessKey });
    expect(ok.status).toBe(303);
    const listed = await me.get(ok.location!);
    expect(listed.html).toContain(trackingId);
    expect(listed.html).toContain('sekarang terhubung');
    const [ev] = await rows<{ type: string; visibility: string; actor_role: string }>(
      sql`select e.type, e.visibility, e.actor_role from report_events e join reports r on r.id = e.report_id where r.tracking_id = ${trackingId} order by e.seq desc limit 1`,
    );
    expect(ev).toEqual({ type: 'claim', visibility: 'reporter', actor_role: 'reporter' });
    // The account now opens the tracking page without the key.
    expect((await me.get(`/lacak/${trackingId}`)).html).toContain('Lampu jalan padam');

    // Another citizen holding the key cannot take it over (same message as a wrong key).
    const other = new WebClient(t.url);
    await register(other, 'budi.lain@contoh.aduan.id', 'Budi Lain');
    const [m2] = await outboxFor('budi.lain@contoh.aduan.id');
    const l2 = /\/daftar\/verifikasi\?token=[A-Za-z0-9_-]+/.exec(m2!.payload.text!)![0];
    await other.get(l2);
    await other.post('/masuk', { email: 'budi.lain@contoh.aduan.id', password: 'rahasia warga panjang' });
    const oh = await other.get('/akun');
    const taken = await other.post('/akun/klaim', { _csrf: csrfOf(oh.html), trackingId, accessKey });
    expect(taken.status).toBe(422);
    expect(msg(taken.html)).toBe(msg(wrong.html));

    // Privacy: the agency never learns who the anonymous reporter is, account or not.
    const coord = await t.login(DEMO.coordinator);
    const [cat] = await rows<{ id: number }>(sql`select id from categories where active order by id limit 1`);
    await t.api(`/api/v1/reports/${trackingId}/actions/verify`, {
      json: { agencyId: 'pupr-kaltim', categoryId: cat!.id },
      token: coord,
    });
    const pupr = new WebClient(t.url);
    await pupr.post('/masuk', { email: DEMO.puprAdmin, password: DEMO_PASSWORD });
    const staffView = await pupr.get(`/kantor/laporan/${trackingId}`);
    expect(staffView.status).toBe(200);
    for (const secret of ['Sari Warga', 'sari.warga@', 'sari.lapor@'])
      expect(staffView.html).not.toContain(secret);
    const api = await t.api(`/api/v1/reports/${trackingId}`, { token: await t.login(DEMO.puprAdmin) });
    for (const secret of ['Sari Warga', 'sari.warga@', 'sari.lapor@'])
      expect(JSON.stringify(api.body)).not.toContain(secret);
  });

  it('answers concurrent registrations of one email without a server error', async () => {
    const results = await Promise.all(
      [0, 1, 2].map(() => register(new WebClient(t.url), 'serentak@contoh.aduan.id', 'Warga Serentak')),
    );
    for (const r of results) expect(r.status).toBe(303);
    const [{ n } = { n: 0 }] = await rows<{ n: number }>(
      sql`select count(*)::int as n from users where email = 'serentak@contoh.aduan.id'`,
    );
    expect(n).toBe(1);
  });

  it('after signing in, staff land on the back office and citizens on the portal; an explicit next wins', async () => {
    const landing = async (email: string, next?: string) =>
      (
        await new WebClient(t.url).post('/masuk', {
          email,
          password: DEMO_PASSWORD,
          ...(next ? { next } : {}),
        })
      ).location;
    expect(await landing(DEMO.puprOfficer)).toBe('/kantor');
    expect(await landing(DEMO.coordinator)).toBe('/kantor');
    expect(await landing(DEMO.citizen)).toBe('/');
    expect(await landing(DEMO.puprOfficer, '/statistik')).toBe('/statistik');
    expect(await landing(DEMO.puprOfficer, '//evil.example')).toBe('/kantor');
  });
});
