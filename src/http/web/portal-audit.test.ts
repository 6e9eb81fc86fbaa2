/**
 * Citizen portal gaps found in the issue 3 audit, over real HTTP and a real database: the home page's live
 * numbers move with public reports only; a photo uploaded in the report journey loses its EXIF/GPS before it
 * is stored; the reporter answers a hold question with the supplement form (PRG); the feed's status and
 * category filters; the public report page shows its current agency and deadline.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PUBLIC_SUMMARY_TTL_MS } from '../../queries/public-summary.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { walkJourney } from '../../../test/helpers/journey.ts';

let t: TestApp;
let categoryId: number;
let otherCategoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const cats = await t.api('/api/v1/categories');
  const items = cats.body.items as Array<{ id: number; name: string }>;
  categoryId = items.find((c) => c.name === 'PEKERJAAN UMUM DAN PENATAAN RUANG')!.id;
  otherCategoryId = items.find((c) => c.id !== categoryId)!.id;
});
afterAll(() => t?.close());

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di Jalan Ahmad Yani',
      body: 'Saluran drainase tersumbat sampah sehingga air meluap ke jalan setiap kali hujan deras.',
      regionCode: '64.71',
      reporter: { name: 'Rahmat Audit', email: 'rahmat.audit@contoh.aduan.id' },
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

async function act(id: string, action: string, json: unknown, who: string = DEMO.coordinator) {
  const r = await t.api(`/api/v1/reports/${id}/actions/${action}`, { json, token: await t.login(who) });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
}

const verify = (id: string, cat = categoryId) =>
  act(id, 'verify', { categoryId: cat, agencyId: 'pupr-kaltim' });

/**
 * The three numbers of the home page, read from its HTML a minute later (they are counted at most once a minute:
 * src/queries/public-summary.ts).
 */
async function homeNumbers(c: WebClient, lang = 'id') {
  t.setNow(new Date(t.clock.now.getTime() + PUBLIC_SUMMARY_TTL_MS));
  const html = (await c.get(`/?lang=${lang}`)).html;
  const list = /<ul class="stats">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  const values = [...list.matchAll(/<strong>([^<]*)<\/strong>/g)].map((m) => m[1]!);
  expect(values, html.slice(0, 500)).toHaveLength(3);
  const n = (s: string) => Number(s.replace(/[.,\s]/g, ''));
  return { received: n(values[0]!), completed: n(values[1]!), onTime: values[2]! };
}

describe('home page live numbers', () => {
  it('counts verified public reports, completions and the on-time rate; never confidential ones', async () => {
    const c = new WebClient(t.url);
    const before = await homeNumbers(c);
    expect((await c.get('/')).html).toContain('Angka terkini');

    // A submitted (unverified) report and a verified confidential one do not count.
    await submit();
    const secret = await submit({ confidential: true, title: 'Dugaan pungli rahasia audit' });
    await verify(secret.trackingId);
    expect(await homeNumbers(c)).toEqual(before);

    // A verified public report counts as received; once completed (on time) as completed.
    const r = await submit();
    await verify(r.trackingId);
    const received = await homeNumbers(c);
    expect(received.received).toBe(before.received + 1);
    expect(received.completed).toBe(before.completed);
    await act(
      r.trackingId,
      'respond',
      { body: 'Saluran sudah dibersihkan oleh tim kebersihan.', final: true },
      DEMO.puprAdmin,
    );
    const accept = await t.api(`/api/v1/reports/${r.trackingId}/actions/accept`, {
      json: { rating: 5 },
      accessKey: r.accessKey,
    });
    expect(accept.status, JSON.stringify(accept.body)).toBe(200);
    const done = await homeNumbers(c);
    expect(done.received).toBe(before.received + 1);
    expect(done.completed).toBe(before.completed + 1);
    expect(done.onTime).toMatch(/^\d{1,3}%$/);
    // English page: same numbers, English labels.
    const en = (await c.get('/?lang=en')).html;
    expect(en).toContain('completed');
    expect((await homeNumbers(c, 'en')).completed).toBe(done.completed);
  });
});

describe('report journey attachments', () => {
  it('strips EXIF and GPS from a photo before it is stored, and shows the limits', async () => {
    const c = new WebClient(t.url);
    await walkJourney(
      c,
      {
        kejadian: {
          title: 'Pohon tumbang menutup jalan',
          body: 'Pohon besar tumbang menutup separuh jalan sejak kemarin sore dan belum dipotong.',
          occurredOn: '2026-03-10',
        },
        lokasi: { address: 'Jl. Soekarno-Hatta' },
      },
      'kategori',
    );
    const page = await c.get('/lapor/lampiran');
    expect(page.html).toMatch(/paling besar 10 MB per berkas, paling banyak 5 berkas/);
    expect(page.html).toContain('Lokasi GPS dan data tersembunyi lain pada foto dihapus otomatis');

    const photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'KameraRahasia', Artist: 'Pemilik Ponsel' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '1/1 15/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '116/1 50/1 0/1',
        },
      })
      .toBuffer();
    const meta = await sharp(photo).metadata();
    expect(meta.exif?.toString('latin1')).toContain('KameraRahasia'); // the fixture really carries EXIF
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'foto-pohon.jpg');
    expect((await c.postMultipart('/lapor/lampiran', fd)).status).toBe(303);
    expect((await c.post('/lapor/privasi', { privacy: [] })).status).toBe(303);
    const contact = { name: 'Nur Audit', email: 'nur.audit@contoh.aduan.id', phone: '', nik: '' };
    expect((await c.post('/lapor/kontak', contact)).status).toBe(303);
    expect((await c.post('/lapor/kirim', {})).location).toBe('/lapor/selesai');
    const done = await c.get('/lapor/selesai');
    expect(done.html).toContain('1 lampiran tersimpan.');
    const id = /data-testid="tracking-number">(\d{10})</.exec(done.html)![1]!;
    const key = new URL(
      /data-testid="private-link">([^<]+)</.exec(done.html)![1]!.replace(/&amp;/g, '&'),
    ).searchParams.get('k')!;

    const [row] = await query<{ id: string }>(
      t.runtime.services.db,
      sql`select a.id from attachments a join reports r on r.id = a.report_id where r.tracking_id = ${id}`,
    );
    const res = await fetch(`${t.url}/api/v1/reports/${id}/attachments/${row!.id}`, {
      headers: { 'x-access-key': key },
    });
    expect(res.status).toBe(200);
    const stored = Buffer.from(await res.arrayBuffer());
    const clean = await sharp(stored).metadata();
    expect(clean.format).toBe('jpeg');
    expect(clean.exif, 'no EXIF block survives').toBeUndefined();
    expect(stored.toString('latin1')).not.toContain('KameraRahasia');
    expect(stored.toString('latin1')).not.toContain('Pemilik Ponsel');

    // The reporter finds the file on the tracking page and downloads it through the private-link key.
    const track = await c.get(`/lacak/${id}?k=${encodeURIComponent(key)}`);
    expect(track.html).toContain('<h2>Lampiran</h2>');
    expect(track.html).toContain('foto-pohon.jpg</a> (dari Anda,');
    const href = `/lacak/${id}/lampiran/${row!.id}?k=${encodeURIComponent(key)}`;
    expect(track.html).toContain(href.replace(/&/g, '&amp;'));
    const own = await fetch(t.url + href);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/jpeg');
    expect(own.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await own.arrayBuffer()).equals(stored)).toBe(true);
    // Wrong key, no key, malformed ids: the same HTML 404, nothing revealed.
    for (const bad of [
      `/lacak/${id}/lampiran/${row!.id}?k=salah`,
      `/lacak/${id}/lampiran/${row!.id}`,
      `/lacak/${id}/lampiran/bukan-uuid?k=${encodeURIComponent(key)}`,
      `/lacak/123/lampiran/${row!.id}?k=${encodeURIComponent(key)}`,
    ]) {
      const r = await fetch(t.url + bad, { headers: { accept: 'text/html' } });
      expect(r.status, bad).toBe(404);
      expect(r.headers.get('content-type'), bad).toContain('text/html');
    }
  });
});

describe('report journey category and optional agency', () => {
  it('the chosen category and agency reach the report; a forged agency is a 422 linking to its step', async () => {
    const c = new WebClient(t.url);
    const steps: Array<[string, Record<string, string | string[]>]> = [
      ['jenis', { classification: 'aspirasi' }],
      [
        'kejadian',
        {
          title: 'Usul taman bermain di RT 12',
          body: 'Kami mengusulkan lahan kosong di RT 12 dijadikan taman bermain anak yang aman dan teduh.',
          occurredOn: '',
        },
      ],
      ['lokasi', { prov: '64', kab: '64.71', kec: '', desa: '', address: 'RT 12' }],
    ];
    for (const [step, form] of steps) expect((await c.post(`/lapor/${step}`, form)).status).toBe(303);
    const page = await c.get('/lapor/kategori');
    expect(page.html).toContain('name="categoryId"');
    expect(page.html).toMatch(/name="agencyId"/);
    expect(page.html).toContain('Instansi yang dituju (opsional)');
    // A forged agency id never becomes a 500: the step or the submission answers with a field error.
    const bad = await c.post('/lapor/kategori', { categoryId: String(categoryId), agencyId: 'tidak-ada' });
    expect(bad.status).toBe(303);
    const rest: Array<[string, Record<string, string | string[]>]> = [
      ['privasi', { privacy: [] }],
      ['kontak', { name: 'Lina Audit', email: 'lina.audit@contoh.aduan.id', phone: '', nik: '' }],
    ];
    for (const [step, form] of rest) await c.post(`/lapor/${step}`, form);
    const forged = await c.post('/lapor/kirim', {});
    expect(forged.status).toBe(422);
    expect(forged.html).toContain('Instansi tidak dikenal.');
    expect(forged.html).toContain('href="/lapor/kategori?from=check"'); // the summary links to the step that asks it
    const ok = await c.post('/lapor/kategori', { categoryId: String(categoryId), agencyId: 'pupr-kaltim' });
    expect(ok.status).toBe(303);
    for (const [step, form] of rest) expect((await c.post(`/lapor/${step}`, form)).status).toBe(303);
    const check = await c.get('/lapor/periksa');
    expect(check.html).toContain('Dinas Pekerjaan Umum');
    await c.post('/lapor/kirim', {});
    const done = await c.get('/lapor/selesai');
    const id = /data-testid="tracking-number">(\d{10})</.exec(done.html)![1]!;
    const api = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.coordinator) });
    expect(api.body.classification).toBe('aspirasi');
    expect(api.body.category?.id ?? api.body.categoryId).toBe(categoryId);
    expect(api.body.targetAgency?.id ?? api.body.targetAgencyId).toBe('pupr-kaltim');
  });
});

describe('tracking page supplement form', () => {
  it('answers a hold question: the form appears only on hold, PRG, the text is on the timeline', async () => {
    const r = await submit();
    const c = new WebClient(t.url);
    const base = `/lacak/${r.trackingId}`;
    const link = `${base}?k=${encodeURIComponent(r.accessKey)}`;
    expect((await c.get(link)).html).not.toContain('Tambahkan keterangan');
    await act(r.trackingId, 'hold', { question: 'Di nomor rumah berapa saluran itu tersumbat?' });
    const held = await c.get(link);
    expect(held.html).toContain('Di nomor rumah berapa saluran itu tersumbat?');
    expect(held.html).toContain('Tambahkan keterangan');
    const empty = await c.post(`${base}/supplement`, { k: r.accessKey, body: '' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('class="error-summary"');
    const ok = await c.post(`${base}/supplement`, {
      k: r.accessKey,
      body: 'Di depan rumah nomor 12, dekat musala Al-Ikhlas.',
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toContain('ok=supplement');
    const after = await c.get(ok.location!);
    expect(after.html).toContain('Keterangan Anda terkirim.');
    expect(after.html).toContain('Di depan rumah nomor 12');
    expect(after.html).not.toContain('Tambahkan keterangan');
    const api = await t.api(`/api/v1/reports/${r.trackingId}`, { accessKey: r.accessKey });
    expect(api.body.status).toBe('submitted');
  });
});

describe('tracking page timeline deadlines', () => {
  it('shows each deadline on the event that started it, with its explanation and outcome', async () => {
    const r = await submit();
    const c = new WebClient(t.url);
    const link = `/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}`;
    const first = (await c.get(link)).html;
    const timeline = (html: string) =>
      /<ol class="timeline">([\s\S]*?)<\/ol>\s*(<\/section>|<h2|$)/.exec(html)?.[1] ?? html;
    expect(timeline(first)).toContain('Tenggat Verifikasi: paling lambat');
    expect(timeline(first)).toContain('Masih berjalan.');
    expect(timeline(first)).toMatch(/hari kerja/);

    await verify(r.trackingId);
    const after = (await c.get(link)).html;
    // The verification deadline stays on the submission, now met; the follow-up one is on the verification.
    const items = after.split('<li class="timeline-item');
    const submitted = items.find((i) => i.includes('Laporan masuk'))!;
    expect(submitted).toContain('Tenggat Verifikasi: paling lambat');
    expect(submitted).toContain('Terpenuhi tepat waktu.');
    expect(submitted).not.toContain('Tenggat Tindak lanjut');
    expect(after).toContain('Tenggat Tindak lanjut: paling lambat');
    expect(after.match(/class="timeline-deadline"/g)?.length).toBeGreaterThanOrEqual(2);
    const en = (await c.get(`${link}&lang=en`)).html;
    expect(en).toContain('Verification deadline: by');
    expect(en).toContain('Met on time.');
    expect(en).toContain('Follow-up deadline: by');
    // The public page shows the public steps' deadlines too, never a reporter-only one.
    const pub = (await c.get(`/laporan/${r.trackingId}?lang=id`)).html;
    expect(pub).toContain('Tenggat Tindak lanjut: paling lambat');
  });
});

describe('public feed filters and report page', () => {
  it('filters by status and category; the report page shows its current agency and deadline', async () => {
    const a = await submit({ title: 'Jembatan gantung audit berkarat' });
    await verify(a.trackingId);
    const b = await submit({ title: 'Halte audit tanpa atap' });
    await verify(b.trackingId, otherCategoryId);
    const c = new WebClient(t.url);
    const has = async (q: string, id: string) =>
      (await c.get(`/laporan?${q}`)).html.includes(`/laporan/${id}`);
    expect(await has(`categoryId=${categoryId}`, a.trackingId)).toBe(true);
    expect(await has(`categoryId=${categoryId}`, b.trackingId)).toBe(false);
    expect(await has(`categoryId=${otherCategoryId}`, b.trackingId)).toBe(true);
    expect(await has('status=dispatched', a.trackingId)).toBe(true);
    expect(await has('status=completed', a.trackingId)).toBe(false);
    expect(await has('classification=pengaduan', a.trackingId)).toBe(true);
    // Junk filter values are ignored, not errors.
    expect((await c.get('/laporan?status=bogus&categoryId=abc')).status).toBe(200);

    const page = await c.get(`/laporan/${a.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Dinas Pekerjaan Umum');
    expect(page.html).toMatch(/class="badge badge-(on_time|due_soon|overdue)/);
    expect(page.html).toContain('<details');
    expect(page.html).not.toContain('Rahmat Audit');
  });
});

describe('accounts are reachable from the pages', () => {
  it('sign-in links to registration; the header links citizens to their reports and staff to the back office', async () => {
    const anon = new WebClient(t.url);
    const signIn = await anon.get('/masuk');
    expect(signIn.html).toContain('href="/daftar"');
    expect((await anon.get('/masuk?lang=en')).html).toContain('Register a citizen account');
    expect((await anon.get('/daftar')).status).toBe(200);

    const citizen = new WebClient(t.url);
    expect((await citizen.post('/masuk', { email: DEMO.citizen, password: 'demo-aduan-2026' })).status).toBe(
      303,
    );
    const home = (await citizen.get('/')).html;
    expect(home).toContain('<a href="/akun">Laporan saya</a>');
    expect(home).not.toContain('href="/kantor"');
    expect((await citizen.get('/akun')).status).toBe(200);

    const staff = new WebClient(t.url);
    expect(
      (await staff.post('/masuk', { email: DEMO.coordinator, password: 'demo-aduan-2026' })).status,
    ).toBe(303);
    const feed = (await staff.get('/laporan')).html;
    expect(feed).toContain('<a href="/kantor">Kantor</a>');
    expect(feed).not.toContain('href="/akun"');
  });
});
