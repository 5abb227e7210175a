import { formulas } from './figures.formulas.js';

// A whole answer for the OpenAPI example (a partial example does not validate against its schema),
// with the Tanzhou 2022 city_key figures as of 31 March 2022 that tests/demo/acceptance.test.ts checks.

const asOf = '2022-03-31';
const source = '坦洲镇重点项目建设报道（2022年）';

/** `n` sorted project ids of the example. */
function ids(n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, i) => `01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e${(0x50 + from + i).toString(16)}`);
}

function figure(key: string, value: number | string, formula: string, projectIds: string[]) {
  return { kind: typeof value === 'number' ? 'count' : 'money', key, value, formula, asOf, projectIds };
}

function rate(key: string, numerator: number | string, denominator: number | string, formula: string, projectIds: string[], denominatorProjectIds: string[]) {
  const value = Math.round((Number(numerator) / Number(denominator)) * 1e6) / 1e6;
  return { kind: typeof numerator === 'number' ? 'count_rate' : 'money_rate', key, value, formula, asOf, numerator, denominator, projectIds, denominatorProjectIds };
}

function stage(prefix: string, count: number, estimated: string, planned: string, projectIds: string[]) {
  return {
    projectCount: figure(`${prefix}.project_count`, count, formulas.projectCount, projectIds),
    estimatedInvestment: figure(`${prefix}.estimated_investment`, estimated, formulas.estimatedInvestment, projectIds),
    plannedInvestment: figure(`${prefix}.planned_investment`, planned, formulas.plannedInvestment, projectIds),
  };
}

/** The example's 12 projects, sorted (the operations' examples name them too). */
export const exampleProjectIds = ids(12);
const all = exampleProjectIds;
const newStart = all.slice(0, 5);
const continuing = all.slice(5);
const estimatedDeclaration = { figure: 'estimated_investment', declared: '757000', derived: '747100.0000', difference: '-9900.0000', source };

export const summaryExample = {
  year: 2022,
  list: 'city_key',
  asOf,
  knownAt: null,
  basis: 'submitted',
  largeThreshold: '100000',
  // 12 projects: under the limit, so every figure lists them.
  projectIdsIncluded: true,
  figures: {
    projectCount: figure('project_count', 12, formulas.projectCount, all),
    estimatedInvestment: { ...figure('estimated_investment', '747100.0000', formulas.estimatedInvestment, all), declaration: estimatedDeclaration },
    plannedInvestment: figure('planned_investment', '116100.0000', formulas.plannedInvestment, all),
    largeProjectCount: figure('large_project_count', 3, formulas.largeProjectCount, continuing.slice(0, 3)),
    investmentCompleted: figure('investment_completed', '29000.0000', formulas.investmentCompleted, all.slice(0, 10)),
    planCompletionRate: rate('plan_completion_rate', '29000.0000', '116100.0000', formulas.planCompletionRate, all.slice(0, 10), all),
    resumedCount: figure('resumed_count', 7, formulas.resumedCount, continuing),
    resumptionRate: rate('resumption_rate', 7, 7, formulas.resumptionRate, continuing, continuing),
    startedCount: figure('started_count', 4, formulas.startedCount, newStart.slice(0, 4)),
    startRate: rate('start_rate', 4, 5, formulas.startRate, newStart.slice(0, 4), newStart),
  },
  byStage: {
    new_start: stage('new_start', 5, '238500.0000', '48000.0000', newStart),
    continuing: stage('continuing', 7, '508600.0000', '68100.0000', continuing),
    preliminary: stage('preliminary', 0, '0', '0', []),
  },
  declarations: [estimatedDeclaration],
};
