CREATE TABLE "evaluation_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"award" text DEFAULT 'complaint_handling' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_participants" (
	"group_id" text NOT NULL,
	"agency_id" text NOT NULL,
	"website_url" text,
	"social_url" text,
	CONSTRAINT "evaluation_participants_group_id_agency_id_pk" PRIMARY KEY("group_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "evaluation_periods" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"weights_version" integer DEFAULT 1 NOT NULL,
	"weights" jsonb NOT NULL,
	"thresholds" jsonb NOT NULL,
	"min_volume" integer DEFAULT 10 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"snapshot_sha256" text,
	"inputs_sha256" text NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_rubric_scores" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_id" text NOT NULL,
	"agency_id" text NOT NULL,
	"indicator" text NOT NULL,
	"assessor_user_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	"justification" text NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "open_data_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"rows" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_monthly" (
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"month" text NOT NULL,
	"acc" jsonb NOT NULL,
	CONSTRAINT "stats_monthly_dim_month_key_pk" PRIMARY KEY("dim","month","key")
);
--> statement-breakpoint
CREATE TABLE "stats_report_facts" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"created_date" date NOT NULL,
	"month" text NOT NULL,
	"agency_id" text,
	"agency_path" text,
	"region_code" text,
	"confidential" boolean NOT NULL,
	"is_public" boolean NOT NULL,
	"open_due_at" timestamp with time zone,
	"fact" jsonb NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_rubric_unique_idx" ON "evaluation_rubric_scores" USING btree ("period_id","agency_id","indicator","assessor_user_id");--> statement-breakpoint
CREATE INDEX "stats_report_facts_month_idx" ON "stats_report_facts" USING btree ("month");--> statement-breakpoint
CREATE INDEX "stats_report_facts_due_idx" ON "stats_report_facts" USING btree ("open_due_at");--> statement-breakpoint
CREATE INDEX "stats_report_facts_path_idx" ON "stats_report_facts" USING btree ("agency_path");