CREATE TABLE "sweep_log" (
	"key" text PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"deadline_id" integer,
	"action" text NOT NULL,
	"agency_id" text,
	"rule_version" integer,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sweep_log_report_idx" ON "sweep_log" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "sweep_log_action_agency_idx" ON "sweep_log" USING btree ("action","agency_id");