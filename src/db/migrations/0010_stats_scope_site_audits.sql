CREATE TABLE "evaluation_site_audits" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"agency_id" text NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"score" integer NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evaluation_site_audits_period_idx" ON "evaluation_site_audits" USING btree ("period_id","agency_id");--> statement-breakpoint
CREATE INDEX "stats_report_facts_path_prefix_idx" ON "stats_report_facts" USING btree ("agency_path" text_pattern_ops,"created_date");--> statement-breakpoint
CREATE INDEX "stats_report_facts_region_prefix_idx" ON "stats_report_facts" USING btree ("region_code" text_pattern_ops,"created_date");