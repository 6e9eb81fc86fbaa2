/**
 * The header's language switch on a page re-rendered by a failed form POST (422) over real HTTP: it must point
 * at the GET page the form lives on (a POST URL such as `/lacak/<id>/dispute` has no GET route), answer 200
 * in the other language (following redirects), keep the tracking page's access key when the form carried
 * it, and never add a key to a page that did not have one. Covers the reporter's dispute form, the
 * journey's check page (`POST /lapor/kirim`), a staff form (`/kantor/laporan/<id>/verify`), a form posting
 * to its own page (`/masuk`), and a form two levels below its page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { walkJourney } from '../../../test/helpers/journey.ts';
import { csrfOf, signInWeb, WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  categoryId = await categoryIdByName(t);
});
afterAll(() => t?.close());

async function submit(): Promise<{ trackingId: string; accessKey: string }> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Trotoar ambles di Jalan Juanda',
      body: 'Trotoar di depan sekolah ambles dan berlubang, membahayakan anak-anak yang berjalan kaki.',
      regionCode: '64.71',
      reporter: { name: 'Dewi Pelapor', email: 'dewi.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

/** The `href` of the header's language switch, unescaped. */
function langLink(html: string): string {
  const m = /<a class="lang-switch" href="([^"]+)"/.exec(html);
  expect(m, 'the page has a language switch').toBeTruthy();
  return m![1]!.replace(/&amp;/g, '&');
}

/** GETs a path with the client's cookies, following redirects (at most 5); returns the final response. */
async function follow(c: WebClient, path: string): Promise<WebResponse & { url: string }> {
  let url = path;
  for (let i = 0; i < 5; i++) {
    const r = await c.get(url);
    if (r.status < 300 || r.status >= 400 || !r.location) return { ...r, url };
    url = r.location;
  }
  throw new Error(`too many redirects from ${path}`);
}

describe('language switch after a failed form post', () => {
  it('tracking page dispute form: the link reopens the private link with its key, in English', async () => {
    const r = await submit();
    const coord = await t.login(DEMO.coordinator);
    const v = await t.api(`/api/v1/reports/${r.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const resp = await t.api(`/api/v1/reports/${r.trackingId}/actions/respond`, {
      json: { body: 'Trotoar sudah ditambal oleh tim pemeliharaan.', final: true },
      token: await t.login(DEMO.puprAdmin),
    });
    expect(resp.status, JSON.stringify(resp.body)).toBe(200);

    const c = new WebClient(t.url);
    const key = encodeURIComponent(r.accessKey);
    const page = await c.get(`/lacak/${r.trackingId}?k=${key}`);
    expect(page.html).toContain(`action="/lacak/${r.trackingId}/dispute"`);
    const bad = await c.post(`/lacak/${r.trackingId}/dispute`, { k: r.accessKey, reason: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-reason"');
    const link = langLink(bad.html);
    expect(link).toBe(`/lacak/${r.trackingId}?k=${key}&lang=en`);
    const en = await follow(c, link);
    expect(en.status).toBe(200);
    expect(en.html).toContain('<html lang="en"');
    expect(en.html).toContain('Trotoar ambles di Jalan Juanda');
    expect(en.html).toContain(`action="/lacak/${r.trackingId}/dispute"`); // the reporter's page, forms and all

    // And back: the English 422 links to the Indonesian private link.
    const badEn = await c.post(`/lacak/${r.trackingId}/dispute`, { k: r.accessKey, reason: '' });
    expect(badEn.status).toBe(422);
    expect(badEn.html).toContain('<html lang="en"');
    const back = langLink(badEn.html);
    expect(back).toBe(`/lacak/${r.trackingId}?k=${key}&lang=id`);
    expect((await follow(c, back)).status).toBe(200);
  });

  it('the lookup form never puts the typed access key into the link', async () => {
    const c = new WebClient(t.url);
    const bad = await c.post('/lacak', { id: '12', k: 'kunci-rahasia-sekali' });
    expect(bad.status).toBe(422);
    const link = langLink(bad.html);
    expect(link).toBe('/lacak?lang=en');
    expect(bad.html).not.toContain('kunci-rahasia-sekali');
    expect((await follow(c, link)).status).toBe(200);
  });

  it('journey check page: a refused POST /lapor/kirim links to /lapor/periksa', async () => {
    const c = new WebClient(t.url);
    // A forged agency id passes the step and is refused at submission (422 on the check page).
    await walkJourney(c, { kategori: { categoryId: String(categoryId), agencyId: 'tidak-ada' } });
    const forged = await c.post('/lapor/kirim', {});
    expect(forged.status).toBe(422);
    expect(forged.html).toContain('Instansi tidak dikenal.');
    const link = langLink(forged.html);
    expect(link).toBe('/lapor/periksa?lang=en');
    const en = await follow(c, link);
    expect(en.status).toBe(200);
    expect(en.url).toBe('/lapor/periksa?lang=en'); // the check page itself, not the first step
    expect(en.html).toContain('<html lang="en"');
    expect(en.html).toContain('Jalan rusak di depan pasar'); // the draft's answers are still there
  });

  it('staff verify form with a missing category links to the report page', async () => {
    const r = await submit();
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${r.trackingId}`);
    expect(page.status).toBe(200);
    const bad = await c.post(`/kantor/laporan/${r.trackingId}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: '',
      agencyId: 'pupr-kaltim',
    });
    expect(bad.status, bad.html.slice(0, 300)).toBe(422);
    const link = langLink(bad.html);
    expect(link).toBe(`/kantor/laporan/${r.trackingId}?lang=en`);
    const en = await follow(c, link);
    expect(en.status).toBe(200);
    expect(en.html).toContain('<html lang="en"');
    expect(en.html).toContain('Trotoar ambles di Jalan Juanda');
  });

  it('a form posting to its own page keeps it; a form two levels below links to the nearest page', async () => {
    const c = new WebClient(t.url);
    const signIn = await c.post('/masuk', { email: DEMO.coordinator, password: 'salah-sekali', next: '/' });
    expect(signIn.status).toBe(401);
    const link = langLink(signIn.html);
    expect(link).toBe('/masuk?lang=en');
    expect((await follow(c, link)).status).toBe(200);

    // POST /kantor/integrasi/kunci/:id/cabut: neither it nor /kantor/integrasi/kunci has a GET route.
    const admin = await signInWeb(t.url, DEMO.national);
    const integrations = await admin.get('/kantor/integrasi');
    expect(integrations.status).toBe(200);
    const gone = await admin.post('/kantor/integrasi/kunci/00000000-0000-4000-8000-000000000000/cabut', {
      _csrf: csrfOf(integrations.html),
    });
    expect(gone.status).toBeGreaterThanOrEqual(400);
    const adminLink = langLink(gone.html);
    expect(adminLink).toBe('/kantor/integrasi?lang=en');
    expect((await follow(admin, adminLink)).status).toBe(200);
  });
});
