/**
 * The administration audit log over real HTTP and a real database (docs/security.md "Administration audit log"):
 * - a role grant, a revoke, an account deactivation, an agency deactivation and a category change each leave exactly
 *   one entry with the right actor, target and details; a refused change leaves none;
 * - the entry is written in the change's own transaction: when the log cannot be written, the change is not made;
 * - `/kantor/admin/log`: the national admin reads everything in words in both languages, a coordinator only the
 *   entries of its region's agencies, an officer and an agency admin get 403; filters by group and agency;
 * - no secret (a minted token, a partner key, a webhook secret, an invitation link's token, a temporary password)
 *   ever reaches the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { grantRole, setAccountDisabled, createNationalAdmin } from '../../commands/manage-staff-users.ts';
import { setAgencyActive } from '../../commands/manage-agencies.ts';
import { mintIntegrationToken } from '../../commands/mint-integration-token.ts';
import { issuePartnerKey } from '../../commands/manage-partner-keys.ts';
import { createAgencyWebhook } from '../../commands/manage-agency-webhooks.ts';
import { acceptInvitation, inviteStaff, inviteStaffAsOperator } from '../../commands/staff-invitations.ts';

let t: TestApp;

const { rows, idOf, lastId, entriesAfter, callerOf } = auditLog(() => t);

/** GET a page then POST a form on it with its CSRF token. */
async function submitOn(c: WebClient, pagePath: string, action: string, form: Record<string, string>) {
  const page = await c.get(pagePath);
  expect(page.status, page.html.slice(0, 300)).toBe(200);
  return c.post(action, { _csrf: csrfOf(page.html), ...form });
}

let national: WebClient;

beforeAll(async () => {
  t = await startTestApp();
  national = await signInWeb(t.url, DEMO.national);
});
afterAll(() => t.close());

describe('every administrative change leaves exactly one entry; a refused one none', () => {
  it('a role grant and its revoke', async () => {
    const adminId = await idOf(DEMO.national);
    const officerId = await idOf(DEMO.puprOfficer);
    const userPath = `/kantor/admin/pengguna/${officerId}`;
    let since = await lastId();
    const granted = await submitOn(national, userPath, `${userPath}/peran`, {
      role: 'officer',
      agencyId: 'dinkes-kaltim',
    });
    expect(granted.status, granted.html.slice(0, 300)).toBe(303);
    const [grant, ...more] = await entriesAfter(since);
    expect(more).toEqual([]);
    expect(grant).toMatchObject({
      actor_user_id: adminId,
      actor_label: null,
      action: 'role.grant',
      target_type: 'user',
      target_id: officerId,
      agency_id: 'dinkes-kaltim',
    });
    expect(grant!.details).toMatchObject({ role: 'officer', agencyId: 'dinkes-kaltim' });
    const grantId = Number(grant!.details.grantId);
    const [stored] = await rows<{ id: number }>(
      sql`select id from role_grants where user_id = ${officerId} and agency_id = 'dinkes-kaltim'`,
    );
    expect(Number(stored!.id)).toBe(grantId);

    // Refused: a role on an unknown agency (422), a grant to oneself (422). Granting it again changes nothing.
    since = await lastId();
    const unknown = await submitOn(national, userPath, `${userPath}/peran`, {
      role: 'officer',
      agencyId: 'tidak-ada',
    });
    expect(unknown.status).toBe(422);
    const self = await submitOn(
      national,
      `/kantor/admin/pengguna/${adminId}`,
      `/kantor/admin/pengguna/${adminId}/peran`,
      {
        role: 'officer',
        agencyId: 'dinkes-kaltim',
      },
    );
    expect(self.status).toBe(422);
    const again = await submitOn(national, userPath, `${userPath}/peran`, {
      role: 'officer',
      agencyId: 'dinkes-kaltim',
    });
    expect(again.status).toBe(303);
    expect(await entriesAfter(since)).toEqual([]);

    // The revoke: one entry, what was revoked.
    const revoked = await submitOn(national, userPath, `${userPath}/cabut`, { grantId: String(grantId) });
    expect(revoked.status, revoked.html.slice(0, 300)).toBe(303);
    const [revoke, ...rest] = await entriesAfter(since);
    expect(rest).toEqual([]);
    expect(revoke).toMatchObject({
      actor_user_id: adminId,
      action: 'role.revoke',
      target_id: officerId,
      agency_id: 'dinkes-kaltim',
    });
    expect(revoke!.details).toMatchObject({ role: 'officer', agencyId: 'dinkes-kaltim', grantId });
    // Revoking it again: 404, no entry.
    since = await lastId();
    const gone = await submitOn(national, userPath, `${userPath}/cabut`, { grantId: String(grantId) });
    expect(gone.status).toBe(404);
    expect(await entriesAfter(since)).toEqual([]);
  });

  it('an account deactivation and reactivation; deactivating oneself is refused without an entry', async () => {
    const coordinatorId = await idOf(DEMO.coordinator);
    const target = await idOf(DEMO.dinkesAdmin);
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    let since = await lastId();
    const own = await submitOn(
      coordinator,
      '/kantor/admin/pengguna',
      `/kantor/admin/pengguna/${coordinatorId}/nonaktifkan`,
      {},
    );
    expect(own.status).toBe(422);
    expect(await entriesAfter(since)).toEqual([]);

    const off = await submitOn(
      coordinator,
      `/kantor/admin/pengguna/${target}`,
      `/kantor/admin/pengguna/${target}/nonaktifkan`,
      {},
    );
    expect(off.status, off.html.slice(0, 300)).toBe(303);
    const [entry, ...more] = await entriesAfter(since);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actor_user_id: coordinatorId,
      action: 'account.disable',
      target_type: 'user',
      target_id: target,
      agency_id: 'dinkes-kaltim',
    });
    since = await lastId();
    const on = await submitOn(
      coordinator,
      `/kantor/admin/pengguna/${target}`,
      `/kantor/admin/pengguna/${target}/aktifkan`,
      {},
    );
    expect(on.status).toBe(303);
    expect((await entriesAfter(since)).map((e) => [e.action, e.target_id])).toEqual([
      ['account.enable', target],
    ]);
  });

  it('an agency created then deactivated; deactivating one with staff unconfirmed is refused without an entry', async () => {
    const adminId = await idOf(DEMO.national);
    let since = await lastId();
    const created = await submitOn(national, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'Badan Arsip Uji Audit',
      kind: 'lembaga',
      parentId: '',
      regionCode: '',
      zone: '',
    });
    expect(created.status, created.html.slice(0, 400)).toBe(303);
    const id = created.location!.split('/').pop()!.split('?')[0]!;
    const [create, ...more] = await entriesAfter(since);
    expect(more).toEqual([]);
    expect(create).toMatchObject({
      actor_user_id: adminId,
      action: 'agency.create',
      target_id: id,
      agency_id: id,
    });
    expect(create!.details).toMatchObject({ name: 'Badan Arsip Uji Audit', kind: 'lembaga' });

    // Refused: pupr-kaltim-unit has staff and the admin did not confirm (422).
    since = await lastId();
    const refused = await submitOn(
      national,
      '/kantor/admin/instansi/pupr-kaltim-unit',
      '/kantor/admin/instansi/pupr-kaltim-unit/status',
      { active: 'false' },
    );
    expect(refused.status).toBe(422);
    expect(await entriesAfter(since)).toEqual([]);

    const off = await submitOn(
      national,
      `/kantor/admin/instansi/${id}`,
      `/kantor/admin/instansi/${id}/status`,
      {
        active: 'false',
      },
    );
    expect(off.status, off.html.slice(0, 300)).toBe(303);
    const [status, ...rest] = await entriesAfter(since);
    expect(rest).toEqual([]);
    expect(status).toMatchObject({
      actor_user_id: adminId,
      action: 'agency.status',
      target_id: id,
      agency_id: id,
    });
    expect(status!.details).toMatchObject({ name: 'Badan Arsip Uji Audit', from: true, to: false });
    // Deactivating it again changes nothing and records nothing.
    since = await lastId();
    const again = await submitOn(
      national,
      `/kantor/admin/instansi/${id}`,
      `/kantor/admin/instansi/${id}/status`,
      {
        active: 'false',
      },
    );
    expect(again.status).toBe(303);
    expect(await entriesAfter(since)).toEqual([]);
  });

  it('a category renamed; a rename to a taken name is refused without an entry', async () => {
    const [a, b] = await rows<{ id: number; name: string }>(
      sql`select id, name from categories where parent_id is null order by id limit 2`,
    );
    const path = `/kantor/admin/kategori/${a!.id}`;
    let since = await lastId();
    const taken = await submitOn(national, path, `${path}/ubah`, { categoryName: b!.name });
    expect(taken.status).toBe(422);
    expect(await entriesAfter(since)).toEqual([]);
    since = await lastId();
    const renamed = await submitOn(national, path, `${path}/ubah`, { categoryName: 'Kategori Audit Baru' });
    expect(renamed.status, renamed.html.slice(0, 300)).toBe(303);
    const entries = await entriesAfter(since);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_user_id: await idOf(DEMO.national),
      action: 'category.rename',
      target_type: 'category',
      target_id: String(a!.id),
      agency_id: null,
      details: { from: a!.name, to: 'Kategori Audit Baru' },
    });
    // The same name again: nothing changes, nothing is recorded.
    since = await lastId();
    const same = await submitOn(national, path, `${path}/ubah`, { categoryName: 'Kategori Audit Baru' });
    expect(same.status).toBe(303);
    expect(await entriesAfter(since)).toEqual([]);
  });

  it('is written in the same transaction: when the log refuses the row, the change is not made', async () => {
    const db = t.runtime.services.db;
    await db.execute(sql`create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit log unavailable'; end $$`);
    await db.execute(sql`create trigger refuse_audit before insert on admin_audit_log
      for each row execute function refuse_audit()`);
    try {
      const national = await callerOf(DEMO.national);
      const officerId = await idOf(DEMO.puprOfficer);
      await expect(
        grantRole(t.runtime.services, national, {
          userId: officerId,
          role: 'officer',
          agencyId: 'dishub-kaltim',
        }),
      ).rejects.toThrow();
      expect(
        await rows(
          sql`select 1 from role_grants where user_id = ${officerId} and agency_id = 'dishub-kaltim'`,
        ),
      ).toEqual([]);
      const dinkes = await idOf(DEMO.dinkesAdmin);
      await expect(setAccountDisabled(t.runtime.services, national, dinkes, true)).rejects.toThrow();
      expect(
        (await rows<{ d: unknown }>(sql`select disabled_at as d from users where id = ${dinkes}`))[0]!.d,
      ).toBeNull();
      await expect(setAgencyActive(t.runtime.services, national, 'dishub-kaltim', false)).rejects.toThrow();
      expect(
        (await rows<{ active: boolean }>(sql`select active from agencies where id = 'dishub-kaltim'`))[0]!
          .active,
      ).toBe(true);
    } finally {
      await db.execute(sql`drop trigger refuse_audit on admin_audit_log`);
      await db.execute(sql`drop function refuse_audit()`);
    }
  });
});

describe('no secret reaches the log', () => {
  it('minted tokens, partner keys, webhook secrets, invitation links and temporary passwords stay out', async () => {
    const svc = t.runtime.services;
    const nationalCaller = await callerOf(DEMO.national);
    const since = await lastId();
    const secrets: string[] = [];
    const token = await mintIntegrationToken(svc, nationalCaller, {
      agencyId: 'dinkes-kaltim',
      name: 'SIMRS',
    });
    secrets.push(token.token);
    const key = await issuePartnerKey(svc, nationalCaller, {
      name: 'Aplikasi Kota',
      agencyId: 'dinkes-kaltim',
    });
    secrets.push(key.key);
    svc.outboundAllowHosts = ['127.0.0.1'];
    const hook = await createAgencyWebhook(svc, nationalCaller, {
      agencyId: 'dinkes-kaltim',
      url: 'https://127.0.0.1:9/hook?key=kunci-rahasia',
      events: ['dispatched'],
    });
    secrets.push(hook.secret, 'kunci-rahasia');
    svc.emailConfigured = false;
    const invited = await inviteStaff(svc, nationalCaller, {
      email: 'staf.baru@example.com',
      name: 'Staf Baru',
      role: 'officer',
      agencyId: 'dinkes-kaltim',
      lang: 'id',
    });
    secrets.push(new URL(invited.link!.url).searchParams.get('token')!, 'staf.baru@example.com');
    const operator = await inviteStaffAsOperator(svc, {
      email: 'admin.baru@example.com',
      name: 'Admin Baru',
      role: 'national_admin',
      lang: 'id',
    });
    secrets.push(new URL(operator.url).searchParams.get('token')!, 'admin.baru@example.com');
    const admin = await createNationalAdmin(svc, {
      email: 'operator.baru@example.com',
      name: 'Operator Baru',
    });
    secrets.push(admin.temporaryPassword!, 'operator.baru@example.com');

    const written = await entriesAfter(since);
    expect(written.map((e) => e.action)).toEqual([
      'token.mint',
      'api_key.issue',
      'webhook.add',
      'invitation.send',
      'invitation.send',
      'role.grant',
    ]);
    expect(written.slice(-2).map((e) => [e.actor_user_id, e.actor_label])).toEqual([
      [null, 'cli'],
      [null, 'cli'],
    ]);
    const dump = JSON.stringify(await rows(sql`select * from admin_audit_log`));
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(5);
      expect(dump).not.toContain(s);
    }
    // The key hashes are not there either.
    const hashes = await rows<{ h: string }>(sql`select key_hash as h from api_keys`);
    for (const { h } of hashes) expect(dump).not.toContain(h);
  });

  it("accepting an invitation records the grant as the inviter's, with the invitation", async () => {
    const svc = t.runtime.services;
    const nationalCaller = await callerOf(DEMO.national);
    svc.emailConfigured = false;
    const invited = await inviteStaff(svc, nationalCaller, {
      email: 'petugas.undangan@example.com',
      name: 'Petugas Undangan',
      role: 'officer',
      agencyId: 'dishub-kaltim',
      lang: 'id',
    });
    const since = await lastId();
    const token = new URL(invited.link!.url).searchParams.get('token')!;
    await acceptInvitation(svc, token, {
      name: 'Petugas Undangan',
      password: 'kata-sandi-yang-panjang-2026',
      passwordConfirm: 'kata-sandi-yang-panjang-2026',
    });
    const written = await entriesAfter(since);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      actor_user_id: await idOf(DEMO.national),
      action: 'role.grant',
      target_type: 'user',
      target_id: await idOf('petugas.undangan@example.com'),
      agency_id: 'dishub-kaltim',
      details: { role: 'officer', agencyId: 'dishub-kaltim', invitationId: invited.id },
    });
    expect(JSON.stringify(written)).not.toContain('kata-sandi-yang-panjang-2026');
  });
});

describe('/kantor/admin/log', () => {
  it('the national admin reads every entry in words, in both languages, newest first; filters by group and agency', async () => {
    // An entry outside Kalimantan Timur: a ministry renamed.
    const r = await submitOn(
      national,
      '/kantor/admin/instansi/kemenpanrb',
      '/kantor/admin/instansi/kemenpanrb/ubah',
      {
        name: 'Kementerian PANRB Uji',
      },
    );
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    const id = await national.get('/kantor/admin/log?lang=id');
    expect(id.status).toBe(200);
    const officerName = (
      await rows<{ name: string }>(sql`select name from users where email = ${DEMO.puprOfficer}`)
    )[0]!.name;
    expect(id.html).toContain(`memberikan peran Petugas kepada ${officerName} di`);
    expect(id.html).toContain('menonaktifkan instansi Badan Arsip Uji Audit');
    expect(id.html).toContain('Operator (baris perintah)');
    const first = id.html.indexOf('data-action="');
    expect(id.html.slice(first, first + 40)).toContain('agency.rename');
    const en = await national.get('/kantor/admin/log?lang=en');
    expect(en.html).toContain(`granted the role Officer to ${officerName} in`);
    expect(en.html).toContain('renamed the agency');
    expect(en.html).toContain('Kementerian PANRB Uji');

    const agencyOnly = await national.get('/kantor/admin/log?kelompok=agency');
    const actions = [...agencyOnly.html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a!.startsWith('agency.'))).toBe(true);
    const dinkes = await national.get('/kantor/admin/log?instansi=dinkes-kaltim');
    const ids = [...dinkes.html.matchAll(/data-entry="(\d+)"/g)].map((m) => Number(m[1]));
    const expected = await rows<{ id: number }>(
      sql`select id from admin_audit_log where agency_id = 'dinkes-kaltim' order by id desc`,
    );
    expect(ids).toEqual(expected.map((e) => Number(e.id)));
    // Bad filter values are ignored, never a 500.
    expect((await national.get('/kantor/admin/log?kelompok=%27;drop&instansi=%00&page=abc')).status).toBe(
      200,
    );
  });

  it("a coordinator reads only its region's agencies' entries; an officer and an agency admin get 403", async () => {
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const page = await coordinator.get('/kantor/admin/log');
    expect(page.status).toBe(200);
    const shown = [...page.html.matchAll(/data-entry="(\d+)"/g)].map((m) => Number(m[1]));
    const all = await rows<{ id: number; agency_id: string | null }>(
      sql`select id, agency_id from admin_audit_log`,
    );
    const byId = new Map(all.map((e) => [Number(e.id), e.agency_id]));
    expect(shown.length).toBeGreaterThan(0);
    for (const id of shown) expect(byId.get(id)).toMatch(/kaltim/);
    // Not the ministry's rename, not the national ones (categories, national admin grants).
    const hidden = all
      .filter((e) => e.agency_id === null || e.agency_id === 'kemenpanrb')
      .map((e) => Number(e.id));
    expect(hidden.length).toBeGreaterThan(0);
    for (const id of hidden) expect(shown).not.toContain(id);
    expect(page.html).not.toContain('Kementerian PANRB Uji');
    // The agency filter offers only its own agencies; asking for another one shows nothing.
    const other = await coordinator.get('/kantor/admin/log?instansi=kemenpanrb');
    expect(other.html).not.toMatch(/data-entry=/);
    // The admin home links to the log for the coordinator and the national admin.
    expect((await coordinator.get('/kantor/admin')).html).toContain('href="/kantor/admin/log"');
    expect((await national.get('/kantor/admin')).html).toContain('href="/kantor/admin/log"');

    for (const who of [DEMO.puprOfficer, DEMO.puprAdmin]) {
      const c = await signInWeb(t.url, who);
      expect((await c.get('/kantor/admin/log')).status, who).toBe(403);
    }
    const agencyAdmin = await signInWeb(t.url, DEMO.puprAdmin);
    expect((await agencyAdmin.get('/kantor/admin')).html).not.toContain('href="/kantor/admin/log"');
  });
});
