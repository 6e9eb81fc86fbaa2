/**
 * Evaluation evidence files over real HTTP against the real database: uploads are cleaned like reporter
 * attachments (photo EXIF/GPS and author, PDF metadata removed; other types refused with 422 and bilingual
 * messages), the uploader's file name is stored only sealed (the raw row holds the neutral `bukti-…` name), and
 * `GET /api/v1/evaluation/periods/:id/scores/:scoreId/evidence/:n` serves the cleaned bytes, under the original
 * name, to exactly those who see that rubric score (404 for everyone else, signed out included). Also: rows
 * stored before evidence was sealed still read, the back-office page links each file, and a key rotation
 * reseals evidence names.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../db/client.ts';
import { resealSecrets, sealedKeyCounts } from '../../../commands/reseal-secrets.ts';
import { createSealer, keyId, parseKey } from '../../../integrations/crypto.ts';
import { DEMO, startTestApp, TEST_SECRET_KEY, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF, pdfContents, pdfWithMetadata, photoWithGps } from '../../../../test/helpers/pdf.ts';
import { sessionsFor } from '../../../../test/helpers/web-client.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

const AUTHOR = 'Sekar Evidensia';
const ACCOUNT = 'LAPTOP-SEKAREVI';
const PHOTO_NAME = 'KTP-6472010101900005 Sekar.jpg';
const PDF_NAME = 'Surat-Tugas-Sekar-Evidensia.pdf';
const UNICODE_NAME = 'bukti_jembatan_桥.pdf';
const LEGACY_NAME = 'laporan lama Budi Legasi.pdf';
const JUSTIFICATION = 'SK Tim Pengelola Pengaduan dan foto papan informasi layanan tersedia.';

const period = {
  id: 'bukti-2026',
  name: 'Evaluasi Bukti Dukung 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 0,
  groups: [
    {
      id: 'bukti-pd',
      name: 'Perangkat Daerah Provinsi',
      scope: 'agency',
      participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
    },
    {
      id: 'bukti-kabkota',
      name: 'Diskominfo Kabupaten/Kota',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-balikpapan' }],
    },
    {
      id: 'bukti-nasional',
      name: 'Kementerian',
      scope: 'agency',
      participants: [{ agencyId: 'kemenpanrb' }],
    },
  ],
};

/** Score ids by participant, filled as scores are stored. */
const scoreOf: Record<string, number> = {};

async function score(
  email: string,
  agencyId: string,
  files: { name: string; data: Buffer; type?: string }[],
  indicator = 'komitmen_pimpinan',
  lang = 'id',
) {
  const form = new FormData();
  form.set('agencyId', agencyId);
  form.set('indicator', indicator);
  form.set('score', '75');
  form.set('justification', JUSTIFICATION);
  for (const f of files)
    form.append('evidence', new Blob([new Uint8Array(f.data)], { type: f.type ?? '' }), f.name);
  const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/scores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.login(email)}`, 'accept-language': lang },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The rubric score rows of the period as the database holds them. */
async function rawRows(agencyId?: string) {
  return query<{ id: number; agency_id: string; evidence: any; text: string }>(
    t.runtime.services.db,
    sql`select id, agency_id, evidence, evidence::text as text from evaluation_rubric_scores
        where period_id = ${period.id} ${agencyId ? sql`and agency_id = ${agencyId}` : sql``} order by id`,
  );
}

const evidenceUrl = (scoreId: number, n: number) =>
  `/api/v1/evaluation/periods/${period.id}/scores/${scoreId}/evidence/${n}`;

/** Downloads with a bearer token (or signed out). */
async function download(path: string, email?: string) {
  const headers: Record<string, string> = {};
  if (email) headers.authorization = `Bearer ${await t.login(email)}`;
  const res = await fetch(t.url + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function page(email: string, path: string) {
  const res = await fetch(t.url + path, {
    headers: { cookie: (await signIn(email)).cookie, accept: 'text/html' },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

let photo: Buffer;
let pdf: Buffer;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const created = await t.api('/api/v1/evaluation/periods', {
    json: period,
    token: await t.login(DEMO.national),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  photo = await photoWithGps(AUTHOR);
  pdf = await pdfWithMetadata(AUTHOR, ACCOUNT);
  // The uploads as they come do carry the author and the position (so the checks below can fail).
  const meta = await sharp(photo).metadata();
  expect(meta.exif).toBeDefined();
  expect(meta.exif!.toString('latin1')).toContain(AUTHOR);
  expect((await pdfContents(pdf)).text).toContain(AUTHOR);

  const pupr = await score(DEMO.assessor, 'pupr-kaltim', [
    { name: PHOTO_NAME, data: photo, type: 'image/jpeg' },
    { name: PDF_NAME, data: pdf, type: 'application/pdf' },
    { name: UNICODE_NAME, data: Buffer.from(MINIMAL_PDF), type: 'application/pdf' },
  ]);
  expect(pupr.status, JSON.stringify(pupr.body)).toBe(201);
  scoreOf['pupr-kaltim'] = pupr.body.id;
  for (const [email, agencyId] of [
    [DEMO.assessor, 'diskominfo-balikpapan'],
    [DEMO.national, 'kemenpanrb'],
  ] as const) {
    const r = await score(email, agencyId, [
      { name: `bukti-${agencyId}.pdf`, data: Buffer.from(MINIMAL_PDF), type: 'application/pdf' },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    scoreOf[agencyId] = r.body.id;
  }
}, 120_000);
afterAll(() => t?.close());

describe('evidence uploads are cleaned and their names sealed', () => {
  it('answers the upload with the names sent and the cleaned files’ type, size and sha256', async () => {
    const [row] = await rawRows('pupr-kaltim');
    const r = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token: await t.login(DEMO.assessor) });
    const s = r.body.rubricScores.find((x: any) => x.agencyId === 'pupr-kaltim');
    expect(s.evidence.map((e: any) => [e.filename, e.mime])).toEqual([
      [PHOTO_NAME, 'image/jpeg'],
      [PDF_NAME, 'application/pdf'],
      [UNICODE_NAME, 'application/pdf'],
    ]);
    expect(s.evidence.map((e: any) => e.url)).toEqual([0, 1, 2].map((n) => evidenceUrl(row!.id, n)));
    // The stored size and sha256 are those of the cleaned bytes, not of the upload.
    expect(s.evidence[0].sha256).not.toBe(createHash('sha256').update(photo).digest('hex'));
    expect(s.evidence[1].size).not.toBe(pdf.length);
    expect(JSON.stringify(r.body)).not.toContain('"key"');
  });

  it('a JPEG comes back without its EXIF author and GPS position', async () => {
    const got = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.assessor);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(got.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(got.bytes.toString('latin1')).not.toContain(AUTHOR);
    // sha256 and size in the row describe exactly the bytes served.
    const [row] = await rawRows('pupr-kaltim');
    expect(row!.evidence[0].sha256).toBe(createHash('sha256').update(got.bytes).digest('hex'));
    expect(row!.evidence[0].size).toBe(got.bytes.length);
  });

  it('a PDF comes back without its Author, XMP and comment author', async () => {
    const got = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 1), DEMO.national);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    const { pages, text } = await pdfContents(got.bytes);
    expect(pages).toBe(2);
    for (const secret of [AUTHOR, ACCOUNT, 'xmpmeta', 'INFO-DICTIONARY'])
      expect(text, secret).not.toContain(secret);
  });

  it('sends the download headers: attachment with the original name (RFC 5987), nosniff, private no-store', async () => {
    const jpg = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.assessor);
    expect(jpg.headers.get('content-disposition')).toBe(
      `attachment; filename="${PHOTO_NAME}"; filename*=UTF-8''${encodeURIComponent(PHOTO_NAME)}`,
    );
    expect(jpg.headers.get('x-content-type-options')).toBe('nosniff');
    expect(jpg.headers.get('cache-control')).toBe('private, no-store');
    const uni = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 2), DEMO.assessor);
    expect(uni.status).toBe(200);
    expect(uni.headers.get('content-disposition')).toBe(
      `attachment; filename="bukti_jembatan__.pdf"; filename*=UTF-8''bukti_jembatan_%E6%A1%A5.pdf`,
    );
  });

  it('the download is in the OpenAPI document', async () => {
    const doc = await t.api('/api/docs/json');
    expect(Object.keys(doc.body.paths)).toContain(
      '/api/v1/evaluation/periods/{periodId}/scores/{scoreId}/evidence/{index}',
    );
  });

  it('the raw row holds neutral names and sealed originals, never the uploader’s names in clear', async () => {
    const rows = await rawRows();
    const pupr = rows.find((r) => r.agency_id === 'pupr-kaltim')!;
    expect(pupr.evidence.map((e: any) => e.filename)).toEqual([
      expect.stringMatching(/^bukti-[0-9a-f]{8}\.jpg$/),
      expect.stringMatching(/^bukti-[0-9a-f]{8}\.pdf$/),
      expect.stringMatching(/^bukti-[0-9a-f]{8}\.pdf$/),
    ]);
    for (const e of pupr.evidence) {
      expect(e.filename).toBe(`bukti-${e.id.slice(0, 8)}.${e.filename.split('.').pop()}`);
      expect(e.filenameEnc).toMatch(/^v2\./);
    }
    expect(t.runtime.services.sealer.open(pupr.evidence[0].filenameEnc)).toBe(PHOTO_NAME);
    const all = rows.map((r) => r.text).join('\n');
    for (const secret of ['KTP-6472010101900005', '6472010101900005', 'Sekar', 'Evidensia', '桥', '\\u6865'])
      expect(all, secret).not.toContain(secret);
  });

  it('refuses an .exe, an HTML page and an unreadable PDF with 422 on `evidence` in both languages, storing nothing', async () => {
    const before = await rawRows();
    const exe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
      Buffer.alloc(512),
    ]);
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    for (const f of [
      { name: 'setup.exe', data: exe, type: 'application/x-msdownload' },
      { name: 'bukti.html', data: html, type: 'text/html' },
      // A valid photo first: one refused file refuses the whole score, nothing is stored.
    ]) {
      const r = await score(DEMO.assessor, 'dinkes-kaltim', [
        { name: 'foto.jpg', data: photo, type: 'image/jpeg' },
        f,
      ]);
      expect(r.status, f.name).toBe(422);
      expect(Object.keys(r.body.error.fields)).toEqual(['evidence']);
      expect(r.body.error.fields.evidence).toBe('Harus salah satu dari: JPEG, PNG, WebP, PDF.');
      expect(r.body.error.translations.id.fields.evidence).toBe(
        'Harus salah satu dari: JPEG, PNG, WebP, PDF.',
      );
      expect(r.body.error.translations.en.fields.evidence).toBe('Must be one of: JPEG, PNG, WebP, PDF.');
    }
    const broken = await score(
      DEMO.assessor,
      'dinkes-kaltim',
      [{ name: 'rusak.pdf', data: Buffer.from('%PDF-1.7\nrusak\n'), type: 'application/pdf' }],
      'komitmen_pimpinan',
      'en',
    );
    expect(broken.status).toBe(422);
    expect(broken.body.error.fields.evidence).toBe(
      'This PDF could not be read. Save it again as PDF and upload it again.',
    );
    expect(broken.body.error.translations.id.fields.evidence).toBe(
      'PDF ini tidak dapat dibaca. Simpan ulang sebagai PDF lalu unggah lagi.',
    );
    expect(await rawRows()).toEqual(before);
  });

  it('the scoring page shows the refused type in words, not “choose one”', async () => {
    const s = await signIn(DEMO.assessor);
    const form = new FormData();
    form.set('_csrf', s.csrf);
    form.set('agencyId', 'dinkes-kaltim');
    form.set('indicator', 'komitmen_pimpinan');
    form.set('score', '70');
    form.set('justification', JUSTIFICATION);
    form.set('evidence', new Blob(['<html><body>bukti</body></html>'], { type: 'text/html' }), 'bukti.html');
    const res = await fetch(`${t.url}/kantor/evaluasi/${period.id}/nilai?lang=en`, {
      method: 'POST',
      headers: { cookie: s.cookie, accept: 'text/html' },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('error-summary');
    expect(html).toContain('Must be one of: JPEG, PNG, WebP, PDF.');
    expect(html).not.toContain('Choose one.');
  });
});

describe('who may download evidence', () => {
  it('those who see the rubric score download it: assessor, national admin, province coordinator, the agency admin', async () => {
    const url = evidenceUrl(scoreOf['pupr-kaltim']!, 1);
    for (const who of [DEMO.assessor, DEMO.national, DEMO.coordinator, DEMO.puprAdmin]) {
      const r = await download(url, who);
      expect(r.status, who).toBe(200);
      expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    // The Balikpapan coordinator sees (and downloads) its own participant's evidence.
    expect(
      (await download(evidenceUrl(scoreOf['diskominfo-balikpapan']!, 0), DEMO.balikpapanCoordinator)).status,
    ).toBe(200);
  });

  it('everyone else gets the same 404 as for a file that does not exist', async () => {
    const missing = await download(evidenceUrl(999_999, 0), DEMO.national);
    expect(missing.status).toBe(404);
    const notFound = JSON.parse(missing.bytes.toString());
    const refused: [string, string | undefined][] = [
      // A regional assessor (Kalimantan Timur) and the national participant it may not see.
      [evidenceUrl(scoreOf.kemenpanrb!, 0), DEMO.assessor],
      // A kab/kota coordinator and a provincial participant.
      [evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.balikpapanCoordinator],
      // An agency officer of the very participant (no evaluation role), another agency's admin, a citizen.
      [evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.puprOfficer],
      [evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.dinkesAdmin],
      [evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.citizen],
      // Signed out.
      [evidenceUrl(scoreOf['pupr-kaltim']!, 0), undefined],
      [evidenceUrl(scoreOf.kemenpanrb!, 0), undefined],
      // A file index past the score's files, and a score under another period's id.
      [evidenceUrl(scoreOf['pupr-kaltim']!, 3), DEMO.national],
      [`/api/v1/evaluation/periods/lain-2026/scores/${scoreOf['pupr-kaltim']}/evidence/0`, DEMO.national],
    ];
    for (const [url, who] of refused) {
      const r = await download(url, who);
      expect(r.status, `${who} ${url}`).toBe(404);
      expect(JSON.parse(r.bytes.toString()).error.code, `${who} ${url}`).toBe(notFound.error.code);
      expect(r.bytes.toString()).not.toMatch(/bukti-|Sekar|KTP/);
    }
  });

  it('the back-office page links each file it shows, and the link works with the session cookie alone', async () => {
    const sid = scoreOf['pupr-kaltim']!;
    const assessor = await page(DEMO.assessor, `/kantor/evaluasi/${period.id}`);
    expect(assessor.status).toBe(200);
    for (const [n, name] of [PHOTO_NAME, PDF_NAME, UNICODE_NAME].entries())
      expect(assessor.html).toContain(`<a href="${evidenceUrl(sid, n)}">${name}</a>`);
    const res = await fetch(t.url + evidenceUrl(sid, 0), {
      headers: { cookie: (await signIn(DEMO.assessor)).cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    // A coordinator out of scope sees neither the name nor the link.
    const balikpapan = await page(DEMO.balikpapanCoordinator, `/kantor/evaluasi/${period.id}`);
    expect(balikpapan.status).toBe(200);
    expect(balikpapan.html).not.toContain(evidenceUrl(sid, 0));
    expect(balikpapan.html).not.toContain(PHOTO_NAME);
    expect(balikpapan.html).toContain(`<a href="${evidenceUrl(scoreOf['diskominfo-balikpapan']!, 0)}">`);
  });
});

describe('evidence stored before names were sealed', () => {
  it('still reads: the name in clear is shown and sent, the type recognised from the bytes', async () => {
    const svc = t.runtime.services;
    const [assessor] = await query<{ id: string }>(
      svc.db,
      sql`select id from users where email = ${DEMO.assessor}`,
    );
    const bytes = Buffer.from(MINIMAL_PDF);
    const key = `evaluation/${period.id}/legacy-1`;
    await svc.storage.put(key, bytes);
    const legacy = [
      {
        key,
        filename: LEGACY_NAME,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ];
    const [row] = await query<{ id: number }>(
      svc.db,
      sql`insert into evaluation_rubric_scores
            (period_id, agency_id, indicator, assessor_user_id, score, justification, evidence, created_at)
          values (${period.id}, 'dinkes-kaltim', 'inovasi', ${assessor!.id}, 65, ${JUSTIFICATION},
                  ${JSON.stringify(legacy)}::jsonb, now())
          returning id`,
    );
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, {
      token: await t.login(DEMO.dinkesAdmin),
    });
    const s = cfg.body.rubricScores.find((x: any) => x.id === row!.id);
    expect(s.evidence).toEqual([
      {
        filename: LEGACY_NAME,
        mime: null,
        size: bytes.length,
        sha256: legacy[0]!.sha256,
        url: evidenceUrl(row!.id, 0),
      },
    ]);
    const got = await download(evidenceUrl(row!.id, 0), DEMO.dinkesAdmin);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toContain(`filename="${LEGACY_NAME}"`);
    expect(got.bytes.equals(bytes)).toBe(true);
    const dinkesPage = await page(DEMO.dinkesAdmin, `/kantor/evaluasi/${period.id}`);
    expect(dinkesPage.html).toContain(`<a href="${evidenceUrl(row!.id, 0)}">${LEGACY_NAME}</a>`);
    // Out of scope it stays a 404 like any other evidence.
    expect((await download(evidenceUrl(row!.id, 0), DEMO.puprAdmin)).status).toBe(404);
  });
});

describe('key rotation', () => {
  it('`aduan keys reseal` reseals evidence names, which then open with the new key alone', async () => {
    const svc = t.runtime.services;
    const OLD = parseKey(TEST_SECRET_KEY);
    const NEW = Buffer.alloc(32, 7);
    const original = svc.sealer;
    try {
      svc.sealer = createSealer(NEW, [OLD]);
      const counts = await sealedKeyCounts(svc);
      expect(counts['evaluation_rubric_scores.evidence']![keyId(OLD)]).toBe(5);
      const r = await resealSecrets(svc, { page: 1 });
      expect(r.resealed['evaluation_rubric_scores.evidence']).toBe(5);
      expect(r.failed['evaluation_rubric_scores.evidence']).toBe(0);
      expect(Object.keys((await sealedKeyCounts(svc))['evaluation_rubric_scores.evidence']!)).toEqual([
        keyId(NEW),
      ]);
      expect((await resealSecrets(svc)).resealed['evaluation_rubric_scores.evidence']).toBe(0);
      svc.sealer = createSealer(NEW);
      const got = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.assessor);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-disposition')).toContain(`filename="${PHOTO_NAME}"`);
      // With a key that opens nothing, the neutral name is shown rather than an error.
      svc.sealer = createSealer(Buffer.alloc(32, 9));
      const neutral = await download(evidenceUrl(scoreOf['pupr-kaltim']!, 0), DEMO.assessor);
      expect(neutral.status).toBe(200);
      expect(neutral.headers.get('content-disposition')).toMatch(/filename="bukti-[0-9a-f]{8}\.jpg"/);
    } finally {
      svc.sealer = original;
    }
  });
});
