/**
 * Back office over real HTTP with cookie sessions: queues per role, every action form (PRG + CSRF), walk-in
 * intake, 403/404 for out-of-scope reports, and the privacy rule that agency roles never see an anonymous
 * reporter's identity anywhere in the back-office HTML while the coordinator does (and the reveal is logged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let categoryId: number;
const SECRET = { name: 'Sukma Rahasiawati', email: 'sukma.rahasia@contoh.aduan.id', phone: '081399887766' };
const NAMED = { name: 'Budi Terbuka', email: 'budi.terbuka@contoh.aduan.id', phone: '081211112222' };

const signIn = sessionsFor(() => t.url);

async function page(email: string | null, path: string) {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (email) headers.cookie = (await signIn(email)).cookie;
  const res = await fetch(t.url + path, { headers, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function post(email: string, path: string, fields: Record<string, string | string[]>, csrf = true) {
  const s = await signIn(email);
  const form = new URLSearchParams();
  if (csrf) form.set('_csrf', s.csrf);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
  const res = await fetch(t.url + path, {
    method: 'POST',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: form,
    redirect: 'manual',
  });
  const setCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), setCookie };
}

async function submit(extra: Record<string, unknown>) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan rusak di depan pasar',
      body: 'Jalan di depan pasar rusak parah dan berlubang, membahayakan pengendara motor setiap hari.',
      regionCode: '64.72.02',
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.trackingId as string;
}

function expectNoSecret(html: string) {
  expect(html).not.toContain(SECRET.name);
  expect(html).not.toContain(SECRET.email);
  expect(html).not.toContain(SECRET.phone);
}

async function piiLogCount(trackingId: string): Promise<number> {
  const r = (await t.runtime.services.db.execute(
    sql`select count(*)::int as n from pii_access_log l join reports r on r.id = l.report_id where r.tracking_id = ${trackingId}`,
  )) as unknown as { rows: Array<{ n: number }> };
  return Number(r.rows[0]!.n);
}

let anon: string;
let named: string;
let other: string;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
  anon = await submit({ anonymous: true, reporter: SECRET, title: 'Jembatan kayu hampir roboh' });
  named = await submit({ reporter: NAMED, title: 'Lampu jalan mati total' });
  other = await submit({ reporter: NAMED, title: 'Antrean puskesmas panjang', regionCode: '64.72.01' });
});
afterAll(() => t?.close());

describe('back office', () => {
  it('sends signed-out visitors to /masuk and hides /kantor from citizens', async () => {
    const r = await page(null, '/kantor');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/masuk?next=%2Fkantor');
    const c = await page(DEMO.citizen, '/kantor');
    expect(c.status).toBe(403);
    expect(c.html).toContain('<html lang="id"');
  });

  it('coordinator queue: tabs with counts, rows with countdown badges, identity revealed and logged', async () => {
    const q = await page(DEMO.coordinator, '/kantor');
    expect(q.status).toBe(200);
    expect(q.html).toContain('Perlu verifikasi <span class="queue-count">(3)</span>');
    expect(q.html).toContain(`/kantor/laporan/${anon}`);
    expect(q.html).toMatch(/badge badge-(on_time|due_soon)/);
    expect(q.html).toContain('hari kerja lagi');
    expect(q.html).toContain('Verifikasi paling lambat 3 hari kerja');

    const before = await piiLogCount(anon);
    const p = await page(DEMO.coordinator, `/kantor/laporan/${anon}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain(SECRET.name);
    expect(p.html).toContain(SECRET.email);
    expect(p.html).toContain('data-slot="similar-reports"');
    expect(p.html).toContain('name="_csrf"');
    // The location reads as names, with the code kept for reference.
    expect(p.html).toContain('Samarinda Seberang, Kota Samarinda, Kalimantan Timur (64.72.02)');
    expect(await piiLogCount(anon)).toBe(before + 1);
  });

  it('verify form: CSRF required, errors re-render with input kept, success redirects (PRG)', async () => {
    const noCsrf = await post(
      DEMO.coordinator,
      `/kantor/laporan/${anon}/verify`,
      { agencyId: 'pupr-kaltim' },
      false,
    );
    expect(noCsrf.status).toBe(403);

    const bad = await post(DEMO.coordinator, `/kantor/laporan/${anon}/verify`, {
      classification: 'pengaduan',
      agencyId: 'pupr-kaltim',
      flags: 'anonymous',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('class="error-summary"');
    expect(bad.html).toContain('href="#f-categoryId"');
    expect(bad.html).toMatch(/<option value="pupr-kaltim" selected/);

    const ok = await post(DEMO.coordinator, `/kantor/laporan/${anon}/verify`, {
      classification: 'pengaduan',
      categoryId: String(categoryId),
      agencyId: 'pupr-kaltim',
      flags: 'anonymous',
    });
    expect(ok.status, ok.html.slice(0, 500)).toBe(303);
    expect(ok.location).toBe(`/kantor/laporan/${anon}?selesai=1&lang=id`);
    const after = await page(DEMO.coordinator, ok.location!);
    expect(after.html).toContain('Tindakan berhasil disimpan.');
    expect(after.html).toContain('Didisposisikan');
  });

  it('PUPR admin and officer never see the anonymous reporter; dispose and final follow-up work', async () => {
    const logBefore = await piiLogCount(anon);
    const q = await page(DEMO.puprAdmin, '/kantor?tab=dispatched');
    expect(q.status).toBe(200);
    expect(q.html).toContain(`/kantor/laporan/${anon}`);
    expectNoSecret(q.html);
    const p = await page(DEMO.puprAdmin, `/kantor/laporan/${anon}`);
    expect(p.status).toBe(200);
    expectNoSecret(p.html);
    expect(p.html).toContain('Identitas pelapor disembunyikan');
    expect(p.html).not.toContain('action="/kantor/laporan/' + anon + '/verify');

    const d = await post(DEMO.puprAdmin, `/kantor/laporan/${anon}/dispose`, {
      unitId: 'pupr-kaltim-unit',
      disposeNote: 'Mohon segera ditinjau.',
    });
    expect(d.status, d.html.slice(0, 300)).toBe(303);

    const oq = await page(DEMO.puprOfficer, '/kantor');
    expect(oq.html).toContain(`/kantor/laporan/${anon}`);
    expect(oq.html).not.toContain('Perlu verifikasi');
    expectNoSecret(oq.html);

    const n = await post(DEMO.puprOfficer, `/kantor/laporan/${anon}/note`, {
      noteBody: 'Survei lokasi Senin.',
    });
    expect(n.status).toBe(303);

    const s = await signIn(DEMO.puprOfficer);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0b5d4b' } })
      .png()
      .toBuffer();
    const fd = new FormData();
    fd.set('_csrf', s.csrf);
    fd.set('body', 'Jembatan sudah diperkuat dan dibuka kembali.');
    fd.set('kind', 'final');
    fd.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'bukti.png');
    const r = await fetch(`${t.url}/kantor/laporan/${anon}/respond`, {
      method: 'POST',
      headers: { cookie: s.cookie },
      body: fd,
      redirect: 'manual',
    });
    expect(r.status, await r.clone().text()).toBe(303);

    const op = await page(DEMO.puprOfficer, `/kantor/laporan/${anon}`);
    expectNoSecret(op.html);
    expect(op.html).toContain('Survei lokasi Senin.');
    expect(op.html).toContain('[Internal]');
    expect(op.html).toContain('Jembatan sudah diperkuat');
    expect(op.html).toContain('bukti.png');
    expect(op.html).toContain('Ditindaklanjuti');
    expect(await piiLogCount(anon)).toBe(logBefore);

    // Without a CSRF token the multipart form is refused too.
    const fd2 = new FormData();
    fd2.set('body', 'Tanpa token keamanan.');
    fd2.set('kind', 'interim');
    const r2 = await fetch(`${t.url}/kantor/laporan/${anon}/respond`, {
      method: 'POST',
      headers: { cookie: s.cookie },
      body: fd2,
      redirect: 'manual',
    });
    expect(r2.status).toBe(403);
  });

  it('out-of-scope reports answer 404; public ones show no identity and no actions', async () => {
    expect((await page(DEMO.puprOfficer, `/kantor/laporan/${other}`)).status).toBe(404);
    // A dispatched, non-confidential report is public: another agency may read it, without identity or actions.
    const dinkes = await page(DEMO.dinkesAdmin, `/kantor/laporan/${anon}`);
    expect(dinkes.status).toBe(200);
    expectNoSecret(dinkes.html);
    expect(dinkes.html).not.toContain('class="staff-action"');
    expect(dinkes.html).not.toContain('Survei lokasi Senin.');
    expect((await page(DEMO.balikpapanCoordinator, `/kantor/laporan/${named}`)).status).toBe(404);
    const forbidden = await post(DEMO.puprOfficer, `/kantor/laporan/${named}/hold`, {
      question: 'Mohon foto lokasi.',
    });
    expect(forbidden.status).toBe(404);
  });

  it('hold, archive (duplicate needs the kept number) and return forms', async () => {
    const h = await post(DEMO.coordinator, `/kantor/laporan/${named}/hold`, {
      question: 'Di ruas jalan mana tepatnya?',
    });
    expect(h.status).toBe(303);
    const q = await page(DEMO.coordinator, '/kantor?tab=on_hold');
    expect(q.html).toContain(`/kantor/laporan/${named}`);

    const dup = await post(DEMO.coordinator, `/kantor/laporan/${named}/archive`, { reason: 'duplicate' });
    expect(dup.status).toBe(422);
    expect(dup.html).toContain('href="#f-duplicateOf"');
    const arch = await post(DEMO.coordinator, `/kantor/laporan/${named}/archive`, {
      reason: 'duplicate',
      duplicateOf: anon,
    });
    expect(arch.status).toBe(303);

    const v = await post(DEMO.coordinator, `/kantor/laporan/${other}/verify`, {
      classification: 'pengaduan',
      categoryId: String(categoryId),
      agencyId: 'pupr-kaltim',
    });
    expect(v.status).toBe(303);
    const short = await post(DEMO.puprAdmin, `/kantor/laporan/${other}/return`, { returnNote: 'x' });
    expect(short.status).toBe(422);
    const ret = await post(DEMO.puprAdmin, `/kantor/laporan/${other}/return`, {
      returnNote: 'Ini wewenang Dinas Kesehatan.',
    });
    expect(ret.status).toBe(303);
    const cq = await page(DEMO.coordinator, '/kantor?tab=returned');
    expect(cq.html).toContain(`/kantor/laporan/${other}`);
    // Illegal in the current status: a 409 re-render with the message, not a crash.
    const again = await post(DEMO.coordinator, `/kantor/laporan/${named}/hold`, {
      question: 'Pertanyaan lagi ya.',
    });
    expect([404, 409]).toContain(again.status);
  });

  it('a report past due by less than a working day says so, not "0 working days late"', async () => {
    // Due Tue 17 March 23:59 WITA (3 working days from Thu 12 March); Wed 18 March is cuti bersama Nyepi.
    t.setNow(new Date('2026-03-18T02:00:00Z'));
    signIn.clear();
    const q = await page(DEMO.coordinator, `/kantor/laporan/${other}`);
    expect(q.html).toContain('badge badge-overdue');
    expect(q.html).toContain('lewat batas, belum 1 hari kerja');
    expect(q.html).not.toContain('terlambat 0 hari kerja');
  });

  it('overdue tab and the national admin queue', async () => {
    t.setNow(new Date('2026-04-30T02:00:00Z'));
    signIn.clear();
    const q = await page(DEMO.coordinator, '/kantor?tab=overdue');
    expect(q.html).toContain(`/kantor/laporan/${other}`);
    expect(q.html).toContain('badge badge-overdue');
    expect(q.html).toContain('terlambat');
    const n = await page(DEMO.national, '/kantor?lang=en');
    expect(n.status).toBe(200);
    expect(n.html).toContain('To verify');
  });

  it('walk-in: errors keep input; success shows the tracking number and private link once', async () => {
    const bad = await post(DEMO.coordinator, '/kantor/lapor-langsung', {
      classification: 'pengaduan',
      title: 'Sampah',
      body: 'terlalu pendek',
      identity: 'named',
      visibility: 'public',
      'reporter.name': 'Ibu Walk In',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-body"');
    expect(bad.html).toContain('value="Ibu Walk In"');

    const ok = await post(DEMO.coordinator, '/kantor/lapor-langsung', {
      channel: 'walk_in',
      classification: 'pengaduan',
      title: 'Sampah menumpuk di pasar',
      body: 'Sampah menumpuk di pasar pagi sejak seminggu dan tidak diangkut petugas kebersihan.',
      regionCode: '64.72',
      identity: 'named',
      visibility: 'public',
      'reporter.name': 'Ibu Walk In',
      'reporter.phone': '081277778888',
    });
    expect(ok.status, ok.html.slice(0, 400)).toBe(303);
    const s = await signIn(DEMO.coordinator);
    const done = await fetch(`${t.url}${ok.location}`, {
      headers: { cookie: `${s.cookie}; ${ok.setCookie}` },
    });
    const html = await done.text();
    expect(done.status).toBe(200);
    const id = /class="big-number">(\d{10})</.exec(html)?.[1];
    expect(id).toMatch(/^\d{10}$/);
    expect(html).toContain(`/lacak/${id}?k=`);
    const api = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.coordinator) });
    expect(api.body.channel).toBe('walk_in');
    // Shown once: without the flash cookie the page sends the officer back to the form.
    const again = await fetch(`${t.url}${ok.location}`, {
      headers: { cookie: s.cookie },
      redirect: 'manual',
    });
    expect(again.status).toBe(303);
  });

  it('staff who may not see a named reporter are told so, never that the reporter gave no identity', async () => {
    const id = await submit({ reporter: NAMED, title: 'Trotoar rusak di depan sekolah' });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', categoryId);
    const p = await page(DEMO.dinkesAdmin, `/kantor/laporan/${id}`);
    expect(p.status).toBe(200);
    expect(p.html).not.toContain(NAMED.name);
    expect(p.html).toContain('Identitas pelapor tidak dapat Anda lihat untuk laporan ini');
    expect(p.html).not.toContain('Pelapor tidak memberikan identitas');
    const coordinator = await page(DEMO.coordinator, `/kantor/laporan/${id}`);
    expect(coordinator.html).toContain(NAMED.name);
  });
});
