import { z } from 'zod';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { dateSchema, idSchema, INSTANT_MAX, knownAtSchema, timestampSchema } from '../../lib/schemas.js';
import { projectStatusSchema } from './projects.schemas.js';

export const transitionSchema = z
  .strictObject({
    toStatus: projectStatusSchema.describe('Status to move to / 目标状态'),
    effectiveDate: dateSchema.describe(
      'Day the change took effect; may lie in the past, not before the previous change nor after today / 生效日期（可为过去日期，但不得早于上一次变更，也不得晚于今天）',
    ),
    reason: z.string().trim().min(1).max(1000).optional().describe('Why / 变更原因'),
  })
  .meta({
    id: 'ProjectTransition',
    description:
      'A lifecycle change. Allowed: planning→approved|cancelled; approved→under_construction|cancelled; under_construction→suspended|completed|cancelled; suspended→under_construction|cancelled. / 状态变更；竣工与取消为终态',
    example: { toStatus: 'under_construction', effectiveDate: '2022-02-16', reason: '2022年第一季度集体动工' },
  });

export const statusChangeSchema = z
  .object({
    id: z.number().int().describe('Change number, increasing / 变更序号'),
    projectId: idSchema,
    fromStatus: projectStatusSchema.nullable().describe('Status before; null for the initial entry / 变更前状态（首条为空）'),
    toStatus: projectStatusSchema.describe('Status after / 变更后状态'),
    effectiveDate: dateSchema.describe('Day it took effect / 生效日期'),
    reason: z.string().max(1000).nullable().describe('Why / 变更原因'),
    // The API key id (36), the CLI's or demo's name, or before API keys the X-Actor name (≤100).
    actor: z.string().max(100).describe('Who recorded it: the id of the API key (records made before API keys existed keep the name given then) / 记录密钥编号（启用密钥前的记录保留当时的记录人名称）'),
    recordedAt: timestampSchema.describe('When it was recorded / 记录时间'),
  })
  .meta({
    id: 'ProjectStatusChange',
    description: 'One entry of a project\'s dated status history / 项目状态历史记录',
    example: {
      id: 2,
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
      fromStatus: 'approved',
      toStatus: 'under_construction',
      effectiveDate: '2022-02-16',
      reason: '2022年第一季度集体动工',
      actor: '01860c6e-2222-7d4e-8f90-1a2b3c4d5e6f',
      recordedAt: '2022-02-16T09:00:00.000Z',
    },
  });

export const statusHistoryQuerySchema = z.strictObject({ ...pageQueryShape, knownAt: knownAtSchema.optional() });

export const statusChangePageSchema = pageSchema(statusChangeSchema, 'ProjectStatusChangePage');

export const statusAsOfQuerySchema = z.strictObject({
  asOf: dateSchema.optional().describe('Day to reconstruct; defaults to today (UTC+8), with knownAt the day of knownAt / 查询日期，默认当天（带 knownAt 时为其当日）'),
  knownAt: knownAtSchema.optional(),
});

export const statusAsOfSchema = z
  .object({
    projectId: idSchema,
    asOf: dateSchema.describe('The day asked about / 查询日期'),
    status: projectStatusSchema
      .nullable()
      .describe('Status in effect that day; null before the first recorded status / 当日有效状态（早于首条记录时为空）'),
    effectiveDate: dateSchema.nullable().describe('Since when it was in effect / 该状态的生效日期'),
    knownAt: z.string().max(INSTANT_MAX).nullable().describe('The knownAt asked (the status history as known then), or null for the current one / 所用数据时点，null 为当前数据'),
  })
  .meta({
    id: 'ProjectStatusAsOf',
    description: 'The status a project had on a given day / 项目在指定日期的状态',
    example: { projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60', asOf: '2022-03-31', status: 'under_construction', effectiveDate: '2022-02-16', knownAt: null },
  });

export type Transition = z.infer<typeof transitionSchema>;
export type StatusHistoryQuery = z.infer<typeof statusHistoryQuerySchema>;
export type StatusChange = z.infer<typeof statusChangeSchema>;
