/**
 * Platform endpoints and verifier privacy controls: health, readiness, metrics, OpenAPI, and the privacy flags (which
 * staff may add but never lift); the Ombudsman is never a dispatch target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../../test/helpers/web-client.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('platform endpoints', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await t.api('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.api('/readyz')).body).toEqual({ status: 'ready' });
    const m = await t.api('/metrics');
    expect(m.status).toBe(200);
    expect(String(m.body)).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI 3.1 document at /api/docs', async () => {
    const doc = await t.api('/api/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    // Every endpoint of docs/api-v1.md, every action of its table.
    const actions = ['verify', 'hold', 'supplement', 'archive', 'dispose', 'return', 'respond', 'accept']
      .concat(['dispute', 'escalate', 'note', 'comment', 'support'])
      .map((a) => `/api/v1/reports/{trackingId}/actions/${a}`);
    for (const path of [
      '/api/v1/reports',
      '/api/v1/reports/{trackingId}',
      '/api/v1/reports/{trackingId}/events',
      '/api/v1/reports/{trackingId}/attachments',
      ...actions,
      '/api/v1/auth/login',
      '/api/v1/agencies',
      '/api/v1/categories',
      '/api/v1/regions',
      '/api/v1/holidays',
      '/api/v1/stats',
      '/api/v1/open-data/reports.csv',
      '/api/v1/open-data/reports.json',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(Object.keys(doc.body.paths['/api/v1/reports'])).toEqual(expect.arrayContaining(['get', 'post']));
    const ui = await t.api('/api/docs');
    expect([200, 302]).toContain(ui.status);
  });
});

describe('privacy flags set by verifiers', () => {
  it('lets the coordinator make a report anonymous and confidential, hiding it from the public and the agency', async () => {
    const s = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pungutan di loket layanan',
        body: 'Petugas loket meminta uang tambahan di luar tarif resmi untuk mempercepat layanan.',
        regionCode: '64.72.01',
        reporter: { name: 'Dewi Pelapor', phone: '081377788899' },
      },
    });
    const id = s.body.trackingId;
    const coord = await t.login(DEMO.coordinator);
    const cats = await t.api('/api/v1/categories');
    await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: cats.body.items[0].id, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect((await t.api(`/api/v1/reports/${id}`)).status).toBe(200);
    const admin = await t.login(DEMO.puprAdmin);
    expect((await t.api(`/api/v1/reports/${id}`, { token: admin })).body.reporter.name).toBe('Dewi Pelapor');

    const denied = await t.api(`/api/v1/reports/${id}/privacy`, {
      json: { confidential: true },
      token: admin,
    });
    expect(denied.status).toBe(403);
    const r = await t.api(`/api/v1/reports/${id}/privacy`, {
      json: { anonymous: true, confidential: true },
      token: coord,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ anonymous: true, confidential: true });
    expect((await t.api(`/api/v1/reports/${id}`)).status).toBe(404);
    const seen = await t.api(`/api/v1/reports/${id}`, { token: admin });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain('Dewi Pelapor');
    const empty = await t.api(`/api/v1/reports/${id}/privacy`, { json: {}, token: coord });
    expect(empty.status).toBe(422);
  });
});

describe('no one on staff lifts anonim or rahasia', () => {
  const NAME = 'Kartika Tersembunyi';
  const PHONE = '081355566677';
  const fileAnonymous = async (extra: Record<string, unknown> = {}) => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pungutan liar di loket perizinan dinas',
        body: 'Petugas loket perizinan meminta uang tambahan agar berkas cepat diproses.',
        regionCode: '64.72.01',
        anonymous: true,
        confidential: true,
        targetAgencyId: 'pupr-kaltim',
        reporter: { name: NAME, phone: PHONE },
        ...extra,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.trackingId as string;
  };

  it('refuses the privacy API and the verify API with a field message; the agency never sees the reporter', async () => {
    const id = await fileAnonymous();
    const admin = await t.login(DEMO.puprAdmin);
    const coord = await t.login(DEMO.coordinator);
    for (const token of [admin, coord]) {
      const r = await t.api(`/api/v1/reports/${id}/privacy`, {
        json: { anonymous: false, confidential: false },
        token,
        headers: { 'accept-language': 'en' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.fields).toEqual({
        anonymous: expect.stringContaining('cannot be lifted'),
        confidential: expect.stringContaining('cannot be lifted'),
      });
      expect(r.body.error.translations.id.fields.anonymous).toContain('tidak dapat dicabut');
    }
    const category = await categoryIdByName(t);
    const verify = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: category, agencyId: 'pupr-kaltim', anonymous: false },
      token: admin,
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(422);
    expect(Object.keys(verify.body.error.fields)).toEqual(['anonymous']);
    const seen = await t.api(`/api/v1/reports/${id}`, { token: admin });
    expect(seen.body).toMatchObject({ anonymous: true, confidential: true, status: 'submitted' });
    expect(JSON.stringify(seen.body)).not.toContain(NAME);
    // Adding stays possible, and so does verifying with the flags left as they are.
    const ok = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: category, agencyId: 'pupr-kaltim' },
      token: admin,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ anonymous: true, confidential: true });
  });

  it('the verify form without JavaScript: an unticked anonim box is refused on the privacy fieldset', async () => {
    const id = await fileAnonymous({ confidential: false });
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain('tidak dapat dicabut setelah ditetapkan');
    expect(page.html).not.toContain(NAME);
    const post = await web.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(page.html),
      classification: 'pengaduan',
      categoryId: String(await categoryIdByName(t)),
      agencyId: 'pupr-kaltim',
    });
    expect(post.status).toBe(422);
    expect(post.html).toContain('error-summary');
    expect(post.html).toContain('tidak dapat dicabut oleh petugas');
    expect(post.html).not.toContain(NAME);
    expect(post.html).not.toContain(PHONE);
    const after = await t.api(`/api/v1/reports/${id}`, { token: await t.login(DEMO.puprAdmin) });
    expect(after.body).toMatchObject({ anonymous: true, status: 'submitted' });
  });

  it('the Ombudsman is not a dispatch target, nor an addressee; the verify picker leaves it out', async () => {
    const id = await fileAnonymous({ targetAgencyId: undefined });
    const coord = await t.login(DEMO.coordinator);
    const r = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { categoryId: await categoryIdByName(t), agencyId: 'ombudsman-kaltim' },
      token: coord,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.fields.agencyId).toContain('Ombudsman');
    const addressed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pelayanan buruk di kantor kelurahan',
        body: 'Petugas kelurahan tidak melayani warga pada jam kerja tanpa alasan yang jelas.',
        regionCode: '64.72.01',
        targetAgencyId: 'ombudsman-kaltim',
        reporter: { name: 'Warga Kelurahan' },
      },
    });
    expect(addressed.status, JSON.stringify(addressed.body)).toBe(422);
    expect(Object.keys(addressed.body.error.fields)).toEqual(['targetAgencyId']);
    const web = await signInWeb(t.url, DEMO.coordinator);
    const page = await web.get(`/kantor/laporan/${id}`);
    expect(page.html).toContain('value="pupr-kaltim"');
    expect(page.html).not.toContain('value="ombudsman-kaltim"');
  });
});
