import { z } from 'zod';
import { dateSchema, decimalInteger, idSchema, knownAtSchema, moneySchema, yearSchema } from '../../../lib/schemas.js';
import { figureKeys } from '../metrics.keys.js';
import { DECLARED_SOURCE_MAX, DECLARED_VALUE_MAX, basisField, basisSchema, metricsListSchema } from '../metrics.schemas.js';
import { summaryExample } from './figures.examples.js';
import { PROJECT_ID_LIMIT } from './figures.facts.js';

/**
 * Figures written out as text (sums, numerators, denominators, derived values and differences). A sum
 * of numeric(18,4) amounts (at most 14 integer digits each, src/db/columns.ts) over the rows a
 * PostgreSQL table can hold (fewer than 10^13) has at most 27 integer digits, 32 characters; a
 * difference with a declared value adds a sign and a digit, and a rate's derived value (a JS number,
 * at most 10^31 = the largest sum over the smallest nonzero plan) stays within 40. 64 holds them all.
 */
const FIGURE_TEXT_MAX = 64;
/** knownAt, as an instant query parameter elsewhere (audit, reports' submittedAt): at most 64. */
const KNOWN_AT_MAX = 64;
/** The fixed formula texts (figures.present.ts formulas; the longest is 153 characters). */
const FORMULA_MAX = 500;

const decimalString = z.string().max(FIGURE_TEXT_MAX).regex(/^-?\d+(\.\d+)?$/);

const declarationSchema = z
  .object({
    figure: z.enum(figureKeys).describe('Declared figure key / 公布数代码'),
    declared: decimalString.max(DECLARED_VALUE_MAX).describe('Declared value / 公布数'),
    derived: decimalString.describe('Value derived from the records / 按记录计算值'),
    difference: decimalString.describe('derived − declared, exact / 计算值减公布数'),
    source: z.string().max(DECLARED_SOURCE_MAX).describe('Where the declared value was published / 公布来源'),
  })
  .optional()
  .describe('Present when a declared figure exists for this list, year and figure / 存在公布数时给出对比');

/** What every figure has, whatever its kind. */
const figureFields = {
  key: z
    .enum(figureKeys)
    .describe(
      'The figure\'s key: the same key names it in the exports (指标代码 column) and in declared figures (`figure`), e.g. `estimated_investment`, `new_start.project_count` / 指标代码（与导出文件、公布数所用代码一致）',
    ),
  formula: z.string().max(FORMULA_MAX).describe('How the value is derived, English / 中文 / 计算口径'),
  asOf: dateSchema.describe('As-of date of the figure / 统计截止日'),
  projectIds: z
    .array(idSchema)
    .optional()
    .describe(
      `Projects counted (for a rate: in the numerator), sorted. Present when the list has at most ${PROJECT_ID_LIMIT} projects for the year or with include=projectIds; otherwise absent (see projectIdsIncluded) / 计入的项目（比率为分子项目），已排序；名单项目不超过${PROJECT_ID_LIMIT}个或 include=projectIds 时给出，否则省略`,
    ),
  declaration: declarationSchema,
};

const denominatorIds = z
  .array(idSchema)
  .optional()
  .describe('Projects in the denominator; present under the same rule as projectIds / 分母项目，给出规则同 projectIds');
const rateValue = z.number().min(0).nullable().describe('numerator ÷ denominator (0.25 = 25%), rounded to 6 places; null when the denominator is 0 / 比率（小数，保留6位；分母为0时为 null）');
const moneyText = decimalString.describe('Decimal string in 万元, exact / 万元（十进制字符串，精确）');
const countValue = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const example = { formula: 'sum of estimated total investment of the projects on the list / 名单内项目估算总投资之和', asOf: '2022-03-31', projectIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f'] };

export const moneyFigureSchema = z
  .object({ kind: z.literal('money').describe('A sum of money / 金额'), ...figureFields, value: moneyText })
  .meta({
    id: 'MoneyFigure',
    description: 'A figure in 万元: value is a decimal string, exact to the yuan / 金额指标（万元，十进制字符串）',
    example: {
      kind: 'money',
      key: 'estimated_investment',
      value: '747100.0000',
      ...example,
      declaration: { figure: 'estimated_investment', declared: '757000.000000', derived: '747100.0000', difference: '-9900.000000', source: '坦洲镇重点项目建设报道（2022年）' },
    },
  });

export const countFigureSchema = z
  .object({ kind: z.literal('count').describe('A number of projects / 项目个数'), ...figureFields, value: countValue.describe('Number of projects / 项目个数') })
  .meta({ id: 'CountFigure', description: 'A figure counting projects: value is an integer / 计数指标（整数）', example: { kind: 'count', key: 'project_count', value: 12, ...example, formula: 'projects with a plan on the list / 名单项目数' } });

export const moneyRateFigureSchema = z
  .object({
    kind: z.literal('money_rate').describe('A rate of two sums of money / 金额之比'),
    ...figureFields,
    value: rateValue,
    numerator: moneyText.describe('Exact numerator, 万元 / 分子（万元）'),
    denominator: moneyText.describe('Exact denominator, 万元 / 分母（万元）'),
    denominatorProjectIds: denominatorIds,
  })
  .meta({
    id: 'MoneyRateFigure',
    description: 'A rate of money over money: value a number (null when the denominator is 0), numerator and denominator decimal strings in 万元 / 金额比率指标',
    example: { kind: 'money_rate', key: 'plan_completion_rate', value: 0.249785, numerator: '29000.0000', denominator: '116100.0000', ...example, formula: 'completed ÷ planned / 完成投资 ÷ 计划投资' },
  });

export const countRateFigureSchema = z
  .object({
    kind: z.literal('count_rate').describe('A rate of two counts / 个数之比'),
    ...figureFields,
    value: rateValue,
    numerator: countValue.describe('Exact numerator / 分子'),
    denominator: countValue.describe('Exact denominator / 分母'),
    denominatorProjectIds: denominatorIds,
  })
  .meta({
    id: 'CountRateFigure',
    description: 'A rate of projects over projects: value a number (null when the denominator is 0), numerator and denominator integers / 个数比率指标',
    example: { kind: 'count_rate', key: 'start_rate', value: 0.8, numerator: 4, denominator: 5, ...example, formula: 'started ÷ new starts / 已开工 ÷ 新开工' },
  });

/** Any figure, told apart by `kind`; each field of MetricGroupFigures has its own kind. */
export const figureSchema = z
  .discriminatedUnion('kind', [moneyFigureSchema, countFigureSchema, moneyRateFigureSchema, countRateFigureSchema])
  .meta({ id: 'MetricFigure', description: 'One figure with the rule and the records behind it, typed by kind / 一个指标及其口径与来源项目（按 kind 区分类型）' });

const stageFiguresSchema = z
  .object({
    projectCount: countFigureSchema.describe('Projects of this stage / 该阶段项目数'),
    estimatedInvestment: moneyFigureSchema.describe('Their estimated total investment / 估算总投资'),
    plannedInvestment: moneyFigureSchema.describe('Their planned investment for the year / 年度计划投资'),
  })
  .meta({ id: 'MetricStageFigures', description: 'Figures of one stage / 分阶段指标' });

export const groupFiguresSchema = z
  .object({
    projectCount: countFigureSchema.describe('Projects with a plan on the list for the year / 名单项目数'),
    estimatedInvestment: moneyFigureSchema.describe('Estimated total investment, 万元 / 估算总投资（万元）'),
    plannedInvestment: moneyFigureSchema.describe('Planned investment for the year, 万元 / 年度计划投资（万元）'),
    largeProjectCount: countFigureSchema.describe('Projects at or over the threshold / 超阈值（默认10亿）项目数'),
    investmentCompleted: moneyFigureSchema.describe('Investment completed in the year up to asOf, 万元 / 年内截至统计日完成投资'),
    planCompletionRate: moneyRateFigureSchema.describe('Completed ÷ planned / 年度投资计划完成率'),
    resumedCount: countFigureSchema.describe('Continuing projects at work on asOf / 已复工续建项目数'),
    resumptionRate: countRateFigureSchema.describe('Resumption rate / 复工率'),
    startedCount: countFigureSchema.describe('New-start projects started by asOf / 已开工新开工项目数'),
    startRate: countRateFigureSchema.describe('Start rate / 开工率'),
  })
  .meta({ id: 'MetricGroupFigures', description: 'The figures of a set of projects / 一组项目的指标' });

const rulesText =
  'Rules / 口径: projects = those with an annual plan on `list` for `year` (archived projects left out). ' +
  'Status on a day = the last status change effective on or before it (ties: the later entry). ' +
  'Resumption: a continuing project is back at work when its status on asOf is under_construction; suspended, completed or unknown status does not count; reports\' work_ongoing is not used. / 续建项目统计日状态为“在建”即为已复工。 ' +
  'Start: a new-start project has started when it has any status change to under_construction effective on or before asOf, even if suspended later. / 新开工项目截至统计日有“在建”状态变更即为已开工。 ' +
  'Investment completed: sum of the in-force revision of reports whose period lies in `year` and ended on or before asOf. / 完成投资：年内且截至统计日已结束的报送期之和。 ' +
  'knownAt: every record as the service knew it at that instant (its versions then: later creations, edits, deletions, archivings and corrections are left out), so the answer is the one the same request gave then. / knownAt：按该时刻系统所知的各记录版本作答（其后的新增、修改、删除、归档与更正不计），即当时同一请求的答案。';

export const summaryQuerySchema = z
  .strictObject({
    year: yearSchema,
    list: metricsListSchema,
    asOf: dateSchema.optional().describe('As-of date, default today in Asia/Shanghai (with knownAt: the day of knownAt) / 统计截止日，默认北京时间今天（带 knownAt 时为其当日）'),
    knownAt: knownAtSchema.optional(),
    basis: basisSchema,
    largeThreshold: moneySchema
      .default('100000')
      .describe('Large-project threshold in 万元, inclusive; default 100000 (10亿) / 大项目阈值（万元，含），默认10亿'),
  })
  .describe(rulesText);

const includeSchema = z
  .enum(['projectIds'])
  .optional()
  .describe(
    `include=projectIds: every figure lists its projects (projectIds, denominatorProjectIds) whatever the list's size. Without it they are listed only when the list has at most ${PROJECT_ID_LIMIT} projects for the year, so that a province-scale answer stays small; the projects of a list are also paged by GET /v1/projects?list=&year= / include=projectIds：无论名单大小均列出各指标的项目；不带此参数时仅当名单项目不超过${PROJECT_ID_LIMIT}个时列出（名单项目也可用 GET /v1/projects?list=&year= 分页查询）`,
  );

/** The longest maxAge a client may accept, in seconds. */
export const MAX_AGE_LIMIT = 300;

const maxAgeSchema = decimalInteger(0, MAX_AGE_LIMIT)
  .prefault(0)
  .describe(
    `Accept an answer computed up to this many seconds ago (at most ${MAX_AGE_LIMIT}) even if records were written since — a dashboard's refresh interval. The answer is then served at once from the last computation, which is refreshed in the background; its Kpo-Known-At header names the snapshot it was computed for, and asked with knownAt = that instant the answer is the same. Default 0: the answer includes every write committed before the request (read-your-writes). Ignored with knownAt / 可接受的结果时长（秒，最多${MAX_AGE_LIMIT}）：在此时长内计算的结果即使其后有写入也直接返回（后台刷新），响应头 Kpo-Known-At 给出其数据时点，以该时点为 knownAt 查询结果相同；默认 0：结果包含请求前已提交的全部写入`,
  );

/** The route's query: the summary query plus `include` and `maxAge` (the exports reuse summaryQuerySchema without them). */
export const summaryRouteQuerySchema = summaryQuerySchema.extend({ include: includeSchema, maxAge: maxAgeSchema }).describe(rulesText);

const projectIdsIncludedSchema = z
  .boolean()
  .describe(
    `Whether the figures list their projects: true with include=projectIds or when the list has at most ${PROJECT_ID_LIMIT} projects for the year / 各指标是否列出项目（include=projectIds 或名单项目不超过${PROJECT_ID_LIMIT}个时为 true）`,
  );

export const summarySchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    list: metricsListSchema,
    asOf: dateSchema,
    knownAt: z.string().max(KNOWN_AT_MAX).nullable().describe('knownAt used, or null for the current records / 数据时点'),
    basis: basisField,
    largeThreshold: moneySchema,
    projectIdsIncluded: projectIdsIncludedSchema,
    figures: groupFiguresSchema,
    byStage: z
      .object({ new_start: stageFiguresSchema, continuing: stageFiguresSchema, preliminary: stageFiguresSchema })
      .describe('By stage / 按阶段'),
    declarations: z
      .array(
        z.object({
          figure: z.enum(figureKeys).describe('Figure key / 指标代码'),
          declared: decimalString.max(DECLARED_VALUE_MAX).describe('Declared / 公布数'),
          derived: decimalString.describe('Derived / 计算值'),
          difference: decimalString.describe('derived − declared / 差额'),
          source: z.string().max(DECLARED_SOURCE_MAX).describe('Source / 来源'),
        }),
      )
      .max(figureKeys.length)
      .describe(
        `Every declared figure of the list and year beside its derived value: at most one per figure key, ${figureKeys.length} / 公布数与计算值对照（每个指标至多一条，最多${figureKeys.length}条）`,
      ),
  })
  .meta({
    id: 'MetricsSummary',
    description: `Figures of one list for one year as of a date / 名单年度指标汇总. ${rulesText}`,
    example: summaryExample,
  });

export const breakdownDimensions = ['category', 'department', 'leader', 'stage'] as const;

export const breakdownQuerySchema = summaryQuerySchema
  .extend({
    by: z
      .enum(breakdownDimensions)
      .describe('Group by category, responsible department, leader assigned on asOf (a project with two leaders appears under both, so groups may add up to more than the total) or stage / 分组：类别、责任部门、统计日挂点领导（一个项目两位领导时两组都计入）、阶段'),
  })
  .describe(rulesText);

export const breakdownRouteQuerySchema = breakdownQuerySchema.extend({ include: includeSchema, maxAge: maxAgeSchema }).describe(rulesText);

export const breakdownSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    list: metricsListSchema,
    asOf: dateSchema,
    knownAt: z.string().max(KNOWN_AT_MAX).nullable().describe('knownAt used / 数据时点'),
    basis: basisField,
    by: z.enum(breakdownDimensions).describe('Dimension / 分组维度'),
    projectIdsIncluded: projectIdsIncludedSchema,
    groups: z
      .array(
        z.object({
          key: z
            .string()
            .max(36)
            .nullable()
            .describe('Group code (category or stage) or department/leader id; null = no department/leader / 分组代码或编号，null 为未指定'),
          label: z.string().max(200).describe('Group name: a code\'s labels, a department (≤200) or leader (≤100) name / 分组名称'),
          figures: groupFiguresSchema,
        }),
      )
      .describe('One entry per group / 各分组'),
  })
  .meta({
    id: 'MetricsBreakdown',
    description:
      'The summary figures per group. By leader: a project with two leaders active on asOf is counted under each, so the groups can add up to more than the list. / 分组指标；按领导分组时一个项目可计入多位领导。',
    example: { year: 2022, list: 'city_key', asOf: '2022-03-31', knownAt: null, basis: 'submitted', by: 'category', projectIdsIncluded: true, groups: [] },
  });

export type SummaryQuery = z.infer<typeof summaryQuerySchema>;
export type BreakdownQuery = z.infer<typeof breakdownQuerySchema>;
export type GroupFigures = z.infer<typeof groupFiguresSchema>;
export type Figure = z.infer<typeof figureSchema>;
export type Summary = z.infer<typeof summarySchema>;
export type Breakdown = z.infer<typeof breakdownSchema>;
