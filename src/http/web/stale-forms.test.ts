/**
 * Citizen forms never lose typed text, over real HTTP and a real database (web/stale-form.ts, web/form-gets.ts):
 * a signed-in citizen's post with a stale or missing form token does nothing and comes back (403) with the typed
 * text, a fresh token that then works, and a message in both languages (the report journey's steps, its file step
 * and check page, the tracking page's supplement and reply, a public comment; the other citizen forms, such as the
 * tracking lookup, get the typed text read-only with a link back, never a password or access key); a GET on a citizen form's POST-only address goes
 * (303) to the page holding the form; a supplement may be files alone (the timelines say how many), and neither
 * text nor file is the text's field error.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { reportsTitled } from '../../../test/helpers/journey.ts';
import { csrfOf, signInWeb, WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { FORGED, STALE } from '../../../test/helpers/stale-form-texts.ts';

let t: TestApp;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

const STALE_FILES = 'pilih lagi berkas Anda (berkas tidak dapat disimpan oleh peramban)';

async function submit(title: string) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}: sudah dua minggu tidak ada perbaikan dari instansi terkait.`,
      regionCode: '64.71',
      reporter: { name: 'Budi Santoso', email: 'budi.santoso@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

async function act(id: string, action: string, json: unknown, who: string) {
  const r = await t.api(`/api/v1/reports/${id}/actions/${action}`, { json, token: await t.login(who) });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
}

async function status(id: string) {
  const [r] = await query<{ status: string }>(
    t.runtime.services.db,
    sql`select status from reports where tracking_id = ${id}`,
  );
  return r!.status;
}

async function events(id: string, type: string) {
  return query<{ body: string | null; data: { files?: number } }>(
    t.runtime.services.db,
    sql`select e.body, e.data from report_events e join reports r on r.id = e.report_id
        where r.tracking_id = ${id} and e.type = ${type} order by e.seq`,
  );
}

const photo = (colour: string) =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

function form(fields: Record<string, string>, files: Array<[string, string, Buffer]> = []): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [field, name, data] of files) fd.append(field, new Blob([new Uint8Array(data)]), name);
  return fd;
}

/** A re-rendered stale form: 403, the message, and a fresh token that is the session's (not the forged one). */
function expectStale(r: WebResponse, message: string = STALE.id): string {
  expect(r.status, r.html.slice(0, 300)).toBe(403);
  expect(r.html).toContain(message);
  const fresh = csrfOf(r.html);
  expect(fresh).not.toBe('');
  expect(fresh).not.toBe(FORGED);
  return fresh;
}

describe('a stale form token gives the typed text back', () => {
  it('tracking page: a supplement with a file and a reply come back with their text; the fresh token works', async () => {
    const { trackingId: id, accessKey: k } = await submit('Lampu jalan mati di Jalan Cendana');
    await act(id, 'hold', { question: 'Di nomor berapa tepatnya?' }, DEMO.coordinator);
    const me = await signInWeb(t.url, DEMO.citizen);
    const text = 'Tepat di depan rumah nomor 17, tiangnya miring & <kabelnya> menjuntai.';
    const stale = await me.postMultipart(
      `/lacak/${id}/supplement`,
      form({ _csrf: FORGED, k, body: text }, [['supplementFiles', 'tiang.jpg', await photo('#468')]]),
    );
    const fresh = expectStale(stale, STALE_FILES);
    expect(stale.html).toContain(
      'Tepat di depan rumah nomor 17, tiangnya miring &amp; &lt;kabelnya> menjuntai.</textarea>',
    );
    // Nothing was done: still on hold, no supplement, no file.
    expect(await status(id)).toBe('on_hold');
    expect(await events(id, 'supplement')).toEqual([]);
    const sent = await me.postMultipart(
      `/lacak/${id}/supplement`,
      form({ _csrf: fresh, k, body: text }, [['supplementFiles', 'tiang.jpg', await photo('#468')]]),
    );
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await status(id)).toBe('submitted');

    // A reply without any token (urlencoded), in English: the text back, nothing recorded, then sent.
    const reply = 'Lampunya masih mati malam ini.';
    const en = await me.post(`/lacak/${id}/comment?lang=en`, { k, commentBody: reply });
    const token = expectStale(en, STALE.en);
    expect(en.html).toContain(`>${reply}</textarea>`);
    expect(await events(id, 'reporter_reply')).toEqual([]);
    const ok = await me.post(`/lacak/${id}/comment`, { _csrf: token, k, commentBody: reply });
    expect(ok.status).toBe(303);
    expect(await events(id, 'reporter_reply')).toHaveLength(1);
  });

  it('report journey: a step, the file step and the check page come back; nothing saved or filed until the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.citizen);
    let csrf = csrfOf((await me.get('/lapor/jenis')).html);
    expect((await me.post('/lapor/jenis', { _csrf: csrf, classification: 'pengaduan' })).status).toBe(303);
    const title = 'Pungutan liar di loket kelurahan Sempaja';
    const what = {
      title,
      body: 'Petugas loket meminta uang tambahan untuk surat pengantar yang seharusnya gratis.',
      occurredOn: '2026-03-01',
    };
    const stale = await me.post('/lapor/kejadian', { _csrf: FORGED, ...what });
    csrf = expectStale(stale);
    expect(stale.html).toContain(`value="${title}"`);
    expect(stale.html).toContain(`>${what.body}</textarea>`);
    // Not saved: reopening the step shows nothing typed.
    expect((await me.get('/lapor/kejadian')).html).not.toContain(title);
    expect((await me.post('/lapor/kejadian', { _csrf: csrf, ...what })).status).toBe(303);
    expect((await me.get('/lapor/kejadian')).html).toContain(`value="${title}"`);
    for (const [step, fields] of [
      ['lokasi', { prov: '64', kab: '64.71', kec: '', desa: '', address: 'Jl. Sempaja' }],
      ['kategori', { categoryId: '', agencyId: '' }],
    ] as const)
      expect((await me.post(`/lapor/${step}`, { _csrf: csrf, ...fields })).status).toBe(303);

    // The file step: the files are asked for again, nothing staged.
    const files = await me.postMultipart(
      '/lapor/lampiran',
      form({ _csrf: FORGED }, [['file', 'kuitansi.jpg', await photo('#abc')]]),
    );
    csrf = expectStale(files, STALE_FILES);
    expect((await me.get('/lapor/lampiran')).html).not.toContain('kuitansi.jpg');
    const up = await me.postMultipart(
      '/lapor/lampiran',
      form({ _csrf: csrf }, [['file', 'kuitansi.jpg', await photo('#abc')]]),
    );
    expect(up.status, up.html.slice(0, 300)).toBe(303);
    for (const [step, fields] of [
      ['privasi', { privacy: [] as string[] }],
      ['kontak', { name: 'Warga Demo', email: DEMO.citizen, phone: '', nik: '' }],
    ] as const)
      expect((await me.post(`/lapor/${step}`, { _csrf: csrf, ...fields })).status).toBe(303);

    // The check page: not filed, the answers shown again with a working token.
    const check = await me.post('/lapor/kirim', { _csrf: FORGED });
    csrf = expectStale(check);
    expect(check.html).toContain(title);
    expect(await reportsTitled(t, title)).toBe(0);
    const sent = await me.post('/lapor/kirim', { _csrf: csrf });
    expect(sent.location).toBe('/lapor/selesai');
    expect(await reportsTitled(t, title)).toBe(1);
  });

  it('a public comment comes back with its text and is posted with the fresh token', async () => {
    const { trackingId: id } = await submit('Trotoar rusak di Jalan Pahlawan');
    await act(id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    const me = await signInWeb(t.url, DEMO.citizen);
    const text = 'Saya juga hampir jatuh di trotoar ini kemarin sore.';
    const stale = await me.post(`/laporan/${id}/komentar`, { _csrf: FORGED, body: text });
    const fresh = expectStale(stale);
    expect(stale.html).toContain(`>${text}</textarea>`);
    expect(await events(id, 'comment')).toEqual([]);
    expect((await me.post(`/laporan/${id}/komentar`, { _csrf: fresh, body: text })).status).toBe(303);
    expect(await events(id, 'comment')).toHaveLength(1);
  });

  it('a comment posted after the session ended comes back for copying, with the way to sign in again', async () => {
    const { trackingId: id } = await submit('Halte rusak di Jalan Sudirman');
    await act(id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    const text = 'Atap halte ini bocor setiap hujan turun.';
    // A browser whose session has ended (signed out in another tab): no session cookie any more.
    const signedOut = new WebClient(t.url);
    const r = await signedOut.post(`/laporan/${id}/komentar`, { _csrf: FORGED, body: text });
    expect(r.status).toBe(403);
    expect(r.html).toContain('Sesi Anda telah berakhir');
    expect(r.html).toMatch(new RegExp(`<textarea[^>]*readonly[^>]*>${text}</textarea>`));
    expect(r.html).toContain(`<a href="/masuk?next=%2Flaporan%2F${id}&amp;lang=id">Masuk lagi</a>`);
    expect(await events(id, 'comment')).toEqual([]);
    // Nothing typed: straight to the sign-in page, as before.
    const empty = await signedOut.post(`/laporan/${id}/komentar`, { _csrf: FORGED, body: ' ' });
    expect(empty.status).toBe(303);
    expect(empty.headers.get('location')).toBe(`/masuk?next=/laporan/${id}`);
  });

  it('another form: the typed text read-only for copying and a link back, never an access key', async () => {
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const lookup = await me.post('/lacak?lang=en', {
      _csrf: FORGED,
      id: '1234-5678-90',
      k: 'kunci-rahasia-pelapor',
    });
    expect(lookup.status).toBe(403);
    expect(lookup.html).toContain('Form expired');
    expect(lookup.html).toMatch(/<textarea[^>]*readonly[^>]*>1234-5678-90<\/textarea>/);
    expect(lookup.html).not.toContain('kunci-rahasia-pelapor');
    expect(lookup.html).toContain('<a href="/lacak">Back to the form</a>');
    // The account forms re-render themselves (src/http/account/stale-account-forms.test.ts).
  });
});

describe('a GET on a citizen form address goes to the page with the form', () => {
  it('answers 303 to the form page for every POST-only citizen route', async () => {
    const id = '1234567890';
    const c = new WebClient(t.url);
    const cases: Array<[string, string]> = [
      [`/lacak/${id}/supplement`, `/lacak/${id}`],
      [`/lacak/${id}/comment`, `/lacak/${id}`],
      [`/lacak/${id}/accept`, `/lacak/${id}`],
      [`/lacak/${id}/dispute`, `/lacak/${id}`],
      [`/lacak/${id}/escalate`, `/lacak/${id}`],
      ['/lapor/kirim', '/lapor/periksa'],
      [`/laporan/${id}/dukung`, `/laporan/${id}`],
      [`/laporan/${id}/komentar`, `/laporan/${id}`],
      ['/akun/klaim', '/akun'],
      ['/keluar', '/'],
      [`/lacak/${id}/comment?lang=en&k=rahasia`, `/lacak/${id}?lang=en`],
    ];
    for (const [path, page] of cases) {
      const r = await c.get(path);
      expect([path, r.status, r.location]).toEqual([path, 303, page]);
    }
    // Forms that post to their own page keep their GET page; the back office is left as it is.
    expect((await c.get('/lapor/kejadian')).status).toBe(200);
    expect((await c.get('/masuk')).status).toBe(200);
    expect((await c.get(`/kantor/laporan/${id}/verify`)).status).not.toBe(303);
  });
});

describe('a supplement of files alone', () => {
  it('is accepted and reads well on both timelines; neither text nor file is the text field error', async () => {
    const { trackingId: id, accessKey: k } = await submit('Selokan meluap di Jalan Merdeka');
    await act(id, 'hold', { question: 'Mohon kirim foto selokannya.' }, DEMO.coordinator);
    const c = new WebClient(t.url);
    const neither = await c.postMultipart(`/lacak/${id}/supplement`, form({ k, body: '' }));
    expect(neither.status).toBe(422);
    expect(neither.html).toContain('href="#f-body"');
    expect(await status(id)).toBe('on_hold');

    const sent = await c.postMultipart(
      `/lacak/${id}/supplement`,
      form({ k, body: '' }, [
        ['supplementFiles', 'selokan-1.jpg', await photo('#246')],
        ['supplementFiles', 'selokan-2.jpg', await photo('#642')],
      ]),
    );
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await status(id)).toBe('submitted');
    expect(await events(id, 'supplement')).toEqual([{ body: null, data: { files: 2 } }]);
    const mine = await c.get(`/lacak/${id}?k=${encodeURIComponent(k)}`);
    expect(mine.html).toContain('Pelapor menambahkan 2 berkas tanpa keterangan.');
    expect((await c.get(`/lacak/${id}?k=${encodeURIComponent(k)}&lang=en`)).html).toContain(
      'The reporter added 2 file(s) without a note.',
    );
    const staff = await signInWeb(t.url, DEMO.coordinator);
    expect((await staff.get(`/kantor/laporan/${id}`)).html).toContain(
      'Pelapor menambahkan 2 berkas tanpa keterangan.',
    );
  });
});
