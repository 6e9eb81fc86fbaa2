/**
 * Citizen pages, fresh-eyes QA (defects found by using the pages as a citizen on a phone, without JavaScript):
 * a double-tapped or replayed "Kirim laporan" files one report and still shows its confirmation.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { walkJourney } from '../../../test/helpers/journey.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

/** The tracking number shown on a confirmation page. */
const confirmedNumber = (html: string) => /\/lacak\/(\d{10})\?k=/.exec(html)?.[1];

/** How many reports carry this title. */
async function reportsTitled(title: string): Promise<number> {
  const rows = await query<{ n: number }>(
    t.runtime.services.db,
    sql`select count(*)::int as n from reports where title = ${title}`,
  );
  return rows[0]!.n;
}

/** A second client holding the same cookies (the same browser, another request). */
function sameBrowser(c: WebClient): WebClient {
  const twin = new WebClient(c.base);
  for (const [k, v] of c.cookies) twin.cookies.set(k, v);
  return twin;
}

describe('submitting the report twice (double tap, replayed form)', () => {
  it('a replay with the cookie the browser had before the first answer lands on the same confirmation', async () => {
    const title = 'Lampu jalan mati di gang kelinci';
    const c = new WebClient(t.url);
    await walkJourney(c, { kejadian: { title, body: 'Lampu jalan di gang kelinci mati sejak seminggu.' } });
    // The browser sends the form twice; it only ever reads the answer to the second post.
    const replay = sameBrowser(c);
    const first = await c.post('/lapor/kirim', {});
    expect(first.location).toBe('/lapor/selesai');
    const shown = confirmedNumber((await c.get('/lapor/selesai')).html);
    expect(shown).toMatch(/^\d{10}$/);

    const again = await replay.post('/lapor/kirim', {});
    expect(again.status).toBe(303);
    expect(again.location).toBe('/lapor/selesai');
    const page = await replay.get('/lapor/selesai');
    expect(page.status).toBe(200);
    expect(confirmedNumber(page.html)).toBe(shown);
    expect(await reportsTitled(title)).toBe(1);
  });

  it('two posts at once file one report and both show its confirmation', async () => {
    const title = 'Saluran air tersumbat di pasar pagi';
    const c = new WebClient(t.url);
    await walkJourney(c, {
      kejadian: { title, body: 'Saluran air di pasar pagi tersumbat sampah sejak lama.' },
    });
    const twin = sameBrowser(c);
    const answers = await Promise.all([c.post('/lapor/kirim', {}), twin.post('/lapor/kirim', {})]);
    expect(answers.map((a) => a.location)).toEqual(['/lapor/selesai', '/lapor/selesai']);
    const numbers = await Promise.all(
      [c, twin].map(async (x) => confirmedNumber((await x.get('/lapor/selesai')).html)),
    );
    expect(numbers[0]).toMatch(/^\d{10}$/);
    expect(numbers[1]).toBe(numbers[0]);
    expect(await reportsTitled(title)).toBe(1);
  });
});

describe('monthly report navigation', () => {
  it('the first month offered has no link to a month the page refuses', async () => {
    const c = new WebClient(t.url);
    for (const month of ['2000-01', '2000-02', '2026-03']) {
      const page = await c.get(`/statistik/bulanan?bulan=${month}&prov=64`);
      expect(page.status, month).toBe(200);
      const links = [...page.html.matchAll(/href="(\/statistik\/bulanan\?[^"]+)"/g)].map((m) =>
        m[1]!.replaceAll('&amp;', '&'),
      );
      expect(links.length, month).toBeGreaterThan(0);
      for (const link of links) expect((await c.get(link)).status, `${month} → ${link}`).toBe(200);
    }
  });
});
