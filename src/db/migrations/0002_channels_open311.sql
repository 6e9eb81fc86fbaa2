CREATE TABLE "agency_webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"url" text NOT NULL,
	"events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"secret_enc" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"external_id" text NOT NULL,
	"sender_hash" text,
	"report_id" uuid,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "open311_requests" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"api_key_id" uuid NOT NULL,
	"token" text NOT NULL,
	"service_type" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"media_url" text,
	"access_key_enc" text NOT NULL,
	"hops" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_requests_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "open311_sandbox" (
	"id" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"service_type" text NOT NULL,
	"request" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_sandbox_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "open311_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"api_key_id" uuid NOT NULL,
	"update_id" text NOT NULL,
	"report_id" uuid NOT NULL,
	"event_id" integer,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "agency_webhooks_agency_idx" ON "agency_webhooks" USING btree ("agency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_channel_external_idx" ON "inbound_messages" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "open311_requests_key_idx" ON "open311_requests" USING btree ("api_key_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "open311_updates_key_update_idx" ON "open311_updates" USING btree ("api_key_id","update_id");