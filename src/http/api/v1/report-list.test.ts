/**
 * GET /api/v1/reports: the filters of docs/api-v1.md (status, agencyId, categoryId, regionCode, classification,
 * q, overdue, from, to) and pagination ({ items, page, pageSize, total }, pageSize at most 100), for staff and
 * the public. The reports of this file are filed in February 2026; `from`/`to` keep the demo reports out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIds, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
let nat: string;
const WEEK = 'from=2026-02-02&to=2026-02-06';
const made: Record<string, string> = {};
let cat: { road: number; health: number };

async function submit(name: string, json: Record<string, unknown>) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: `Laporan ${name}`,
      body: 'Uraian laporan uji daftar yang cukup panjang agar lolos validasi isian laporan warga.',
      regionCode: '64.72.01',
      anonymous: true,
      ...json,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  made[name] = r.body.trackingId;
  return r.body.trackingId as string;
}

async function list(query: string, token: string | null = nat) {
  const range = query.includes('from=') ? '' : `${WEEK}&`;
  const r = await t.api(`/api/v1/reports?${range}pageSize=100&${query}`, token ? { token } : {});
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.items as Array<{ trackingId: string }>).map((i) => i.trackingId).sort();
}
const ids = (...names: string[]) => names.map((n) => made[n]!).sort();

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-02-02T02:00:00Z') }); // Monday 09:00 WIB
  nat = await t.login(DEMO.national);
  const [road, health] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  cat = { road, health };
  await submit('jalan', { title: 'Jalan berlubang di Samarinda Ulu', categoryId: cat.road });
  await submit('puskesmas', {
    title: 'Antrean puskesmas sangat panjang',
    body: 'Antrean di puskesmas kecamatan sangat panjang dan pasien lansia menunggu berjam-jam tanpa kursi.',
    regionCode: '64.71.02',
  });
  await submit('aspirasi', {
    classification: 'aspirasi',
    title: 'Usul taman bermain anak',
    regionCode: '64.71',
  });
  const verify = async (name: string, categoryId: number, agencyId: string) => {
    const r = await t.api(`/api/v1/reports/${made[name]}/actions/verify`, {
      json: { categoryId, agencyId },
      token: await t.login(DEMO.coordinator),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  t.setNow(new Date('2026-02-02T03:00:00Z'));
  await verify('jalan', cat.road, 'pupr-kaltim');
  await verify('puskesmas', cat.health, 'dinkes-kaltim');
  t.setNow(new Date('2026-02-04T02:00:00Z'));
  await submit('rahasia', { title: 'Pungutan liar di kantor layanan', confidential: true });
  await submit('baru', { title: 'Lampu lalu lintas mati' });
  await verify('rahasia', cat.road, 'pupr-kaltim');
  const d = await t.api(`/api/v1/reports/${made.jalan}/actions/dispose`, {
    json: { unitId: 'pupr-kaltim-unit' },
    token: await t.login(DEMO.puprAdmin),
  });
  expect(d.status, JSON.stringify(d.body)).toBe(200);
  // Monday 9 February 2026, 12:00 WITA: the follow-up clocks started on 2 February (5 working days, due
  // Monday 9th 23:59) still run; those started on 4 February too. Verification clocks of 2 February (3
  // working days: due Thursday 5th) are past.
  t.setNow(new Date('2026-02-09T04:00:00Z'));
  nat = await t.login(DEMO.national);
});
afterAll(() => t?.close());

describe('GET /api/v1/reports filters', () => {
  it('lists this week’s reports for the national admin, paged', async () => {
    expect(await list('')).toEqual(ids('jalan', 'puskesmas', 'aspirasi', 'rahasia', 'baru'));
    const p1 = await t.api(`/api/v1/reports?${WEEK}&pageSize=2&page=1`, { token: nat });
    const p3 = await t.api(`/api/v1/reports?${WEEK}&pageSize=2&page=3`, { token: nat });
    expect(p1.body).toMatchObject({ page: 1, pageSize: 2, total: 5 });
    expect(p1.body.items).toHaveLength(2);
    expect(p3.body).toMatchObject({ page: 3, pageSize: 2, total: 5 });
    expect(p3.body.items).toHaveLength(1);
    const all = [p1, await t.api(`/api/v1/reports?${WEEK}&pageSize=2&page=2`, { token: nat }), p3].flatMap(
      (p) => p.body.items.map((i: { trackingId: string }) => i.trackingId),
    );
    expect(all.sort()).toEqual(ids('jalan', 'puskesmas', 'aspirasi', 'rahasia', 'baru'));
    expect((await t.api('/api/v1/reports?pageSize=101', { token: nat })).status).toBe(422);
    expect((await t.api('/api/v1/reports?page=0', { token: nat })).status).toBe(422);
  });

  it('filters by status (one or several), agency subtree, category, region prefix and classification', async () => {
    expect(await list('status=dispatched')).toEqual(ids('jalan', 'puskesmas', 'rahasia'));
    expect(await list('status=submitted,on_hold')).toEqual(ids('aspirasi', 'baru'));
    expect((await t.api('/api/v1/reports?status=selesai', { token: nat })).status).toBe(422);
    expect(await list('agencyId=pupr-kaltim')).toEqual(ids('jalan', 'rahasia'));
    expect(await list('agencyId=pemprov-kaltim')).toEqual(ids('jalan', 'puskesmas', 'rahasia'));
    expect(await list('agencyId=pupr-kaltim-unit')).toEqual(ids('jalan'));
    expect(await list(`categoryId=${cat.health}`)).toEqual(ids('puskesmas'));
    expect(await list('regionCode=64.71')).toEqual(ids('puskesmas', 'aspirasi'));
    expect(await list('regionCode=64.72.01')).toEqual(ids('jalan', 'rahasia', 'baru'));
    expect((await t.api('/api/v1/reports?regionCode=64-71', { token: nat })).status).toBe(422);
    expect(await list('classification=aspirasi')).toEqual(ids('aspirasi'));
  });

  it('searches the text (Indonesian stemming), bounds by date and lists overdue reports', async () => {
    expect(await list(`q=${encodeURIComponent('puskesmas antre')}`)).toEqual(ids('puskesmas'));
    expect(await list('q=berlubang')).toEqual(ids('jalan'));
    expect(await list('from=2026-02-03&to=2026-02-06')).toEqual(ids('rahasia', 'baru'));
    expect(await list('from=2026-02-02&to=2026-02-02')).toEqual(ids('jalan', 'puskesmas', 'aspirasi'));
    expect((await t.api('/api/v1/reports?from=2026-02-31', { token: nat })).status).toBe(422);
    // An inverted range is refused with a field message in both languages (as on /stats and open data),
    // never answered as an empty list.
    const inverted = await t.api('/api/v1/reports?from=2026-02-06&to=2026-02-02&lang=en', { token: nat });
    expect(inverted.status, JSON.stringify(inverted.body)).toBe(422);
    expect(inverted.body.error.code).toBe('VALIDATION_FAILED');
    expect(inverted.body.error.fields.from).toMatch(/must not be after/);
    expect(inverted.body.error.translations.id.fields.from).toMatch(/tidak boleh setelah/);
    // Only 'aspirasi' (submitted 2 February, never verified) is past its verification deadline.
    expect(await list('overdue=true')).toEqual(ids('aspirasi'));
  });

  it('gives the public only verified, non-confidential reports; an agency adds only its own confidential ones', async () => {
    expect(await list('', null)).toEqual(ids('jalan', 'puskesmas'));
    expect(await list('status=submitted', null)).toEqual([]);
    // Staff add their own agency's reports (confidential ones too) to what the public sees.
    expect(await list('', await t.login(DEMO.dinkesAdmin))).toEqual(ids('jalan', 'puskesmas'));
    expect(await list('', await t.login(DEMO.puprAdmin))).toEqual(ids('jalan', 'puskesmas', 'rahasia'));
  });

  it("reads from/to as local days in the report's zone, whatever the database's time zone", async () => {
    const before = t.clock.now;
    // 16:30 UTC on 9 February: already 10 February (00:30) in Samarinda (WITA), still 9 February (23:30) in Jakarta.
    t.setNow(new Date('2026-02-09T16:30:00Z'));
    await submit('samarinda-malam', { title: 'Lampu jalan padam tengah malam' });
    await submit('jakarta-malam', { title: 'Lampu taman padam tengah malam', regionCode: '31.71' });
    t.setNow(before);
    expect(await list('from=2026-02-10&to=2026-02-10')).toEqual(ids('samarinda-malam'));
    expect(await list('from=2026-02-09&to=2026-02-09')).toEqual(ids('jakarta-malam'));
  });
});
