CREATE TABLE "federation_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"report_id" uuid NOT NULL,
	"peer_instance" text NOT NULL,
	"origin_instance" text NOT NULL,
	"origin_request_id" text NOT NULL,
	"hops" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_peers" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"base_url" text NOT NULL,
	"api_key_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "federation_links_origin_idx" ON "federation_links" USING btree ("direction","peer_instance","origin_instance","origin_request_id");--> statement-breakpoint
CREATE INDEX "federation_links_report_idx" ON "federation_links" USING btree ("report_id");