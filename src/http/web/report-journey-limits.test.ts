/**
 * The no-JS report journey with bad input (QA audit): upload limits, odd category ids, wrong file types, impossible
 * dates, points outside Indonesia and odd contact data each give a field error on their own step (422, both
 * languages), never a 413/500 page; the confirmation names the access key; event dates read as dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { walkJourney } from '../../../test/helpers/journey.ts';
import { PUBLIC_CALLER } from '../../app/context.ts';
import { requireCategory } from '../../commands/lookups.ts';
import { submitReport } from '../../commands/submit-report.ts';
import { toSubmitInput } from './report-form.ts';

let t: TestApp;
let png: Buffer;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();
});
afterAll(() => t?.close());

const pngPart = (fd: FormData, name: string, bytes: Buffer) =>
  fd.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);

/** The kept-files list of the attachment step. */
const keptFiles = (html: string) => [...html.matchAll(/<li>([^<(]+) \(\d+ KB\)/g)].map((m) => m[1]!.trim());

describe('removing a staged file on /lapor/lampiran', () => {
  it('removes the file whose index the button sends, and nothing for a forged or odd value', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    const two = new FormData();
    pngPart(two, 'satu.png', png);
    pngPart(two, 'dua.png', png);
    expect((await c.postMultipart('/lapor/lampiran', two)).status).toBe(303);
    for (const forged of ['abc', '-1', '1.5', '', ' 0', '99']) {
      const fd = new FormData();
      fd.append('remove', forged);
      expect((await c.postMultipart('/lapor/lampiran', fd)).status, forged).toBe(303);
      expect(keptFiles((await c.get('/lapor/lampiran')).html), forged).toEqual(['satu.png', 'dua.png']);
    }
    const fd = new FormData();
    fd.append('remove', '1');
    expect((await c.postMultipart('/lapor/lampiran', fd)).status).toBe(303);
    expect(keptFiles((await c.get('/lapor/lampiran')).html)).toEqual(['satu.png']);
  });
});

describe('attachment limits on /lapor/lampiran', () => {
  it('six files at once: 422 on the file field, earlier files kept, connection reusable', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    const first = new FormData();
    pngPart(first, 'awal.png', png);
    expect((await c.postMultipart('/lapor/lampiran', first)).status).toBe(303);

    const six = new FormData();
    for (let i = 1; i <= 6; i++) pngPart(six, `foto${i}.png`, png);
    const r = await c.postMultipart('/lapor/lampiran', six);
    expect(r.status, r.html.slice(0, 300)).toBe(422);
    expect(r.html).toContain('class="error-summary"');
    expect(r.html).toContain('href="#f-file"');
    expect(r.html).toContain('Maksimal 5 berkas.');
    expect(r.html).not.toContain('terlalu besar');
    const kept = keptFiles((await c.get('/lapor/lampiran')).html);
    expect(kept[0]).toBe('awal.png');
    expect(kept.length).toBeLessThanOrEqual(5);
    // The server answered after reading the whole body: the next request on the client works.
    expect((await c.get('/lapor/lampiran')).status).toBe(200);

    const en = new FormData();
    for (let i = 1; i <= 6; i++) pngPart(en, `photo${i}.png`, png);
    const r2 = await c.postMultipart('/lapor/lampiran?lang=en', en);
    expect(r2.status).toBe(422);
    expect(r2.html).toContain('At most 5 files.');
  });

  it('a file over 10 MB: 422 naming the size per file, other files kept', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    const fd = new FormData();
    pngPart(fd, 'kecil.png', png);
    fd.append('file', new Blob([new Uint8Array(10 * 1024 * 1024 + 10)]), 'besar.pdf');
    const r = await c.postMultipart('/lapor/lampiran', fd);
    expect(r.status, r.html.slice(0, 300)).toBe(422);
    expect(/error-summary-list">.{0,300}/.exec(r.html)?.[0]).toContain(
      'Ukuran tiap berkas paling besar 10 MB.',
    );
    expect(r.html).toContain('href="#f-file"');
    expect(keptFiles(r.html)).toEqual(['kecil.png']);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(10 * 1024 * 1024 + 10)]), 'big.pdf');
    const en = await c.postMultipart('/lapor/lampiran?lang=en', big);
    expect(en.status).toBe(422);
    expect(en.html).toContain('Each file can be at most 10 MB.');
    expect(keptFiles((await c.get('/lapor/lampiran')).html)).toEqual(['kecil.png']);
  });

  it('a sixth file added on its own names files in the message', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    for (let i = 1; i <= 5; i++) {
      const fd = new FormData();
      pngPart(fd, `f${i}.png`, png);
      expect((await c.postMultipart('/lapor/lampiran', fd)).status).toBe(303);
    }
    const fd = new FormData();
    pngPart(fd, 'f6.png', png);
    const r = await c.postMultipart('/lapor/lampiran', fd);
    expect(r.status).toBe(422);
    expect(r.html).toContain('Maksimal 5 berkas.');
    expect(keptFiles(r.html)).toHaveLength(5);
  });

  it('a wrong file type names the accepted types, not "choose one"', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    for (const [name, bytes] of [
      ['catatan.txt', Buffer.from('bukan gambar')],
      ['foto.jpg', Buffer.from('teks yang diberi nama jpg')],
      ['app.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00')],
    ] as const) {
      const fd = new FormData();
      fd.append('file', new Blob([new Uint8Array(bytes)]), name);
      const r = await c.postMultipart('/lapor/lampiran', fd);
      expect(r.status, name).toBe(422);
      expect(r.html, name).not.toContain('Pilih salah satu.');
      expect(r.html, name).toContain('Jenis berkas harus JPEG, PNG, WebP, atau PDF.');
    }
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(Buffer.from('x'))]), 'x.txt');
    const en = await c.postMultipart('/lapor/lampiran?lang=en', fd);
    expect(en.html).not.toContain('Choose one.');
    expect(en.html).toContain('The file must be a JPEG, PNG, WebP or PDF.');
    // The API keeps its own issue (`one_of`, listing the accepted types for an integrator).
    const sent = await t.api('/api/v1/reports', {
      method: 'POST',
      json: {
        classification: 'pengaduan',
        title: 'Jalan rusak di depan pasar',
        body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
        regionCode: '64.71',
        anonymous: true,
      },
    });
    expect(sent.status).toBe(201);
    const apiForm = new FormData();
    apiForm.append('file', new Blob([new Uint8Array(Buffer.from('bukan gambar'))]), 'catatan.txt');
    const api = await t.api(`/api/v1/reports/${sent.body.trackingId}/attachments`, {
      method: 'POST',
      accessKey: sent.body.accessKey,
      body: apiForm,
    });
    expect(api.status).toBe(422);
    expect(api.body.error.fields.file).toBe('Harus salah satu dari: JPEG, PNG, WebP, PDF.');
  });
});

describe('step validation on /lapor/<step>', () => {
  it('a category id that is not a known positive integer is a field error on the category step', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'lokasi');
    for (const categoryId of ['abc', '2.5', '99999999999', '-1', '0', '2147483647']) {
      const r = await c.post('/lapor/kategori', { categoryId, agencyId: '' });
      expect(r.status, categoryId).toBe(422);
      expect(r.html, categoryId).toContain('Kategori tidak dikenal.');
      expect(r.html, categoryId).toContain('href="#f-categoryId"');
    }
    const en = await c.post('/lapor/kategori?lang=en', { categoryId: 'abc', agencyId: '' });
    expect(en.html).toContain('Unknown category.');
    const page = await c.get('/lapor/kategori');
    const known = /<option value="(\d+)"/.exec(page.html)![1]!;
    expect((await c.post('/lapor/kategori', { categoryId: known, agencyId: '' })).status).toBe(303);
  });

  it('a bad category id already in a draft is a field error at submission, never a 500', async () => {
    const input = toSubmitInput({
      classification: 'pengaduan',
      title: 'Jalan rusak di depan pasar',
      body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
      prov: '64',
      kab: '64.71',
      categoryId: 'abc',
      anonymous: '1',
    });
    await expect(submitReport(t.runtime.services, PUBLIC_CALLER, input)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { categoryId: { key: 'category_unknown' } },
    });
    for (const id of [Number.NaN, 2.5, 99_999_999_999, -1, 0]) {
      await expect(requireCategory(t.runtime.services.db, id, 'categoryId')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: { categoryId: { key: 'category_unknown' } },
      });
    }
  });

  it('an impossible calendar date says so, not that it is out of range', async () => {
    const c = new WebClient(t.url);
    await c.post('/lapor/jenis', { classification: 'pengaduan' });
    const form = {
      title: 'Jalan rusak di depan pasar',
      body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
    };
    const r = await c.post('/lapor/kejadian', { ...form, occurredOn: '2026-02-30' });
    expect(r.status).toBe(422);
    expect(r.html).toContain('Tanggal harus berformat YYYY-MM-DD dan merupakan tanggal yang ada.');
    expect(r.html).not.toContain('Tanggal harus antara');
    const old = await c.post('/lapor/kejadian', { ...form, occurredOn: '1850-01-01' });
    expect(old.html).toContain('Tanggal harus antara 1900-01-01 dan 2100-12-31.');
  });

  it('a point outside Indonesia is a field error on the location step', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kejadian');
    for (const [lat, lon] of [
      ['51.5', '-0.12'],
      ['95', '500'],
    ] as const) {
      const r = await c.post('/lapor/lokasi', { prov: '', kab: '', address: '', lat, lon });
      expect(r.status, `${lat},${lon}`).toBe(422);
      expect(r.html).toContain('Titik lokasi berada di luar Indonesia.');
      expect(r.html).toContain('href="#f-lat"');
    }
    const en = await c.post('/lapor/lokasi?lang=en', { lat: '51.5', lon: '-0.12' });
    expect(en.html).toContain('The map point is outside Indonesia.');
    expect((await c.post('/lapor/lokasi', { lat: '-1.27', lon: '116.83' })).status).toBe(303);
  });

  it('reads a decimal comma and refuses what only JavaScript reads as a number (0x10, 1e1, Infinity)', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kejadian');
    for (const [lat, lon, field] of [
      ['0x1', '0x74', 'lat'],
      ['-1e0', '116.83', 'lat'],
      ['-1.27', 'Infinity', 'lon'],
      ['-1.2.7', '116', 'lat'],
    ] as const) {
      const r = await c.post('/lapor/lokasi', { prov: '', kab: '', address: '', lat, lon });
      expect(r.status, `${lat},${lon}`).toBe(422);
      expect(r.html, `${lat},${lon}`).toContain(`href="#f-${field}"`);
    }
    expect((await c.post('/lapor/lokasi', { lat: '-1,27', lon: '116,83' })).status).toBe(303);
    expect(toSubmitInput({ lat: '-1,27', lon: '116,83' })).toMatchObject({ lat: -1.27, lon: 116.83 });
  });

  it('caps the email length and needs digits in a phone number, like the API', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'privasi');
    const long = `${'a'.repeat(300)}@contoh.id`;
    // Brackets only, within the API pattern's 8 to 20 characters: no number to call.
    const r = await c.post('/lapor/kontak', { name: 'Siti', email: long, phone: '(((((((((())))))' });
    expect(r.status).toBe(422);
    expect(r.html).toContain('href="#f-email"');
    expect(r.html).toContain('href="#f-phone"');
    expect(r.html).toContain('Nomor telepon tidak valid.');
    expect(r.html).toContain('Maksimal 200 karakter.');
    const en = await c.post('/lapor/kontak?lang=en', { name: 'Siti', email: long, phone: '(((((((())))))' });
    expect(en.html).toContain('The phone number is not valid.');
    const ok = await c.post('/lapor/kontak', {
      name: 'Siti',
      email: 'siti@contoh.id',
      phone: '(0542) 123-456',
    });
    expect(ok.status).toBe(303);
  });

  it('the language switch of a failed step keeps what was typed and shows the errors again', async () => {
    const c = new WebClient(t.url);
    await c.post('/lapor/jenis', { classification: 'pengaduan' });
    const r = await c.post('/lapor/kejadian', { title: 'Abc', body: 'Pendek sekali', occurredOn: '' });
    expect(r.status).toBe(422);
    expect(r.html).toContain('href="/lapor/kejadian?lang=en"');
    const en = await c.get('/lapor/kejadian?lang=en');
    expect(en.html).toContain('value="Abc"');
    expect(en.html).toContain('Pendek sekali');
    expect(en.html).toContain('At least 5 characters.');
    // A valid answer clears the kept input.
    const form = {
      title: 'Jalan rusak di depan pasar',
      body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
      occurredOn: '',
    };
    expect((await c.post('/lapor/kejadian', form)).status).toBe(303);
    const again = await c.get('/lapor/kejadian');
    expect(again.status).toBe(200);
    expect(again.html).not.toContain('class="error-summary"');
    expect(again.html).toContain('Jalan rusak di depan pasar');
  });
});

describe('confirmation and report pages', () => {
  it('shows the access key on its own line and the event date as a date', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, { kejadian: { occurredOn: '2026-03-01' } });
    expect((await c.post('/lapor/kirim', {})).status).toBe(303);
    const done = await c.get('/lapor/selesai');
    const link = /data-testid="private-link">([^<]+)</.exec(done.html)![1]!.replace(/&amp;/g, '&');
    const key = new URL(link).searchParams.get('k')!;
    expect(done.html).toContain('Kunci akses');
    expect(done.html).toMatch(new RegExp(`data-testid="access-key"[^>]*>${key}<`));
    const en = await c.get('/lapor/selesai?lang=en');
    expect(en.html).toContain('Access key');
    const track = await c.get(`${new URL(link).pathname}${new URL(link).search}&lang=id`);
    expect(track.status).toBe(200);
    expect(track.html).toContain('1 Maret 2026');
    expect(track.html).not.toContain('2026-03-01<');
    const trackEn = await c.get(`${new URL(link).pathname}${new URL(link).search}&lang=en`);
    expect(trackEn.html).toContain('1 March 2026');
  });
});
