import { z } from 'zod';
import { bondOutcome } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, moneySchema, nullableText, timestampSchema, yearSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const bondOutcomeSchema = codeEnum(bondOutcome, 'BondOutcome', 'Outcome of a special-bond application / 专项债申报结果');

export const specialBondSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('The project applying / 申报项目'),
    bondBatch: z.string().max(100).nullable().describe('Bond issue the application belongs to, e.g. 2022年第一批 / 专项债批次'),
    appliedOn: dateSchema.describe('Date of the application / 申报日期'),
    amountRequested: moneySchema.describe('Amount asked for, 万元 / 申报金额（万元）'),
    outcome: bondOutcomeSchema,
    amountGranted: moneySchema.nullable().describe('Amount granted, 万元; only when granted / 获批金额（万元，仅获批时）'),
    decidedOn: dateSchema.nullable().describe('Date of the decision / 批复日期'),
    notes: z.string().max(2000).nullable().describe('Notes / 备注'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'SpecialBond',
    description: 'A special-bond application (专项债) of a project and its outcome / 项目专项债申报及结果',
    example: {
      id: '01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f',
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      bondBatch: '2022年第一批',
      appliedOn: '2021-11-15',
      amountRequested: '12000.0000',
      outcome: 'granted',
      amountGranted: '10000.0000',
      decidedOn: '2022-03-10',
      notes: '一季度获批专项债项目',
      version: 2,
      createdAt: '2021-11-15T02:00:00.000Z',
      updatedAt: '2022-03-10T08:00:00.000Z',
    },
  });

const changeShape = {
  bondBatch: nullableText(100).optional().describe('Bond issue, e.g. 2022年第一批 / 专项债批次'),
  appliedOn: dateSchema.describe('Date of the application / 申报日期'),
  amountRequested: moneySchema.describe('Amount asked for, 万元 / 申报金额（万元）'),
  outcome: bondOutcomeSchema.optional().describe('Outcome; pending when omitted / 申报结果（缺省为审核中）'),
  amountGranted: moneySchema
    .nullable()
    .optional()
    .describe('Amount granted, 万元: required when granted, at most amountRequested, null otherwise / 获批金额（获批时必填，不超过申报金额）'),
  decidedOn: dateSchema.nullable().optional().describe('Date of the decision: required when granted, none while pending / 批复日期（获批时必填）'),
  notes: nullableText(2000).optional().describe('Notes / 备注'),
};

export const createSpecialBondSchema = z
  .strictObject({
    projectId: idSchema.describe('The project applying; must exist (else 422) / 申报项目（须已存在）'),
    ...changeShape,
  })
  .meta({
    id: 'SpecialBondCreate',
    description: 'A new special-bond application / 新的专项债申报',
    example: {
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      bondBatch: '2022年第一批',
      appliedOn: '2021-11-15',
      amountRequested: '12000.0000',
    },
  });

export const updateSpecialBondSchema = z
  .strictObject(changeShape)
  .partial()
  .meta({
    id: 'SpecialBondUpdate',
    description:
      'Fields to change; the project cannot change (delete and record again). The merged record must obey the outcome rules. / 要修改的字段；项目不可改，修改后的记录须符合结果规则',
    example: { outcome: 'granted', amountGranted: '10000.0000', decidedOn: '2022-03-10' },
  });

export const listSpecialBondsQuerySchema = z
  .strictObject({
    ...pageQueryShape,
    projectId: idSchema.optional().describe('Only this project / 仅此项目'),
    outcome: bondOutcomeSchema.optional().describe('Only this outcome / 仅此结果'),
    year: yearSchema.optional().describe('Year of appliedOn / 申报年度'),
    decidedFrom: dateSchema.optional().describe('Decided on or after this date / 批复日期不早于'),
    decidedTo: dateSchema.optional().describe('Decided on or before this date / 批复日期不晚于'),
  })
  .refine((q) => !q.decidedFrom || !q.decidedTo || q.decidedFrom <= q.decidedTo, {
    message: 'decidedFrom must not be after decidedTo',
    path: ['decidedTo'],
  });

export const specialBondPageSchema = pageSchema(specialBondSchema, 'SpecialBondPage');

export type SpecialBond = z.infer<typeof specialBondSchema>;
export type CreateSpecialBond = z.infer<typeof createSpecialBondSchema>;
export type UpdateSpecialBond = z.infer<typeof updateSpecialBondSchema>;
export type ListSpecialBondsQuery = z.infer<typeof listSpecialBondsQuerySchema>;
