-- Keeps project_investment_rollups equal to what the report revisions say (see
-- src/modules/metrics/metrics.rollup.table.ts): every write to progress_reports or
-- progress_report_revisions recomputes the row of the (project, year) it touches, in the same
-- transaction, from the reports themselves (at most 24 of them), so corrections, deletions and
-- writes that bypass the API keep it right. Period i of a year: i = 2 * (month - 1) + 1 for the
-- half ending on the 15th, + 2 for the half ending at the month's end.
CREATE FUNCTION kpo_refresh_investment_rollup(p_project uuid, p_year integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_first integer;
  v_cumulative numeric[];
BEGIN
  -- Two transactions writing reports of the same project and year take turns: the second one
  -- recomputes after the first has committed (a new statement, a new snapshot), so neither's
  -- report is lost from the row.
  PERFORM pg_advisory_xact_lock(720701, hashtext(p_project::text || '/' || p_year));
  WITH current_figures AS (
    SELECT 2 * (extract(month FROM r.period_end)::integer - 1)
             + CASE WHEN extract(day FROM r.period_end)::integer <= 15 THEN 1 ELSE 2 END AS i,
           rr.investment_completed AS amount
    FROM progress_reports r
    JOIN progress_report_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
    WHERE r.project_id = p_project
      AND r.period_start >= make_date(p_year, 1, 1) AND r.period_end <= make_date(p_year, 12, 31)
  )
  SELECT (SELECT min(i) FROM current_figures),
         ARRAY(SELECT coalesce((SELECT sum(c.amount) FROM current_figures c WHERE c.i <= s.i), 0.0000)
               FROM generate_series(1, 24) AS s(i) ORDER BY s.i)
    INTO v_first, v_cumulative;
  IF v_first IS NULL THEN
    DELETE FROM project_investment_rollups WHERE year = p_year AND project_id = p_project;
  ELSE
    INSERT INTO project_investment_rollups (year, project_id, cumulative, first_period)
    VALUES (p_year, p_project, v_cumulative, v_first)
    ON CONFLICT (year, project_id) DO UPDATE
      SET cumulative = excluded.cumulative, first_period = excluded.first_period;
  END IF;
END $$;
--> statement-breakpoint
-- A new report has no revision yet (the revision insert refreshes); a change of the revision in
-- force, of the period or of the project, and a deletion do.
CREATE FUNCTION kpo_progress_reports_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpo_refresh_investment_rollup(OLD.project_id, extract(year FROM OLD.period_end)::integer);
  IF TG_OP = 'UPDATE' AND (NEW.project_id, extract(year FROM NEW.period_end)) IS DISTINCT FROM (OLD.project_id, extract(year FROM OLD.period_end)) THEN
    PERFORM kpo_refresh_investment_rollup(NEW.project_id, extract(year FROM NEW.period_end)::integer);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Only the revision in force counts: a correction is inserted before the report points at it
-- (the report update refreshes then); a revision of a report being deleted finds no report.
CREATE FUNCTION kpo_progress_report_revisions_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_report record;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT project_id, period_end, current_revision INTO v_report FROM progress_reports WHERE id = OLD.report_id;
    IF FOUND AND v_report.current_revision = OLD.revision THEN
      PERFORM kpo_refresh_investment_rollup(v_report.project_id, extract(year FROM v_report.period_end)::integer);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT project_id, period_end, current_revision INTO v_report FROM progress_reports WHERE id = NEW.report_id;
    IF FOUND AND v_report.current_revision = NEW.revision THEN
      PERFORM kpo_refresh_investment_rollup(v_report.project_id, extract(year FROM v_report.period_end)::integer);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER progress_reports_rollup
AFTER UPDATE OF current_revision, project_id, period_start, period_end OR DELETE ON progress_reports
FOR EACH ROW EXECUTE FUNCTION kpo_progress_reports_rollup();
--> statement-breakpoint
CREATE TRIGGER progress_report_revisions_rollup
AFTER INSERT OR UPDATE OR DELETE ON progress_report_revisions
FOR EACH ROW EXECUTE FUNCTION kpo_progress_report_revisions_rollup();
--> statement-breakpoint
-- Rebuilds every row from the reports, set-based: the backfill below, and the way back should the
-- table ever be in doubt (or after a bulk load with the triggers disabled, as the bench does).
CREATE FUNCTION kpo_rebuild_investment_rollups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM project_investment_rollups;
  INSERT INTO project_investment_rollups (year, project_id, cumulative, first_period)
  WITH current_figures AS (
    SELECT r.project_id, extract(year FROM r.period_end)::integer AS year,
           2 * (extract(month FROM r.period_end)::integer - 1)
             + CASE WHEN extract(day FROM r.period_end)::integer <= 15 THEN 1 ELSE 2 END AS i,
           rr.investment_completed AS amount
    FROM progress_reports r
    JOIN progress_report_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
    WHERE extract(year FROM r.period_start) = extract(year FROM r.period_end)
  ),
  per_period AS (
    SELECT project_id, year, i, sum(amount) AS amount FROM current_figures GROUP BY project_id, year, i
  ),
  firsts AS (
    SELECT project_id, year, min(i) AS first_period FROM per_period GROUP BY project_id, year
  )
  SELECT year, project_id, array_agg(coalesce(running, 0.0000) ORDER BY s), min(first_period)
  FROM (
    SELECT f.year, f.project_id, f.first_period, s.s,
           sum(p.amount) OVER (PARTITION BY f.year, f.project_id ORDER BY s.s) AS running
    FROM firsts f
    CROSS JOIN generate_series(1, 24) AS s(s)
    LEFT JOIN per_period p ON p.project_id = f.project_id AND p.year = f.year AND p.i = s.s
  ) x
  GROUP BY year, project_id;
END $$;
--> statement-breakpoint
-- Backfill (the triggers above already hold the tables' locks, so no report write can slip between).
SELECT kpo_rebuild_investment_rollups();
