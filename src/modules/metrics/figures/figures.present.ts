import type { FigureRow } from './figures.facts.js';
import { formulas } from './figures.formulas.js';
import type { Figure, GroupFigures } from './figures.schemas.js';

type Ids = string[] | null;

/** Id lists the answer leaves out (null from SQL) are absent, not empty. */
function withIds(figure: Figure, projectIds: Ids, denominatorProjectIds?: Ids): Figure {
  if (projectIds) figure.projectIds = projectIds;
  if (denominatorProjectIds) figure.denominatorProjectIds = denominatorProjectIds;
  return figure;
}

function count(value: number, formula: string, asOf: string, projectIds: Ids): Figure {
  return withIds({ value, formula, asOf }, projectIds);
}

function money(value: string, formula: string, asOf: string, projectIds: Ids): Figure {
  return withIds({ value, formula, asOf }, projectIds);
}

function rate(
  value: string | null,
  formula: string,
  asOf: string,
  parts: { numerator: string | number; denominator: string | number; projectIds: Ids; denominatorProjectIds: Ids },
): Figure {
  const { projectIds, denominatorProjectIds, ...fractions } = parts;
  return withIds({ value: value === null ? null : Number(value), formula, asOf, ...fractions }, projectIds, denominatorProjectIds);
}

/** Turns one aggregate row into the figure objects (no arithmetic here: SQL did it). */
export function figuresOf(row: FigureRow, asOf: string): GroupFigures {
  return {
    projectCount: count(row.project_count, formulas.projectCount, asOf, row.project_ids),
    estimatedInvestment: money(row.estimated_investment, formulas.estimatedInvestment, asOf, row.project_ids),
    plannedInvestment: money(row.planned_investment, formulas.plannedInvestment, asOf, row.project_ids),
    largeProjectCount: count(row.large_count, formulas.largeProjectCount, asOf, row.large_ids),
    investmentCompleted: money(row.completed, formulas.investmentCompleted, asOf, row.completed_ids),
    planCompletionRate: rate(row.completion_rate, formulas.planCompletionRate, asOf, {
      numerator: row.completed,
      denominator: row.planned_investment,
      projectIds: row.completed_ids,
      denominatorProjectIds: row.project_ids,
    }),
    resumedCount: count(row.resumed_count, formulas.resumedCount, asOf, row.resumed_ids),
    resumptionRate: rate(row.resumption_rate, formulas.resumptionRate, asOf, {
      numerator: row.resumed_count,
      denominator: row.continuing_count,
      projectIds: row.resumed_ids,
      denominatorProjectIds: row.continuing_ids,
    }),
    startedCount: count(row.started_count, formulas.startedCount, asOf, row.started_ids),
    startRate: rate(row.start_rate, formulas.startRate, asOf, {
      numerator: row.started_count,
      denominator: row.new_start_count,
      projectIds: row.started_ids,
      denominatorProjectIds: row.new_start_ids,
    }),
  };
}

/** Where a declared-figure key points inside a summary, and the derived value as exact text. */
export function derivedValueOf(
  key: string,
  figures: GroupFigures,
  byStage: Record<string, Pick<GroupFigures, 'projectCount' | 'estimatedInvestment' | 'plannedInvestment'>>,
): Figure | undefined {
  const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const aliases: Record<string, string> = {
    large_project_count: 'largeProjectCount',
    plan_completion_rate: 'planCompletionRate',
  };
  const [first, second] = key.split('.') as [string, string | undefined];
  if (second) return byStage[first]?.[camel(second) as 'projectCount'];
  return figures[(aliases[first] ?? camel(first)) as keyof GroupFigures];
}
