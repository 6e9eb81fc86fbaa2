ALTER TABLE "reports" ADD COLUMN "escalation_shares_identity" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Reports escalated before this column existed: the reporter's choice is in the escalate event.
UPDATE "reports" r SET "escalation_shares_identity" = true
 WHERE EXISTS (SELECT 1 FROM "report_events" e
                WHERE e.report_id = r.id AND e.type = 'escalate' AND e.data->>'shareIdentity' = 'true');
