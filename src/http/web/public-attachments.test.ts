/**
 * The public report page lists the agency's files of public follow-ups, over real HTTP and a real database:
 * listed and downloadable under a neutral name (`lampiran-<id>.<ext>`, nosniff, metadata-stripped bytes);
 * a reporter upload, a file tied to an internal note and any file of a confidential or unverified report are
 * neither listed nor served (404); an anonymous reporter's name and the original file names never appear.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

const REPORTER = 'Sekar Anonim Rahasia';

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jembatan kayu retak di Jalan Pramuka',
      body: 'Papan jembatan kayu retak dan berlubang, pejalan kaki dan pengendara motor bisa terperosok.',
      regionCode: '64.71',
      anonymous: true,
      reporter: { name: REPORTER, email: 'sekar.anonim@contoh.aduan.id' },
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

/** Uploads a file through the JSON API (as the reporter with `key`, or as staff with `token`); returns its id. */
async function upload(id: string, name: string, data: Buffer, auth: { key?: string; token?: string }) {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(data)]), name);
  const headers: Record<string, string> = {};
  if (auth.key) headers['x-access-key'] = auth.key;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const res = await fetch(`${t.url}/api/v1/reports/${id}/attachments`, { method: 'POST', headers, body: fd });
  const body = (await res.json()) as { items: Array<{ id: string }> };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.items[0]!.id;
}

const photo = (colour: string) =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: colour } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'KameraDinas', Artist: 'Petugas Lapangan' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '1/1 15/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 50/1 0/1',
      },
    })
    .toBuffer();
const pdf = Buffer.from(MINIMAL_PDF);

const html404 = async (path: string) => {
  const r = await fetch(t.url + path, { headers: { accept: 'text/html' } });
  const body = await r.text();
  expect(r.status, path).toBe(404);
  expect(body, path).not.toContain(REPORTER);
  return body;
};

describe('public report page: agency follow-up files', () => {
  it('lists and serves the public follow-up file only, under a neutral name', async () => {
    const r = await submit();
    const id = r.trackingId;
    const reporterFile = await upload(id, 'KTP_Sekar_Anonim_Rahasia.pdf', pdf, { key: r.accessKey });
    await act(id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    const token = await t.login(DEMO.puprAdmin);
    await act(id, 'note', { body: 'Catatan internal: pelapor tetangga kepala desa.' }, DEMO.puprAdmin);
    const internalFile = await upload(id, 'catatan-internal-sekar.pdf', pdf, { token });
    // Tie this file to the internal note, as a file of that note.
    const [note] = await query<{ id: number }>(
      t.runtime.services.db,
      sql`select e.id from report_events e join reports r on r.id = e.report_id
          where r.tracking_id = ${id} and e.type = 'note'`,
    );
    await t.runtime.services.db.execute(
      sql`update attachments set event_id = ${note!.id} where id = ${internalFile}`,
    );
    await act(
      id,
      'respond',
      { body: 'Papan jembatan sudah diganti, foto terlampir.', final: true },
      DEMO.puprAdmin,
    );
    const agencyPhoto = await photo('#a73');
    expect((await sharp(agencyPhoto).metadata()).exif?.toString('latin1')).toContain('KameraDinas');
    const agencyFile = await upload(id, 'balasan-untuk-Sekar.jpg', agencyPhoto, { token });

    const c = new WebClient(t.url);
    for (const lang of ['id', 'en']) {
      const page = await c.get(`/laporan/${id}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(
        lang === 'id'
          ? '<h2>Lampiran tindak lanjut instansi</h2>'
          : "<h2>Files from the agency's follow-up</h2>",
      );
      const name = `lampiran-${agencyFile.slice(0, 8)}.jpg`;
      expect(page.html).toContain(`<a href="/laporan/${id}/lampiran/${agencyFile}">${name}</a>`);
      expect(page.html).toContain(lang === 'id' ? '(dari instansi, 1 KB)' : '(from the agency, 1 KB)');
      for (const hidden of [reporterFile, internalFile, reporterFile.slice(0, 8), internalFile.slice(0, 8)])
        expect(page.html).not.toContain(hidden);
      for (const text of [REPORTER, 'Sekar', 'KTP_', 'catatan-internal', 'balasan-untuk', 'Catatan internal'])
        expect(page.html, text).not.toContain(text);
    }

    const res = await fetch(`${t.url}/laporan/${id}/lampiran/${agencyFile}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toContain(`filename="lampiran-${agencyFile.slice(0, 8)}.jpg"`);
    expect(disposition).not.toContain('Sekar');
    const bytes = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif, 'no EXIF block survives').toBeUndefined();
    expect(bytes.toString('latin1')).not.toContain('KameraDinas');

    // The reporter's upload and the internal note's file: 404 here, whatever the JSON API does for staff.
    for (const hidden of [reporterFile, internalFile]) {
      const body = await html404(`/laporan/${id}/lampiran/${hidden}`);
      expect(body).not.toContain('%PDF');
    }
    // Malformed ids and a file of another report: the same 404.
    const other = await submit({ title: 'Lampu taman padam di Taman Bekapai' });
    await act(other.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    await html404(`/laporan/${other.trackingId}/lampiran/${agencyFile}`);
    await html404(`/laporan/${id}/lampiran/bukan-uuid`);
    await html404(`/laporan/123/lampiran/${agencyFile}`);
    await html404(`/laporan/${id}/lampiran/00000000-0000-4000-8000-000000000000`);
  });

  it('never lists or serves a file of a confidential or an unverified report', async () => {
    const secret = await submit({ confidential: true, title: 'Dugaan pungutan liar di jembatan timbang' });
    await act(secret.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, DEMO.coordinator);
    const token = await t.login(DEMO.puprAdmin);
    await act(
      secret.trackingId,
      'respond',
      { body: 'Sudah kami periksa di lapangan.', final: true },
      DEMO.puprAdmin,
    );
    const secretFile = await upload(secret.trackingId, 'hasil-pemeriksaan.pdf', pdf, { token });

    const pending = await submit({ title: 'Trotoar rusak di depan pasar' });
    const coord = await t.login(DEMO.coordinator);
    const pendingFile = await upload(pending.trackingId, 'foto-awal.jpg', await photo('#37a'), {
      token: coord,
    });

    for (const [id, file] of [
      [secret.trackingId, secretFile],
      [pending.trackingId, pendingFile],
    ] as const) {
      const page = await html404(`/laporan/${id}`);
      expect(page).not.toContain(file);
      await html404(`/laporan/${id}/lampiran/${file}`);
    }
  });
});
