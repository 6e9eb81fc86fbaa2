/**
 * The auto-dispatch admin page (`/kantor/admin/rute-otomatis`) over real HTTP with cookie sessions: who may see
 * it (admin roles; officers and citizens 403, signed-out visitors to sign-in), who may change what (instance rule:
 * national admin only; an agency rule: whoever manages that agency, 403 outside it), bilingual 422s that keep the
 * input, CSRF, the list of recent auto-dispatches scoped to the agencies one manages, and reversing one through
 * the bukan-wewenang return (hash-chained `return` event) by whoever manages the dispatched agency or has the
 * return right (404 out of scope, 403 for officers); a kementerian/lembaga office's auto-dispatches are not the
 * region's coordinator's (not listed, no rule choice, no pull-back).
 * Synthetic texts only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { HEALTH, ROADS } from '../../../test/helpers/routing-corpus.ts';
import { autoDispatchPending, autoDispatchSettings } from '../../commands/auto-dispatch.ts';
import { trainRoutingModels } from '../../commands/train-routing.ts';
import { query } from '../../db/client.ts';
import { verifyChains } from '../../db/repositories/events.ts';

const PAGE = '/kantor/admin/rute-otomatis';
let t: TestApp;
let coord: string;

const submit = (title: string) =>
  submitReport(t, title, { reporter: { name: 'Warga Sintetis', email: 'warga.sintetis@contoh.aduan.id' } });
const verify = (id: string, agencyId: string, categoryId: number) =>
  verifyReport(t, coord, id, agencyId, categoryId);

/** POST a form of the page with the CSRF token read from it. */
async function postForm(c: WebClient, path: string, form: Record<string, string>, from = PAGE) {
  const page = await c.get(from);
  return c.post(path, { _csrf: csrfOf(page.html), ...form });
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  const [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verify(await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verify(await submit(title), 'dinkes-kaltim', catHealth);
  await trainRoutingModels(t.runtime.services, { cvMaxRows: 0, kinds: ['agency', 'category'] });
}, 180_000);
afterAll(() => t?.close());

describe('auto-dispatch admin page', () => {
  it('admin roles only; the instance form only for the national admin; agency choices in scope', async () => {
    const anon = await new WebClient(t.url).get(PAGE);
    expect(anon.status).toBe(303);
    expect(anon.location).toContain('/masuk?next=');
    expect((await (await signInWeb(t.url, DEMO.puprOfficer)).get(PAGE)).status).toBe(403);
    expect((await (await signInWeb(t.url, DEMO.citizen)).get(PAGE)).status).toBe(403);

    const national = await (await signInWeb(t.url, DEMO.national)).get(PAGE);
    expect(national.status).toBe(200);
    expect(national.html).toContain('<h1>Penerusan otomatis</h1>');
    expect(national.html).toContain('Saat ini: nonaktif.');
    // The instance's radios show that state; the agency form, with no agency chosen yet, preselects nothing.
    expect(national.html).toMatch(/<input[^>]*name="instanceEnabled"[^>]*value="off"[^>]*checked/);
    expect(national.html).not.toMatch(/<input[^>]*name="instanceEnabled"[^>]*value="on"[^>]*checked/);
    expect(national.html).not.toMatch(/<input[^>]*name="agencyEnabled"[^>]*checked/);
    expect(national.html).toContain(`action="${PAGE}/instans?lang=id"`);
    expect(national.html).toMatch(/<option value="dinkes-kaltim"/);

    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const cp = await coordinator.get(PAGE);
    expect(cp.status).toBe(200);
    expect(cp.html).not.toContain(`action="${PAGE}/instans?`);
    expect(cp.html).toContain('Hanya admin nasional');
    expect(cp.html).toMatch(/<option value="pupr-kaltim"/);
    // Linked from the administration home.
    expect((await coordinator.get('/kantor/admin')).html).toContain(`href="${PAGE}"`);

    const pupr = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`${PAGE}?lang=en`);
    expect(pupr.status).toBe(200);
    expect(pupr.html).toContain('<h1>Auto-dispatch</h1>');
    expect(pupr.html).toMatch(/<option value="pupr-kaltim"/);
    expect(pupr.html).not.toMatch(/<option value="dinkes-kaltim"/);
  });

  it('changes: national admin sets the instance rule, agency managers their agency, 403 outside scope', async () => {
    const national = await signInWeb(t.url, DEMO.national);
    const bad = await postForm(national, `${PAGE}/instans`, {
      instanceEnabled: 'on',
      instanceThreshold: '30',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('error-summary');
    expect(bad.html).toMatch(/value="30"/);
    const badEn = await postForm(national, `${PAGE}/instans?lang=en`, { instanceThreshold: 'abc' });
    expect(badEn.status).toBe(422);
    expect(badEn.html).toMatch(/value="abc"/);
    expect(badEn.html).toContain('lang="en"');
    // A whole percentage only: the page would show 90.5 as "91%".
    const fraction = await postForm(national, `${PAGE}/instans`, {
      instanceEnabled: 'on',
      instanceThreshold: '90.5',
    });
    expect(fraction.status).toBe(422);
    expect(fraction.html).toContain('whole number from 50 to 100'); // English: remembered from the post above
    // CSRF is required.
    expect((await national.post(`${PAGE}/instans`, { instanceEnabled: 'on' })).status).toBe(403);
    const ok = await postForm(national, `${PAGE}/instans`, {
      instanceEnabled: 'off',
      instanceThreshold: '95',
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`${PAGE}?selesai=1&lang=en`); // the language chosen above is remembered
    expect((await autoDispatchSettings(t.runtime.services)).instance).toEqual({
      enabled: false,
      threshold: 0.95,
    });

    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    expect((await postForm(coordinator, `${PAGE}/instans`, { instanceEnabled: 'on' })).status).toBe(403);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    expect((await postForm(pupr, `${PAGE}/instans`, { instanceEnabled: 'on' })).status).toBe(403);
    expect(
      (await postForm(pupr, `${PAGE}/instansi`, { agencyId: 'dinkes-kaltim', agencyEnabled: 'on' })).status,
    ).toBe(403);
    const balikpapan = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    expect(
      (await postForm(balikpapan, `${PAGE}/instansi`, { agencyId: 'pupr-kaltim', agencyEnabled: 'on' }))
        .status,
    ).toBe(403);
    const missing = await postForm(pupr, `${PAGE}/instansi`, { agencyThreshold: '80' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('href="#f-agencyId"');
    expect(missing.html).toContain('href="#f-agencyEnabled');

    const set = await postForm(pupr, `${PAGE}/instansi`, {
      agencyId: 'pupr-kaltim',
      agencyEnabled: 'on',
      agencyThreshold: '85',
    });
    expect(set.status).toBe(303);
    expect((await autoDispatchSettings(t.runtime.services)).agencies?.['pupr-kaltim']).toEqual({
      enabled: true,
      threshold: 0.85,
    });
    const after = await pupr.get(`${PAGE}?selesai=1`);
    expect(after.html).toContain('aktif, ambang 85%');
    // The Dinkes admin does not see PUPR's rule.
    expect((await (await signInWeb(t.url, DEMO.dinkesAdmin)).get(PAGE)).html).not.toContain('ambang 85%');
  });

  it('lists auto-dispatches in scope and reverses one through a hash-chained return', async () => {
    await t.runtime.services.db.execute(
      sql`update settings set value = ${JSON.stringify({ instance: { enabled: true, threshold: 0.5 } })}::jsonb
           where key = 'routing.auto_dispatch'`,
    );
    const id = await submit('Jalan rusak berlubang dan aspal mengelupas dekat jembatan');
    const pass = await autoDispatchPending(t.runtime.services);
    expect(pass.dispatched.map((d) => d.trackingId)).toEqual([id]);
    expect(pass.dispatched[0]!.agencyId).toBe('pupr-kaltim');
    const manual = await submit('Trotoar rusak di depan pasar kota');
    await verify(manual, 'pupr-kaltim', (await t.api('/api/v1/categories')).body.items[0].id);

    const national = await signInWeb(t.url, DEMO.national);
    const np = await national.get(PAGE);
    expect(np.html).toContain(`data-auto-dispatch="${id}"`);
    expect(np.html).toContain(`href="${PAGE}/${id}/tarik"`);
    expect(np.html).not.toContain(`data-auto-dispatch="${manual}"`);

    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const cp = await coordinator.get(PAGE);
    expect(cp.html).toContain(`data-auto-dispatch="${id}"`);
    // The region's coordinator manages PUPR (and so its auto-dispatch rule): it may pull the dispatch back.
    expect(cp.html).toContain(`href="${PAGE}/${id}/tarik"`);
    expect((await coordinator.get(`${PAGE}/${id}/tarik`)).status).toBe(200);
    // Another region's coordinator does not see it at all.
    const other = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    expect((await other.get(PAGE)).html).not.toContain(id);
    expect((await other.get(`${PAGE}/${id}/tarik`)).status).toBe(404);
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await dinkes.get(PAGE)).html).not.toContain(id);
    expect((await dinkes.get(`${PAGE}/${id}/tarik`)).status).toBe(404);
    expect((await national.get(`${PAGE}/${manual}/tarik`)).status).toBe(404);
    expect((await national.get(`${PAGE}/abc/tarik`)).status).toBe(404);

    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const confirm = await pupr.get(`${PAGE}/${id}/tarik`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(`Tarik kembali laporan ${id}`);
    const noNote = await pupr.post(`${PAGE}/${id}/tarik`, { _csrf: csrfOf(confirm.html) });
    expect(noNote.status).toBe(422);
    expect(noNote.html).toContain('href="#f-note"');
    const done = await pupr.post(`${PAGE}/${id}/tarik`, {
      _csrf: csrfOf(confirm.html),
      note: 'Diteruskan otomatis ke instansi yang kurang tepat.',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${PAGE}?selesai=tarik&lang=id`);

    const report = (await t.api(`/api/v1/reports/${id}`, { token: coord })).body;
    expect(report.status).toBe('returned');
    const [ev] = await query<{ type: string; actor_role: string; prev_hash: string | null }>(
      t.runtime.services.db,
      sql`select e.type, e.actor_role, e.prev_hash from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${id} order by e.seq desc limit 1`,
    );
    expect(ev).toMatchObject({ type: 'return', actor_role: 'agency_admin' });
    expect(ev!.prev_hash).toBeTruthy();
    expect((await verifyChains(t.runtime.services.db)).problems).toEqual([]);
    // It is back in the coordinator's verify queue, and the list says it was returned.
    expect((await coordinator.get('/kantor?tab=verify')).html).toContain(id);
    const np2 = await national.get(PAGE);
    expect(np2.html).toMatch(new RegExp(`data-auto-dispatch="${id}"[\\s\\S]*?\\(dikembalikan\\)`));
    expect(np2.html).not.toContain(`href="${PAGE}/${id}/tarik"`);
  });

  it('the coordinator who manages the agency pulls an auto-dispatch back; the event names the coordinator', async () => {
    const id = await submit('Jalan poros desa rusak parah dan berlubang setelah hujan deras');
    const pass = await autoDispatchPending(t.runtime.services);
    expect(pass.dispatched.map((d) => d.trackingId)).toContain(id);
    // Neither an officer of the agency nor another region's coordinator may reverse it (API of the command).
    const services = t.runtime.services;
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    expect((await officer.get(`${PAGE}/${id}/tarik`)).status).toBe(403);
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const confirm = await coordinator.get(`${PAGE}/${id}/tarik`);
    expect(confirm.status).toBe(200);
    const done = await coordinator.post(`${PAGE}/${id}/tarik`, {
      _csrf: csrfOf(confirm.html),
      note: 'Penerusan otomatis keliru: jalan desa wewenang kabupaten.',
    });
    expect(done.status).toBe(303);
    expect((await t.api(`/api/v1/reports/${id}`, { token: coord })).body.status).toBe('returned');
    const [ev] = await query<{ type: string; actor_role: string; actor_agency_id: string | null }>(
      services.db,
      sql`select e.type, e.actor_role, e.actor_agency_id from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${id} order by e.seq desc limit 1`,
    );
    expect(ev).toMatchObject({ type: 'return' });
    expect(ev!.actor_role).toMatch(/coordinator/);
    expect((await verifyChains(services.db)).problems).toEqual([]);
    // Reversed once: a second attempt is refused (no longer dispatched), and a person's dispatch never qualifies.
    const again = await coordinator.post(`${PAGE}/${id}/tarik`, {
      _csrf: csrfOf(confirm.html),
      note: 'Lagi.',
    });
    expect(again.status).toBe(409);
  });

  it("a ministry or lembaga office's auto-dispatches are not the region's coordinator's to list, set or pull back", async () => {
    const id = await submit('Jalan amblas di tikungan tajam dekat jembatan besi');
    const pass = await autoDispatchPending(t.runtime.services);
    const sent = pass.dispatched.find((d) => d.trackingId === id);
    expect(sent).toBeTruthy();
    const db = t.runtime.services.db;
    // The agency it went to is treated as a central government office (instansi vertikal) for this test.
    const [before] = await query<{ kind: string }>(
      db,
      sql`select kind from agencies where id = ${sent!.agencyId}`,
    );
    await db.execute(sql`update agencies set kind = 'lembaga' where id = ${sent!.agencyId}`);
    try {
      const coordinator = await signInWeb(t.url, DEMO.coordinator);
      const page = await coordinator.get(PAGE);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain(`${PAGE}/${id}/tarik`);
      expect(page.html).not.toMatch(new RegExp(`<option value="${sent!.agencyId}"`));
      // Outside the coordinator's list (404 as any report it may not pull back), and the command refuses it.
      expect((await coordinator.get(`${PAGE}/${id}/tarik`)).status).toBe(404);
      const refused = await coordinator.post(`${PAGE}/${id}/tarik`, {
        _csrf: csrfOf(page.html),
        note: 'Penerusan otomatis keliru menurut koordinator.',
      });
      expect([403, 404]).toContain(refused.status);
      expect((await t.api(`/api/v1/reports/${id}`, { token: coord })).body.status).toBe('dispatched');
      const national = await signInWeb(t.url, DEMO.national);
      expect((await national.get(PAGE)).html).toContain(`${PAGE}/${id}/tarik`);
    } finally {
      await db.execute(sql`update agencies set kind = ${before!.kind} where id = ${sent!.agencyId}`);
    }
    // Back to a pemda office: the coordinator's again.
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    expect((await coordinator.get(PAGE)).html).toContain(`${PAGE}/${id}/tarik`);
  });

  it('never shows an anonymous reporter to the agency, on the list or the pull-back page', async () => {
    const who = { name: 'Sari Rahasiawati', email: 'sari.rahasia@contoh.aduan.id', phone: '081277788899' };
    const id = await submitReport(t, 'Jalan berlubang besar di depan sekolah dasar', {
      anonymous: true,
      reporter: who,
    });
    const pass = await autoDispatchPending(t.runtime.services);
    expect(pass.dispatched.map((d) => d.trackingId)).toContain(id);
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const list = await pupr.get(PAGE);
    expect(list.html).toContain(`data-auto-dispatch="${id}"`);
    const confirm = await pupr.get(`${PAGE}/${id}/tarik`);
    expect(confirm.status).toBe(200);
    for (const html of [list.html, confirm.html])
      for (const secret of Object.values(who)) expect(html).not.toContain(secret);
  });

  it('beside each rule: what its threshold would have sent over the last 12 months, and how much of it was right', async () => {
    const db = t.runtime.services.db;
    await db.execute(sql`delete from routing_suggestions where kind = 'agency'`);
    const DAY = 86_400_000;
    const now = new Date('2026-03-12T02:00:00Z').getTime();
    // [suggested agency, top confidence, verifier followed it, days ago]; the last one is older than 12 months.
    const cases: Array<[string, number, boolean, number]> = [
      ['pupr-kaltim', 0.97, true, 10],
      ['pupr-kaltim', 0.93, false, 20],
      ['pupr-kaltim', 0.6, true, 30],
      ['dinkes-kaltim', 0.95, true, 40],
      ['pupr-kaltim', 0.99, true, 400],
    ];
    for (const [i, [agency, conf, followed, ago]] of cases.entries()) {
      const id = await submit(`Riwayat ambang nomor ${i}`);
      await db.execute(sql`insert into routing_suggestions
          (report_id, kind, suggestions, top_label, top_confidence, shown_at, chosen_label, accepted, in_top3, decided_at)
        select id, 'agency', '[]'::jsonb, ${agency}, ${conf}, now(), ${agency}, ${followed}, true,
               ${new Date(now - ago * DAY).toISOString()}::timestamptz
          from reports where tracking_id = ${id}`);
    }
    const national = await t.login(DEMO.national);
    for (const body of [
      { enabled: false, threshold: 0.9 },
      { enabled: true, threshold: 0.95, agencyId: 'pupr-kaltim' },
    ]) {
      const r = await t.api('/api/v1/routing/auto-dispatch', { method: 'PUT', json: body, token: national });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const page = await (await signInWeb(t.url, DEMO.national)).get(PAGE);
    expect(page.status).toBe(200);
    // Instance rule at 90 %: 3 of the 4 recent decisions were at or above it; 2 of those 3 were followed.
    expect(page.html).toContain(
      'Dalam 12 bulan terakhir, pada ambang 90%: 3 dari 4 saran instansi yang diputuskan verifikator (75%) akan dikirim otomatis, dan verifikator memilih instansi yang sama untuk 67% di antaranya.',
    );
    // PUPR's own rule at 95 %: of the 3 recent PUPR suggestions, the 0.97 one; followed.
    const cell = /<td data-history="pupr-kaltim">([^<]*)<\/td>/.exec(page.html)?.[1];
    expect(cell).toBe('1 dari 3 (33%) terkirim otomatis; 100% sesuai pilihan verifikator');
    const en = await (await signInWeb(t.url, DEMO.national)).get(`${PAGE}?lang=en`);
    expect(en.html).toContain('3 of the 4 agency suggestions verifiers decided (75%)');
    // The coordinator manages PUPR's rule but not the instance's: no instance figure.
    const coordinator = await (await signInWeb(t.url, DEMO.coordinator)).get(PAGE);
    expect(coordinator.html).not.toContain('data-history="instance"');
    expect(coordinator.html).toContain('data-history="pupr-kaltim"');
  });
});
