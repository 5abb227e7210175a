import { planList, planStage, projectCategory, type Label } from '../../domain/codes.js';
import { derivedValueOf, figureKeys } from '../metrics/metrics.public.js';
import type { Breakdown, Figure, GroupFigures, Summary } from '../metrics/figures/figures.schemas.js';
import type { Cell, CellKind, Column, ExportFile } from './exports.sheet.js';

/** A figure's labels; its kind (money, count, rate) comes with the figure itself (MetricFigure.kind). */
interface FigureMeta {
  zh: string;
  en: string;
}

const base: Record<string, FigureMeta> = {
  project_count: { zh: '项目个数', en: 'Projects' },
  estimated_investment: { zh: '估算总投资', en: 'Estimated total investment' },
  planned_investment: { zh: '年度计划投资', en: 'Planned investment for the year' },
  large_project_count: { zh: '大项目个数', en: 'Large projects' },
  investment_completed: { zh: '完成投资', en: 'Investment completed' },
  plan_completion_rate: { zh: '年度投资计划完成率', en: 'Annual-plan completion rate' },
  resumed_count: { zh: '已复工续建项目个数', en: 'Continuing projects resumed' },
  resumption_rate: { zh: '复工率', en: 'Resumption rate' },
  started_count: { zh: '已开工新开工项目个数', en: 'New starts started' },
  start_rate: { zh: '开工率', en: 'Start rate' },
};

/** How the cells of each figure kind are written: the value's cell kind and, for a rate, its parts'. */
const cellsOf: Record<Figure['kind'], { value: 'money' | 'integer' | 'rate'; parts?: 'money' | 'integer' }> = {
  money: { value: 'money' },
  count: { value: 'integer' },
  money_rate: { value: 'rate', parts: 'money' },
  count_rate: { value: 'rate', parts: 'integer' },
};

function metaOf(key: string, largeThreshold: string): FigureMeta {
  const [first, second] = key.split('.') as [string, string | undefined];
  if (second) {
    const stage = planStage.labels[first as keyof typeof planStage.labels];
    const figure = base[second]!;
    return { ...figure, zh: `其中${stage.zh}：${figure.zh}`, en: `${stage.en}: ${figure.en}` };
  }
  const figure = base[first]!;
  if (first === 'large_project_count') return { ...figure, zh: `估算总投资≥${largeThreshold}万元的项目个数`, en: `Projects ≥ ${largeThreshold} (10k yuan)` };
  return figure;
}

const units: Record<'money' | 'integer' | 'rate', string> = { money: '万元', integer: '个', rate: '比率（1 = 100%）' };

function contextLines(result: { year: number; list: string; asOf: string; knownAt: string | null }): [string, string][] {
  const list = planList.labels[result.list as keyof typeof planList.labels];
  return [
    ['名单 / List', `${list.zh}（${result.list}）`],
    ['年度 / Year', String(result.year)],
    ['统计截止日 / As of', result.asOf],
    ['数据时点 / Known at', result.knownAt ?? '当前数据 / current records'],
    ['金额单位 / Amounts', '万元（10,000 元），数字单元格，可直接求和 / 10k yuan, number cells that SUM adds'],
  ];
}

const summaryColumns: Column[] = [
  { header: '序号 / No.', kind: 'integer', width: 8 },
  { header: '指标代码 / Figure key', kind: 'text', width: 32 },
  { header: '指标 / Figure', kind: 'text', width: 40 },
  { header: '数值 / Value', kind: 'text', width: 18 },
  { header: '单位 / Unit', kind: 'text', width: 16 },
  { header: '分子 / Numerator', kind: 'text', width: 18 },
  { header: '分母 / Denominator', kind: 'text', width: 18 },
  { header: '公布数 / Declared', kind: 'money', width: 18 },
  { header: '差额（计算−公布）/ Difference', kind: 'money', width: 20 },
  { header: '计算口径 / Formula', kind: 'text', width: 80 },
  { header: '统计截止日 / As of', kind: 'date', width: 14 },
];

/** Every figure of the summary, one row each, in the order of the declared-figure keys. */
export function summaryFile(summary: Summary): ExportFile {
  const rows = figureKeys.flatMap((key, index): Cell[][] => {
    const figure = derivedValueOf(key, summary.figures, summary.byStage) as Figure | undefined;
    if (!figure) return [];
    const meta = metaOf(key, summary.largeThreshold);
    const cells = cellsOf[figure.kind];
    const parts: CellKind = cells.parts ?? 'text';
    const fraction = 'numerator' in figure ? figure : undefined;
    return [[
      index + 1,
      figure.key,
      `${meta.zh} / ${meta.en}`,
      { kind: cells.value, value: figure.value },
      units[cells.value],
      { kind: parts, value: fraction?.numerator ?? null },
      { kind: parts, value: fraction?.denominator ?? null },
      figure.declaration?.declared ?? null,
      figure.declaration?.difference ?? null,
      figure.formula,
      figure.asOf,
    ]];
  });
  return {
    baseName: `kpo-summary-${summary.list}-${summary.year}-${summary.asOf}`,
    sheet: {
      name: '指标汇总',
      columns: summaryColumns,
      rows,
      about: [
        ['内容 / Content', '名单年度指标汇总 / Figures of a list for a year'],
        ...contextLines(summary),
        ['大项目阈值 / Large-project threshold', `${summary.largeThreshold} 万元`],
        ['比率 / Rates', '分子 ÷ 分母，保留6位小数；分母为0时为空 / numerator ÷ denominator to 6 places; empty when the denominator is 0'],
      ],
    },
  };
}

const dimensionNames: Record<Breakdown['by'], Label & { none?: string }> = {
  category: { zh: '项目类别', en: 'Category' },
  department: { zh: '责任部门', en: 'Responsible department', none: '无责任部门' },
  leader: { zh: '挂点领导', en: 'Leader', none: '统计日无挂点领导' },
  stage: { zh: '建设阶段', en: 'Stage' },
};

const codeLabels: Partial<Record<Breakdown['by'], Record<string, Label>>> = {
  category: projectCategory.labels,
  stage: planStage.labels,
};

function groupLabel(by: Breakdown['by'], group: Breakdown['groups'][number]): string {
  if (group.key === null) return dimensionNames[by].none ?? '';
  return codeLabels[by]?.[group.key]?.zh ?? group.label;
}

function groupCells(f: GroupFigures): Cell[] {
  return [
    f.projectCount.value, f.estimatedInvestment.value, f.plannedInvestment.value, f.largeProjectCount.value,
    f.investmentCompleted.value, f.planCompletionRate.value,
    f.resumptionRate.denominator ?? null, f.resumedCount.value, f.resumptionRate.value,
    f.startRate.denominator ?? null, f.startedCount.value, f.startRate.value,
  ];
}

/** One row per group with the summary's figures as columns; no total row (leader groups overlap). */
export function breakdownFile(breakdown: Breakdown): ExportFile {
  const dimension = dimensionNames[breakdown.by];
  const columns: Column[] = [
    { header: '序号 / No.', kind: 'integer', width: 8 },
    { header: `${dimension.zh}代码 / ${dimension.en} key`, kind: 'text', width: 30 },
    { header: `${dimension.zh} / ${dimension.en}`, kind: 'text', width: 24 },
    { header: '项目个数 / Projects', kind: 'integer', width: 12 },
    { header: '估算总投资（万元）/ Estimated investment', kind: 'money', width: 20 },
    { header: '年度计划投资（万元）/ Planned for the year', kind: 'money', width: 20 },
    { header: '大项目个数 / Large projects', kind: 'integer', width: 12 },
    { header: '完成投资（万元）/ Completed', kind: 'money', width: 20 },
    { header: '年度投资计划完成率 / Completion rate', kind: 'rate', width: 16 },
    { header: '续建项目个数 / Continuing', kind: 'integer', width: 12 },
    { header: '已复工个数 / Resumed', kind: 'integer', width: 12 },
    { header: '复工率 / Resumption rate', kind: 'rate', width: 14 },
    { header: '新开工项目个数 / New starts', kind: 'integer', width: 14 },
    { header: '已开工个数 / Started', kind: 'integer', width: 12 },
    { header: '开工率 / Start rate', kind: 'rate', width: 14 },
    { header: '统计截止日 / As of', kind: 'date', width: 14 },
  ];
  const rows = breakdown.groups.map((group, index): Cell[] => [
    index + 1,
    group.key,
    groupLabel(breakdown.by, group),
    ...groupCells(group.figures),
    breakdown.asOf,
  ]);
  return {
    baseName: `kpo-breakdown-${breakdown.by}-${breakdown.list}-${breakdown.year}-${breakdown.asOf}`,
    sheet: {
      name: `按${dimension.zh}统计`,
      columns,
      rows,
      about: [
        ['内容 / Content', `按${dimension.zh}分组的指标 / Figures by ${dimension.en.toLowerCase()}`],
        ...contextLines(breakdown),
        ['比率 / Rates', '以百分比格式显示的小数（CSV 中为小数，1 = 100%）/ fractions shown as percentages (plain fractions in CSV)'],
        ...(breakdown.by === 'leader'
          ? [['注意 / Note', '一个项目有两位挂点领导时两组都计入，各组相加可能大于总数 / a project with two leaders is in both groups, so groups may add up to more than the list'] as [string, string]]
          : []),
      ],
    },
  };
}
