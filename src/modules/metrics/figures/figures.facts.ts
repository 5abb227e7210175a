import { sql, type SQL } from 'drizzle-orm';
import { formatPeriod, periodBounds } from '../../../domain/periods.js';

export interface FactsParams {
  year: number;
  list: string;
  asOf: string;
  knownAt: string | undefined;
  largeThreshold: string;
  /** Which reports the investment completed sums (the running totals are kept per basis). */
  basis: 'submitted' | 'approved';
}

/**
 * Without `include=projectIds`, the figures carry their project ids only when the list has at most
 * this many projects for the year (a town's list: the drill-down is right there); above it they are
 * left out, so that a province-scale answer stays a few kilobytes instead of megabytes.
 */
export const PROJECT_ID_LIMIT = 100;

/**
 * How many of the year's 24 half-month periods have ended on or before asOf (0 before 15 January,
 * 24 from 31 December): the index into `project_investment_rollups.cumulative`.
 */
export function periodsEndedBy(year: number, asOf: string): number {
  let ended = 0;
  for (let month = 1; month <= 12; month++) {
    for (const half of [1, 2] as const) {
      if (periodBounds(formatPeriod({ year, month, half })).end <= asOf) ended++;
    }
  }
  return ended;
}

/**
 * The `facts` CTE: one row per project of the list and year with what every figure needs, built
 * set-based (no per-project queries). Investment completed is read from the maintained running
 * totals, one row per project (≤ 100k rows, not 2.4M revisions). The same SQL answers as known at an
 * earlier instant: run under readKnownAt / enterKnownAt, each table name means its versions of then
 * (src/db/history.ts), the running totals included.
 */
export function factsCte(p: FactsParams): SQL {
  // The list's projects as the base table gives them (a superset of `plan`, which also leaves out
  // archived ones; status and completed are joined to plan, so the extra rows never count): asked of
  // the CTE instead, the planner guessed 200 rows for any list, and at a million projects looked up
  // 250,000 projects' status changes and running totals one by one (8.7 s instead of ≈5).
  const listed = sql`select ap.project_id from annual_plans ap where ap.year = ${p.year} and ap.list = ${p.list}`;
  const completed = sql`select ir.project_id, ir.cumulative[${periodsEndedBy(p.year, p.asOf)}::int] as amount
          from project_investment_rollups ir
          where ir.year = ${p.year} and ir.basis = ${p.basis} and ir.first_period <= ${periodsEndedBy(p.year, p.asOf)}::int
            and ir.project_id in (${listed})`;
  return sql`
    with plan as (
      select ap.project_id, ap.stage, ap.planned_investment, p.estimated_investment, p.category, p.department_id
      from annual_plans ap
      join projects p on p.id = ap.project_id
      where ap.year = ${p.year} and ap.list = ${p.list} and p.archived_at is null
    ),
    status as (
      -- One pass over each project's status history up to asOf: its status on asOf (the last change,
      -- ties by the later entry) and whether it had ever turned under_construction by then.
      select sc.project_id,
        (array_agg(sc.to_status order by sc.effective_date desc, sc.id desc))[1] as status_on,
        bool_or(sc.to_status = 'under_construction') as has_started
      from project_status_changes sc
      where sc.project_id in (${listed}) and sc.effective_date <= ${p.asOf}::date
      group by sc.project_id
    ),
    completed as (${completed}),
    facts as (
      select plan.*,
        completed.amount as completed,
        completed.project_id is not null as reported,
        coalesce(status.status_on = 'under_construction', false) as at_work,
        coalesce(status.has_started, false) as has_started,
        plan.estimated_investment >= ${p.largeThreshold}::numeric as large
      from plan
      left join status on status.project_id = plan.project_id
      left join completed on completed.project_id = plan.project_id
    )`;
}

const money = (expression: SQL, filter?: SQL) =>
  filter ? sql`coalesce(sum(${expression}) filter (where ${filter}), 0.0000)::text` : sql`coalesce(sum(${expression}), 0.0000)::text`;
const count = (filter: SQL) => sql`(count(*) filter (where ${filter}))::int`;
const ratio = (numerator: SQL, denominator: SQL) => sql`round((${numerator})::numeric / nullif(${denominator}, 0), 6)::text`;

const continuing = sql`f.stage = 'continuing'`;
const newStart = sql`f.stage = 'new_start'`;

/**
 * The aggregate columns over `facts f`, shared by the summary and the breakdowns. Without ids the
 * id lists are null (left out of the answer) and no aggregate is ordered, so PostgreSQL may hash
 * the groups; `list_project_count` (the list's distinct projects) decides whether to ask again.
 */
export function figureColumns(withIds: boolean): SQL {
  const ids = (filter: SQL) =>
    withIds ? sql`coalesce(json_agg(f.project_id order by f.project_id) filter (where ${filter}), '[]'::json)` : sql`null::json`;
  return sql`
  ${withIds ? sql`true` : sql`false`} as ids_included,
  (select count(*) from plan)::int as list_project_count,
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
}

/** Id lists are null when the answer leaves them out. */
type Ids = string[] | null;

export interface FigureRow {
  ids_included: boolean;
  list_project_count: number;
  project_count: number;
  project_ids: Ids;
  estimated_investment: string;
  planned_investment: string;
  large_count: number;
  large_ids: Ids;
  completed: string;
  completed_ids: Ids;
  completion_rate: string | null;
  continuing_count: number;
  continuing_ids: Ids;
  resumed_count: number;
  resumed_ids: Ids;
  resumption_rate: string | null;
  new_start_count: number;
  new_start_ids: Ids;
  started_count: number;
  started_ids: Ids;
  start_rate: string | null;
}

/** The row the aggregate yields over no projects, for groups that have none (e.g. an empty stage). */
export const emptyFigureRow: FigureRow = {
  ids_included: true,
  list_project_count: 0,
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

/** The empty row of an answer that leaves the id lists out. */
export function emptyFigureRowOf(idsIncluded: boolean): FigureRow {
  if (idsIncluded) return emptyFigureRow;
  const row: FigureRow = { ...emptyFigureRow, ids_included: false };
  for (const key of Object.keys(row) as (keyof FigureRow)[]) if (key.endsWith('_ids')) (row as unknown as Record<string, unknown>)[key] = null;
  return row;
}
