/**
 * The queue search form's long lists over real HTTP (docs/back-office.md "Search and export"):
 * - categories: every active subcategory is offered in an `<optgroup>` under its category (which comes first and
 *   stays selectable); the category finds the reports of its subcategories, a subcategory only its own;
 * - kab/kota: grouped by province, the province itself first when the caller's scope holds all of it (it finds every
 *   report in the province); a kab/kota coordinator gets its kab/kota only, and a province is refused (422);
 * - agencies: grouped by the province of their tree's root (ministries and lembaga under "Instansi pusat"), each
 *   unit indented under its agency; a coordinator is offered no agency of another province, and picking one is a 422.
 * The lists are native selects: their search box is `hidden` until a script shows it, so the form works without
 * JavaScript (the browser side is e2e/queue-search.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { addAgency } from '../../commands/manage-agencies.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
const { rows, callerOf } = auditLog(() => t);

const WORD = 'Markerpilihan';
const id = { parent: '', sub: '', bpp: '' };
let parentId = 0;
let sub = { id: 0, name: '' };
let jatimAgency = '';
let names = { kaltim: '', jatim: '' };

async function page(email: string, params: Record<string, string>) {
  const res = await fetch(`${t.url}/kantor?${new URLSearchParams(params).toString()}`, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

/** The tracking numbers linked from the result table. */
function listed(html: string): string[] {
  return [...html.matchAll(/href="\/kantor\/laporan\/(\d{10})"/g)].map((m) => m[1]!).sort();
}

/** The markup of one select of the search form. */
function selectOf(html: string, name: string): string {
  const m = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  expect(m, `select ${name}`).not.toBeNull();
  return m![1]!;
}

/** The optgroup labelled `label` in a select's markup (its options' markup). */
function group(select: string, label: string): string | undefined {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<optgroup label="${esc}">([\\s\\S]*?)</optgroup>`).exec(select)?.[1];
}

/** The option values of a fragment, in order. */
const values = (fragment: string) => [...fragment.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  t = await startTestApp();
  parentId = await categoryIdByName(t);
  const [child] = await rows<{ id: number; name: string }>(
    sql`select id, name from categories where parent_id = ${parentId} and active order by name limit 1`,
  );
  sub = { id: Number(child!.id), name: child!.name };
  const [kaltim] = await rows<{ name: string }>(sql`select name from regions where code = '64'`);
  const [jatim] = await rows<{ name: string }>(sql`select name from regions where code = '35'`);
  names = { kaltim: kaltim!.name, jatim: jatim!.name };
  const coord = await t.login(DEMO.coordinator);
  const verify = async (title: string, categoryId: number, regionCode = '64.72.02') => {
    const tid = await submitReport(t, title, { regionCode, anonymous: true });
    await actOk(t, tid, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    return tid;
  };
  id.parent = await verify(`Jalan ${WORD} rusak parah`, parentId);
  id.sub = await verify(`Trotoar ${WORD} ambles`, sub.id);
  id.bpp = await verify(`Jembatan ${WORD} retak`, parentId, '64.71.01');
  jatimAgency = await addAgency(t.runtime.services, await callerOf(DEMO.national), {
    name: 'Pemerintah Provinsi Jawa Timur',
    kind: 'pemerintah_provinsi',
    regionCode: '35',
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('categories: subcategories under their category', () => {
  it('offers each subcategory in its category group, the category first and selectable', async () => {
    const r = await page(DEMO.coordinator, { q: WORD });
    const select = selectOf(r.html, 'kategori');
    const [parent] = await rows<{ name: string }>(sql`select name from categories where id = ${parentId}`);
    const roads = group(select, parent!.name);
    expect(roads).toBeDefined();
    const inGroup = values(roads!);
    expect(inGroup[0]).toBe(String(parentId));
    expect(inGroup).toContain(String(sub.id));
    // The subcategory is indented and marked, so its depth is read out, not only seen.
    expect(roads).toContain(`<option value="${sub.id}">\u00a0\u00a0› ${sub.name}</option>`);
    // The search box exists for scripts only: hidden without JavaScript.
    expect(r.html).toMatch(
      /<div class="tree-filter" hidden>\s*<label class="label" for="f-kategori-filter">/,
    );
  });

  it('a category finds the reports of its subcategories; a subcategory only its own', async () => {
    const whole = await page(DEMO.coordinator, { q: WORD, kategori: String(parentId) });
    expect(whole.status).toBe(200);
    expect(listed(whole.html)).toEqual([id.parent, id.sub, id.bpp].sort());
    const only = await page(DEMO.coordinator, { q: WORD, kategori: String(sub.id) });
    expect(only.status).toBe(200);
    expect(listed(only.html)).toEqual([id.sub]);
    expect(selectOf(only.html, 'kategori')).toContain(`<option value="${sub.id}" selected>`);
  });

  it('an inactive or unknown category is not a choice (422, both languages)', async () => {
    const bad = await page(DEMO.coordinator, { q: WORD, kategori: '99999999' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-kategori"');
    const en = await page(DEMO.coordinator, { q: WORD, kategori: '99999999', lang: 'en' });
    expect(en.status).toBe(422);
    expect(en.html).toContain('Choose one');
  });
});

describe('kab/kota: grouped by province', () => {
  it('the national admin gets every province, its kab/kota once it is chosen, and a province finds all of it', async () => {
    const r = await page(DEMO.national, { q: WORD });
    const select = selectOf(r.html, 'wilayah');
    // Over 38 provinces only the provinces are listed until one is chosen (the hint says so).
    expect(values(group(select, names.kaltim)!)).toEqual(['64']);
    expect(values(group(select, names.jatim)!)).toEqual(['35']);
    expect(select.match(/<optgroup /g)!.length).toBeGreaterThanOrEqual(34);
    expect(r.html).toContain('pilih provinsinya, tekan Cari, lalu pilih kabupaten/kotanya');
    const province = await page(DEMO.national, { q: WORD, wilayah: '64' });
    expect(listed(province.html)).toEqual([id.parent, id.sub, id.bpp].sort());
    for (const chosen of [province, await page(DEMO.national, { q: WORD, wilayah: '64.71' })]) {
      const open = selectOf(chosen.html, 'wilayah');
      const kaltim = values(group(open, names.kaltim)!);
      expect(kaltim[0]).toBe('64');
      expect(kaltim).toContain('64.71');
      expect(kaltim).toContain('64.72');
      expect(kaltim.every((c) => c === '64' || c.startsWith('64.'))).toBe(true);
      expect(values(group(open, names.jatim)!)).toEqual(['35']);
    }
    expect(selectOf((await page(DEMO.national, { q: WORD, wilayah: '64.71' })).html, 'wilayah')).toContain(
      '<option value="64.71" selected>',
    );
    const city = await page(DEMO.national, { q: WORD, wilayah: '64.71' });
    expect(listed(city.html)).toEqual([id.bpp]);
    const elsewhere = await page(DEMO.national, { q: WORD, wilayah: '35' });
    expect(elsewhere.status).toBe(200);
    expect(listed(elsewhere.html)).toEqual([]);
  });

  it('a province coordinator gets every kab/kota of its province at once', async () => {
    const select = selectOf((await page(DEMO.coordinator, { q: WORD })).html, 'wilayah');
    const kaltim = values(group(select, names.kaltim)!);
    expect(kaltim[0]).toBe('64');
    expect(kaltim).toContain('64.71');
    expect(kaltim.length).toBeGreaterThan(5);
  });

  it('a kab/kota coordinator gets its kab/kota under its province, never the whole province', async () => {
    const r = await page(DEMO.balikpapanCoordinator, { q: WORD });
    const select = selectOf(r.html, 'wilayah');
    expect(values(select).filter(Boolean)).toEqual(['64.71']);
    expect(group(select, names.kaltim)).toBeDefined();
    const province = await page(DEMO.balikpapanCoordinator, { q: WORD, wilayah: '64' });
    expect(province.status).toBe(422);
    expect(province.html).toContain('href="#f-wilayah"');
  });
});

describe('agencies: grouped by province, units under their agency', () => {
  it('the national admin: central agencies, then each province with its trees indented', async () => {
    const r = await page(DEMO.national, { q: WORD });
    const select = selectOf(r.html, 'instansi');
    const central = group(select, 'Instansi pusat (kementerian dan lembaga)');
    expect(values(central!)).toContain('kemenpanrb');
    const kaltim = group(select, names.kaltim)!;
    const ids = values(kaltim);
    expect(ids.indexOf('pemprov-kaltim')).toBeLessThan(ids.indexOf('pupr-kaltim'));
    expect(ids.indexOf('pupr-kaltim')).toBeLessThan(ids.indexOf('pupr-kaltim-unit'));
    expect(kaltim).toMatch(/<option value="pemprov-kaltim">Pemerintah Provinsi Kalimantan Timur<\/option>/);
    expect(kaltim).toMatch(/<option value="pupr-kaltim">\u00a0\u00a0› [^<]+<\/option>/);
    expect(kaltim).toMatch(/<option value="pupr-kaltim-unit">(\u00a0){4}› [^<]+<\/option>/);
    expect(values(group(select, names.jatim)!)).toEqual([jatimAgency]);
    const en = await page(DEMO.national, { q: WORD, lang: 'en' });
    expect(
      group(selectOf(en.html, 'instansi'), 'Central government (ministries and agencies)'),
    ).toBeDefined();
  });

  it('a coordinator gets only its province, and an agency elsewhere is a 422', async () => {
    const r = await page(DEMO.coordinator, { q: WORD });
    const select = selectOf(r.html, 'instansi');
    expect(values(select)).not.toContain(jatimAgency);
    expect(values(select)).toContain('pupr-kaltim-unit');
    const elsewhere = await page(DEMO.coordinator, { q: WORD, instansi: jatimAgency });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.html).toContain('href="#f-instansi"');
  });

  it('a unit officer gets its own unit only, as the root of its group', async () => {
    const r = await page(DEMO.puprOfficer, {});
    const select = selectOf(r.html, 'instansi');
    expect(values(select).filter(Boolean)).toEqual(['pupr-kaltim-unit']);
    expect(select).toMatch(/<option value="pupr-kaltim-unit">[^\u00a0›][^<]*<\/option>/);
  });
});
