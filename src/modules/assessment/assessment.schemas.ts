import { z } from 'zod';
import { assessmentRule } from '../../domain/codes.js';
import { PERIOD_PATTERN } from '../../domain/periods.js';
import { exportFormats } from '../exports/exports.public.js';
import { issueCategorySchema } from '../issues/issues.schemas.js';
import { codeEnum, dateSchema, idSchema, INSTANT_MAX, knownAtSchema, timestampSchema, yearSchema } from '../../lib/schemas.js';

export const assessmentRuleKeySchema = codeEnum(assessmentRule, 'AssessmentRuleKey', 'What a department is assessed on (考核规则) / 考核规则');
const kindSchema = z.enum(['share', 'deduction']).describe('share: points × met ÷ due (full points when nothing was due); deduction: −points per item / 比例计分或逐项扣分');

const RULE_EXAMPLE = {
  id: '01860c6e-cc5e-7f60-8a12-3b4c5d6e7f01', key: 'reports_on_time', kind: 'share', enabled: true, points: '40.00',
  counts: 'Half-month reports due … / 应报……', version: 1, createdAt: '2022-01-01T00:00:00.000Z', updatedAt: '2022-01-01T00:00:00.000Z',
} as const;

export const assessmentRuleSchema = z
  .object({
    id: z.string().max(36).describe('Record id / 记录编号'),
    key: assessmentRuleKeySchema,
    kind: kindSchema,
    enabled: z.boolean().describe('Off: the rule scores 0 / 是否启用（停用计0分）'),
    points: z.string().max(8).describe('Points of a full share, or taken per item / 满分分值或每项扣分'),
    counts: z.string().max(1000).describe('What the rule counts / 计分口径'),
    version: z.number().int().min(0).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'AssessmentRule', description: 'A rule of the department assessment (考核规则) / 部门考核规则', example: RULE_EXAMPLE });

export const assessmentRuleListSchema = z
  .object({ items: z.array(assessmentRuleSchema).max(10).describe('Every rule, in evaluation order / 全部规则') })
  .meta({ id: 'AssessmentRuleList', description: 'The assessment rules / 全部考核规则', example: { items: [RULE_EXAMPLE] } });

export const updateAssessmentRuleSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('On or off / 是否启用'),
    points: z.string().max(8).regex(/^\d{1,3}(\.\d{1,2})?$/, 'points: a number from 0 to 100 with at most 2 decimals').optional().describe('Points (0–100, 2 decimals) / 分值'),
  })
  .meta({ id: 'AssessmentRuleUpdate', example: { points: '35' } });

export const assessmentRuleParamsSchema = z.strictObject({ key: assessmentRuleKeySchema.describe('The rule / 规则') });

const assessmentQueryShape = {
  year: yearSchema.describe('Year assessed / 考核年度'),
  period: z.string().max(10).regex(PERIOD_PATTERN, 'period: a half-month such as 2022-03-H1').optional().describe('A half-month of the year (2022-03-H1); with neither period nor quarter, the whole year / 半月期（如 2022-03-H1）'),
  quarter: z.coerce.number().int().min(1).max(4).optional().describe('A quarter of the year (1–4) / 季度'),
  asOf: z.iso.date().max(10).optional().describe('Day judged on; default today in China (with knownAt: its day) / 考核判定日'),
  knownAt: knownAtSchema.optional(),
};

type WindowQuery = { year: number; period?: string | undefined; quarter?: number | undefined };

function checked<T extends z.ZodType<WindowQuery>>(schema: T) {
  return schema
    .refine((q) => !(q.period && q.quarter), { message: 'Ask for a period or a quarter, not both / period 与 quarter 只能二选一', path: ['quarter'] })
    .refine((q) => !q.period || q.period.startsWith(`${q.year}-`), { message: 'period must be a half-month of year / period 须属于 year', path: ['period'] });
}

export const assessmentQuerySchema = checked(z.strictObject(assessmentQueryShape));
export const assessmentExportQuerySchema = checked(
  z.strictObject({ ...assessmentQueryShape, format: z.enum(exportFormats).describe('File format: csv or xlsx / 文件格式：csv 或 xlsx') }),
);

const inputSchema = z
  .object({
    recordType: z.string().max(40).describe('progress_report, issue, supervision_order, project_milestone / 记录类型'),
    id: idSchema.nullable().describe('The record; null for a report that was due and never came / 记录编号（缺报为 null）'),
    projectId: idSchema.nullable().describe('Its project / 所属项目'),
    period: z.string().max(10).nullable().describe('A report’s half-month / 报送期'),
    due: dateSchema.describe('The day it was due / 应完成日期'),
    met: z.boolean().describe('Whether it met the rule (always false for a deduction) / 是否达标'),
    factor: issueCategorySchema.nullable().describe('An issue’s factor guarantee (要素保障); null for other records / 问题的要素保障类别'),
  })
  .meta({ id: 'AssessmentRecordCounted', description: 'One record a rule counted / 计分依据记录' });

const scoreSchema = z
  .object({
    rule: assessmentRuleKeySchema,
    kind: kindSchema,
    enabled: z.boolean().describe('The rule was on / 规则是否启用'),
    points: z.number().describe('The rule’s points / 分值'),
    due: z.number().int().describe('Records counted / 计入记录数'),
    met: z.number().int().describe('Of them, those that met the rule (share rules) / 达标数'),
    rate: z.number().nullable().describe('met ÷ due for a share rule; null when nothing was due or for a deduction / 达标率'),
    score: z.number().describe('Points scored (negative for a deduction) / 得分'),
    inputs: z.array(inputSchema).max(100000).describe('Every record counted, with whether it met the rule / 全部计分依据'),
    byFactor: z
      .array(z.object({ factor: issueCategorySchema, due: z.number().int().describe('Counted / 计入数'), met: z.number().int().describe('Met / 达标数') }))
      .max(20)
      .describe('The issues counted, by factor guarantee (要素保障); empty for rules over other records / 按要素保障分类的问题计分依据'),
  })
  .meta({ id: 'AssessmentScore', description: 'One rule’s score for a department, with the records it counted / 单项得分及依据' });

const departmentScoreSchema = z
  .object({
    rank: z.number().int().min(1).describe('Rank by score (ties share a rank) / 名次（同分并列）'),
    departmentId: idSchema,
    code: z.string().max(50).describe('Department code / 部门代码'),
    name: z.string().max(200).describe('Department name / 部门名称'),
    score: z.number().describe('Total: the rules’ scores added / 总分'),
    maxScore: z.number().describe('The points of the enabled share rules / 满分'),
    scores: z.array(scoreSchema).max(10).describe('Per rule / 各项得分'),
  })
  .meta({ id: 'DepartmentAssessment', description: 'A department’s assessment in the period / 部门考核结果' });

export const assessmentSchema = z
  .object({
    year: z.number().int().describe('Year assessed / 考核年度'),
    period: z.string().max(10).nullable().describe('The half-month asked, or null / 半月期'),
    quarter: z.number().int().nullable().describe('The quarter asked, or null / 季度'),
    from: dateSchema.describe('First day of the window / 考核期起'),
    to: dateSchema.describe('Last day of the window / 考核期止'),
    asOf: dateSchema,
    knownAt: z.string().max(INSTANT_MAX).nullable().describe('The knownAt asked, or null / 数据时点'),
    dueDays: z.number().int().describe('Days after a period a report is due (REPORT_DUE_DAYS) / 报送截止天数'),
    rules: z.array(assessmentRuleSchema).max(10).describe('The rules as they stood / 所用规则'),
    departments: z.array(departmentScoreSchema).max(1000).describe('Departments with anything counted, best first / 各部门（按名次）'),
  })
  .meta({
    id: 'Assessment',
    description: 'Department assessment (部门考核) over a half-month, quarter or year, with the ranking / 部门考核与排名',
    example: {
      year: 2022, period: null, quarter: 1, from: '2022-01-01', to: '2022-03-31', asOf: '2022-04-10', knownAt: null, dueDays: 3, rules: [RULE_EXAMPLE],
      departments: [{
        rank: 1, departmentId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', code: 'GD', name: '坦洲供电分局', score: 40, maxScore: 40,
        scores: [{ rule: 'reports_on_time', kind: 'share', enabled: true, points: 40, due: 0, met: 0, rate: null, score: 40, inputs: [], byFactor: [] }],
      }],
    },
  });

export type AssessmentQuery = z.infer<typeof assessmentQuerySchema>;
export type UpdateAssessmentRule = z.infer<typeof updateAssessmentRuleSchema>;
export type Assessment = z.infer<typeof assessmentSchema>;
