/**
 * Agency administration over real HTTP with cookie sessions (demo organisation): the national admin adds a top-level
 * government (region checked against the Kemendagri list, zone derived from the province or chosen) and a child of
 * any kind, with the coordinator flag, and toggles the flag later; the agency page shows parent, region, zone, flag
 * and the people holding roles there; bad input gets field messages in both languages (never a 500); a duplicate name
 * under the same parent is refused; generated ids are cut between words. A regional coordinator may not manage the
 * Ombudsman office (no forms, 403 on every POST) nor create top-level agencies, nor a ministry's office in its
 * region (instansi vertikal: the national admin's and the ministry's admins'; reports are still dispatched there).
 * Region and time zone are corrected on the agency page within the actor's scope. Deactivating an agency whose staff
 * still hold roles names how many and needs a confirmation. The grant form groups agencies by kind and says which
 * kinds each role fits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';
import {
  agencyIdBase,
  cutAtWord,
  freeAgencyId,
  renameAgency,
  setAgencyRegion,
  slugify,
} from '../../commands/manage-agencies.ts';
import { createStaffUser, roleKindFits, roleMisfit } from '../../commands/manage-staff-users.ts';
import { setAutoDispatch } from '../../commands/auto-dispatch.ts';
import { actorFor } from '../../db/repositories/users.ts';
import type { Caller } from '../../app/context.ts';

let t: TestApp;
const REPORTER = { reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' } };

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

/** The region form of an agency's page, posted with `form`. */
function correctRegion(c: WebClient, id: string, form: Record<string, string>) {
  return submitOn(c, `/kantor/admin/instansi/${id}`, `/kantor/admin/instansi/${id}/wilayah`, form);
}

/** The caller of a demo (or test) account, by email. */
async function callerOf(email: string): Promise<Caller> {
  const { rows } = (await t.runtime.services.db.execute(
    sql`select id from users where email = ${email}`,
  )) as unknown as { rows: Array<{ id: string }> };
  return { actor: await actorFor(t.runtime.services.db, rows[0]!.id) };
}

/** A staff account made by the national admin, signing in with the demo password. */
async function staffAccount(email: string, role: string, agencyId: string): Promise<void> {
  await createStaffUser(t.runtime.services, await callerOf(DEMO.national), {
    email,
    name: `Akun Uji ${role}`,
    role,
    agencyId,
  });
  await t.runtime.services.db.execute(
    sql`update users set must_change_password = false,
          password_hash = (select password_hash from users where email = ${DEMO.national})
        where email = ${email}`,
  );
}

/** Whether the promise is refused with this AppError code. */
async function refusedWith(p: Promise<unknown>, code: string): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    return (e as { code?: string }).code === code;
  }
}

async function agency(id: string) {
  const { rows } = (await t.runtime.services.db.execute(
    sql`select id, name, kind, parent_id, path, region_code, zone, is_coordinator, active from agencies where id = ${id}`,
  )) as unknown as { rows: Array<Record<string, unknown>> };
  return rows[0];
}

describe('generated agency ids', () => {
  it('are cut between words, never end with a hyphen, and stay within 70 characters', async () => {
    expect(cutAtWord('dinas-pekerjaan-umum', 12)).toBe('dinas');
    expect(cutAtWord('dinas-pekerjaan-umum', 15)).toBe('dinas-pekerjaan');
    expect(slugify('Bidang Bina Marga dan Jembatan Jalan Provinsi Kalimantan Timur')).toBe(
      'bidang-bina-marga-dan-jembatan-jalan',
    );
    const long = agencyIdBase(
      'pemkot-balikpapan-dinas-pekerjaan-umum-kota-balikpapan',
      'Puskesmas Klandasan Ilir Kecamatan Balikpapan Kota',
    );
    expect(long.length).toBeLessThanOrEqual(70);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(long).toBe('pemkot-balikpapan-dinas-pekerjaan-umum-puskesmas-klandasan-ilir');
    const taken = new Set([long, `${cutAtWord(long, 68)}-2`]);
    const next = await freeAgencyId(long, async (id) => taken.has(id));
    expect(next).toBe(`${cutAtWord(long, 68)}-3`);
    expect(next.length).toBeLessThanOrEqual(70);
    expect(agencyIdBase(null, 'Pemerintah Kota Balikpapan')).toBe('pemerintah-kota-balikpapan');
  });
});

describe('agency administration', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-11-02T02:00:00Z') });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the national admin adds a top-level government and its coordinator agency, and toggles the flag', async () => {
    const admin = await signInWeb(t.url, DEMO.national);
    const tree = await admin.get('/kantor/admin/instansi');
    expect(tree.html).toContain('id="h-create"');
    expect(tree.html).toContain('name="regionCode"');

    // Bad input: field messages in both languages, the typed values kept.
    const bad = await submitOn(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'Pemerintah Kabupaten Berau Baru',
      kind: 'pemerintah_kabupaten_kota',
      regionCode: '64',
      zone: 'XYZ',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('error-summary');
    expect(bad.html).toContain('Pemerintah kabupaten/kota memerlukan kode kabupaten/kota');
    expect(bad.html).toContain('value="Pemerintah Kabupaten Berau Baru"');
    const page = await admin.get('/kantor/admin/instansi?lang=en');
    const badEn = await admin.post('/kantor/admin/instansi?lang=en', {
      _csrf: csrfOf(page.html),
      name: 'x',
      kind: 'raja',
      regionCode: '99.99',
    });
    expect(badEn.status).toBe(422);
    expect(badEn.html).toContain('At least 3 characters.');
    expect(badEn.html).toContain('Unknown region code.');
    expect(badEn.html).toContain('Choose one.');
    const missing = await submitOn(admin, '/kantor/admin/instansi?lang=id', '/kantor/admin/instansi', {
      name: 'Pemerintah Provinsi Tanpa Kode',
      kind: 'pemerintah_provinsi',
    });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('Wajib diisi.');

    const made = await submitOn(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'Pemerintah Provinsi Papua',
      shortName: 'Pemprov Papua',
      kind: 'pemerintah_provinsi',
      regionCode: '91',
    });
    expect(made.status, made.html.slice(0, 2000)).toBe(303);
    expect(made.location).toMatch(/^\/kantor\/admin\/instansi\/pemerintah-provinsi-papua\?selesai=buat/);
    expect(await agency('pemerintah-provinsi-papua')).toMatchObject({
      kind: 'pemerintah_provinsi',
      parent_id: null,
      path: '/pemerintah-provinsi-papua/',
      region_code: '91',
      zone: 'WIT',
      is_coordinator: false,
    });
    // Same name at the same level: refused.
    const dup = await submitOn(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'pemerintah provinsi papua',
      kind: 'pemerintah_provinsi',
      regionCode: '91',
    });
    expect(dup.status).toBe(422);
    expect(dup.html).toContain('Sudah ada instansi dengan nama ini di bawah induk yang sama.');

    // Its Diskominfo, as coordinator, from the same form with a parent; the zone may be overridden.
    const kominfo = await submitOn(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'Dinas Komunikasi dan Informatika Provinsi Papua',
      kind: 'perangkat_daerah',
      parentId: 'pemerintah-provinsi-papua',
      isCoordinator: 'true',
    });
    expect(kominfo.status).toBe(303);
    const kid = 'pemerintah-provinsi-papua-dinas-komunikasi-dan-informatika';
    expect(kominfo.location).toMatch(new RegExp(`^/kantor/admin/instansi/${kid}\\?`));
    expect(await agency(kid)).toMatchObject({ region_code: '91', zone: 'WIT', is_coordinator: true });

    // The agency page: parent, region, zone, flag; the flag toggled off and on again.
    const detail = await admin.get(`/kantor/admin/instansi/${kid}`);
    expect(detail.html).toContain('Pemerintah Provinsi Papua</a>');
    expect(detail.html).toContain('<dd>91</dd>');
    expect(detail.html).toContain('<dd>WIT</dd>');
    expect(detail.html).toContain('data-coordinator="true"');
    expect(detail.html).toContain('Hapus tanda koordinator pengaduan');
    const off = await admin.post(`/kantor/admin/instansi/${kid}/koordinator`, {
      _csrf: csrfOf(detail.html),
      isCoordinator: 'false',
    });
    expect(off.status).toBe(303);
    expect(await agency(kid)).toMatchObject({ is_coordinator: false });
    expect((await admin.get(`/kantor/admin/instansi/${kid}`)).html).toContain('data-coordinator="false"');

    // A child of any kind below an existing agency, with a region inside the parent's.
    const outside = await submitOn(
      admin,
      '/kantor/admin/instansi/pemkab-balikpapan',
      '/kantor/admin/instansi/pemkab-balikpapan/tambah',
      { childName: 'Kantor Uji', kind: 'lembaga', childRegionCode: '64.72' },
    );
    expect(outside.status).toBe(422);
    expect(outside.html).toContain('Wilayah harus berada di dalam wilayah induknya (64.71).');
    const lembaga = await submitOn(
      admin,
      '/kantor/admin/instansi/pemkab-balikpapan',
      '/kantor/admin/instansi/pemkab-balikpapan/tambah',
      { childName: 'Badan Penanggulangan Bencana Daerah', kind: 'lembaga', childRegionCode: '64.71.01' },
    );
    expect(lembaga.status).toBe(303);
    expect(await agency('pemkab-balikpapan-badan-penanggulangan-bencana-daerah')).toMatchObject({
      kind: 'lembaga',
      region_code: '64.71.01',
      zone: 'WITA',
    });
  });

  it('a regional coordinator cannot manage the Ombudsman office, create top-level agencies or set the flag', async () => {
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get('/kantor/admin/instansi/ombudsman-kaltim');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-national-only');
    expect(page.html).not.toContain('id="h-rename"');
    expect(page.html).not.toContain('id="h-add"');
    expect(page.html).not.toContain('id="h-status"');
    const csrf = csrfOf(page.html);
    for (const [path, form] of [
      ['tambah', { childName: 'Unit uji di bawah Ombudsman', kind: 'unit' }],
      ['ubah', { name: 'Ombudsman diganti' }],
      ['status', { active: 'false' }],
      ['koordinator', { isCoordinator: 'true' }],
    ] as const) {
      const r = await coord.post(`/kantor/admin/instansi/ombudsman-kaltim/${path}`, { _csrf: csrf, ...form });
      expect(r.status, path).toBe(403);
    }
    expect(await agency('ombudsman-kaltim')).toMatchObject({
      name: 'Ombudsman RI Perwakilan Kalimantan Timur',
      active: true,
    });
    // No top-level form, and the POST is refused.
    const tree = await coord.get('/kantor/admin/instansi');
    expect(tree.html).not.toContain('id="h-create"');
    const top = await coord.post('/kantor/admin/instansi', {
      _csrf: csrfOf(tree.html),
      name: 'Pemerintah Provinsi Liar',
      kind: 'pemerintah_provinsi',
      regionCode: '64',
    });
    expect(top.status).toBe(403);
    // In its own province it still manages agencies, with the child rules: no coordinator flag, no other kinds.
    const own = await coord.get('/kantor/admin/instansi/dishub-kaltim');
    expect(own.html).toContain('id="h-add"');
    expect(own.html).not.toContain('id="h-coordinator"');
    expect(own.html).not.toContain('name="childRegionCode"');
    const flag = await coord.post('/kantor/admin/instansi/dishub-kaltim/koordinator', {
      _csrf: csrfOf(own.html),
      isCoordinator: 'true',
    });
    expect(flag.status).toBe(403);
    const kind = await coord.post('/kantor/admin/instansi/dishub-kaltim/tambah', {
      _csrf: csrfOf(own.html),
      childName: 'Lembaga Baru',
      kind: 'lembaga',
    });
    expect(kind.status).toBe(422);
    // The national admin still manages the Ombudsman office.
    const admin = await signInWeb(t.url, DEMO.national);
    const nat = await admin.get('/kantor/admin/instansi/ombudsman-kaltim');
    expect(nat.html).toContain('id="h-rename"');
    expect(nat.html).not.toContain('data-national-only');
  });

  it('deactivating an agency whose staff hold roles names them and needs a confirmation', async () => {
    const admin = await signInWeb(t.url, DEMO.national);
    const id = 'pupr-kaltim-unit';
    const page = await admin.get(`/kantor/admin/instansi/${id}`);
    expect(page.html).toContain(`data-staff="${DEMO.puprOfficer}"`);
    expect(page.html).toContain('data-staff-count="1"');
    expect(page.html).toContain('name="confirmStaff"');
    const refused = await admin.post(`/kantor/admin/instansi/${id}/status`, {
      _csrf: csrfOf(page.html),
      active: 'false',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('1 orang masih memegang peran di instansi ini');
    expect(await agency(id)).toMatchObject({ active: true });
    const en = await admin.post(`/kantor/admin/instansi/${id}/status?lang=en`, {
      _csrf: csrfOf(page.html),
      active: 'false',
    });
    expect(en.html).toContain('1 people still hold roles in this agency');
    const done = await admin.post(`/kantor/admin/instansi/${id}/status`, {
      _csrf: csrfOf(page.html),
      active: 'false',
      confirmStaff: 'yes',
    });
    expect(done.status, done.html.slice(0, 1500)).toBe(303);
    expect(await agency(id)).toMatchObject({ active: false });
    // Without staff no confirmation is asked.
    const back = await submitOn(
      admin,
      `/kantor/admin/instansi/${id}`,
      `/kantor/admin/instansi/${id}/status`,
      {
        active: 'true',
      },
    );
    expect(back.status).toBe(303);
    const empty = await admin.get('/kantor/admin/instansi/pupr-kaltim-cipta-karya?lang=id');
    expect(empty.html).toContain('Belum ada yang memegang peran di instansi ini.');
    expect(empty.html).not.toContain('name="confirmStaff"');
  });

  it('renaming to the name of a sibling is refused', async () => {
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const r = await submitOn(
      admin,
      '/kantor/admin/instansi/pupr-kaltim-cipta-karya',
      '/kantor/admin/instansi/pupr-kaltim-cipta-karya/ubah',
      { name: 'Bidang Bina Marga, Dinas PUPR Kaltim' },
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain('Sudah ada instansi dengan nama ini di bawah induk yang sama.');
    const add = await submitOn(
      admin,
      '/kantor/admin/instansi/pupr-kaltim',
      '/kantor/admin/instansi/pupr-kaltim/tambah',
      { childName: 'Bidang Cipta Karya, Dinas PUPR Kaltim', kind: 'unit' },
    );
    expect(add.status).toBe(422);
    expect(add.html).toContain('Sudah ada instansi dengan nama ini di bawah induk yang sama.');
  });
  it("a ministry office in a coordinator's region is the national admin's and the ministry's, not the coordinator's; reports are still dispatched to it", async () => {
    const admin = await signInWeb(t.url, DEMO.national);
    const made = await submitOn(
      admin,
      '/kantor/admin/instansi/kemenpanrb',
      '/kantor/admin/instansi/kemenpanrb/tambah',
      { childName: 'Kantor Wilayah Kalimantan Timur', kind: 'unit', childRegionCode: '64.72' },
    );
    expect(made.status, made.html.slice(0, 1500)).toBe(303);
    const kanwil = 'kemenpanrb-kantor-wilayah-kalimantan-timur';
    expect(made.location).toContain(`/kantor/admin/instansi/${kanwil}?`);
    expect(await agency(kanwil)).toMatchObject({ region_code: '64.72', zone: 'WITA' });
    await staffAccount('admin.kemenpan@contoh.aduan.id', 'agency_admin', 'kemenpanrb');
    await staffAccount('petugas.kanwil@contoh.aduan.id', 'officer', kanwil);

    // The coordinator of Kalimantan Timur reads the page with a note, and every form of it is refused.
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get(`/kantor/admin/instansi/${kanwil}?lang=id`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-national-only="central"');
    expect(page.html).toContain('kementerian atau lembaga pusat (instansi vertikal)');
    expect(page.html).not.toContain('data-staff=');
    for (const form of ['h-rename', 'h-region', 'h-add', 'h-status', 'h-coordinator'])
      expect(page.html, form).not.toContain(`id="${form}"`);
    const en = await coord.get(`/kantor/admin/instansi/${kanwil}?lang=en`);
    expect(en.html).toContain('a central ministry or lembaga (instansi vertikal)');
    const csrf = csrfOf(page.html);
    for (const [path, form] of [
      ['ubah', { name: 'Kanwil diganti koordinator' }],
      ['wilayah', { regionCode: '64.71' }],
      ['tambah', { childName: 'Seksi baru dari koordinator', kind: 'unit' }],
      ['status', { active: 'false' }],
    ] as const) {
      const r = await coord.post(`/kantor/admin/instansi/${kanwil}/${path}`, { _csrf: csrf, ...form });
      expect(r.status, path).toBe(403);
    }
    expect(await agency(kanwil)).toMatchObject({
      name: 'Kantor Wilayah Kalimantan Timur',
      region_code: '64.72',
      active: true,
    });
    // Nor its people: not offered on the users page, an invitation on it is refused, the officer is not listed.
    const users = await coord.get('/kantor/admin/pengguna');
    expect(users.html).toContain('value="dishub-kaltim"');
    expect(users.html).not.toContain(`value="${kanwil}"`);
    expect(users.html).not.toContain('petugas.kanwil@contoh.aduan.id');
    const invite = await coord.post('/kantor/admin/pengguna', {
      _csrf: csrfOf(users.html),
      name: 'Petugas Kanwil Lain',
      email: 'kanwil.lain@contoh.aduan.id',
      role: 'officer',
      agencyId: kanwil,
    });
    expect(invite.status).toBe(403);
    // Nor its API keys, tokens and webhooks: not offered on the integrations page, a token for it refused.
    const integrations = await coord.get('/kantor/integrasi');
    expect(integrations.status).toBe(200);
    expect(integrations.html).toContain('value="dishub-kaltim"');
    expect(integrations.html).not.toContain(`value="${kanwil}"`);
    const refused = await coord.post('/kantor/integrasi/token', {
      _csrf: csrfOf(integrations.html),
      tokenName: 'Sistem Kanwil',
      tokenAgency: kanwil,
    });
    expect(refused.status).toBe(403);
    // The ministry's own admin mints it.
    const ministryAdmin = await signInWeb(t.url, 'admin.kemenpan@contoh.aduan.id');
    const theirs = await ministryAdmin.get('/kantor/integrasi');
    expect(theirs.html).toContain(`value="${kanwil}"`);
    const minted = await ministryAdmin.post('/kantor/integrasi/token', {
      _csrf: csrfOf(theirs.html),
      tokenName: 'Sistem Kanwil',
      tokenAgency: kanwil,
    });
    expect(minted.status, minted.html.slice(0, 800)).toBe(303);
    // The commands refuse it too (auto-dispatch rule included), while the coordinator's own pemda stays its own.
    const coordCaller = await callerOf(DEMO.coordinator);
    expect(
      await refusedWith(
        renameAgency(t.runtime.services, coordCaller, kanwil, { name: 'Kanwil lain' }),
        'FORBIDDEN',
      ),
    ).toBe(true);
    expect(
      await refusedWith(
        setAgencyRegion(t.runtime.services, coordCaller, kanwil, { regionCode: '64.72' }),
        'FORBIDDEN',
      ),
    ).toBe(true);
    expect(
      await refusedWith(
        setAutoDispatch(t.runtime.services, coordCaller, { enabled: true, agencyId: kanwil }),
        'FORBIDDEN',
      ),
    ).toBe(true);
    await setAutoDispatch(t.runtime.services, coordCaller, { enabled: false, agencyId: 'dishub-kaltim' });
    const routing = await coord.get('/kantor/admin/rute-otomatis');
    expect(routing.status).toBe(200);
    expect(routing.html).toContain('value="dishub-kaltim"');
    expect(routing.html).not.toContain(`value="${kanwil}"`);

    // The ministry's own admin manages it (and its people); so does the national admin.
    const ministry = await signInWeb(t.url, 'admin.kemenpan@contoh.aduan.id');
    const own = await ministry.get(`/kantor/admin/instansi/${kanwil}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain('id="h-rename"');
    expect(own.html).toContain('id="h-region"');
    expect(own.html).not.toContain('data-national-only');
    expect(own.html).toContain('data-staff="petugas.kanwil@contoh.aduan.id"');
    const renamed = await ministry.post(`/kantor/admin/instansi/${kanwil}/ubah`, {
      _csrf: csrfOf(own.html),
      name: 'Kantor Wilayah Kemenpan Kalimantan Timur',
    });
    expect(renamed.status).toBe(303);
    expect(await agency(kanwil)).toMatchObject({ name: 'Kantor Wilayah Kemenpan Kalimantan Timur' });
    expect((await ministry.get('/kantor/admin/pengguna')).html).toContain(`value="${kanwil}"`);
    const nat = await admin.get(`/kantor/admin/instansi/${kanwil}`);
    expect(nat.html).toContain('id="h-rename"');
    expect(nat.html).not.toContain('data-national-only');

    // Dispatch and verification are unchanged: the coordinator still dispatches a report of its region there.
    const token = await t.login(DEMO.coordinator);
    const [roads] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG');
    const id = await submitReport(t, 'Layanan perizinan di kantor wilayah lambat sekali', REPORTER);
    await verifyReport(t, token, id, kanwil, roads);
    const { rows } = (await t.runtime.services.db.execute(
      sql`select status, agency_id from reports where tracking_id = ${id}`,
    )) as unknown as { rows: Array<{ status: string; agency_id: string }> };
    expect(rows[0]).toEqual({ status: 'dispatched', agency_id: kanwil });
  });

  it("region and time zone are corrected on the agency page, within the actor's scope; reports keep their own region", async () => {
    const token = await t.login(DEMO.coordinator);
    const [roads] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG');
    const report = await submitReport(t, 'Drainase di depan kantor bidang tersumbat', REPORTER);
    await verifyReport(t, token, report, 'pupr-kaltim-cipta-karya', roads);
    const id = 'pupr-kaltim-cipta-karya';
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get(`/kantor/admin/instansi/${id}`);
    expect(page.html).toContain('id="h-region"');
    expect(page.html).toContain('name="regionCode" type="text" value="64"');

    // Bad input: field messages in both languages, never a 500.
    const bad = await coord.post(`/kantor/admin/instansi/${id}/wilayah`, {
      _csrf: csrfOf(page.html),
      regionCode: '99.99',
      zone: 'XYZ',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('error-summary');
    expect(bad.html).toContain('Kode wilayah tidak dikenal.');
    expect(bad.html).toContain('value="99.99"');
    const badEn = await coord.post(`/kantor/admin/instansi/${id}/wilayah?lang=en`, {
      _csrf: csrfOf(page.html),
      regionCode: '63.71',
    });
    expect(badEn.status).toBe(422);
    expect(badEn.html).toContain("The region must lie within its parent's region (64).");
    const empty = await coord.post(`/kantor/admin/instansi/${id}/wilayah?lang=id`, {
      _csrf: csrfOf(page.html),
    });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('Wajib diisi.');
    expect(await agency(id)).toMatchObject({ region_code: '64', zone: 'WITA' });

    // Within its region: saved, the zone following the region unless chosen.
    const moved = await coord.post(`/kantor/admin/instansi/${id}/wilayah`, {
      _csrf: csrfOf(page.html),
      regionCode: '64.72',
      zone: '',
    });
    expect(moved.status, moved.html.slice(0, 1500)).toBe(303);
    expect(await agency(id)).toMatchObject({ region_code: '64.72', zone: 'WITA' });
    const zoned = await coord.post(`/kantor/admin/instansi/${id}/wilayah`, {
      _csrf: csrfOf(page.html),
      regionCode: '64.72',
      zone: 'WIB',
    });
    expect(zoned.status).toBe(303);
    expect(await agency(id)).toMatchObject({ region_code: '64.72', zone: 'WIB' });
    const after = await coord.get(`/kantor/admin/instansi/${id}`);
    expect(after.html).toContain('<dd>64.72</dd>');
    expect(after.html).toMatch(/<option value="WIB" selected/);
    // The report handled there keeps its own region and agency.
    const { rows } = (await t.runtime.services.db.execute(
      sql`select region_code, agency_id from reports where tracking_id = ${report}`,
    )) as unknown as { rows: Array<{ region_code: string; agency_id: string }> };
    expect(rows[0]).toEqual({ region_code: '64.72.02', agency_id: id });

    // A coordinator cannot move an agency out of its region, nor one where coordinators hold their role.
    const admin = await signInWeb(t.url, DEMO.national);
    const top = await submitOn(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'Pemerintah Kota Bontang Uji',
      kind: 'pemerintah_kabupaten_kota',
      regionCode: '64.74',
    });
    expect(top.status).toBe(303);
    const bontang = 'pemerintah-kota-bontang-uji';
    const out = await correctRegion(coord, bontang, { regionCode: '63.71' });
    expect(out.status).toBe(422);
    expect(out.html).toContain('Anda hanya dapat memilih wilayah yang Anda kelola.');
    const level = await correctRegion(coord, bontang, { regionCode: '64' });
    expect(level.status).toBe(422);
    expect(level.html).toContain('Pemerintah kabupaten/kota memerlukan kode kabupaten/kota');
    expect(await agency(bontang)).toMatchObject({ region_code: '64.74' });
    const kominfo = await correctRegion(coord, 'diskominfo-kaltim', { regionCode: '64.72' });
    expect(kominfo.status).toBe(422);
    expect(kominfo.html).toContain('Hanya admin nasional yang dapat memindahkan wilayahnya.');
    expect(await agency('diskominfo-kaltim')).toMatchObject({ region_code: '64' });

    // The national admin moves it anywhere, but not away from the agencies below it.
    const national = await correctRegion(admin, bontang, { regionCode: '63.71' });
    expect(national.status).toBe(303);
    expect(await agency(bontang)).toMatchObject({ region_code: '63.71', zone: 'WITA' });
    const parent = await correctRegion(admin, 'pupr-kaltim', { regionCode: '64.71' });
    expect(parent.status).toBe(422);
    expect(parent.html).toMatch(/\d+ instansi di bawahnya berada di luar wilayah ini/);
    expect(await agency('pupr-kaltim')).toMatchObject({ region_code: '64' });
  });

  it('the grant form groups agencies by kind, says which kinds each role fits and offers none that nothing fits', async () => {
    // The rule and the guidance are one: the guidance is the rule asked for every kind.
    expect(roleKindFits(['ombudsman', 'coordinator', 'officer'])).toEqual([
      { role: 'ombudsman', kinds: ['ombudsman'], coordinatorFlagKinds: [] },
      {
        role: 'coordinator',
        kinds: [],
        coordinatorFlagKinds: [
          'kementerian',
          'lembaga',
          'pemerintah_provinsi',
          'pemerintah_kabupaten_kota',
          'perangkat_daerah',
          'unit',
        ],
      },
      {
        role: 'officer',
        kinds: [
          'kementerian',
          'lembaga',
          'pemerintah_provinsi',
          'pemerintah_kabupaten_kota',
          'perangkat_daerah',
          'unit',
        ],
        coordinatorFlagKinds: [],
      },
    ]);
    expect(roleMisfit('officer', { kind: 'unit', isCoordinator: false, ombudsmanBranch: true })).toBe(
      'role_not_in_ombudsman_office',
    );

    const admin = await signInWeb(t.url, DEMO.national);
    // A unit below the Ombudsman office fits no role at all (only an Ombudsman office takes the ombudsman role).
    const unit = await submitOn(
      admin,
      '/kantor/admin/instansi/ombudsman-kaltim',
      '/kantor/admin/instansi/ombudsman-kaltim/tambah',
      { childName: 'Keasistenan Pemeriksaan', kind: 'unit' },
    );
    expect(unit.status, unit.html.slice(0, 1500)).toBe(303);
    const users = await admin.get('/kantor/admin/pengguna?lang=id');
    expect(users.html).toContain('data-role-fit');
    expect(users.html).toContain('aria-describedby="f-role-hint f-role-fits"');
    expect(users.html).toMatch(
      /<li data-role="coordinator"><strong>Koordinator<\/strong>: hanya instansi yang ditandai sebagai koordinator pengaduan/,
    );
    expect(users.html).toMatch(/<li data-role="ombudsman"><strong>[^<]+<\/strong>: Ombudsman<\/li>/);
    expect(users.html).toMatch(
      /<optgroup label="Ombudsman"><option value="ombudsman-kaltim">[^<]*<\/option><\/optgroup>/,
    );
    expect(users.html).toMatch(
      /<optgroup label="Perangkat daerah">[\s\S]*?value="dishub-kaltim"[\s\S]*?<\/optgroup>/,
    );
    expect(users.html).not.toContain('value="ombudsman-kaltim-keasistenan-pemeriksaan"');
    const en = await admin.get('/kantor/admin/pengguna?lang=en');
    expect(en.html).toContain('<optgroup label="Ministry">');
    expect(en.html).toContain('Each role can only be granted on some kinds of agency:');
    expect(en.html).toMatch(
      /<li data-role="officer"><strong>Officer<\/strong>: Ministry, Agency \(lembaga\),/,
    );
  });

  it("an agency's parent is a link only for an admin who may open it (never a link to a 404)", async () => {
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const own = await pupr.get('/kantor/admin/instansi/pupr-kaltim');
    expect(own.status).toBe(200);
    expect(own.html).toContain('Pemerintah Provinsi Kalimantan Timur');
    expect(own.html).not.toContain('href="/kantor/admin/instansi/pemprov-kaltim"');
    expect((await pupr.get('/kantor/admin/instansi/pemprov-kaltim')).status).toBe(404);
    const national = await signInWeb(t.url, DEMO.national);
    const seen = await national.get('/kantor/admin/instansi/pupr-kaltim');
    expect(seen.html).toContain('href="/kantor/admin/instansi/pemprov-kaltim"');
  });
});
