CREATE TABLE "stats_rollup" (
	"scope" text NOT NULL,
	"dim" text NOT NULL,
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"key" text NOT NULL,
	"c" integer[] NOT NULL,
	"h" integer[] NOT NULL,
	CONSTRAINT "stats_rollup_scope_dim_grain_bucket_key_pk" PRIMARY KEY("scope","dim","grain","bucket","key")
);
--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "category_id" integer;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "classification" text;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "counters" integer[];--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "b_follow_up" smallint;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "b_follow_up_hours" smallint;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ADD COLUMN "b_completion" smallint;--> statement-breakpoint
CREATE INDEX "stats_rollup_bucket_idx" ON "stats_rollup" USING btree ("grain","bucket");--> statement-breakpoint
CREATE INDEX "stats_report_facts_created_idx" ON "stats_report_facts" USING btree ("created_date");