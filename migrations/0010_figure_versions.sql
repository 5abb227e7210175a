CREATE TABLE "figure_versions" (
	"shard" integer PRIMARY KEY NOT NULL,
	"changes" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Sixty-four shards, half-empty pages: each counter update is a HOT update on its own page region.
ALTER TABLE "figure_versions" SET (fillfactor = 50);
--> statement-breakpoint
INSERT INTO "figure_versions" ("shard") SELECT s FROM generate_series(0, 63) AS s;
--> statement-breakpoint
-- Counts a transaction that changed what the figures read (src/modules/metrics/metrics.versions.table.ts).
-- Fired by deferred row triggers, so it runs at commit, after every other statement of the
-- transaction: the shard's row lock is the last lock taken and is held only while committing, so it
-- can make a writer wait a moment but never close a deadlock. Once per transaction (the local
-- setting ends with it). Also the statement trigger of TRUNCATE (no rows, no deferral). The counter
-- only grows: a missing shard row is created, and figure_versions itself must never be truncated.
CREATE FUNCTION kpo_figures_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('kpo.figures_counted', true), '') <> 'on' THEN
    PERFORM set_config('kpo.figures_counted', 'on', true);
    INSERT INTO figure_versions AS v (shard, changes) VALUES (pg_backend_pid() % 64, 1)
    ON CONFLICT (shard) DO UPDATE SET changes = v.changes + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['projects', 'annual_plans', 'project_status_changes', 'progress_reports',
    'progress_report_revisions', 'declared_figures', 'leader_assignments', 'leaders', 'departments']
  LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpo_figures_changed()', t || '_figures_changed', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION kpo_figures_changed()', t || '_figures_truncated', t);
  END LOOP;
END $$;
