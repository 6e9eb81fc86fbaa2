/**
 * "The words that drove it" are readable: the model's synthetic region and classification tokens are
 * shown as the region's name and the classification, never as `wilayah64x71` or `klasifikasipengaduan`.
 * Real HTTP over PGlite (default) or PostgreSQL (DATABASE_URL); synthetic history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { HEALTH, ROADS } from '../../test/helpers/routing-corpus.ts';
import { routingTokenMeaning } from '../domain/routing/ensemble.ts';
import { trainRoutingModels } from './train-routing.ts';

let t: TestApp;
let coord: string;

const submit = (title: string, json: Record<string, unknown>) =>
  submitReport(t, title, { reporter: { name: 'Warga Uji' }, ...json });

// Roads reports come from Kota Balikpapan (64.71), health reports from Kutai Kartanegara (64.02): the region
// tokens carry weight, so they are among the words that drove each suggestion.
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  const [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS)
    await verifyReport(t, coord, await submit(title, { regionCode: '64.71' }), 'pupr-kaltim', catRoads);
  for (const title of HEALTH)
    await verifyReport(
      t,
      coord,
      await submit(title, { regionCode: '64.02', classification: 'aspirasi' }),
      'dinkes-kaltim',
      catHealth,
    );
  await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
}, 120_000);
afterAll(() => t?.close());

describe('routing token meaning', () => {
  it('reads region prefixes and classifications, and leaves words alone', () => {
    expect(routingTokenMeaning('wilayah64x71')).toEqual({ kind: 'region', code: '64.71' });
    expect(routingTokenMeaning('wilayah64')).toEqual({ kind: 'region', code: '64' });
    expect(routingTokenMeaning('klasifikasipermintaaninformasi')).toEqual({
      kind: 'classification',
      value: 'permintaan_informasi',
    });
    expect(routingTokenMeaning('klasifikasilainnya')).toBeNull();
    expect(routingTokenMeaning('wilayah')).toBeNull();
    expect(routingTokenMeaning('jalan')).toBeNull();
  });
});

describe('suggestion words', () => {
  it('name the region and classification instead of showing model tokens', async () => {
    const id = await submit('Mohon perhatian untuk keluhan warga di lingkungan kami', {
      regionCode: '64.71',
    });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const words = [...r.body.agencies, ...r.body.categories].flatMap((s: { words: string[] }) => s.words);
    expect(words.length).toBeGreaterThan(0);
    expect(words.filter((w) => /^(wilayah|klasifikasi)/.test(w))).toEqual([]);
    expect(words).toContain('Kota Balikpapan');
    const top = r.body.agencies[0];
    expect(top.id).toBe('pupr-kaltim');
    expect(new Set(top.words).size).toBe(top.words.length);
  });

  it('show the classification as its name', async () => {
    const id = await submit('Keluhan warga di lingkungan kami', {
      regionCode: '64.02',
      classification: 'aspirasi',
    });
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const words = r.body.agencies.flatMap((s: { words: string[] }) => s.words);
    expect(words).toContain('aspirasi');
    expect(words).toContain('Kabupaten Kutai Kartanegara');
  });
});
