/**
 * Publishing reads the period's configuration (rubric scores included) before it locks the period. A rubric
 * score committed in between must not be left out of a result that is then stored as final: the stored result
 * would differ from what `aduan evaluate` recomputes from the period (MISMATCH). The publish re-reads the
 * configuration under its lock and refuses (409 PREVIEW_CHANGED, nothing stored); the next publish includes the
 * score. The interleaving is made deterministic by committing the score when the publish opens its first
 * transaction (after reading the configuration, before the lock).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import { actorFor } from '../db/repositories/users.ts';
import { loadEvaluationConfig, publishedResult } from '../queries/evaluation.ts';
import { inputsHash, publishEvaluation } from './publish-evaluation.ts';
import { previewFingerprint } from '../../test/helpers/evaluation.ts';

let t: TestApp;
const PERIOD = 'terbit-balapan';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const created = await t.api('/api/v1/evaluation/periods', {
    token: await t.login(DEMO.national),
    json: {
      id: PERIOD,
      name: 'Evaluasi Situs Web 2026',
      from: '2026-01-01',
      to: '2026-12-31',
      groups: [
        {
          id: `${PERIOD}-web`,
          name: 'Situs web perangkat daerah',
          scope: 'agency',
          award: 'website',
          participants: [{ agencyId: 'pupr-kaltim' }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 60_000);
afterAll(() => t?.close());

describe('a score committed while a publish runs', () => {
  it('is never left out of the stored result', async () => {
    const svc = t.runtime.services;
    const userId = async (email: string) =>
      (await query<{ id: string }>(svc.db, sql`select id from users where email = ${email}`))[0]!.id;
    const assessorId = await userId(DEMO.assessor);
    const caller = { actor: await actorFor(svc.db, await userId(DEMO.national)) };
    let injected = false;
    const racing: Services = {
      ...svc,
      db: new Proxy(svc.db, {
        get(target, prop, receiver) {
          if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
          return async (...args: unknown[]) => {
            if (!injected) {
              injected = true;
              await query(
                svc.db,
                sql`insert into evaluation_rubric_scores
                      (period_id, agency_id, indicator, assessor_user_id, score, justification, evidence, created_at)
                    values (${PERIOD}, 'pupr-kaltim', 'website', ${assessorId}, 80,
                      'Situs web lengkap dan mudah diakses oleh warga.', '[]'::jsonb, now())`,
              );
            }
            return (target.transaction as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    };
    const reviewed = await previewFingerprint(svc, PERIOD);
    await expect(
      publishEvaluation(racing, caller, PERIOD, { expectedPreview: reviewed }),
    ).rejects.toMatchObject({
      code: 'PREVIEW_CHANGED',
    });
    expect(injected).toBe(true);
    expect(await publishedResult(svc.db, PERIOD)).toBeNull();

    const { result } = await publishEvaluation(svc, caller, PERIOD, {
      expectedPreview: await previewFingerprint(svc, PERIOD),
    });
    expect(result.groups[0]!.results[0]!).toMatchObject({ total: 80, rank: 1 });
    const stored = (await publishedResult(svc.db, PERIOD))!;
    expect(stored.inputsSha256).toBe(
      inputsHash(stored.snapshotSha256!, await loadEvaluationConfig(svc.db, PERIOD)),
    );
  });
});
