/**
 * Back-office administration, assignment, password change and sign-in hardening over real HTTP with cookie
 * sessions (WebClient: cookies kept, redirects not followed so PRG is asserted): assign to an officer and the
 * officer's "assigned to me" tab; the agency tree, users and roles, categories, holidays and SLA rules in and
 * out of scope; password change closing other sessions; the lockout message; session fixation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { createStaffUser } from '../../commands/manage-staff-users.ts';
import { actorFor } from '../../db/repositories/users.ts';
import { sha256 } from '../../integrations/crypto.ts';
import { deliverMailOnce, startSmtp } from '../../../test/helpers/receivers.ts';

let t: TestApp;

/** GET a page then POST a form on it with its CSRF token. */
async function submitOn(
  c: WebClient,
  pagePath: string,
  action: string,
  form: Record<string, string | string[]>,
) {
  const page = await c.get(pagePath);
  expect(page.status, page.html.slice(0, 500)).toBe(200);
  return c.post(action, { _csrf: csrfOf(page.html), ...form });
}

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function dispatchedReport(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di jalan utama',
      body: 'Saluran drainase tersumbat sampah sehingga jalan tergenang setiap kali hujan turun deras.',
      regionCode: '64.72.02',
      reporter: { name: 'Rahmawati Tersembunyi', email: 'rahma.anon@contoh.aduan.id' },
      anonymous: true,
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  const coord = await t.login(DEMO.coordinator);
  const [cat] = await rows<{ id: number }>(sql`select id from categories where active order by id limit 1`);
  const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
    json: { agencyId: 'pupr-kaltim', categoryId: cat!.id },
    token: coord,
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  return r.body as { trackingId: string; accessKey: string };
}

describe('back-office administration', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-11-02T02:00:00Z') });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('assigns a report to an officer: internal event, the officer sees it under "assigned to me"', async () => {
    const { trackingId, accessKey } = await dispatchedReport();
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    // At the agency level only its own staff can be assigned: the unit's officer does not see it yet.
    const before = await admin.get(`/kantor/laporan/${trackingId}`);
    expect(before.html).not.toContain('Petugas Bina Marga (Demo) (Petugas)');
    const d = await t.api(`/api/v1/reports/${trackingId}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token: await t.login(DEMO.puprAdmin),
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const page = await admin.get(`/kantor/laporan/${trackingId}`);
    expect(page.html).toContain('Tugaskan ke petugas');
    const [officer] = await rows<{ id: string }>(sql`select id from users where email = ${DEMO.puprOfficer}`);
    // Someone outside the handling agency cannot be assigned.
    const [dinkes] = await rows<{ id: string }>(sql`select id from users where email = ${DEMO.dinkesAdmin}`);
    const bad = await admin.post(`/kantor/laporan/${trackingId}/assign`, {
      _csrf: csrfOf(page.html),
      assignee: dinkes!.id,
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('error-summary');
    expect(bad.html).toContain('bukan petugas instansi atau unit yang menangani laporan ini');
    const ok = await admin.post(`/kantor/laporan/${trackingId}/assign`, {
      _csrf: csrfOf(page.html),
      assignee: officer!.id,
    });
    expect(ok.status, /error-summary[\s\S]{0,600}/.exec(ok.html)?.[0]).toBe(303);
    const [row] = await rows<{ assignee_user_id: string; status: string }>(
      sql`select assignee_user_id, status from reports where tracking_id = ${trackingId}`,
    );
    expect(row).toEqual({ assignee_user_id: officer!.id, status: 'dispatched' });
    const [ev] = await rows<{ type: string; visibility: string }>(
      sql`select e.type, e.visibility from report_events e join reports r on r.id = e.report_id where r.tracking_id = ${trackingId} order by seq desc limit 1`,
    );
    expect(ev).toEqual({ type: 'assign', visibility: 'internal' });

    const off = await signInWeb(t.url, DEMO.puprOfficer);
    const queue = await off.get('/kantor?tab=assigned');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain('Ditugaskan kepada saya');
    expect(queue.html).toContain(trackingId);
    expect(queue.html).toContain('href="/static/staff.css?v=');
    const report = await off.get(`/kantor/laporan/${trackingId}`);
    expect(report.html).toContain('Petugas Bina Marga (Demo)');
    expect(report.html).not.toContain('Rahmawati Tersembunyi');
    expect(report.html).not.toContain('Tugaskan ke petugas'); // officers cannot reassign
    // The internal assignment never reaches the reporter's tracking page.
    const track = await t.api(`/api/v1/reports/${trackingId}/events`, { accessKey });
    expect(JSON.stringify(track.body)).not.toContain('assign');
    // The officer's other tabs do not list it under another officer.
    const coord = await signInWeb(t.url, DEMO.coordinator);
    expect((await coord.get('/kantor')).html).not.toContain('Ditugaskan kepada saya');
  });

  it('queue to-do tabs sort by the nearest deadline by default, and the order can be changed', async () => {
    const c = await signInWeb(t.url, DEMO.puprAdmin);
    const def = await c.get('/kantor?tab=follow_up');
    expect(def.html).toMatch(/<option value="due" selected/);
    const newest = await c.get('/kantor?tab=follow_up&urutan=newest');
    expect(newest.html).toMatch(/<option value="newest" selected/);
    const dispatched = await c.get('/kantor?tab=dispatched');
    expect(dispatched.html).toMatch(/<option value="newest" selected/);
  });

  it('agency tree: add a unit, rename, refuse deactivation while busy; out-of-scope agencies are 404', async () => {
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const tree = await admin.get('/kantor/admin/instansi');
    expect(tree.status).toBe(200);
    expect(tree.html).toContain('Bidang Bina Marga');
    expect(tree.html).not.toContain('Dinas Kesehatan');
    expect((await admin.get('/kantor/admin/instansi/dinkes-kaltim')).status).toBe(404);

    const bad = await submitOn(
      admin,
      '/kantor/admin/instansi/pupr-kaltim',
      '/kantor/admin/instansi/pupr-kaltim/tambah',
      {
        childName: 'ab',
        kind: 'unit',
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('value="ab"');
    const add = await submitOn(
      admin,
      '/kantor/admin/instansi/pupr-kaltim',
      '/kantor/admin/instansi/pupr-kaltim/tambah',
      {
        childName: 'Bidang Sumber Daya Air',
        kind: 'unit',
      },
    );
    expect(add.status).toBe(303);
    expect(add.location).toMatch(
      /^\/kantor\/admin\/instansi\/pupr-kaltim-bidang-sumber-daya-air\?selesai=tambah/,
    );
    const id = 'pupr-kaltim-bidang-sumber-daya-air';
    const ren = await submitOn(admin, `/kantor/admin/instansi/${id}`, `/kantor/admin/instansi/${id}/ubah`, {
      name: 'Bidang SDA',
      shortName: 'SDA',
    });
    expect(ren.status).toBe(303);
    const [a] = await rows<{ name: string; path: string; region_code: string }>(
      sql`select name, path, region_code from agencies where id = ${id}`,
    );
    expect(a).toEqual({ name: 'Bidang SDA', path: `/pemprov-kaltim/pupr-kaltim/${id}/`, region_code: '64' });
    // The new unit is offered for dispositions; the admin cannot deactivate its own agency.
    const own = await submitOn(
      admin,
      '/kantor/admin/instansi/pupr-kaltim',
      '/kantor/admin/instansi/pupr-kaltim/status',
      {
        active: 'false',
      },
    );
    expect(own.status).toBe(422);
    expect(own.html).toContain('peran Anda sendiri');
    const off = await submitOn(admin, `/kantor/admin/instansi/${id}`, `/kantor/admin/instansi/${id}/status`, {
      active: 'false',
    });
    expect(off.status).toBe(303);
    // Agency admins read the national category list but do not change it (admin-categories.test.ts).
    expect((await admin.get('/kantor/admin/kategori')).status).toBe(200);
    // Officers have no administration at all.
    expect((await (await signInWeb(t.url, DEMO.puprOfficer)).get('/kantor/admin')).status).toBe(403);
  });

  it('users: grant and revoke in scope only; staff of another agency, the national admin and citizens are 404', async () => {
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const list = await admin.get('/kantor/admin/pengguna');
    expect(list.html).toContain(DEMO.puprOfficer);
    expect(list.html).not.toContain(DEMO.dinkesAdmin);
    const idOf = async (email: string) =>
      (await rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
    const userPath = `/kantor/admin/pengguna/${await idOf(DEMO.puprOfficer)}`;
    const grant = await submitOn(admin, userPath, `${userPath}/peran`, {
      role: 'agency_admin',
      agencyId: 'pupr-kaltim-unit',
    });
    expect(grant.status).toBe(303);
    const [g] = await rows<{ id: number }>(
      sql`select g.id from role_grants g join users u on u.id = g.user_id
           where u.email = ${DEMO.puprOfficer} and g.role = 'agency_admin'`,
    );
    // Above the admin's own role: refused.
    const tooHigh = await submitOn(admin, userPath, `${userPath}/peran`, {
      role: 'coordinator',
      agencyId: 'pupr-kaltim',
    });
    expect(tooHigh.status).toBe(403);
    const revoke = await submitOn(admin, userPath, `${userPath}/cabut`, { grantId: String(g!.id) });
    expect(revoke.status).toBe(303);
    const left = await rows<{ role: string }>(
      sql`select g.role from role_grants g join users u on u.id = g.user_id where u.email = ${DEMO.puprOfficer}`,
    );
    expect(left.map((r) => r.role)).toEqual(['officer']);

    // Granting is scoped to the user too, not only to the agency: staff of another agency, the national admin and a
    // citizen account are 404 (as their user pages), one's own account is refused; a grant revoked through another
    // user's address is 404.
    for (const email of [DEMO.dinkesAdmin, DEMO.national, DEMO.citizen]) {
      const path = `/kantor/admin/pengguna/${await idOf(email)}`;
      expect((await admin.get(path)).status, email).toBe(404);
      const page = await admin.get('/kantor/admin/pengguna');
      const r = await admin.post(`${path}/peran`, {
        _csrf: csrfOf(page.html),
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
      });
      expect(r.status, email).toBe(404);
    }
    const self = `/kantor/admin/pengguna/${await idOf(DEMO.puprAdmin)}`;
    const own = await submitOn(admin, '/kantor/admin/pengguna', `${self}/peran`, {
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
    });
    expect(own.status).toBe(422);
    const granted = await rows<{ n: number }>(
      sql`select count(*)::int as n from role_grants g join users u on u.id = g.user_id
           where u.email in (${DEMO.dinkesAdmin}, ${DEMO.national}, ${DEMO.citizen}, ${DEMO.puprAdmin})
             and g.agency_id = 'pupr-kaltim-unit'`,
    );
    expect(granted[0]!.n).toBe(0);
    const [officerGrant] = await rows<{ id: number }>(
      sql`select g.id from role_grants g join users u on u.id = g.user_id where u.email = ${DEMO.puprOfficer}`,
    );
    const otherPath = `/kantor/admin/pengguna/${await idOf(DEMO.puprAdmin)}`;
    const wrongUser = await submitOn(admin, '/kantor/admin/pengguna', `${otherPath}/cabut`, {
      grantId: String(officerGrant!.id),
    });
    expect(wrongUser.status).toBe(404);
    expect(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from role_grants where id = ${officerGrant!.id}`,
        )
      )[0]!.n,
    ).toBe(1);
  });

  it('invitations: the same answer and listing for every address; the owner accepts by the emailed link', async () => {
    const svc = t.runtime.services;
    // This test follows the emailed link (a worker with SMTP delivers it below); without SMTP the page shows the
    // link instead (admin-users-accounts.test.ts).
    svc.emailConfigured = true;
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const invite = (form: Record<string, string>) =>
      submitOn(admin, '/kantor/admin/pengguna', '/kantor/admin/pengguna', form);
    const usersTable = (html: string) => html.slice(0, html.indexOf('id="h-invite"'));
    const before = usersTable((await admin.get('/kantor/admin/pengguna')).html);

    // Out of scope and above one's own role: refused as before, nothing written.
    const tooHigh = await invite({
      name: 'Koordinator Palsu',
      email: 'palsu@contoh.aduan.id',
      role: 'coordinator',
      agencyId: 'pupr-kaltim',
    });
    expect(tooHigh.status).toBe(403);
    const other = await invite({
      name: 'Petugas Dinkes',
      email: 'petugas.dinkes@contoh.aduan.id',
      role: 'officer',
      agencyId: 'dinkes-kaltim',
    });
    expect(other.status).toBe(403);
    const bad = await invite({
      name: 'Tanpa Alamat',
      email: 'bukan-email',
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Alamat email tidak valid');
    expect(bad.html).toContain('value="Tanpa Alamat"');
    const selfInvite = await invite({
      name: 'Saya Sendiri',
      email: DEMO.puprAdmin,
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
    });
    expect(selfInvite.status).toBe(422);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from staff_invitations`))[0]!.n).toBe(0);

    // An unverified registration of an address by someone who is not its owner (password chosen by them).
    const squatter = new WebClient(t.url);
    const reg = await squatter.post('/daftar', {
      name: 'Penyerobot',
      email: 'calon.petugas@contoh.aduan.id',
      password: 'sandi milik penyerobot',
      passwordConfirm: 'sandi milik penyerobot',
    });
    expect(reg.status).toBe(303);
    const squatterSession = await signInWeb(
      t.url,
      'calon.petugas@contoh.aduan.id',
      'sandi milik penyerobot',
      '/',
    );

    // Four addresses: fresh, a verified citizen, staff of another agency, an unverified registration.
    const addresses = [
      ['Petugas Baru', 'petugas.baru@contoh.aduan.id'],
      ['Warga Jadi Petugas', DEMO.citizen],
      ['Admin Dinkes', DEMO.dinkesAdmin],
      ['Calon Petugas', 'calon.petugas@contoh.aduan.id'],
    ] as const;
    const answers: Array<{ status: number; location: string | null; cookies: string[]; page: string }> = [];
    for (const [name, email] of addresses) {
      const r = await invite({
        name,
        email: email.toUpperCase(),
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
      });
      const page = await admin.get(r.location!);
      expect(page.html).toContain(`Undangan dikirim ke ${email}.`);
      expect((await admin.get('/kantor/admin/pengguna')).html).not.toContain('Undangan dikirim ke'); // once
      answers.push({
        status: r.status,
        location: r.location,
        cookies: r.headers.getSetCookie().map((c) => c.split('=')[0]!),
        page: page.html.replaceAll(email, 'ADDRESS').replaceAll(name, 'NAME'),
      });
    }
    expect(answers[0]!.status).toBe(303);
    expect(answers[0]!.location).toBe('/kantor/admin/pengguna?lang=id');
    // The answer and every page row are the same whatever the address (ids and times aside).
    const rowOf = (html: string) =>
      html
        .split('<tr data-invitation=')
        .map((r) => r.split('</tr>')[0]!)
        .find((r) => r.includes('<td>ADDRESS</td>'))!
        .replace(/[0-9a-f-]{36}/g, 'ID');
    for (const a of answers.slice(1)) {
      expect({ ...a, page: undefined }).toEqual({ ...answers[0]!, page: undefined });
      expect(rowOf(a.page)).toBe(rowOf(answers[0]!.page));
    }
    const listed = (await admin.get('/kantor/admin/pengguna')).html;
    expect(usersTable(listed)).toBe(before); // nobody is a user before accepting
    for (const [, email] of addresses) expect(listed).toContain(`<td>${email}</td>`);

    // The links left through the outbox: sealed address, no clear address or token stored anywhere.
    const mails = await rows<{
      id: number;
      kind: string;
      recipient: string;
      payload: Record<string, string>;
    }>(sql`select id, kind, recipient, payload from outbox where kind = 'staff.invite' order by id`);
    expect(mails).toHaveLength(4);
    const tokens = new Map<string, string>();
    for (const m of mails) {
      expect(m.recipient).toMatch(/^invitation:[0-9a-f-]{36}$/);
      const to = svc.sealer.open<string>(m.payload.recipientEnc!);
      // The text holding the link is sealed (payload.textEnc), like the address.
      expect(m.payload.text).toBeUndefined();
      const text = svc.sealer.open<string>(m.payload.textEnc!);
      const token = new RegExp(`${t.url}/undangan\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
      expect(token, text).toBeTruthy();
      expect(text).toContain('Petugas (Bidang Bina Marga, Dinas PUPR Kaltim)');
      expect(text).toContain('Officer (Bidang Bina Marga, Dinas PUPR Kaltim)');
      tokens.set(to, token!);
      expect(listed).not.toContain(token!);
    }
    expect([...tokens.keys()].sort()).toEqual(addresses.map(([, e]) => e).sort());
    const stored = await rows<{ token_hash: string; email: string }>(
      sql`select token_hash, email from staff_invitations`,
    );
    for (const r of stored) expect(r.token_hash).toBe(sha256(tokens.get(r.email)!));
    expect(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from outbox where payload::text like '%@contoh.aduan.id%' or recipient like '%@%'`,
        )
      )[0]!.n,
    ).toBe(0);

    // The worker delivers them like any email row: to the sealed address, the link in the text.
    const smtp = await startSmtp();
    await deliverMailOnce(svc, smtp.url);
    await smtp.close();
    const delivered = smtp.unique().filter((m) => m.subject === 'Undangan bergabung sebagai petugas aduan');
    expect(delivered.map((m) => m.to).sort()).toEqual(addresses.map(([, e]) => e).sort());
    for (const m of delivered) expect(m.text).toContain(`/undangan?token=${tokens.get(m.to)}`);

    // A fresh address: set name and password, signed in, in the back office with exactly the invited role.
    const fresh = new WebClient(t.url);
    const link = `/undangan?token=${tokens.get('petugas.baru@contoh.aduan.id')}`;
    const form = await fresh.get(link);
    expect(form.status).toBe(200);
    expect(form.html).toContain('petugas.baru@contoh.aduan.id');
    expect(form.html).toContain('name="passwordConfirm"');
    expect(form.html).toContain('value="Petugas Baru"');
    const token = tokens.get('petugas.baru@contoh.aduan.id')!;
    const mismatch = await fresh.post('/undangan', {
      token,
      name: 'Petugas Baru',
      password: 'sandi petugas baru',
      passwordConfirm: 'sandi lain sekali',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.html).toContain('#f-passwordConfirm');
    expect(mismatch.html).not.toContain('sandi petugas baru');
    const short = await fresh.post('/undangan?lang=en', {
      token,
      name: 'Petugas Baru',
      password: 'pendek',
      passwordConfirm: 'pendek',
    });
    expect(short.status).toBe(422);
    expect(short.html).toContain('At least 10 characters');
    // The language switch of the re-rendered form returns to the same invitation.
    expect(short.html).toContain(`href="/undangan?token=${token}&amp;lang=id"`);
    const accepted = await fresh.post('/undangan', {
      token,
      name: 'Petugas Baru Sekali',
      password: 'sandi petugas baru',
      passwordConfirm: 'sandi petugas baru',
    });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe('/kantor');
    expect((await fresh.get('/kantor')).status).toBe(200);
    const roleOf = async (email: string) =>
      (
        await rows<{ role: string; agency_id: string | null }>(
          sql`select g.role, g.agency_id from role_grants g join users u on u.id = g.user_id
               where u.email = ${email} order by g.id`,
        )
      ).map((r) => `${r.role}@${r.agency_id ?? ''}`);
    expect(await roleOf('petugas.baru@contoh.aduan.id')).toEqual(['officer@pupr-kaltim-unit']);
    const [made] = await rows<{ password_hash: string; must_change_password: boolean; name: string }>(
      sql`select password_hash, must_change_password, name from users where email = 'petugas.baru@contoh.aduan.id'`,
    );
    expect(made!.password_hash).toMatch(/^\$argon2id\$/);
    expect(made!.must_change_password).toBe(false);
    expect(made!.name).toBe('Petugas Baru Sekali');
    await signInWeb(t.url, 'petugas.baru@contoh.aduan.id', 'sandi petugas baru');
    // Used: the link is dead, accepting twice is impossible.
    const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    const invalidPage = mainOf((await new WebClient(t.url).get(link)).html);
    expect((await fresh.get(link)).status).toBe(404);
    const twice = await new WebClient(t.url).post('/undangan', {
      token,
      name: 'Orang Lain',
      password: 'sandi orang lain',
      passwordConfirm: 'sandi orang lain',
    });
    expect(twice.status).toBe(404);
    expect(await roleOf('petugas.baru@contoh.aduan.id')).toHaveLength(1);

    // A verified citizen: confirms with the account's current password (a wrong one counts as a failed sign-in).
    const citizen = new WebClient(t.url);
    const citizenLink = `/undangan?token=${tokens.get(DEMO.citizen)}`;
    const citizenForm = await citizen.get(citizenLink);
    expect(citizenForm.status).toBe(200);
    expect(citizenForm.html).toContain('autocomplete="current-password"');
    expect(citizenForm.html).not.toContain('name="passwordConfirm"');
    const wrong = await citizen.post('/undangan', {
      token: tokens.get(DEMO.citizen)!,
      password: 'bukan sandinya',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('Kata sandi saat ini salah');
    expect(
      (await rows<{ n: number }>(sql`select failed_logins as n from users where email = ${DEMO.citizen}`))[0]!
        .n,
    ).toBe(1);
    const ok = await citizen.post('/undangan', { token: tokens.get(DEMO.citizen)!, password: DEMO_PASSWORD });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/kantor');
    expect(await roleOf(DEMO.citizen)).toEqual(['citizen@', 'officer@pupr-kaltim-unit']);
    await signInWeb(t.url, DEMO.citizen); // the password is unchanged
    expect((await citizen.get(citizenLink)).status).toBe(404);

    // The unverified registration: the owner of the address sets their own password; the squatter is out.
    const owner = new WebClient(t.url);
    const ownerToken = tokens.get('calon.petugas@contoh.aduan.id')!;
    expect((await owner.get(`/undangan?token=${ownerToken}`)).html).toContain('name="passwordConfirm"');
    const taken = await owner.post('/undangan', {
      token: ownerToken,
      name: 'Calon Petugas',
      password: 'sandi pemilik alamat',
      passwordConfirm: 'sandi pemilik alamat',
    });
    expect(taken.status).toBe(303);
    expect((await squatterSession.get('/akun')).status).toBe(303); // signed out
    expect(
      (
        await new WebClient(t.url).post('/masuk', {
          email: 'calon.petugas@contoh.aduan.id',
          password: 'sandi milik penyerobot',
        })
      ).status,
    ).toBe(401);
    await signInWeb(t.url, 'calon.petugas@contoh.aduan.id', 'sandi pemilik alamat');
    expect(await roleOf('calon.petugas@contoh.aduan.id')).toEqual(['officer@pupr-kaltim-unit']);

    // Accepted invitations leave the pending list; the people are users now.
    const after = (await admin.get('/kantor/admin/pengguna')).html;
    const pendingPart = after.slice(after.indexOf('id="h-invitations"'));
    expect(pendingPart).not.toContain('petugas.baru@');
    expect(pendingPart).not.toContain(DEMO.citizen);
    expect(pendingPart).toContain(DEMO.dinkesAdmin);
    expect(usersTable(after)).toContain('petugas.baru@contoh.aduan.id');
    expect(usersTable(after)).toContain(DEMO.citizen);
    const [acc] = await rows<{ accepted_at: Date | null; accepted_user_id: string | null }>(
      sql`select accepted_at, accepted_user_id from staff_invitations where email = 'petugas.baru@contoh.aduan.id'`,
    );
    expect(acc!.accepted_at).not.toBeNull();
    expect(acc!.accepted_user_id).toMatch(/^[0-9a-f-]{36}$/);

    // Expired: the link is dead; "Kirim ulang" sends a new one (the old stays dead) valid 7 more days.
    const [dinkesInv] = await rows<{ id: string }>(
      sql`select id from staff_invitations where email = ${DEMO.dinkesAdmin}`,
    );
    await rows(
      sql`update staff_invitations set expires_at = ${new Date(t.clock.now.getTime() - 60_000)} where id = ${dinkesInv!.id}`,
    );
    const dinkesLink = `/undangan?token=${tokens.get(DEMO.dinkesAdmin)}`;
    const expired = await new WebClient(t.url).get(dinkesLink);
    expect(expired.status).toBe(404);
    expect((await admin.get('/kantor/admin/pengguna')).html).toContain('(kedaluwarsa)');
    // Staff outside the invitation's scope neither see nor touch it.
    const balikpapan = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    const theirs = (await balikpapan.get('/kantor/admin/pengguna')).html;
    expect(theirs).not.toContain(dinkesInv!.id);
    expect(theirs).not.toContain('calon.petugas@');
    // The province's coordinator has PUPR in scope and sees it.
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    expect((await coordinator.get('/kantor/admin/pengguna')).html).toContain(dinkesInv!.id);
    const foreign = await submitOn(
      balikpapan,
      '/kantor/admin/pengguna',
      `/kantor/admin/pengguna/undangan/${dinkesInv!.id}/batalkan`,
      {},
    );
    expect(foreign.status).toBe(404);
    const resent = await submitOn(
      admin,
      '/kantor/admin/pengguna',
      `/kantor/admin/pengguna/undangan/${dinkesInv!.id}/kirim-ulang`,
      {},
    );
    expect(resent.status).toBe(303);
    expect((await admin.get(resent.location!)).html).toContain(
      `Undangan dikirim ulang ke ${DEMO.dinkesAdmin}.`,
    );
    const [again] = await rows<{ payload: Record<string, string> }>(
      sql`select payload from outbox where kind = 'staff.invite' order by id desc limit 1`,
    );
    const newToken = /undangan\?token=([A-Za-z0-9_-]+)/.exec(
      svc.sealer.open<string>(again!.payload.textEnc!),
    )![1]!;
    expect(newToken).not.toBe(tokens.get(DEMO.dinkesAdmin));
    expect((await new WebClient(t.url).get(dinkesLink)).status).toBe(404);
    expect((await new WebClient(t.url).get(`/undangan?token=${newToken}`)).status).toBe(200);

    // Cancelled: the link is dead and the row leaves the list.
    const cancel = await submitOn(
      admin,
      '/kantor/admin/pengguna',
      `/kantor/admin/pengguna/undangan/${dinkesInv!.id}/batalkan`,
      {},
    );
    expect(cancel.status).toBe(303);
    const cancelled = await admin.get(cancel.location!);
    expect(cancelled.html).toContain('Undangan dibatalkan');
    expect(cancelled.html).not.toContain(`<td>${DEMO.dinkesAdmin}</td>`);
    const revokedPage = await new WebClient(t.url).get(`/undangan?token=${newToken}`);
    expect(revokedPage.status).toBe(404);
    expect(await roleOf(DEMO.dinkesAdmin)).toEqual(['agency_admin@dinkes-kaltim']);
    // Every dead link is the same neutral page: unknown, malformed, missing, used, expired, cancelled.
    for (const path of [
      '/undangan?token=tidak-ada-token-seperti-ini-000',
      '/undangan?token=x',
      '/undangan',
    ]) {
      const r = await new WebClient(t.url).get(path);
      expect(r.status, path).toBe(404);
      expect(mainOf(r.html), path).toBe(invalidPage);
    }
    expect(mainOf(expired.html)).toBe(invalidPage);
    expect(mainOf(revokedPage.html)).toBe(invalidPage);
    expect(invalidPage).toContain('Tautan tidak berlaku');
  });

  it('categories (national), holidays (coordinator, own region) with the missing-year warning, SLA rules', async () => {
    const nat = await signInWeb(t.url, DEMO.national);
    const add = await submitOn(nat, '/kantor/admin/kategori', '/kantor/admin/kategori', {
      categoryName: 'Kebencanaan',
    });
    expect(add.status).toBe(303);
    const [cat] = await rows<{ id: number }>(sql`select id from categories where name = 'Kebencanaan'`);
    const dupe = await submitOn(nat, '/kantor/admin/kategori', '/kantor/admin/kategori', {
      categoryName: 'Kebencanaan',
    });
    expect(dupe.status).toBe(422);
    const off = await submitOn(nat, '/kantor/admin/kategori', `/kantor/admin/kategori/${cat!.id}/status`, {
      active: 'false',
    });
    expect(off.status).toBe(303);
    expect(JSON.stringify((await t.api('/api/v1/categories')).body)).not.toContain('Kebencanaan');

    const coord = await signInWeb(t.url, DEMO.coordinator);
    // November: next year's calendar is missing in the test database → warning on admin home and queue.
    const home = await coord.get('/kantor/admin');
    expect(home.html).toMatch(/Kalender hari libur nasional 2027 belum diisi/);
    expect((await coord.get('/kantor')).html).toMatch(/Kalender hari libur nasional 2027 belum diisi/);
    const cal = await coord.get('/kantor/admin/kalender?tahun=2026');
    expect(cal.status).toBe(200);
    const outside = await coord.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: '2026-12-03',
      name: 'Hari jadi kota lain',
      regionCode: '31',
    });
    expect(outside.status).toBe(403);
    const bad = await coord.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: 'besok',
      name: '',
      regionCode: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('#f-date');
    // Every problem at once: an impossible date, an empty name and an unknown region.
    const all = await coord.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: '2026-02-30',
      name: '',
      regionCode: '99',
    });
    expect(all.status).toBe(422);
    for (const field of ['#f-date', '#f-name', '#f-regionCode']) expect(all.html).toContain(field);
    const ok = await coord.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: '2026-12-03',
      name: 'Hari jadi Kota Samarinda (contoh)',
      regionCode: '64.72',
    });
    expect(ok.status).toBe(303);
    const listed = await coord.get('/kantor/admin/kalender?tahun=2026');
    expect(listed.html).toContain('Hari jadi Kota Samarinda (contoh)');
    const rm = await coord.post('/kantor/admin/kalender/hapus', {
      _csrf: csrfOf(listed.html),
      date: '2026-12-03',
      regionCode: '64.72',
    });
    expect(rm.status).toBe(303);
    expect((await coord.get('/kantor/admin/kalender?tahun=2026')).html).not.toContain(
      'Kota Samarinda (contoh)',
    );

    // SLA: everyone with admin screens reads the rules; the national admin adds national versions, a coordinator
    // regional ones for its region only (src/http/staff/regional-sla.test.ts): without a region, a field error.
    const sla = await coord.get('/kantor/admin/sla');
    expect(sla.html).toMatch(/Perpres|Permen|UU/);
    expect(sla.html).toContain('Tambah versi aturan');
    const noRegion = await coord.post('/kantor/admin/sla', {
      _csrf: csrfOf(sla.html),
      clock: 'verification',
    });
    expect(noRegion.status).toBe(422);
    expect(noRegion.html).toContain('#f-regionCode');
    const natSla = await nat.get('/kantor/admin/sla?lang=en');
    expect(natSla.html).toContain('Add a rule version');
    // Each clock says what it measures (the two reporter clocks read alike by their names).
    expect(natSla.html).toContain(
      'if the reporter does not respond by then, the report closes automatically',
    );
    expect(natSla.html).toMatch(/the reporter(&#39;|&#x27;|')s time to answer before it is archived/);
    const invalid = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'verification',
      workingDays: 'x',
    });
    expect(invalid.status).toBe(422);
    // Too many days names the allowed range, not only its lower end.
    const tooLong = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'verification',
      workingDays: '999',
      basis: 'Contoh',
      validFrom: '2027-01-01',
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.html).toContain('Must be a whole number from 1 to 365');
    const added = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'verification',
      workingDays: '2',
      basis: 'Contoh Permen PANRB 99/2026',
      validFrom: '2027-01-01',
    });
    expect(added.status).toBe(303);
    const slaAfter = (await nat.get('/kantor/admin/sla')).html;
    expect(slaAfter).toContain('Contoh Permen PANRB 99/2026');
    // Validity dates: the previous verification version ends the day before the new one starts.
    expect(slaAfter).toContain('Valid until');
    const verificationRows = slaAfter.split('<tr').filter((r) => r.includes('<code>verification</code>'));
    expect(
      verificationRows.some((r) => r.includes('1 January 2027') && r.includes('Until a new version')),
    ).toBe(true);
    expect(verificationRows.some((r) => r.includes('31 December 2026'))).toBe(true);
    // A correction from the same date replaces the version before it, and the table says it never applies.
    const same = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'verification',
      workingDays: '3',
      basis: 'Contoh Permen PANRB 99/2026 (koreksi)',
      validFrom: '2027-01-01',
    });
    expect(same.status).toBe(303);
    const corrected = (await nat.get('/kantor/admin/sla?lang=en')).html
      .split('<tr')
      .filter((r) => r.includes('<code>verification</code>'));
    const row = (basis: string) => corrected.find((r) => r.includes(`${basis}</td>`)) ?? '';
    expect(row('Contoh Permen PANRB 99/2026')).toMatch(/Never in force: replaced by version \d/);
    expect(row('Contoh Permen PANRB 99/2026 (koreksi)')).toContain('Until a new version');
    // A start in the past only with "Retroactive" ticked.
    const past = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'follow_up',
      workingDays: '4',
      basis: 'Contoh Pergub berlaku surut',
      validFrom: '2026-01-05',
    });
    expect(past.status).toBe(422);
    expect(past.html).toContain('Retroactive');
    expect(past.html).toContain('#f-validFrom');
    const retro = await nat.post('/kantor/admin/sla', {
      _csrf: csrfOf(natSla.html),
      clock: 'follow_up',
      workingDays: '4',
      basis: 'Contoh Pergub berlaku surut',
      validFrom: '2026-01-05',
      retroactive: 'yes',
    });
    expect(retro.status).toBe(303);
  });

  it('password change: wrong current password, mismatch, then success closes the other sessions', async () => {
    const email = DEMO.dinkesAdmin;
    const a = await signInWeb(t.url, email);
    const b = await signInWeb(t.url, email);
    const page = await a.get('/kantor/kata-sandi');
    expect(page.status).toBe(200);
    const wrong = await a.post('/kantor/kata-sandi', {
      _csrf: csrfOf(page.html),
      currentPassword: 'bukan-kata-sandi',
      newPassword: 'kata sandi baru yang panjang',
      newPasswordConfirm: 'kata sandi baru yang panjang',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('Kata sandi saat ini salah');
    expect(wrong.html).not.toContain('kata sandi baru yang panjang');
    const mismatch = await a.post('/kantor/kata-sandi', {
      _csrf: csrfOf(page.html),
      currentPassword: DEMO_PASSWORD,
      newPassword: 'kata sandi baru yang panjang',
      newPasswordConfirm: 'kata sandi lain',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.html).toContain('#f-newPasswordConfirm');
    const ok = await a.post('/kantor/kata-sandi', {
      _csrf: csrfOf(page.html),
      currentPassword: DEMO_PASSWORD,
      newPassword: 'kata sandi baru yang panjang',
      newPasswordConfirm: 'kata sandi baru yang panjang',
    });
    expect(ok.status).toBe(303);
    expect((await a.get(ok.location!)).html).toContain('1 sesi lain');
    expect((await b.get('/kantor')).status).toBe(303); // the other session is gone
    expect((await a.get('/kantor')).status).toBe(200); // this one stays
    const old = await new WebClient(t.url).post('/masuk', { email, password: DEMO_PASSWORD });
    expect(old.status).toBe(401);
    await signInWeb(t.url, email, 'kata sandi baru yang panjang');
  });

  it('temporary password: every back-office page and API call waits until it is changed', async () => {
    // A temporary password comes from the operator (aduan users create-admin) or a fixture, never the admin pages.
    const [pupr] = await rows<{ id: string }>(sql`select id from users where email = ${DEMO.puprAdmin}`);
    const made = await createStaffUser(
      t.runtime.services,
      { actor: await actorFor(t.runtime.services.db, pupr!.id) },
      {
        name: 'Petugas Sementara',
        email: 'petugas.sementara@contoh.aduan.id',
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
      },
    );
    const temp = made.temporaryPassword;
    expect(temp).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const flag = async () =>
      (
        await rows<{ must_change_password: boolean }>(
          sql`select must_change_password from users where email = 'petugas.sementara@contoh.aduan.id'`,
        )
      )[0]!.must_change_password;
    expect(await flag()).toBe(true);

    // Sign-in lands on the password page, whatever `next` said.
    const c = new WebClient(t.url);
    const login = await c.post('/masuk', {
      email: 'petugas.sementara@contoh.aduan.id',
      password: temp!,
      next: '/kantor?tab=dispatched',
    });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/kantor/kata-sandi?next=%2Fkantor%3Ftab%3Ddispatched');
    // Every back-office page redirects there (GET and POST), the account page too.
    for (const path of [
      '/kantor',
      '/kantor/lapor-langsung',
      '/kantor/admin',
      '/kantor/notifikasi',
      '/akun',
    ]) {
      const r = await c.get(path);
      expect(r.status, path).toBe(303);
      expect(r.location, path).toBe(`/kantor/kata-sandi?next=${encodeURIComponent(path)}`);
    }
    const form = await c.get('/kantor/kata-sandi?next=%2Fkantor%3Ftab%3Ddispatched');
    expect(form.status).toBe(200);
    expect(form.html).toContain('kata sandi sementara');
    const post = await c.post('/kantor/lapor-langsung', { _csrf: csrfOf(form.html), title: 'x' });
    expect(post.status).toBe(303);
    expect(post.location).toMatch(/^\/kantor\/kata-sandi/);
    // Public pages stay open.
    expect((await c.get('/')).status).toBe(200);

    // The API answers 403 with a clear code, except for the session endpoints.
    const api = await t.api('/api/v1/auth/login', {
      json: { email: 'petugas.sementara@contoh.aduan.id', password: temp },
    });
    expect(api.status).toBe(200);
    expect(api.body.mustChangePassword).toBe(true);
    const blocked = await t.api('/api/v1/notifications', { token: api.body.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(blocked.body.error.message).toContain('/kantor/kata-sandi');
    expect((await t.api('/api/v1/auth/me', { token: api.body.token })).status).toBe(200);

    // A wrong current password keeps the gate; the change opens everything.
    const wrong = await c.post('/kantor/kata-sandi?next=%2Fkantor%3Ftab%3Ddispatched', {
      _csrf: csrfOf(form.html),
      currentPassword: 'salah-sekali',
      newPassword: 'sandi baru milik petugas',
      newPasswordConfirm: 'sandi baru milik petugas',
    });
    expect(wrong.status).toBe(422);
    expect((await c.get('/kantor')).status).toBe(303);
    const ok = await c.post('/kantor/kata-sandi?next=%2Fkantor%3Ftab%3Ddispatched', {
      _csrf: csrfOf(form.html),
      currentPassword: temp!,
      newPassword: 'sandi baru milik petugas',
      newPasswordConfirm: 'sandi baru milik petugas',
    });
    expect(ok.status).toBe(303);
    const done = await c.get(ok.location!);
    expect(done.html).toContain('href="/kantor?tab=dispatched"');
    expect(done.html).not.toContain('kata sandi sementara');
    expect(await flag()).toBe(false);
    expect((await c.get('/kantor')).status).toBe(200);
    const after = await t.login('petugas.sementara@contoh.aduan.id', 'sandi baru milik petugas');
    expect((await t.api('/api/v1/notifications', { token: after })).status).toBe(200);
  });

  it('lockout: the sign-in page says the account is locked, in both languages', async () => {
    const c = new WebClient(t.url);
    let last = await c.post('/masuk', { email: DEMO.assessor, password: 'salah' });
    for (let i = 0; i < 5; i++) last = await c.post('/masuk', { email: DEMO.assessor, password: 'salah' });
    expect(last.status).toBe(423);
    expect(last.html).toContain('Akun dikunci sementara');
    expect(last.html).toContain('error-summary');
    const en = await c.post('/masuk?lang=en', { email: DEMO.assessor, password: DEMO_PASSWORD });
    expect(en.status).toBe(423);
    expect(en.html).toContain('The account is temporarily locked');
  });

  it('session fixation: sign-in mints a new token over a pre-existing cookie; after sign-out the old token is dead', async () => {
    const c = await signInWeb(t.url, DEMO.ombudsman);
    const first = c.cookies.get('aduan_session')!;
    expect(first).toBeTruthy();
    // A planted / pre-existing cookie is replaced at the next sign-in, and the previous session is ended.
    const again = await c.post('/masuk', { email: DEMO.ombudsman, password: DEMO_PASSWORD });
    expect(again.status).toBe(303);
    const second = c.cookies.get('aduan_session')!;
    expect(second).not.toBe(first);
    const stale = await fetch(`${t.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${first}` } });
    expect(stale.status).toBe(401);
    const planted = new WebClient(t.url);
    planted.cookies.set('aduan_session', 'attacker-chosen-token-value-0123456789');
    await planted.post('/masuk', { email: DEMO.ombudsman, password: DEMO_PASSWORD });
    expect(planted.cookies.get('aduan_session')).not.toBe('attacker-chosen-token-value-0123456789');
    // Sign out: the cookie is cleared and the token no longer opens anything.
    const home = await c.get('/masuk');
    const out = await c.post('/keluar', { _csrf: csrfOf(home.html) });
    expect(out.status).toBe(303);
    expect(c.cookies.has('aduan_session')).toBe(false);
    const dead = await fetch(`${t.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${second}` } });
    expect(dead.status).toBe(401);
  });
});
