/**
 * Agency administration over real HTTP with cookie sessions (demo organisation): the national admin adds a top-level
 * government (region checked against the Kemendagri list, zone derived from the province or chosen) and a child of
 * any kind, with the coordinator flag, and toggles the flag later; the agency page shows parent, region, zone, flag
 * and the people holding roles there; bad input gets field messages in both languages (never a 500); a duplicate name
 * under the same parent is refused; generated ids are cut between words. A regional coordinator may not manage the
 * Ombudsman office (no forms, 403 on every POST) nor create top-level agencies. Deactivating an agency whose staff
 * still hold roles names how many and needs a confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';
import { agencyIdBase, cutAtWord, freeAgencyId, slugify } from '../../commands/manage-agencies.ts';

let t: TestApp;

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
});
