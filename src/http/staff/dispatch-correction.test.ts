/**
 * Correcting a dispatch, over real HTTP with cookie sessions and CSRF on a real database (synthetic texts):
 *
 * - M3, a returned report: the agency's return form names the right agency (`suggestedAgencyId`); the verifier's
 *   panel starts with the latest return (who, when, the note, the agency named, with a pick link); the agency that
 *   returned it is marked in the suggestions without a pick link, and dispatching there again needs
 *   `confirmRedispatch` (422 without it, page and API).
 * - M2, a wrong manual dispatch: the verify form marks agencies nobody could handle a report in and refuses them
 *   without `confirmUnstaffed`; the verifier pulls a dispatch back to verification while the agency has not acted
 *   (page form and `POST /api/v1/reports/{id}/actions/pull-back`): a hash-chained `return` event by the coordinator
 *   with `pullBack`, the verification clock, the verify queue; 403/404/409/422 like other actions.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';
import { HEALTH, ROADS } from '../../../test/helpers/routing-corpus.ts';
import { trainRoutingModels } from '../../commands/train-routing.ts';
import { query } from '../../db/client.ts';
import { verifyChains } from '../../db/repositories/events.ts';

let t: TestApp;
let coord: string;
let catRoads: number;
let catHealth: number;

const submit = (title: string) =>
  submitReport(t, title, {
    body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang, sudah berminggu-minggu.`,
    reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' },
  });

/** The latest event of a report. */
async function lastEvent(trackingId: string) {
  const [ev] = await query<{
    type: string;
    actor_role: string;
    actor_agency_id: string | null;
    data: Record<string, unknown>;
    prev_hash: string | null;
  }>(
    t.runtime.services.db,
    sql`select e.type, e.actor_role, e.actor_agency_id, e.data, e.prev_hash from report_events e
          join reports r on r.id = e.report_id where r.tracking_id = ${trackingId} order by e.seq desc limit 1`,
  );
  return ev!;
}

const status = async (id: string) => (await t.api(`/api/v1/reports/${id}`, { token: coord })).body;

/** The `<li>` of one suggestion. */
function suggestionItem(html: string, key: string): string {
  const m = new RegExp(`<li[^>]*data-suggestion="${key}"[\\s\\S]*?</li>`).exec(html);
  expect(m, key).toBeTruthy();
  return m![0];
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verifyReport(t, coord, await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verifyReport(t, coord, await submit(title), 'dinkes-kaltim', catHealth);
  const results = await trainRoutingModels(t.runtime.services, {
    cvMaxRows: 0,
    kinds: ['agency', 'category'],
  });
  expect(results.map((r) => r.status)).toEqual(['trained', 'trained']);
}, 180_000);
afterAll(() => t?.close());

describe('M3: a returned report on the verification screen', () => {
  it('the return names the right agency; the verifier sees who returned it, and re-dispatching needs a confirmation', async () => {
    const id = await submit('Jalan berlubang besar dan aspal rusak di depan puskesmas pembantu');
    await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);

    // The agency's return form offers the agencies the API accepts for suggestedAgencyId (not the Ombudsman).
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await pupr.get(`/kantor/laporan/${id}`);
    const returnForm = /<form[^>]*action="\/kantor\/laporan\/\d+\/return[\s\S]*?<\/form>/.exec(page.html)![0];
    expect(returnForm).toContain('Instansi yang berwenang (saran)');
    expect(returnForm).toMatch(/<select[^>]*name="suggestedAgencyId"/);
    expect(returnForm).toMatch(/<option value="dinkes-kaltim"/);
    expect(returnForm).not.toMatch(/<option value="ombudsman-kaltim"/);
    // Nor the returning agency itself, or its units.
    expect(returnForm).not.toMatch(/<option value="pupr-kaltim"/);
    expect(returnForm).not.toMatch(/<option value="pupr-kaltim-unit"/);
    // CSRF is required; an agency that cannot be named is a field error with the typed note kept.
    expect(
      (await pupr.post(`/kantor/laporan/${id}/return`, { returnNote: 'Bukan wewenang kami.' })).status,
    ).toBe(403);
    const bad = await pupr.post(`/kantor/laporan/${id}/return`, {
      _csrf: csrfOf(page.html),
      returnNote: 'Jalan ini jalan kota, bukan jalan provinsi.',
      suggestedAgencyId: 'ombudsman-kaltim',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-suggestedAgencyId"');
    expect(bad.html).toContain('Jalan ini jalan kota, bukan jalan provinsi.');
    // An empty note and a wrong agency: both errors at once, not one per try.
    const both = await pupr.post(`/kantor/laporan/${id}/return`, {
      _csrf: csrfOf(page.html),
      returnNote: '',
      suggestedAgencyId: 'ombudsman-kaltim',
    });
    expect(both.status).toBe(422);
    expect(both.html).toContain('href="#f-suggestedAgencyId"');
    expect(both.html).toContain('href="#f-returnNote"');
    const returned = await pupr.post(`/kantor/laporan/${id}/return`, {
      _csrf: csrfOf(page.html),
      returnNote: 'Yang rusak akses ke puskesmas pembantu; mohon diteruskan ke Dinkes.',
      suggestedAgencyId: 'dinkes-kaltim',
    });
    expect(returned.status, returned.html.slice(0, 300)).toBe(303);
    expect((await lastEvent(id)).data).toMatchObject({
      fromAgencyId: 'pupr-kaltim',
      suggestedAgencyId: 'dinkes-kaltim',
    });

    const c = await signInWeb(t.url, DEMO.coordinator);
    const v = await c.get(`/kantor/laporan/${id}`);
    expect(v.status).toBe(200);
    // The latest return opens the verification panel, above the similar reports and the suggestions.
    const panel = /<section[^>]*data-slot="latest-return"[\s\S]*?<\/section>/.exec(v.html)?.[0] ?? '';
    expect(panel).toContain('Dikembalikan sebagai bukan wewenang');
    expect(panel).toMatch(/data-returned-by="pupr-kaltim">Dinas Pekerjaan Umum dan Penataan Ruang Provinsi/);
    expect(panel).toContain('12 Maret 2026');
    expect(panel).toContain('Yang rusak akses ke puskesmas pembantu; mohon diteruskan ke Dinkes.');
    expect(panel).toMatch(/data-suggested-agency="dinkes-kaltim"><strong>Dinas Kesehatan Provinsi/);
    expect(panel).toContain(`href="/kantor/laporan/${id}?instansi=dinkes-kaltim&amp;lang=id#h-verify"`);
    expect(v.html.indexOf('data-slot="latest-return"')).toBeLessThan(
      v.html.indexOf('data-slot="similar-reports"'),
    );
    expect(v.html.indexOf('data-slot="latest-return"')).toBeLessThan(v.html.indexOf('id="h-suggest"'));
    // PUPR is still suggested (the model learns from the return only at its next training), but marked and not
    // offered as a pick; Dinkes keeps its link.
    const puprItem = suggestionItem(v.html, 'agency:pupr-kaltim');
    expect(puprItem).toContain('data-returned="true"');
    expect(puprItem).toContain('sudah mengembalikan laporan ini');
    expect(puprItem).not.toContain('Pakai di formulir');
    expect(v.html).not.toContain('?instansi=pupr-kaltim');
    expect(suggestionItem(v.html, 'agency:dinkes-kaltim')).toContain('Pakai di formulir');
    // One link takes the top suggestions into the form at once, passing over the agency that returned it.
    const topHref = /<a href="([^"]+)" data-slot="use-top-suggestions">/
      .exec(v.html)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(topHref, 'use-top-suggestions link').toBeTruthy();
    expect(topHref).not.toContain('pupr-kaltim');
    const top = await c.get(topHref!.replace(/#.*$/, ''));
    expect(top.html).toMatch(/<option value="[^"]+"[^>]*selected/);
    expect(top.html).not.toMatch(/<option value="pupr-kaltim"[^>]*selected/);
    expect(top.html).toMatch(/name="categoryId"[\s\S]*?<option value="\d+"[^>]*selected/);
    // The verify form marks it too and asks for the confirmation.
    expect(v.html).toMatch(/<option value="pupr-kaltim"[^>]*>[^<]*\(sudah mengembalikan laporan ini\)/);
    expect(v.html).toContain('name="confirmRedispatch"');
    const en = await c.get(`/kantor/laporan/${id}?lang=en`);
    expect(en.html).toContain('Returned as not their authority');
    expect(suggestionItem(en.html, 'agency:pupr-kaltim')).toContain('already returned this report');

    // The picked suggestion of the return pre-selects Dinkes.
    const picked = await c.get(`/kantor/laporan/${id}?instansi=dinkes-kaltim`);
    expect(picked.html).toMatch(/<option value="dinkes-kaltim"[^>]*selected/);

    // Back to PUPR without the confirmation: 422 on the checkbox, in the page and in the API (both languages).
    const again = await c.post(`/kantor/laporan/${id}/verify?lang=id`, {
      _csrf: csrfOf(v.html),
      classification: 'pengaduan',
      categoryId: String(catRoads),
      agencyId: 'pupr-kaltim',
    });
    expect(again.status).toBe(422);
    expect(again.html).toContain('href="#f-confirmRedispatch"');
    expect(again.html).toContain('Dinas PUPR Kaltim sudah mengembalikan laporan ini sebagai bukan wewenang');
    const api = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      token: coord,
      json: { categoryId: catRoads, agencyId: 'pupr-kaltim' },
    });
    expect(api.status).toBe(422);
    expect(api.body.error.fields.confirmRedispatch).toContain('sudah mengembalikan laporan ini');
    expect(api.body.error.translations.en.fields.confirmRedispatch).toContain('already returned this report');
    expect((await status(id)).status).toBe('returned');

    // Deliberately, with the confirmation: dispatched.
    const ok = await c.post(`/kantor/laporan/${id}/verify?lang=id`, {
      _csrf: csrfOf(v.html),
      classification: 'pengaduan',
      categoryId: String(catRoads),
      agencyId: 'pupr-kaltim',
      confirmRedispatch: '1',
    });
    expect(ok.status, ok.html.slice(0, 300)).toBe(303);
    expect(await status(id)).toMatchObject({ status: 'dispatched' });

    // The API's confirmation, on a second return.
    await actOk(
      t,
      id,
      'return',
      { note: 'Sekali lagi: bukan wewenang PUPR.' },
      { token: await t.login(DEMO.puprAdmin) },
    );
    await actOk(
      t,
      id,
      'verify',
      { categoryId: catRoads, agencyId: 'pupr-kaltim', confirmRedispatch: true },
      { token: coord },
    );
    // Another agency needs no confirmation.
    await actOk(
      t,
      id,
      'return',
      { note: 'Tetap bukan wewenang PUPR.' },
      { token: await t.login(DEMO.puprAdmin) },
    );
    await actOk(t, id, 'verify', { categoryId: catHealth, agencyId: 'dinkes-kaltim' }, { token: coord });
  });
});

describe('M2: a wrong manual dispatch', () => {
  it('the verify form warns about an agency without staff and refuses it without the confirmation', async () => {
    const id = await submit('Jalan rusak berlubang di kelurahan belum diperbaiki');
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${id}`);
    expect(page.html).toMatch(/<option value="pemkab-balikpapan"[^>]*>[^<]*\(belum ada petugas\)/);
    expect(page.html).not.toMatch(/<option value="pupr-kaltim"[^>]*>[^<]*\(belum ada petugas\)/);
    // Picked (here through the query, as a suggestion link would), the form shows the warning with its checkbox.
    const picked = await c.get(`/kantor/laporan/${id}?instansi=pemkab-balikpapan`);
    expect(picked.html).toContain('data-slot="unstaffed-warning"');
    expect((await c.get(`/kantor/laporan/${id}?instansi=pupr-kaltim`)).html).not.toContain(
      'data-slot="unstaffed-warning"',
    );
    const refused = await c.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: String(catRoads),
      agencyId: 'pemkab-balikpapan',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('href="#f-confirmUnstaffed"');
    expect(refused.html).toContain('belum punya petugas yang dapat menindaklanjuti laporan');
    expect(refused.html).toContain('data-slot="unstaffed-warning"');
    const api = await t.api(`/api/v1/reports/${id}/actions/verify?lang=en`, {
      token: coord,
      json: { categoryId: catRoads, agencyId: 'pemkab-balikpapan' },
    });
    expect(api.status).toBe(422);
    expect(api.body.error.fields.confirmUnstaffed).toContain('has no staff');
    expect((await status(id)).status).toBe('submitted');
    const ok = await c.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: String(catRoads),
      agencyId: 'pemkab-balikpapan',
      confirmUnstaffed: '1',
    });
    expect(ok.status, ok.html.slice(0, 300)).toBe(303);
    expect(await status(id)).toMatchObject({ status: 'dispatched' });
  });

  it('the verifier pulls it back to verification from the report page', async () => {
    const id = await submit('Aspal jalan mengelupas di depan pasar kecamatan');
    await actOk(
      t,
      id,
      'verify',
      { categoryId: catRoads, agencyId: 'pemkab-balikpapan', confirmUnstaffed: true },
      { token: coord },
    );
    // The coordinator may (escalate and note were all it had). The public report is open to the PUPR admin and the
    // Balikpapan coordinator, but they are not its verifiers: no form, 403.
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain(`action="/kantor/laporan/${id}/pull-back?lang=id"`);
    expect(page.html).toContain('Tarik kembali ke verifikasi');
    expect((await c.get(`/kantor/laporan/${id}?lang=en`)).html).toContain('Pull back to verification');
    for (const who of [DEMO.puprAdmin, DEMO.balikpapanCoordinator]) {
      const other = await signInWeb(t.url, who);
      const seen = await other.get(`/kantor/laporan/${id}`);
      expect(seen.html).not.toContain('/pull-back');
      const r = await other.post(`/kantor/laporan/${id}/pull-back`, {
        _csrf: csrfOf(seen.html),
        pullBackNote: 'Coba tarik.',
      });
      expect(r.status).toBe(403);
    }
    // CSRF, then the reason is required (the form keeps the page).
    expect(
      (await c.post(`/kantor/laporan/${id}/pull-back`, { pullBackNote: 'Salah instansi.' })).status,
    ).toBe(403);
    const noNote = await c.post(`/kantor/laporan/${id}/pull-back?lang=id`, { _csrf: csrfOf(page.html) });
    expect(noNote.status).toBe(422);
    expect(noNote.html).toContain('href="#f-pullBackNote"');
    expect((await status(id)).status).toBe('dispatched');

    const done = await c.post(`/kantor/laporan/${id}/pull-back?lang=id`, {
      _csrf: csrfOf(page.html),
      pullBackNote: 'Salah pilih instansi: Pemkab Balikpapan belum punya petugas di aduan.',
    });
    expect(done.status, done.html.slice(0, 300)).toBe(303);
    expect(done.location).toBe(`/kantor/laporan/${id}?selesai=tarik&lang=id`);
    const report = await status(id);
    expect(report.status).toBe('returned');
    expect(report.deadline.clock).toBe('verification');
    const ev = await lastEvent(id);
    expect(ev).toMatchObject({
      type: 'return',
      actor_role: 'coordinator',
      actor_agency_id: 'diskominfo-kaltim',
      data: {
        fromAgencyId: 'pemkab-balikpapan',
        pullBack: 'dispatch',
        note: 'Salah pilih instansi: Pemkab Balikpapan belum punya petugas di aduan.',
      },
    });
    expect(ev.prev_hash).toBeTruthy();
    expect((await verifyChains(t.runtime.services.db)).problems).toEqual([]);
    // Back in the verify queue; the panel says it was pulled back, and Pemkab Balikpapan is not marked as having
    // returned it (the agency never refused it).
    expect((await c.get('/kantor?tab=verify')).html).toContain(id);
    const after = await c.get(`/kantor/laporan/${id}?lang=id`);
    const panel = /<section[^>]*data-slot="latest-return"[\s\S]*?<\/section>/.exec(after.html)?.[0] ?? '';
    expect(panel).toContain('Ditarik kembali ke verifikasi');
    expect(panel).toContain('data-returned-by="pemkab-balikpapan"');
    expect(after.html).not.toContain('name="confirmRedispatch"');
    expect(after.html).not.toContain(`/kantor/laporan/${id}/pull-back`);
    // The right agency now, without a redispatch confirmation.
    await actOk(t, id, 'verify', { categoryId: catRoads, agencyId: 'pupr-kaltim' }, { token: coord });
  });

  it('the API: 200 while the agency has not acted, then 409; 403/404/422 like other actions', async () => {
    // Confidential, so only staff in scope see it.
    const id = await submitReport(t, 'Lubang besar di jalan menuju pelabuhan belum ditambal', {
      confidential: true,
      reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' },
    });
    await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
    const pull = async (token: string, note = 'Salah instansi, ditarik kembali.') =>
      t.api(`/api/v1/reports/${id}/actions/pull-back`, { token, json: { note } });
    // The PUPR admin sees it but is no verifier (it returns instead): 403. Others do not see it (the unit's officer
    // neither, before a disposisi): 404.
    expect((await pull(await t.login(DEMO.puprAdmin))).status).toBe(403);
    expect((await pull(await t.login(DEMO.puprOfficer))).status).toBe(404);
    expect((await pull(await t.login(DEMO.dinkesAdmin))).status).toBe(404);
    expect((await pull(await t.login(DEMO.balikpapanCoordinator))).status).toBe(404);
    expect((await t.api(`/api/v1/reports/${id}/actions/pull-back`, { json: { note: 'x' } })).status).toBe(
      404,
    );
    const empty = await pull(coord, '   ');
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.error.fields)).toEqual(['note']);
    const ok = await pull(coord);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('returned');
    expect((await pull(coord)).status).toBe(409);

    // Once the agency acted (a disposisi, status still `dispatched`), the verifier can no longer pull it back.
    await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
    await actOk(t, id, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: await t.login(DEMO.puprAdmin) });
    const late = await pull(coord);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('AGENCY_ALREADY_ACTED');
    expect(late.body.error.message).toContain('Instansi sudah menindaklanjuti laporan ini');
    expect((await status(id)).status).toBe('dispatched');
    const c = await signInWeb(t.url, DEMO.coordinator);
    expect((await c.get(`/kantor/laporan/${id}`)).html).not.toContain(`/kantor/laporan/${id}/pull-back`);
    // The national admin (who verifies everywhere) may pull back another untouched dispatch.
    const other = await submit('Jembatan kayu rapuh di jalan desa membahayakan warga');
    await verifyReport(t, coord, other, 'pupr-kaltim', catRoads);
    const national = await t.api(`/api/v1/reports/${other}/actions/pull-back`, {
      token: await t.login(DEMO.national),
      json: { note: 'Ditarik untuk diteruskan ulang.' },
    });
    expect(national.status, JSON.stringify(national.body)).toBe(200);
    expect(await lastEvent(other)).toMatchObject({
      actor_role: 'national_admin',
      data: { pullBack: 'dispatch' },
    });
  });
});
