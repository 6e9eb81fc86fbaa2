/**
 * Findings of the integrator audit of the JSON API (M1, M2, M4, M5, LOW 1, 2, 4, 8, 9, 13): the Authorization
 * scheme, `allowedActions` agreeing everywhere (the hand-off to Ombudsman, `pull-back`), 401 for callers without
 * credentials, unknown query parameters, the archived-merge 409, invalid UTF-8 bodies, Retry-After on a locked
 * account, the open-data dictionary's schema and the singular "1 character".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';

let t: TestApp;
let roads: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-12-02T02:00:00Z') });
  roads = await categoryIdByName(t);
});
afterAll(() => t?.close());

/** fetch with a raw Authorization header (t.api always writes `Bearer`). */
async function withAuth(path: string, authorization: string, init: RequestInit = {}) {
  const res = await fetch(t.url + path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization },
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') && text;
  return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text };
}

/** Files a report as a citizen without an account. */
const file = (title: string) => submitReport(t, title, { reporter: { name: 'Budi Santoso' } });

/** A report dispatched to Dinas PUPR by the province's coordinator. */
async function dispatched(title: string): Promise<string> {
  const id = await file(title);
  await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', roads);
  return id;
}

/** The caller's allowedActions of one report in GET /reports (the list). */
async function listed(token: string, id: string): Promise<string[]> {
  const r = await t.api('/api/v1/reports?pageSize=100', { token });
  expect(r.status).toBe(200);
  const item = (r.body.items as any[]).find((x) => x.trackingId === id);
  expect(item, `report ${id} in the list`).toBeTruthy();
  return item.allowedActions;
}

describe('M1: the Authorization header', () => {
  it('takes the bearer scheme in any letter case (RFC 7235)', async () => {
    const token = await t.login(DEMO.coordinator);
    const canonical = await withAuth('/api/v1/reports?pageSize=1', `Bearer ${token}`);
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const r = await withAuth('/api/v1/reports?pageSize=1', `${scheme} ${token}`);
      expect(r.status, scheme).toBe(200);
      expect(r.body.total, scheme).toBe(canonical.body.total);
      expect((await withAuth('/api/v1/auth/me', `${scheme} ${token}`)).status, scheme).toBe(200);
    }
    // Signing out with a lowercase scheme ends that session.
    const other = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.assessor, password: 'demo-aduan-2026' },
    });
    const out = await withAuth('/api/v1/auth/logout', `bearer ${other.body.token}`, { method: 'POST' });
    expect(out.status).toBe(200);
    expect((await withAuth('/api/v1/auth/me', `Bearer ${other.body.token}`)).status).toBe(401);
  });

  it('keeps agency tokens working with a lowercase scheme', async () => {
    const admin = await t.login(DEMO.puprAdmin);
    const minted = await t.api('/api/v1/integrations/tokens', {
      json: { name: 'SIMPUPR audit' },
      token: admin,
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const id = await dispatched('Jalan berlubang di depan SD Negeri 5 Samarinda');
    const r = await withAuth(`/api/v1/reports/${id}/events`, `bearer ${minted.body.token}`);
    expect(r.status).toBe(200);
    // Staff-only reads: the token sees the verify event's internal data the public does not.
    const asPublic = await t.api(`/api/v1/reports/${id}`);
    const asToken = await withAuth(`/api/v1/reports/${id}`, `bearer ${minted.body.token}`);
    expect(asToken.body.allowedActions).toContain('respond');
    expect(asPublic.body.allowedActions).not.toContain('respond');
  });

  it('answers 401 with the bilingual envelope to a header it cannot use, never the public view', async () => {
    for (const header of ['Basic ZGVtbzpkZW1v', 'Token abc', 'Bearer', 'Bearer a b', 'bearer']) {
      const r = await withAuth('/api/v1/reports?pageSize=1', header);
      expect(r.status, header).toBe(401);
      expect(r.body.error.code, header).toBe('UNAUTHENTICATED');
      expect(r.body.error.translations.id.message, header).toBeTruthy();
      expect(r.body.error.translations.en.message, header).toBeTruthy();
      expect(r.headers.get('www-authenticate'), header).toMatch(/^Bearer/);
    }
    // A public page or the API reference behind a proxy's Basic auth is not the API's business.
    expect((await withAuth('/', 'Basic ZGVtbzpkZW1v')).status).toBe(200);
    expect((await withAuth('/api/docs/json', 'Basic ZGVtbzpkZW1v')).status).toBe(200);
  });
});

describe('M2 and LOW 1: allowedActions agree everywhere', () => {
  it('the list, privacy, pull-back and merge answers offer escalate only once open, and pull-back while allowed', async () => {
    const coord = await t.login(DEMO.coordinator);
    const id = await dispatched('Aspal jalan Pahlawan rusak parah dan berlubang');
    const one = await t.api(`/api/v1/reports/${id}`, { token: coord });
    expect(one.body.allowedActions).not.toContain('escalate');
    expect(one.body.allowedActions).toContain('pull-back');
    expect(await listed(coord, id)).toEqual(one.body.allowedActions);

    // Privacy answer = GET.
    const privacy = await t.api(`/api/v1/reports/${id}/privacy`, { json: { anonymous: true }, token: coord });
    expect(privacy.status, JSON.stringify(privacy.body)).toBe(200);
    const again = await t.api(`/api/v1/reports/${id}`, { token: coord });
    expect(privacy.body.allowedActions).toEqual(again.body.allowedActions);

    // The agency never gets pull-back; the public neither.
    const pupr = await t.login(DEMO.puprAdmin);
    expect((await t.api(`/api/v1/reports/${id}`, { token: pupr })).body.allowedActions).not.toContain(
      'pull-back',
    );
    expect((await t.api(`/api/v1/reports/${id}`)).body.allowedActions).not.toContain('pull-back');

    // Pull-back answer = GET (now returned: no pull-back, no escalate).
    const back = await t.api(`/api/v1/reports/${id}/actions/pull-back`, {
      json: { note: 'Salah instansi, dikembalikan ke verifikasi.' },
      token: coord,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const afterBack = await t.api(`/api/v1/reports/${id}`, { token: coord });
    expect(back.body.allowedActions).toEqual(afterBack.body.allowedActions);
    expect(back.body.allowedActions).not.toContain('escalate');
    expect(back.body.allowedActions).not.toContain('pull-back');
    expect(await listed(coord, id)).toEqual(afterBack.body.allowedActions);

    // Merge answer (the kept report) = GET of the kept report.
    const kept = await dispatched('Aspal Jalan Pahlawan rusak berat, banyak lubang');
    const merge = await t.api(`/api/v1/reports/${id}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: coord,
    });
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);
    const keptNow = await t.api(`/api/v1/reports/${kept}`, { token: coord });
    expect(merge.body.kept.allowedActions).toEqual(keptNow.body.allowedActions);
    expect(merge.body.kept.allowedActions).not.toContain('escalate');
    expect(merge.body.kept.allowedActions).toContain('pull-back');
  });

  it('stops offering pull-back once the agency acted (a disposisi)', async () => {
    const coord = await t.login(DEMO.coordinator);
    const id = await dispatched('Drainase tersumbat di Jalan Juanda depan pasar');
    await actOk(t, id, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: await t.login(DEMO.puprAdmin) });
    const one = await t.api(`/api/v1/reports/${id}`, { token: coord });
    expect(one.body.allowedActions).not.toContain('pull-back');
    expect(await listed(coord, id)).toEqual(one.body.allowedActions);
    const refused = await t.api(`/api/v1/reports/${id}/actions/pull-back`, {
      json: { note: 'Salah instansi.' },
      token: coord,
    });
    expect(refused.status).toBe(409);
  });
});

describe('M4: no credentials is 401, not 403', () => {
  it('answers 401 to a signed-out caller, 403 to one signed in without the right, 404 when hidden', async () => {
    const id = await dispatched('Jembatan kayu lapuk di Desa Loa Janan');
    const comment = await t.api(`/api/v1/reports/${id}/actions/comment`, {
      json: { body: 'Komentar publik' },
    });
    expect(comment.status, JSON.stringify(comment.body)).toBe(401);
    expect(comment.body.error.code).toBe('UNAUTHENTICATED');
    expect(comment.body.error.translations.en.message).toBeTruthy();
    const verify = await t.api(`/api/v1/reports/${id}/actions/note`, { json: { body: 'Catatan' } });
    expect(verify.status).toBe(401);
    const pullBack = await t.api(`/api/v1/reports/${id}/actions/pull-back`, { json: { note: 'x' } });
    expect(pullBack.status).toBe(401);

    // Signed in without the right: 403.
    const citizen = await t.login(DEMO.citizen);
    const note = await t.api(`/api/v1/reports/${id}/actions/note`, {
      json: { body: 'Catatan' },
      token: citizen,
    });
    expect(note.status).toBe(403);
    expect(note.body.error.code).toBe('FORBIDDEN');
    // A signed-in citizen may comment.
    await actOk(t, id, 'comment', { body: 'Komentar warga' }, { token: citizen });

    // The reporter's access key is a credential: 403 for what the reporter may not do.
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan padam di Jalan Cendana',
        body: 'Lampu jalan padam di Jalan Cendana. Mohon segera ditindaklanjuti oleh instansi.',
        regionCode: '64.72.02',
        anonymous: true,
      },
    });
    const hidden = filed.body.trackingId as string;
    const byKey = await t.api(`/api/v1/reports/${hidden}/actions/note`, {
      json: { body: 'Catatan' },
      accessKey: filed.body.accessKey,
    });
    expect(byKey.status).toBe(403);
    // Hidden (not verified yet) from a signed-out caller: 404 as always.
    const unseen = await t.api(`/api/v1/reports/${hidden}/actions/comment`, { json: { body: 'Komentar' } });
    expect(unseen.status).toBe(404);
  });
});

describe('M5: unknown query parameters', () => {
  it('are ignored on reads; known ones stay strict; unknown body keys stay 422', async () => {
    const id = await dispatched('Trotoar rusak di Jalan Gajah Mada');
    for (const path of [
      '/api/v1/reports?_=1700000000',
      '/api/v1/reports?foo=bar&status[]=dispatched',
      `/api/v1/reports/${id}?_=1700000000`,
      `/api/v1/reports/${id}/events?_=1700000000`,
      '/api/v1/regions?_=1',
      '/api/v1/holidays?year=2026&_=1',
      '/api/v1/stats?_=1',
      '/api/v1/open-data/reports.json?_=1',
      '/api/v1/similar?title=jalan&_=1',
    ]) {
      const r = await t.api(path);
      expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
    }
    const bad = await t.api('/api/v1/reports?pageSize=0&_=1');
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(['pageSize']);
    const body = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Judul laporan',
        body: 'Isi laporan yang cukup panjang untuk diterima.',
        regionCode: '64.72',
        reporter: { name: 'Budi' },
        extra: 1,
      },
    });
    expect(body.status).toBe(422);
    expect(body.body.error.fields.extra).toBeTruthy();
  });
});

describe('LOW 2: merge of an archived report', () => {
  it('names the merge in the 409', async () => {
    const coord = await t.login(DEMO.coordinator);
    const kept = await dispatched('Sampah menumpuk di TPS Jalan Antasari');
    const dup = await file('Sampah menumpuk di TPS Antasari berhari-hari');
    const merge = () =>
      t.api(`/api/v1/reports/${dup}/actions/merge`, { json: { keepTrackingId: kept }, token: coord });
    expect((await merge()).status).toBe(200);
    const twice = await merge();
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect(twice.body.error.params).toMatchObject({ action: 'merge', status: 'archived' });
  });
});

describe('LOW 4: invalid UTF-8 in a JSON body', () => {
  it('answers 400 INVALID_JSON and stores nothing; valid UTF-8 still goes through', async () => {
    const json = (title: Buffer) =>
      Buffer.concat([
        Buffer.from('{"classification":"pengaduan","title":"'),
        title,
        Buffer.from(
          '","body":"Jalan rusak parah di depan sekolah, mohon diperbaiki.","regionCode":"64.72","reporter":{"name":"Budi"}}',
        ),
      ]);
    const before = await t.api('/api/v1/reports?pageSize=1', { token: await t.login(DEMO.national) });
    const bad = await fetch(`${t.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json(
        Buffer.from([0x4a, 0x61, 0x6c, 0x61, 0x6e, 0x20, 0xff, 0xfe, 0x20, 0x72, 0x75, 0x73, 0x61, 0x6b]),
      ),
    });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as any;
    expect(err.error.code).toBe('INVALID_JSON');
    expect(err.error.translations.en.message).toMatch(/UTF-8/);
    expect(err.error.translations.id.message).toMatch(/UTF-8/);
    const after = await t.api('/api/v1/reports?pageSize=1', { token: await t.login(DEMO.national) });
    expect(after.body.total).toBe(before.body.total);

    const good = await fetch(`${t.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: json(Buffer.from('Jalan rusak – Kelurahan Sungai Pinang é', 'utf8')),
    });
    expect(good.status).toBe(201);
    const { trackingId } = (await good.json()) as any;
    const stored = await t.api(`/api/v1/reports/${trackingId}`, { token: await t.login(DEMO.national) });
    expect(stored.body.title).toBe('Jalan rusak – Kelurahan Sungai Pinang é');
    // Prototype poisoning is still refused by the default parser's rules.
    const proto = await fetch(`${t.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__":{"x":1}}',
    });
    expect(proto.status).toBe(400);
  });
});

describe('LOW 8: a locked account', () => {
  it('answers 423 with Retry-After until the lock ends', async () => {
    const attempt = () =>
      t.api('/api/v1/auth/login', { json: { email: DEMO.ombudsman, password: 'salah-kata-sandi' } });
    for (let i = 0; i < 4; i++) expect((await attempt()).status).toBe(401);
    const locked = await attempt();
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    const still = await attempt();
    expect(still.status).toBe(423);
    const seconds = Number(still.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
  });
});

describe('LOW 9: the open-data dictionary', () => {
  it('names the schema the snapshots are written in', async () => {
    const r = await t.api('/api/v1/open-data/dictionary');
    expect(r.body.schema).toBe('aduan-open-data/4');
    expect(r.body.columnsSince).toBe('aduan-open-data/1');
  });
});

describe('LOW 13: messages with a count', () => {
  it('says "1 character", not "1 characters"', async () => {
    const coord = await t.login(DEMO.coordinator);
    const id = await dispatched('Pohon tumbang menutup Jalan Kesuma Bangsa');
    const r = await t.api(`/api/v1/reports/${id}/actions/pull-back?lang=en`, {
      json: { note: '  ' },
      token: coord,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.translations.en.fields.note).toBe('At least 1 character.');
    expect(r.body.error.translations.id.fields.note).toBe('Minimal 1 karakter.');
    const title = await t.api('/api/v1/reports?lang=en', {
      json: {
        classification: 'pengaduan',
        title: 'abc',
        body: 'x'.repeat(30),
        regionCode: '64.72',
        anonymous: true,
      },
    });
    expect(title.body.error.translations.en.fields.title).toBe('At least 5 characters.');
  });
});
