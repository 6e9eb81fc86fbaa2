/**
 * Similar open public reports in the web report journey (issue 7), over real HTTP on a real database: shown on
 * the category step and the check page once the draft has a title, a chronology and a region; only open public
 * reports of the same kab/kota (never confidential, unverified, closed or archived, never a reporter field);
 * each one can be supported from there without JavaScript, and the draft stays. A failing lookup leaves the
 * page without the list.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, WebClient } from '../../../test/helpers/web-client.ts';

const TITLE = 'Pipa PDAM bocor di Jalan Cempaka Putih';
const BODY =
  'Pipa PDAM di Jalan Cempaka Putih bocor sejak seminggu, air bersih terbuang dan jalan tergenang setiap pagi.';
const NAMED = { name: 'Budi Pelapor Serupa', email: 'budi.serupa@contoh.aduan.id', phone: '081200007001' };
const HIDDEN = { name: 'Ratna Anonim Serupa', email: 'ratna.anonim@contoh.aduan.id', phone: '081200007002' };

let t: TestApp;
let coord: string;
let catRoads: number;
const ids: Record<
  'open' | 'anonymous' | 'confidential' | 'elsewhere' | 'unverified' | 'completed' | 'archived',
  string
> = {
  open: '',
  anonymous: '',
  confidential: '',
  elsewhere: '',
  unverified: '',
  completed: '',
  archived: '',
};

const submit = (extra: Record<string, unknown> = {}) =>
  submitReport(t, TITLE, { body: BODY, regionCode: '64.72.02', reporter: NAMED, ...extra });
const verify = (id: string) => verifyReport(t, coord, id, 'pupr-kaltim', catRoads);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  catRoads = await categoryIdByName(t);
  ids.open = await submit();
  await verify(ids.open);
  ids.anonymous = await submit({ anonymous: true, reporter: HIDDEN });
  await verify(ids.anonymous);
  ids.confidential = await submit({ confidential: true });
  await verify(ids.confidential);
  ids.elsewhere = await submit({ regionCode: '64.71' });
  await verify(ids.elsewhere);
  ids.unverified = await submit();
  ids.archived = await submit();
  await actOk(t, ids.archived, 'archive', { reason: 'too_general' }, { token: coord });
  // Closed: answered with a final follow-up and accepted by its reporter.
  const done = await t.api('/api/v1/reports', {
    json: { classification: 'pengaduan', title: TITLE, body: BODY, regionCode: '64.72.02', reporter: NAMED },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(201);
  ids.completed = done.body.trackingId;
  await verify(ids.completed);
  const agency = await t.login(DEMO.puprAdmin);
  await actOk(t, ids.completed, 'respond', { body: 'Pipa sudah diganti.', final: true }, { token: agency });
  await actOk(t, ids.completed, 'accept', { rating: 5 }, { accessKey: done.body.accessKey });
});
afterAll(() => t?.close());

type Form = Record<string, string | string[]>;

/** Posts journey steps in order, each expected to redirect onwards. */
async function postSteps(c: WebClient, steps: Array<[string, Form]>) {
  for (const [step, form] of steps) {
    const r = await c.post(`/lapor/${step}`, form);
    expect(r.status, `${step}: ${r.html.slice(0, 300)}`).toBe(303);
  }
}

/** Walks the journey to the category step with the given text and place (prov 64, kab 64.72 by default). */
async function toCategoryStep(
  c: WebClient,
  text: { title: string; body: string } = { title: TITLE, body: BODY },
  place: Form = { prov: '64', kab: '64.72', kec: '', desa: '', address: '' },
) {
  await postSteps(c, [
    ['jenis', { classification: 'pengaduan' }],
    ['kejadian', { ...text, occurredOn: '' }],
    ['lokasi', place],
  ]);
  const page = await c.get('/lapor/kategori');
  expect(page.status).toBe(200);
  return page.html;
}

/** Finishes the journey from the category step and returns the check page. */
async function toCheckPage(c: WebClient) {
  await postSteps(c, [
    ['kategori', { categoryId: '', agencyId: '' }],
    ['privasi', { privacy: [] }],
    ['kontak', { name: 'Pelapor Draf', email: '', phone: '', nik: '' }],
  ]);
  const page = await c.get('/lapor/periksa');
  expect(page.status).toBe(200);
  return page.html;
}

/** The similar-reports section of a page ('' when absent). */
const section = (html: string) => /<section class="similar-public"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
/** Tracking numbers listed in a section. */
const listed = (s: string) => [...s.matchAll(/data-similar="(\d{10})"/g)].map((m) => m[1]);

describe('similar public reports in the report journey', () => {
  it('category step and check page: only open public reports of the kab/kota, with link and support form', async () => {
    const c = new WebClient(t.url);
    const kategori = await toCategoryStep(c);
    const check = await toCheckPage(c);
    for (const [label, html] of [
      ['kategori', kategori],
      ['periksa', check],
    ] as const) {
      const s = section(html);
      expect(s, label).toContain('aria-labelledby="similar-public-title"');
      expect(s).toContain('Laporan serupa di sekitar Anda');
      expect(s).toContain('tetap tersimpan');
      expect(listed(s).sort(), label).toEqual([ids.open, ids.anonymous].sort());
      for (const id of [ids.open, ids.anonymous]) {
        expect(s).toContain(`<a href="/laporan/${id}">${TITLE}</a>`);
        expect(s).toContain(`action="/laporan/${id}/dukung"`);
      }
      expect(s).toContain('Didisposisikan');
      expect(s).toContain('12 Maret 2026');
      expect(s).toContain('0 dukungan');
      expect(s).toContain('Dukung laporan ini');
      // PRIVACY: never a confidential, elsewhere, unverified, closed or archived report; never a reporter.
      for (const id of [ids.confidential, ids.elsewhere, ids.unverified, ids.completed, ids.archived])
        expect(html, `${label} ${id}`).not.toContain(id);
      for (const who of [NAMED, HIDDEN])
        for (const v of Object.values(who)) expect(html, `${label} ${v}`).not.toContain(v);
    }
    // The support forms sit outside the step's own form (no nested forms).
    const stepForm = kategori.indexOf('action="/lapor/kategori"');
    expect(kategori.indexOf('</form>', stepForm)).toBeLessThan(
      kategori.indexOf('<section class="similar-public"'),
    );
    // Above the category step's form, a pointer to the list below it, with the count.
    const notice =
      /<p class="panel" data-slot="similar-public-notice">[\s\S]*?<\/p>/.exec(kategori)?.[0] ?? '';
    expect(notice).toContain('Ada 2 laporan serupa yang masih ditangani di sekitar Anda.');
    expect(notice).toContain('<a href="#similar-public-title">Periksa sebelum melanjutkan</a>');
    expect(kategori.indexOf('data-slot="similar-public-notice"')).toBeLessThan(stepForm);
    // Before the send button on the check page (which needs no pointer: the list comes first).
    expect(check.indexOf('<section class="similar-public"')).toBeLessThan(
      check.indexOf('action="/lapor/kirim"'),
    );
    expect(check).not.toContain('similar-public-notice');
    const en = (await c.get('/lapor/kategori?lang=en')).html;
    expect(en).toContain('Similar reports near you');
    expect(en).toContain('2 similar reports are still being handled near you.');
  });

  it('supporting one from the category step works without JavaScript and keeps the draft', async () => {
    const c = new WebClient(t.url);
    const html = await toCategoryStep(c);
    const before = (await t.api(`/api/v1/reports/${ids.open}`)).body.supportCount as number;
    // The support form says which step it came from, so the answer leads back to the draft.
    expect(section(html)).toContain('<input type="hidden" name="draf" value="kategori"/>');
    const r = await c.post(`/laporan/${ids.open}/dukung`, { _csrf: csrfOf(section(html)), draf: 'kategori' });
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    expect(r.location).toBe(`/laporan/${ids.open}?dukung=ok&draf=kategori`);
    const thanked = (await c.get(r.location!)).html;
    expect(thanked).toContain('Terima kasih atas dukungan Anda.');
    expect(thanked).toContain('tidak perlu mengirim laporan baru');
    expect(thanked).toContain('<a href="/lapor/kategori">Lanjutkan menulis laporan Anda</a>');
    // Only the journey's steps: anything else gets no link.
    expect((await c.get(`/laporan/${ids.open}?dukung=ok&draf=https://contoh.test`)).html).not.toContain(
      'Lanjutkan menulis',
    );
    expect((await t.api(`/api/v1/reports/${ids.open}`)).body.supportCount).toBe(before + 1);
    // The draft is still there: back on the step, the list shows the new count, and says this device supports the
    // report instead of offering the button again (other devices still get it).
    const again = await c.get('/lapor/kategori');
    expect(again.status).toBe(200);
    expect(section(again.html)).toContain(`${before + 1} dukungan`);
    const items = /<li class="card"[^>]*data-similar="(\d+)"[\s\S]*?<\/li>/g;
    const supportedItem = [...section(again.html).matchAll(items)].find((m) => m[1] === ids.open)![0];
    expect(supportedItem).toContain('Anda sudah mendukung laporan ini');
    expect(supportedItem).not.toContain(`action="/laporan/${ids.open}/dukung"`);
    const otherDevice = await toCategoryStep(new WebClient(t.url));
    expect(section(otherDevice)).toContain(`action="/laporan/${ids.open}/dukung"`);
    expect((await c.get('/lapor/kejadian')).html).toContain(`value="${TITLE}"`);
  });

  it('no section when nothing matches or the point is outside every kab/kota; a point finds its kab/kota', async () => {
    const other = new WebClient(t.url);
    const html = await toCategoryStep(other, {
      title: 'Lampu taman kota padam',
      body: 'Semua lampu di taman kota padam sejak tiga malam, warga takut melintas.',
    });
    expect(html).toContain('name="categoryId"');
    expect(html).not.toContain('similar-public');
    expect(await toCheckPage(other)).not.toContain('similar-public');
    const pointOnly = { prov: '', kab: '', kec: '', desa: '', address: '' };
    // A point in Samarinda (64.72): the same list as choosing Samarinda in the picker.
    const inTown = await toCategoryStep(new WebClient(t.url), undefined, {
      ...pointOnly,
      lat: '-0.5',
      lon: '117.15',
    });
    expect(listed(section(inTown)).sort()).toEqual([ids.open, ids.anonymous].sort());
    // A point at sea (Makassar Strait): no kab/kota, no lookup.
    const atSea = await toCategoryStep(new WebClient(t.url), undefined, {
      ...pointOnly,
      lat: '-1.0',
      lon: '118.9',
    });
    expect(atSea).toContain('name="categoryId"');
    expect(atSea).not.toContain('similar-public');
    // Another kab/kota: the report filed there is the only one listed.
    const elsewhere = new WebClient(t.url);
    const there = await toCategoryStep(elsewhere, undefined, { prov: '64', kab: '64.71', kec: '', desa: '' });
    expect(listed(section(there))).toEqual([ids.elsewhere]);
  });

  it('with a pinned point: the distance to each pinned report, the nearest first, none for unpinned ones', async () => {
    // 200 m north of the draft's point below.
    const pinned = await submit({ lat: -0.5 + 200 / 111_195, lon: 117.15 });
    await verify(pinned);
    const html = await toCategoryStep(new WebClient(t.url), undefined, {
      prov: '64',
      kab: '64.72',
      kec: '',
      desa: '',
      address: '',
      lat: '-0.5',
      lon: '117.15',
    });
    const s = section(html);
    expect(listed(s)[0]).toBe(pinned);
    expect(s).toContain('data-distance="200"');
    expect(s).toContain('200 m dari titik lokasi Anda');
    // The reports without a point are still listed, without a distance.
    expect(listed(s).sort()).toEqual([ids.open, ids.anonymous, pinned].sort());
    expect([...s.matchAll(/data-distance=/g)].length).toBe(1);
  });

  // Last: it removes pg_trgm from this file's database.
  it('a failing lookup (no pg_trgm) leaves the pages working without the section', async () => {
    await t.runtime.services.db.execute(sql`drop extension if exists pg_trgm cascade`);
    const api = await t.api(`/api/v1/similar?${new URLSearchParams({ title: TITLE, regionCode: '64.72' })}`);
    expect(api.status, 'the lookup itself now fails').toBe(500);
    const c = new WebClient(t.url);
    const html = await toCategoryStep(c);
    expect(html).toContain('name="categoryId"');
    expect(html).not.toContain('similar-public');
    const check = await toCheckPage(c);
    expect(check).toContain('action="/lapor/kirim"');
    expect(check).not.toContain('similar-public');
  });
});
