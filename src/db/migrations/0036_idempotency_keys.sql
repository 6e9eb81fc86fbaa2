CREATE TABLE "report_idempotency_keys" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"report_id" uuid NOT NULL,
	"access_key_enc" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "report_idempotency_keys_created_idx" ON "report_idempotency_keys" USING btree ("created_at");