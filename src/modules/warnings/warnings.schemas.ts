import { z } from 'zod';
import { issueCategory, planList, scheduleBasis, warningLight, warningRule } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, INSTANT_MAX, knownAtSchema, moneySchema, timestampSchema, yearSchema } from '../../lib/schemas.js';
import { pageQueryShape } from '../../lib/pagination.js';
import { ruleDefinitions } from './warnings.rules.js';
import { basisField, basisSchema } from '../metrics/metrics.schemas.js';
import { issueCategorySchema } from '../issues/issues.schemas.js';

/** The label of a factor guarantee as the answers give it: English / 中文. */
export const factorLabel = (code: (typeof issueCategory.values)[number]) => `${issueCategory.labels[code].en} / ${issueCategory.labels[code].zh}`;

const factorList = Object.entries(issueCategory.labels).map(([code, l]) => `\`${code}\` ${l.zh} / ${l.en}`).join('; ');

const listField = z
  .enum(planList.values)
  .describe(`List / 名单: ${Object.entries(planList.labels).map(([code, l]) => `\`${code}\` ${l.zh} / ${l.en}`).join('; ')}`);

/** Caps the repository applies (warnings.queries.ts, warnings.repository.ts). */
export const OVERDUE_ISSUE_IDS_MAX = 100;
export const WARNING_LEADERS_MAX = 50;
/** missing_reports looks back as many periods as its larger threshold, at most its maxThreshold. */
const MISSING_PERIODS_MAX = ruleDefinitions.missing_reports.maxThreshold;

export const ruleKeySchema = codeEnum(warningRule, 'WarningRuleKey', 'Warning rule / 预警规则');

export const lightSchema = codeEnum(warningLight, 'WarningLight', 'Light; the worst lit rule wins / 灯色（取最严重的规则）');

// numeric(12,4): at most 8 integer and 4 fraction digits, 13 characters.
const threshold = z
  .string()
  .max(13)
  .regex(/^\d{1,8}(\.\d{1,4})?$/, 'a non-negative decimal string with at most 4 fraction digits, e.g. "10" or "12.5"');

const scheduleBasisSchema = codeEnum(scheduleBasis, 'ScheduleBasis', 'What the progress rule measures investment against / 序时进度的依据');

export const warningRuleSchema = z
  .object({
    key: ruleKeySchema,
    enabled: z.boolean().describe('Disabled rules are not evaluated / 停用的规则不参与判定'),
    yellowThreshold: z.string().max(13).describe('Yellow at this measure (see unit and description) / 黄灯阈值'),
    redThreshold: z.string().max(13).nullable().describe('Red at this measure; null = never red / 红灯阈值，null 表示不亮红灯'),
    unit: z.string().max(200).describe('What the thresholds count (fixed by the rule) / 阈值的计量（由规则确定）'),
    descriptionZh: z.string().max(2000).describe('Rule in Chinese / 规则说明（中文）'),
    descriptionEn: z.string().max(2000).describe('Rule in English / 规则说明（英文）'),
    schedule: scheduleBasisSchema.describe('behind_schedule only: what investment is measured against — elapsed_time (the share of the year elapsed) or milestones (the share of the project’s milestones planned by asOf, 序时进度 from the node plan; time elapsed for a project without milestones). Ignored by the other rules / 仅滞后序时进度规则使用：按时间进度或节点计划进度'),
    version: z.number().int().describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'WarningRule',
    description: 'A warning rule and its thresholds / 预警规则及阈值',
    example: {
      key: 'behind_schedule',
      enabled: true,
      yellowThreshold: '10.0000',
      redThreshold: '30.0000',
      unit: 'percentage points behind the elapsed share of the year / 落后时间进度的百分点',
      descriptionZh: '滞后序时进度：差距 ≥ 10 个百分点亮黄灯，> 30 个百分点亮红灯。',
      descriptionEn: 'Behind schedule: yellow when the gap ≥ 10 points, red when > 30 points.',
      schedule: 'elapsed_time',
      version: 1,
      createdAt: '2022-01-05T02:00:00.000Z',
      updatedAt: '2022-01-05T02:00:00.000Z',
    },
  });

export const warningRuleListSchema = z
  .object({ items: z.array(warningRuleSchema).max(warningRule.values.length).describe('Every rule, in evaluation order / 全部规则') })
  .meta({
    id: 'WarningRuleList',
    description: 'The warning rules / 预警规则列表',
    example: {
      items: [
        {
          key: 'not_started',
          enabled: true,
          yellowThreshold: '0',
          redThreshold: '90',
          unit: 'days past the planned start date / 超过计划开工日期的天数',
          descriptionZh: '未按期开工：超过计划开工日期亮黄灯，超过90天亮红灯。',
          descriptionEn: 'Not started by the planned start date: yellow; 90 days late: red.',
          schedule: 'elapsed_time',
          version: 1,
          createdAt: '2022-01-05T02:00:00.000Z',
          updatedAt: '2022-01-05T02:00:00.000Z',
        },
      ],
    },
  });

export const updateWarningRuleSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Evaluate the rule / 是否启用'),
    yellowThreshold: threshold.optional().describe('Yellow threshold; must stay below red / 黄灯阈值（须小于红灯阈值）'),
    redThreshold: threshold.nullable().optional().describe('Red threshold; null = never red / 红灯阈值，null 为不亮红灯'),
    descriptionZh: z.string().trim().min(1).max(2000).optional().describe('Chinese description / 中文说明'),
    descriptionEn: z.string().trim().min(1).max(2000).optional().describe('English description / 英文说明'),
    schedule: scheduleBasisSchema.optional().describe('behind_schedule only: elapsed_time or milestones (422 on another rule) / 仅滞后序时进度规则可设'),
  })
  .meta({
    id: 'WarningRuleUpdate',
    description: 'Change a rule; thresholds are checked on the merged rule (yellow < red) / 修改规则（合并后校验黄灯阈值小于红灯阈值）',
    example: { yellowThreshold: '5', redThreshold: '20' },
  });

export const ruleKeyParamsSchema = z.strictObject({ key: ruleKeySchema.describe('Rule key / 规则代码') });

const notStartedInputs = z
  .object({
    rule: z.literal('not_started').describe('The rule: not started / 规则：未按期开工'),
    level: z.enum(['yellow', 'red']).describe('Level this rule lit / 本规则灯色'),
    inputs: z.object({
      plannedStartDate: dateSchema.describe('Planned start date / 计划开工日期'),
      daysLate: z.number().int().describe('asOf − planned start date / 超期天数'),
      statusOnAsOf: z.string().max(32).nullable().describe('Status on asOf; null = no status history / 统计日状态'),
    }).describe('The figures that lit the rule / 亮灯依据'),
  })
  .meta({ id: 'WarningReasonNotStarted', description: 'Not started on time / 未按期开工' });

const behindScheduleInputs = z
  .object({
    rule: z.literal('behind_schedule').describe('The rule: behind schedule / 规则：滞后序时进度'),
    level: z.enum(['yellow', 'red']).describe('Level this rule lit / 本规则灯色'),
    inputs: z.object({
      completed: moneySchema.describe('Investment completed in the year to asOf, 万元 / 年度截至统计日完成投资'),
      planned: moneySchema.describe('Planned investment for the year, 万元 / 年度计划投资'),
      completionPct: z.number().describe('completed ÷ planned × 100, rounded to 2 places / 完成率（%）'),
      elapsedPct: z.number().describe('days elapsed ÷ days in year × 100, rounded / 时间进度（%）'),
      gapPoints: z.number().describe('elapsedPct − completionPct, rounded; compared unrounded / 落后百分点（比较用精确值）'),
      elapsedDays: z.number().int().describe('Days from 1 January to asOf, inclusive / 已过天数'),
      daysInYear: z.number().int().describe('Days in the year / 全年天数'),
      schedule: scheduleBasisSchema.describe('What elapsedPct measures: the year elapsed, or the milestones planned by asOf / elapsedPct 的口径'),
    }).describe('The figures that lit the rule / 亮灯依据'),
  })
  .meta({ id: 'WarningReasonBehindSchedule', description: 'Behind schedule (序时进度) / 滞后序时进度' });

const missingReportsInputs = z
  .object({
    rule: z.literal('missing_reports').describe('The rule: missing reports / 规则：缺报'),
    level: z.enum(['yellow', 'red']).describe('Level this rule lit / 本规则灯色'),
    inputs: z.object({
      lastPeriod: z.string().max(10).describe('Last half-month period ended by asOf / 最近已结束报送期'),
      consecutiveMissing: z.number().int().describe('Consecutive missing periods (counted back at most as far as the thresholds need) / 连续缺报期数'),
      missingPeriods: z
        .array(z.string().max(10))
        .max(MISSING_PERIODS_MAX)
        .describe(`Those periods, newest first; as many as the larger threshold looks back, at most ${MISSING_PERIODS_MAX} / 缺报期（最多${MISSING_PERIODS_MAX}期）`),
    }).describe('The figures that lit the rule / 亮灯依据'),
  })
  .meta({ id: 'WarningReasonMissingReports', description: 'Missing reports / 缺报' });

const overdueIssueInputs = z
  .object({
    rule: z.literal('overdue_issue').describe('The rule: overdue issue / 规则：问题逾期'),
    level: z.enum(['yellow', 'red']).describe('Level this rule lit / 本规则灯色'),
    inputs: z.object({
      overdueCount: z.number().int().describe('Open issues past their due date / 逾期问题数'),
      oldestDueDate: dateSchema.describe('Earliest due date among them / 最早期限'),
      daysOverdue: z.number().int().describe('asOf − oldest due date / 逾期天数'),
      issueIds: z
        .array(idSchema)
        .max(OVERDUE_ISSUE_IDS_MAX)
        .describe(
          `The overdue issues, oldest due date first: the first ${OVERDUE_ISSUE_IDS_MAX} (overdueCount counts them all) / 逾期问题（按期限先后，最多前 ${OVERDUE_ISSUE_IDS_MAX} 个，总数见 overdueCount）`,
        ),
      byFactor: z
        .array(
          z.object({
            factor: issueCategorySchema,
            label: z.string().max(100).describe('The factor, English / 中文 / 要素保障类别名称'),
            overdueCount: z.number().int().describe('Overdue issues of this factor / 该类别逾期问题数'),
            oldestDueDate: dateSchema.describe('Earliest due date among them / 最早期限'),
            daysOverdue: z.number().int().describe('asOf − that due date / 逾期天数'),
            level: lightSchema.describe('The rule judged on this factor’s issues alone; the worst factor is the rule’s level / 仅按该类别问题判定的灯色，最严重者即本规则灯色'),
          }),
        )
        .max(issueCategory.values.length)
        .describe('The overdue issues by factor guarantee (要素保障: the issue category), by factor code / 逾期问题按要素保障类别分列'),
    }).describe('The figures that lit the rule / 亮灯依据'),
  })
  .meta({ id: 'WarningReasonOverdueIssue', description: 'Overdue issue / 问题逾期' });

const milestoneOverdueInputs = z
  .object({
    rule: z.literal('milestone_overdue').describe('The rule: milestone overdue / 规则：节点逾期'),
    level: z.enum(['yellow', 'red']).describe('Level this rule lit / 本规则灯色'),
    inputs: z.object({
      overdueCount: z.number().int().describe('Milestones not achieved by asOf whose planned date has passed / 逾期节点数'),
      milestoneId: idSchema.describe('The most overdue of them / 最逾期的节点'),
      kind: z.string().max(32).describe('Its kind / 节点类型'),
      plannedDate: dateSchema.describe('Its planned date / 计划日期'),
      baselineDate: dateSchema.describe('Its baseline date / 基线日期'),
      daysOverdue: z.number().int().describe('asOf − planned date / 逾期天数'),
    }).describe('The figures that lit the rule / 亮灯依据'),
  })
  .meta({ id: 'WarningReasonMilestoneOverdue', description: 'Milestone overdue / 节点逾期' });

export const reasonSchema = z
  .discriminatedUnion('rule', [notStartedInputs, behindScheduleInputs, missingReportsInputs, overdueIssueInputs, milestoneOverdueInputs])
  .meta({ id: 'WarningReason', description: 'A rule that lit the light, and what lit it / 亮灯规则及依据' });

export const projectWarningSchema = z
  .object({
    projectId: idSchema,
    projectCode: z.string().max(64).describe('Project code / 项目代码'),
    projectName: z.string().max(300).describe('Project name / 项目名称'),
    departmentId: idSchema.describe('Responsible department / 责任部门'),
    departmentName: z.string().max(200).describe('Department name / 责任部门名称'),
    leaders: z
      .array(z.object({ id: idSchema, name: z.string().max(100).describe('Leader name / 领导姓名') }))
      .max(WARNING_LEADERS_MAX)
      .describe(`Leaders assigned on asOf, by name: at most ${WARNING_LEADERS_MAX} / 统计日挂点领导（按姓名，最多 ${WARNING_LEADERS_MAX} 位）`),
    statusOnAsOf: z.string().max(32).nullable().describe('Status on asOf; null = no status history / 统计日状态'),
    light: lightSchema,
    reasons: z.array(reasonSchema).max(warningRule.values.length).describe('Lit rules, red first; empty when green / 亮灯规则（红灯在前），绿灯为空'),
  })
  .meta({
    id: 'ProjectWarning',
    description: 'The light of one project as of a date / 项目红黄绿灯',
    example: {
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      projectCode: 'TZ2022-C01',
      projectName: '中山坦洲高端显示产业园项目',
      departmentId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
      departmentName: '坦洲镇经济发展和科技信息局（发改）',
      leaders: [{ id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61', name: '张副镇长' }],
      statusOnAsOf: 'under_construction',
      light: 'red',
      reasons: [
        {
          rule: 'behind_schedule',
          level: 'red',
          inputs: { completed: '1200.0000', planned: '30000.0000', completionPct: 4, elapsedPct: 49.86, gapPoints: 45.86, elapsedDays: 182, daysInYear: 365, schedule: 'elapsed_time' },
        },
        { rule: 'missing_reports', level: 'yellow', inputs: { lastPeriod: '2022-06-H2', consecutiveMissing: 1, missingPeriods: ['2022-06-H2'] } },
      ],
    },
  });

// Query parameters are inline schemas: a $ref parameter would lose its description in the spec.
const queryId = z.uuid().max(36);

const scopeFields = {
  year: yearSchema,
  list: listField,
  asOf: z.iso.date().max(10).optional().describe('As-of date, default today in Asia/Shanghai (with knownAt: the day of knownAt) / 统计日，默认北京时间今天（带 knownAt 时为其当日）'),
  knownAt: knownAtSchema.optional(),
  basis: basisSchema,
};

const knownAtField = z
  .string()
  .max(INSTANT_MAX)
  .nullable()
  .describe('The knownAt asked (records and rule thresholds as known then), or null for the current ones / 所用数据时点，null 为当前数据');

export const listWarningsQuerySchema = z.strictObject({
  ...pageQueryShape,
  ...scopeFields,
  level: z.enum(warningLight.values).optional().describe('Only projects with this light: green, yellow or red / 只看该灯色'),
  departmentId: queryId.optional().describe('Only this responsible department / 只看该责任部门'),
  leaderId: queryId.optional().describe('Only projects this leader is assigned to on asOf / 只看该领导统计日挂点的项目'),
  factor: z
    .enum(issueCategory.values)
    .optional()
    .describe(
      `Only projects the overdue_issue rule lights (yellow or red) for an issue of this factor guarantee (要素保障, the issue category); their light stays the worst of every rule. Factors: ${factorList} / 只看因该要素保障类别的逾期问题亮黄灯或红灯的项目（灯色仍按全部规则判定）`,
    ),
});

export const warningPageSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    list: listField,
    asOf: dateSchema,
    knownAt: knownAtField,
    basis: basisField,
    items: z.array(projectWarningSchema).max(200).describe('This page, by project code, at most `limit` (≤200) / 本页（按项目代码排序，不超过 limit）'),
    nextCursor: z.string().max(1000).nullable().describe('Cursor of the next page; null on the last page / 下一页游标'),
  })
  .meta({
    id: 'ProjectWarningPage',
    description:
      'Lights of the projects with an annual plan on the list for the year (archived projects left out) / 名单年度项目红黄绿灯',
    example: { year: 2022, list: 'city_key', asOf: '2022-03-31', knownAt: null, basis: 'submitted', items: [], nextCursor: null },
  });

export const rollupQuerySchema = z.strictObject({
  ...scopeFields,
  by: z
    .enum(['department', 'leader', 'factor'])
    .describe(
      'Group by responsible department, by leader assigned on asOf (a project with two leaders counts under both), or by factor guarantee (要素保障, the issue category): each project with issues of a factor overdue on asOf counts under that factor with the light the overdue_issue rule gives those issues alone (green when they are below its thresholds or the rule is disabled); a project overdue on two factors counts under both, a project with none under no factor / ' +
        '按责任部门、统计日挂点领导（一个项目两位领导时两组都计入）或要素保障类别分组：按类别时，统计日有该类别逾期问题的项目计入该类别，灯色仅按该类别问题判定问题逾期规则（未达阈值或规则停用为绿灯）；一个项目两类逾期问题时两组都计入，无逾期问题的项目不计入任何类别',
    ),
});

const countsShape = {
  projectCount: z.number().int().describe('Projects / 项目数'),
  green: z.number().int().describe('Green / 绿灯数'),
  yellow: z.number().int().describe('Yellow / 黄灯数'),
  red: z.number().int().describe('Red / 红灯数'),
};

export const rollupSchema = z
  .object({
    year: z.number().int().describe('Year / 年度'),
    list: listField,
    asOf: dateSchema,
    knownAt: knownAtField,
    basis: basisField,
    by: z.enum(['department', 'leader', 'factor']).describe('Dimension / 分组维度'),
    totals: z.object(countsShape).describe('All projects, each once, by their light / 全部项目（不重复，按项目灯色）'),
    groups: z
      .array(
        z.object({
          key: z
            .union([idSchema, z.enum(issueCategory.values)])
            .nullable()
            .describe('Department or leader id, or the factor code (by=factor); null = no leader on asOf / 部门或领导编号，或要素保障类别代码；null 为无挂点领导'),
          label: z.string().max(200).describe('Department or leader name, or the factor in English / 中文 / 名称'),
          ...countsShape,
        }),
      )
      .describe('By group: by name, or by factor code for by=factor / 分组统计（按名称；按要素保障时按类别代码）'),
  })
  .meta({
    id: 'WarningRollup',
    description: 'Counts of green, yellow and red lights by department or leader / 按部门或领导统计红黄绿灯',
    example: {
      year: 2022,
      list: 'city_key',
      asOf: '2022-03-31',
      knownAt: null,
      basis: 'submitted',
      by: 'department',
      totals: { projectCount: 12, green: 9, yellow: 2, red: 1 },
      groups: [{ key: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60', label: '坦洲镇住房城乡建设和交通局（住建）', projectCount: 5, green: 3, yellow: 1, red: 1 }],
    },
  });

export type UpdateWarningRule = z.infer<typeof updateWarningRuleSchema>;
export type ListWarningsQuery = z.infer<typeof listWarningsQuerySchema>;
export type RollupQuery = z.infer<typeof rollupQuerySchema>;
export type ProjectWarning = z.infer<typeof projectWarningSchema>;
