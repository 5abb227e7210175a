import { z } from 'zod';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { idSchema, moneySchema, nullableText, timestampSchema, yearSchema } from '../../lib/schemas.js';
import { planListSchema, planStageSchema } from '../projects/projects.schemas.js';

export const planSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('The project / 项目'),
    year: z.number().int().describe('Plan year / 计划年度'),
    list: planListSchema,
    stage: planStageSchema,
    plannedInvestment: moneySchema.describe('Planned investment for the year in 万元 / 年度计划投资（万元）'),
    batchId: idSchema.nullable().describe('Groundbreaking batch it starts in / 所属集体开工批次'),
    notes: z.string().max(2000).nullable().describe('Notes / 备注'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'AnnualPlan',
    description: 'A project on one list for one year (年度计划) / 年度计划（名单）',
    example: {
      id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e70',
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
      year: 2022,
      list: 'city_key',
      stage: 'new_start',
      plannedInvestment: '20000.0000',
      batchId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e80',
      notes: '2022年第一季度集体动工',
      version: 1,
      createdAt: '2022-01-10T02:00:00.000Z',
      updatedAt: '2022-01-10T02:00:00.000Z',
    },
  });

const changeableShape = {
  stage: planStageSchema,
  plannedInvestment: moneySchema.describe('Planned investment for the year in 万元 / 年度计划投资（万元）'),
  batchId: idSchema.nullable().optional().describe('Groundbreaking batch; must exist (422) / 集体开工批次（须存在）'),
  notes: nullableText(2000).optional().describe('Notes / 备注'),
};

export const createPlanSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100).describe('Plan year / 计划年度'),
    list: planListSchema,
    ...changeableShape,
  })
  .meta({
    id: 'AnnualPlanCreate',
    description: 'Puts a project on a list for a year; one per (project, year, list) / 将项目列入某年度名单（每个项目每年每个名单仅一条）',
    example: { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '20000.0000' },
  });

export const updatePlanSchema = z
  .strictObject(changeableShape)
  .partial()
  .meta({
    id: 'AnnualPlanUpdate',
    description: 'Year and list are the identity of a plan and cannot change; delete and re-create instead / 年度与名单不可修改',
    example: { plannedInvestment: '25000.0000' },
  });

export const projectPlansQuerySchema = z.strictObject({ ...pageQueryShape });

export const listPlansQuerySchema = z.strictObject({
  ...pageQueryShape,
  year: yearSchema.optional(),
  list: planListSchema.optional().describe('Only plans on this list / 仅该名单的计划'),
  stage: planStageSchema.optional().describe('Only plans at this stage / 仅该建设阶段的计划'),
});

export const planPageSchema = pageSchema(planSchema, 'AnnualPlanPage');

export type Plan = z.infer<typeof planSchema>;
export type CreatePlan = z.infer<typeof createPlanSchema>;
export type UpdatePlan = z.infer<typeof updatePlanSchema>;
export type ProjectPlansQuery = z.infer<typeof projectPlansQuerySchema>;
export type ListPlansQuery = z.infer<typeof listPlansQuerySchema>;
