/**
 * Accept tracking for routing suggestions: when a report is verified, mark every suggestion shown for
 * it and not yet decided with the verifier's choice, whether it was the top suggestion, and whether
 * it was among the three shown. Called inside the verify transaction (verify-report.ts); a disposisi marks the unit
 * suggestions the same way (dispose-report.ts).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { routingSuggestions } from '../db/schema.ts';

/** The verifier's decision on one report. */
export interface RoutingOutcome {
  reportId: string;
  agencyId: string;
  categoryId: number | null;
  /** The classification the report has after verification (the verifier may correct it). */
  classification?: string | null | undefined;
  now: Date;
}

/** Record the decision against the open suggestions of the report (no-op when none were shown). */
export async function recordRoutingOutcome(tx: Tx, outcome: RoutingOutcome): Promise<void> {
  const decisions: [string, string | null][] = [
    ['agency', outcome.agencyId],
    ['category', outcome.categoryId === null ? null : String(outcome.categoryId)],
    ['classification', outcome.classification ?? null],
  ];
  for (const [kind, chosen] of decisions)
    if (chosen !== null) await decide(tx, outcome.reportId, kind, chosen, outcome.now);
}

/** Record a disposisi against the open unit suggestions of the report (called inside `disposeReport`). */
export async function recordUnitOutcome(tx: Tx, reportId: string, unitId: string, now: Date): Promise<void> {
  await decide(tx, reportId, 'unit', unitId, now);
}

async function decide(tx: Tx, reportId: string, kind: string, chosen: string, now: Date): Promise<void> {
  await tx
    .update(routingSuggestions)
    .set({
      chosenLabel: chosen,
      accepted: sql`${routingSuggestions.topLabel} = ${chosen}`,
      inTop3: sql`${routingSuggestions.suggestions} @> ${JSON.stringify([{ label: chosen }])}::jsonb`,
      decidedAt: now,
    })
    .where(
      and(
        eq(routingSuggestions.reportId, reportId),
        eq(routingSuggestions.kind, kind),
        isNull(routingSuggestions.decidedAt),
      ),
    );
}
