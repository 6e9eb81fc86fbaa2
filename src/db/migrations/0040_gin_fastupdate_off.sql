-- The two GIN indexes of reports without a pending list (docs/benchmarks.md, "GIN pending lists"): with fastupdate on,
-- every full-text or trigram read also scans up to 4 MB of entries not yet merged, and the insert that fills the list
-- merges it (about 130 ms at 1,000,000 reports). Each insert now updates the index itself (about 0.6 ms more).
ALTER INDEX "reports_search_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "reports_title_trgm_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('reports_search_idx'::regclass);--> statement-breakpoint
SELECT gin_clean_pending_list('reports_title_trgm_idx'::regclass);
