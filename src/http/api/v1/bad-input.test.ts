/** Bad input never produces a 500: 400 malformed, 422 invalid values with bilingual field messages, 413, 429, 401/423. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
const valid = {
  classification: 'pengaduan',
  title: 'Jalan rusak parah',
  body: 'Jalan di depan sekolah rusak parah sejak bulan lalu dan belum diperbaiki.',
  regionCode: '64.72',
  reporter: { name: 'Warga Uji' },
};

beforeAll(async () => {
  t = await startTestApp({ limits: { submitPerMinute: 1000, loginPerMinute: 1000 } });
});
afterAll(() => t?.close());

const post = (json: unknown) => t.api('/api/v1/reports', { json });

describe('POST /api/v1/reports with bad input', () => {
  it('answers 400 INVALID_JSON for malformed JSON, in both languages', async () => {
    const r = await t.api('/api/v1/reports', {
      body: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_JSON');
    expect(r.body.error.translations.id.message).toMatch(/JSON/);
    expect(r.body.error.translations.en.message).toMatch(/not valid JSON/);
  });

  it('answers 422 on reporter.phone for a number without 8 digits (brackets and dashes only)', async () => {
    for (const phone of ['((((((()))))))', '----(  )----', '1234567']) {
      const r = await post({ ...valid, reporter: { name: 'Warga Uji', phone } });
      expect(r.status, phone).toBe(422);
      expect(Object.keys(r.body.error.fields)).toEqual(['reporter.phone']);
    }
    const ok = await post({ ...valid, reporter: { name: 'Warga Uji', phone: '(0541) 123-45' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('answers 422 with field messages for wrong types, missing and unknown fields', async () => {
    const r = await post({ ...valid, title: 42, body: undefined, colour: 'red' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(r.body.error.fields).sort()).toEqual(['body', 'colour', 'title']);
    expect(r.body.error.fields.body).toBe('Wajib diisi.');
    expect(r.body.error.translations.en.fields.body).toBe('This field is required.');
    expect(r.body.error.translations.en.fields.colour).toBe('This field is not recognised.');
  });

  it('explains length limits in Indonesian by default and English on request', async () => {
    const r = await post({ ...valid, title: 'abc' });
    expect(r.body.error.fields.title).toBe('Minimal 5 karakter.');
    const en = await t.api('/api/v1/reports?lang=en', { json: { ...valid, title: 'abc' } });
    expect(en.body.error.fields.title).toBe('At least 5 characters.');
    const hdr = await t.api('/api/v1/reports', {
      json: { ...valid, title: 'abc' },
      headers: { 'accept-language': 'en-US' },
    });
    expect(hdr.body.error.message).toBe('Some fields need to be corrected.');
  });

  it('rejects enums, unknown regions, future dates and points outside Indonesia with 422', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ classification: 'keluhan' }, 'classification'],
      [{ regionCode: '99.99' }, 'regionCode'],
      [{ regionCode: 'abc' }, 'regionCode'],
      [{ occurredOn: '2999-01-01' }, 'occurredOn'],
      [{ occurredOn: '2026-02-30x' }, 'occurredOn'],
      [{ regionCode: undefined, lat: 51.5, lon: -0.12 }, 'lat'],
      [{ regionCode: undefined }, 'regionCode'],
      [{ categoryId: 999999 }, 'categoryId'],
      [{ targetAgencyId: 'no-such-agency' }, 'targetAgencyId'],
      [{ reporter: { name: 'A', email: 'not-an-email' } }, 'reporter.email'],
      [{ reporter: { name: 'A', nik: '123' } }, 'reporter.nik'],
      [{ reporter: undefined }, 'reporter.name'],
    ];
    for (const [patch, field] of cases) {
      const r = await post({ ...valid, ...patch });
      expect(r.status, JSON.stringify(patch)).toBe(422);
      expect(Object.keys(r.body.error.fields), JSON.stringify(patch)).toContain(field);
      expect(r.body.error.translations.en.fields[field]).toBeTruthy();
    }
  });

  it('accepts an anonymous report without a reporter', async () => {
    const r = await post({ ...valid, reporter: undefined, anonymous: true });
    expect(r.status).toBe(201);
  });

  it('answers 413 for an oversized body', async () => {
    const r = await post({ ...valid, body: 'x'.repeat(400_000) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never answers 500 to garbage', async () => {
    const garbage: unknown[] = [
      null,
      1,
      'text',
      [],
      [valid],
      { title: null },
      { reporter: 'x' },
      { lat: 'a', lon: {} },
      { anonymous: 'yes' },
    ];
    for (const g of garbage) {
      const r = await post(g);
      expect(r.status, JSON.stringify(g)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(g)).toBeLessThan(500);
    }
    const wrongType = await t.api('/api/v1/reports', {
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBeLessThan(500);
  });
});

describe('other endpoints with bad input', () => {
  it('answers 422 for a malformed tracking number and 404 for an unknown one', async () => {
    expect((await t.api('/api/v1/reports/12ab')).status).toBe(422);
    expect((await t.api('/api/v1/reports/1234567890')).status).toBe(404);
    expect((await t.api('/api/v1/nothing-here')).status).toBe(404);
  });

  it('validates action bodies', async () => {
    const r = await post(valid);
    const bad = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/accept`, {
      json: { rating: 9 },
      accessKey: r.body.accessKey,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.rating).toBe('Maksimal 5.');
    const list = await t.api('/api/v1/reports?pageSize=1000');
    expect(list.status).toBe(422);
    const status = await t.api('/api/v1/reports?status=nonsense');
    expect(status.status).toBe(422);
  });

  it('disposes only down the handling agency’s own tree (422 on the unitId field otherwise)', async () => {
    const r = await post(valid);
    const cats = await t.api('/api/v1/categories');
    const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId: cats.body.items[0].id, agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    expect(v.status).toBe(200);
    const token = await t.login(DEMO.puprAdmin);
    for (const unitId of ['dinkes-kaltim-unit', 'pemprov-kaltim', 'no-such-unit']) {
      const d = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/dispose?lang=en`, {
        json: { unitId },
        token,
      });
      expect(d.status, unitId).toBe(422);
      expect(d.body.error.fields.unitId, unitId).toBeTruthy();
      expect(d.body.error.translations.id.fields.unitId, unitId).toBeTruthy();
    }
    const ok = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.agency.id ?? ok.body.agency).toBe('pupr-kaltim-unit');
  });
});

describe('accounts', () => {
  it('answers 401 for wrong credentials and locks the account after repeated failures', async () => {
    const email = DEMO.assessor;
    for (let i = 0; i < 4; i++) {
      const r = await t.api('/api/v1/auth/login', { json: { email, password: 'wrong-password' } });
      expect(r.status).toBe(401);
    }
    const fifth = await t.api('/api/v1/auth/login', { json: { email, password: 'wrong-password' } });
    expect(fifth.status).toBe(423);
    const right = await t.api('/api/v1/auth/login', { json: { email, password: 'demo-aduan-2026' } });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('requires the CSRF token for cookie-authenticated writes, not for bearer tokens', async () => {
    const login = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.coordinator, password: 'demo-aduan-2026' },
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('aduan_session='))!
      .split(';')[0]!;
    const r = await post(valid);
    const path = `/api/v1/reports/${r.body.trackingId}/actions/note`;
    const without = await t.api(path, { json: { body: 'x' }, headers: { cookie } });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('CSRF_INVALID');
    const withToken = await t.api(path, {
      json: { body: 'x' },
      headers: { cookie, 'x-csrf-token': login.body.csrfToken },
    });
    expect(withToken.status).toBe(200);
    // Another note (the same one twice by one person is a repeat: 409 DUPLICATE_NOTE).
    const bearer = await t.api(path, { json: { body: 'y' }, token: login.body.token });
    expect(bearer.status).toBe(200);
  });

  it('answers 401 for an unknown bearer token', async () => {
    expect((await t.api('/api/v1/reports', { token: 'not-a-token' })).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('limits submissions and sign-ins per client with 429 and Retry-After', async () => {
    const limited = await startTestApp({
      limits: { submitPerMinute: 2, loginPerMinute: 2 },
      now: new Date(),
    }); // one fixed window
    try {
      const logins = [];
      for (const password of ['demo-aduan-2026', 'wrong-password', 'demo-aduan-2026'])
        logins.push(
          (await limited.api('/api/v1/auth/login', { json: { email: DEMO.citizen, password } })).status,
        );
      expect(logins).toEqual([200, 401, 429]);
      const login = await limited.api('/api/v1/auth/login', { json: { email: DEMO.citizen, password: 'x' } });
      expect(login.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(login.body.error.code).toBe('RATE_LIMITED');

      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.api('/api/v1/reports', { json: valid })).status);
      expect(codes).toEqual([201, 201, 429]);
      const r = await limited.api('/api/v1/reports', { json: valid });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
