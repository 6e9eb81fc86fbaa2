/**
 * The public results page and the certificate date the publication in Indonesian time, as the page's own
 * "data evaluated" line does: a result published at 20:00 UTC on 12 March is published on 13 March (03.00 WIB),
 * never "2026-03-12" (the UTC date).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { publishReviewed } from '../../../test/helpers/evaluation.ts';

let t: TestApp;
const PERIOD = 'tanggal-terbit';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T20:00:00Z') });
  const national = await t.login(DEMO.national);
  const created = await t.api('/api/v1/evaluation/periods', {
    token: national,
    json: {
      id: PERIOD,
      name: 'Evaluasi Tanggal Terbit 2026',
      from: '2026-01-01',
      to: '2026-12-31',
      minVolume: 0,
      weights: { volume: 1 },
      groups: [
        {
          id: `${PERIOD}-pd`,
          name: 'Perangkat Daerah Kaltim 2026',
          scope: 'agency',
          participants: [{ agencyId: 'pupr-kaltim' }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await publishReviewed(t, PERIOD, national);
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}, 60_000);
afterAll(() => t?.close());

describe('publication date on public evaluation pages', () => {
  it('is the Indonesian date of the publication, in the page language', async () => {
    for (const [path, want] of [
      [`/evaluasi/${PERIOD}`, 'Diterbitkan 13 Maret 2026.'],
      [`/evaluasi/${PERIOD}?lang=en`, 'Published 13 March 2026.'],
      [`/evaluasi/${PERIOD}/sertifikat/pupr-kaltim?kelompok=${PERIOD}-pd`, 'Diterbitkan 13 Maret 2026.'],
    ] as const) {
      const res = await fetch(t.url + path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(want);
      expect(html).not.toContain('2026-03-12');
    }
  });
});
