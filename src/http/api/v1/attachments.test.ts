/**
 * JSON API v1 attachments (POST/GET /api/v1/reports/{trackingId}/attachments): who may upload and download,
 * image and PDF metadata (EXIF GPS, author, XMP) stripped before storage, bytes recognised by content,
 * 413/415/422 for bad files, and privacy: a reporter's upload never reaches the public or another agency, a
 * confidential report's files never reach the public, hidden reports answer 404, original file names are stored
 * only sealed.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWeb } from '../../../../test/helpers/web-client.ts';
import { query } from '../../../db/client.ts';
import { sealLegacyAttachmentFilenames } from '../../../commands/add-attachment.ts';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import {
  encryptedPdf,
  MINIMAL_PDF,
  pdfContents,
  pdfWithMetadata,
  photoWithGps,
} from '../../../../test/helpers/pdf.ts';

let t: TestApp;
const body = 'Saluran air di depan pasar tersumbat sampah sehingga jalan tergenang setiap kali hujan turun.';
const REPORTER = { name: 'Sekar Lampiranwati', email: 'sekar.lampiran@contoh.aduan.id' };
type Made = { trackingId: string; accessKey: string };
let open: Made;
let conf: Made;
let unverified: Made;
let categoryId: string;

/** A small JPEG whose EXIF carries a GPS position and the reporter's name as the artist. */
const jpegWithGps = () => photoWithGps(REPORTER.name, 'RahasiaPelapor');

function form(filename: string, data: Buffer, type = 'application/octet-stream'): FormData {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(data)], { type }), filename);
  return f;
}

async function upload(
  id: string,
  data: Buffer,
  auth: { token?: string; accessKey?: string },
  name = 'foto.jpg',
) {
  return t.api(`/api/v1/reports/${id}/attachments`, { method: 'POST', body: form(name, data), ...auth });
}

async function download(id: string, attachmentId: string, auth: { token?: string; accessKey?: string } = {}) {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.accessKey) headers['x-access-key'] = auth.accessKey;
  const res = await fetch(`${t.url}/api/v1/reports/${id}/attachments/${attachmentId}`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  t = await startTestApp();
  categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
  const mk = async (extra: Record<string, unknown>) => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Saluran air tersumbat',
        body,
        regionCode: '64.72.01',
        ...extra,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Made;
  };
  open = await mk({ anonymous: true, reporter: REPORTER });
  conf = await mk({ confidential: true, reporter: REPORTER });
  unverified = await mk({ reporter: REPORTER });
  const coord = await t.login(DEMO.coordinator);
  for (const r of [open, conf]) {
    const v = await t.api(`/api/v1/reports/${r.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
  }
});
afterAll(() => t?.close());

describe('POST /api/v1/reports/{trackingId}/attachments', () => {
  it('stores a reporter photo without EXIF GPS or author, and records an event', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    expect(original.includes(Buffer.from('RahasiaPelapor'))).toBe(true);

    const r = await upload(open.trackingId, original, { accessKey: open.accessKey }, 'saluran.jpg');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.items).toHaveLength(1);
    const item = r.body.items[0];
    expect(item).toMatchObject({ filename: 'saluran.jpg', mime: 'image/jpeg' });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);

    const got = await download(open.trackingId, item.id, { accessKey: open.accessKey });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.bytes.length).toBe(item.size);
    const meta = await sharp(got.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(16);
    expect(got.bytes.includes(Buffer.from('RahasiaPelapor'))).toBe(false);
    expect(got.bytes.includes(Buffer.from(REPORTER.name))).toBe(false);

    const events = await t.api(`/api/v1/reports/${open.trackingId}/events`, { accessKey: open.accessKey });
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain('attachment');
  });

  it('lets the handling agency download the reporter’s photo, but never the public or another agency', async () => {
    const up = await upload(open.trackingId, await jpegWithGps(), { accessKey: open.accessKey });
    expect(up.status).toBe(201);
    const id = up.body.items[0].id;
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.puprAdmin) })).status).toBe(200);
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.coordinator) })).status).toBe(
      200,
    );
    // The report is public (verified, not confidential), its reporter's file is not.
    expect((await t.api(`/api/v1/reports/${open.trackingId}`)).status).toBe(200);
    expect((await download(open.trackingId, id)).status).toBe(404);
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.citizen) })).status).toBe(404);
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.dinkesAdmin) })).status).toBe(
      404,
    );
    // The attachment id does not open through another report either.
    expect((await download(conf.trackingId, id, { accessKey: conf.accessKey })).status).toBe(404);
  });

  it('hides the reporter’s own file name from an agency on an anonymous report, in the API and the back office', async () => {
    const named = `KTP_${REPORTER.name.replace(' ', '_')}.jpg`;
    const up = await upload(open.trackingId, await jpegWithGps(), { accessKey: open.accessKey }, named);
    expect(up.status).toBe(201);
    const id = up.body.items[0].id as string;
    const disposition = async (auth: { token?: string; accessKey?: string }) =>
      (await download(open.trackingId, id, auth)).headers.get('content-disposition') ?? '';
    expect(await disposition({ accessKey: open.accessKey })).toContain(named);
    expect(await disposition({ token: await t.login(DEMO.coordinator) })).toContain(named);
    const agency = await disposition({ token: await t.login(DEMO.puprAdmin) });
    expect(agency).toMatch(/filename="lampiran-[0-9a-f]{8}\.jpg"/);
    expect(agency).not.toContain('Sekar');

    const login = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.puprAdmin, password: 'demo-aduan-2026' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await fetch(`${t.url}/kantor/laporan/${open.trackingId}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`/attachments/${id}`);
    expect(html).not.toContain('Sekar');
    expect(html).toMatch(/lampiran-[0-9a-f]{8}\.jpg/);
  });

  it('downloads a file whose name is not Latin-1 (no 500)', async () => {
    const up = await upload(
      conf.trackingId,
      await jpegWithGps(),
      { accessKey: conf.accessKey },
      'جسر_桥_мост.jpg',
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const got = await download(conf.trackingId, up.body.items[0].id, { accessKey: conf.accessKey });
    expect(got.status).toBe(200);
    expect(decodeURIComponent(got.headers.get('content-disposition') ?? '')).toContain('桥');
    // The reporter's private-link download of the tracking page too.
    const link = `${t.url}/lacak/${conf.trackingId}/lampiran/${up.body.items[0].id}?k=${encodeURIComponent(conf.accessKey)}`;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(decodeURIComponent(page.headers.get('content-disposition') ?? '')).toContain('мост');
  });

  it('staff files on a public report are public; on a confidential report they reach staff and the reporter only', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const pdf = Buffer.from(MINIMAL_PDF);
    const onOpen = await upload(open.trackingId, pdf, { token: admin }, 'jawaban.pdf');
    expect(onOpen.status, JSON.stringify(onOpen.body)).toBe(201);
    expect(onOpen.body.items[0].mime).toBe('application/pdf');
    const pub = await download(open.trackingId, onOpen.body.items[0].id);
    expect(pub.status).toBe(200);
    expect(pub.bytes.length).toBe(onOpen.body.items[0].size);
    expect((await pdfContents(pub.bytes)).pages).toBe(1);

    const onConf = await upload(conf.trackingId, pdf, { token: admin }, 'jawaban-rahasia.pdf');
    expect(onConf.status).toBe(201);
    const cid = onConf.body.items[0].id;
    expect((await download(conf.trackingId, cid)).status).toBe(404);
    expect((await download(conf.trackingId, cid, { token: await t.login(DEMO.citizen) })).status).toBe(404);
    expect((await download(conf.trackingId, cid, { token: await t.login(DEMO.dinkesAdmin) })).status).toBe(
      404,
    );
    expect((await download(conf.trackingId, cid, { accessKey: conf.accessKey })).status).toBe(200);
    expect((await download(conf.trackingId, cid, { token: await t.login(DEMO.coordinator) })).status).toBe(
      200,
    );
  });

  it('a staff file tied to an internal note reaches staff only, as on the public report page', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const up = await upload(
      open.trackingId,
      Buffer.from(MINIMAL_PDF),
      { token: admin },
      'catatan-internal.pdf',
    );
    expect(up.status).toBe(201);
    const id = up.body.items[0].id as string;
    expect((await download(open.trackingId, id)).status).toBe(200);
    // No command ties a staff file to an internal event today (events are append-only); an imported or future
    // file of an internal note must still stay internal, so the file is tied to an internal note here by hand.
    const note = await t.api(`/api/v1/reports/${open.trackingId}/actions/note`, {
      method: 'POST',
      token: admin,
      json: { body: 'Catatan internal dengan berkas.' },
    });
    expect(note.status, JSON.stringify(note.body)).toBeLessThan(300);
    await query(
      t.runtime.services.db,
      sql`update attachments set event_id = (select id from report_events where report_id = attachments.report_id
            and type = 'note' order by seq desc limit 1) where id = ${id}`,
    );
    expect((await download(open.trackingId, id)).status).toBe(404);
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.citizen) })).status).toBe(404);
    expect((await download(open.trackingId, id, { token: await t.login(DEMO.dinkesAdmin) })).status).toBe(
      404,
    );
    expect((await download(open.trackingId, id, { token: admin })).status).toBe(200);
  });

  it('refuses uploads from anyone but the reporter and staff in scope; hidden reports answer 404', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer();
    // No credentials at all: sign in first (401); signed in or with a key but without the right: 403.
    expect((await upload(open.trackingId, png, {})).status).toBe(401);
    expect((await upload(open.trackingId, png, { token: await t.login(DEMO.citizen) })).status).toBe(403);
    expect((await upload(open.trackingId, png, { token: await t.login(DEMO.dinkesAdmin) })).status).toBe(403);
    expect((await upload(open.trackingId, png, { accessKey: conf.accessKey })).status).toBe(403);
    // Not yet verified, or confidential: not visible to the public, so not found.
    expect((await upload(unverified.trackingId, png, {})).status).toBe(404);
    expect((await upload(conf.trackingId, png, {})).status).toBe(404);
    expect((await upload(conf.trackingId, png, { token: await t.login(DEMO.dinkesAdmin) })).status).toBe(404);
    expect((await upload('12ab', png, {})).status).toBe(422);
    expect((await upload('1234567890', png, {})).status).toBe(404);
    // The reporter of the unverified report may add evidence.
    expect((await upload(unverified.trackingId, png, { accessKey: unverified.accessKey })).status).toBe(201);
  });

  it('answers 422 with bilingual field messages for a file that is not an image or PDF, whatever its name', async () => {
    const text = Buffer.from('ini bukan gambar, hanya teks biasa yang menyamar sebagai foto');
    const id = await upload(open.trackingId, text, { accessKey: open.accessKey }, 'foto.jpg');
    expect(id.status).toBe(422);
    expect(id.body.error.fields.file).toContain('JPEG, PNG, WebP, PDF');
    const en = await t.api(`/api/v1/reports/${open.trackingId}/attachments?lang=en`, {
      method: 'POST',
      body: form('foto.jpg', text),
      accessKey: open.accessKey,
    });
    expect(en.status).toBe(422);
    expect(en.body.error.fields.file).toContain('JPEG, PNG, WebP, PDF');
    expect(en.body.error.fields.file).not.toBe(id.body.error.fields.file);

    // A truncated JPEG (right magic bytes, broken image) is refused, not stored and not a 500.
    const broken = (await jpegWithGps()).subarray(0, 40);
    const b = await upload(open.trackingId, broken, { accessKey: open.accessKey });
    expect(b.status).toBe(422);
    expect(b.body.error.fields.file).toBeTruthy();
  });

  it('answers 422 for a form without a file, 415 for a JSON body and 413 for a file over 10 MB', async () => {
    const empty = new FormData();
    empty.append('note', 'tanpa berkas');
    const none = await t.api(`/api/v1/reports/${open.trackingId}/attachments`, {
      method: 'POST',
      body: empty,
      accessKey: open.accessKey,
    });
    expect(none.status).toBe(422);
    expect(none.body.error.fields.file).toBeTruthy();

    const json = await t.api(`/api/v1/reports/${open.trackingId}/attachments`, {
      json: { file: 'aGFsbw==' },
      accessKey: open.accessKey,
    });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0);
    (await jpegWithGps()).copy(big);
    const tooBig = await upload(open.trackingId, big, { accessKey: open.accessKey });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('PDF metadata', () => {
  const ACCOUNT = 'DESKTOP-7QK2\\sekar.lampiranwati';

  it('removes the Info dictionary, XMP, PieceInfo and comment authors of a reporter’s PDF; the agency gets a valid PDF', async () => {
    const original = await pdfWithMetadata(REPORTER.name, ACCOUNT);
    const before = await pdfContents(original);
    for (const secret of [REPORTER.name, 'sekar.lampiranwati', 'xmpmeta', 'INFO-DICTIONARY'])
      expect(before.text, secret).toContain(secret);

    const up = await upload(open.trackingId, original, { accessKey: open.accessKey }, 'surat.pdf');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const item = up.body.items[0];
    expect(item.mime).toBe('application/pdf');

    // The report is anonymous and verified to PUPR: the agency downloads what was stored.
    const got = await download(open.trackingId, item.id, { token: await t.login(DEMO.puprAdmin) });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.bytes.length).toBe(item.size);
    expect(got.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const after = await pdfContents(got.bytes);
    expect(after.pages).toBe(before.pages);
    for (const secret of [
      'Sekar',
      'Lampiranwati',
      'sekar.lampiranwati',
      'DESKTOP',
      'xmpmeta',
      'INFO-DICTIONARY',
    ])
      expect(after.text, secret).not.toContain(secret);
    for (const key of ['/Metadata', '/PieceInfo', '/Author', '/Creator', '/Producer'])
      expect(after.text, key).not.toContain(key);
    // The comment itself stays; only its author label goes.
    expect(after.text).toContain('Lihat foto');
    expect(got.bytes.includes(Buffer.from(REPORTER.name))).toBe(false);
  });

  it('refuses a PDF it cannot read or that is encrypted with a 422 in Indonesian and English, storing nothing', async () => {
    const count = async () =>
      (
        await query<{ n: number }>(
          t.runtime.services.db,
          sql`select count(*)::int as n from attachments a join reports r on r.id = a.report_id
              where r.tracking_id = ${unverified.trackingId}`,
        )
      )[0]!.n;
    const stored = await count();
    const cases = [
      {
        data: Buffer.from('%PDF-1.7\n% rusak: tidak ada katalog maupun halaman\n%%EOF\n'),
        id: 'PDF ini tidak dapat dibaca. Simpan ulang sebagai PDF lalu unggah lagi.',
        en: 'This PDF could not be read. Save it again as PDF and upload it again.',
      },
      {
        data: (await pdfWithMetadata(REPORTER.name, ACCOUNT)).subarray(0, 300),
        id: 'PDF ini tidak dapat dibaca. Simpan ulang sebagai PDF lalu unggah lagi.',
        en: 'This PDF could not be read. Save it again as PDF and upload it again.',
      },
      {
        data: await encryptedPdf(),
        id: 'PDF ini dilindungi kata sandi atau dienkripsi. Simpan ulang sebagai PDF tanpa kata sandi lalu unggah lagi.',
        en: 'This PDF is password-protected or encrypted. Save it again as PDF without a password and upload it again.',
      },
    ];
    for (const c of cases) {
      const r = await upload(unverified.trackingId, c.data, { accessKey: unverified.accessKey }, 'surat.pdf');
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields.file).toBe(c.id);
      expect(r.body.error.translations.en.fields.file).toBe(c.en);
    }
    expect(await count()).toBe(stored);
  });
});

describe('original file names', () => {
  const NIK = '6472010101900005';
  const NAMED = `KTP-${NIK}.jpg`;

  async function storedRows(trackingId: string) {
    return query<Record<string, unknown>>(
      t.runtime.services.db,
      sql`select a.* from attachments a join reports r on r.id = a.report_id where r.tracking_id = ${trackingId}`,
    );
  }

  async function trackingPage(made: Made) {
    const res = await fetch(`${t.url}/lacak/${made.trackingId}?k=${encodeURIComponent(made.accessKey)}`);
    expect(res.status).toBe(200);
    return res.text();
  }

  it('stores the name only sealed; the reporter and staff allowed to see the reporter still see it, logged', async () => {
    const up = await upload(
      unverified.trackingId,
      await jpegWithGps(),
      { accessKey: unverified.accessKey },
      NAMED,
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const id = up.body.items[0].id as string;
    expect(up.body.items[0].filename).toBe(NAMED);

    const rows = await storedRows(unverified.trackingId);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(NIK);
    const row = rows.find((r) => r.id === id)!;
    expect(row.filename).toBe(`lampiran-${id.slice(0, 8)}.jpg`);
    expect(t.runtime.services.sealer.open<string>(row.filename_enc as string)).toBe(NAMED);

    // The reporter: the upload answer, the API download, the tracking page and its private-link download.
    const mine = await download(unverified.trackingId, id, { accessKey: unverified.accessKey });
    expect(mine.headers.get('content-disposition')).toContain(NAMED);
    expect(await trackingPage(unverified)).toContain(`>${NAMED}</a>`);
    const link = await fetch(
      `${t.url}/lacak/${unverified.trackingId}/lampiran/${id}?k=${encodeURIComponent(unverified.accessKey)}`,
    );
    expect(link.headers.get('content-disposition')).toContain(NAMED);

    // A verifier may see who reported: gets the name, and the view is logged.
    const logged = async () =>
      (
        await query<{ n: number }>(
          t.runtime.services.db,
          sql`select count(*)::int as n from pii_access_log l join reports r on r.id = l.report_id
              where r.tracking_id = ${unverified.trackingId} and l.purpose = 'attachment.filename'`,
        )
      )[0]!.n;
    expect(await logged()).toBe(0);
    const coord = await download(unverified.trackingId, id, { token: await t.login(DEMO.coordinator) });
    expect(coord.status).toBe(200);
    expect(coord.headers.get('content-disposition')).toContain(NAMED);
    expect(await logged()).toBe(1);
  });

  it('keeps reading names stored in clear before sealing, and seals them idempotently', async () => {
    const up = await upload(conf.trackingId, await jpegWithGps(), { accessKey: conf.accessKey }, 'foto.jpg');
    expect(up.status).toBe(201);
    const id = up.body.items[0].id as string;
    // A row as stored before migration 0025: the uploader's name in clear, nothing sealed.
    await t.runtime.services.db.execute(
      sql`update attachments set filename = ${NAMED}, filename_enc = null where id = ${id}`,
    );
    expect(await trackingPage(conf)).toContain(`>${NAMED}</a>`);
    const agency = await download(conf.trackingId, id, { token: await t.login(DEMO.puprAdmin) });
    expect(agency.headers.get('content-disposition')).toContain(NAMED); // confidential, not anonymous

    expect(await sealLegacyAttachmentFilenames(t.runtime.services, { page: 2 })).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(await storedRows(conf.trackingId))).not.toContain(NIK);
    expect(await trackingPage(conf)).toContain(`>${NAMED}</a>`);
    expect(await sealLegacyAttachmentFilenames(t.runtime.services)).toBe(0);
  });

  it('the staff page logs the view of a reporter’s file name also when the report has no contact to reveal', async () => {
    const bare = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Saluran air tersumbat',
        body,
        regionCode: '64.72.01',
        anonymous: true,
      },
    });
    expect(bare.status, JSON.stringify(bare.body)).toBe(201);
    const made = bare.body as Made;
    const up = await upload(made.trackingId, await jpegWithGps(), { accessKey: made.accessKey }, NAMED);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const staff = await signInWeb(t.url, DEMO.coordinator);
    const page = await staff.get(`/kantor/laporan/${made.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(NAMED);
    const [log] = await query<{ purpose: string; user_id: string | null }>(
      t.runtime.services.db,
      sql`select l.purpose, l.user_id from pii_access_log l join reports r on r.id = l.report_id
          where r.tracking_id = ${made.trackingId}`,
    );
    expect(log).toMatchObject({ purpose: 'attachment.filename' });
    expect(log!.user_id).not.toBeNull();
  });
});
