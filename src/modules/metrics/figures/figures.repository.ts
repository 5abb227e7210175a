import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/types.js';
import { rowsOf } from '../../../db/rows.js';
import { PROJECT_ID_LIMIT, factsCte, figureColumns, type FactsParams, type FigureRow } from './figures.facts.js';
import type { BreakdownQuery } from './figures.schemas.js';

// The figures' SQL and its rows. Every function takes the transaction the use case opened
// (figures.usecases.ts), so that all the statements of one answer read one snapshot.

export type SummaryRow = FigureRow & { group_key: string | null; is_total: boolean };
export type GroupRow = FigureRow & { group_key: string | null; group_label: string | null };

export interface DeclarationRow {
  figure: string;
  declared: string;
  derived: string;
  difference: string;
  source: string;
}

/**
 * The figures' statements join tens of thousands of projects; PostgreSQL's cost estimate for them
 * crosses jit_above_cost, and JIT compilation then took 1.5 s of a 3 s statement at province scale
 * (bench --explain) for a plan that runs in well under that without it. Off for this transaction
 * only, with room to sort and hash the list in memory.
 */
/**
 * The first statement of a figures transaction: tunes it, and names the snapshot it takes — the
 * figures' version it sees and the instant just before it was taken (the statement's start, so a
 * write committed before the snapshot began before that instant: asked with knownAt = that instant,
 * the same records).
 */
export async function tuneForFigures(tx: Executor): Promise<{ version: string; at: string }> {
  const [row] = await rowsOf<{ version: string; at: string }>(
    tx,
    sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
          (select coalesce(sum(changes), 0)::text from figure_versions) as version,
          to_char(statement_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`,
  );
  return row!;
}

/**
 * As known at an instant, every table is a view filtered on the instant, which the planner cannot
 * see (a setting read at run time): it guesses one row per filtered table and picks nested loops —
 * quadratic over a list's plans (37 s instead of 2 s for 100,000 projects, bench/results.md). The
 * figures read whole lists, for which hash joins are right whatever the estimate.
 */
export async function planForKnownAt(tx: Executor): Promise<void> {
  await tx.execute(sql`select set_config('enable_nestloop', 'off', true)`);
}

/** The version of the figures' inputs as one snapshot sees it (see figures.versions.table.ts). */
export async function figuresVersionIn(executor: Executor): Promise<string> {
  const [row] = await rowsOf<{ version: string }>(executor, sql`select coalesce(sum(changes), 0)::text as version from figure_versions`);
  return row!.version;
}

/**
 * Runs an aggregate without id lists (the large case: nothing ordered, nothing listed), then with
 * them when asked or when the list turns out small enough to list.
 */
async function withIdsIfWanted<R extends FigureRow>(include: boolean, run: (withIds: boolean) => Promise<R[]>): Promise<R[]> {
  if (include) return run(true);
  const rows = await run(false);
  const listed = rows[0]?.list_project_count ?? 0;
  return listed <= PROJECT_ID_LIMIT ? run(true) : rows;
}

/** The whole list (is_total) and each stage, in one statement over one evaluation of facts. */
export function summaryRows(tx: Executor, { params, include }: { params: FactsParams; include: boolean }): Promise<SummaryRow[]> {
  return withIdsIfWanted(include, (withIds) =>
    rowsOf<SummaryRow>(
      tx,
      sql`${factsCte(params)}
        select f.stage as group_key, grouping(f.stage) = 1 as is_total, ${figureColumns(withIds)}
        from facts f
        group by grouping sets ((), (f.stage))`,
    ),
  );
}

interface Grouping {
  key: SQL;
  label: SQL;
  joins: SQL;
}

function groupingOf(by: BreakdownQuery['by'], asOf: string): Grouping {
  switch (by) {
    case 'category':
      return { key: sql`f.category`, label: sql`f.category`, joins: sql`` };
    case 'stage':
      return { key: sql`f.stage`, label: sql`f.stage`, joins: sql`` };
    case 'department':
      return {
        key: sql`f.department_id::text`,
        label: sql`d.name`,
        joins: sql`left join departments d on d.id = f.department_id`,
      };
    case 'leader':
      // One row per (project, leader) active on asOf: a project with two leaders is in both groups.
      return {
        key: sql`l.id::text`,
        label: sql`l.name`,
        joins: sql`
          left join (
            select distinct la.project_id, la.leader_id
            from leader_assignments la
            where la.start_date <= ${asOf}::date and (la.end_date is null or la.end_date >= ${asOf}::date)
          ) active on active.project_id = f.project_id
          left join leaders l on l.id = active.leader_id`,
      };
  }
}

/** One row per group of `by`, ordered by label (no group last). */
export function groupRows(
  tx: Executor,
  { params, by, include }: { params: FactsParams; by: BreakdownQuery['by']; include: boolean },
): Promise<GroupRow[]> {
  const g = groupingOf(by, params.asOf);
  return withIdsIfWanted(include, (withIds) =>
    rowsOf<GroupRow>(
      tx,
      sql`${factsCte(params)}
        select ${g.key} as group_key, ${g.label} as group_label, ${figureColumns(withIds)}
        from facts f ${g.joins}
        group by 1, 2
        order by 2 nulls last, 1 nulls last`,
    ),
  );
}

/** The declared figures of the list and year set against the derived values given, with the exact difference. */
export function declarationsAgainst(
  tx: Executor,
  { list, year, asOf, derived }: { list: string; year: number; asOf: string; derived: { figure: string; derived: string }[] },
): Promise<DeclarationRow[]> {
  const values = sql.join(
    derived.map((d) => sql`(${d.figure}, ${d.derived})`),
    sql`, `,
  );
  return rowsOf<DeclarationRow>(
    tx,
    sql`select d.figure, trim_scale(d.value)::text as declared, x.derived,
          (x.derived::numeric - trim_scale(d.value))::text as difference, d.source
        from declared_figures d
        join (values ${values}) as x(figure, derived) on x.figure = d.figure
        where d.list = ${list} and d.year = ${year} and d.as_of = ${asOf}::date
        order by d.figure`,
  );
}
