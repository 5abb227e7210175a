import { z } from 'zod';
import { milestoneKind, milestoneStatus } from '../../domain/codes.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { codeEnum, dateSchema, idSchema, INSTANT_MAX, knownAtSchema, nullableText, timestampSchema } from '../../lib/schemas.js';

export const milestoneKindSchema = codeEnum(milestoneKind, 'MilestoneKind', 'Kind of node in the schedule (节点计划) / 节点类型');
export const milestoneStatusSchema = codeEnum(milestoneStatus, 'MilestoneStatus', 'Where a milestone stands on the day asked (derived from its dates) / 节点状态（由日期推算）');

const EXAMPLE = {
  id: '01860c6e-aa5e-7f60-8a12-3b4c5d6e7f91',
  projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
  kind: 'start',
  title: null,
  plannedDate: '2022-02-16',
  baselineDate: '2022-02-16',
  forecastDate: null,
  actualDate: '2022-02-16',
  evidence: '施工许可证及开工报告',
  status: 'achieved',
  statusOn: '2022-03-31',
  delayDays: 0,
  version: 1,
  createdAt: '2022-01-10T02:00:00.000Z',
  updatedAt: '2022-02-16T02:00:00.000Z',
} as const;

export const milestoneSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('The project / 项目'),
    kind: milestoneKindSchema,
    title: z.string().max(200).nullable().describe('Title; required for kind other / 节点名称（其他节点必填）'),
    plannedDate: dateSchema.describe('Date planned now / 当前计划日期'),
    baselineDate: dateSchema.describe('Date planned when the schedule was approved; kept when plans slip / 批准时的计划日期（基线，计划调整后保留）'),
    forecastDate: dateSchema.nullable().describe('Expected date, when it differs / 预计完成日期'),
    actualDate: dateSchema.nullable().describe('Date achieved; never in the future / 实际完成日期'),
    evidence: z.string().max(2000).nullable().describe('How it is evidenced / 完成佐证'),
    status: milestoneStatusSchema,
    statusOn: dateSchema.describe('The day status and delayDays are judged on / 状态判定日'),
    delayDays: z.number().int().min(0).describe('Days behind the planned date on statusOn: to the achievement, or to statusOn while late / 相对计划日期的延误天数'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Milestone', description: 'A node of a project schedule (节点计划) / 项目节点', example: EXAMPLE });

const writableShape = {
  title: nullableText(200).optional().describe('Title; required for kind other / 节点名称（其他节点必填）'),
  plannedDate: dateSchema.describe('Date planned / 计划日期'),
  forecastDate: dateSchema.nullable().optional().describe('Expected date / 预计完成日期'),
  actualDate: dateSchema.nullable().optional().describe('Date achieved; never in the future (422 date_in_future) / 实际完成日期（不得晚于今天）'),
  evidence: nullableText(2000).optional().describe('How it is evidenced / 完成佐证'),
};

export const createMilestoneSchema = z
  .strictObject({ kind: milestoneKindSchema, ...writableShape })
  .meta({
    id: 'MilestoneCreate',
    description: 'A new node of the project schedule; its baseline is its planned date / 新增项目节点（基线为其计划日期）',
    example: { kind: 'start', plannedDate: '2022-02-16' },
  });

export const updateMilestoneSchema = z
  .strictObject({
    ...writableShape,
    baselineDate: dateSchema.optional().describe('Re-baseline (the office only): the schedule approved anew / 重新确定基线（仅重点项目办）'),
  })
  .partial()
  .meta({
    id: 'MilestoneUpdate',
    description: 'A slip moves plannedDate and keeps baselineDate; achieving it sets actualDate / 计划调整改 plannedDate，基线保留；完成时填 actualDate',
    example: { actualDate: '2022-02-16', evidence: '开工报告' },
  });

export const projectMilestonesQuerySchema = z.strictObject({
  ...pageQueryShape,
  asOf: dateSchema.optional().describe('Day the statuses are judged on; default today in China / 状态判定日，默认北京时间今天'),
});

export const milestoneQuerySchema = z.strictObject({
  asOf: dateSchema.optional().describe('Day the status is judged on; default today in China / 状态判定日，默认北京时间今天'),
});

export const milestonePageSchema = pageSchema(milestoneSchema, 'MilestonePage');

export const scheduleQuerySchema = z.strictObject({
  asOf: dateSchema.optional().describe('Day asked about; default today in China (with knownAt: its day) / 查询日，默认北京时间今天'),
  knownAt: knownAtSchema.optional(),
});

export const scheduleSchema = z
  .object({
    projectId: idSchema,
    asOf: dateSchema,
    knownAt: z.string().max(INSTANT_MAX).nullable().describe('The knownAt asked, or null / 数据时点'),
    milestoneCount: z.number().int().describe('Milestones of the project / 节点总数'),
    plannedCount: z.number().int().describe('Milestones planned on or before asOf / 截至查询日应完成节点数'),
    achievedCount: z.number().int().describe('Milestones achieved on or before asOf / 截至查询日已完成节点数'),
    plannedShare: z.number().nullable().describe('Schedule progress planned (序时进度): plannedCount ÷ milestoneCount; null without milestones / 序时进度（计划）'),
    achievedShare: z.number().nullable().describe('Schedule progress achieved: achievedCount ÷ milestoneCount / 节点完成进度'),
    delayDays: z.number().int().describe('The largest delay of a milestone on asOf / 最大延误天数'),
    nextMilestone: milestoneSchema.nullable().describe('The earliest milestone not achieved by asOf / 下一个未完成节点'),
    milestones: z.array(milestoneSchema).max(200).describe('Every milestone, by planned date, with its status on asOf / 全部节点（按计划日期）'),
  })
  .meta({
    id: 'ProjectSchedule',
    description: 'A project measured against its node plan on a day (序时进度) / 项目节点计划执行情况',
    example: {
      projectId: EXAMPLE.projectId, asOf: '2022-03-31', knownAt: null, milestoneCount: 1, plannedCount: 1, achievedCount: 1,
      plannedShare: 1, achievedShare: 1, delayDays: 0, nextMilestone: null, milestones: [EXAMPLE],
    },
  });

export type CreateMilestone = z.infer<typeof createMilestoneSchema>;
export type UpdateMilestone = z.infer<typeof updateMilestoneSchema>;
export type ProjectMilestonesQuery = z.infer<typeof projectMilestonesQuerySchema>;
