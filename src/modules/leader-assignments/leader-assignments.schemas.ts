import { z } from 'zod';
import { leaderRole } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const leaderRoleSchema = codeEnum(leaderRole, 'LeaderRole', 'Role of a leader on a project / 挂点角色');

const example = {
  id: '01860c6e-8c4d-7e5f-9a01-2b3c4d5e6f70',
  leaderId: '01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f',
  projectId: '01860c6e-9d5e-7f60-8b12-3c4d5e6f7081',
  role: 'lead',
  startDate: '2022-01-01',
  endDate: null,
  notes: '镇长张某挂点中山坦洲高端显示产业园项目',
  leaderName: '张某',
  leaderTitle: '镇长',
  projectCode: 'TZ-2022-001',
  projectName: '中山坦洲高端显示产业园项目',
  version: 1,
  createdAt: '2022-01-05T02:00:00.000Z',
  updatedAt: '2022-01-05T02:00:00.000Z',
};

export const leaderAssignmentSchema = z
  .object({
    id: idSchema,
    leaderId: idSchema.describe('The leader / 挂点领导'),
    projectId: idSchema.describe('The project / 项目'),
    role: leaderRoleSchema,
    startDate: dateSchema.describe('First day of the assignment / 挂点开始日期'),
    endDate: dateSchema.nullable().describe('Last day of the assignment; null while it lasts / 挂点结束日期（进行中为空）'),
    notes: z.string().max(1000).nullable().describe('Notes / 备注'),
    leaderName: z.string().max(100).describe("Leader's name, for display / 领导姓名"),
    leaderTitle: z.string().max(100).describe("Leader's post, for display / 领导职务"),
    projectCode: z.string().max(64).describe('Project code, for display / 项目编号'),
    projectName: z.string().max(300).describe('Project name, for display / 项目名称'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'LeaderAssignment',
    description: 'A town leader assigned to watch a project (领导挂点制) / 挂点领导',
    example,
  });

export const createLeaderAssignmentSchema = z
  .strictObject({
    leaderId: idSchema.describe('The leader; must exist and not be archived / 挂点领导（须存在且未归档）'),
    projectId: idSchema.describe('The project; must exist / 项目（须存在）'),
    role: leaderRoleSchema.default('lead'),
    startDate: dateSchema.describe('First day of the assignment / 挂点开始日期'),
    endDate: dateSchema.nullable().optional().describe('Last day, on or after startDate; omit while it lasts / 挂点结束日期（不早于开始日期）'),
    notes: nullableText(1000).optional().describe('Notes / 备注'),
  })
  .meta({
    id: 'LeaderAssignmentCreate',
    description: 'A new leader assignment / 新建挂点',
    example: {
      leaderId: example.leaderId,
      projectId: example.projectId,
      role: 'lead',
      startDate: '2022-01-01',
      notes: '镇长张某挂点中山坦洲高端显示产业园项目',
    },
  });

/** Leader and project are fixed: moving a watch to someone else is a new assignment, so history stays. */
export const updateLeaderAssignmentSchema = z
  .strictObject({
    role: leaderRoleSchema.optional(),
    startDate: dateSchema.optional().describe('First day of the assignment / 挂点开始日期'),
    endDate: dateSchema.nullable().optional().describe('Last day; null reopens it / 挂点结束日期（设为 null 表示继续挂点）'),
    notes: nullableText(1000).optional().describe('Notes / 备注'),
  })
  .meta({
    id: 'LeaderAssignmentUpdate',
    description: 'Fields to change; leader and project cannot change / 需修改的字段（领导与项目不可修改）',
    example: { endDate: '2022-12-31' },
  });

const activeOn = dateSchema.optional().describe('Only assignments running on this day / 仅返回该日有效的挂点');

export const listLeaderAssignmentsQuerySchema = z.strictObject({
  ...pageQueryShape,
  leaderId: idSchema.optional().describe('Only this leader / 按领导筛选'),
  projectId: idSchema.optional().describe('Only this project / 按项目筛选'),
  activeOn,
});

/** For the lists under one project or one leader. */
export const scopedLeaderAssignmentsQuerySchema = z.strictObject({ ...pageQueryShape, activeOn });

export const leaderAssignmentPageSchema = pageSchema(leaderAssignmentSchema, 'LeaderAssignmentPage');

export type LeaderAssignment = z.infer<typeof leaderAssignmentSchema>;
export type CreateLeaderAssignment = z.infer<typeof createLeaderAssignmentSchema>;
export type UpdateLeaderAssignment = z.infer<typeof updateLeaderAssignmentSchema>;
export type ListLeaderAssignmentsQuery = z.infer<typeof listLeaderAssignmentsQuerySchema>;
