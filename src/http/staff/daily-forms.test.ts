/**
 * Staff daily work through forms posted without JavaScript (QA audit, 2026-12): a follow-up with a refused or
 * oversized attachment posts nothing and says why next to the file field, with the typed text kept; good files
 * belong to the follow-up's own event. Forms answer every field problem at once (walk-in, verify, and the JSON API
 * behind the same commands), a malformed value reads "invalid" rather than "required". Stale forms get the 409 of any
 * illegal transition (or a clear message), the very same form sent twice lands where the first did, while a report
 * the caller can no longer see stays a 404. Real HTTP with cookie sessions and CSRF over PGlite (or PostgreSQL with DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let coord: string;
let pupr: string;
let category: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  category = await categoryIdByName(t);
});
afterAll(() => t?.close());

const ILLEGAL = 'Tindakan ini tidak dapat dilakukan pada status laporan saat ini.';

/** A report dispatched to PUPR and disposed to its unit, so the unit's officer handles it. */
async function atUnit(title: string, extra: Record<string, unknown> = {}) {
  const id = await submitReport(t, title, { anonymous: true, ...extra });
  await verifyReport(t, coord, id, 'pupr-kaltim', category);
  await actOk(t, id, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });
  return id;
}

/** The inline errors of the error summary: field anchor → text. */
function summary(html: string): Record<string, string> {
  const list = /<ul class="error-summary-list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return Object.fromEntries([...list.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]));
}

async function count(id: string, what: 'respond' | 'attachment' | 'files') {
  const q =
    what === 'files'
      ? sql`select count(*)::int as n from attachments a join reports r on r.id = a.report_id
             where r.tracking_id = ${id}`
      : sql`select count(*)::int as n from report_events e join reports r on r.id = e.report_id
             where r.tracking_id = ${id} and e.type = ${what}`;
  return (await query<{ n: number }>(t.runtime.services.db, q))[0]!.n;
}

async function png(colour: string) {
  return sharp({ create: { width: 4, height: 4, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

function followUp(
  csrf: string,
  text: string,
  files: Array<{ name: string; data: Uint8Array; type: string }>,
) {
  const fd = new FormData();
  fd.append('_csrf', csrf);
  fd.append('body', text);
  fd.append('kind', 'interim');
  for (const f of files) fd.append('file', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  return fd;
}

describe('follow-up with attachments (all or nothing)', () => {
  it('a file that is not an image or PDF posts nothing and names the accepted types, in id and en', async () => {
    const id = await atUnit('Jalan berlubang di depan terminal bus');
    const web = await signInWeb(t.url, DEMO.puprOfficer);
    const page = await web.get(`/kantor/laporan/${id}`);
    const text = 'Tim sudah meninjau lokasi dan menjadwalkan penambalan.';
    const fake = {
      name: 'fake.png',
      data: new TextEncoder().encode('bukan gambar sama sekali'),
      type: 'image/png',
    };
    const good = { name: 'bukti.png', data: await png('#0b5d4b'), type: 'image/png' };

    const r = await web.postMultipart(
      `/kantor/laporan/${id}/respond`,
      followUp(csrfOf(page.html), text, [good, fake]),
    );
    expect(r.status).toBe(422);
    // The good file is dropped with the refused form: named to be chosen again.
    expect(summary(r.html)['f-file']).toBe(
      'fake.png ditolak: Harus salah satu dari: JPEG, PNG, WebP, PDF. Berkas belum terkirim, pilih lagi: bukti.png.',
    );
    expect(r.html).not.toContain('Pilih salah satu.');
    expect(r.html).not.toContain('sudah terkirim');
    expect(r.html).toContain(text); // the typed follow-up is kept
    // Nothing was posted: no follow-up, not even the good file.
    expect(await count(id, 'respond')).toBe(0);
    expect(await count(id, 'files')).toBe(0);

    const en = await web.postMultipart(
      `/kantor/laporan/${id}/respond?lang=en`,
      followUp(csrfOf(page.html), text, [fake]),
    );
    expect(en.status).toBe(422);
    expect(summary(en.html)['f-file']).toBe('fake.png was refused: Must be one of: JPEG, PNG, WebP, PDF.');
    expect(await count(id, 'respond')).toBe(0);
  });

  it('a file over the size limit re-renders the form naming the limit, with the text kept', async () => {
    const id = await atUnit('Gorong-gorong tersumbat di Jalan Pahlawan');
    const web = await signInWeb(t.url, DEMO.puprOfficer);
    const page = await web.get(`/kantor/laporan/${id}`);
    const text = 'Gorong-gorong sudah dibersihkan oleh tim pemeliharaan.';
    const big = {
      name: 'video-besar.pdf',
      data: new Uint8Array(10 * 1024 * 1024 + 1),
      type: 'application/pdf',
    };
    const r = await web.postMultipart(
      `/kantor/laporan/${id}/respond`,
      followUp(csrfOf(page.html), text, [big]),
    );
    expect(r.status).toBe(422);
    expect(summary(r.html)['f-file']).toBe('video-besar.pdf ditolak: Maksimal 10 MB.');
    expect(r.html).toContain(text);
    expect(r.html).not.toContain('Isi permintaan terlalu besar');
    expect(await count(id, 'respond')).toBe(0);
    expect(await count(id, 'files')).toBe(0);
    const en = await web.postMultipart(
      `/kantor/laporan/${id}/respond?lang=en`,
      followUp(csrfOf(page.html), text, [big]),
    );
    expect(summary(en.html)['f-file']).toBe('video-besar.pdf was refused: At most 10 MB.');
  });

  it('good files are stored on the follow-up event itself', async () => {
    const id = await atUnit('Rambu lalu lintas roboh di simpang empat');
    const web = await signInWeb(t.url, DEMO.puprOfficer);
    const page = await web.get(`/kantor/laporan/${id}`);
    const files = [
      { name: 'sebelum.png', data: await png('#aa0000'), type: 'image/png' },
      { name: 'sesudah.png', data: await png('#00aa00'), type: 'image/png' },
    ];
    const r = await web.postMultipart(
      `/kantor/laporan/${id}/respond`,
      followUp(csrfOf(page.html), 'Rambu sudah dipasang kembali dan diperkuat.', files),
    );
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    const rows = await query<{ type: string; n: number }>(
      t.runtime.services.db,
      sql`select e.type, count(a.id)::int as n from attachments a
            join report_events e on e.id = a.event_id
            join reports r on r.id = a.report_id
           where r.tracking_id = ${id} group by e.type`,
    );
    expect(rows).toEqual([{ type: 'respond', n: 2 }]);
    expect(await count(id, 'respond')).toBe(1);
    const after = await web.get(`/kantor/laporan/${id}`);
    expect(after.html).toContain('sebelum.png');
    expect(after.html).toContain('sesudah.png');
  });
});

describe('forms report every error at once', () => {
  it('walk-in: bad email and phone, a future date and an unknown region in one answer', async () => {
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get('/kantor/lapor-langsung');
    const r = await web.post('/kantor/lapor-langsung', {
      _csrf: csrfOf(page.html),
      channel: 'walk_in',
      classification: 'pengaduan',
      title: 'Drainase meluap setiap hujan deras',
      body: 'Drainase di depan pasar meluap setiap hujan deras sehingga jalan tergenang setinggi lutut.',
      occurredOn: '2030-01-01',
      regionCode: '99.99',
      categoryId: 'abc',
      identity: 'named',
      visibility: 'public',
      'reporter.name': 'Pak Datang Langsung',
      'reporter.email': 'bukan-email',
      'reporter.phone': 'telepon',
    });
    expect(r.status).toBe(422);
    const errors = Object.values(summary(r.html));
    expect(errors).toEqual([
      'Tanggal tidak boleh di masa depan.',
      'Kode wilayah tidak dikenal.',
      'Format tidak valid.', // categoryId=abc: malformed, not missing
      'Alamat email tidak valid.',
      'Nomor telepon tidak valid.',
    ]);
    expect(r.html).toContain('value="Pak Datang Langsung"');
  });

  it('verify: unknown category and agency together; a malformed id is invalid, not missing', async () => {
    const id = await submitReport(t, 'Jembatan gantung berayun keras', { anonymous: true });
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get(`/kantor/laporan/${id}`);
    const unknown = await web.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: '999999',
      agencyId: 'nope',
      flags: 'anonymous',
    });
    expect(unknown.status).toBe(422);
    expect(summary(unknown.html)).toEqual({
      'f-categoryId': 'Kategori tidak dikenal.',
      'f-agencyId': 'Instansi tidak dikenal.',
    });
    const malformed = await web.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: 'abc',
      agencyId: 'nope',
      flags: 'anonymous',
    });
    expect(malformed.status).toBe(422);
    expect(summary(malformed.html)).toEqual({
      'f-categoryId': 'Format tidak valid.',
      'f-agencyId': 'Instansi tidak dikenal.',
    });
    expect(malformed.html).not.toContain('Wajib diisi.');
    // Still in the queue, untouched.
    expect((await t.api(`/api/v1/reports/${id}`, { token: coord })).body.status).toBe('submitted');
  });

  it('the JSON API behind the same commands lists every field too', async () => {
    const id = await submitReport(t, 'Pipa air bocor di gang sempit', { anonymous: true });
    const verify = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: 999999, agencyId: 'nope' },
      token: coord,
    });
    expect(verify.status).toBe(422);
    expect(Object.keys(verify.body.error.fields).sort()).toEqual(['agencyId', 'categoryId']);
    const submit = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pipa air bocor di gang sempit',
        body: 'Pipa air bocor di gang sempit sejak seminggu dan airnya terbuang percuma setiap hari.',
        occurredOn: '2030-01-01',
        regionCode: '99.99',
        categoryId: 999999,
        targetAgencyId: 'nope',
        anonymous: true,
      },
    });
    expect(submit.status).toBe(422);
    expect(Object.keys(submit.body.error.fields).sort()).toEqual([
      'categoryId',
      'occurredOn',
      'regionCode',
      'targetAgencyId',
    ]);
  });
});

describe('double submits and stale forms', () => {
  it('a second return answers 409 with the status message; a report no longer visible stays 404', async () => {
    const id = await submitReport(t, 'Trotoar amblas di depan kantor camat', { anonymous: true });
    await verifyReport(t, coord, id, 'pupr-kaltim', category);
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    const form = { _csrf: csrfOf(page.html), returnNote: 'Trotoar ini kewenangan pemerintah kota.' };
    const first = await web.post(`/kantor/laporan/${id}/return`, form);
    expect(first.status).toBe(303);
    // The very same form again (a double click) lands where the first did; a stale form with another note is a 409.
    const repeated = await web.post(`/kantor/laporan/${id}/return`, form);
    expect(repeated.status).toBe(303);
    expect(repeated.location).toBe(first.location);
    const again = await web.post(`/kantor/laporan/${id}/return`, {
      ...form,
      returnNote: 'Trotoar ini kewenangan pemerintah kota Samarinda.',
    });
    expect(again.status).toBe(409);
    expect(again.html).toContain(ILLEGAL);
    expect(again.html).not.toContain('Anda tidak berwenang');
    const api = await t.api(`/api/v1/reports/${id}/actions/return`, {
      json: { note: 'Trotoar ini kewenangan pemerintah kota.' },
      token: pupr,
    });
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('ILLEGAL_TRANSITION');

    // A confidential report is out of the agency's sight once returned: still 404, never revealing it.
    const hidden = await submitReport(t, 'Pungutan liar di loket perizinan', {
      confidential: true,
      reporter: { name: 'Warga Pelapor Rahasia' },
    });
    await verifyReport(t, coord, hidden, 'pupr-kaltim', category);
    const hiddenPage = await web.get(`/kantor/laporan/${hidden}`);
    const hiddenForm = { _csrf: csrfOf(hiddenPage.html), returnNote: 'Ini kewenangan inspektorat.' };
    expect((await web.post(`/kantor/laporan/${hidden}/return`, hiddenForm)).status).toBe(303);
    expect((await web.post(`/kantor/laporan/${hidden}/return`, hiddenForm)).status).toBe(404);
    const hiddenApi = await t.api(`/api/v1/reports/${hidden}/actions/return`, {
      json: { note: 'Ini kewenangan inspektorat.' },
      token: pupr,
    });
    expect(hiddenApi.status).toBe(404);

    // A role that never takes the action is still refused as such.
    const wrongRole = await t.api(`/api/v1/reports/${id}/actions/respond`, {
      json: { body: 'Bukan tugas koordinator.', final: true },
      token: coord,
    });
    expect(wrongRole.status).toBe(403);
  });

  it('a second disposition to the same unit says the report is already there', async () => {
    const id = await submitReport(t, 'Lampu lalu lintas mati di bundaran', { anonymous: true });
    await verifyReport(t, coord, id, 'pupr-kaltim', category);
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    const form = { _csrf: csrfOf(page.html), unitId: 'pupr-kaltim-unit' };
    expect((await web.post(`/kantor/laporan/${id}/dispose`, form)).status).toBe(303);
    const again = await web.post(`/kantor/laporan/${id}/dispose`, form);
    expect(again.status).toBe(422);
    expect(summary(again.html)['f-unitId']).toBe(
      'Laporan ini sudah berada di unit tersebut; pilih unit lain bila laporan perlu dipindahkan.',
    );
    expect(again.html).not.toContain('Unit harus berada di bawah instansi');
    const en = await web.post(`/kantor/laporan/${id}/dispose?lang=en`, form);
    expect(summary(en.html)['f-unitId']).toContain('already with this unit');
  });

  it("a reporter's second supplement answers 409, as the API does", async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Sampah menumpuk di tepi sungai',
        body: 'Sampah menumpuk di tepi sungai dekat jembatan dan menimbulkan bau tidak sedap.',
        regionCode: '64.72.02',
        anonymous: true,
      },
    });
    const { trackingId: id, accessKey } = r.body as { trackingId: string; accessKey: string };
    await actOk(t, id, 'hold', { question: 'Di sisi jembatan yang mana?' }, { token: coord });
    const c = new WebClient(t.url);
    const form = { k: accessKey, body: 'Di sisi utara jembatan, dekat warung.' };
    expect((await c.post(`/lacak/${id}/supplement`, form)).status).toBe(303);
    const again = await c.post(`/lacak/${id}/supplement`, form);
    expect(again.status).toBe(409);
    // The page says the report moved on and that the first one was recorded (a double tap is the usual cause).
    expect(again.html).toContain('kiriman pertama sudah tercatat');
    const api = await t.api(`/api/v1/reports/${id}/actions/supplement`, {
      json: { body: 'Di sisi utara jembatan, dekat warung.' },
      accessKey,
    });
    expect(api.status).toBe(409);
  });
});
