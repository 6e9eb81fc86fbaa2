/**
 * Citizen pages, fresh-eyes QA (defects found by using the pages as a citizen on a phone, without JavaScript):
 * a double-tapped or replayed "Kirim laporan" files one report and still shows its confirmation; the monthly report
 * links no month it refuses; the account page calls the tracking number what every other citizen page calls it and
 * reads it the way the tracking form does; a comment over the limit is refused with the text kept, never cut; a
 * tracking-page form sent twice says the report has moved on and that the first one counted; a report opened through
 * the citizen's account (no key in the link) serves its files; a reply sent twice in a row is recorded once.
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
import { confirmedNumber, reportsTitled, sameBrowser, walkJourney } from '../../../test/helpers/journey.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

describe('submitting the report twice (double tap, replayed form)', () => {
  it('a replay with the cookie the browser had before the first answer lands on the same confirmation', async () => {
    const title = 'Lampu jalan mati di gang kelinci';
    const c = new WebClient(t.url);
    await walkJourney(c, { kejadian: { title, body: 'Lampu jalan di gang kelinci mati sejak seminggu.' } });
    // The browser sends the form twice; it only ever reads the answer to the second post.
    const replay = sameBrowser(c);
    const first = await c.post('/lapor/kirim', {});
    expect(first.location).toBe('/lapor/selesai');
    const shown = confirmedNumber((await c.get('/lapor/selesai')).html);
    expect(shown).toMatch(/^\d{10}$/);

    const again = await replay.post('/lapor/kirim', {});
    expect(again.status).toBe(303);
    expect(again.location).toBe('/lapor/selesai');
    const page = await replay.get('/lapor/selesai');
    expect(page.status).toBe(200);
    expect(confirmedNumber(page.html)).toBe(shown);
    expect(await reportsTitled(t, title)).toBe(1);
  });

  it('two posts at once file one report and both show its confirmation', async () => {
    const title = 'Saluran air tersumbat di pasar pagi';
    const c = new WebClient(t.url);
    await walkJourney(c, {
      kejadian: { title, body: 'Saluran air di pasar pagi tersumbat sampah sejak lama.' },
    });
    const twin = sameBrowser(c);
    const answers = await Promise.all([c.post('/lapor/kirim', {}), twin.post('/lapor/kirim', {})]);
    expect(answers.map((a) => a.location)).toEqual(['/lapor/selesai', '/lapor/selesai']);
    const numbers = await Promise.all(
      [c, twin].map(async (x) => confirmedNumber((await x.get('/lapor/selesai')).html)),
    );
    expect(numbers[0]).toMatch(/^\d{10}$/);
    expect(numbers[1]).toBe(numbers[0]);
    expect(await reportsTitled(t, title)).toBe(1);
  });
});

describe('monthly report navigation', () => {
  it('the first month offered has no link to a month the page refuses', async () => {
    const c = new WebClient(t.url);
    for (const month of ['2000-01', '2000-02', '2026-03']) {
      const page = await c.get(`/statistik/bulanan?bulan=${month}&prov=64`);
      expect(page.status, month).toBe(200);
      const links = [...page.html.matchAll(/href="(\/statistik\/bulanan\?[^"]+)"/g)].map((m) =>
        m[1]!.replaceAll('&amp;', '&'),
      );
      expect(links.length, month).toBeGreaterThan(0);
      for (const link of links) expect((await c.get(link)).status, `${month} → ${link}`).toBe(200);
    }
  });
});

describe('linking a report to a citizen account (/akun)', () => {
  it('reads the tracking number as the tracking form does and names it "nomor lacak"', async () => {
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Trotoar rusak di depan sekolah',
        body: 'Trotoar di depan sekolah rusak dan berlubang, anak-anak harus berjalan di jalan raya.',
        regionCode: '64.72.02',
        reporter: { name: 'Budi Warga' },
      },
    });
    expect(filed.status).toBe(201);
    const { trackingId, accessKey } = filed.body as { trackingId: string; accessKey: string };
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const home = await me.get('/akun?lang=id');
    expect(home.status).toBe(200);
    // One name for the number on every citizen page (web.json: "Nomor lacak").
    expect(home.html).toContain('Nomor lacak');
    expect(home.html.toLowerCase()).not.toContain('nomor pelacakan');
    const csrf = csrfOf(home.html);

    const empty = await me.post('/akun/klaim', { _csrf: csrf, trackingId: ' ', accessKey });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('href="#f-trackingId"');
    expect(empty.html).toContain('Wajib diisi.');
    const words = await me.post('/akun/klaim', { _csrf: csrf, trackingId: 'nomor saya', accessKey });
    expect(words.status).toBe(422);
    expect(words.html).toContain('Nomor lacak terdiri dari 10 angka');

    // As printed on the tracking form's hint (1234-5678-90), with a leading # and spaces around.
    const grouped = ` #${trackingId.slice(0, 4)}-${trackingId.slice(4, 8)}-${trackingId.slice(8)} `;
    const ok = await me.post('/akun/klaim', {
      _csrf: csrf,
      trackingId: grouped,
      accessKey: ` ${accessKey} `,
    });
    expect(ok.status, ok.html.slice(0, 500)).toBe(303);
    expect(ok.location).toMatch(new RegExp(`^/akun\\?klaim=${trackingId}\\b`));
    const listed = await me.get(ok.location!);
    expect(listed.html).toContain(trackingId);
    // The list of the citizen's reports names its column the same way.
    expect(listed.html).toContain('<th scope="col">Nomor lacak</th>');
    expect(listed.html.toLowerCase()).not.toContain('pelacakan');
  });
});

describe('a comment on a public report page', () => {
  it('sent twice (double tap), also both at once, is shown once', async () => {
    const id = await submitReport(t, 'Lampu taman kota padam semua', { reporter: { name: 'Rudi Warga' } });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const c = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    const csrf = csrfOf((await c.get(`/laporan/${id}`)).html);
    const comments = async () => {
      const r = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.puprAdmin) });
      return (r.body.items as Array<{ type: string; body: string }>).filter((e) => e.type === 'comment');
    };
    const once = 'Taman jadi gelap dan rawan di malam hari.';
    for (let i = 0; i < 2; i++)
      expect((await c.post(`/laporan/${id}/komentar`, { _csrf: csrf, body: once })).location).toBe(
        `/laporan/${id}?komentar=ok`,
      );
    const both = 'Sudah tiga malam padam.';
    await Promise.all([0, 1].map(() => c.post(`/laporan/${id}/komentar`, { _csrf: csrf, body: both })));
    expect((await comments()).map((e) => e.body)).toEqual([once, both]);
  });

  it('over 5000 characters: 422 with the field message and the text kept, nothing stored cut short', async () => {
    const id = await submitReport(t, 'Jembatan kayu di desa lapuk', { reporter: { name: 'Rina Warga' } });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const c = await signInWeb(t.url, DEMO.citizen, undefined, `/laporan/${id}`);
    const csrf = csrfOf((await c.get(`/laporan/${id}`)).html);
    // A long text pasted in: its end is different from what the first 5000 characters hold.
    const long = `${'Jembatan ini sudah lapuk dan berbahaya. '.repeat(125)}Akhir komentar saya.`;
    expect(long.length).toBeGreaterThan(5000);
    for (const lang of ['id', 'en'] as const) {
      const r = await c.post(`/laporan/${id}/komentar?lang=${lang}`, { _csrf: csrf, body: long });
      expect(r.status).toBe(422);
      expect(r.html).toContain('href="#f-body"');
      expect(r.html).toContain(lang === 'id' ? 'Maksimal 5000 karakter.' : '5000 characters');
      expect(r.html).toContain('Akhir komentar saya.</textarea>');
    }
    const events = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.puprAdmin) });
    expect((events.body.items as Array<{ type: string }>).filter((e) => e.type === 'comment')).toEqual([]);
    // Exactly at the limit it is sent whole.
    const fits = long.slice(0, 5000);
    expect((await c.post(`/laporan/${id}/komentar`, { _csrf: csrf, body: fits })).status).toBe(303);
  });
});

describe('public report list pages', () => {
  it('a page past the last one goes to the last page instead of an empty "page 1000 of 1"', async () => {
    const title = 'Halte bus rusak dekat terminal lama';
    const id = await submitReport(t, title, { reporter: { name: 'Yusuf Warga' } });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    const c = new WebClient(t.url);
    const q = encodeURIComponent('halte terminal');
    const beyond = await c.get(`/laporan?q=${q}&page=99999`);
    expect(beyond.status).toBe(303);
    expect(beyond.location).toBe(`/laporan?q=halte+terminal`);
    const page = await c.get(beyond.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain(title);
    // A fractional page number is read as the whole page it is in, never as an offset between pages.
    const half = await c.get(`/laporan?q=${q}&page=1.5`);
    expect(half.status).toBe(200);
    expect(half.html).toContain(title);
  });
});

describe('the contact step', () => {
  it('says once that the NIK is optional (the label already says so)', async () => {
    const c = new WebClient(t.url);
    for (const [lang, word] of [
      ['id', /opsional|tidak wajib/gi],
      ['en', /optional/gi],
    ] as const) {
      const page = await c.get(`/lapor/kontak?lang=${lang}`);
      const field = /<label[^>]*for="f-nik"[\s\S]*?<input/.exec(page.html)![0];
      expect(field.match(word), `${lang}: ${field}`).toHaveLength(1);
    }
  });

  it('takes a NIK typed in groups (spaces or dashes), as it takes a grouped phone number', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'privasi');
    for (const nik of ['6471 0123 4567 8901', '6471-0123-4567-8901']) {
      const r = await c.post('/lapor/kontak', {
        name: 'Siti Pelapor',
        email: '',
        phone: '0812 3456 7890',
        nik,
      });
      expect(r.status, `${nik}: ${r.html.slice(0, 200)}`).toBe(303);
    }
    // Still 16 digits: a short one is refused, with the text kept.
    const short = await c.post('/lapor/kontak', {
      name: 'Siti Pelapor',
      email: '',
      phone: '',
      nik: '6471 0123 4567',
    });
    expect(short.status).toBe(422);
    expect(short.html).toContain('NIK harus 16 digit.');
    expect(short.html).toContain('value="6471 0123 4567"');
    // What reaches the report is the 16 digits.
    await c.post('/lapor/kontak', { name: 'Siti Pelapor', email: '', phone: '', nik: '6471 0123 4567 8901' });
    const sent = await c.post('/lapor/kirim', {});
    expect(sent.location).toBe('/lapor/selesai');
    const id = confirmedNumber((await c.get('/lapor/selesai')).html)!;
    const [row] = await query<{ reporter_enc: string }>(
      t.runtime.services.db,
      sql`select reporter_enc from reports where tracking_id = ${id}`,
    );
    expect(t.runtime.services.sealer.open<{ nik?: string }>(row!.reporter_enc).nik).toBe('6471012345678901');
  });
});

describe('a tracking-page form sent twice', () => {
  it('the second answer says the report is now completed and that a form sent twice counted once', async () => {
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Got mampet di jalan Juanda',
        body: 'Got mampet di jalan Juanda, air meluap ke jalan setiap kali hujan deras turun.',
        regionCode: '64.72.02',
        reporter: { name: 'Eko Warga' },
      },
    });
    const { trackingId: id, accessKey: k } = filed.body as { trackingId: string; accessKey: string };
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    await actOk(
      t,
      id,
      'respond',
      { body: 'Got sudah dibersihkan petugas.', final: true },
      {
        token: await t.login(DEMO.puprAdmin),
      },
    );
    const c = new WebClient(t.url);
    const first = await c.post(`/lacak/${id}/accept`, { k, rating: '5', comment: '' });
    expect(first.status).toBe(303);
    for (const [lang, status, counted] of [
      ['id', 'Selesai', 'kiriman pertama sudah tercatat'],
      ['en', 'Completed', 'the first one was recorded'],
    ] as const) {
      const again = await c.post(`/lacak/${id}/accept?lang=${lang}`, { k, rating: '5', comment: '' });
      expect(again.status).toBe(409);
      const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(again.html)![0];
      expect(summary).toContain(status);
      expect(summary).toContain(counted);
    }
  });
});

describe('a report opened through the citizen account (no key in the link)', () => {
  it('lists the uploaded photo with a link that serves it', async () => {
    const c = new WebClient(t.url);
    await walkJourney(c, {}, 'kategori');
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0c0' } })
      .png()
      .toBuffer();
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto-jalan.png');
    expect((await c.postMultipart('/lapor/lampiran', fd)).status).toBe(303);
    await walkJourney(c, {}, 'kontak');
    await c.post('/lapor/kirim', {});
    const done = (await c.get('/lapor/selesai')).html;
    const [, id, key] = /\/lacak\/(\d{10})\?k=([\w-]+)/.exec(done)!;

    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const csrf = csrfOf((await me.get('/akun')).html);
    expect((await me.post('/akun/klaim', { _csrf: csrf, trackingId: id!, accessKey: key! })).status).toBe(
      303,
    );
    // The account's list links to the tracking page without the key.
    expect((await me.get('/akun')).html).toContain(`href="/lacak/${id}"`);
    const page = await me.get(`/lacak/${id}`);
    expect(page.status).toBe(200);
    const link = new RegExp(`href="(/lacak/${id}/lampiran/[0-9a-f-]{36}[^"]*)"`).exec(page.html)?.[1];
    expect(link, 'attachment link').toBeTruthy();
    const file = await me.get(link!.replaceAll('&amp;', '&'));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    // Someone else, signed out and without the key: the HTML 404.
    expect((await new WebClient(t.url).get(link!.replaceAll('&amp;', '&'))).status).toBe(404);
  });
});

describe('a reply on the tracking page sent twice (double tap, form sent again)', () => {
  it('is recorded once, also when both arrive at once; the same words after an answer count again', async () => {
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pohon tumbang menutup jalan desa',
        body: 'Pohon besar tumbang dan menutup jalan desa sejak kemarin sore, kendaraan tidak bisa lewat.',
        regionCode: '64.72.02',
        reporter: { name: 'Lina Warga' },
      },
    });
    const { trackingId: id, accessKey: k } = filed.body as { trackingId: string; accessKey: string };
    const replies = async () => {
      const r = await t.api(`/api/v1/reports/${id}/events`, { token: await t.login(DEMO.coordinator) });
      return (r.body.items as Array<{ type: string; body: string }>).filter(
        (e) => e.type === 'reporter_reply',
      );
    };
    const c = new WebClient(t.url);
    const text = 'Pohonnya masih di sana pagi ini.';
    const first = await c.post(`/lacak/${id}/comment`, { k, commentBody: text });
    const again = await c.post(`/lacak/${id}/comment`, { k, commentBody: text });
    expect([first.location, again.location]).toEqual([
      `/lacak/${id}?k=${k}&ok=comment`,
      `/lacak/${id}?k=${k}&ok=comment`,
    ]);
    expect(await replies()).toHaveLength(1);

    const other = 'Sekarang ada dua pohon yang tumbang.';
    await Promise.all([
      c.post(`/lacak/${id}/comment`, { k, commentBody: other }),
      c.post(`/lacak/${id}/comment`, { k, commentBody: other }),
    ]);
    expect((await replies()).map((e) => e.body)).toEqual([text, other]);

    // After an officer's question the same words are a new answer, and are recorded.
    await actOk(
      t,
      id,
      'hold',
      { question: 'Di desa mana tepatnya?' },
      { token: await t.login(DEMO.coordinator) },
    );
    await c.post(`/lacak/${id}/comment`, { k, commentBody: text });
    expect((await replies()).map((e) => e.body)).toEqual([text, other, text]);
  });
});
