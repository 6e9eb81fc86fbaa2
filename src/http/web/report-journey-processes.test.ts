/**
 * The report journey run by more than one process (docs/operations.md: several web processes on one PostgreSQL
 * database): the draft id is the submission's idempotency key (ADR 0014), so a draft posted to two processes, or
 * posted again before the first process marked it done, files one report and shows it everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDraft } from '../../commands/save-draft.ts';
import { loadDraft } from '../../queries/draft.ts';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { backend } from '../../../test/helpers/db.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { confirmedNumber, reportsTitled, sameBrowser, walkJourney } from '../../../test/helpers/journey.ts';
import { DRAFT_COOKIE } from './report-journey.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

describe('one draft, two processes', () => {
  it('a post that finds the draft not yet marked done (another process still finishing) files nothing new', async () => {
    const title = 'Jalan ambles di depan puskesmas Sempaja';
    const c = new WebClient(t.url);
    await walkJourney(c, {
      kejadian: { title, body: 'Jalan ambles di depan puskesmas Sempaja sejak hujan deras.' },
    });
    const replay = sameBrowser(c, t.url);
    const svc = t.runtime.services;
    const id = c.cookies.get(DRAFT_COOKIE)!;
    const unfinished = (await loadDraft(svc, id))!;
    expect((await c.post('/lapor/kirim', {})).location).toBe('/lapor/selesai');
    const shown = confirmedNumber((await c.get('/lapor/selesai')).html);
    expect(shown).toMatch(/^\d{10}$/);
    // What a second process sees when it loaded the draft before the first saved it as done.
    await saveDraft(svc, id, unfinished);

    const again = await replay.post('/lapor/kirim', {});
    expect(again.status).toBe(303);
    expect(again.location).toBe('/lapor/selesai');
    expect(confirmedNumber((await replay.get('/lapor/selesai')).html)).toBe(shown);
    expect(await reportsTitled(t, title)).toBe(1);
  });

  describe.skipIf(backend() === 'pglite')(
    'two app instances on one database (PostgreSQL only: two apps cannot share one PGlite database; set DATABASE_URL to run)',
    () => {
      let other: TestApp;
      beforeAll(async () => {
        other = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), sameDatabaseAs: t });
      });
      afterAll(() => other?.close());

      it('the same draft posted to both at once files one report; both show its confirmation', async () => {
        for (let round = 0; round < 3; round++) {
          const title = `Gorong-gorong runtuh di jalan Wahid Hasyim ${round + 1}`;
          const c = new WebClient(t.url);
          await walkJourney(c, { kejadian: { title, body: `${title}, air meluap ke rumah warga.` } });
          const twin = sameBrowser(c, other.url);
          const answers = await Promise.all([c.post('/lapor/kirim', {}), twin.post('/lapor/kirim', {})]);
          expect(answers.map((a) => a.location)).toEqual(['/lapor/selesai', '/lapor/selesai']);
          const numbers = await Promise.all(
            [c, twin].map(async (x) => confirmedNumber((await x.get('/lapor/selesai')).html)),
          );
          expect(numbers[0]).toMatch(/^\d{10}$/);
          expect(numbers[1]).toBe(numbers[0]);
          expect(await reportsTitled(t, title)).toBe(1);
        }
      });
    },
  );
});
