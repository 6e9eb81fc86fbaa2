/** Platform endpoints and verifier privacy controls: health, readiness, metrics, OpenAPI, and the privacy flags. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

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
