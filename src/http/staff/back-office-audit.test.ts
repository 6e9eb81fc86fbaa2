/**
 * Defects found by a fresh-eyes walk through the back office as a Kaltim verifier, the PUPR agency admin and a Bina
 * Marga officer (2026-11-30). Real app on a port, real HTTP with the cookie session and CSRF forms, PGlite by default
 * or PostgreSQL (DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';
import sharp from 'sharp';
import { drainOutboxOnce } from '../../../test/helpers/receivers.ts';

let t: TestApp;
let coordToken: string;
let puprToken: string;
let category: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coordToken = await t.login(DEMO.coordinator);
  puprToken = await t.login(DEMO.puprAdmin);
  category = await categoryIdByName(t);
});
afterAll(() => t?.close());

/** The read-only copy of the text a refused action did not send, or null when the page has none. */
const unsent = (html: string): string | null =>
  /<textarea[^>]*id="f-unsent"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? null;

describe('a refused action keeps the typed note', () => {
  it('archive, disposisi and pull-back notes are shown read-only when the form is gone after a 409', async () => {
    // Archive: another verifier dispatched the report meanwhile.
    const a = await submitReport(t, 'Trotoar rusak di depan pasar pagi', { anonymous: true });
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const archiveOpen = await coord.get(`/kantor/laporan/${a}`);
    await verifyReport(t, coordToken, a, 'pupr-kaltim', category);
    const archiveNote = 'Laporan serupa sudah ditangani minggu lalu oleh kecamatan.';
    const archived = await coord.post(`/kantor/laporan/${a}/archive`, {
      _csrf: csrfOf(archiveOpen.html),
      reason: 'out_of_scope',
      archiveNote,
    });
    expect(archived.status).toBe(409);
    expect(archived.html).not.toContain(`action="/kantor/laporan/${a}/archive`);
    expect(unsent(archived.html)).toBe(archiveNote);

    // Pull-back: the agency acted on the dispatch meanwhile.
    const p = await submitReport(t, 'Lampu jalan padam di simpang empat', { anonymous: true });
    await verifyReport(t, coordToken, p, 'pupr-kaltim', category);
    const pullOpen = await coord.get(`/kantor/laporan/${p}`);
    expect(pullOpen.html).toContain(`action="/kantor/laporan/${p}/pull-back`);
    await actOk(
      t,
      p,
      'respond',
      { body: 'Tim sudah dijadwalkan memeriksa lampu.', final: false },
      { token: puprToken },
    );
    const pullNote = 'Salah kirim: ini urusan Dishub, bukan PUPR.';
    const pulled = await coord.post(`/kantor/laporan/${p}/pull-back`, {
      _csrf: csrfOf(pullOpen.html),
      pullBackNote: pullNote,
    });
    expect(pulled.status).toBe(409);
    expect(pulled.html).not.toContain(`action="/kantor/laporan/${p}/pull-back`);
    expect(unsent(pulled.html)).toBe(pullNote);

    // Disposisi: the reporter accepted the final answer meanwhile (the report is closed).
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Gorong-gorong tersumbat di gang mawar',
        body: 'Gorong-gorong tersumbat sampah sehingga air menggenang di gang mawar.',
        regionCode: '64.72.02',
        anonymous: true,
      },
    });
    expect(filed.status).toBe(201);
    const d = filed.body.trackingId as string;
    await verifyReport(t, coordToken, d, 'pupr-kaltim', category);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const disposeOpen = await pupr.get(`/kantor/laporan/${d}`);
    expect(disposeOpen.html).toContain(`action="/kantor/laporan/${d}/dispose`);
    await actOk(
      t,
      d,
      'respond',
      { body: 'Gorong-gorong sudah dibersihkan.', final: true },
      { token: puprToken },
    );
    await actOk(t, d, 'accept', { rating: 5 }, { accessKey: filed.body.accessKey });
    const disposeNote = 'Mohon Bina Marga cek ulang saluran di ujung gang.';
    const disposed = await pupr.post(`/kantor/laporan/${d}/dispose`, {
      _csrf: csrfOf(disposeOpen.html),
      unitId: 'pupr-kaltim-unit',
      disposeNote,
    });
    expect(disposed.status).toBe(409);
    expect(unsent(disposed.html)).toBe(disposeNote);
  });
});

describe('assignment and deactivated accounts', () => {
  it('a deactivated officer is not offered for assignment, cannot be assigned, and shows as deactivated', async () => {
    const id = await submitReport(t, 'Jalan amblas di depan kantor kelurahan', { anonymous: true });
    await verifyReport(t, coordToken, id, 'pupr-kaltim', category);
    await actOk(t, id, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: puprToken });
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await admin.get(`/kantor/laporan/${id}`);
    const officerId = /<option value="([0-9a-f-]{36})"[^>]*>Petugas Bina Marga \(Demo\)/.exec(page.html)?.[1];
    expect(officerId).toBeDefined();
    const assign = (assignee: string, csrf: string) =>
      admin.post(`/kantor/laporan/${id}/assign`, { _csrf: csrf, assignee });
    expect((await assign(officerId!, csrfOf(page.html))).status).toBe(303);

    // The PUPR admin deactivates the officer's account (left the office).
    const userPath = `/kantor/admin/pengguna/${officerId}`;
    const userPage = await admin.get(userPath);
    const off = await admin.post(`${userPath}/nonaktifkan`, { _csrf: csrfOf(userPage.html) });
    expect(off.status).toBe(303);

    const after = await admin.get(`/kantor/laporan/${id}`);
    expect(after.html).not.toContain(`<option value="${officerId}"`);
    expect(after.html).toContain('Petugas Bina Marga (Demo) (nonaktif)');
    // Unassigned, then assigned again by a stale form: refused on the field.
    expect((await assign('', csrfOf(after.html))).status).toBe(303);
    const refused = await assign(officerId!, csrfOf(after.html));
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Akun orang ini dinonaktifkan sehingga tidak dapat masuk');
    const back = await admin.get(userPath);
    expect((await admin.post(`${userPath}/aktifkan`, { _csrf: csrfOf(back.html) })).status).toBe(303);
  });
});

describe("a report's delivery log", () => {
  it("reads its times in the report's zone (WITA for Samarinda), not as WIB", async () => {
    const id = await submitReport(t, 'Sampah menumpuk di tepi sungai karang mumus', {
      anonymous: true,
      reporter: { email: 'pelapor.log@contoh.aduan.id' },
    });
    // The worker fans the submission out into per-recipient rows (no transport: they stay pending).
    await drainOutboxOnce(t.runtime.services);
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const log = await coord.get(`/kantor/laporan/${id}/pengiriman`);
    expect(log.status).toBe(200);
    // Rows are stamped by the database clock; whatever the instant, it reads in WITA.
    expect(log.html).toMatch(/notify\.submit[\s\S]*pukul \d{2}\.\d{2} WITA/);
    expect(log.html).not.toMatch(/pukul \d{2}\.\d{2} WIB/);
  });

  it('names recipients and messages in the page language, never in code English', async () => {
    const id = await submitReport(t, 'Pohon tumbang menutup jalan lingkungan', {
      anonymous: true,
      reporter: { email: 'pelapor.pohon@contoh.aduan.id' },
    });
    await drainOutboxOnce(t.runtime.services);
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const idPage = await coord.get(`/kantor/laporan/${id}/pengiriman`);
    expect(idPage.html).toContain('<td>Pelapor</td>');
    expect(idPage.html).toContain('<td>Petugas: Koordinator Diskominfo Kaltim (Demo)</td>');
    expect(idPage.html).toContain('Laporan diterima <code class="hint">notify.submit</code>');
    expect(idPage.html).not.toContain('staff: ');
    // Why a row waits: a known reason in words, not the stored English text.
    expect(idPage.html).toContain('Pengiriman email belum dikonfigurasi: kiriman ini menunggu.');
    expect(idPage.html).not.toContain('transport configured; kept pending');
    const en = await coord.get(`/kantor/laporan/${id}/pengiriman?lang=en`);
    expect(en.html).toContain('<td>Reporter</td>');
    expect(en.html).toContain('<td>Staff: Koordinator Diskominfo Kaltim (Demo)</td>');
    expect(en.html).not.toContain('pelapor.pohon@');
    expect(en.html).toContain('No email transport is configured: this delivery waits.');
    expect(en.html).not.toContain('transport configured; kept pending');
  });
});

describe("an anonim reporter's channels in the delivery log", () => {
  it('are shown to the verifier, who may see the reporter, and hidden from the agency', async () => {
    const id = await submitReport(t, 'Saluran air tersumbat di gang mawar', {
      anonymous: true,
      reporter: { phone: '081299990002' },
    });
    await verifyReport(t, coordToken, id, 'pupr-kaltim', category);
    await drainOutboxOnce(t.runtime.services);
    const reporterRows = (html: string) =>
      [...html.matchAll(/<tr>((?:(?!<\/tr>)[\s\S])*?<td>Pelapor<\/td>[\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const seen = reporterRows((await coord.get(`/kantor/laporan/${id}/pengiriman`)).html);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.includes('<td>sms</td>'))).toBe(true);
    // The verifier reads why the SMS waits, in words.
    expect(seen.some((r) => r.includes('Pengiriman sms belum dikonfigurasi'))).toBe(true);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}/pengiriman`);
    expect(page.status).toBe(200);
    const hidden = reporterRows(page.html);
    expect(hidden.length).toBe(seen.length);
    for (const r of hidden) {
      expect(r).toContain('<td>—</td>');
      expect(r).not.toContain('<td>sms</td>');
      // Nor does the reason name the channel, in either language.
      expect(r).not.toMatch(/sms|data-reason/i);
    }
    expect(page.html).not.toContain('081299990002');
    const pageEn = await pupr.get(`/kantor/laporan/${id}/pengiriman?lang=en`);
    const hiddenEn = [
      ...pageEn.html.matchAll(/<tr>((?:(?!<\/tr>)[\s\S])*?<td>Reporter<\/td>[\s\S]*?)<\/tr>/g),
    ].map((m) => m[1]!);
    expect(hiddenEn.length).toBe(seen.length);
    for (const r of hiddenEn) expect(r).not.toMatch(/sms|data-reason/i);
  });
});

describe('queue tab names', () => {
  it('the dispatched tab is "my agency/unit" only for agency staff; a coordinator oversees every agency', async () => {
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const overseen = await coord.get('/kantor?tab=dispatched');
    expect(overseen.html).toContain('<h2>Diteruskan ke instansi</h2>');
    expect(overseen.html).toContain('Laporan di lingkup Anda yang sedang ditangani instansi atau unitnya.');
    expect(overseen.html).not.toContain('instansi/unit saya');
    const national = await signInWeb(t.url, DEMO.national);
    expect((await national.get('/kantor?tab=dispatched&lang=en')).html).toContain(
      '<h2>Dispatched to agencies</h2>',
    );
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    expect((await pupr.get('/kantor?tab=dispatched')).html).toContain(
      '<h2>Diteruskan ke instansi/unit saya</h2>',
    );
  });
});

describe('queue paging', () => {
  it('a page past the end shows the last page, not an empty table under a counted tab', async () => {
    for (let i = 0; i < 3; i++)
      await submitReport(t, `Jalan berlubang di RT ${i + 1} Sungai Kunjang`, { anonymous: true });
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const past = await coord.get('/kantor?tab=verify&page=9');
    expect(past.status).toBe(200);
    expect(past.html).not.toContain('Tidak ada laporan di tab ini.');
    expect(past.html).not.toContain('Halaman 9');
    expect(past.html).toContain('Jalan berlubang di RT 1 Sungai Kunjang');
  });
});

describe('deadline badges', () => {
  it('a calendar-day clock counts down in days, not hari kerja', async () => {
    // A Perwali for Samarinda: verification within 2 calendar days (weekends count).
    const rule = await t.api('/api/v1/sla-rules', {
      json: {
        clock: 'verification',
        workingDays: 2,
        dayUnit: 'calendar',
        basis: 'Perwali Samarinda 7/2026 Pasal 4',
        validFrom: '2026-03-12',
        regionCode: '64.72',
      },
      token: coordToken,
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // Filed Thursday 12 March 10.00 WITA: due Saturday 14 March, two days on (one working day).
    const id = await submitReport(t, 'Pasar malam menutup jalan tanpa izin', { anonymous: true });
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain('14 Maret 2026');
    expect(page.html).toContain('2 hari lagi');
    expect(page.html).not.toContain('hari kerja lagi');
    const queue = await coord.get('/kantor?tab=verify&lang=en');
    expect(queue.html).toContain('2 days left');
  });
});

describe('merged duplicates', () => {
  it("the kept report's timeline names the duplicate merged into it", async () => {
    const kept = await submitReport(t, 'Banjir rob merendam jalan di Sungai Dama', { anonymous: true });
    await verifyReport(t, coordToken, kept, 'pupr-kaltim', category);
    const dup = await submitReport(t, 'Jalan di Sungai Dama terendam banjir rob', { anonymous: true });
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const open = await coord.get(`/kantor/laporan/${dup}?duplikat=${kept}`);
    const merged = await coord.post(`/kantor/laporan/${dup}/archive`, {
      _csrf: csrfOf(open.html),
      reason: 'duplicate',
      duplicateOf: kept,
    });
    expect(merged.status).toBe(303);
    expect((await coord.get(`/kantor/laporan/${kept}`)).html).toContain(
      `Digabung dari laporan ${dup} (0 pendukung dipindahkan)`,
    );
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    expect((await pupr.get(`/kantor/laporan/${kept}?lang=en`)).html).toContain(`Merged from report ${dup}`);
  });
});

describe('delivery log link', () => {
  it('the report page links its delivery log for staff who may open it, not for others', async () => {
    const id = await submitReport(t, 'Tiang listrik miring di depan sekolah', { anonymous: true });
    await verifyReport(t, coordToken, id, 'pupr-kaltim', category);
    const link = `href="/kantor/laporan/${id}/pengiriman?lang=id"`;
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain(link);
    expect(page.html).toContain('Log pengiriman pesan tentang laporan ini');
    expect((await pupr.get(`/kantor/laporan/${id}/pengiriman`)).status).toBe(200);
    // Dinkes reads the public report but may not note on it: no link (its log answers 403).
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await dinkes.get(`/kantor/laporan/${id}`)).html).not.toContain('/pengiriman');
    expect((await dinkes.get(`/kantor/laporan/${id}/pengiriman`)).status).toBe(403);
  });
});

describe('double submission', () => {
  it('the same form sent twice lands where the first did; a different step is still refused', async () => {
    const id = await submitReport(t, 'Drainase mampet di Jalan Pangeran Antasari', { anonymous: true });
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const open = await coord.get(`/kantor/laporan/${id}`);
    const verify = {
      _csrf: csrfOf(open.html),
      classification: 'pengaduan',
      categoryId: String(category),
      agencyId: 'pupr-kaltim',
      flags: 'anonymous',
    };
    const first = await coord.post(`/kantor/laporan/${id}/verify`, verify);
    expect(first.status).toBe(303);
    const again = await coord.post(`/kantor/laporan/${id}/verify`, verify);
    expect(again.status).toBe(303);
    expect(again.location).toBe(first.location);
    // Another agency in the repeated form is not the same step: refused as before.
    const other = await coord.post(`/kantor/laporan/${id}/verify`, { ...verify, agencyId: 'dinkes-kaltim' });
    expect(other.status).toBe(409);

    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}`);
    const back = { _csrf: csrfOf(page.html), returnNote: 'Bukan wewenang PUPR: saluran milik kota.' };
    const returned = await pupr.post(`/kantor/laporan/${id}/return`, back);
    expect(returned.status).toBe(303);
    const twice = await pupr.post(`/kantor/laporan/${id}/return`, back);
    expect(twice.status).toBe(303);
    expect(twice.location).toBe(returned.location);
    expect(twice.html).not.toContain('Teks Anda belum terkirim');
    // Only one return on the timeline.
    const events = await t.api(`/api/v1/reports/${id}/events`, { token: coordToken });
    const types = (events.body.items ?? events.body) as Array<{ type: string }>;
    expect(types.filter((e) => e.type === 'return')).toHaveLength(1);
    // Someone else's later attempt is a real conflict.
    const national = await signInWeb(t.url, DEMO.national);
    const late = await national.post(`/kantor/laporan/${id}/return`, {
      _csrf: csrfOf((await national.get(`/kantor/laporan/${id}`)).html),
      returnNote: 'Bukan wewenang PUPR: saluran milik kota.',
    });
    expect(late.status).toBe(409);
  });
});

describe('follow-up files on a refused form', () => {
  it('names the good files the officer must choose again when the text is refused', async () => {
    const id = await submitReport(t, 'Lampu taman kota mati total', { anonymous: true });
    await verifyReport(t, coordToken, id, 'pupr-kaltim', category);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}`);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0b5d4b' } })
      .png()
      .toBuffer();
    const fd = new FormData();
    fd.set('_csrf', csrfOf(page.html));
    fd.set('body', 'Ok');
    fd.set('kind', 'interim');
    fd.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto-lampu.png');
    const refused = await pupr.postMultipart(`/kantor/laporan/${id}/respond`, fd);
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Berkas belum terkirim, pilih lagi: foto-lampu.png.');
  });
});
