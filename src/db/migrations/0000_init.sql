CREATE TABLE "agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"kind" text NOT NULL,
	"parent_id" text,
	"path" text NOT NULL,
	"region_code" text,
	"zone" text DEFAULT 'WIB' NOT NULL,
	"is_coordinator" boolean DEFAULT false NOT NULL,
	"sms_keyword" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"agency_id" text,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"event_id" integer,
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"id" serial PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" text
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text,
	"report_id" uuid,
	"payload" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "pii_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"report_id" uuid,
	"subject_user_id" uuid,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "region_stats" (
	"code" text PRIMARY KEY NOT NULL,
	"population" integer,
	"area_km2" double precision
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" smallint NOT NULL,
	"parent_code" text
);
--> statement-breakpoint
CREATE TABLE "report_deadlines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"clock" text NOT NULL,
	"agency_id" text,
	"rule_id" text NOT NULL,
	"rule_version" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"explanation" jsonb NOT NULL,
	"stopped_at" timestamp with time zone,
	"met" boolean
);
--> statement-breakpoint
CREATE TABLE "report_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"visibility" text NOT NULL,
	"actor_user_id" uuid,
	"actor_role" text,
	"actor_agency_id" text,
	"from_status" text,
	"to_status" text,
	"body" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"prev_hash" text,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_id" text NOT NULL,
	"access_key_hash" text NOT NULL,
	"classification" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"occurred_on" date,
	"region_code" text,
	"lat" double precision,
	"lon" double precision,
	"address" text,
	"category_id" integer,
	"target_agency_id" text,
	"agency_id" text,
	"dispatched_agency_id" text,
	"status" text NOT NULL,
	"archive_reason" text,
	"duplicate_of_id" uuid,
	"anonymous" boolean DEFAULT false NOT NULL,
	"confidential" boolean DEFAULT false NOT NULL,
	"supervisory" boolean DEFAULT false NOT NULL,
	"channel" text NOT NULL,
	"reporter_user_id" uuid,
	"reporter_enc" text,
	"escalation_consent" boolean DEFAULT false NOT NULL,
	"support_count" integer DEFAULT 0 NOT NULL,
	"rating" smallint,
	"misrouted_working_days" integer DEFAULT 0 NOT NULL,
	"return_count" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"deadline" jsonb,
	"due_at" timestamp with time zone,
	"event_count" integer DEFAULT 0 NOT NULL,
	"last_event_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('indonesian'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))) STORED,
	CONSTRAINT "reports_tracking_id_unique" UNIQUE("tracking_id")
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"agency_id" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_rules" (
	"id" text NOT NULL,
	"version" integer NOT NULL,
	"clock" text NOT NULL,
	"classification" text,
	"supervisory" boolean,
	"working_days" integer NOT NULL,
	"basis" text NOT NULL,
	"valid_from" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_rules_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
CREATE TABLE "supports" (
	"report_id" uuid NOT NULL,
	"supporter_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supports_report_id_supporter_key_pk" PRIMARY KEY("report_id","supporter_key")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"contact_enc" text,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_active_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE INDEX "agencies_parent_idx" ON "agencies" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "agencies_path_idx" ON "agencies" USING btree ("path");--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_sms_keyword_idx" ON "agencies" USING btree ("sms_keyword");--> statement-breakpoint
CREATE INDEX "attachments_report_idx" ON "attachments" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_name_parent_idx" ON "categories" USING btree ("name","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_date_region_idx" ON "holidays" USING btree ("date","region_code");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "pii_access_log_report_idx" ON "pii_access_log" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "report_deadlines_report_idx" ON "report_deadlines" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "report_deadlines_open_idx" ON "report_deadlines" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "report_events_report_seq_idx" ON "report_events" USING btree ("report_id","seq");--> statement-breakpoint
CREATE INDEX "reports_status_idx" ON "reports" USING btree ("status");--> statement-breakpoint
CREATE INDEX "reports_agency_idx" ON "reports" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "reports_target_idx" ON "reports" USING btree ("target_agency_id");--> statement-breakpoint
CREATE INDEX "reports_region_idx" ON "reports" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "reports_created_idx" ON "reports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "reports_updated_idx" ON "reports" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "reports_due_idx" ON "reports" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "reports_search_idx" ON "reports" USING gin ("search");--> statement-breakpoint
CREATE INDEX "role_grants_user_idx" ON "role_grants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");