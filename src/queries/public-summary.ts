/**
 * The three numbers on the home page: reports received, completed, and the on-time rate of follow-ups.
 * Only the public read model counts (verified, non-confidential), so the numbers can never hint at a
 * confidential report. The page reads them through `cachedPublicSummary`: counting every public report and
 * every settled deadline takes about 1 s of database time at 1,000,000 reports (docs/benchmarks.md), too much
 * for every view of the landing page.
 */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { ReadCache } from './read-cache.ts';
import { PUBLIC_REPORT } from './scope.ts';

/** The home page summary. `onTimeRate` is null until some follow-up deadline has been settled. */
export interface PublicSummary {
  received: number;
  completed: number;
  /** Share (0–1) of settled follow-up deadlines that were met. */
  onTimeRate: number | null;
}

/** Computes the summary over public reports. */
export async function publicSummary(db: AppDb): Promise<PublicSummary> {
  const [counts] = await query<{ received: number; completed: number }>(
    db,
    sql`select count(*)::int as received,
               count(*) filter (where r.status = 'completed')::int as completed
        from reports r where ${PUBLIC_REPORT}`,
  );
  const [rate] = await query<{ met: number; settled: number }>(
    db,
    sql`select count(*) filter (where d.met)::int as met, count(*)::int as settled
        from report_deadlines d join reports r on r.id = d.report_id
        where d.met is not null and d.clock in ('follow_up', 'completion') and ${PUBLIC_REPORT}`,
  );
  const settled = Number(rate?.settled ?? 0);
  return {
    received: Number(counts?.received ?? 0),
    completed: Number(counts?.completed ?? 0),
    onTimeRate: settled > 0 ? Number(rate!.met) / settled : null,
  };
}

/** How long the home page's numbers are reused before they are counted again. */
export const PUBLIC_SUMMARY_TTL_MS = 60_000;

const summaries = new ReadCache<PublicSummary>({ ttlMs: PUBLIC_SUMMARY_TTL_MS, max: 1 });

/**
 * `publicSummary`, counted at most once per `PUBLIC_SUMMARY_TTL_MS` per database handle (by the service clock
 * `now`). Views while a count runs wait for that one count; a failed count is not kept.
 */
export function cachedPublicSummary(db: AppDb, now: Date): Promise<PublicSummary> {
  return summaries.get(db, '', now, () => publicSummary(db));
}
