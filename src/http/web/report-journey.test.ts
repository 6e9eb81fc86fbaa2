/** The web report journey over real HTTP: steps keep answers, validation keeps input, PRG, submission. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pdfContents, pdfWithMetadata } from '../../../test/helpers/pdf.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { walkJourney } from '../../../test/helpers/journey.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

describe('report journey (no JavaScript, plain HTTP)', () => {
  it('starts at the first step and redirects between steps (PRG)', async () => {
    const c = new WebClient(t.url);
    expect((await c.get('/lapor')).location).toBe('/lapor/jenis');
    const page = await c.get('/lapor/jenis');
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="classification"');
    const r = await c.post('/lapor/jenis', { classification: 'aspirasi' });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/lapor/kejadian');
    expect(c.cookies.get('aduan_draft')).toBeTruthy();
    expect((await c.get('/lapor/jenis')).html).toMatch(/value="aspirasi"[^>]*checked/);
  });

  it('keeps what was typed and shows the error summary plus inline errors', async () => {
    const c = new WebClient(t.url);
    await c.post('/lapor/jenis', { classification: 'pengaduan' });
    const r = await c.post('/lapor/kejadian', {
      title: 'Abc',
      body: 'Kronologi <b>x</b>',
      occurredOn: '2030-01-01',
    });
    expect(r.status).toBe(422);
    expect(r.html).toContain('class="error-summary"');
    expect(r.html).toContain('href="#f-title"');
    expect(r.html).toContain('Minimal 5 karakter.');
    expect(r.html).toContain('Minimal 20 karakter.');
    expect(r.html).toContain('Tanggal tidak boleh di masa depan.');
    expect(r.html).toContain('value="Abc"');
    expect(r.html).toContain('Kronologi &lt;b>x&lt;/b>');
    expect(r.html).toContain('aria-invalid="true"');
    expect(r.html).toMatch(/<title>Galat: /);
    const en = await c.post('/lapor/kejadian?lang=en', { title: '', body: '' });
    expect(en.html).toContain('There is a problem');
    expect(en.html).toContain('This field is required.');
  });

  it('narrows the region picker level by level without JavaScript', async () => {
    const c = new WebClient(t.url);
    const r = await c.post('/lapor/lokasi', { prov: '64', _refresh: '1' });
    expect(r.location).toBe('/lapor/lokasi');
    const page = await c.get('/lapor/lokasi');
    expect(page.html).toContain('name="kab"');
    expect(page.html).toContain('value="64.71"');
    await c.post('/lapor/lokasi', { prov: '64', kab: '64.71', _refresh: '1' });
    expect((await c.get('/lapor/lokasi')).html).toContain('name="kec"');
    // Changing the province drops the lower levels.
    await c.post('/lapor/lokasi', { prov: '11', kab: '64.71', _refresh: '1' });
    expect((await c.get('/lapor/lokasi')).html).not.toContain('value="64.71"');
  });

  it('completes the journey: check page with warnings, submit, confirmation with tracking number', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {
      kejadian: {
        title: 'Jalan rusak di depan pasar',
        body: 'Hubungi saya 081234567890, NIK 6471012345678901, jalan rusak sejak dua bulan.',
        occurredOn: '',
      },
    });
    const check = await c.get('/lapor/periksa');
    expect(check.status).toBe(200);
    expect(check.html).toContain('Periksa data pribadi');
    expect(check.html).toContain('NIK, nomor telepon');
    expect(check.html).toContain('href="/lapor/kontak?from=check"');
    expect(check.html).toContain('Kota Balikpapan');
    const sent = await c.post('/lapor/kirim', {});
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/lapor/selesai');
    const done = await c.get('/lapor/selesai');
    expect(done.status).toBe(200);
    const id = /data-testid="tracking-number">(\d{10})</.exec(done.html)?.[1];
    expect(id).toMatch(/^\d{10}$/);
    expect(done.html).toContain(`/lacak/${id}?k=`);
    expect(done.html).toContain('paling lambat 17 Maret 2026');
    const key = new URL(
      /data-testid="private-link">([^<]+)</.exec(done.html)![1]!.replace(/&amp;/g, '&'),
    ).searchParams.get('k')!;
    const api = await t.api(`/api/v1/reports/${id}`, { accessKey: key });
    expect(api.status).toBe(200);
    expect(api.body.channel).toBe('web');
    expect(api.body.reporter.name).toBe('Siti Pelapor');
    // A second submission of the same draft is not possible.
    expect((await c.post('/lapor/kirim', {})).location).toBe('/lapor/selesai');
  });

  it('a change link from the check page returns to the check page', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c);
    const page = await c.get('/lapor/kejadian?from=check');
    expect(page.html).toContain('name="from" value="check"');
    const r = await c.post('/lapor/kejadian', {
      title: 'Judul yang diubah',
      body: 'Kronologi yang cukup panjang untuk lolos.',
      from: 'check',
    });
    expect(r.location).toBe('/lapor/periksa');
    expect((await c.get('/lapor/periksa')).html).toContain('Judul yang diubah');
  });

  it('requires a name unless anonymous, and an anonymous report needs none', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c);
    const r = await c.post('/lapor/kontak', { name: '', email: 'bukan-email', phone: '12', nik: '123' });
    expect(r.status).toBe(422);
    expect(r.html).toContain('Nama pelapor wajib diisi');
    expect(r.html).toContain('Alamat email tidak valid.');
    expect(r.html).toContain('NIK harus 16 digit.');
    expect(r.html).toContain('value="bukan-email"');
    await c.post('/lapor/privasi', { privacy: ['anonymous'] });
    expect((await c.post('/lapor/kontak', { name: '', email: '' })).status).toBe(303);
  });

  it('stages attachments with the draft and attaches them after submission', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c);
    const author = 'Sekar Journeywati';
    const pdf = await pdfWithMetadata(author, 'LAPTOP-SEKAR\\sekar');
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'bukti.pdf');
    const up = await c.postMultipart('/lapor/lampiran', fd);
    expect(up.status, up.html.slice(0, 300)).toBe(303);
    expect((await c.get('/lapor/lampiran')).html).toContain('bukti.pdf');
    // The staged copy on disk is already without its author and XMP, even if the draft is never submitted.
    const drafts = join(t.runtime.config.dataDir, 'attachments', 'drafts');
    const staged = readdirSync(drafts).filter((f) => f.endsWith('.pdf'));
    expect(staged).toHaveLength(1);
    const stagedPdf = await pdfContents(readFileSync(join(drafts, staged[0]!)));
    expect(stagedPdf.pages).toBe(2);
    for (const secret of ['Sekar', 'LAPTOP-SEKAR', 'xmpmeta', 'INFO-DICTIONARY'])
      expect(stagedPdf.text, secret).not.toContain(secret);

    const bad = new FormData();
    bad.append('file', new Blob([Buffer.from('not a file type')], { type: 'text/plain' }), 'x.txt');
    const rejected = await c.postMultipart('/lapor/lampiran', bad);
    expect(rejected.status).toBe(422);
    expect(rejected.html).toContain('JPEG, PNG, WebP, PDF');
    const broken = new FormData();
    broken.append('file', new Blob([Buffer.from('%PDF-1.7\nrusak\n')], { type: 'application/pdf' }), 'b.pdf');
    const unreadable = await c.postMultipart('/lapor/lampiran', broken);
    expect(unreadable.status).toBe(422);
    expect(unreadable.html).toContain(
      'PDF ini tidak dapat dibaca. Simpan ulang sebagai PDF lalu unggah lagi.',
    );

    await c.post('/lapor/kirim', {});
    expect((await c.get('/lapor/selesai')).html).toContain('1 lampiran tersimpan.');
    const [stored] = await query<{ storage_key: string; filename: string }>(
      t.runtime.services.db,
      sql`select storage_key, filename from attachments where mime = 'application/pdf'
          order by created_at desc limit 1`,
    );
    expect(stored!.filename).not.toContain('bukti');
    const attached = await pdfContents(await t.runtime.services.storage.get(stored!.storage_key));
    expect(attached.pages).toBe(2);
    expect(attached.text).not.toContain('Sekar');
  });
});
