import { z } from 'zod';
import { batchStatus, issueCategory, issueHandlingMode } from '../../../domain/codes.js';
import { PERIOD_PATTERN } from '../../../domain/periods.js';
import { dateSchema, idSchema, INSTANT_MAX, knownAtSchema, moneySchema, yearSchema } from '../../../lib/schemas.js';
import { complianceExample, financingExample, issuesExample } from './operations.examples.js';
import { basisField, basisSchema, metricsListSchema } from '../metrics.schemas.js';

/** The fixed rule texts (complianceScope, issueRules, financingRules; the longest is 574 characters). */
const RULES_MAX = 2000;

const projectSet = (description: string) =>
  z
    .object({
      count: z.number().int().describe('Number of projects / 项目数'),
      projectIds: z.array(idSchema).describe('The projects, sorted / 项目编号'),
    })
    .describe(description);

/** Answers state the knownAt they were asked for, or null for the current records. */
const knownAtField = z
  .string()
  .max(INSTANT_MAX)
  .nullable()
  .describe('The knownAt asked (the records as known then), or null for the current ones / 所用数据时点，null 为当前数据');

export const complianceQuerySchema = z.strictObject({
  period: z.string().max(10).regex(PERIOD_PATTERN, 'YYYY-MM-H1 or YYYY-MM-H2').describe('Half-month period, e.g. 2022-03-H2 / 报送期'),
  year: yearSchema,
  list: metricsListSchema,
  knownAt: knownAtSchema.optional(),
  basis: basisSchema,
});

const complianceGroupSchema = z
  .object({
    key: z.string().max(36).nullable().describe('Department or leader id; null = none / 部门或领导编号'),
    label: z.string().max(200).describe('Department (≤200) or leader (≤100) name / 名称'),
    projectCount: z.number().int().describe('Projects in scope / 应报项目数'),
    projectIds: z.array(idSchema).describe('Projects in scope / 应报项目'),
    missing: projectSet('Projects with no report for the period / 缺报项目'),
    late: projectSet('Projects whose report came after the due date / 迟报项目'),
    returned: projectSet('Projects whose report the office returned and is not corrected yet (also missing) / 被退回尚未更正的项目（亦计缺报）'),
  })
  .meta({ id: 'ReportingComplianceGroup', description: 'Compliance of one group / 一组的报送情况' });

export const complianceSchema = z
  .object({
    period: z.string().max(10).describe('Period / 报送期'),
    periodStart: dateSchema,
    periodEnd: dateSchema,
    dueDate: dateSchema.describe('Reports are due by the end of this day / 报送截止日'),
    year: z.number().int().describe('Year / 年度'),
    list: metricsListSchema,
    knownAt: knownAtField,
    basis: basisField,
    scope: z.string().max(RULES_MAX).describe('Which projects must report, and the rules / 应报范围与口径'),
    totals: complianceGroupSchema.omit({ key: true, label: true }).describe('All projects in scope / 全部应报项目合计'),
    byDepartment: z.array(complianceGroupSchema).describe('By responsible department / 按责任部门'),
    byLeader: z.array(complianceGroupSchema).describe('By leader assigned on the last day of the period / 按挂点领导'),
  })
  .meta({
    id: 'ReportingCompliance',
    description: 'Missing and late half-monthly reports / 半月报缺报、迟报情况',
    example: complianceExample,
  });

export const issuesQuerySchema = z
  .strictObject({
    from: dateSchema.describe('First day / 起始日'),
    to: dateSchema.describe('Last day (not before from), also the day open and overdue are judged on / 截止日（不早于起始日，判断未结与逾期）'),
    knownAt: knownAtSchema.optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'to must not be before from / 截止日不能早于起始日' });

const issueFiguresSchema = z
  .object({
    key: z.string().max(36).nullable().describe('Handling mode, department id or project id / 分组代码'),
    label: z
      .string()
      .max(365)
      .describe('Handling mode labels, department name (≤200) or project code and name (≤64 + 1 + 300) / 名称'),
    opened: z.number().int().describe('Raised in [from, to] / 新增问题'),
    resolved: z.number().int().describe('Resolved in [from, to] / 已解决'),
    open: z.number().int().describe('Open at `to` / 未结'),
    overdue: z.number().int().describe('Open at `to` and past the due date / 逾期未结'),
    medianDaysToResolve: z.number().nullable().describe('Median days to resolve; null when none resolved / 解决天数中位数'),
  })
  .meta({ id: 'IssueFigures', description: 'Issue-handling figures of one group / 问题办理指标' });

export const issuesSchema = z
  .object({
    from: dateSchema,
    to: dateSchema,
    knownAt: knownAtField,
    rules: z.string().max(RULES_MAX).describe('Rules / 口径'),
    totals: issueFiguresSchema,
    byHandlingMode: z
      .array(issueFiguresSchema)
      .max(issueHandlingMode.values.length)
      .describe('By handling mode (三办), one per mode that has issues / 按办理方式'),
    byFactor: z
      .array(issueFiguresSchema)
      .max(issueCategory.values.length)
      .describe('By factor guarantee (要素保障: the issue category), one per factor that has issues / 按要素保障类别'),
    byDepartment: z.array(issueFiguresSchema).describe('By assigned department / 按承办部门'),
    byProject: z.array(issueFiguresSchema).describe('By project / 按项目'),
  })
  .meta({ id: 'IssueMetrics', description: 'Issue handling (问题办理) / 问题办理统计', example: issuesExample });

export const yearQuerySchema = z.strictObject({ year: yearSchema, knownAt: knownAtSchema.optional() });

const financingFiguresSchema = z.object({
  applications: z.number().int().describe('Applications filed / 申报笔数'),
  amountRequested: moneySchema.describe('Sum requested, 万元 / 申请金额'),
  grants: z.number().int().describe('Applications granted / 获批笔数'),
  projectsGranted: z.number().int().describe('Distinct projects granted / 获批项目数'),
  amountGranted: moneySchema.describe('Sum granted, 万元 / 获批金额'),
  grantedProjectIds: z.array(idSchema).describe('Projects granted / 获批项目'),
});

export const financingSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    knownAt: knownAtField,
    rules: z.string().max(RULES_MAX).describe('Rules / 口径'),
    quarters: z
      .array(financingFiguresSchema.extend({ quarter: z.number().int().describe('Quarter 1–4 / 季度') }))
      .max(4)
      .describe('Quarters 1 to 4, by filing and decision date / 第1至4季度（按申报、批复日期）'),
    yearTotal: financingFiguresSchema.describe('Whole year / 全年'),
  })
  .meta({ id: 'FinancingMetrics', description: 'Special bonds by quarter (专项债) / 专项债分季度统计', example: financingExample });

export const batchesSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    knownAt: knownAtField,
    batches: z
      .array(
        z.object({
          id: idSchema,
          name: z.string().max(200).describe('Batch name / 批次名称'),
          ceremonyDate: dateSchema.describe('Ceremony date / 开工仪式日期'),
          status: z.enum(batchStatus.values).describe('planned | held | cancelled / 状态'),
          projectCount: z.number().int().describe('Projects in the batch (plans pointing at it) / 项目数'),
          estimatedInvestment: moneySchema.describe('Their estimated total investment, 万元 / 总投资'),
          projects: z
            .array(
              z.object({
                id: idSchema,
                code: z.string().max(64).describe('Project code / 项目编号'),
                name: z.string().max(300).describe('Project name / 项目名称'),
                estimatedInvestment: moneySchema,
              }),
            )
            .describe('Projects of the batch / 批次内的项目'),
        }),
      )
      .describe('Batches whose ceremony falls in the year, not archived, by date / 仪式日期在该年度且未归档的批次（按日期）'),
  })
  .meta({
    id: 'BatchMetrics',
    description: 'Groundbreaking batches of a year with their projects (集体开工) / 年度集体开工批次',
    example: {
      year: 2022,
      knownAt: null,
      batches: [
        {
          id: '01860c6e-9d5e-7f60-8a12-3c4d5e6f7081',
          name: '坦洲镇2022年第一季度重点项目集体动工',
          ceremonyDate: '2022-02-16',
          status: 'held',
          projectCount: 3,
          estimatedInvestment: '78000.0000',
          projects: [
            { id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61', code: 'TZ2022-N01', name: '易事达新型显示模组生产基地项目', estimatedInvestment: '30000.0000' },
            { id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e62', code: 'TZ2022-N02', name: '顶盛精密制造项目', estimatedInvestment: '28000.0000' },
            { id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e63', code: 'TZ2022-N03', name: '西瞳光学镜片生产项目', estimatedInvestment: '20000.0000' },
          ],
        },
      ],
    },
  });

export const milestoneMetricsQuerySchema = z
  .strictObject({
    year: yearSchema,
    list: metricsListSchema,
    from: dateSchema.describe('First day of the period / 起始日'),
    to: dateSchema.describe('Last day of the period (not before from) / 截止日（不早于起始日）'),
    knownAt: knownAtSchema.optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'to must not be before from / 截止日不能早于起始日' });

const milestoneSetSchema = (description: string) =>
  z
    .object({
      count: z.number().int().describe('How many milestones / 节点数'),
      milestoneIds: z.array(idSchema).describe('The milestones / 节点'),
      projectIds: z.array(idSchema).describe('Their projects / 所属项目'),
    })
    .describe(description);

const milestoneFiguresShape = {
  due: milestoneSetSchema('Planned in the period / 计划在区间内'),
  achieved: milestoneSetSchema('Achieved in the period / 区间内完成'),
  achievedOnTime: milestoneSetSchema('Due and achieved on or before the planned date / 应完成且按期完成'),
  late: milestoneSetSchema('Due, planned date passed, not achieved on time / 逾期未按期完成'),
  onTimeRate: z
    .object({
      value: z.number().nullable().describe('achievedOnTime ÷ due, 6 places; null without a due milestone / 按期完成率'),
      numerator: z.number().int().describe('achievedOnTime / 分子'),
      denominator: z.number().int().describe('due / 分母'),
    })
    .describe('On-time rate / 按期完成率'),
};

const milestoneGroupSchema = z
  .object({
    key: z.string().max(36).nullable().describe('Department or leader id, or category code; null = none / 分组编号或代码'),
    label: z.string().max(200).describe('Group name / 分组名称'),
    ...milestoneFiguresShape,
  })
  .meta({ id: 'MilestoneMetricsGroup', description: 'Milestone figures of one group / 一组的节点指标' });

export const milestoneMetricsSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    list: metricsListSchema,
    from: dateSchema,
    to: dateSchema,
    knownAt: knownAtField,
    rules: z.string().max(RULES_MAX).describe('Rules / 口径'),
    totals: z.object(milestoneFiguresShape).describe('All the list’s milestones / 全部节点'),
    byDepartment: z.array(milestoneGroupSchema).describe('By responsible department / 按责任部门'),
    byLeader: z.array(milestoneGroupSchema).describe('By leader assigned on `to` / 按挂点领导'),
    byCategory: z.array(milestoneGroupSchema).describe('By project category / 按项目类别'),
  })
  .meta({
    id: 'MilestoneMetrics',
    description: 'Milestones due, achieved and late in a period (节点完成情况) / 区间内节点完成情况',
    example: {
      year: 2022, list: 'city_key', from: '2022-01-01', to: '2022-03-31', knownAt: null, rules: 'see rules / 见口径',
      totals: {
        due: { count: 1, milestoneIds: ['01860c6e-aa5e-7f60-8a12-3b4c5d6e7f91'], projectIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60'] },
        achieved: { count: 1, milestoneIds: ['01860c6e-aa5e-7f60-8a12-3b4c5d6e7f91'], projectIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60'] },
        achievedOnTime: { count: 1, milestoneIds: ['01860c6e-aa5e-7f60-8a12-3b4c5d6e7f91'], projectIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60'] },
        late: { count: 0, milestoneIds: [], projectIds: [] },
        onTimeRate: { value: 1, numerator: 1, denominator: 1 },
      },
      byDepartment: [],
      byLeader: [],
      byCategory: [],
    },
  });
