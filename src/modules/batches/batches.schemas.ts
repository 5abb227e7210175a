import { z } from 'zod';
import { batchStatus } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, moneySchema, nullableText, timestampSchema, yearSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const batchStatusSchema = codeEnum(batchStatus, 'BatchStatus', 'State of a groundbreaking batch / 集体开工批次状态');

/** A batch's detail lists at most this many of its plans (the repository stops there). */
export const BATCH_PLANS_MAX = 1000;

const batchShape = {
  id: idSchema,
  name: z.string().max(200).describe('Name of the batch / 批次名称'),
  ceremonyDate: dateSchema.describe('Date of the ceremony / 开工仪式日期'),
  status: batchStatusSchema,
  location: z.string().max(200).nullable().describe('Where the ceremony is held / 举行地点'),
  notes: z.string().max(2000).nullable().describe('Notes / 备注'),
  version: z.number().int().describe('Version behind the ETag / 版本号'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
};

const batchExample = {
  id: '01860c6e-9d5e-7f60-8a12-3b4c5d6e7f80',
  name: '2022年第一季度重点项目集体开工',
  ceremonyDate: '2022-02-16',
  status: 'held',
  location: '坦洲园',
  notes: '一季度集中开工3个项目，总投资7.8亿元',
  version: 2,
  createdAt: '2022-01-20T02:00:00.000Z',
  updatedAt: '2022-02-16T06:00:00.000Z',
};

export const batchSchema = z.object(batchShape).meta({
  id: 'GroundbreakingBatch',
  description: 'A groundbreaking ceremony (集体开工) at which several projects start together / 集体开工批次',
  example: batchExample,
});

export const batchProjectSchema = z
  .object({
    planId: idSchema.describe('The annual plan that puts the project in this batch / 关联的年度计划'),
    year: z.number().int().describe('Year of that plan / 计划年度'),
    list: z.string().max(64).describe('List of that plan (see GET /v1/enums planList) / 计划名单'),
    projectId: idSchema.describe('Project / 项目'),
    code: z.string().max(64).describe('Project code / 项目编号'),
    name: z.string().max(300).describe('Project name / 项目名称'),
    estimatedInvestment: moneySchema.describe('Estimated total investment of the project, 万元 / 估算总投资（万元）'),
  })
  .meta({
    id: 'GroundbreakingBatchProject',
    description: 'A project that starts in the batch, through one of its annual plans / 批次中的项目（经由年度计划关联）',
  });

export const batchDetailSchema = z
  .object({
    ...batchShape,
    projects: z
      .array(batchProjectSchema)
      .max(BATCH_PLANS_MAX)
      .describe(
        `One entry per plan in the batch, by project code: the first ${BATCH_PLANS_MAX} (projectCount and the total count every project) / 批次内的项目（按年度计划，按项目编号排序，最多前 ${BATCH_PLANS_MAX} 条；项目数和总投资按全部项目计算）`,
      ),
    projectCount: z.number().int().describe('Distinct projects in the batch / 批次内项目数（去重）'),
    totalEstimatedInvestment: moneySchema.describe(
      'Sum of the distinct projects\' estimated total investment, computed exactly in SQL, 万元 / 批次内项目估算总投资合计（万元，数据库精确求和，项目去重）',
    ),
  })
  .meta({
    id: 'GroundbreakingBatchDetail',
    description: 'A groundbreaking batch with its projects and their total investment / 集体开工批次及其项目、总投资',
    example: {
      ...batchExample,
      projects: [
        {
          planId: '01860c6e-ae6f-7071-8b23-4c5d6e7f8091',
          year: 2022,
          list: 'city_key',
          projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
          code: 'TZ-2022-001',
          name: '坦洲园高端显示产业项目',
          estimatedInvestment: '48000.0000',
        },
      ],
      projectCount: 3,
      totalEstimatedInvestment: '78000.0000',
    },
  });

const changeShape = {
  name: z.string().trim().min(1).max(200).describe('Name of the batch / 批次名称'),
  ceremonyDate: dateSchema.describe('Date of the ceremony / 开工仪式日期'),
  status: batchStatusSchema.optional().describe('State; planned when omitted / 状态（缺省为筹备中）'),
  location: nullableText(200).optional().describe('Where the ceremony is held / 举行地点'),
  notes: nullableText(2000).optional().describe('Notes / 备注'),
};

export const createBatchSchema = z.strictObject(changeShape).meta({
  id: 'GroundbreakingBatchCreate',
  description: 'A new groundbreaking batch; projects join it through their annual plan\'s batchId / 新建集体开工批次；项目经年度计划的 batchId 加入',
  example: { name: '2022年第一季度重点项目集体开工', ceremonyDate: '2022-02-16', status: 'planned', location: '坦洲园' },
});

export const updateBatchSchema = z
  .strictObject(changeShape)
  .partial()
  .meta({ id: 'GroundbreakingBatchUpdate', example: { status: 'held' } });

export const listBatchesQuerySchema = z.strictObject({
  ...pageQueryShape,
  year: yearSchema.optional().describe('Year of the ceremony / 开工仪式年度'),
  status: batchStatusSchema.optional().describe('Only this state / 仅此状态'),
});

export const batchPageSchema = pageSchema(batchSchema, 'GroundbreakingBatchPage');

export type CreateBatch = z.infer<typeof createBatchSchema>;
export type UpdateBatch = z.infer<typeof updateBatchSchema>;
export type ListBatchesQuery = z.infer<typeof listBatchesQuerySchema>;
