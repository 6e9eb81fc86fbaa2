/**
 * Privacy and authorization over every report endpoint of the JSON API, for every demo role:
 * an anonymous reporter's identity never reaches agency roles or the public; confidential reports never
 * reach a public read; hidden reports answer 404. Also checks encryption at rest and the PII access log.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../db/client.ts';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
const SECRET = {
  name: 'Sekar Anonimwati',
  email: 'sekar.anonim@contoh.aduan.id',
  phone: '081299887766',
  nik: '6472010101900001',
};
const OPEN = { name: 'Budi Terbuka', email: 'budi.terbuka@contoh.aduan.id', phone: '081211122233' };
const ids: Record<'anon' | 'open' | 'conf' | 'unverified', { trackingId: string; accessKey: string }> =
  {} as never;

const body = 'Lampu penerangan jalan di kawasan ini mati sejak lama dan membahayakan warga pada malam hari.';
const leaks = (text: string, who: typeof SECRET | typeof OPEN) =>
  [who.name, who.email, who.phone, 'nik' in who ? who.nik : 'no-nik'].filter((s) => text.includes(s));

type Viewer = keyof typeof DEMO | 'public' | 'reporter';
const AGENCY_AND_PUBLIC: Viewer[] = [
  'public',
  'citizen',
  'puprAdmin',
  'puprOfficer',
  'dinkesAdmin',
  'ombudsman',
  'assessor',
  'balikpapanCoordinator',
];
const IDENTITY_ALLOWED: Viewer[] = ['coordinator', 'national'];

async function auth(v: Viewer, key?: string) {
  if (v === 'public') return {};
  if (v === 'reporter') return { accessKey: key };
  return { token: await t.login(DEMO[v]) };
}

beforeAll(async () => {
  t = await startTestApp();
  const cats = await t.api('/api/v1/categories');
  const categoryId = cats.body.items[0].id;
  const mk = async (extra: Record<string, unknown>) => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan mati',
        body,
        regionCode: '64.72.01',
        ...extra,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  ids.anon = await mk({ anonymous: true, reporter: SECRET, title: 'Lampu jalan mati anonim' });
  ids.open = await mk({ reporter: OPEN, title: 'Lampu jalan mati terbuka' });
  ids.conf = await mk({ confidential: true, reporter: OPEN, title: 'Laporan rahasia pungutan liar' });
  ids.unverified = await mk({ reporter: OPEN, title: 'Laporan belum diverifikasi' });
  const coord = await t.login(DEMO.coordinator);
  for (const k of ['anon', 'open', 'conf'] as const) {
    const r = await t.api(`/api/v1/reports/${ids[k].trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(r.status).toBe(200);
    await t.api(`/api/v1/reports/${ids[k].trackingId}/actions/note`, {
      json: { body: 'Catatan internal uji.' },
      token: coord,
    });
    const d = await t.api(`/api/v1/reports/${ids[k].trackingId}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token: await t.login(DEMO.puprAdmin),
    });
    expect(d.status).toBe(200);
  }
});
afterAll(() => t?.close());

describe('anonymous reporters', () => {
  it.each(AGENCY_AND_PUBLIC)('are hidden from %s on every endpoint', async (viewer) => {
    const a = await auth(viewer);
    const id = ids.anon.trackingId;
    const pages = [
      await t.api(`/api/v1/reports/${id}`, a),
      await t.api(`/api/v1/reports/${id}/events`, a),
      await t.api('/api/v1/reports?pageSize=100', a),
      await t.api(`/api/v1/reports?q=${encodeURIComponent('Sekar Anonimwati')}`, a),
      await t.api(`/api/v1/reports?q=lampu`, a),
    ];
    for (const p of pages) {
      expect(leaks(JSON.stringify(p.body), SECRET), `${viewer} ${p.status}`).toEqual([]);
      expect(JSON.stringify(p.body)).not.toMatch(/"reporter":\{/);
    }
  });

  it('are hidden from the handling agency even in action responses', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const r = await t.api(`/api/v1/reports/${ids.anon.trackingId}/actions/note`, {
      json: { body: 'Dicek.' },
      token: admin,
    });
    expect(r.status).toBe(200);
    expect(leaks(JSON.stringify(r.body), SECRET)).toEqual([]);
  });

  it.each(IDENTITY_ALLOWED)(
    'are visible to the verifier role %s, and each view is logged',
    async (viewer) => {
      const before = await query<{ n: number }>(
        t.runtime.services.db,
        sql`select count(*)::int as n from pii_access_log`,
      );
      const r = await t.api(`/api/v1/reports/${ids.anon.trackingId}`, await auth(viewer));
      expect(r.body.reporter).toMatchObject({ name: SECRET.name, email: SECRET.email, phone: SECRET.phone });
      const after = await query<{ n: number }>(
        t.runtime.services.db,
        sql`select count(*)::int as n from pii_access_log`,
      );
      expect(after[0]!.n).toBe(before[0]!.n + 1);
    },
  );

  it('are visible to the reporter with the access key', async () => {
    const r = await t.api(`/api/v1/reports/${ids.anon.trackingId}`, { accessKey: ids.anon.accessKey });
    expect(r.body.reporter.name).toBe(SECRET.name);
  });

  it('are stored only encrypted', async () => {
    const rows = await query<Record<string, unknown>>(t.runtime.services.db, sql`select * from reports`);
    const dump = JSON.stringify(rows);
    expect(leaks(dump, SECRET)).toEqual([]);
    expect(leaks(dump, OPEN)).toEqual([]);
  });

  it('leave no NIK, phone number or email address in clear in any table', async () => {
    const db = t.runtime.services.db;
    const tables = await query<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables
           where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const { name } of tables) {
      const [hit] = await query<{ n: number }>(
        db,
        sql`select count(*)::int as n from ${sql.identifier(name)} x
             where strpos(row_to_json(x)::text, ${SECRET.nik}) > 0
                or strpos(row_to_json(x)::text, ${SECRET.phone.slice(1)}) > 0
                or strpos(row_to_json(x)::text, ${SECRET.email}) > 0
                or strpos(row_to_json(x)::text, ${OPEN.phone.slice(1)}) > 0
                or strpos(row_to_json(x)::text, ${OPEN.email}) > 0`,
      );
      if (hit!.n > 0) found.push(name);
    }
    expect(found).toEqual([]);
    // The same search finds what is stored in clear (the title), so an empty result means something.
    const [control] = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from reports x where strpos(row_to_json(x)::text, 'Lampu jalan mati anonim') > 0`,
    );
    expect(control!.n).toBe(1);
  });
});

describe('non-anonymous reporters', () => {
  it('are visible to the handling agency (admin and officer) but never to the public or other agencies', async () => {
    for (const v of ['puprAdmin', 'puprOfficer'] as const) {
      const r = await t.api(`/api/v1/reports/${ids.open.trackingId}`, await auth(v));
      expect(r.body.reporter?.name, v).toBe(OPEN.name);
    }
    for (const v of ['public', 'citizen', 'dinkesAdmin', 'assessor'] as const) {
      const r = await t.api(`/api/v1/reports/${ids.open.trackingId}`, await auth(v));
      expect(r.status).toBe(200);
      expect(leaks(JSON.stringify(r.body), OPEN), v).toEqual([]);
    }
  });
});

describe('confidential reports', () => {
  it.each(['public', 'citizen', 'assessor', 'dinkesAdmin', 'balikpapanCoordinator'] as Viewer[])(
    'are absent from every read of %s',
    async (viewer) => {
      const a = await auth(viewer);
      expect((await t.api(`/api/v1/reports/${ids.conf.trackingId}`, a)).status).toBe(404);
      expect((await t.api(`/api/v1/reports/${ids.conf.trackingId}/events`, a)).status).toBe(404);
      const list = await t.api('/api/v1/reports?pageSize=100', a);
      const search = await t.api(`/api/v1/reports?q=${encodeURIComponent('pungutan liar')}`, a);
      for (const p of [list, search]) expect(JSON.stringify(p.body)).not.toContain(ids.conf.trackingId);
      const act = await t.api(`/api/v1/reports/${ids.conf.trackingId}/actions/support`, { json: {}, ...a });
      expect(act.status).toBe(404);
    },
  );

  it('stay readable by the reporter and by staff in scope', async () => {
    expect(
      (await t.api(`/api/v1/reports/${ids.conf.trackingId}`, { accessKey: ids.conf.accessKey })).status,
    ).toBe(200);
    for (const v of ['puprAdmin', 'puprOfficer', 'coordinator', 'national'] as const) {
      expect((await t.api(`/api/v1/reports/${ids.conf.trackingId}`, await auth(v))).status, v).toBe(200);
    }
  });
});

describe('scoping', () => {
  it('keeps unverified reports out of public reads and out of other agencies', async () => {
    for (const v of ['public', 'citizen', 'puprAdmin', 'dinkesAdmin'] as Viewer[]) {
      expect((await t.api(`/api/v1/reports/${ids.unverified.trackingId}`, await auth(v))).status, v).toBe(
        404,
      );
    }
    expect(
      (await t.api(`/api/v1/reports/${ids.unverified.trackingId}`, await auth('coordinator'))).status,
    ).toBe(200);
  });

  it('shows internal notes only to staff in scope', async () => {
    const types = async (v: Viewer) =>
      (
        await t.api(`/api/v1/reports/${ids.open.trackingId}/events`, await auth(v, ids.open.accessKey))
      ).body.items.map((e: any) => e.type);
    expect(await types('coordinator')).toContain('note');
    expect(await types('puprOfficer')).toContain('note');
    expect(await types('public')).not.toContain('note');
    expect(await types('reporter')).not.toContain('note');
    expect(await types('dinkesAdmin')).not.toContain('note');
  });

  it('lists only what each role may open', async () => {
    for (const v of Object.keys(DEMO) as Array<keyof typeof DEMO>) {
      const a = await auth(v);
      const list = await t.api('/api/v1/reports?pageSize=100', a);
      expect(list.status).toBe(200);
      for (const item of list.body.items) {
        const one = await t.api(`/api/v1/reports/${item.trackingId}`, a);
        expect(one.status, `${v} ${item.trackingId}`).toBe(200);
      }
    }
  });

  it('rejects a wrong access key as not found', async () => {
    const r = await t.api(`/api/v1/reports/${ids.unverified.trackingId}`, { accessKey: ids.open.accessKey });
    expect(r.status).toBe(404);
  });
});
