ALTER TABLE "attachments" ADD COLUMN "email_inline" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "released_at" timestamp with time zone;