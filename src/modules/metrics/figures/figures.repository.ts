import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../../db/types.js';
import { rowsOf } from '../../../db/rows.js';
import { projectCategory, planStage } from '../../../domain/codes.js';
import { dateInChina } from '../../../lib/china-time.js';
import { emptyFigureRowOf, PROJECT_ID_LIMIT, factsCte, figureColumns, type FactsParams, type FigureRow } from './figures.facts.js';
import { derivedValueOf, figuresOf } from './figures.present.js';
import { figureKeys, stageKeys } from '../metrics.keys.js';
import { breakdownSchema, summarySchema, type BreakdownQuery, type SummaryQuery } from './figures.schemas.js';
import type { FiguresCache } from './figures.cache.js';

/** `include` comes with the metrics routes only (the exports reuse the queries without it). */
type WithInclude<Q> = Q & { include?: 'projectIds' | undefined };

function paramsOf(query: SummaryQuery): FactsParams {
  return {
    year: query.year,
    list: query.list,
    asOf: query.asOf ?? dateInChina(new Date()),
    knownAt: query.knownAt,
    largeThreshold: query.largeThreshold,
  };
}

interface Grouping {
  key: SQL;
  label: SQL;
  joins: SQL;
}

function groupingOf(by: BreakdownQuery['by'], asOf: string, knownAt: string | undefined): Grouping {
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
              ${knownAt ? sql`and la.created_at <= ${knownAt}::timestamptz` : sql``}
          ) active on active.project_id = f.project_id
          left join leaders l on l.id = active.leader_id`,
      };
  }
}

const codeLabels: Record<string, Record<string, { zh: string; en: string }>> = {
  category: projectCategory.labels,
  stage: planStage.labels,
};

const noGroupLabel: Record<string, string> = {
  department: 'No department / 无责任部门',
  leader: 'No leader assigned on asOf / 统计日无挂点领导',
};

/**
 * The figures' statements join tens of thousands of projects; PostgreSQL's cost estimate for them
 * crosses jit_above_cost, and JIT compilation then took 1.5 s of a 3 s statement at province scale
 * (bench --explain) for a plan that runs in well under that without it. Off for this transaction
 * only, with room to sort and hash the list in memory.
 */
const figureSettings = sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`;

/** The cache key of a question: everything its answer depends on besides the data. */
function cacheKeyOf(kind: string, params: FactsParams, extra: unknown[] = []): string {
  return JSON.stringify([kind, params.year, params.list, params.asOf, params.knownAt ?? null, params.largeThreshold, ...extra]);
}

/**
 * `cache`: when given, summaryJson/breakdownJson reuse answers while the figures' inputs are
 * unchanged (figures.cache.ts); summary/breakdown always compute.
 */
export function createMetricsRepository({ db, cache }: { db: Db; cache?: FiguresCache }) {
  function withFigureSettings<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      await tx.execute(figureSettings);
      return work(tx);
    });
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

  async function groupRows(tx: Executor, params: FactsParams, by: BreakdownQuery['by'], include: boolean) {
    const g = groupingOf(by, params.asOf, params.knownAt);
    return withIdsIfWanted(include, (withIds) =>
      rowsOf<FigureRow & { group_key: string | null; group_label: string | null }>(
        tx,
        sql`${factsCte(params)}
          select ${g.key} as group_key, ${g.label} as group_label, ${figureColumns(withIds)}
          from facts f ${g.joins}
          group by 1, 2
          order by 2 nulls last, 1 nulls last`,
      ),
    );
  }

  async function declarationsFor(tx: Executor, list: string, year: number, derived: { figure: string; derived: string }[]) {
    const values = sql.join(
      derived.map((d) => sql`(${d.figure}, ${d.derived})`),
      sql`, `,
    );
    return rowsOf<{ figure: string; declared: string; derived: string; difference: string; source: string }>(
      tx,
      sql`select d.figure, trim_scale(d.value)::text as declared, x.derived,
            (x.derived::numeric - trim_scale(d.value))::text as difference, d.source
          from declared_figures d
          join (values ${values}) as x(figure, derived) on x.figure = d.figure
          where d.list = ${list} and d.year = ${year}
          order by d.figure`,
    );
  }

  async function summary(query: WithInclude<SummaryQuery>) {
    return withFigureSettings((tx) => summaryIn(tx, query));
  }

  async function summaryIn(tx: Executor, query: WithInclude<SummaryQuery>) {
    const params = paramsOf(query);
    // One statement: the whole list (grouping() = 1) and each stage, over one evaluation of facts.
    const rows = await withIdsIfWanted(query.include === 'projectIds', (withIds) =>
      rowsOf<FigureRow & { group_key: string | null; is_total: boolean }>(
        tx,
        sql`${factsCte(params)}
          select f.stage as group_key, grouping(f.stage) = 1 as is_total, ${figureColumns(withIds)}
          from facts f
          group by grouping sets ((), (f.stage))`,
      ),
    );
    const overall = rows.find((r) => r.is_total);
    const stageRows = rows.filter((r) => !r.is_total);
    const idsIncluded = overall?.ids_included ?? true;
    const figures = figuresOf(overall ?? emptyFigureRowOf(idsIncluded), params.asOf);
    const byStage = Object.fromEntries(
      stageKeys.map((stage) => {
        const all = figuresOf(stageRows.find((r) => r.group_key === stage) ?? emptyFigureRowOf(idsIncluded), params.asOf);
        return [stage, { projectCount: all.projectCount, estimatedInvestment: all.estimatedInvestment, plannedInvestment: all.plannedInvestment }];
      }),
    ) as Record<(typeof stageKeys)[number], Pick<typeof figures, 'projectCount' | 'estimatedInvestment' | 'plannedInvestment'>>;

    const derived = figureKeys.flatMap((figure) => {
      const target = derivedValueOf(figure, figures, byStage);
      return target && target.value !== null ? [{ figure, derived: String(target.value) }] : [];
    });
    const declarations = await declarationsFor(tx, params.list, params.year, derived);
    for (const declaration of declarations) {
      const target = derivedValueOf(declaration.figure, figures, byStage);
      if (target) target.declaration = declaration;
    }
    return {
      year: params.year,
      list: query.list,
      asOf: params.asOf,
      knownAt: params.knownAt ?? null,
      largeThreshold: params.largeThreshold,
      projectIdsIncluded: idsIncluded,
      figures,
      byStage,
      declarations,
    };
  }

  async function breakdown(query: WithInclude<BreakdownQuery>) {
    return withFigureSettings((tx) => breakdownIn(tx, query));
  }

  async function breakdownIn(tx: Executor, query: WithInclude<BreakdownQuery>) {
    const params = paramsOf(query);
    const rows = await groupRows(tx, params, query.by, query.include === 'projectIds');
    const labels = codeLabels[query.by];
    return {
      year: params.year,
      list: query.list,
      asOf: params.asOf,
      knownAt: params.knownAt ?? null,
      by: query.by,
      // No group means no project: nothing left out.
      projectIdsIncluded: rows[0]?.ids_included ?? true,
      groups: rows.map((row) => {
        const code = row.group_key;
        const coded = labels && code ? labels[code] : undefined;
        const label = coded ? `${coded.en} / ${coded.zh}` : (row.group_label ?? noGroupLabel[query.by] ?? '');
        return { key: code, label, figures: figuresOf(row, params.asOf) };
      }),
    };
  }

  /**
   * An answer as the JSON the route sends: from the cache unless there is none or every project is
   * to be listed (such answers can be large and are not kept).
   */
  async function answerJson<S extends z.ZodType>(schema: S, key: string, listsProjects: boolean, compute: (tx: Executor) => Promise<z.output<S>>) {
    if (!cache || listsProjects) return JSON.stringify(z.encode(schema, await withFigureSettings(compute)));
    return cache.answer(key, schema, async (tx) => {
      await tx.execute(figureSettings);
      return compute(tx);
    });
  }

  // asOf resolved once: "today" is part of the question, and of its key.
  async function summaryJson(query: WithInclude<SummaryQuery>): Promise<string> {
    const resolved = { ...query, asOf: paramsOf(query).asOf };
    return answerJson(summarySchema, cacheKeyOf('summary', paramsOf(resolved)), query.include === 'projectIds', (tx) => summaryIn(tx, resolved));
  }

  async function breakdownJson(query: WithInclude<BreakdownQuery>): Promise<string> {
    const resolved = { ...query, asOf: paramsOf(query).asOf };
    return answerJson(breakdownSchema, cacheKeyOf('breakdown', paramsOf(resolved), [query.by]), query.include === 'projectIds', (tx) =>
      breakdownIn(tx, resolved),
    );
  }

  return { summary, breakdown, summaryJson, breakdownJson };
}
