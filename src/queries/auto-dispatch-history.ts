/**
 * What an auto-dispatch threshold would have done on the instance's own history (issue 7): of the agency
 * suggestions verifiers decided in the last months, how many had a top confidence at or above the threshold (those
 * auto-dispatch would have sent on its own) and how often the verifier then chose that same agency. Shown beside the
 * rules on the auto-dispatch admin page, so whoever switches it on sees the likely effect first. Counts only.
 */
import { sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { query } from '../db/client.ts';
import { ratio } from './routing-accuracy.ts';

/** Decided agency suggestions by whole percent of top confidence (0–100), overall and per suggested agency. */
export interface ConfidenceHistory {
  all: Histogram;
  byAgency: Map<string, Histogram>;
}

interface Histogram {
  decided: number[];
  followed: number[];
}

/** What a threshold would have sent: `sent` of `decided`, `followed` of those by the verifier's own choice. */
export interface ThresholdEffect {
  decided: number;
  sent: number;
  followed: number;
  /** sent / decided and followed / sent, null when dividing by 0. */
  share: number | null;
  accuracy: number | null;
}

const empty = (): Histogram => ({ decided: Array(101).fill(0), followed: Array(101).fill(0) });

/** The decided agency suggestions since `since`, by whole percent of top confidence. */
export async function confidenceHistory(db: AppDb, since: Date): Promise<ConfidenceHistory> {
  const rows = await query<{ top_label: string | null; pct: number; n: number; ok: number }>(
    db,
    sql`select top_label, least(100, greatest(0, floor(top_confidence * 100)))::int as pct,
               count(*)::int as n, count(*) filter (where accepted)::int as ok
          from routing_suggestions
         where kind = 'agency' and decided_at >= ${since.toISOString()} and top_confidence is not null
         group by 1, 2`,
  );
  const out: ConfidenceHistory = { all: empty(), byAgency: new Map() };
  for (const r of rows) {
    const label = r.top_label ?? '';
    let h = out.byAgency.get(label);
    if (!h) out.byAgency.set(label, (h = empty()));
    for (const target of [out.all, h]) {
      target.decided[Number(r.pct)]! += Number(r.n);
      target.followed[Number(r.pct)]! += Number(r.ok);
    }
  }
  return out;
}

/**
 * The effect of `threshold` (0.5–1) on a histogram: the suggestions at or above it (auto-dispatch compares the top
 * confidence with `>=`; confidences are bucketed down to whole percent, thresholds are whole percent too).
 */
export function thresholdEffect(h: Histogram | undefined, threshold: number): ThresholdEffect {
  const from = Math.round(threshold * 100);
  const sum = (xs: number[] | undefined, start = 0) => (xs ?? []).slice(start).reduce((a, b) => a + b, 0);
  const decided = sum(h?.decided);
  const sent = sum(h?.decided, from);
  const followed = sum(h?.followed, from);
  return { decided, sent, followed, share: ratio(sent, decided), accuracy: ratio(followed, sent) };
}
