/**
 * A signed-in citizen's comment on a public report page (`POST /laporan/:id/komentar`) is public and no verifier
 * reads it first: the field says so, and a comment that seems to hold a NIK, phone number or email comes back (422)
 * with the warning and a confirmation checkbox (`bodyPiiOk`) before it is sent, as the tracking page's accept and
 * dispute forms do. Sent with the box ticked, it is published masked; staff read it as written. The JSON API comment,
 * like the API's accept and dispute, asks for no confirmation and is masked for the public. Real HTTP, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { PII_MASKS } from '../../domain/report/pii-hints.ts';

const PHONE = '0812-3456-7890';
const EMAIL = 'tetangga.baik@contoh.aduan.id';
const NIK = '6472010101900011';
const COMMENT = `Saya juga melihatnya tiap pagi. Hubungi ${PHONE} atau ${EMAIL} (NIK ${NIK}).`;
const MASKED = `Saya juga melihatnya tiap pagi. Hubungi ${PII_MASKS.phone} atau ${PII_MASKS.email} (NIK ${PII_MASKS.nik}).`;

let t: TestApp;
let categoryId: number;

/** A new public (verified) report, so each test starts with no comments. */
async function publicReport(title: string): Promise<string> {
  const id = await submitReport(t, title, { anonymous: true });
  await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', categoryId);
  return id;
}

/** The citizen's client on the report page, and the page's CSRF token. */
async function citizenOn(id: string, lang?: 'en') {
  const c = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
  const page = await c.get(`/laporan/${id}${lang ? `?lang=${lang}` : ''}`);
  expect(page.status).toBe(200);
  return { c, page, csrf: csrfOf(page.html) };
}

/** The comment events of a report as staff read them (the stored text). */
async function staffComments(id: string): Promise<string[]> {
  const r = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.puprAdmin) });
  expect(r.status).toBe(200);
  return (r.body.items as Array<{ type: string; body: string }>)
    .filter((e) => e.type === 'comment')
    .map((e) => e.body);
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

describe('public report page: a comment with personal data is confirmed before it is sent', () => {
  it('the form says the comment is public (the hint describes the field)', async () => {
    const id = await publicReport('Lampu taman mati di Taman Bekapai');
    const { page } = await citizenOn(id);
    expect(page.html).toContain(
      'Komentar tampil untuk publik di halaman laporan ini. Jangan tulis NIK, nomor telepon, atau alamat email.',
    );
    expect(page.html).toMatch(/<textarea[^>]*id="f-body"[^>]*aria-describedby="f-body-hint"/);
    expect(page.html).not.toContain('bodyPiiOk');
    // Signed out: no form, so no hint either.
    expect((await new WebClient(t.url).get(`/laporan/${id}`)).html).not.toContain('id="f-body"');
  });

  it('warns (422, summary, notice on the field, confirm box), keeps the text, and sends after confirmation', async () => {
    const id = await publicReport('Trotoar ambles di Jalan Pahlawan');
    const { c, csrf } = await citizenOn(id);

    const warned = await c.post(`/laporan/${id}/komentar`, { body: COMMENT, _csrf: csrf });
    expect(warned.status).toBe(422);
    expect(warned.html).toContain('<title>Galat:');
    expect(warned.html).toContain('class="error-summary"');
    expect(warned.html).toContain('href="#f-bodyPiiOk"');
    expect(warned.html).toContain(
      'Komentar tampaknya memuat NIK, nomor telepon, alamat email: ubah komentarnya atau centang konfirmasi',
    );
    expect(warned.html).toContain('Periksa data pribadi');
    expect(warned.html).toContain('data pribadi yang terdeteksi disembunyikan dari publik');
    // The notice describes the text field (after its hint); the checkbox is described by the notice and its error.
    expect(warned.html).toMatch(/<textarea[^>]*id="f-body"[^>]*aria-describedby="f-body-hint f-body-pii"/);
    expect(warned.html).toContain('id="f-body-pii"');
    expect(warned.html).toMatch(
      /<input[^>]*id="f-bodyPiiOk"[^>]*name="bodyPiiOk"[^>]*aria-describedby="f-body-pii f-bodyPiiOk-error"[^>]*aria-invalid="true"/,
    );
    expect(warned.html).toContain('<label class="choice-label" for="f-bodyPiiOk">');
    expect(warned.html).toMatch(/<h3 class="warning-title">Periksa data pribadi<\/h3>/);
    // The typed text is kept (escaped in the textarea), the form still carries its CSRF token, and nothing was sent.
    expect(warned.html).toContain(EMAIL);
    expect(warned.html).toContain(NIK);
    expect(csrfOf(warned.html)).toBe(csrf);
    expect(await staffComments(id)).toEqual([]);

    const sent = await c.post(`/laporan/${id}/komentar`, { body: COMMENT, bodyPiiOk: '1', _csrf: csrf });
    expect(sent.status, sent.html.slice(0, 400)).toBe(303);
    expect(sent.location).toBe(`/laporan/${id}?komentar=ok`);

    // Published masked; staff read it as written.
    const pub = (await new WebClient(t.url).get(`/laporan/${id}`)).html;
    expect(pub).toContain(MASKED);
    for (const s of [PHONE, EMAIL, NIK]) expect(pub).not.toContain(s);
    expect(await staffComments(id)).toEqual([COMMENT]);
  });

  it('warns in English, naming only what was found', async () => {
    const id = await publicReport('Selokan tersumbat di Gang Mawar');
    const { c, page, csrf } = await citizenOn(id, 'en');
    expect(page.html).toContain("Comments are public: they appear on this report's page.");
    const warned = await c.post(`/laporan/${id}/komentar`, {
      body: `Same on my street, text me on ${PHONE}.`,
      _csrf: csrf,
    });
    expect(warned.status).toBe(422);
    expect(warned.html).toContain('<html lang="en"');
    expect(warned.html).toContain(
      'The comment seems to contain a phone number: change it or tick the confirmation to send it anyway.',
    );
    expect(warned.html).toContain('This comment seems to contain a phone number.');
    expect(warned.html).toContain(
      'I understand: send this comment, with its personal data hidden from the public',
    );
    expect(warned.html).not.toMatch(/seems to contain a (NIK|phone number, )/);
  });

  it('a comment without personal data is sent at once; an empty one is still a field error', async () => {
    const id = await publicReport('Pohon tumbang di Jalan Sudirman');
    const { c, csrf } = await citizenOn(id);
    const empty = await c.post(`/laporan/${id}/komentar`, { body: '  ', _csrf: csrf });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('href="#f-body"');
    expect(empty.html).not.toContain('bodyPiiOk');
    const sent = await c.post(`/laporan/${id}/komentar`, {
      body: 'Pohonnya masih menutup setengah jalan pagi ini.',
      _csrf: csrf,
    });
    expect(sent.status).toBe(303);
    expect(await staffComments(id)).toEqual(['Pohonnya masih menutup setengah jalan pagi ini.']);
  });

  it('staff texts are published as written, so an officer commenting on the public page is not asked', async () => {
    const id = await publicReport('Halte rusak di depan pasar');
    const c = await signInWeb(t.url, DEMO.puprAdmin, undefined, `/laporan/${id}`);
    const page = await c.get(`/laporan/${id}`);
    const text = `Tim kami sudah mencatatnya; informasi di ${PHONE}.`;
    const sent = await c.post(`/laporan/${id}/komentar`, { body: text, _csrf: csrfOf(page.html) });
    expect(sent.status, sent.html.slice(0, 400)).toBe(303);
    expect((await new WebClient(t.url).get(`/laporan/${id}`)).html).toContain(text);
  });

  it('the JSON API comment asks for no confirmation, as its accept and dispute do, and is masked for the public', async () => {
    const id = await publicReport('Jembatan kayu rapuh di Desa Sungai');
    const token = await t.login(DEMO.citizen);
    const r = await t.api(`/api/v1/reports/${id}/actions/comment`, { json: { body: COMMENT }, token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const events = await t.api(`/api/v1/reports/${id}/events`);
    const comment = (events.body.items as Array<{ type: string; body: string }>).find(
      (e) => e.type === 'comment',
    );
    expect(comment?.body).toBe(MASKED);
    expect(await staffComments(id)).toEqual([COMMENT]);
  });

  it('on a report the citizen filed, the hint says the comment is a reply for the officers, not public', async () => {
    const token = await t.login(DEMO.citizen);
    const r = await t.api('/api/v1/reports', {
      token,
      json: {
        classification: 'pengaduan',
        title: 'Saluran air tersumbat di gang sekolah',
        body: 'Saluran air tersumbat di gang sekolah. Mohon segera ditindaklanjuti oleh instansi yang berwenang.',
        regionCode: '64.72.02',
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const own = r.body.trackingId as string;
    await verifyReport(t, await t.login(DEMO.coordinator), own, 'pupr-kaltim', categoryId);
    const mine = await citizenOn(own);
    expect(mine.page.html).toContain('Anda pelapor laporan ini');
    expect(mine.page.html).not.toContain('Komentar tampil untuk publik');
    const other = await citizenOn(await publicReport('Trotoar berlubang di depan pasar'), 'en');
    expect(other.page.html).toContain('Comments are public');
    expect(other.page.html).not.toContain('You filed this report');
  });
});
