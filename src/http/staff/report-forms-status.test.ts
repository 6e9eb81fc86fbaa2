/**
 * The report page and the API offer only what the report's status allows (`permissionsNow`), and follow-ups are not
 * posted twice: a repeated submission of the same follow-up is refused, and once a final follow-up is out only a
 * corrected final may follow, so the reporter's review is never taken away by an interim one. Found by exploratory
 * testing (2026-11-29). Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
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
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let coord: string;
let pupr: string;
let category: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  category = await categoryIdByName(t);
});
afterAll(() => t?.close());

const dispatched = async (title: string) => {
  const id = await submitReport(t, title, { anonymous: true });
  await verifyReport(t, coord, id, 'pupr-kaltim', category);
  return id;
};
const forms = (html: string) =>
  [...html.matchAll(/<form[^>]*action="\/kantor\/laporan\/\d+\/(\w+)[?"]/g)].map((m) => m[1]);
const eventsOf = async (id: string, type: string) =>
  (
    await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${id} and e.type = ${type}`,
    )
  )[0]!.n;
const respondEvents = (id: string) => eventsOf(id, 'respond');

describe('forms and allowedActions follow the status', () => {
  it('a dispatched report offers the verifier no verify, hold or archive; a completed one offers the agency nothing to handle', async () => {
    const id = await dispatched('Saluran air tersumbat di depan sekolah dasar');
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get(`/kantor/laporan/${id}`);
    expect(page.status).toBe(200);
    expect(forms(page.html)).toContain('note');
    for (const action of ['verify', 'hold', 'archive']) expect(forms(page.html)).not.toContain(action);
    const asCoordinator = await t.api(`/api/v1/reports/${id}`, { token: coord });
    expect(asCoordinator.body.allowedActions).not.toContain('verify');
    expect(asCoordinator.body.allowedActions).toContain('note');

    await actOk(
      t,
      id,
      'respond',
      { body: 'Saluran sudah dibersihkan petugas.', final: true },
      { token: pupr },
    );
    const report = await t.api(`/api/v1/reports/${id}`, { token: pupr });
    expect(report.body.status).toBe('responded');
    // Responded: only a final follow-up (a correction) and notes; never dispose or return.
    expect(report.body.allowedActions).toEqual(expect.arrayContaining(['respond', 'note']));
    for (const action of ['dispose', 'return', 'verify'])
      expect(report.body.allowedActions).not.toContain(action);
    const agency = await signInWeb(t.url, DEMO.puprAdmin);
    const agencyPage = await agency.get(`/kantor/laporan/${id}`);
    expect(forms(agencyPage.html)).toContain('respond');
    expect(forms(agencyPage.html)).not.toContain('dispose');
    expect(forms(agencyPage.html)).not.toContain('return');
    // The follow-up form offers only a final one, and says why.
    expect(agencyPage.html).not.toContain('value="interim"');
    expect(agencyPage.html).toContain('hanya tindak lanjut akhir yang diperbaiki');
  });
});

describe('follow-ups', () => {
  it('the same follow-up sent twice is posted once; the second answer says so', async () => {
    const id = await dispatched('Lampu penerangan jalan padam sepanjang jalan utama');
    const body = { body: 'Lampu sudah diganti dan menyala kembali.', final: true };
    await actOk(t, id, 'respond', body, { token: pupr });
    const again = await t.api(`/api/v1/reports/${id}/actions/respond`, { json: body, token: pupr });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE_FOLLOW_UP');
    expect(again.body.error.translations.en.message).toContain('not posted twice');
    expect(await respondEvents(id)).toBe(1);

    // The web form sent twice (a double click): one follow-up.
    const other = await dispatched('Pohon tumbang menutup jalan desa');
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${other}`);
    const send = () => {
      const fd = new FormData();
      fd.append('_csrf', csrfOf(page.html));
      fd.append('kind', 'interim');
      fd.append('body', 'Tim sedang menuju lokasi dengan gergaji mesin.');
      return web.postMultipart(`/kantor/laporan/${other}/respond`, fd);
    };
    expect((await send()).status).toBe(303);
    const second = await send();
    expect(second.status).toBe(409);
    expect(second.html).toContain('tidak dikirim dua kali');
    expect(await respondEvents(other)).toBe(1);
    // A different follow-up is fine.
    await actOk(
      t,
      other,
      'respond',
      { body: 'Pohon sudah dipotong dan jalan dibuka.', final: false },
      { token: pupr },
    );
    expect(await respondEvents(other)).toBe(2);
  });

  it('a follow-up refused because the report changed meanwhile comes back with the typed text to copy', async () => {
    const id = await dispatched('Trotoar amblas di depan pasar kota');
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    // Meanwhile the report goes back to verification (returned as bukan wewenang by a colleague).
    await actOk(t, id, 'return', { note: 'Trotoar ini wewenang pemerintah kota.' }, { token: pupr });
    const typed = 'Tim sudah meninjau lokasi; perbaikan dijadwalkan minggu depan.';
    const fd = new FormData();
    fd.append('_csrf', csrfOf(page.html));
    fd.append('kind', 'interim');
    fd.append('body', typed);
    const late = await web.postMultipart(`/kantor/laporan/${id}/respond`, fd);
    expect(late.status).toBe(409);
    expect(late.html).not.toContain(`action="/kantor/laporan/${id}/respond"`);
    expect(late.html).toContain('Teks Anda belum terkirim');
    expect(late.html).toMatch(
      new RegExp(`<textarea[^>]*id="f-unsent"[^>]*readonly[^>]*>${typed}</textarea>`),
    );
    expect(await respondEvents(id)).toBe(0);
  });

  it('the same internal note sent twice by one person is added once; the same words by someone else are added', async () => {
    const id = await dispatched('Saluran air tersumbat di depan puskesmas');
    const note = { body: 'Mohon cek ulang lokasi, alamat kurang jelas.' };
    await actOk(t, id, 'note', note, { token: pupr });
    const again = await t.api(`/api/v1/reports/${id}/actions/note`, { json: note, token: pupr });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE_NOTE');
    expect(again.body.error.translations.en.message).toContain('not added twice');
    expect(await eventsOf(id, 'note')).toBe(1);
    await actOk(t, id, 'note', note, { token: coord });
    expect(await eventsOf(id, 'note')).toBe(2);
  });

  it('after the final follow-up an interim one is refused, a corrected final is accepted and restarts the review', async () => {
    const id = await dispatched('Jembatan kayu retak di kampung nelayan');
    await actOk(t, id, 'respond', { body: 'Jembatan sudah diperkuat.', final: true }, { token: pupr });
    const interim = await t.api(`/api/v1/reports/${id}/actions/respond`, {
      json: { body: 'Tambahan: papan akan diganti minggu depan.', final: false },
      token: pupr,
    });
    expect(interim.status).toBe(409);
    expect(interim.body.error.code).toBe('ILLEGAL_TRANSITION');
    const corrected = await t.api(`/api/v1/reports/${id}/actions/respond`, {
      json: { body: 'Jembatan sudah diperkuat dan papan lapuk diganti.', final: true },
      token: pupr,
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.status).toBe('responded');
    expect(await respondEvents(id)).toBe(2);
  });
});

describe('refused forms in the back office', () => {
  it('keep the back-office menu and lead back to the report (a stale return form, a refused one)', async () => {
    const id = await dispatched('Trotoar amblas di depan kantor pos');
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    const form = { _csrf: csrfOf(page.html), returnNote: 'Trotoar ini kewenangan pemerintah kota.' };
    expect((await web.post(`/kantor/laporan/${id}/return`, form)).status).toBe(303);
    // Stale (already returned; another note, so not the same form sent twice, which lands where the first did):
    // the 409 of any illegal transition, on the report page itself.
    const stale = await web.post(`/kantor/laporan/${id}/return`, {
      ...form,
      returnNote: 'Trotoar ini kewenangan Dinas PUPR kota, bukan provinsi.',
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('Tindakan ini tidak dapat dilakukan pada status laporan saat ini.');
    expect(stale.html).toContain('href="/kantor/lapor-langsung"'); // the back-office menu
    expect(stale.html).toContain('<a class="back-link" href="/kantor">');
    expect(stale.html).not.toContain('href="/lacak"');
    // Refused (another agency's report): the error page, with the menu and the way back to the report.
    const other = await dispatched('Drainase tersumbat di depan kantor pos');
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    const otherPage = await dinkes.get(`/kantor/laporan/${other}`);
    const refused = await dinkes.post(`/kantor/laporan/${other}/return`, {
      _csrf: csrfOf(otherPage.html),
      returnNote: 'Ini bukan laporan kami sama sekali.',
    });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('href="/kantor/lapor-langsung"');
    expect(refused.html).toContain(`href="/kantor/laporan/${other}"`);
    expect(refused.html).toContain('Ke antrean laporan');
    expect(refused.html).not.toContain('href="/lacak"');
  });
});
