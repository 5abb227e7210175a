import { planStage, projectCategory, type Label } from '../../../domain/codes.js';
import { figureKeys, stageKeys, type StageKey } from '../metrics.keys.js';
import { emptyFigureRowOf, type FigureRow } from './figures.facts.js';
import { formulas } from './figures.formulas.js';
import type { DeclarationRow, GroupRow, SummaryRow } from './figures.repository.js';
import type { BreakdownQuery, Figure, GroupFigures } from './figures.schemas.js';

// From the repository's rows to the answer's objects. No arithmetic here: SQL did it.

type Ids = string[] | null;
type StageFigures = Pick<GroupFigures, 'projectCount' | 'estimatedInvestment' | 'plannedInvestment'>;

type FigureKey = (typeof figureKeys)[number];
type Prefix = '' | `${StageKey}.`;

/** Id lists the answer leaves out (null from SQL) are absent, not empty. */
function withIds<F extends Figure>(figure: F, projectIds: Ids, denominatorProjectIds?: Ids): F {
  if (projectIds) figure.projectIds = projectIds;
  if (denominatorProjectIds && 'numerator' in figure) figure.denominatorProjectIds = denominatorProjectIds;
  return figure;
}

function count(key: FigureKey, value: number, formula: string, asOf: string, projectIds: Ids) {
  return withIds({ kind: 'count' as const, key, value, formula, asOf }, projectIds);
}

function money(key: FigureKey, value: string, formula: string, asOf: string, projectIds: Ids) {
  return withIds({ kind: 'money' as const, key, value, formula, asOf }, projectIds);
}

const rateOf = (value: string | null) => (value === null ? null : Number(value));

function moneyRate(key: FigureKey, value: string | null, formula: string, asOf: string, parts: { numerator: string; denominator: string; projectIds: Ids; denominatorProjectIds: Ids }) {
  const { projectIds, denominatorProjectIds, numerator, denominator } = parts;
  return withIds({ kind: 'money_rate' as const, key, value: rateOf(value), formula, asOf, numerator, denominator }, projectIds, denominatorProjectIds);
}

function countRate(key: FigureKey, value: string | null, formula: string, asOf: string, parts: { numerator: number; denominator: number; projectIds: Ids; denominatorProjectIds: Ids }) {
  const { projectIds, denominatorProjectIds, numerator, denominator } = parts;
  return withIds({ kind: 'count_rate' as const, key, value: rateOf(value), formula, asOf, numerator, denominator }, projectIds, denominatorProjectIds);
}

/** Turns one aggregate row into the figure objects; `prefix` names a stage's part of the summary. */
export function figuresOf(row: FigureRow, asOf: string, prefix: Prefix = ''): GroupFigures {
  const k = (key: string) => `${prefix}${key}` as FigureKey;
  return {
    projectCount: count(k('project_count'), row.project_count, formulas.projectCount, asOf, row.project_ids),
    estimatedInvestment: money(k('estimated_investment'), row.estimated_investment, formulas.estimatedInvestment, asOf, row.project_ids),
    plannedInvestment: money(k('planned_investment'), row.planned_investment, formulas.plannedInvestment, asOf, row.project_ids),
    largeProjectCount: count('large_project_count', row.large_count, formulas.largeProjectCount, asOf, row.large_ids),
    investmentCompleted: money('investment_completed', row.completed, formulas.investmentCompleted, asOf, row.completed_ids),
    planCompletionRate: moneyRate('plan_completion_rate', row.completion_rate, formulas.planCompletionRate, asOf, {
      numerator: row.completed,
      denominator: row.planned_investment,
      projectIds: row.completed_ids,
      denominatorProjectIds: row.project_ids,
    }),
    resumedCount: count('resumed_count', row.resumed_count, formulas.resumedCount, asOf, row.resumed_ids),
    resumptionRate: countRate('resumption_rate', row.resumption_rate, formulas.resumptionRate, asOf, {
      numerator: row.resumed_count,
      denominator: row.continuing_count,
      projectIds: row.resumed_ids,
      denominatorProjectIds: row.continuing_ids,
    }),
    startedCount: count('started_count', row.started_count, formulas.startedCount, asOf, row.started_ids),
    startRate: countRate('start_rate', row.start_rate, formulas.startRate, asOf, {
      numerator: row.started_count,
      denominator: row.new_start_count,
      projectIds: row.started_ids,
      denominatorProjectIds: row.new_start_ids,
    }),
  };
}

/** Where a declared-figure key points inside a summary, and the derived value as exact text. */
export function derivedValueOf(key: string, figures: GroupFigures, byStage: Record<string, StageFigures>): Figure | undefined {
  const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const aliases: Record<string, string> = {
    large_project_count: 'largeProjectCount',
    plan_completion_rate: 'planCompletionRate',
  };
  const [first, second] = key.split('.') as [string, string | undefined];
  if (second) return byStage[first]?.[camel(second) as 'projectCount'];
  return figures[(aliases[first] ?? camel(first)) as keyof GroupFigures];
}

/** The whole list's figures and each stage's (a stage without projects has the figures of none). */
export function summaryFiguresOf({ rows, asOf }: { rows: SummaryRow[]; asOf: string }) {
  const overall = rows.find((r) => r.is_total);
  const projectIdsIncluded = overall?.ids_included ?? true;
  const figures = figuresOf(overall ?? emptyFigureRowOf(projectIdsIncluded), asOf);
  const byStage = Object.fromEntries(
    stageKeys.map((stage) => {
      const row = rows.find((r) => !r.is_total && r.group_key === stage) ?? emptyFigureRowOf(projectIdsIncluded);
      const all = figuresOf(row, asOf, `${stage}.`);
      return [stage, { projectCount: all.projectCount, estimatedInvestment: all.estimatedInvestment, plannedInvestment: all.plannedInvestment }];
    }),
  ) as Record<StageKey, StageFigures>;
  return { projectIdsIncluded, figures, byStage };
}

/** Every figure a declaration can name that has a value, with that value as exact text. */
export function derivedValuesOf({ figures, byStage }: { figures: GroupFigures; byStage: Record<string, StageFigures> }) {
  return figureKeys.flatMap((figure) => {
    const target = derivedValueOf(figure, figures, byStage);
    return target && target.value !== null ? [{ figure, derived: String(target.value) }] : [];
  });
}

/** Sets each declaration beside the figure it names, inside `figures` or `byStage`. */
export function attachDeclarations({
  figures,
  byStage,
  declarations,
}: {
  figures: GroupFigures;
  byStage: Record<string, StageFigures>;
  declarations: DeclarationRow[];
}): void {
  for (const declaration of declarations) {
    const target = derivedValueOf(declaration.figure, figures, byStage);
    if (target) target.declaration = declaration;
  }
}

const codeLabels: Partial<Record<BreakdownQuery['by'], Record<string, Label>>> = {
  category: projectCategory.labels,
  stage: planStage.labels,
};

const noGroupLabel: Partial<Record<BreakdownQuery['by'], string>> = {
  department: 'No department / 无责任部门',
  leader: 'No leader assigned on asOf / 统计日无挂点领导',
};

/** The breakdown's groups: a code's labels, else the department or leader name, else "none". */
export function groupsOf({ rows, by, asOf }: { rows: GroupRow[]; by: BreakdownQuery['by']; asOf: string }) {
  const labels = codeLabels[by];
  return rows.map((row) => {
    const code = row.group_key;
    const coded = labels && code ? labels[code] : undefined;
    const label = coded ? `${coded.en} / ${coded.zh}` : (row.group_label ?? noGroupLabel[by] ?? '');
    return { key: code, label, figures: figuresOf(row, asOf) };
  });
}
