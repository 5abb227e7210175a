-- A bulk import of half-month reports (240,000 of them for 10,000 projects' year) would recompute a
-- project-year's running totals once per revision inserted: 24 recomputations of the same row, each
-- reading up to 24 reports. The import instead sets kpo.rollups_deferred (transaction-local) while
-- it inserts, then calls kpo_refresh_investment_rollups_of with the projects it wrote, in the same
-- transaction: the totals are right when it commits, as with the row trigger, and every other writer
-- (without the setting) is untouched.
CREATE OR REPLACE FUNCTION kpo_progress_report_revisions_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_report record;
BEGIN
  IF coalesce(current_setting('kpo.rollups_deferred', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
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
-- The running totals of the given projects, every year and basis, recomputed set-based from their
-- reports (the rebuild's query, filtered), after taking the same advisory locks as the row refresh.
CREATE FUNCTION kpo_refresh_investment_rollups_of(p_projects uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(720701, hashtext(pair.project_id::text || '/' || pair.year))
  FROM (
    SELECT DISTINCT r.project_id, extract(year FROM r.period_end)::integer AS year
    FROM progress_reports r WHERE r.project_id = ANY (p_projects)
    UNION
    SELECT u.project_id, u.year FROM project_investment_rollups u WHERE u.project_id = ANY (p_projects)
    ORDER BY 1, 2
  ) pair;
  DELETE FROM project_investment_rollups WHERE project_id = ANY (p_projects);
  INSERT INTO project_investment_rollups (year, basis, project_id, cumulative, first_period)
  WITH current_figures AS (
    SELECT b.basis, r.project_id, extract(year FROM r.period_end)::integer AS year,
           2 * (extract(month FROM r.period_end)::integer - 1)
             + CASE WHEN extract(day FROM r.period_end)::integer <= 15 THEN 1 ELSE 2 END AS i,
           rr.investment_completed AS amount
    FROM progress_reports r
    JOIN progress_report_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
    JOIN (VALUES ('submitted'), ('approved')) AS b(basis)
      ON CASE b.basis WHEN 'approved' THEN r.review_status = 'approved' ELSE r.review_status <> 'returned' END
    WHERE r.project_id = ANY (p_projects)
  ),
  per_period AS (
    SELECT basis, project_id, year, i, sum(amount) AS amount FROM current_figures GROUP BY basis, project_id, year, i
  ),
  firsts AS (
    SELECT basis, project_id, year, min(i) AS first_period FROM per_period GROUP BY basis, project_id, year
  )
  SELECT year, basis, project_id, array_agg(coalesce(running, 0.0000) ORDER BY s), min(first_period)
  FROM (
    SELECT f.basis, f.year, f.project_id, f.first_period, s.s,
           sum(p.amount) OVER (PARTITION BY f.basis, f.year, f.project_id ORDER BY s.s) AS running
    FROM firsts f
    CROSS JOIN generate_series(1, 24) AS s(s)
    LEFT JOIN per_period p ON p.basis = f.basis AND p.project_id = f.project_id AND p.year = f.year AND p.i = s.s
  ) x
  GROUP BY year, basis, project_id;
END $$;
