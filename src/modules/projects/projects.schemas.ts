import { z } from 'zod';
import { planList, planStage, projectCategory, projectStatus } from '../../domain/codes.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { codeEnum, dateSchema, idSchema, moneySchema, nullableText, timestampSchema, yearSchema } from '../../lib/schemas.js';

export const projectStatusSchema = codeEnum(projectStatus, 'ProjectStatus', 'Lifecycle status of a project / 项目状态');
export const projectCategorySchema = codeEnum(projectCategory, 'ProjectCategory', 'Project category / 项目类别');
export const planListSchema = codeEnum(planList, 'PlanList', 'List a project is put on for a year / 年度名单');
export const planStageSchema = codeEnum(planStage, 'PlanStage', 'Stage of a project in an annual plan / 年度建设阶段');

const exampleProject = {
  id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
  code: 'TZ-2022-001',
  name: '中山坦洲高端显示产业园项目',
  ownerUnit: '中山某显示科技有限公司',
  category: 'industrial_investment',
  industry: '高端显示',
  location: '坦洲园',
  description: '2022年市重点项目（新开工）',
  estimatedInvestment: '150000.0000',
  status: 'under_construction',
  plannedStartDate: '2022-02-16',
  plannedCompletionDate: '2024-12-31',
  actualStartDate: '2022-02-16',
  actualCompletionDate: null,
  departmentId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
  supportingDepartmentIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61'],
  archivedAt: null,
  version: 3,
  createdAt: '2022-01-05T02:00:00.000Z',
  updatedAt: '2022-02-16T02:00:00.000Z',
};

export const projectSchema = z
  .object({
    id: idSchema,
    code: z.string().max(64).describe('Project code, unique / 项目编号（唯一）'),
    name: z.string().max(300).describe('Project name / 项目名称'),
    ownerUnit: z.string().max(300).nullable().describe('Owner unit, usually a company / 项目单位'),
    category: projectCategorySchema,
    industry: z.string().max(100).nullable().describe('Industry, e.g. 高端显示 / 所属行业'),
    location: z.string().max(300).nullable().describe('Location or park, e.g. 坦洲园 / 建设地点（园区）'),
    description: z.string().max(5000).nullable().describe('Scope and notes / 建设内容及说明'),
    estimatedInvestment: moneySchema.describe('Estimated total investment in 万元 / 估算总投资（万元）'),
    status: projectStatusSchema.describe('Current status: the latest entry of the status history / 当前状态（状态历史的最新一条）'),
    plannedStartDate: dateSchema.nullable().describe('Planned start date / 计划开工日期'),
    plannedCompletionDate: dateSchema.nullable().describe('Planned completion date / 计划竣工日期'),
    actualStartDate: dateSchema
      .nullable()
      .describe('Actual start: set by the first transition to under_construction / 实际开工日期（首次转为在建时由系统填写）'),
    actualCompletionDate: dateSchema
      .nullable()
      .describe('Actual completion: set by the transition to completed / 实际竣工日期（转为竣工时由系统填写）'),
    departmentId: idSchema.describe('Responsible department (责任部门) / 责任部门'),
    supportingDepartmentIds: z.array(idSchema).max(50).describe('Supporting departments (协办部门) / 协办部门'),
    archivedAt: timestampSchema.nullable().describe('When archived / 归档时间'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Project', description: 'A key construction project (重点项目) / 重点项目', example: exampleProject });

const codeField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . and - only');

const editableShape = {
  code: codeField.describe('Project code, unique / 项目编号（唯一）'),
  name: z.string().trim().min(1).max(300).describe('Project name / 项目名称'),
  ownerUnit: nullableText(300).optional().describe('Owner unit, usually a company / 项目单位'),
  category: projectCategorySchema,
  industry: nullableText(100).optional().describe('Industry / 所属行业'),
  location: nullableText(300).optional().describe('Location or park / 建设地点（园区）'),
  description: nullableText(5000).optional().describe('Scope and notes / 建设内容及说明'),
  estimatedInvestment: moneySchema.describe('Estimated total investment in 万元 / 估算总投资（万元）'),
  plannedStartDate: dateSchema.nullable().optional().describe('Planned start date / 计划开工日期'),
  plannedCompletionDate: dateSchema.nullable().optional().describe('Planned completion date / 计划竣工日期'),
  departmentId: idSchema.describe('Responsible department (must exist and not be archived) / 责任部门（须存在且未归档）'),
  supportingDepartmentIds: z
    .array(idSchema)
    .max(50)
    .optional()
    .describe('Supporting departments; on PATCH the list replaces the previous one / 协办部门（修改时整体替换）'),
};

export const createProjectSchema = z
  .strictObject({
    ...editableShape,
    statusDate: dateSchema
      .optional()
      .describe(
        'Effective date of the initial planning status; defaults to today (UTC+8). Set it in the past when entering an older project so later transitions can be back-dated / 初始“谋划”状态的生效日期，默认当天；录入历史项目时可填过去日期，以便补录之后的状态变更',
      ),
  })
  .meta({
    id: 'ProjectCreate',
    description: 'A new project; it starts in status planning / 新建项目（初始状态为谋划）',
    example: {
      code: 'TZ-2022-001',
      name: '中山坦洲高端显示产业园项目',
      ownerUnit: '中山某显示科技有限公司',
      category: 'industrial_investment',
      industry: '高端显示',
      location: '坦洲园',
      estimatedInvestment: '150000.0000',
      plannedStartDate: '2022-02-16',
      plannedCompletionDate: '2024-12-31',
      departmentId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      supportingDepartmentIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61'],
      statusDate: '2022-01-05',
    },
  });

export const updateProjectSchema = z
  .strictObject(editableShape)
  .partial()
  .meta({
    id: 'ProjectUpdate',
    description:
      'Fields to change. status, actualStartDate and actualCompletionDate are read-only: use POST /v1/projects/{id}/transitions / 要修改的字段；状态与实际开竣工日期只读，请使用状态变更接口',
    example: { estimatedInvestment: '152000.0000', plannedCompletionDate: '2025-06-30' },
  });

export const listProjectsQuerySchema = z
  .strictObject({
    ...pageQueryShape,
    status: projectStatusSchema.optional().describe('Only projects in this lifecycle status / 仅该状态的项目'),
    year: yearSchema.optional().describe('Only projects on an annual plan of this year / 仅列出该年度计划内的项目'),
    list: planListSchema.optional().describe('With year: only projects on this list that year / 配合 year：该年度该名单内的项目'),
    stage: planStageSchema.optional().describe('With year: only projects at this stage that year / 配合 year：该年度处于该阶段的项目'),
    category: projectCategorySchema.optional().describe('Only projects of this category / 仅该类别的项目'),
    departmentId: idSchema.optional().describe('Responsible department / 责任部门'),
    leaderId: idSchema.optional().describe('Leader with an assignment active today / 当前挂点领导'),
    q: z.string().trim().min(1).max(100).optional().describe('Text in code or name / 编号或名称包含的文字'),
    includeArchived: z.enum(['true', 'false']).default('false').describe('Include archived projects / 是否包含已归档'),
  })
  .refine((query) => query.year !== undefined || (query.list === undefined && query.stage === undefined), {
    message: 'list and stage filter annual plans and need a year',
    path: ['year'],
  });

export const projectPageSchema = pageSchema(projectSchema, 'ProjectPage');

export type Project = z.infer<typeof projectSchema>;
export type CreateProject = z.infer<typeof createProjectSchema>;
export type UpdateProject = z.infer<typeof updateProjectSchema>;
export type ListProjectsQuery = z.infer<typeof listProjectsQuerySchema>;
