ALTER TABLE "sla_rules" ADD COLUMN "day_unit" text DEFAULT 'working' NOT NULL;--> statement-breakpoint
-- The Ombudsman may take a report over after 60 days unresolved (domain.md §5.4), not 60 working days: version 2
-- of the escalation rule counts 60 calendar days for reports filed from 2026-12-01 (DEFAULT_SLA_RULES; earlier
-- reports keep version 1). New databases get it from the reference seed (sla_rules is still empty here);
-- databases seeded before get it here, unless their admins already added escalation versions of their own.
INSERT INTO "sla_rules" ("id", "version", "clock", "classification", "supervisory", "working_days", "day_unit", "basis", "valid_from")
SELECT 'escalation', 2, 'escalation', NULL, NULL, 60, 'calendar', 'Ombudsman RI (60 hari belum selesai; domain.md §5.4)', '2026-12-01'
 WHERE EXISTS (SELECT 1 FROM "sla_rules" WHERE "id" = 'escalation' AND "version" = 1)
   AND NOT EXISTS (SELECT 1 FROM "sla_rules" WHERE "id" = 'escalation' AND "version" > 1);
