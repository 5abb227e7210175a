-- The office reviews half-month reports (填报 → 审核 → 退回), and every figure built from reports
-- takes a basis: 'submitted' (every report not returned) or 'approved'. The running totals are kept
-- per basis.
ALTER TABLE "webhook_events" DROP CONSTRAINT "webhook_events_type_check";--> statement-breakpoint
ALTER TABLE "project_investment_rollups" DROP CONSTRAINT "project_investment_rollups_year_project_id_pk";--> statement-breakpoint
ALTER TABLE "project_investment_rollups" ADD COLUMN "basis" text DEFAULT 'submitted' NOT NULL;--> statement-breakpoint
ALTER TABLE "project_investment_rollups" ADD CONSTRAINT "project_investment_rollups_year_basis_project_id_pk" PRIMARY KEY("year","basis","project_id");--> statement-breakpoint
ALTER TABLE "progress_reports" ADD COLUMN "review_status" text DEFAULT 'submitted' NOT NULL;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD COLUMN "return_reason" text;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD COLUMN "resubmitted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "progress_reports_review_idx" ON "progress_reports" USING btree ("review_status","submitted_at","id");--> statement-breakpoint
ALTER TABLE "project_investment_rollups" ADD CONSTRAINT "project_investment_rollups_basis_check" CHECK ("project_investment_rollups"."basis" in ('submitted', 'approved'));--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_review_status_check" CHECK ("progress_reports"."review_status" in ('submitted', 'approved', 'returned'));--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_type_check" CHECK ("webhook_events"."type" in ('project.status_changed', 'report.submitted', 'report.late', 'report.approved', 'report.returned', 'issue.opened', 'issue.resolved', 'warning.light_changed'));
--> statement-breakpoint
-- History follows the tables' new columns (history.enable rewrites each trigger function with the
-- columns spelled out, and its known_at view). The running totals' history gets basis first: its
-- versions so far all summed every report.
SELECT history.enable('progress_reports', 'r.created_at');
--> statement-breakpoint
ALTER TABLE history.project_investment_rollups DROP CONSTRAINT project_investment_rollups_pkey;
--> statement-breakpoint
ALTER TABLE history.project_investment_rollups ADD COLUMN basis text;
--> statement-breakpoint
UPDATE history.project_investment_rollups SET basis = 'submitted';
--> statement-breakpoint
SELECT history.enable('project_investment_rollups',
  '(select min(rr.recorded_at) from progress_reports p join progress_report_revisions rr on rr.report_id = p.id where p.project_id = r.project_id and extract(year from p.period_end) = r.year)');
--> statement-breakpoint
-- A project-year's rows, one per basis that has a report: 'submitted' sums the in-force revisions of
-- the reports not returned, 'approved' those of the approved ones.
CREATE OR REPLACE FUNCTION kpo_refresh_investment_rollup(p_project uuid, p_year integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_basis text;
  v_first integer;
  v_cumulative numeric[];
BEGIN
  PERFORM pg_advisory_xact_lock(720701, hashtext(p_project::text || '/' || p_year));
  FOREACH v_basis IN ARRAY ARRAY['submitted', 'approved'] LOOP
    WITH current_figures AS (
      SELECT 2 * (extract(month FROM r.period_end)::integer - 1)
               + CASE WHEN extract(day FROM r.period_end)::integer <= 15 THEN 1 ELSE 2 END AS i,
             rr.investment_completed AS amount
      FROM progress_reports r
      JOIN progress_report_revisions rr ON rr.report_id = r.id AND rr.revision = r.current_revision
      WHERE r.project_id = p_project
        AND r.period_start >= make_date(p_year, 1, 1) AND r.period_end <= make_date(p_year, 12, 31)
        AND CASE v_basis WHEN 'approved' THEN r.review_status = 'approved' ELSE r.review_status <> 'returned' END
    )
    SELECT (SELECT min(i) FROM current_figures),
           ARRAY(SELECT coalesce((SELECT sum(c.amount) FROM current_figures c WHERE c.i <= s.i), 0.0000)
                 FROM generate_series(1, 24) AS s(i) ORDER BY s.i)
      INTO v_first, v_cumulative;
    IF v_first IS NULL THEN
      DELETE FROM project_investment_rollups WHERE year = p_year AND basis = v_basis AND project_id = p_project;
    ELSE
      INSERT INTO project_investment_rollups (year, basis, project_id, cumulative, first_period)
      VALUES (p_year, v_basis, p_project, v_cumulative, v_first)
      ON CONFLICT (year, basis, project_id) DO UPDATE
        SET cumulative = excluded.cumulative, first_period = excluded.first_period;
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
-- A review decision changes which basis a report counts in.
DROP TRIGGER progress_reports_rollup ON progress_reports;
--> statement-breakpoint
CREATE TRIGGER progress_reports_rollup
AFTER UPDATE OF current_revision, project_id, period_start, period_end, review_status OR DELETE ON progress_reports
FOR EACH ROW EXECUTE FUNCTION kpo_progress_reports_rollup();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpo_rebuild_investment_rollups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM project_investment_rollups;
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
    WHERE extract(year FROM r.period_start) = extract(year FROM r.period_end)
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
--> statement-breakpoint
-- Every existing report is 'submitted': its approved rows start empty, and the rebuild makes them so.
SELECT kpo_rebuild_investment_rollups();
