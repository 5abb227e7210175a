import { z } from 'zod';
import { figureBasis, planList } from '../../domain/codes.js';
import { dateSchema, idSchema, INSTANT_MAX, moneySchema, timestampSchema, yearSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { breakdownSchema, summarySchema } from '../metrics/figures/figures.schemas.js';
import { batchesSchema, complianceSchema, financingSchema, issuesSchema } from '../metrics/operations/operations.schemas.js';
import { rollupSchema } from '../warnings/warnings.schemas.js';

const TITLE_MAX = 200;
const EXAMPLE_ID = '01860c6e-9d5e-7f60-8a12-3c4d5e6f7090';
const EXAMPLE_SHA = '3f5a0c1e9b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';
const example = (schema: z.ZodType) => z.globalRegistry.get(schema)?.example;
const NOTE_MAX = 2000;
const REASON_MAX = 1000;

const listSchema = z.enum(planList.values).describe('List / 名单');
const basisSchema = z.enum(figureBasis.values).describe('Which reports count: submitted | approved / 报送范围');

export const createPublicationSchema = z
  .strictObject({
    list: listSchema,
    year: yearSchema,
    asOf: dateSchema.optional().describe('As-of date; default the day of publication in China / 统计截止日，默认发布当日（北京时间）'),
    basis: basisSchema.default('submitted'),
    title: z.string().trim().min(1).max(TITLE_MAX).describe('Title of the publication / 标题'),
    note: z.string().trim().max(NOTE_MAX).nullable().optional().describe('Note / 说明'),
  })
  .meta({
    id: 'PublicationCreate',
    description: 'The question to publish and its title / 发布的统计口径与标题',
    example: { list: 'city_key', year: 2022, asOf: '2022-03-31', basis: 'submitted', title: '坦洲镇2022年市重点项目建设情况（截至3月份）', note: '供镇重点项目工作例会' },
  });

export const withdrawPublicationSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(REASON_MAX).describe('Why it is withdrawn / 撤回原因') })
  .meta({ id: 'PublicationWithdraw', example: { reason: '3月下半月报送有误，待更正后重新发布' } });

const periodProgressSchema = z.object({
  period: z.string().max(10).describe('Half-month period / 报送期'),
  asOf: dateSchema.describe('Its last day (or the publication asOf, whichever is earlier) / 期末日'),
  investmentCompleted: moneySchema.describe('Investment completed in the year up to that day, 万元 / 年内累计完成投资'),
  plannedInvestment: moneySchema.describe('Planned investment of the year, 万元 / 年度计划投资'),
  planCompletionRate: z.number().nullable().describe('Completed ÷ planned / 年度计划完成率'),
});

const listFiguresSchema = z.object({
  list: listSchema,
  projectCount: z.number().int().describe('Projects / 项目数'),
  estimatedInvestment: moneySchema.describe('Estimated total investment, 万元 / 估算总投资'),
  plannedInvestment: moneySchema.describe('Planned investment of the year, 万元 / 年度计划投资'),
  investmentCompleted: moneySchema.describe('Completed up to asOf, 万元 / 完成投资'),
  declaredEstimatedInvestment: z.string().max(32).nullable().describe('Declared estimated investment, if any / 估算总投资公布数'),
});

/** Every figure a publication freezes: each part is the answer of its /v1/metrics or /v1/warnings route, asked with the publication's knownAt. */
export const publicationFiguresSchema = z
  .object({
    summary: summarySchema.describe('GET /v1/metrics/summary / 指标汇总'),
    breakdowns: z
      .object({ stage: breakdownSchema, department: breakdownSchema, category: breakdownSchema })
      .describe('GET /v1/metrics/breakdown by stage, department, category / 按阶段、部门、类别'),
    compliance: complianceSchema.describe('GET /v1/metrics/reporting-compliance for the half-month period of asOf / 统计日所在报送期的报送情况'),
    issues: issuesSchema.describe('GET /v1/metrics/issues from 1 January to asOf / 年初至统计日问题办理'),
    financing: financingSchema.describe('GET /v1/metrics/financing / 专项债'),
    batches: batchesSchema.describe('GET /v1/metrics/batches / 集体开工批次'),
    warnings: rollupSchema.describe('GET /v1/warnings/rollup?by=department / 按部门红黄绿灯'),
    lists: z.array(listFiguresSchema).max(planList.values.length).describe('Every list of the year, from its summary / 各名单汇总'),
    progress: z
      .array(periodProgressSchema)
      .max(24)
      .describe('Summary figures at the end of each half-month period of the year up to asOf / 各报送期末累计完成投资'),
  })
  .meta({
    id: 'PublicationFigures',
    description: 'The frozen figures of a publication / 发布时冻结的全部指标',
    example: {
      summary: example(summarySchema),
      breakdowns: { stage: example(breakdownSchema), department: example(breakdownSchema), category: example(breakdownSchema) },
      compliance: example(complianceSchema),
      issues: example(issuesSchema),
      financing: example(financingSchema),
      batches: example(batchesSchema),
      warnings: example(rollupSchema),
      lists: [{ list: 'city_key', projectCount: 12, estimatedInvestment: '747100.0000', plannedInvestment: '116100.0000', investmentCompleted: '29000.0000', declaredEstimatedInvestment: '757000' }],
      progress: [{ period: '2022-03-H2', asOf: '2022-03-31', investmentCompleted: '29000.0000', plannedInvestment: '116100.0000', planCompletionRate: 0.2498 }],
    },
  });

const publicationMetaShape = {
  id: idSchema,
  title: z.string().max(TITLE_MAX).describe('Title / 标题'),
  note: z.string().max(NOTE_MAX).nullable().describe('Note / 说明'),
  list: listSchema,
  year: z.number().int().describe('Year / 年度'),
  asOf: dateSchema,
  basis: basisSchema,
  knownAt: z.string().max(INSTANT_MAX).describe('The instant the figures were computed as known at; ask any /v1/metrics route with it to get the same answer / 指标计算所依据的数据时点'),
  publishedAt: timestampSchema.describe('When published / 发布时间'),
  publishedBy: z
    .object({
      actor: z.string().max(64).describe('API key id / 发布密钥'),
      role: z.string().max(32).nullable().describe('Its role / 角色'),
      onBehalfOf: z.string().max(200).nullable().describe('X-Actor named / 经办人'),
    })
    .describe('Who published / 发布人'),
  sha256: z.string().length(64).describe('SHA-256 (hex) of the figures\' JSON text exactly as `figures` is sent / figures 原文的 SHA-256'),
  status: z.enum(['published', 'withdrawn']).describe('published | withdrawn / 状态'),
  withdrawal: z
    .object({
      at: timestampSchema.describe('When withdrawn / 撤回时间'),
      reason: z.string().max(REASON_MAX).describe('Why / 原因'),
      by: z.string().max(64).describe('API key id / 撤回密钥'),
    })
    .nullable()
    .describe('The withdrawal, or null / 撤回信息'),
  version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
};

const metaExample = {
  id: EXAMPLE_ID,
  title: '坦洲镇2022年市重点项目建设情况（截至3月份）',
  note: '供镇重点项目工作例会',
  list: 'city_key',
  year: 2022,
  asOf: '2022-03-31',
  basis: 'submitted',
  knownAt: '2022-04-01T01:30:00.000000Z',
  publishedAt: '2022-04-01T01:30:00.412000Z',
  publishedBy: { actor: '01860c6e-9d5e-7f60-8a12-3c4d5e6f7001', role: 'office', onBehalfOf: '重点项目办 张三' },
  sha256: EXAMPLE_SHA,
  status: 'published',
  withdrawal: null,
  version: 1,
};

export const publicationSummarySchema = z
  .object(publicationMetaShape)
  .meta({ id: 'PublicationSummary', description: 'A publication without its figures (lists) / 发布（不含指标）', example: metaExample });

export const publicationSchema = z
  .object({ ...publicationMetaShape, figures: publicationFiguresSchema })
  .meta({
    id: 'Publication',
    example: { ...metaExample, figures: example(publicationFiguresSchema) },
    description:
      'A publication: the frozen figures exactly as published (`figures`, whose JSON text hashes to `sha256`), never edited; a withdrawn one stays readable / 发布：冻结的指标原文（其 JSON 文本的 SHA-256 即 sha256），不可修改；撤回后仍可查看',
  });

export const listPublicationsQuerySchema = z.strictObject({
  ...pageQueryShape,
  list: listSchema.optional(),
  year: yearSchema.optional(),
  status: z.enum(['published', 'withdrawn']).optional().describe('Only published or only withdrawn / 按状态筛选'),
});

export const publicationPageSchema = pageSchema(publicationSummarySchema, 'PublicationPage');

export const briefingQuerySchema = z.strictObject({
  format: z.enum(['docx', 'pdf', 'md']).default('md').describe('docx (Word), pdf or md (Markdown) / 文档格式'),
});

const declaredPairSchema = z.object({
  declared: z.string().max(32).describe('Declared (published) value / 公布数'),
  derived: z.string().max(64).describe('Value derived from the records / 按记录计算值'),
});

const figureValueSchema = z.union([z.string().max(64), z.number(), z.null()]);

export const restatementSchema = z
  .object({
    publicationId: idSchema,
    sha256: z.string().length(64).describe('Hash of the publication compared / 所比较发布的哈希'),
    publishedKnownAt: z.string().max(INSTANT_MAX).describe('knownAt of the publication / 发布时数据时点'),
    knownAt: z.string().max(INSTANT_MAX).describe('knownAt of the recomputation (now) / 重算数据时点'),
    changed: z.boolean().describe('Whether any figure differs / 是否有指标变化'),
    differences: z
      .array(
        z.object({
          path: z.string().max(300).describe('Where the figure is in `figures`, e.g. summary.figures.investmentCompleted.value / 指标位置'),
          kind: z.enum(['derived', 'declared']).describe('derived from the records, or a declared (published) figure / 计算值或公布数'),
          published: figureValueSchema.describe('As published / 发布值'),
          current: figureValueSchema.describe('As recomputed now / 当前值'),
          difference: figureValueSchema.describe('current − published (null when either is missing) / 差额'),
          records: z
            .array(
              z.object({
                recordType: z.string().max(40).describe('Record type (as the audit trail names it) / 记录类型'),
                id: z.string().max(64).describe('Record id / 记录编号'),
                projectId: idSchema.nullable().describe('Its project / 所属项目'),
                changedAt: timestampSchema.describe('Its latest change since the publication / 发布后最近一次变更'),
                changes: z.number().int().describe('Versions begun or ended since the publication / 发布后的变更次数'),
              }),
            )
            .max(500)
            .describe('Records whose changes since the publication moved it (from the history tables) / 发布后变更并影响该指标的记录'),
        }),
      )
      .max(5000)
      .describe('Every figure that differs / 有变化的指标'),
    declarations: z
      .array(
        z.object({
          figure: z.string().max(64).describe('Figure key / 指标代码'),
          published: declaredPairSchema.nullable().describe('At publication / 发布时'),
          current: declaredPairSchema.nullable().describe('Now / 当前'),
        }),
      )
      .max(64)
      .describe('Declared figures beside the derived ones, then and now / 公布数与计算值对照（发布时与当前）'),
  })
  .meta({
    id: 'PublicationRestatement',
    description: 'What has changed in a publication\'s figures since it was published / 发布后指标变化（重述）',
    example: {
      publicationId: EXAMPLE_ID,
      sha256: EXAMPLE_SHA,
      publishedKnownAt: '2022-04-01T01:30:00.000000Z',
      knownAt: '2022-04-12T08:00:00.000000Z',
      changed: true,
      differences: [
        {
          path: 'summary.figures.investmentCompleted.value',
          kind: 'derived',
          published: '29000.0000',
          current: '28900.0000',
          difference: '-100.0000',
          records: [{ recordType: 'progress_report', id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e70', projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61', changedAt: '2022-04-12T02:10:00.000000Z', changes: 2 }],
        },
      ],
      declarations: [{ figure: 'estimated_investment', published: { declared: '757000', derived: '747100.0000' }, current: { declared: '757000', derived: '747100.0000' } }],
    },
  });

export type CreatePublication = z.output<typeof createPublicationSchema>;
export type ListPublicationsQuery = z.output<typeof listPublicationsQuerySchema>;
export type PublicationFigures = z.input<typeof publicationFiguresSchema>;
export type Restatement = z.input<typeof restatementSchema>;

/** The stored fields a version of a publication shows in its history (the figures' text is left out: it never changes, see sha256). */
export const publicationRecordSchema = z
  .object({
    id: idSchema,
    list: listSchema,
    year: z.number().int().describe('Year / 年度'),
    asOf: dateSchema,
    basis: basisSchema,
    knownAt: z.string().max(INSTANT_MAX).describe('knownAt of the figures / 数据时点'),
    title: z.string().max(TITLE_MAX).describe('Title / 标题'),
    note: z.string().max(NOTE_MAX).nullable().describe('Note / 说明'),
    publishedBy: z.string().max(64).describe('API key id that published / 发布密钥'),
    sha256: z.string().length(64).describe('SHA-256 of the figures / 指标哈希'),
    withdrawnAt: timestampSchema.nullable().describe('When withdrawn / 撤回时间'),
    withdrawnReason: z.string().max(REASON_MAX).nullable().describe('Why withdrawn / 撤回原因'),
    withdrawnBy: z.string().max(64).nullable().describe('API key id that withdrew / 撤回密钥'),
    version: z.number().int().min(1).max(2147483647).describe('Version / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'PublicationStored',
    description: 'A publication as stored, without its figures / 发布的存储字段（不含指标原文）',
    example: {
      id: EXAMPLE_ID,
      list: 'city_key',
      year: 2022,
      asOf: '2022-03-31',
      basis: 'submitted',
      knownAt: '2022-04-01T01:30:00.000000Z',
      title: '坦洲镇2022年市重点项目建设情况（截至3月份）',
      note: null,
      publishedBy: '01860c6e-9d5e-7f60-8a12-3c4d5e6f7001',
      sha256: EXAMPLE_SHA,
      withdrawnAt: null,
      withdrawnReason: null,
      withdrawnBy: null,
      version: 1,
      createdAt: '2022-04-01T01:30:00.412000Z',
      updatedAt: '2022-04-01T01:30:00.412000Z',
    },
  });
