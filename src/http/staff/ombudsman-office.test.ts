/**
 * QA audit H3, M4, L6 and the staff escalate form, over real HTTP against a controllable clock.
 *
 * - The Ombudsman's read-only back office: sign-in lands on `/kantor/ombudsman`, which lists the reports handed over
 *   in its region; the report page shows the hand-off package, the reporter's identity only when shared (never for an
 *   anonim report); `/kantor` leads there, every other /kantor page is 403, a report not handed over is 403 (404 when hidden).
 * - The coordinator's escalate form on the report page: ESCALATION_NOT_DUE with its date, 422 field errors, and the
 *   transfer with the consent note (needs the escalate command to accept staff with a consent note).
 * - A Kalimantan Timur (WITA) report's return panel and the coordinator's notifications show WITA times.
 * - The timeline heading says "termasuk catatan internal" only to a viewer who sees internal notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import sharp from 'sharp';
import { startWorker } from '../../jobs/worker.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };
/** Balikpapan reports: handed over with the identity, without it, anonymous; one still with the agency. */
const r = {} as Record<'shared' | 'unshared' | 'anonymous' | 'open' | 'staffEscalate' | 'returned', Made>;
const INTERNAL_NOTE = 'Catatan internal: anggaran perbaikan belum tersedia.';
const REPORTER = { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id', phone: '081234567890' };

/** A signed-in web client per account, signed in again after the clock moved (sessions age). */
async function client(email: string): Promise<WebClient> {
  return signInWeb(t.url, email);
}

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA: the escalation deadline (60 working days) ends on Friday 10 April.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const coordinator = await t.login(DEMO.coordinator);
  const submit = async (title: string, extra: Record<string, unknown> = {}): Promise<Made> => {
    const res = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title,
        body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
        regionCode: '64.71.01',
        reporter: REPORTER,
        ...extra,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Made;
  };
  const verified = async (title: string, extra: Record<string, unknown> = {}) => {
    const made = await submit(title, extra);
    await actOk(
      t,
      made.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: coordinator },
    );
    return made;
  };
  r.shared = await verified('Jalan provinsi di Balikpapan amblas');
  r.unshared = await verified('Drainase jalan provinsi Balikpapan tersumbat');
  r.anonymous = await verified('Jembatan kecil di Balikpapan retak', { anonymous: true });
  r.open = await verified('Trotoar jalan provinsi Balikpapan rusak');
  r.staffEscalate = await verified('Lampu jalan provinsi Balikpapan padam');
  r.returned = await verified('Saluran irigasi di Balikpapan jebol', { targetAgencyId: 'pupr-kaltim' });
  // The agency writes an internal note and an interim follow-up with a photo on the first one.
  const officer = await signInWeb(t.url, DEMO.puprAdmin);
  const staffPage = await officer.get(`/kantor/laporan/${r.shared.trackingId}`);
  const note = await officer.post(`/kantor/laporan/${r.shared.trackingId}/note`, {
    _csrf: csrfOf(staffPage.html),
    noteBody: INTERNAL_NOTE,
  });
  expect(note.status).toBe(303);
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0b5d4b' } })
    .png()
    .toBuffer();
  const fd = new FormData();
  fd.set('_csrf', csrfOf(staffPage.html));
  fd.set('body', 'Survei lokasi sudah dilakukan, perbaikan dijadwalkan.');
  fd.set('kind', 'interim');
  fd.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto-survei.png');
  const respond = await officer.postMultipart(`/kantor/laporan/${r.shared.trackingId}/respond`, fd);
  expect(respond.status, respond.html.slice(0, 300)).toBe(303);
  // The agency returns one on Tuesday 6 January at 09:30 WITA (01:30 UTC, which WIB would show as 08:30).
  t.setNow(new Date('2026-01-06T01:30:00Z'));
  await actOk(
    t,
    r.returned.trackingId,
    'return',
    { note: 'Saluran irigasi bukan kewenangan PUPR provinsi.' },
    { token: await t.login(DEMO.puprAdmin) },
  );
  // Monday 13 April: three reporters consent (one shares the identity).
  t.setNow(new Date('2026-04-13T09:00:00+08:00'));
  await actOk(
    t,
    r.shared.trackingId,
    'escalate',
    { consent: true, shareIdentity: true },
    { accessKey: r.shared.accessKey },
  );
  await actOk(t, r.unshared.trackingId, 'escalate', { consent: true }, { accessKey: r.unshared.accessKey });
  await actOk(t, r.anonymous.trackingId, 'escalate', { consent: true }, { accessKey: r.anonymous.accessKey });
});
afterAll(() => t?.close());

describe('the Ombudsman back office', () => {
  it('signs in to its list of handed-over reports, in its region only', async () => {
    const c = new WebClient(t.url);
    const landing = await c.post('/masuk', { email: DEMO.ombudsman, password: DEMO_PASSWORD, next: '' });
    expect(landing.status).toBe(303);
    expect(landing.location).toBe('/kantor/ombudsman');
    const list = await c.get('/kantor/ombudsman');
    expect(list.status).toBe(200);
    expect(list.html).toContain('<h1>Laporan yang dialihkan ke Ombudsman</h1>');
    const listed = [...list.html.matchAll(/href="\/kantor\/ombudsman\/laporan\/(\d{10})"/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([r.shared, r.unshared, r.anonymous].map((m) => m.trackingId).sort());
    expect(list.html).toContain('13 April 2026');
    // No action forms, no links into the staff queue.
    expect(list.html).not.toContain('method="post" action="/kantor/laporan');
    expect(list.html).not.toContain('href="/kantor"');
    const en = await c.get('/kantor/ombudsman?lang=en');
    expect(en.html).toContain('Reports handed over to the Ombudsman');
  });

  it('shows the hand-off package; the identity only when shared, never for an anonymous report', async () => {
    const c = await client(DEMO.ombudsman);
    const shared = await c.get(`/kantor/ombudsman/laporan/${r.shared.trackingId}`);
    expect(shared.status).toBe(200);
    expect(shared.html).toContain('Jalan provinsi di Balikpapan amblas');
    expect(shared.html).toContain('Paket pengalihan laporan');
    expect(shared.html).toContain(REPORTER.name);
    expect(shared.html).toContain(REPORTER.email);
    expect(shared.html).not.toContain('<form method="post" action="/kantor/laporan');
    // The package: the follow-up and its photo, no internal note.
    expect(shared.html).toContain('Survei lokasi sudah dilakukan, perbaikan dijadwalkan.');
    expect(shared.html).toContain('foto-survei.png');
    expect(shared.html).not.toContain(INTERNAL_NOTE);
    // The photo downloads from the package's link, with the Ombudsman's session.
    const link = /href="(\/api\/v1\/reports\/\d{10}\/attachments\/[^"]+)">foto-survei\.png</.exec(
      shared.html,
    );
    expect(link, 'download link').toBeTruthy();
    const file = await fetch(t.url + link![1]!, {
      headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('image/png');
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    for (const m of [r.unshared, r.anonymous]) {
      const page = await c.get(`/kantor/ombudsman/laporan/${m.trackingId}`);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain(REPORTER.name);
      expect(page.html).not.toContain(REPORTER.email);
      expect(page.html).not.toContain(REPORTER.phone);
      expect(page.html).toContain('data-slot="reporter-hidden"');
    }
    const anon = await c.get(`/kantor/ombudsman/laporan/${r.anonymous.trackingId}?lang=en`);
    expect(anon.html).toContain('Anonymous report');
  });

  it('other /kantor pages are 403; a report not handed over is 403, an unknown one 404', async () => {
    const c = await client(DEMO.ombudsman);
    // The back office's home (the staff queue, whatever its tab or search) leads to the Ombudsman's own list.
    for (const path of ['/kantor', '/kantor?tab=ombudsman', '/kantor?q=jalan&lang=en']) {
      const home = await c.get(path);
      expect(home.status, path).toBe(303);
      expect(home.location, path).toMatch(/^\/kantor\/ombudsman\?lang=(id|en)$/);
    }
    for (const path of [
      `/kantor/laporan/${r.shared.trackingId}`,
      `/kantor/laporan/${r.open.trackingId}`,
      '/kantor/lapor-langsung',
      '/kantor/admin',
    ])
      expect((await c.get(path)).status, path).toBe(403);
    expect((await c.get(`/kantor/ombudsman/laporan/${r.open.trackingId}`)).status).toBe(403);
    expect((await c.get('/kantor/ombudsman/laporan/0000000000')).status).toBe(404);
    // The password page (open to every signed-in person) shows the Ombudsman's own menu, no link that is 403.
    const password = await c.get('/kantor/kata-sandi');
    expect(password.status).toBe(200);
    expect(password.html).toContain('href="/kantor/ombudsman"');
    expect(password.html).not.toContain('href="/kantor/lapor-langsung"');
    // Its notifications (hand-offs to the office) are open to it, under its own menu.
    const notices = await c.get('/kantor/notifikasi');
    expect(notices.status).toBe(200);
    expect(notices.html).toContain('href="/kantor/ombudsman"');
    expect(notices.html).not.toContain('href="/kantor/lapor-langsung"');
    // Staff of the back office are not the Ombudsman.
    const coordinator = await client(DEMO.coordinator);
    expect((await coordinator.get('/kantor/ombudsman')).status).toBe(403);
    // Signed out: to the sign-in page.
    const res = await fetch(`${t.url}/kantor/ombudsman`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/masuk?next=');
  });
});

describe('times in the report zone, timeline heading', () => {
  it('the return panel and the notification show WITA', async () => {
    const coordinator = await client(DEMO.coordinator);
    const page = await coordinator.get(`/kantor/laporan/${r.returned.trackingId}`);
    const panel = page.html.slice(page.html.indexOf('data-slot="latest-return"')).split('</section>')[0]!;
    expect(panel).toContain('09.30 WITA');
    expect(panel).not.toContain('WIB');
    // The worker fans the return out to the region's verifiers (in-app notices carry the event's time).
    const worker = await startWorker(t.runtime.services, {
      transports: {},
      autoStart: false,
      sweepEveryMs: 0,
    });
    try {
      await worker.drain();
    } finally {
      await worker.stop();
    }
    const notices = await coordinator.get('/kantor/notifikasi');
    expect(notices.status).toBe(200);
    const row = notices.html
      .split('<tr')
      .find(
        (tr) => tr.includes(`/kantor/laporan/${r.returned.trackingId}"`) && tr.includes('6 Januari 2026'),
      );
    expect(row, 'the return notice').toBeDefined();
    expect(row).toContain('09.30 WITA');
    expect(notices.html).not.toContain('WIB');
  });

  it('says "termasuk catatan internal" only to those who see internal notes', async () => {
    const coordinator = await client(DEMO.coordinator);
    const full = await coordinator.get(`/kantor/laporan/${r.returned.trackingId}`);
    expect(full.html).toContain('<h2>Riwayat lengkap (termasuk catatan internal)</h2>');
    // The agency that returned it still opens it (a returned report is public), without internal notes.
    const pupr = await client(DEMO.puprOfficer);
    const page = await pupr.get(`/kantor/laporan/${r.returned.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h2>Riwayat laporan</h2>');
    expect(page.html).not.toContain('termasuk catatan internal');
    const en = await pupr.get(`/kantor/laporan/${r.returned.trackingId}?lang=en`);
    expect(en.html).toContain('<h2>Report history</h2>');
  });
});

describe('the escalate form on the back-office report page', () => {
  const path = () => `/kantor/laporan/${r.staffEscalate.trackingId}`;

  it('refuses before the deadline with the date, and a form without consent or note field by field', async () => {
    t.setNow(new Date('2026-03-02T09:00:00+08:00'));
    const c = await client(DEMO.coordinator);
    const before = await c.get(path());
    // Not offered before the hand-off opens (as the API's allowedActions), but a stale form is answered.
    expect(before.html).not.toContain('id="h-escalate"');
    const early = await c.post(`${path()}/escalate`, {
      _csrf: csrfOf(before.html),
      consent: '1',
      note: 'Pelapor menyetujui lewat telepon pada 2 Maret 2026.',
    });
    expect(early.status).toBe(409);
    expect(early.html).toMatch(/Pengalihan dapat dilakukan mulai \d{1,2} April 2026/);
    t.setNow(new Date('2026-04-13T10:00:00+08:00'));
    const c2 = await client(DEMO.coordinator);
    const page = await c2.get(path());
    expect(page.html).toContain('id="h-escalate"');
    expect(page.html).toContain('name="shareIdentity"');
    const bad = await c2.post(`${path()}/escalate`, { _csrf: csrfOf(page.html), note: 'pendek' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Centang persetujuan untuk mengalihkan laporan ke Ombudsman.');
    expect(bad.html).toContain('Minimal 10 karakter.');
    expect(bad.html).toContain('pendek');
    // No identity choice for an anonymous report.
    const anon = await c2.get(`/kantor/laporan/${r.anonymous.trackingId}`);
    expect(anon.html).not.toContain('name="shareIdentity"');
  });

  it('hands the report over with the consent note (needs the command to accept staff with consent)', async () => {
    t.setNow(new Date('2026-04-13T10:00:00+08:00'));
    const c = await client(DEMO.coordinator);
    const page = await c.get(path());
    const note = 'Pelapor menyetujui lewat telepon pada 13 April 2026 pukul 09.40.';
    const ok = await c.post(`${path()}/escalate`, {
      _csrf: csrfOf(page.html),
      consent: '1',
      note,
      shareIdentity: '1',
    });
    expect(ok.status, ok.html.match(/<div class="error-summary[\s\S]{0,600}/)?.[0]).toBe(303);
    expect(ok.location).toContain('selesai=ombudsman');
    const after = await c.get(ok.location!);
    expect(after.html).toContain('Laporan dialihkan ke Ombudsman.');
    // The consent note is on the coordinator's timeline; the Ombudsman's package says how the consent was given, and
    // carries the note (which may name the reporter) only because the identity is shared here.
    expect(after.html).toContain(note);
    const o = await client(DEMO.ombudsman);
    const handed = await o.get(`/kantor/ombudsman/laporan/${r.staffEscalate.trackingId}`);
    expect(handed.status).toBe(200);
    expect(handed.html).toContain('dicatat oleh koordinator');
    expect(handed.html).toContain(note);
    expect(handed.html).toContain(REPORTER.name);
    // The reporter's own consent reads as such.
    const own = await o.get(`/kantor/ombudsman/laporan/${r.shared.trackingId}?lang=en`);
    expect(own.html).toContain('Given by the reporter (tracking page, API or SMS), 13 April 2026');
  });
});
