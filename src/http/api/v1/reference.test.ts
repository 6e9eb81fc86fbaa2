/**
 * Reference data over the JSON API v1: every Kemendagri region code, the real LAPOR! category list, and the
 * agency tree (kind, parent, region and time zone), as loaded into a fresh database from src/assets.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../db/client.ts';
import { AGENCY_KINDS } from '../../../domain/report/report.ts';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
const asset = (name: string) => readFileSync(new URL(`../../../assets/${name}`, import.meta.url), 'utf8');

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /api/v1/regions', () => {
  it('holds every Kemendagri code of the source: 38 provinces, 514 kabupaten/kota, every kecamatan and desa', async () => {
    const lines = asset('regions.csv').trim().split('\n').length - 1;
    const [count] = await query<{ n: number; provinces: number; kabkota: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n, count(*) filter (where level = 1)::int as provinces,
                 count(*) filter (where level = 2)::int as kabkota from regions`,
    );
    expect(count).toEqual({ n: lines, provinces: 38, kabkota: 514 });
    expect(lines).toBeGreaterThan(90_000);

    const provinces = await t.api('/api/v1/regions');
    expect(provinces.status).toBe(200);
    expect(provinces.body.items).toHaveLength(38);
    expect(provinces.body.items).toContainEqual(
      expect.objectContaining({ code: '64', level: 1, parentCode: null }),
    );
    const kaltim = await t.api('/api/v1/regions?parent=64');
    // Kalimantan Timur's ten kabupaten/kota (Bulungan and Nunukan moved to Kalimantan Utara, 65).
    expect(kaltim.body.items.map((r: { code: string }) => r.code)).toEqual([
      '64.01',
      '64.02',
      '64.03',
      '64.07',
      '64.08',
      '64.09',
      '64.11',
      '64.71',
      '64.72',
      '64.74',
    ]);
    expect(kaltim.body.items.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Balikpapan/i), expect.stringMatching(/Samarinda/i)]),
    );
    // The village code of the API example, under its kecamatan.
    const desa = await t.api('/api/v1/regions?parent=64.71.02');
    expect(desa.body.items).toContainEqual(
      expect.objectContaining({ code: '64.71.02.1004', level: 4, parentCode: '64.71.02' }),
    );
  });

  it('answers 422 for a malformed parent, ignores an unknown parameter, and an empty list for an unknown code', async () => {
    expect((await t.api('/api/v1/regions?parent=64x')).status).toBe(422);
    const extra = await t.api('/api/v1/regions?parent=64&foo=1');
    expect(extra.status).toBe(200);
    expect(extra.body).toEqual((await t.api('/api/v1/regions?parent=64')).body);
    const none = await t.api('/api/v1/regions?parent=99');
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });
});

describe('GET /api/v1/categories', () => {
  it('is the LAPOR! list: every top-level category with its sub-categories', async () => {
    const tree = JSON.parse(asset('categories.json')) as Record<string, string[]>;
    const r = await t.api('/api/v1/categories');
    expect(r.status).toBe(200);
    type Cat = { id: string; name: string; parentId: string | null };
    const items = r.body.items as Cat[];
    const top = items.filter((c) => c.parentId === null);
    expect(top.map((c) => c.name).sort()).toEqual(Object.keys(tree).sort());
    expect(items).toHaveLength(Object.keys(tree).length + Object.values(tree).flat().length);
    for (const parent of top) {
      const subs = items.filter((c) => c.parentId === parent.id).map((c) => c.name);
      expect(subs.sort(), parent.name).toEqual([...tree[parent.name]!].sort());
    }
  });
});

describe('GET /api/v1/agencies', () => {
  it('is a tree of known kinds, each agency with its region and time zone', async () => {
    const r = await t.api('/api/v1/agencies');
    expect(r.status).toBe(200);
    type Agency = {
      id: string;
      kind: string;
      parentId: string | null;
      regionCode: string | null;
      zone: string;
    };
    const items = r.body.items as Agency[];
    const byId = new Map(items.map((a) => [a.id, a]));
    for (const a of items) {
      expect(AGENCY_KINDS, a.id).toContain(a.kind);
      expect(['WIB', 'WITA', 'WIT'], a.id).toContain(a.zone);
      if (a.parentId) expect(byId.has(a.parentId), a.id).toBe(true);
      if (a.kind !== 'kementerian' && a.kind !== 'lembaga') expect(a.regionCode, a.id).toMatch(/^\d{2}/);
    }
    // Kalimantan Timur is WITA; the national admin's ministry sits in Jakarta (WIB).
    expect(byId.get('pemprov-kaltim')).toMatchObject({
      kind: 'pemerintah_provinsi',
      regionCode: '64',
      zone: 'WITA',
    });
    expect(byId.get('kemenpanrb')).toMatchObject({ kind: 'kementerian', zone: 'WIB' });
    // The demo province of docs/api-v1.md: its perangkat daerah, each with at least one unit, and ten kab/kota.
    for (const id of ['pupr', 'dinkes', 'disdik', 'dishub', 'bpkad', 'bapenda', 'dpmptsp', 'diskominfo']) {
      expect(byId.get(`${id}-kaltim`), id).toMatchObject({
        kind: 'perangkat_daerah',
        parentId: 'pemprov-kaltim',
      });
      if (id !== 'diskominfo')
        expect(
          items.some((u) => u.kind === 'unit' && u.parentId === `${id}-kaltim`),
          `${id} has a unit`,
        ).toBe(true);
    }
    const kabkota = items.filter((a) => a.kind === 'pemerintah_kabupaten_kota');
    expect(kabkota).toHaveLength(10);
    for (const k of kabkota) {
      expect(k.regionCode).toMatch(/^64\.\d{2}$/);
      expect(
        items.some((d) => d.parentId === k.id && d.id.startsWith('diskominfo-')),
        k.id,
      ).toBe(true);
    }
  });
});
