/**
 * The tracking-number lookup (`GET /lacak?id=`, `POST /lacak`) over real HTTP: it accepts every form
 * `normaliseTrackingId` accepts (the display format `1234-5678-90`, other groupings, spaces, a leading `#`),
 * and a number whose Damm check digit does not hold gets a field error on the lookup form (id and en)
 * instead of a redirect to a "not found" page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { isValidTrackingId } from '../../domain/report/tracking-id.ts';

let t: TestApp;
let report: { trackingId: string; accessKey: string };
/** The report's number with its last (check) digit mistyped: a single-digit error Damm always detects. */
let mistyped: string;

const CHECK_ID = 'Nomor lacak tidak valid; periksa kembali angkanya.';
const CHECK_EN = 'This tracking number is not valid; please check the digits.';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Saluran air tersumbat di Jalan Pahlawan',
      body: 'Saluran air tersumbat sampah sejak seminggu, air meluap ke jalan setiap hujan turun.',
      regionCode: '64.71',
      reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  report = r.body as { trackingId: string; accessKey: string };
  // Verified, so the public page the number-only lookup opens exists.
  const v = await t.api(`/api/v1/reports/${report.trackingId}/actions/verify`, {
    json: { categoryId, agencyId: 'pupr-kaltim' },
    token: await t.login(DEMO.coordinator),
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  const id = report.trackingId;
  mistyped = id.slice(0, 9) + String((Number(id[9]) + 1) % 10);
  expect(isValidTrackingId(mistyped)).toBe(false);
});
afterAll(() => t?.close());

/** The inline error of the `id` field and its summary link, as the lookup form renders them. */
function expectIdFieldError(html: string, message: string) {
  expect(html).toContain('href="#f-id"');
  expect(html).toMatch(/<input[^>]*id="f-id"[^>]*aria-invalid="true"/);
  // Once in the summary, once inline.
  expect(html.split(message).length - 1).toBe(2);
}

describe('GET /lacak?id= (the home search box)', () => {
  it('opens the public page for the display format, other groupings, spaces and a leading #', async () => {
    const id = report.trackingId;
    const c = new WebClient(t.url);
    const forms = [
      id,
      `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}`, // 1234-5678-90
      `${id.slice(0, 4)}-${id.slice(4, 7)}-${id.slice(7)}`, // 1234-567-890
      ` ${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)} `,
      `#${id}`,
      `${id.slice(0, 4)}\u2013${id.slice(4, 8)}\u2013${id.slice(8)}`, // en dashes, as copied from a document
    ];
    for (const typed of forms) {
      const r = await c.get(`/lacak?id=${encodeURIComponent(typed)}`);
      expect(r.status, typed).toBe(303);
      expect(r.location, typed).toBe(`/laporan/${id}`);
    }
    const page = await c.get(`/laporan/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Saluran air tersumbat di Jalan Pahlawan');
  });

  it('a mistyped check digit stays on the lookup form with a field error (id and en)', async () => {
    const c = new WebClient(t.url);
    const r = await c.get(`/lacak?id=${mistyped}`);
    expect(r.status).toBe(422);
    expect(r.location).toBeNull();
    expectIdFieldError(r.html, CHECK_ID);
    expect(r.html).toContain(`value="${mistyped}"`); // the typed number is kept to correct it
    expect(r.html).not.toContain('Saluran air tersumbat');

    const formatted = `${mistyped.slice(0, 4)}-${mistyped.slice(4, 8)}-${mistyped.slice(8)}`;
    const en = await c.get(`/lacak?id=${encodeURIComponent(formatted)}&lang=en`);
    expect(en.status).toBe(422);
    expectIdFieldError(en.html, CHECK_EN);
    expect(en.html).toContain(`value="${formatted}"`);
  });

  it('anything that is not ten digits gets the format message; an empty box is required', async () => {
    const c = new WebClient(t.url);
    for (const typed of ['12345', 'abc', `${report.trackingId}1`]) {
      const r = await c.get(`/lacak?id=${encodeURIComponent(typed)}`);
      expect(r.status, typed).toBe(422);
      expectIdFieldError(r.html, 'Nomor lacak terdiri dari 10 angka, misalnya 2603-1234-56.');
    }
    const empty = await c.get('/lacak?id=');
    expect(empty.status).toBe(422);
    expectIdFieldError(empty.html, 'Wajib diisi.');
  });
});

describe('POST /lacak (number and access key)', () => {
  it('accepts #, the display format and spaces, and opens the private link', async () => {
    const id = report.trackingId;
    const c = new WebClient(t.url);
    for (const typed of [`#${id}`, `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}`, ` ${id} `]) {
      const r = await c.post('/lacak', { id: typed, k: report.accessKey });
      expect(r.status, typed).toBe(303);
      expect(r.location, typed).toBe(`/lacak/${id}?k=${encodeURIComponent(report.accessKey)}`);
    }
    const page = await c.get(`/lacak/${id}?k=${encodeURIComponent(report.accessKey)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Saluran air tersumbat di Jalan Pahlawan');
  });

  it('a mistyped check digit is a field error, not a redirect to "not found"', async () => {
    const c = new WebClient(t.url);
    const r = await c.post('/lacak', { id: `#${mistyped}`, k: report.accessKey });
    expect(r.status).toBe(422);
    expect(r.location).toBeNull();
    expectIdFieldError(r.html, CHECK_ID);
    expect(r.html).not.toContain('href="#f-k"'); // the key was given: only the number is wrong
    const en = await c.post('/lacak?lang=en', { id: mistyped, k: report.accessKey });
    expect(en.status).toBe(422);
    expectIdFieldError(en.html, CHECK_EN);
    // Both fields missing: both reported, number first.
    const none = await c.post('/lacak', { id: '', k: '' });
    expect(none.status).toBe(422);
    expect(none.html.indexOf('href="#f-id"')).toBeLessThan(none.html.indexOf('href="#f-k"'));
  });
});

describe('the private link without its key', () => {
  it('opens the lookup form with the number filled in and a note about the key (200); a wrong key stays an error', async () => {
    const c = new WebClient(t.url);
    const bare = await c.get(`/lacak/${report.trackingId}`);
    expect(bare.status).toBe(200);
    expect(bare.html).toContain('masukkan kunci akses dari pesan pertama');
    expect(bare.html).toMatch(new RegExp(`name="id"[^>]*value="${report.trackingId}"`));
    expect(bare.html).not.toContain('error-summary');
    expect(bare.html).not.toContain('Rina Pelapor');
    const wrong = await c.get(`/lacak/${report.trackingId}?k=bukan-kunci-yang-benar`);
    expect(wrong.status).toBe(404);
    expect(wrong.html).toContain('error-summary');
  });
});
