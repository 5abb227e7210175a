import { z } from 'zod';
import { idSchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const leaderSchema = z
  .object({
    id: idSchema,
    name: z.string().max(100).describe('Full name / 姓名'),
    title: z.string().max(100).describe('Post, e.g. town mayor / 职务（如镇党委书记、镇长、副镇长）'),
    phone: z.string().max(50).nullable().describe('Contact phone / 联系电话'),
    archivedAt: timestampSchema.nullable().describe('When archived; archived leaders take no new assignments / 归档时间（归档后不能再挂点新项目）'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'Leader',
    description: 'A town leader who watches projects (领导挂点制) / 镇领导',
    example: {
      id: '01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f',
      name: '张某',
      title: '镇长',
      phone: '0760-86000001',
      archivedAt: null,
      version: 1,
      createdAt: '2022-01-05T02:00:00.000Z',
      updatedAt: '2022-01-05T02:00:00.000Z',
    },
  });

export const createLeaderSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).describe('Full name / 姓名'),
    title: z.string().trim().min(1).max(100).describe('Post, e.g. 镇党委书记, 镇长, 副镇长 / 职务'),
    phone: nullableText(50).optional().describe('Contact phone / 联系电话'),
  })
  .meta({
    id: 'LeaderCreate',
    description: 'A new town leader / 新建镇领导',
    example: { name: '张某', title: '镇长', phone: '0760-86000001' },
  });

export const updateLeaderSchema = createLeaderSchema
  .partial()
  .meta({ id: 'LeaderUpdate', description: 'Fields to change / 需修改的字段', example: { title: '镇党委书记' } });

export const listLeadersQuerySchema = z.strictObject({
  ...pageQueryShape,
  q: z.string().trim().min(1).max(100).optional().describe('Text in name or post / 姓名或职务包含的文字'),
  includeArchived: z.enum(['true', 'false']).default('false').describe('Include archived leaders / 是否包含已归档'),
});

export const leaderPageSchema = pageSchema(leaderSchema, 'LeaderPage');

export type Leader = z.infer<typeof leaderSchema>;
export type CreateLeader = z.infer<typeof createLeaderSchema>;
export type UpdateLeader = z.infer<typeof updateLeaderSchema>;
export type ListLeadersQuery = z.infer<typeof listLeadersQuerySchema>;
