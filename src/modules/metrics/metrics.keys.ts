/**
 * The figures a declaration can be set against (keys of `declared_figures.figure`). A key with a
 * stage prefix names that stage's part of the summary, e.g. `new_start.estimated_investment`.
 */
export const stageKeys = ['new_start', 'continuing', 'preliminary'] as const;
export type StageKey = (typeof stageKeys)[number];

const stageFigureKeys = ['project_count', 'estimated_investment', 'planned_investment'] as const;

export const figureKeys = [
  'project_count',
  'estimated_investment',
  'planned_investment',
  ...stageKeys.flatMap((stage) => stageFigureKeys.map((figure) => `${stage}.${figure}` as const)),
  'large_project_count',
  'investment_completed',
  'plan_completion_rate',
  'resumed_count',
  'resumption_rate',
  'started_count',
  'start_rate',
] as [string, ...string[]];

