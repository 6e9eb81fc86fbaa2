/**
 * The category list of the administration (`/kantor/admin/kategori`) over real HTTP with cookie sessions, on the
 * seeded 958 LAPOR! categories: paging (50 a page, "showing X–Y of Z", previous/next links, every category on exactly
 * one page, odd page numbers clamped), search in the database (a word in another case and with accents, any word,
 * more matching words first, the parent path shown, LIKE wildcards taken literally, the empty state), the status
 * filter, the search kept after a toggle, a rename (also a failed one) and an add; the read-only list of the
 * demo coordinator and of an agency admin (no forms, the note, the link on the admin home) with every category
 * POST refused (403) and nothing changed; officers get no list at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let nat: WebClient;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** The category ids listed on a page, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-category="(\d+)"/g)].map((m) => Number(m[1]));
}

/** The text of the "showing X–Y of Z" line. */
function showing(html: string): string | undefined {
  return /<p data-showing="?[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

/** The table row of one category, as HTML. */
function rowOf(html: string, id: number): string {
  return new RegExp(`<tr data-category="${id}">.*?</tr>`, 's').exec(html)?.[0] ?? '';
}

async function idOf(name: string): Promise<number> {
  const [r] = await rows<{ id: number }>(sql`select id from categories where name = ${name}`);
  if (!r) throw new Error(`category ${name} missing`);
  return Number(r.id);
}

describe('the category list: search, paging and the read-only view', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-11-02T02:00:00Z') });
    nat = await signInWeb(t.url, DEMO.national);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pages the 958 seeded categories 50 at a time: each on exactly one page, links and range right', async () => {
    const [{ total }] = (await rows<{ total: number }>(
      sql`select count(*)::int as total from categories`,
    )) as [{ total: number }];
    expect(Number(total)).toBe(958);
    const first = await nat.get('/kantor/admin/kategori');
    expect(first.status).toBe(200);
    expect(showing(first.html)).toBe('Menampilkan 1–50 dari 958 kategori.');
    expect(listedIds(first.html)).toHaveLength(50);
    expect(first.html).toContain('Halaman 1 dari 20');
    expect(first.html).not.toContain('rel="prev"');
    expect(first.html).toContain('href="/kantor/admin/kategori?page=2" rel="next"');
    // The first rows: a top-level category, then its subcategories with it as their parent.
    const ids = listedIds(first.html);
    expect(rowOf(first.html, ids[0]!)).toContain('Kategori utama');
    expect(rowOf(first.html, ids[1]!)).toContain('<td data-label="Kategori induk">AGAMA</td>');

    const seen: number[] = [];
    for (let page = 1; page <= 20; page++) {
      const r = await nat.get(`/kantor/admin/kategori?page=${page}`);
      const listed = listedIds(r.html);
      expect(listed.length, `page ${page}`).toBe(page < 20 ? 50 : 8);
      seen.push(...listed);
    }
    const all = await rows<{ id: number }>(sql`select id from categories`);
    expect(new Set(seen).size).toBe(958);
    expect([...seen].sort((a, b) => a - b)).toEqual(all.map((r) => Number(r.id)).sort((a, b) => a - b));

    const last = await nat.get('/kantor/admin/kategori?page=20');
    expect(showing(last.html)).toBe('Menampilkan 951–958 dari 958 kategori.');
    expect(last.html).toContain('href="/kantor/admin/kategori?page=19" rel="prev"');
    expect(last.html).not.toContain('rel="next"');
    // Past the end: the last page; not a number: the first.
    expect(showing((await nat.get('/kantor/admin/kategori?page=999')).html)).toBe(
      'Menampilkan 951–958 dari 958 kategori.',
    );
    for (const odd of ['abc', '0', '-3', '1e3']) {
      const r = await nat.get(`/kantor/admin/kategori?page=${odd}`);
      expect(r.status, odd).toBe(200);
      expect(showing(r.html), odd).toBe('Menampilkan 1–50 dari 958 kategori.');
    }
    const en = await nat.get('/kantor/admin/kategori?page=2&lang=en');
    expect(showing(en.html)).toBe('Showing 51–100 of 958 categories.');
    expect(en.html).toContain('href="/kantor/admin/kategori" rel="prev"');
  });

  it('searches by any word, ignoring case and accents, with the parent path; wildcards are literal', async () => {
    const roads = await idOf('INFRASTRUKTUR JALAN');
    const r = await nat.get(`/kantor/admin/kategori?q=${encodeURIComponent('jÁlan')}&lang=id`);
    expect(r.status).toBe(200);
    const [{ n }] = (await rows<{ n: number }>(
      sql`select count(*)::int as n from categories where name ilike '%jalan%'`,
    )) as [{ n: number }];
    expect(Number(n)).toBeGreaterThan(1);
    expect(showing(r.html)).toBe(`Menampilkan 1–${n} dari ${n} kategori yang cocok dengan “jÁlan”.`);
    expect(listedIds(r.html)).toContain(roads);
    expect(rowOf(r.html, roads)).toContain('INFRASTRUKTUR JALAN');
    expect(rowOf(r.html, roads)).toContain('PEKERJAAN UMUM DAN PENATAAN RUANG');
    expect(r.html).toContain('value="jÁlan"');
    // "jalan" starting a word of the name ranks above "jalan" inside one ("MENJALANKAN", "BERJALAN").
    const names = [...r.html.matchAll(/<tr data-category="\d+"><td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(names).toHaveLength(Number(n));
    const inside = names.findIndex((name) => !/(^|[^A-Z])JALAN/.test(name));
    expect(inside).toBeGreaterThan(0);
    expect(names.slice(0, inside).every((name) => /(^|[^A-Z])JALAN/.test(name))).toBe(true);
    expect(names.slice(inside).some((name) => /(^|[^A-Z])JALAN/.test(name))).toBe(false);

    // Any word: names with either word; the one holding both comes first.
    const both = await nat.get('/kantor/admin/kategori?q=bendungan+infrastruktur+jal%C3%A0n');
    const [{ m }] = (await rows<{ m: number }>(
      sql`select count(*)::int as m from categories
          where name ilike '%bendungan%' or name ilike '%infrastruktur%' or name ilike '%jalan%'`,
    )) as [{ m: number }];
    const listed = listedIds(both.html);
    expect(listed).toHaveLength(Math.min(50, Number(m)));
    expect(listed[0]).toBe(roads);
    expect(listed).toContain(await idOf('BENDUNGAN'));

    // `%` and `_` are no wildcards; text without a letter or digit matches nothing.
    for (const q of ['%', '_', '%%', '!!!']) {
      const none = await nat.get(`/kantor/admin/kategori?q=${encodeURIComponent(q)}&lang=id`);
      expect(none.status, q).toBe(200);
      expect(listedIds(none.html), q).toEqual([]);
      expect(none.html, q).toContain('Tidak ada kategori yang cocok dengan pencarian ini.');
    }
    const empty = await nat.get('/kantor/admin/kategori?q=zzqqxx&lang=en');
    expect(empty.html).toContain('No category matches this search.');
    expect(empty.html).not.toContain('<table');
    expect(empty.html).toContain('href="/kantor/admin/kategori">Clear the search');
    // A very long or repeated query is cut, never an error.
    expect((await nat.get(`/kantor/admin/kategori?q=${'jalan '.repeat(200)}`)).status).toBe(200);
    expect((await nat.get('/kantor/admin/kategori?q=jalan&q=air&status=x&status=aktif')).status).toBe(200);
  });

  it('keeps the search after a toggle, a rename (also a failed one) and an add; filters by status', async () => {
    const page = await nat.get('/kantor/admin/kategori?q=an&status=aktif&page=2&lang=id');
    const target = listedIds(page.html)[3]!;
    expect(target).toBeDefined();
    expect(page.html).toContain(`href="/kantor/admin/kategori/${target}?q=an&amp;status=aktif&amp;page=2"`);
    const off = await nat.post(`/kantor/admin/kategori/${target}/status?q=an&status=aktif&page=2&lang=id`, {
      _csrf: csrfOf(page.html),
      active: 'false',
    });
    expect(off.status).toBe(303);
    expect(off.location).toBe('/kantor/admin/kategori?q=an&status=aktif&page=2&selesai=1&lang=id');
    const back = await nat.get(off.location!);
    expect(back.html).toContain('Perubahan tersimpan.');
    expect(listedIds(back.html)).not.toContain(target);
    const [state] = await rows<{ active: boolean }>(sql`select active from categories where id = ${target}`);
    expect(state!.active).toBe(false);

    const inactive = await nat.get('/kantor/admin/kategori?status=nonaktif&lang=id');
    expect(listedIds(inactive.html)).toEqual([target]);
    expect(showing(inactive.html)).toBe('Menampilkan 1–1 dari 1 kategori.');
    expect(rowOf(inactive.html, target)).toContain('Aktifkan kembali');

    // Rename from the search page: the page keeps the search in its form and back link.
    const edit = await nat.get(`/kantor/admin/kategori/${target}?q=an&status=aktif&page=2&lang=id`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('href="/kantor/admin/kategori?q=an&amp;status=aktif&amp;page=2"');
    expect(edit.html).toContain(
      `action="/kantor/admin/kategori/${target}/ubah?q=an&amp;status=aktif&amp;page=2&amp;lang=id"`,
    );
    const short = await nat.post(`/kantor/admin/kategori/${target}/ubah?q=an&status=aktif&page=2&lang=en`, {
      _csrf: csrfOf(edit.html),
      categoryName: 'x',
    });
    expect(short.status).toBe(422);
    expect(short.html).toContain('href="#f-categoryName"');
    expect(short.html).toContain(
      `/kantor/admin/kategori/${target}/ubah?q=an&amp;status=aktif&amp;page=2&amp;lang=en`,
    );
    const renamed = await nat.post(`/kantor/admin/kategori/${target}/ubah?q=an&status=aktif&page=2&lang=id`, {
      _csrf: csrfOf(edit.html),
      categoryName: 'Kategori Uji Ubahnamaku',
    });
    expect(renamed.status).toBe(303);
    expect(renamed.location).toBe('/kantor/admin/kategori?q=an&status=aktif&page=2&selesai=1&lang=id');
    const found = await nat.get(`/kantor/admin/kategori?q=${encodeURIComponent('ubahNÁMAKU')}`);
    expect(listedIds(found.html)).toEqual([target]);

    // Add under a parent from a search page: back to the same search.
    const list = await nat.get('/kantor/admin/kategori?q=jalan');
    const parent = await idOf('PEKERJAAN UMUM DAN PENATAAN RUANG');
    const added = await nat.post('/kantor/admin/kategori?q=jalan&lang=id', {
      _csrf: csrfOf(list.html),
      categoryName: 'Jalan Rusak',
      parentId: String(parent),
    });
    expect(added.status).toBe(303);
    expect(added.location).toBe('/kantor/admin/kategori?q=jalan&selesai=1&lang=id');
    const withNew = await nat.get('/kantor/admin/kategori?q=RUSAK');
    const id = await idOf('Jalan Rusak');
    expect(rowOf(withNew.html, id)).toContain('PEKERJAAN UMUM DAN PENATAAN RUANG');
    // Accents in a stored name are ignored too: "Dermaga Pulau Terpencil Sébatik" is found by "SEBATIK".
    const accented = await nat.post('/kantor/admin/kategori?lang=id', {
      _csrf: csrfOf(list.html),
      categoryName: 'Dermaga Pulau Terpencil Sébatik',
    });
    expect(accented.status).toBe(303);
    const sebatik = await nat.get('/kantor/admin/kategori?q=SEBATIK&lang=id');
    expect(listedIds(sebatik.html)).toEqual([await idOf('Dermaga Pulau Terpencil Sébatik')]);
    expect(sebatik.html).toContain('Kategori utama');
  });

  it('coordinators and agency admins read and search the list, without forms; every change is 403', async () => {
    const roads = await idOf('INFRASTRUKTUR JALAN');
    for (const email of [DEMO.coordinator, DEMO.puprAdmin]) {
      const c = await signInWeb(t.url, email);
      expect((await c.get('/kantor/admin')).html, email).toContain('href="/kantor/admin/kategori"');
      const list = await c.get('/kantor/admin/kategori?q=JALAN');
      expect(list.status, email).toBe(200);
      expect(list.html).toContain(
        'Hanya admin nasional yang dapat menambah, mengubah nama, atau menonaktifkan',
      );
      expect(rowOf(list.html, roads)).toContain('PEKERJAAN UMUM DAN PENATAAN RUANG');
      expect(list.html).toContain('role="search"');
      // Read only: no post form but the sign-out, no action column, no rename link.
      expect([...list.html.matchAll(/method="post"/g)]).toHaveLength(1);
      expect(list.html).toContain('method="post" action="/keluar"');
      expect(list.html).not.toContain('Ubah nama');
      expect(list.html).not.toContain('h-add-category');
      expect(list.html).not.toContain('<th scope="col">Tindakan</th>');
      expect(rowOf(list.html, roads)).not.toContain('<form');
      const en = await c.get('/kantor/admin/kategori?lang=en');
      expect(en.html).toContain('Only the national admin can add, rename or deactivate categories');
      const [{ n: all }] = (await rows<{ n: number }>(sql`select count(*)::int as n from categories`)) as [
        { n: number },
      ];
      expect(showing(en.html)).toBe(`Showing 1–50 of ${all} categories.`);

      const csrf = csrfOf(list.html);
      expect(csrf).not.toBe('');
      const refused = [
        await c.post('/kantor/admin/kategori?lang=id', { _csrf: csrf, categoryName: 'Kategori Koordinator' }),
        await c.post(`/kantor/admin/kategori/${roads}/ubah?lang=id`, {
          _csrf: csrf,
          categoryName: 'Jalan Baru',
        }),
        await c.post(`/kantor/admin/kategori/${roads}/status?lang=id`, { _csrf: csrf, active: 'false' }),
        await c.get(`/kantor/admin/kategori/${roads}`),
      ];
      expect(
        refused.map((r) => r.status),
        email,
      ).toEqual([403, 403, 403, 403]);
    }
    const [still] = await rows<{ name: string; active: boolean }>(
      sql`select name, active from categories where id = ${roads}`,
    );
    expect(still).toEqual({ name: 'INFRASTRUKTUR JALAN', active: true });
    expect(await rows(sql`select id from categories where name = 'Kategori Koordinator'`)).toEqual([]);
    // Officers have no administration, the category list included.
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    expect((await officer.get('/kantor/admin/kategori')).status).toBe(403);
  });
});
