import { z } from 'zod';
import { dateSchema, idSchema, timestampSchema, yearSchema } from '../../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../../lib/pagination.js';
import { DECLARED_SOURCE_MAX, DECLARED_VALUE_MAX, figureKeySchema, metricsListSchema } from '../metrics.schemas.js';

/** Notes, as the input takes them. */
const NOTES_MAX = 2000;

const declaredValue = z
  .string()
  .max(DECLARED_VALUE_MAX)
  .regex(/^\d{1,14}(\.\d{1,6})?$/, 'a non-negative decimal string with at most 6 fraction digits, e.g. "757000" or "0.25"');

export const declaredFigureSchema = z
  .object({
    id: idSchema,
    list: metricsListSchema,
    year: z.number().int().describe('Year / 年度'),
    figure: figureKeySchema,
    value: z.string().max(DECLARED_VALUE_MAX).describe('Declared value: 万元 for money, a count, or a rate (0.25 = 25%) / 公布数'),
    source: z.string().max(DECLARED_SOURCE_MAX).describe('Where it was published / 公布来源'),
    asOf: dateSchema.describe('The as-of date the figure was published for ("截至3月份": 2022-03-31); the summary for that asOf shows it beside the derived figure / 公布数的截止日（汇总按同一截止日对照）'),
    notes: z.string().max(NOTES_MAX).nullable().describe('Notes / 备注'),
    version: z.number().int().describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'DeclaredFigure',
    description:
      'A figure as published (公布数), shown beside the derived one; never used as a total / 已公布的数字，仅用于与计算值对照',
    example: {
      id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      list: 'city_key',
      year: 2022,
      figure: 'estimated_investment',
      value: '757000.000000',
      source: '坦洲镇重点项目建设报道（2022年）',
      asOf: '2022-03-31',
      notes: '报道总数与分项之和（74.71亿）不一致',
      version: 1,
      createdAt: '2022-04-02T08:30:00.000Z',
      updatedAt: '2022-04-02T08:30:00.000Z',
    },
  });

export const createDeclaredFigureSchema = z
  .strictObject({
    list: metricsListSchema,
    year: z.number().int().min(2000).max(2100).describe('Year / 年度'),
    figure: figureKeySchema,
    value: declaredValue.describe('Declared value: 万元 for money, a count, or a rate (0.25 = 25%) / 公布数'),
    source: z.string().trim().min(1).max(DECLARED_SOURCE_MAX).describe('Where it was published / 公布来源'),
    asOf: dateSchema.describe('The as-of date the figure was published for ("截至3月份": 2022-03-31): the summary for that asOf shows it beside the derived figure, and no other. One declaration per list, year, figure and as-of date / 公布数的截止日：仅与同一截止日的汇总对照；每个名单、年度、指标、截止日一条'),
    notes: z.string().trim().max(NOTES_MAX).nullable().optional().describe('Notes / 备注'),
  })
  .meta({
    id: 'DeclaredFigureCreate',
    example: { list: 'city_key', year: 2022, figure: 'estimated_investment', value: '757000', source: '坦洲镇重点项目建设报道（2022年）', asOf: '2022-03-31' },
  });

export const listDeclaredFiguresQuerySchema = z.strictObject({
  ...pageQueryShape,
  list: metricsListSchema.optional(),
  year: yearSchema.optional(),
  asOf: dateSchema.optional().describe('Only those published for this as-of date / 仅该截止日的公布数'),
});

export const declaredFigurePageSchema = pageSchema(declaredFigureSchema, 'DeclaredFigurePage');

export type CreateDeclaredFigure = z.infer<typeof createDeclaredFigureSchema>;
export type ListDeclaredFiguresQuery = z.infer<typeof listDeclaredFiguresQuerySchema>;
