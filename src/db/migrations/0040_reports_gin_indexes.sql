-- The full-text index of reports without a pending list (docs/benchmarks.md, "GIN pending lists"): with fastupdate on,
-- every read also scans up to 4 MB of entries not yet merged, and the insert that fills the list merges it (about
-- 130 ms at 1,000,000 reports). Each insert now updates the index itself.
ALTER INDEX "reports_search_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('reports_search_idx'::regclass);--> statement-breakpoint
-- No query reads the title trigram index: the similar lookup computes similarity() for its 40 candidates only, and no
-- query uses the % operator or LIKE on titles. Every insert paid for it.
DROP INDEX IF EXISTS "reports_title_trgm_idx";
