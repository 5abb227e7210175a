import { z } from 'zod';
import { idSchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const departmentSchema = z
  .object({
    id: idSchema,
    code: z.string().max(32).describe('Short stable code / 部门代码'),
    name: z.string().max(200).describe('Full name / 部门全称'),
    shortName: z.string().max(50).nullable().describe('Short name used in reports / 简称'),
    contactPerson: z.string().max(100).nullable().describe('Contact person / 联系人'),
    contactPhone: z.string().max(50).nullable().describe('Contact phone / 联系电话'),
    archivedAt: timestampSchema.nullable().describe('When archived; archived departments take no new projects / 归档时间'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'Department',
    description: 'A responsible department (责任部门) / 责任部门',
    example: {
      id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      code: 'FGJ',
      name: '坦洲镇经济发展和科技信息局（发改）',
      shortName: '发改',
      contactPerson: '李工',
      contactPhone: '0760-86000000',
      archivedAt: null,
      version: 1,
      createdAt: '2022-01-05T02:00:00.000Z',
      updatedAt: '2022-01-05T02:00:00.000Z',
    },
  });

const codeField = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

export const createDepartmentSchema = z
  .strictObject({
    code: codeField.describe('Short stable code, unique / 部门代码（唯一）'),
    name: z.string().trim().min(1).max(200).describe('Full name, unique / 部门全称（唯一）'),
    shortName: nullableText(50).optional().describe('Short name / 简称'),
    contactPerson: nullableText(100).optional().describe('Contact person / 联系人'),
    contactPhone: nullableText(50).optional().describe('Contact phone / 联系电话'),
  })
  .meta({
    id: 'DepartmentCreate',
    example: { code: 'ZJJ', name: '坦洲镇住房城乡建设和交通局（住建）', shortName: '住建' },
  });

export const updateDepartmentSchema = createDepartmentSchema
  .partial()
  .meta({ id: 'DepartmentUpdate', example: { contactPerson: '陈工', contactPhone: '0760-86111111' } });

export const listDepartmentsQuerySchema = z.strictObject({
  ...pageQueryShape,
  q: z.string().trim().min(1).max(100).optional().describe('Text in code or name / 代码或名称包含的文字'),
  includeArchived: z.enum(['true', 'false']).default('false').describe('Include archived departments / 是否包含已归档'),
});

export const departmentPageSchema = pageSchema(departmentSchema, 'DepartmentPage');

export type Department = z.infer<typeof departmentSchema>;
export type CreateDepartment = z.infer<typeof createDepartmentSchema>;
export type UpdateDepartment = z.infer<typeof updateDepartmentSchema>;
export type ListDepartmentsQuery = z.infer<typeof listDepartmentsQuerySchema>;
