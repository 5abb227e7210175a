import { z } from 'zod';
import { apiKeyRoleSchema } from '../api-keys/api-keys.schemas.js';
import { idSchema, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const commentSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('The project commented on / 所属项目'),
    body: z.string().max(2000).describe('The comment or instruction / 批示或意见内容'),
    authorKeyId: z.string().max(36).describe('Id of the API key that wrote it / 写入的接口密钥编号'),
    authorRole: apiKeyRoleSchema.describe('Role of that key when it wrote / 写入时密钥的角色'),
    leaderId: idSchema
      .nullable()
      .describe('The leader whose comment this is, when a leader key wrote it; null otherwise / 领导密钥写入时为该领导，否则为 null'),
    onBehalfOf: z.string().max(100).nullable().describe('The person named in X-Actor: recorded, not verified / X-Actor 所填人员（仅记录，未核实）'),
    createdAt: timestampSchema,
  })
  .meta({
    id: 'Comment',
    description: 'A comment or instruction on a project (领导批示); append-only, never changed or deleted / 项目批示与意见（只增不改不删）',
    example: {
      id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      body: '请发改、住建加快三绿项目前期审批进度，力促第二季度实现第二批项目集体开工。',
      authorKeyId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61',
      authorRole: 'leader',
      leaderId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e62',
      onBehalfOf: '张某',
      createdAt: '2022-03-18T02:00:00.000Z',
    },
  });

export const createCommentSchema = z
  .strictObject({
    body: z.string().trim().min(1).max(2000).describe('The comment or instruction, at most 2000 characters / 批示或意见内容（最多2000字）'),
  })
  .meta({
    id: 'CommentCreate',
    example: { body: '请责任部门现场办公，逐个研判复工存在问题，制定解决方案，下周例会报告进展。' },
  });

export const listCommentsQuerySchema = z.strictObject({ ...pageQueryShape });

export const commentPageSchema = pageSchema(commentSchema, 'CommentPage');

export type Comment = z.infer<typeof commentSchema>;
export type CreateComment = z.infer<typeof createCommentSchema>;
export type ListCommentsQuery = z.infer<typeof listCommentsQuerySchema>;
