/**
 * Back-office notices and names (QA audit), over real HTTP with cookie sessions and CSRF on a real database:
 *
 * - a return (bukan wewenang) from the report page lands on the queue with a notice saying the report went back to
 *   the verifier (the queue no longer lists it, and the notice does not name it); a pull-back ("Tarik kembali ke
 *   verifikasi") lands on the report page with its own notice; other actions keep the generic one;
 * - the holiday calendar names a regional holiday's region with its code ("Kota Balikpapan (64.71)").
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
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let coord: string;
let catRoads: number;

const submit = (title: string) => submitReport(t, title, { reporter: { name: 'Warga Sintetis' } });

/** The success notice of a page (none: undefined). */
const noticeOf = (html: string) => /<p class="notice-ok" role="status">([^<]*)<\/p>/.exec(html)?.[1];

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  catRoads = await categoryIdByName(t);
});
afterAll(() => t?.close());

describe('notices after a return and a pull-back', () => {
  it('a return lands on the queue with a notice that does not name the report', async () => {
    const id = await submit('Puskesmas pembantu tutup pada jam pelayanan');
    await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}`);
    const r = await pupr.post(`/kantor/laporan/${id}/return?lang=id`, {
      _csrf: csrfOf(page.html),
      returnNote: 'Layanan puskesmas adalah wewenang Dinas Kesehatan.',
      suggestedAgencyId: 'dinkes-kaltim',
    });
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    expect(r.location).toBe('/kantor?tab=dispatched&selesai=kembali&lang=id');
    const queue = await pupr.get(r.location!);
    expect(queue.status).toBe(200);
    expect(noticeOf(queue.html)).toBe(
      'Laporan dikembalikan ke verifikator sebagai bukan wewenang. Verifikator akan meneruskannya ke instansi yang berwenang.',
    );
    // The agency lost sight of it: neither the rows nor the notice name it.
    expect(queue.html).not.toContain(id);
    const en = await pupr.get('/kantor?tab=dispatched&selesai=kembali&lang=en');
    expect(noticeOf(en.html)).toBe(
      'The report was returned to the verifier as not your authority. The verifier will pass it to the agency that is responsible.',
    );
    // Only after a return: the plain queue and an unknown value show nothing.
    expect(noticeOf((await pupr.get('/kantor?tab=dispatched')).html)).toBeUndefined();
    expect(noticeOf((await pupr.get('/kantor?tab=dispatched&selesai=lain')).html)).toBeUndefined();
  });

  it('a pull-back lands on the report page with its own notice; other actions keep the generic one', async () => {
    const id = await submit('Aspal jalan mengelupas di depan pasar kecamatan');
    await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain(`action="/kantor/laporan/${id}/pull-back?lang=id"`);
    const r = await c.post(`/kantor/laporan/${id}/pull-back?lang=id`, {
      _csrf: csrfOf(page.html),
      pullBackNote: 'Salah pilih instansi.',
    });
    expect(r.status, r.html.slice(0, 300)).toBe(303);
    expect(r.location).toBe(`/kantor/laporan/${id}?selesai=tarik&lang=id`);
    const after = await c.get(r.location!);
    expect(noticeOf(after.html)).toBe(
      'Laporan ditarik kembali ke verifikasi. Instansi tidak lagi memegangnya; verifikasi ulang laporan ini dan pilih instansi yang tepat.',
    );
    const en = await c.get(`/kantor/laporan/${id}?selesai=tarik&lang=en`);
    expect(noticeOf(en.html)).toBe(
      'The report was pulled back to verification. The agency no longer holds it; verify it again and choose the right agency.',
    );
    // Another action (an internal note) keeps the generic notice; no `selesai`, no notice.
    const note = await c.post(`/kantor/laporan/${id}/note?lang=id`, {
      _csrf: csrfOf(page.html),
      noteBody: 'Akan diverifikasi ulang ke Dinas Kesehatan.',
    });
    expect(note.location).toBe(`/kantor/laporan/${id}?selesai=1&lang=id`);
    expect(noticeOf((await c.get(note.location!)).html)).toBe('Tindakan berhasil disimpan.');
    expect(noticeOf((await c.get(`/kantor/laporan/${id}`)).html)).toBeUndefined();
  });
});

describe('holiday calendar', () => {
  it('names the region of a regional holiday, with its code', async () => {
    const c = await signInWeb(t.url, DEMO.coordinator);
    const cal = await c.get('/kantor/admin/kalender?tahun=2026');
    const added = await c.post('/kantor/admin/kalender', {
      _csrf: csrfOf(cal.html),
      date: '2026-12-03',
      name: 'Hari jadi Kota Balikpapan (contoh)',
      regionCode: '64.71',
    });
    expect(added.status, added.html.slice(0, 300)).toBe(303);
    const cell = (html: string, code: string) =>
      new RegExp(`<td data-label="[^"]*" data-region="${code.replace('.', '\\.')}">([^<]*)</td>`).exec(
        html,
      )?.[1];
    for (const [who, lang, national] of [
      [c, 'id', 'Nasional'],
      [await signInWeb(t.url, DEMO.national), 'en', 'National'],
    ] as const) {
      const page = await who.get(`/kantor/admin/kalender?tahun=2026&lang=${lang}`);
      expect(page.status).toBe(200);
      expect(cell(page.html, '64.71')).toBe('Kota Balikpapan (64.71)');
      // The table's region column no longer shows a bare code; national entries say so.
      expect(page.html).not.toMatch(/<td[^>]*>64\.71<\/td>/);
      expect(page.html).toMatch(new RegExp(`<td data-label="[^"]*">${national}</td>`));
    }
  });
});

describe('holiday calendar: national entries', () => {
  it('the national admin adds cuti bersama and a kab/kota holiday on the page; coordinators only regional ones', async () => {
    const nat = await signInWeb(t.url, DEMO.national);
    const cal = await nat.get('/kantor/admin/kalender?tahun=2026');
    expect(cal.html).toContain('Tambah hari libur</');
    expect(cal.html).toMatch(/<option value="cuti_bersama"/);
    // Kab/kota are offered to the national admin too.
    expect(cal.html).toMatch(/<option value="64\.71"/);
    const post = (who: typeof nat, html: string, body: Record<string, string>) =>
      who.post('/kantor/admin/kalender', { _csrf: csrfOf(html), ...body });
    const cuti = await post(nat, cal.html, {
      date: '2026-12-24',
      name: 'Cuti Bersama Hari Raya Natal (uji)',
      kind: 'cuti_bersama',
      regionCode: '',
    });
    expect(cuti.status, cuti.html.slice(0, 300)).toBe(303);
    const kota = await post(nat, cal.html, {
      date: '2026-12-04',
      name: 'Hari jadi Kota Balikpapan (uji)',
      kind: 'regional',
      regionCode: '64.71',
    });
    expect(kota.status).toBe(303);
    // The same date and region again: saved, and the notice says the name was replaced.
    const again = await post(nat, cal.html, {
      date: '2026-12-04',
      name: 'Ulang tahun Kota Balikpapan (uji)',
      kind: 'regional',
      regionCode: '64.71',
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toContain('diganti=1');
    const after = await nat.get(again.headers.get('location')!);
    expect(after.html).toContain('namanya diganti');
    expect(after.html).toContain('Cuti Bersama Hari Raya Natal (uji)');
    expect(after.html).toContain('Ulang tahun Kota Balikpapan (uji)');
    expect(after.html).not.toContain('Hari jadi Kota Balikpapan (uji)');
    const badKind = await post(nat, cal.html, {
      date: '2026-12-28',
      name: 'Libur uji',
      kind: 'libur_kantor',
    });
    expect(badKind.status).toBe(422);
    expect(badKind.html).toContain('#f-kind');
    // A coordinator's form has no kind, and a national kind sent anyway is refused.
    const c = await signInWeb(t.url, DEMO.coordinator);
    const coordCal = await c.get('/kantor/admin/kalender?tahun=2026');
    expect(coordCal.html).not.toContain('name="kind"');
    const national = await post(c, coordCal.html, {
      date: '2026-12-29',
      name: 'Libur nasional uji',
      kind: 'libur_nasional',
    });
    expect(national.status).toBe(403);
  });
});

describe('queue dates', () => {
  it("the received date is the report's local date (a WITA morning is not the UTC day before)", async () => {
    // 02:44 WITA on 13 March is 18:44 UTC on 12 March.
    t.setNow(new Date('2026-03-12T18:44:00Z'));
    try {
      const id = await submit('Lampu penerangan jalan mati sejak sepekan');
      const queue = await (await signInWeb(t.url, DEMO.coordinator)).get('/kantor?tab=verify&urutan=newest');
      expect(queue.status).toBe(200);
      const row = new RegExp(`${id}[\\s\\S]*?</tr>`).exec(queue.html)?.[0] ?? '';
      expect(row).toMatch(/data-label="Diterima">13 Maret 2026</);
    } finally {
      t.setNow(new Date('2026-03-12T02:00:00Z'));
    }
  });
});
