-- Custom migration: extensions and the append-only guard on report_events.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION aduan_forbid_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'report_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_events_append_only BEFORE UPDATE OR DELETE ON report_events
  FOR EACH ROW EXECUTE FUNCTION aduan_forbid_change();
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS reports_title_trgm_idx ON reports USING gin (title gin_trgm_ops);
