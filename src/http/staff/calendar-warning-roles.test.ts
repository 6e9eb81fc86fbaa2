/**
 * The holiday-calendar warning by role (real database, real HTTP): only the national admin may load and confirm
 * national holidays, so only the national admin's warning tells to load or confirm them; a coordinator reads the same
 * situation with a request to ask the national admin, on the admin home, the queue and the calendar page, in Bahasa
 * Indonesia and English, while next year is empty, incomplete, and loaded but still holding predictions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let coord: WebClient;
let nat: WebClient;
beforeAll(async () => {
  // Saturday 28 November 2026: from 1 October next year's calendar is checked; 2027 is empty in the test database.
  t = await startTestApp({ now: new Date('2026-11-28T03:00:00Z') });
  coord = await signInWeb(t.url, DEMO.coordinator);
  nat = await signInWeb(t.url, DEMO.national);
});
afterAll(() => t?.close());

const PAGES = ['/kantor/admin', '/kantor', '/kantor/admin/kalender?tahun=2027'];

/** The text of the page's warning note (`div.warning[role=note]`), whitespace collapsed. */
async function warningOn(c: WebClient, path: string): Promise<string> {
  const r = await c.get(path);
  expect(r.status, path).toBe(200);
  const m = /<div class="warning" role="note">\s*<p>([^<]*)<\/p>/.exec(r.html);
  expect(m, `${path}: a warning`).toBeTruthy();
  return m![1]!.replace(/\s+/g, ' ').trim();
}

async function warnings(c: WebClient, lang: 'id' | 'en'): Promise<string[]> {
  const out = [];
  for (const path of PAGES)
    out.push(await warningOn(c, `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`));
  return out;
}

describe('the calendar warning by role', () => {
  it('an empty year: the national admin is told to load it, a coordinator to ask the national admin', async () => {
    for (const text of await warnings(nat, 'id')) {
      expect(text).toContain('Kalender hari libur 2027 belum diisi');
      expect(text).toContain('Muat tanggal yang sudah pasti dan perkiraan 2027 di halaman kalender');
      expect(text).not.toContain('mintalah admin nasional');
    }
    for (const text of await warnings(coord, 'id')) {
      expect(text).toBe(
        'Kalender hari libur nasional 2027 belum diisi: tenggat yang jatuh pada 2027 dihitung tanpa hari libur ' +
          'nasional dan cuti bersama. Hanya admin nasional yang dapat memuat hari libur nasional dan cuti bersama, ' +
          'dan peringatan ini juga tampil baginya. Bila belum dilengkapi, mintalah admin nasional memuatnya. Hari ' +
          'libur daerah di wilayah Anda tetap dapat Anda tambahkan di halaman kalender.',
      );
    }
    for (const text of await warnings(coord, 'en')) {
      expect(text).toContain('The 2027 national holiday calendar has not been entered');
      expect(text).toContain('ask the national admin to load them');
      expect(text).not.toMatch(/Load the certain dates|Enter the holidays|enter the 2027/);
    }
    // The coordinator's calendar page offers no load button either.
    expect((await coord.get('/kantor/admin/kalender?tahun=2027')).html).not.toContain(
      '/kantor/admin/kalender/muat',
    );
  });

  it('an incomplete year, then a loaded year with predictions: to confirm (national admin) or to ask', async () => {
    const token = await t.login(DEMO.national);
    const one = await t.api('/api/v1/holidays', {
      json: { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'libur_nasional' },
      token,
    });
    expect(one.status).toBe(201);
    for (const text of await warnings(nat, 'id')) {
      expect(text).toContain('Kalender hari libur 2027 baru berisi 1 hari libur nasional');
      expect(text).toContain('Muat tanggal yang sudah pasti');
    }
    for (const text of await warnings(coord, 'id')) {
      expect(text).toContain('Kalender hari libur nasional 2027 belum lengkap');
      expect(text).toContain('mintalah admin nasional memuatnya');
      expect(text).not.toContain('Lengkapi hari libur nasional');
      expect(text).not.toContain('Muat tanggal');
    }

    const load = await t.api('/api/v1/holidays/load', { json: { year: 2027 }, token });
    expect(load.status).toBe(201);
    for (const text of await warnings(nat, 'en')) {
      expect(text).toContain('still holds 11 predictions');
      expect(text).toContain('confirm them on the calendar page');
    }
    for (const text of await warnings(coord, 'en')) {
      expect(text).toBe(
        'The 2027 national holiday calendar still holds predictions not yet set by the SKB of the three ' +
          'ministers: deadlines already skip them, but the dates may change. Only the national admin can ' +
          'confirm or correct the national holidays once the SKB is out, and this warning is shown to them too. ' +
          'If they are not confirmed, ask the national admin to do it.',
      );
    }
    for (const text of await warnings(coord, 'id')) {
      expect(text).toContain('mintalah admin nasional melakukannya');
      expect(text).not.toContain('konfirmasi semuanya di halaman kalender');
    }

    // Confirmed: no warning for anyone.
    expect((await t.api('/api/v1/holidays/confirm', { json: { year: 2027 }, token })).status).toBe(200);
    for (const c of [nat, coord])
      expect((await c.get('/kantor/admin')).html).not.toContain('class="warning" role="note"');
  });
});
