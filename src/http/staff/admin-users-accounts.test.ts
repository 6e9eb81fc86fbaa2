/**
 * Staff accounts and role grants over real HTTP (audit of the Kaltim onboarding, H3/M9, M6, M1, L9):
 * - a role must fit its agency: no coordinator, agency admin or officer on the Ombudsman office (web grant, web
 *   invite, in both languages, 422 never 500), Ombudsman only on an Ombudsman office, Coordinator only on a
 *   coordinator agency; the audit's steps leak no reporter identity, even with such a grant already in the database;
 * - deactivating an account: sign-in refused with the wrong-password answer, sessions and API tokens dead at once, the
 *   list filters (deactivated, former staff without roles), scope as granting, reactivation;
 * - inviting without an email transport: the link shown once to the admin, no-store, never in a redirect or cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { acceptInvitation, inviteStaffAsOperator } from '../../commands/staff-invitations.ts';

let t: TestApp;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function idOf(email: string): Promise<string> {
  return (await rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
}

/** GET a page then POST a form on it with its CSRF token. */
async function submitOn(c: WebClient, pagePath: string, action: string, form: Record<string, string>) {
  const page = await c.get(pagePath);
  expect(page.status, page.html.slice(0, 300)).toBe(200);
  return c.post(action, { _csrf: csrfOf(page.html), ...form });
}

const REPORTER = { name: 'Budi Santoso', email: 'budi.santoso@example.com', phone: '081234567890' };

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('role grants must fit the agency (H3, M9)', () => {
  it("refuses the audit's grants on the Ombudsman office; the reporter's identity does not leak", async () => {
    // A report never escalated, with the reporter's identity, verified by the province's coordinator.
    const made = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jalan rusak di depan sekolah dasar',
        body: 'Jalan di depan sekolah dasar berlubang besar dan membahayakan anak-anak yang berangkat sekolah setiap pagi.',
        regionCode: '64.72.02',
        reporter: REPORTER,
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const trackingId = made.body.trackingId as string;
    const coordinatorToken = await t.login(DEMO.coordinator);
    const verify = await t.api(`/api/v1/reports/${trackingId}/actions/verify`, {
      json: { agencyId: 'pupr-kaltim', categoryId: await categoryIdByName(t) },
      token: coordinatorToken,
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);

    // The audit: the Kaltim coordinator grants Koordinator on ombudsman-kaltim to the Ombudsman user. The Ombudsman's
    // people are not the coordinator's: the user page and the grant are 404 (ombudsman-separation.test.ts).
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const ombudsmanId = await idOf(DEMO.ombudsman);
    const userPath = `/kantor/admin/pengguna/${ombudsmanId}`;
    expect((await coordinator.get(userPath)).status).toBe(404);
    const usersPage = await coordinator.get('/kantor/admin/pengguna');
    for (const role of ['coordinator', 'agency_admin', 'officer']) {
      const r = await coordinator.post(`${userPath}/peran`, {
        _csrf: csrfOf(usersPage.html),
        role,
        agencyId: 'ombudsman-kaltim',
      });
      expect(r.status, role).toBe(404);
    }
    // The national admin, who manages the Ombudsman's people, gets the rule in words, in both languages.
    const nationalAdmin = await signInWeb(t.url, DEMO.national);
    for (const role of ['coordinator', 'agency_admin', 'officer']) {
      const r = await submitOn(nationalAdmin, userPath, `${userPath}/peran`, {
        role,
        agencyId: 'ombudsman-kaltim',
      });
      expect(r.status, role).toBe(422);
      expect(r.html).toContain('Kantor Ombudsman dan unit di bawahnya hanya menerima peran Ombudsman');
    }
    const en = await submitOn(nationalAdmin, `${userPath}?lang=en`, `${userPath}/peran?lang=en`, {
      role: 'coordinator',
      agencyId: 'ombudsman-kaltim',
    });
    expect(en.status).toBe(422);
    expect(en.html).toContain('An Ombudsman office and the units below it take only the Ombudsman role');
    // The invite form and the operator's path refuse it the same way.
    const invite = await submitOn(coordinator, '/kantor/admin/pengguna', '/kantor/admin/pengguna', {
      name: 'Koordinator Ombudsman',
      email: 'koordinator.ombudsman@contoh.aduan.id',
      role: 'coordinator',
      agencyId: 'ombudsman-kaltim',
    });
    expect(invite.status).toBe(422);
    expect(invite.html).toContain('value="koordinator.ombudsman@contoh.aduan.id"');
    await expect(
      inviteStaffAsOperator(t.runtime.services, {
        email: 'operator.ombudsman@contoh.aduan.id',
        name: 'Lewat Operator',
        role: 'coordinator',
        agencyId: 'ombudsman-kaltim',
        lang: 'id',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { agencyId: { key: 'role_not_in_ombudsman_office' } },
    });

    // The national admin: Ombudsman only on an Ombudsman office, Coordinator only on a coordinator agency.
    const national = await signInWeb(t.url, DEMO.national);
    const officerPath = `/kantor/admin/pengguna/${await idOf(DEMO.puprOfficer)}`;
    const ombudsmanElsewhere = await submitOn(national, officerPath, `${officerPath}/peran`, {
      role: 'ombudsman',
      agencyId: 'diskominfo-kaltim',
    });
    expect(ombudsmanElsewhere.status).toBe(422);
    expect(ombudsmanElsewhere.html).toContain('Peran Ombudsman hanya dapat diberikan pada kantor Ombudsman.');
    const coordinatorOnDinas = await submitOn(national, officerPath, `${officerPath}/peran`, {
      role: 'coordinator',
      agencyId: 'pupr-kaltim',
    });
    expect(coordinatorOnDinas.status).toBe(422);
    expect(coordinatorOnDinas.html).toContain(
      'Peran Koordinator hanya dapat diberikan pada instansi koordinator',
    );
    const nationalOnOmbudsman = await submitOn(national, officerPath, `${officerPath}/peran`, {
      role: 'national_admin',
      agencyId: 'ombudsman-kaltim',
    });
    expect(nationalOnOmbudsman.status).toBe(422);
    const fine = await submitOn(national, officerPath, `${officerPath}/peran`, {
      role: 'coordinator',
      agencyId: 'diskominfo-samarinda',
    });
    expect(fine.status).toBe(303);
    await rows(
      sql`delete from role_grants where agency_id = 'diskominfo-samarinda' and role = 'coordinator'`,
    );
    expect(
      await rows(sql`select 1 from role_grants where agency_id = 'ombudsman-kaltim' and role <> 'ombudsman'`),
    ).toHaveLength(0);

    // A grant stored before these rules (and one on a unit below the office) gives the Ombudsman user nothing more.
    await rows(
      sql`insert into agencies (id, name, kind, parent_id, path, region_code, zone)
          values ('ombudsman-kaltim-unit', 'Unit uji di bawah Ombudsman', 'unit', 'ombudsman-kaltim',
                  '/ombudsman-kaltim/ombudsman-kaltim-unit/', '64', 'WITA')`,
    );
    await rows(
      sql`insert into role_grants (user_id, role, agency_id) values
          (${ombudsmanId}, 'coordinator', 'ombudsman-kaltim'),
          (${ombudsmanId}, 'agency_admin', 'ombudsman-kaltim-unit'),
          (${ombudsmanId}, 'national_admin', 'ombudsman-kaltim')`,
    );
    const ombudsman = await signInWeb(t.url, DEMO.ombudsman, DEMO_PASSWORD, '/');
    const page = await ombudsman.get(`/kantor/laporan/${trackingId}`);
    expect([403, 404]).toContain(page.status);
    for (const secret of [REPORTER.name, REPORTER.email, REPORTER.phone])
      expect(page.html).not.toContain(secret);
    const token = await t.login(DEMO.ombudsman);
    const api = await t.api(`/api/v1/reports/${trackingId}`, { token });
    expect(JSON.stringify(api.body)).not.toContain(REPORTER.email);
    expect(JSON.stringify(api.body)).not.toContain(REPORTER.name);
    const list = await ombudsman.get('/kantor/admin/pengguna');
    expect(list.status).toBe(403);

    // Such a grant can still be revoked (by the national admin).
    const [legacy] = await rows<{ id: number }>(
      sql`select id from role_grants where user_id = ${ombudsmanId} and role = 'coordinator'`,
    );
    const revoke = await submitOn(national, userPath, `${userPath}/cabut`, { grantId: String(legacy!.id) });
    expect(revoke.status).toBe(303);
    await rows(sql`delete from role_grants where user_id = ${ombudsmanId} and role <> 'ombudsman'`);
  });
});

describe('account deactivation (M6)', () => {
  it('deactivating ends sessions and tokens at once and refuses sign-in as a wrong password; reactivating restores it', async () => {
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    expect((await officer.get('/kantor')).status).toBe(200);
    const token = (
      await t.api('/api/v1/auth/login', { json: { email: DEMO.puprOfficer, password: DEMO_PASSWORD } })
    ).body.token as string;
    expect((await t.api('/api/v1/auth/me', { token })).status).toBe(200);

    const officerId = await idOf(DEMO.puprOfficer);
    const userPath = `/kantor/admin/pengguna/${officerId}`;
    // Out of scope (another agency's admin): the page and the action are 404.
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await dinkes.get(userPath)).status).toBe(404);
    expect((await submitOn(dinkes, '/kantor/admin/pengguna', `${userPath}/nonaktifkan`, {})).status).toBe(
      404,
    );
    // One's own account: refused with a message.
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const selfPath = `/kantor/admin/pengguna/${await idOf(DEMO.puprAdmin)}`;
    const self = await submitOn(admin, selfPath, `${selfPath}/nonaktifkan`, {});
    expect(self.status).toBe(422);
    expect(self.html).toContain('Anda tidak dapat menonaktifkan atau mengaktifkan akun Anda sendiri');

    // L9: heading, caption and column are distinct.
    const before = await admin.get(userPath);
    expect(before.html).toContain('<h2 id="h-roles">Peran yang dimiliki</h2>');
    expect(before.html).toContain('Peran Petugas Bina Marga (Demo)</caption>');
    expect(before.html).toContain('Nonaktifkan akun');
    const off = await submitOn(admin, userPath, `${userPath}/nonaktifkan`, {});
    expect(off.status).toBe(303);
    const [row] = await rows<{ disabled_at: Date | null; disabled_by: string | null }>(
      sql`select disabled_at, disabled_by from users where id = ${officerId}`,
    );
    expect(row!.disabled_at).not.toBeNull();
    expect(row!.disabled_by).toBe(await idOf(DEMO.puprAdmin));
    const after = await admin.get(`${userPath}?selesai=1`);
    expect(after.html).toContain('Nonaktif (tidak dapat masuk)');
    expect(after.html).toContain('Aktifkan kembali');

    // At once: the open web session and the API token.
    expect((await officer.get('/kantor')).status).not.toBe(200);
    expect((await t.api('/api/v1/auth/me', { token })).status).toBe(401);
    expect((await rows(sql`select 1 from sessions where user_id = ${officerId}`)).length).toBe(0);
    // Sign-in: the same answer as a wrong password (web and API).
    const wrong = await new WebClient(t.url).post('/masuk', {
      email: DEMO.puprAdmin,
      password: 'salah sekali',
    });
    const disabled = await new WebClient(t.url).post('/masuk', {
      email: DEMO.puprOfficer,
      password: DEMO_PASSWORD,
    });
    expect(disabled.status).toBe(wrong.status);
    expect(disabled.html).toContain('Email atau kata sandi salah.');
    const apiWrong = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.puprAdmin, password: 'salah sekali' },
    });
    const apiDisabled = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.puprOfficer, password: DEMO_PASSWORD },
    });
    expect(apiDisabled.status).toBe(apiWrong.status);
    expect(apiDisabled.body.error.code).toBe(apiWrong.body.error.code);

    // The list marks it, and the filter finds it.
    const list = await admin.get('/kantor/admin/pengguna');
    expect(list.html).toMatch(/Petugas Bina Marga \(Demo\)<\/a><span class="state-inactive"> \(nonaktif\)/);
    const filtered = await admin.get('/kantor/admin/pengguna?tampil=nonaktif');
    expect(filtered.html).toContain(DEMO.puprOfficer);
    expect(filtered.html).not.toContain(`<td>${DEMO.puprAdmin}</td>`);

    // Reactivated: the password works again.
    const on = await submitOn(admin, userPath, `${userPath}/aktifkan`, {});
    expect(on.status).toBe(303);
    await signInWeb(t.url, DEMO.puprOfficer);
  });

  it('former staff without roles are found again by the filter and can be deactivated', async () => {
    const svc = t.runtime.services;
    const inv = await inviteStaffAsOperator(svc, {
      email: 'mantan.petugas@contoh.aduan.id',
      name: 'Mantan Petugas',
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
      lang: 'id',
    });
    await acceptInvitation(svc, new URL(inv.url).searchParams.get('token')!, {
      name: 'Mantan Petugas',
      password: 'sandi mantan petugas panjang',
      passwordConfirm: 'sandi mantan petugas panjang',
    });
    const id = await idOf('mantan.petugas@contoh.aduan.id');
    const userPath = `/kantor/admin/pengguna/${id}`;
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const [grant] = await rows<{ id: number }>(sql`select id from role_grants where user_id = ${id}`);
    expect(
      (await submitOn(admin, userPath, `${userPath}/cabut`, { grantId: String(grant!.id) })).status,
    ).toBe(303);
    // Gone from the default list, found under "without roles" (not by another agency's admin).
    expect((await admin.get('/kantor/admin/pengguna')).html).not.toContain('mantan.petugas@');
    const former = await admin.get('/kantor/admin/pengguna?tampil=tanpa-peran');
    expect(former.html).toContain('mantan.petugas@contoh.aduan.id');
    expect(former.html).toContain('Tidak memegang peran apa pun.');
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await dinkes.get('/kantor/admin/pengguna?tampil=tanpa-peran')).html).not.toContain(
      'mantan.petugas@',
    );
    // A citizen never invited is not listed: no page tells an admin whether an address has an account.
    expect(former.html).not.toContain(DEMO.citizen);
    await signInWeb(t.url, 'mantan.petugas@contoh.aduan.id', 'sandi mantan petugas panjang', '/');
    const off = await submitOn(admin, userPath, `${userPath}/nonaktifkan`, {});
    expect(off.status).toBe(303);
    const refused = await new WebClient(t.url).post('/masuk', {
      email: 'mantan.petugas@contoh.aduan.id',
      password: 'sandi mantan petugas panjang',
    });
    expect(refused.status).toBe(401);
    expect((await admin.get('/kantor/admin/pengguna?tampil=nonaktif')).html).toContain('mantan.petugas@');
  });
});

describe('inviting without an email transport (M1)', () => {
  it('shows the link once to the inviting admin, says no email was sent, and never redirects with it', async () => {
    const svc = t.runtime.services;
    expect(svc.emailConfigured).toBe(false); // the test app has no SMTP_URL
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const list = await admin.get('/kantor/admin/pengguna');
    expect(list.html).toContain('Email belum dikonfigurasi di server ini');
    const r = await admin.post('/kantor/admin/pengguna', {
      _csrf: csrfOf(list.html),
      name: 'Petugas Tanpa Email',
      email: 'tanpa.email@contoh.aduan.id',
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.getSetCookie().join()).not.toContain('aduan_invite_flash');
    expect(r.html).toContain(
      'Undangan untuk tanpa.email@contoh.aduan.id dibuat, tetapi email belum dikonfigurasi',
    );
    expect(r.html).not.toContain('Undangan dikirim ke');
    const link = new RegExp(`${t.url}/undangan\\?token=[A-Za-z0-9_-]{40,}`).exec(r.html)![0];
    expect(r.html).toContain('Tautan ini hanya ditampilkan sekali');
    // The link works, and is not on the page again.
    const opened = await new WebClient(t.url).get(link.slice(t.url.length));
    expect(opened.status).toBe(200);
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect((await admin.get('/kantor/admin/pengguna')).html).not.toContain(link);
    // Sending again shows the new link (the old one dies).
    const [inv] = await rows<{ id: string }>(
      sql`select id from staff_invitations where email = 'tanpa.email@contoh.aduan.id'`,
    );
    const again = await submitOn(
      admin,
      '/kantor/admin/pengguna',
      `/kantor/admin/pengguna/undangan/${inv!.id}/kirim-ulang`,
      {},
    );
    expect(again.status).toBe(200);
    const second = new RegExp(`${t.url}/undangan\\?token=[A-Za-z0-9_-]{40,}`).exec(again.html)![0];
    expect(second).not.toBe(link);
    expect((await new WebClient(t.url).get(link.slice(t.url.length))).status).toBe(404);

    // With email configured: the usual answer, no link.
    svc.emailConfigured = true;
    try {
      const mailed = await submitOn(admin, '/kantor/admin/pengguna', '/kantor/admin/pengguna', {
        name: 'Petugas Dengan Email',
        email: 'dengan.email@contoh.aduan.id',
        role: 'officer',
        agencyId: 'pupr-kaltim-unit',
      });
      expect(mailed.status).toBe(303);
      const page = await admin.get(mailed.location!);
      expect(page.html).toContain('Undangan dikirim ke dengan.email@contoh.aduan.id.');
      expect(page.html).not.toContain('/undangan?token=');
    } finally {
      svc.emailConfigured = false;
    }
  });
});
