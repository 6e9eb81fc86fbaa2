/**
 * The evaluation change form over real HTTP (findings F14, F3, F8, F9 in the back office):
 * - a period with more groups and predikat rows than a new form holds shows every one of them, and saving the
 *   form unchanged keeps them all (nothing dropped, weights version unchanged);
 * - a group code used by another period, a participant twice and thresholds without a 0 floor are 422 on the
 *   right field (Indonesian and English), not a 500;
 * - once published, the change form and a second publish answer a 409 page in both languages, and the period
 *   page offers neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { formFields, sessionsFor } from '../../../test/helpers/web-client.ts';
import { snapshotOpenData } from '../../commands/snapshot-open-data.ts';
import { previewField } from '../../../test/helpers/evaluation.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

async function get(email: string, path: string) {
  const res = await fetch(t.url + path, {
    headers: { cookie: (await signIn(email)).cookie, accept: 'text/html' },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function post(email: string, path: string, fields: Array<[string, string]> | Record<string, string>) {
  const s = await signIn(email);
  const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
  if (!body.has('_csrf')) body.set('_csrf', s.csrf);
  const res = await fetch(t.url + path, {
    method: 'POST',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: body.toString(),
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

const FIVE_THRESHOLDS = [
  { predikat: 'Istimewa', min: 95 },
  { predikat: 'Sangat Baik', min: 85 },
  { predikat: 'Baik', min: 70 },
  { predikat: 'Sedang', min: 55 },
  { predikat: 'Kurang', min: 0 },
];
const four = {
  id: 'qa-four',
  name: 'QA Four Groups',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  thresholds: FIVE_THRESHOLDS,
  groups: [
    { id: 'qa4-a', name: 'Grup A', scope: 'agency', participants: [{ agencyId: 'pupr-kaltim' }] },
    {
      id: 'qa4-b',
      name: 'Grup B',
      scope: 'agency',
      participants: [{ agencyId: 'dinkes-kaltim', socialUrl: 'https://instagram.com/dinkes' }],
    },
    { id: 'qa4-c', name: 'Grup C', scope: 'agency', participants: [{ agencyId: 'dishub-kaltim' }] },
    {
      id: 'qa4-d',
      name: 'Grup D',
      scope: 'region',
      award: 'website',
      participants: [{ agencyId: 'diskominfo-bontang', websiteUrl: 'https://bontangkota.go.id/' }],
    },
  ],
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const r = await t.api('/api/v1/evaluation/periods', { json: four, token: await t.login(DEMO.national) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 60_000);
afterAll(() => t?.close());

describe('the change form keeps every group and predikat', () => {
  it('shows all 4 groups and 5 thresholds; saving unchanged keeps them (same weights version)', async () => {
    const before = (await t.api('/api/v1/evaluation/periods/qa-four')).body;
    const edit = await get(DEMO.national, '/kantor/evaluasi/qa-four/ubah');
    expect(edit.status).toBe(200);
    expect(edit.html).toMatch(/name="g4_id"[^>]*value="qa4-d"/);
    expect(edit.html).toMatch(/name="t5_name"[^>]*value="Kurang"/);
    expect(edit.html).toContain('diskominfo-bontang, https://bontangkota.go.id/');

    const r = await post(
      DEMO.national,
      '/kantor/evaluasi/qa-four/ubah',
      formFields(edit.html, '/kantor/evaluasi/qa-four/ubah'),
    );
    expect(r.status, r.html.slice(0, 2000)).toBe(303);
    expect(r.location).toBe('/kantor/evaluasi/qa-four?ok=changed');
    const after = (await t.api('/api/v1/evaluation/periods/qa-four')).body;
    expect(after.groups).toEqual(before.groups);
    expect(after.thresholds).toEqual(FIVE_THRESHOLDS);
    expect(after.weightsVersion).toBe(before.weightsVersion);
    const page = await get(DEMO.national, '/kantor/evaluasi/qa-four');
    expect(page.html).toContain('https://bontangkota.go.id/');
    expect(page.html).toContain('https://instagram.com/dinkes');
  });

  it('a group emptied on purpose in the form is removed, the others kept', async () => {
    const edit = await get(DEMO.national, '/kantor/evaluasi/qa-four/ubah');
    const fields = formFields(edit.html, '/kantor/evaluasi/qa-four/ubah').map(([k, v]): [string, string] =>
      /^g3_(id|name|participants)$/.test(k) ? [k, ''] : [k, v],
    );
    const r = await post(DEMO.national, '/kantor/evaluasi/qa-four/ubah', fields);
    expect(r.status).toBe(303);
    const after = (await t.api('/api/v1/evaluation/periods/qa-four')).body;
    expect(after.groups.map((g: any) => g.id)).toEqual(['qa4-a', 'qa4-b', 'qa4-d']);
  });
});

describe('422 on the right field instead of a 500', () => {
  const form = (id: string, extra: Record<string, string> = {}) => ({
    id,
    name: 'Periode uji formulir',
    from: '2026-01-01',
    to: '2026-12-31',
    minVolume: '1',
    w_volume: '10',
    t1_name: 'Baik',
    t1_min: '70',
    t2_name: 'Kurang',
    t2_min: '0',
    g1_scope: 'agency',
    g2_scope: 'agency',
    g3_scope: 'agency',
    ...extra,
  });

  it('a group code of another period, a participant twice, thresholds without a 0 floor', async () => {
    // The taken code is in the second slot (the first is empty): the message sits on g2_id.
    let r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru',
      form('form-a', { g2_id: 'qa4-a', g2_name: 'Grup dicuri', g2_participants: 'pupr-kaltim' }),
    );
    expect(r.status, r.html.slice(0, 500)).toBe(422);
    expect(r.html).toMatch(/id="f-g2_id-error"[^>]*>[\s\S]*?Kode kelompok ini sudah dipakai periode qa-four/);
    r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru?lang=en',
      form('form-a', {
        g1_id: 'form-a-g',
        g1_name: 'Grup A',
        g1_participants: 'pupr-kaltim\ndinkes-kaltim\npupr-kaltim',
      }),
    );
    expect(r.status).toBe(422);
    expect(r.html).toMatch(
      /id="f-g1_participants-error"[^>]*>[\s\S]*?Agency pupr-kaltim is listed more than once in this group\./,
    );
    r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru',
      form('form-a', { t2_min: '40', g1_id: 'form-a-g', g1_name: 'Grup A', g1_participants: 'pupr-kaltim' }),
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain('Tambahkan predikat dengan nilai terendah 0');
    r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru?lang=en',
      form('form-a', { t2_min: '70', g1_id: 'form-a-g', g1_name: 'Grup A', g1_participants: 'pupr-kaltim' }),
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain('The lowest total 70 is already used by another predikat');
    expect((await t.api('/api/v1/evaluation/periods/form-a')).status).toBe(404);
  });
});

describe('a published period is final', () => {
  it('the change form and a second publish answer 409 pages (id, en); the period page offers neither', async () => {
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const shown = previewField((await get(DEMO.national, '/kantor/evaluasi/qa-four')).html);
    let r = await post(DEMO.national, '/kantor/evaluasi/qa-four/terbitkan', { preview: shown! });
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    const page = await get(DEMO.national, '/kantor/evaluasi/qa-four');
    expect(page.html).not.toContain('href="/kantor/evaluasi/qa-four/ubah"');
    expect(page.html).not.toContain('action="/kantor/evaluasi/qa-four/terbitkan"');
    expect(page.html).toContain(
      'Hasil sudah diterbitkan: periode ini tidak dapat diubah atau diterbitkan ulang.',
    );

    let e = await get(DEMO.national, '/kantor/evaluasi/qa-four/ubah');
    expect(e.status).toBe(409);
    expect(e.html).toContain('sudah diterbitkan, sehingga periode tidak dapat diubah lagi');
    e = await get(DEMO.national, '/kantor/evaluasi/qa-four/ubah?lang=en');
    expect(e.status).toBe(409);
    expect(e.html).toContain('can no longer be changed');
    r = await post(DEMO.national, '/kantor/evaluasi/qa-four/ubah', { name: 'Nama baru', from: '2026-01-01' });
    expect(r.status).toBe(409);
    r = await post(DEMO.national, '/kantor/evaluasi/qa-four/terbitkan?lang=en', {});
    expect(r.status).toBe(409);
    expect(r.html).toContain('cannot be published again');
    expect((await t.api('/api/v1/evaluation/periods/qa-four')).body.groups).toHaveLength(3);
  });
});
