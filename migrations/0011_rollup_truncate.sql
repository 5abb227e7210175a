-- Row triggers (migration 0007) do not fire on TRUNCATE: emptying the reports or their revisions
-- left project_investment_rollups holding figures of reports that no longer existed. With no
-- revisions there is no investment completed, so the rollup is emptied with them.
CREATE FUNCTION kpo_investment_rollups_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM project_investment_rollups;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER progress_reports_rollup_truncate
AFTER TRUNCATE ON progress_reports
FOR EACH STATEMENT EXECUTE FUNCTION kpo_investment_rollups_truncated();
--> statement-breakpoint
CREATE TRIGGER progress_report_revisions_rollup_truncate
AFTER TRUNCATE ON progress_report_revisions
FOR EACH STATEMENT EXECUTE FUNCTION kpo_investment_rollups_truncated();
