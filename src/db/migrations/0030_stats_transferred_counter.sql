-- The statistics roll-up gets a `transferred` counter (reports handed to the Ombudsman), before `overdue`
-- (src/domain/stats/rollup.ts COUNTERS). Existing vectors are widened in place so that readers sum the same
-- positions before the next refresh: a fact's counters get its transfer (from its stored status), a roll-up row's
-- counters a 0 before `overdue`. The roll-up layout version (ROLLUP_VERSION 5) makes the next `refreshStats`
-- rebuild every bucket, which fills the roll-up's transferred counts.
UPDATE stats_report_facts
SET counters = counters || ARRAY[CASE WHEN fact->>'status' = 'transferred' THEN 1 ELSE 0 END]
WHERE counters IS NOT NULL AND cardinality(counters) = 15;
--> statement-breakpoint
UPDATE stats_rollup
SET c = c[1:15] || ARRAY[0] || c[16:16]
WHERE cardinality(c) = 16;
