/**
 * Evaluation period forms over real HTTP: who may open them (national admin, coordinator; not assessors,
 * agency admins or citizens), CSRF, 422 with bilingual field messages and the typed values kept, PRG on
 * create and change (weights version bumps), a coordinator limited to participants in its region, and
 * publishing (428 without the reviewed preview, 409 when it moved, then the public results page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { previewField } from '../../../test/helpers/evaluation.ts';
import { t as tr } from '../../locales/index.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

async function get(email: string | null, path: string) {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (email) headers.cookie = (await signIn(email)).cookie;
  const res = await fetch(t.url + path, { headers, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function post(email: string, path: string, fields: Record<string, string>, csrf?: string) {
  const s = await signIn(email);
  const res = await fetch(t.url + path, {
    method: 'POST',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: csrf ?? s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

const valid = (id: string, participants: string) => ({
  id,
  name: 'Perangkat Daerah Provinsi Kalimantan Timur 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: '1',
  w_volume: '10',
  w_completion_rate: '20',
  t1_name: 'Sangat Baik',
  t1_min: '85',
  t2_name: 'Baik',
  t2_min: '70',
  t3_name: 'Kurang',
  t3_min: '0',
  g1_id: `${id}-pd`,
  g1_name: 'Perangkat Daerah Kaltim',
  g1_scope: 'agency',
  g1_award: 'complaint_handling',
  g1_participants: participants,
});

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

describe('evaluation period forms', () => {
  it('only national admins and coordinators may open them', async () => {
    const out = await get(null, '/kantor/evaluasi/baru');
    expect(out.status).toBe(303);
    expect(out.location).toContain('/masuk?next=');
    for (const who of [DEMO.citizen, DEMO.assessor, DEMO.puprAdmin]) {
      expect((await get(who, '/kantor/evaluasi/baru')).status, who).toBe(403);
      expect((await post(who, '/kantor/evaluasi/baru', valid('x-2026', 'pupr-kaltim'))).status, who).toBe(
        403,
      );
    }
    const r = await get(DEMO.national, '/kantor/evaluasi/baru');
    expect(r.status).toBe(200);
    expect(r.html).toContain('name="_csrf"');
    expect(r.html).toMatch(/name="w_follow_up_timeliness"[^>]*value="15"/);
    expect(r.html).toMatch(/name="t1_name"[^>]*value="Sangat Baik"/);
    expect((await get(DEMO.coordinator, '/kantor/evaluasi')).html).toContain('href="/kantor/evaluasi/baru"');
    expect((await get(DEMO.assessor, '/kantor/evaluasi')).html).not.toContain('href="/kantor/evaluasi/baru"');
  });

  it('refuses a wrong CSRF token', async () => {
    const r = await post(DEMO.national, '/kantor/evaluasi/baru', valid('pd-2026', 'pupr-kaltim'), 'wrong');
    expect(r.status).toBe(403);
    expect((await t.api('/api/v1/evaluation/periods')).body.items).toEqual([]);
  });

  it('answers 422 with field messages in Indonesian and English, keeping the typed values', async () => {
    const bad = {
      ...valid('Bad Id!', 'pupr-kaltim, ftp://example.org\nno such line with too many parts here'),
      from: '2026-12-31',
      to: '2026-01-01',
      w_volume: '-5',
      minVolume: '500000', // six digits, above the API's maximum of 100000
      t1_min: '150',
      g2_id: 'x',
    };
    let r = await post(DEMO.national, '/kantor/evaluasi/baru', bad);
    expect(r.status).toBe(422);
    expect(r.html).toContain('Gunakan huruf kecil, angka dan tanda hubung');
    expect(r.html).toContain('Tanggal awal (from) tidak boleh setelah tanggal akhir (to).');
    expect(r.html).toContain('Bobot harus bilangan 0 sampai 1000.');
    expect(r.html).toContain('Isi nilai 0 sampai 100.');
    expect(r.html).toContain('Isi bilangan bulat 0 sampai 100000.');
    expect(r.html).toContain('Baris 1, 2 tidak valid');
    expect(r.html).toContain('value="Bad Id!"');
    expect(r.html).toContain('href="#f-id"');
    r = await post(DEMO.national, '/kantor/evaluasi/baru?lang=en', bad);
    expect(r.status).toBe(422);
    expect(r.html).toContain('Use lower-case letters, digits and hyphens');
    expect(r.html).toContain('A weight must be a number from 0 to 1000.');
    expect(r.html).toContain('Enter a whole number from 0 to 100000.');
    r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru',
      valid('pd-2026', 'pupr-kaltim\ntidak-ada-instansi'),
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain('Kode instansi tidak dikenal: tidak-ada-instansi.');
    expect((await t.api('/api/v1/evaluation/periods')).body.items).toEqual([]);
  });

  it('takes weights and predikat minimums as plain decimals only (`,` or `.`), never 0x10, 1e3 or +5', async () => {
    const odd = {
      ...valid('desimal-2026', 'pupr-kaltim'),
      w_volume: '0x10',
      w_completion_rate: '1e3',
      w_inovasi: '+5',
      w_satisfaction: '1.000,5',
      t2_min: '7e1',
    };
    for (const [lang, text] of [
      ['id', tr('id', 'eval.field.decimal_format')],
      ['en', tr('en', 'eval.field.decimal_format')],
    ] as const) {
      const r = await post(DEMO.national, `/kantor/evaluasi/baru?lang=${lang}`, odd);
      expect(r.status).toBe(422);
      for (const field of ['w_volume', 'w_completion_rate', 'w_inovasi', 'w_satisfaction', 't2_min'])
        expect(
          new RegExp(`id="f-${field}-error"[^>]*>(.*?)</p>`).exec(r.html)?.[1],
          `${lang} ${field}`,
        ).toContain(text);
      expect(r.html).toContain('value="0x10"');
    }
    expect((await t.api('/api/v1/evaluation/periods')).body.items).toEqual([]);
    // `2,5` and `2.5` are the same weight; `70,5` a minimum.
    const r = await post(DEMO.national, '/kantor/evaluasi/baru', {
      ...valid('desimal-2026', 'pupr-kaltim'),
      w_volume: '2,5',
      w_completion_rate: '2.5',
      t2_min: '70,5',
    });
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    const api = (await t.api('/api/v1/evaluation/periods/desimal-2026')).body;
    expect(api.weights).toEqual({ volume: 2.5, completion_rate: 2.5 });
    expect(api.thresholds).toContainEqual({ predikat: 'Baik', min: 70.5 });
  });

  it('creates a period (PRG), lists it, changes it (weights version 2) and refuses a taken code', async () => {
    let r = await post(
      DEMO.national,
      '/kantor/evaluasi/baru',
      valid(
        'pd-2026',
        'pupr-kaltim, https://pupr.kaltimprov.go.id, https://instagram.com/puprkaltim\ndinkes-kaltim',
      ),
    );
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    expect(r.location).toBe('/kantor/evaluasi/pd-2026?ok=created');
    const page = await get(DEMO.national, r.location!);
    expect(page.html).toContain('Periode evaluasi dibuat.');
    expect(page.html).toContain('https://pupr.kaltimprov.go.id');
    expect(page.html).toContain('action="/kantor/evaluasi/pd-2026/terbitkan"');
    const api = await t.api('/api/v1/evaluation/periods/pd-2026');
    expect(api.body).toMatchObject({
      from: '2026-01-01',
      to: '2026-12-31',
      minVolume: 1,
      weightsVersion: 1,
      weights: { volume: 10, completion_rate: 20 },
      thresholds: [
        { predikat: 'Sangat Baik', min: 85 },
        { predikat: 'Baik', min: 70 },
        { predikat: 'Kurang', min: 0 },
      ],
    });
    expect(api.body.groups[0].participants).toEqual(['dinkes-kaltim', 'pupr-kaltim']);
    r = await post(DEMO.national, '/kantor/evaluasi/baru', valid('pd-2026', 'pupr-kaltim'));
    expect(r.status).toBe(422);
    expect(r.html).toContain('Kode periode ini sudah dipakai');

    const edit = await get(DEMO.national, '/kantor/evaluasi/pd-2026/ubah');
    expect(edit.status).toBe(200);
    expect(edit.html).toMatch(/name="w_completion_rate"[^>]*value="20"/);
    expect(edit.html).toContain(
      'pupr-kaltim, https://pupr.kaltimprov.go.id, https://instagram.com/puprkaltim',
    );
    r = await post(DEMO.national, '/kantor/evaluasi/pd-2026/ubah', {
      ...valid('ignored', 'pupr-kaltim\ndinkes-kaltim'),
      w_completion_rate: '30',
    });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/kantor/evaluasi/pd-2026?ok=changed');
    const changed = await t.api('/api/v1/evaluation/periods/pd-2026');
    expect(changed.body).toMatchObject({
      periodId: 'pd-2026',
      weightsVersion: 2,
      weights: { completion_rate: 30 },
    });
  });

  it('a coordinator manages periods of its region only', async () => {
    let r = await post(DEMO.coordinator, '/kantor/evaluasi/baru', valid('kaltim-2026', 'pupr-kaltim'));
    expect(r.status).toBe(303);
    r = await post(
      DEMO.coordinator,
      '/kantor/evaluasi/baru',
      valid('nasional-2026', 'pupr-kaltim\nkemenpanrb'),
    );
    expect(r.status).toBe(403);
    expect(
      (await t.api('/api/v1/evaluation/periods')).body.items.map((p: { id: string }) => p.id),
    ).not.toContain('nasional-2026');
    // A Balikpapan coordinator cannot change or publish the provincial period.
    r = await post(
      DEMO.balikpapanCoordinator,
      '/kantor/evaluasi/kaltim-2026/ubah',
      valid('x', 'pupr-kaltim'),
    );
    expect(r.status).toBe(403);
    r = await post(DEMO.balikpapanCoordinator, '/kantor/evaluasi/kaltim-2026/terbitkan', {});
    expect(r.status).toBe(403);
  });

  it('publishes what the page showed (refused with the new preview when the rankings moved), then the public results page', async () => {
    const page = await get(DEMO.coordinator, '/kantor/evaluasi/kaltim-2026');
    const shown = previewField(page.html);
    expect(shown).toBeDefined();
    // A form without its preview field (or with a malformed one) names no reviewed preview: 428, the reason in the
    // page language, the page again with the preview to review, and nothing published.
    for (const [fields, lang] of [
      [{}, 'id'],
      [{ preview: 'abc' }, 'en'],
    ] as const) {
      const q = lang === 'en' ? '?lang=en' : '';
      const refused = await post(DEMO.coordinator, `/kantor/evaluasi/kaltim-2026/terbitkan${q}`, fields);
      expect(refused.status).toBe(428);
      expect(refused.html).toContain(tr(lang, 'errors.PREVIEW_REQUIRED'));
      expect(previewField(refused.html)).toBe(shown);
    }
    expect((await t.api('/api/v1/evaluation/periods/kaltim-2026/results')).status).toBe(404);
    // A page loaded before the rankings moved carries another fingerprint: 409, the reason, and the page again.
    let r = await post(DEMO.coordinator, '/kantor/evaluasi/kaltim-2026/terbitkan', {
      preview: '0'.repeat(64),
    });
    expect(r.status).toBe(409);
    expect(r.html).toContain(tr('id', 'errors.PREVIEW_CHANGED'));
    expect(r.html).toContain(`name="preview" value="${shown}"`);
    expect((await t.api('/api/v1/evaluation/periods/kaltim-2026/results')).status).toBe(404);
    // No earlier snapshot is needed (a fresh install): the file goes to <ADUAN_DATA_DIR>/open-data.
    r = await post(DEMO.coordinator, '/kantor/evaluasi/kaltim-2026/terbitkan', { preview: shown! });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/kantor/evaluasi/kaltim-2026?ok=published');
    expect((await get(DEMO.coordinator, r.location!)).html).toContain('Hasil evaluasi diterbitkan.');
    expect((await get(null, '/evaluasi/kaltim-2026')).status).toBe(200);
    expect((await post(DEMO.national, '/kantor/evaluasi/pd-2026/terbitkan', {}, 'wrong')).status).toBe(403);
  });
});
