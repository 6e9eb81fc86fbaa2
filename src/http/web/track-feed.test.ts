/**
 * Tracking page, public feed and report page over real HTTP: the reporter's timeline and forms (PRG),
 * ESCALATION_NOT_DUE shown as a page message, support once per device, and the privacy rules: an anonymous
 * reporter's name never appears publicly, a confidential report is absent from every public page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Lampu jalan mati di Jalan Sudirman',
      body: 'Lampu jalan mati sudah dua minggu, sangat gelap dan rawan kecelakaan di malam hari.',
      regionCode: '64.71',
      reporter: { name: 'Budi Santoso Pelapor', email: 'budi.pelapor@contoh.aduan.id' },
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

async function verify(id: string) {
  const coord = await t.login(DEMO.coordinator);
  const r = await t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { categoryId, agencyId: 'pupr-kaltim' },
    token: coord,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function respond(id: string) {
  const admin = await t.login(DEMO.puprAdmin);
  const r = await t.api(`/api/v1/reports/${id}/actions/respond`, {
    json: { body: 'Lampu sudah diganti oleh tim pemeliharaan pada 11 Maret.', final: true },
    token: admin,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

describe('tracking page', () => {
  it('looks up by number and key, and rejects a wrong key without revealing anything', async () => {
    const r = await submit();
    const c = new WebClient(t.url);
    const post = await c.post('/lacak', { id: r.trackingId, k: r.accessKey });
    expect(post.status).toBe(303);
    expect(post.location).toBe(`/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}`);
    const page = await c.get(post.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Lampu jalan mati di Jalan Sudirman');
    expect(page.html).toContain('class="timeline"');
    expect(page.html).toContain('Laporan masuk dan menunggu verifikasi');
    expect(page.html).toContain('badge-');
    expect(page.html).toContain(`name="k" value="${r.accessKey}"`);
    const wrong = await c.get(`/lacak/${r.trackingId}?k=salah`);
    expect(wrong.status).toBe(404);
    expect(wrong.html).not.toContain('Lampu jalan mati');
    const empty = await c.post('/lacak', { id: '12', k: '' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('href="#f-id"');
  });

  it('reporter replies, sees ESCALATION_NOT_DUE nicely, then accepts with a rating (PRG)', async () => {
    const r = await submit();
    await verify(r.trackingId);
    const c = new WebClient(t.url);
    const base = `/lacak/${r.trackingId}`;
    const reply = await c.post(`${base}/comment`, {
      k: r.accessKey,
      commentBody: 'Mohon segera, terima kasih.',
    });
    expect(reply.status).toBe(303);
    expect(reply.location).toContain('ok=comment');
    const after = await c.get(reply.location!);
    expect(after.html).toContain('Pesan Anda terkirim.');
    expect(after.html).toContain('Mohon segera, terima kasih.');
    const esc = await c.post(`${base}/escalate`, { k: r.accessKey, consent: '1' });
    expect(esc.status).toBe(422);
    expect(esc.html).toContain('Pengalihan dapat diminta mulai');
    // Not due yet is the answer with or without the consent box (there is no form to tick before then).
    const noConsent = await c.post(`${base}/escalate`, { k: r.accessKey });
    expect(noConsent.status).toBe(422);
    expect(noConsent.html).toContain('Pengalihan dapat diminta mulai');
    expect(noConsent.html).not.toContain('href="#f-consent"');

    await respond(r.trackingId);
    const page = await c.get(`${base}?k=${encodeURIComponent(r.accessKey)}`);
    expect(page.html).toContain('Tindak lanjut instansi');
    expect(page.html).toContain('Lampu sudah diganti');
    expect(page.html).toContain('name="rating"');
    const bad = await c.post(`${base}/accept`, { k: r.accessKey, comment: 'ok' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Nilai harus 1 sampai 5.');
    expect(bad.html).toContain('>ok</textarea>');
    const ok = await c.post(`${base}/accept`, { k: r.accessKey, rating: '5' });
    expect(ok.status).toBe(303);
    const done = await c.get(ok.location!);
    expect(done.html).toContain('Laporan Anda selesai.');
    expect(done.html).not.toContain('name="rating"');
    // A forged action without the key is refused.
    const forged = await c.post(`${base}/dispute`, { k: 'salah', reason: 'tidak setuju sama sekali' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('text/html');
  });
});

describe('public feed and report page', () => {
  it('lists verified public reports with filters and search; support once per device', async () => {
    const r = await submit({ title: 'Trotoar ambles dekat terminal Batu Ampar' });
    await verify(r.trackingId);
    const c = new WebClient(t.url);
    const feed = await c.get('/laporan');
    expect(feed.status).toBe(200);
    expect(feed.html).toContain('Trotoar ambles dekat terminal Batu Ampar');
    expect((await c.get('/laporan?q=trotoar')).html).toContain(`/laporan/${r.trackingId}`);
    expect((await c.get('/laporan?q=zzzzqqq')).html).not.toContain(`/laporan/${r.trackingId}`);
    expect((await c.get('/laporan?agencyId=pupr-kaltim&prov=64&kab=64.71')).html).toContain(
      `/laporan/${r.trackingId}`,
    );
    expect((await c.get('/laporan?agencyId=dinkes-kaltim')).html).not.toContain(`/laporan/${r.trackingId}`);
    expect((await c.get('/laporan?classification=aspirasi')).html).not.toContain(`/laporan/${r.trackingId}`);
    const page = await c.get(`/laporan/${r.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Dukung laporan ini');
    const s1 = await c.post(`/laporan/${r.trackingId}/dukung`, {});
    expect(s1.location).toBe(`/laporan/${r.trackingId}?dukung=ok`);
    const after = (await c.get(s1.location!)).html;
    expect(after).toContain('1 dukungan');
    // This device supports it already: the page says so instead of offering the button again.
    expect(after).toContain('Anda sudah mendukung laporan ini');
    expect(after).not.toContain('Dukung laporan ini');
    const en = (await c.get(`/laporan/${r.trackingId}?lang=en`)).html;
    expect(en).toContain('<p>1 support</p>');
    expect(en).toContain('You already support this report');
    const s2 = await c.post(`/laporan/${r.trackingId}/dukung`, {});
    expect(s2.location).toBe(`/laporan/${r.trackingId}?dukung=sudah`);
    // Another device still gets the button.
    const other = (await new WebClient(t.url).get(`/laporan/${r.trackingId}`)).html;
    expect(other).toContain('Dukung laporan ini');
    expect(other).not.toContain('Anda sudah mendukung laporan ini');
  });

  it('signed-in citizens comment with a CSRF token; a post without the token is refused', async () => {
    const r = await submit({ title: 'Saluran air tersumbat di Gunung Sari' });
    await verify(r.trackingId);
    const c = new WebClient(t.url);
    const login = await c.post('/masuk', { email: DEMO.citizen, password: 'demo-aduan-2026' });
    expect(login.status, login.html.slice(0, 200)).toBe(303);
    const page = await c.get(`/laporan/${r.trackingId}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
    expect(
      (await c.post(`/laporan/${r.trackingId}/komentar`, { body: 'Saya juga mengalami ini.' })).status,
    ).toBe(403);
    const ok = await c.post(`/laporan/${r.trackingId}/komentar`, {
      body: 'Saya juga mengalami ini.',
      _csrf: csrf,
    });
    expect(ok.status).toBe(303);
    expect((await c.get(`/laporan/${r.trackingId}`)).html).toContain('Saya juga mengalami ini.');
  });

  it('never shows an anonymous reporter identity on the public page or in the feed', async () => {
    const r = await submit({ anonymous: true, title: 'Pungutan liar di kantor kelurahan' });
    await verify(r.trackingId);
    const c = new WebClient(t.url);
    const page = await c.get(`/laporan/${r.trackingId}`);
    expect(page.status).toBe(200);
    for (const html of [
      page.html,
      (await c.get('/laporan')).html,
      (await c.get('/laporan?q=pungutan')).html,
    ]) {
      expect(html).toContain('Pungutan liar di kantor kelurahan');
      expect(html).not.toContain('Budi Santoso Pelapor');
      expect(html).not.toContain('budi.pelapor@contoh.aduan.id');
    }
  });

  it('a confidential report is 404 on the public page and absent from the feed and search', async () => {
    const r = await submit({ confidential: true, title: 'Dugaan suap perizinan bangunan rahasia' });
    await verify(r.trackingId);
    const c = new WebClient(t.url);
    const page = await c.get(`/laporan/${r.trackingId}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain('Dugaan suap');
    for (const path of ['/laporan', '/laporan?q=suap', '/laporan?q=perizinan%20bangunan', '/']) {
      const html = (await c.get(path)).html;
      expect(html).not.toContain('Dugaan suap');
      expect(html).not.toContain(r.trackingId);
    }
    // Even a signed-in officer browsing the public pages sees the public view only.
    const officer = new WebClient(t.url);
    await officer.post('/masuk', { email: DEMO.coordinator, password: 'demo-aduan-2026' });
    expect((await officer.get(`/laporan/${r.trackingId}`)).status).toBe(404);
    // The reporter still sees it through the private link.
    expect((await c.get(`/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}`)).status).toBe(200);
    // Home numbers count public reports only.
    expect((await c.get('/')).html).not.toContain('Dugaan');
  });

  it('an unverified report is not public, and unknown pages are HTML 404s in both languages', async () => {
    const r = await submit();
    const c = new WebClient(t.url);
    expect((await c.get(`/laporan/${r.trackingId}`)).status).toBe(404);
    const nf = await c.get('/tidak-ada?lang=en');
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toContain('text/html');
    expect(nf.html).toContain('Page not found');
    expect(c.cookies.get('lang')).toBe('en');
    expect((await c.get('/tidak-ada')).html).toContain('Page not found');
  });
});
