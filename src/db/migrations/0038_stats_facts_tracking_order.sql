ALTER TABLE "stats_report_facts" ADD COLUMN "tracking_id" text;--> statement-breakpoint
UPDATE "stats_report_facts" f SET "tracking_id" = r."tracking_id" FROM "reports" r WHERE r."id" = f."report_id";--> statement-breakpoint
DELETE FROM "stats_report_facts" WHERE "tracking_id" IS NULL;--> statement-breakpoint
ALTER TABLE "stats_report_facts" ALTER COLUMN "tracking_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "stats_report_facts_public_order_idx" ON "stats_report_facts" USING btree ("created_date","tracking_id") WHERE is_public;
