ALTER TABLE "stats_monthly" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "stats_monthly" CASCADE;