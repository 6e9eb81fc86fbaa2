CREATE TABLE "routing_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"training_rows" integer NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_suggestions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"model_id" integer,
	"kind" text NOT NULL,
	"suggestions" jsonb NOT NULL,
	"top_label" text,
	"top_confidence" double precision,
	"shown_to" uuid,
	"shown_at" timestamp with time zone NOT NULL,
	"chosen_label" text,
	"accepted" boolean,
	"in_top3" boolean,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "routing_models_kind_version_idx" ON "routing_models" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "routing_models_active_idx" ON "routing_models" USING btree ("kind","active");--> statement-breakpoint
CREATE INDEX "routing_suggestions_report_idx" ON "routing_suggestions" USING btree ("report_id","kind");--> statement-breakpoint
CREATE INDEX "routing_suggestions_shown_idx" ON "routing_suggestions" USING btree ("shown_at");
