/**
 * The reporter's supplement and reply forms on the tracking page take files with the text (multipart, no
 * JavaScript), over real HTTP and a real database: the files are stored on the supplement's or reply's event
 * ("1 lampiran" on both timelines, "sent with" on the staff page), the report resumes as before, an officer of the
 * agency downloads them; the public never gets them (the public page and the JSON API download); refused files
 * (too many, too large, wrong type, over the report's limit) and a missing text come back as field messages in
 * both languages with the text kept, nothing stored; a double-tapped post stores its files once; an anonim
 * reporter's own file name never reaches the agency; a signed-in session's post needs its form token, and the
 * signed-in owner sends files without the key.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { staffMessage } from '../../presenters/notification.ts';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan berlubang di depan SD Negeri 12',
      body: 'Lubang besar di badan jalan depan sekolah, sudah dua murid jatuh dari sepeda motor minggu ini.',
      regionCode: '64.71',
      reporter: { name: 'Budi Santoso', email: 'budi.santoso@contoh.aduan.id' },
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

async function act(id: string, action: string, json: unknown, who: string) {
  const r = await t.api(`/api/v1/reports/${id}/actions/${action}`, { json, token: await t.login(who) });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
}

const photo = (colour: string) =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

/** A multipart form: text fields first (as the page orders them), then the files. */
function form(fields: Record<string, string>, files: Array<[string, string, Buffer]> = []): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [field, name, data] of files) fd.append(field, new Blob([new Uint8Array(data)]), name);
  return fd;
}

async function rows(id: string) {
  return query<{ event_type: string | null; uploaded_by: string }>(
    t.runtime.services.db,
    sql`select e.type as event_type, a.uploaded_by from attachments a join reports r on r.id = a.report_id
        left join report_events e on e.id = a.event_id where r.tracking_id = ${id} order by a.created_at`,
  );
}

/** The agency's admin disposes the report to its unit and assigns it to the unit's officer (the assign form). */
async function assignToOfficer(id: string) {
  await act(id, 'dispose', { unitId: 'pupr-kaltim-unit' }, DEMO.puprAdmin);
  const [officer] = await query<{ id: string }>(
    t.runtime.services.db,
    sql`select id from users where email = ${DEMO.puprOfficer}`,
  );
  const web = await signInWeb(t.url, DEMO.puprAdmin);
  const page = await web.get(`/kantor/laporan/${id}`);
  const r = await web.post(`/kantor/laporan/${id}/assign`, {
    _csrf: csrfOf(page.html),
    assignee: officer!.id,
  });
  expect(r.status, r.html.slice(0, 300)).toBe(303);
}

async function status(id: string) {
  const [r] = await query<{ status: string }>(
    t.runtime.services.db,
    sql`select status from reports where tracking_id = ${id}`,
  );
  return r!.status;
}

describe('tracking page: files with a supplement or a reply', () => {
  it('a held report completed with text and a photo resumes; staff see the file with the supplement; the public never', async () => {
    const { trackingId: id, accessKey: k } = await submit();
    await act(id, 'hold', { question: 'Mohon kirim foto lubangnya.' }, DEMO.coordinator);
    const c = new WebClient(t.url);
    const page = await c.get(`/lacak/${id}?k=${encodeURIComponent(k)}`);
    expect(page.html).toMatch(
      /<form method="post" action="\/lacak\/\d+\/supplement" enctype="multipart\/form-data"/,
    );
    expect(page.html).toContain('name="supplementFiles"');
    expect(page.html).toContain('name="commentFiles"');

    const text = 'Foto lubang di depan sekolah saya lampirkan.';
    const sent = await c.postMultipart(
      `/lacak/${id}/supplement`,
      form({ k, body: text }, [['supplementFiles', 'lubang-jalan.jpg', await photo('#654')]]),
    );
    expect(sent.status, sent.html.slice(0, 400)).toBe(303);
    expect(sent.location).toBe(`/lacak/${id}?k=${k}&ok=supplement`);
    expect(await status(id)).toBe('submitted');
    expect(await rows(id)).toEqual([{ event_type: 'supplement', uploaded_by: 'reporter' }]);

    // The reporter's page: the file under its own name, "1 lampiran" with the supplement.
    for (const [lang, note] of [
      ['id', '1 lampiran'],
      ['en', 'Attachments: 1'],
    ] as const) {
      const mine = await c.get(`/lacak/${id}?k=${encodeURIComponent(k)}&lang=${lang}`);
      expect(mine.html).toContain('lubang-jalan.jpg</a>');
      expect(mine.html).toContain(`<p class="timeline-explanation">${note}</p>`);
    }

    // The verifier's page: the file says which step it came with; the timeline counts it.
    const staff = await signInWeb(t.url, DEMO.coordinator);
    const sp = await staff.get(`/kantor/laporan/${id}`);
    expect(sp.status).toBe(200);
    expect(sp.html).toMatch(/lubang-jalan\.jpg<\/a> \(image\/jpeg, 1 KB\) · dikirim bersama: [^<]+/);
    expect(sp.html).toContain('<p class="timeline-explanation">1 lampiran</p>');
    const [file] = await query<{ id: string }>(
      t.runtime.services.db,
      sql`select a.id from attachments a join reports r on r.id = a.report_id where r.tracking_id = ${id}`,
    );

    // The staff notification of the supplement counts the files.
    const facts = {
      trackingId: id,
      title: 'x',
      eventType: 'supplement',
      eventBody: text,
      eventData: { files: 1 },
      link: `${t.url}/kantor/laporan/${id}`,
    };
    expect(staffMessage(facts, 'id')!.text).toContain('Pelapor melampirkan 1 berkas.');
    expect(staffMessage(facts, 'en')!.text).toContain('Files attached by the reporter: 1.');
    expect(staffMessage({ ...facts, eventData: {} }, 'id')!.text).not.toContain('melampirkan');

    // Dispatched to the agency: its officer downloads it; the public page and the public download do not serve it.
    await act(id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    await assignToOfficer(id);
    const officer = await t.login(DEMO.puprOfficer);
    const dl = await fetch(`${t.url}/api/v1/reports/${id}/attachments/${file!.id}`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('image/jpeg');
    const pub = await new WebClient(t.url).get(`/laporan/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.html).not.toContain(file!.id);
    expect(pub.html).not.toContain('lubang-jalan');
    expect((await fetch(`${t.url}/laporan/${id}/lampiran/${file!.id}`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/v1/reports/${id}/attachments/${file!.id}`)).status).toBe(404);
  });

  it('too many, too large, wrong type, over the report limit, no text: field messages, text kept, nothing stored', async () => {
    const { trackingId: id, accessKey: k } = await submit({ title: 'Lampu jalan padam di Gang Mawar' });
    await act(id, 'hold', { question: 'Tiang nomor berapa?' }, DEMO.coordinator);
    const c = new WebClient(t.url);
    const text = 'Tiang nomor 14 dan 15 di Gang Mawar.';
    const img = await photo('#222');
    const post = (files: Array<[string, string, Buffer]>, body = text, lang = 'id') =>
      c.postMultipart(`/lacak/${id}/supplement?lang=${lang}`, form({ k, body }, files));
    const expectRefused = async (
      files: Array<[string, string, Buffer]>,
      messages: { id: string; en: string },
    ) => {
      for (const lang of ['id', 'en'] as const) {
        const r = await post(files, text, lang);
        expect(r.status, r.html.slice(0, 300)).toBe(422);
        expect(r.html).toContain(messages[lang]);
        expect(r.html).toContain('href="#f-supplementFiles"');
        expect(r.html).toContain(`>${text}</textarea>`);
      }
    };

    const six = Array.from(
      { length: 6 },
      (_, i) => ['supplementFiles', `foto-${i}.jpg`, img] as [string, string, Buffer],
    );
    await expectRefused(six, { id: 'Maksimal 5 berkas.', en: 'At most 5 files.' });
    const big = Buffer.concat([img, Buffer.alloc(10 * 1024 * 1024)]);
    await expectRefused([['supplementFiles', 'besar.jpg', big]], {
      id: 'besar.jpg: Ukuran tiap berkas paling besar 10 MB.',
      en: 'besar.jpg: Each file can be at most 10 MB.',
    });
    await expectRefused(
      [
        ['supplementFiles', 'foto.jpg', img],
        ['supplementFiles', 'catatan.jpg', Buffer.from('bukan gambar, hanya teks biasa')],
      ],
      {
        id: 'catatan.jpg: Harus salah satu dari: JPEG, PNG, WebP, PDF.',
        en: 'catatan.jpg: Must be one of: JPEG, PNG, WebP, PDF.',
      },
    );
    // Neither text nor file: the text is asked for (files alone are a supplement: stale-forms.test.ts).
    const neither = await post([], '');
    expect(neither.status).toBe(422);
    expect(neither.html).toContain('href="#f-body"');
    expect(neither.html).not.toContain('href="#f-supplementFiles"');
    // Text too short with a file: the text's bounds still hold.
    const short = await post([['supplementFiles', 'foto.jpg', img]], 'Foto');
    expect(short.status).toBe(422);
    expect(short.html).toContain('href="#f-body"');
    expect(await rows(id)).toEqual([]);
    expect(await status(id)).toBe('on_hold');

    // The report's own limit (10 files): 8 already there, 3 more refused, 2 taken.
    const pdf = Buffer.from(MINIMAL_PDF);
    for (let i = 0; i < 8; i++) {
      const fd = new FormData();
      fd.append('file', new Blob([new Uint8Array(pdf)]), `bukti-${i}.pdf`);
      const r = await fetch(`${t.url}/api/v1/reports/${id}/attachments`, {
        method: 'POST',
        headers: { 'x-access-key': k },
        body: fd,
      });
      expect(r.status).toBe(201);
    }
    await expectRefused(six.slice(0, 3), {
      id: 'Laporan ini hanya dapat menerima 2 berkas lagi (maksimal 10 per laporan).',
      en: 'This report can take only 2 more files (at most 10 per report).',
    });
    expect(await status(id)).toBe('on_hold');
    const ok = await post(six.slice(0, 2));
    expect(ok.status).toBe(303);
    expect((await rows(id)).filter((r) => r.event_type === 'supplement')).toHaveLength(2);
  });

  it('a double-tapped supplement with a file is recorded once, its file stored once', async () => {
    const { trackingId: id, accessKey: k } = await submit({ title: 'Saluran tersumbat di Jalan Kenanga' });
    await act(id, 'hold', { question: 'Ada foto salurannya?' }, DEMO.coordinator);
    const c = new WebClient(t.url);
    const img = await photo('#357');
    const send = () =>
      c.postMultipart(
        `/lacak/${id}/supplement`,
        form({ k, body: 'Ini foto saluran yang tersumbat.' }, [['supplementFiles', 'saluran.jpg', img]]),
      );
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    // The second post says the report moved on (its first post is in the timeline), never a 500.
    const stale = a.status === 409 ? a : b;
    expect(stale.html).toContain('tidak dapat dikirim lagi');
    expect(stale.html).toContain('<p class="timeline-body">Ini foto saluran yang tersumbat.</p>');
    expect(await rows(id)).toEqual([{ event_type: 'supplement', uploaded_by: 'reporter' }]);
  });

  it("an anonim reporter's reply file: the agency sees a neutral name, the reporter their own", async () => {
    const { trackingId: id, accessKey: k } = await submit({
      title: 'Pungutan di loket KTP kecamatan',
      anonymous: true,
    });
    await act(id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    await assignToOfficer(id);
    const c = new WebClient(t.url);
    const sent = await c.postMultipart(
      `/lacak/${id}/comment`,
      form({ k, commentBody: 'Ini salinan KTP saya sebagai bukti.' }, [
        ['commentFiles', 'KTP_Budi_Santoso.jpg', await photo('#aaa')],
      ]),
    );
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await rows(id)).toEqual([{ event_type: 'reporter_reply', uploaded_by: 'reporter' }]);
    const mine = await c.get(`/lacak/${id}?k=${encodeURIComponent(k)}`);
    expect(mine.html).toContain('KTP_Budi_Santoso.jpg</a>');
    expect(mine.html).toContain('<p class="timeline-explanation">1 lampiran</p>');

    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    const sp = await officer.get(`/kantor/laporan/${id}`);
    expect(sp.status).toBe(200);
    expect(sp.html).toMatch(/>lampiran-[0-9a-f]{8}\.jpg<\/a>/);
    expect(sp.html).toContain('<p class="timeline-explanation">1 lampiran</p>');
    expect(sp.html).not.toContain('Budi');
    const [file] = await query<{ id: string }>(
      t.runtime.services.db,
      sql`select a.id from attachments a join reports r on r.id = a.report_id where r.tracking_id = ${id}`,
    );
    const dl = await fetch(`${t.url}/api/v1/reports/${id}/attachments/${file!.id}`, {
      headers: { authorization: `Bearer ${await t.login(DEMO.puprOfficer)}` },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).not.toContain('Budi');
  });

  it('a signed-in visitor posting a multipart reply needs the form token', async () => {
    const { trackingId: id, accessKey: k } = await submit({ title: 'Trotoar amblas di Jalan Melati' });
    const me = await signInWeb(t.url, DEMO.citizen);
    const page = await me.get(`/lacak/${id}?k=${encodeURIComponent(k)}`);
    const csrf = csrfOf(page.html);
    const body = { k, commentBody: 'Trotoarnya makin amblas.' };
    const img = await photo('#963');
    const without = await me.postMultipart(
      `/lacak/${id}/comment`,
      form(body, [['commentFiles', 'a.jpg', img]]),
    );
    expect(without.status).toBe(403);
    expect(await rows(id)).toEqual([]);
    const withToken = await me.postMultipart(
      `/lacak/${id}/comment`,
      form({ _csrf: csrf, ...body }, [['commentFiles', 'a.jpg', img]]),
    );
    expect(withToken.status).toBe(303);
    // An urlencoded post is checked as before.
    expect((await me.post(`/lacak/${id}/comment`, { k, commentBody: 'Lagi.' })).status).toBe(403);
    expect((await me.post(`/lacak/${id}/comment`, { _csrf: csrf, k, commentBody: 'Lagi.' })).status).toBe(
      303,
    );
  });

  it('the signed-in owner replies with a file without the key', async () => {
    const { trackingId: id, accessKey } = await submit({ title: 'Got tersumbat di Jalan Anggrek' });
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const csrf = csrfOf((await me.get('/akun')).html);
    expect((await me.post('/akun/klaim', { _csrf: csrf, trackingId: id, accessKey })).status).toBe(303);
    const page = await me.get(`/lacak/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="commentFiles"');
    const sent = await me.postMultipart(
      `/lacak/${id}/comment`,
      form({ _csrf: csrfOf(page.html), k: '', commentBody: 'Foto gotnya pagi ini.' }, [
        ['commentFiles', 'got.jpg', await photo('#147')],
      ]),
    );
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await rows(id)).toEqual([{ event_type: 'reporter_reply', uploaded_by: 'reporter' }]);
    const mine = await me.get(`/lacak/${id}`);
    const link = new RegExp(`href="(/lacak/${id}/lampiran/[0-9a-f-]{36})"`).exec(mine.html)?.[1];
    expect(link, 'attachment link').toBeTruthy();
    expect((await me.get(link!)).status).toBe(200);
  });
});
