import { sql, type SQL } from 'drizzle-orm';

export interface FactsParams {
  year: number;
  list: string;
  asOf: string;
  knownAt: string | undefined;
  largeThreshold: string;
}

/** A condition that applies only when knownAt is given; none otherwise (keeps plans index-friendly). */
function knownBy(column: SQL, knownAt: string | undefined): SQL {
  return knownAt ? sql`and ${column} <= ${knownAt}::timestamptz` : sql``;
}

/**
 * The `facts` CTE: one row per project of the list and year with what every figure needs, built
 * set-based (no per-project queries). Revisions as known at knownAt are the latest revision
 * recorded by then; a report with no revision recorded by then does not exist yet.
 */
export function factsCte(p: FactsParams): SQL {
  const yearStart = `${p.year}-01-01`;
  const yearEnd = `${p.year}-12-31`;
  const revisions = p.knownAt
    ? sql`select distinct on (r.id) r.project_id, rr.investment_completed
          from progress_reports r
          join progress_report_revisions rr on rr.report_id = r.id
          where r.project_id in (select project_id from plan)
            and r.period_start >= ${yearStart}::date and r.period_end <= ${yearEnd}::date
            and r.period_end <= ${p.asOf}::date
            and rr.recorded_at <= ${p.knownAt}::timestamptz
          order by r.id, rr.revision desc`
    : sql`select r.project_id, rr.investment_completed
          from progress_reports r
          join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
          where r.project_id in (select project_id from plan)
            and r.period_start >= ${yearStart}::date and r.period_end <= ${yearEnd}::date
            and r.period_end <= ${p.asOf}::date`;
  const archivedFilter = p.knownAt
    ? sql`(p.archived_at is null or p.archived_at > ${p.knownAt}::timestamptz)`
    : sql`p.archived_at is null`;
  return sql`
    with plan as (
      select ap.project_id, ap.stage, ap.planned_investment, p.estimated_investment, p.category, p.department_id
      from annual_plans ap
      join projects p on p.id = ap.project_id
      where ap.year = ${p.year} and ap.list = ${p.list} and ${archivedFilter}
        ${knownBy(sql`ap.created_at`, p.knownAt)} ${knownBy(sql`p.created_at`, p.knownAt)}
    ),
    status_on as (
      select distinct on (sc.project_id) sc.project_id, sc.to_status
      from project_status_changes sc
      where sc.project_id in (select project_id from plan) and sc.effective_date <= ${p.asOf}::date
        ${knownBy(sql`sc.recorded_at`, p.knownAt)}
      order by sc.project_id, sc.effective_date desc, sc.id desc
    ),
    started as (
      select distinct sc.project_id
      from project_status_changes sc
      where sc.project_id in (select project_id from plan) and sc.to_status = 'under_construction'
        and sc.effective_date <= ${p.asOf}::date ${knownBy(sql`sc.recorded_at`, p.knownAt)}
    ),
    revision as (${revisions}),
    completed as (select project_id, sum(investment_completed) as amount from revision group by project_id),
    facts as (
      select plan.*,
        completed.amount as completed,
        completed.project_id is not null as reported,
        coalesce(status_on.to_status = 'under_construction', false) as at_work,
        started.project_id is not null as has_started,
        plan.estimated_investment >= ${p.largeThreshold}::numeric as large
      from plan
      left join status_on on status_on.project_id = plan.project_id
      left join started on started.project_id = plan.project_id
      left join completed on completed.project_id = plan.project_id
    )`;
}

const ids = (filter?: SQL) =>
  filter
    ? sql`coalesce(json_agg(f.project_id order by f.project_id) filter (where ${filter}), '[]'::json)`
    : sql`coalesce(json_agg(f.project_id order by f.project_id), '[]'::json)`;
const money = (expression: SQL, filter?: SQL) =>
  filter ? sql`coalesce(sum(${expression}) filter (where ${filter}), 0.0000)::text` : sql`coalesce(sum(${expression}), 0.0000)::text`;
const count = (filter: SQL) => sql`(count(*) filter (where ${filter}))::int`;
const ratio = (numerator: SQL, denominator: SQL) => sql`round((${numerator})::numeric / nullif(${denominator}, 0), 6)::text`;

const continuing = sql`f.stage = 'continuing'`;
const newStart = sql`f.stage = 'new_start'`;

/** The aggregate columns over `facts f`, shared by the summary (no grouping) and the breakdowns. */
export const figureColumns = sql`
  count(f.project_id)::int as project_count,
  ${ids(sql`f.project_id is not null`)} as project_ids,
  ${money(sql`f.estimated_investment`)} as estimated_investment,
  ${money(sql`f.planned_investment`)} as planned_investment,
  ${count(sql`f.large`)} as large_count,
  ${ids(sql`f.large`)} as large_ids,
  ${money(sql`f.completed`)} as completed,
  ${ids(sql`f.reported`)} as completed_ids,
  ${ratio(sql`coalesce(sum(f.completed), 0)`, sql`sum(f.planned_investment)`)} as completion_rate,
  ${count(continuing)} as continuing_count,
  ${ids(continuing)} as continuing_ids,
  ${count(sql`${continuing} and f.at_work`)} as resumed_count,
  ${ids(sql`${continuing} and f.at_work`)} as resumed_ids,
  ${ratio(count(sql`${continuing} and f.at_work`), count(continuing))} as resumption_rate,
  ${count(newStart)} as new_start_count,
  ${ids(newStart)} as new_start_ids,
  ${count(sql`${newStart} and f.has_started`)} as started_count,
  ${ids(sql`${newStart} and f.has_started`)} as started_ids,
  ${ratio(count(sql`${newStart} and f.has_started`), count(newStart))} as start_rate`;

export interface FigureRow {
  project_count: number;
  project_ids: string[];
  estimated_investment: string;
  planned_investment: string;
  large_count: number;
  large_ids: string[];
  completed: string;
  completed_ids: string[];
  completion_rate: string | null;
  continuing_count: number;
  continuing_ids: string[];
  resumed_count: number;
  resumed_ids: string[];
  resumption_rate: string | null;
  new_start_count: number;
  new_start_ids: string[];
  started_count: number;
  started_ids: string[];
  start_rate: string | null;
}

/** The row the aggregate yields over no projects, for groups that have none (e.g. an empty stage). */
export const emptyFigureRow: FigureRow = {
  project_count: 0,
  project_ids: [],
  estimated_investment: '0.0000',
  planned_investment: '0.0000',
  large_count: 0,
  large_ids: [],
  completed: '0.0000',
  completed_ids: [],
  completion_rate: null,
  continuing_count: 0,
  continuing_ids: [],
  resumed_count: 0,
  resumed_ids: [],
  resumption_rate: null,
  new_start_count: 0,
  new_start_ids: [],
  started_count: 0,
  started_ids: [],
  start_rate: null,
};
