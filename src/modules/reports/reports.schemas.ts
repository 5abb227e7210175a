import { z } from 'zod';
import { codeEnum, dateSchema, decimalInteger, idSchema, moneySchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { reportReviewStatus } from '../../domain/codes.js';
import { PERIOD_PATTERN, parsePeriod } from '../../domain/periods.js';

/** The revision list shows at most this many, the latest (the repository stops there). */
export const REVISIONS_LISTED_MAX = 1000;

export const reviewStatusSchema = codeEnum(reportReviewStatus, 'ReportReviewStatus', 'Where the office’s review of the report stands (填报 → 审核 → 退回) / 报送审核状态');

export const periodSchema = z
  .string()
  .max(10)
  .regex(PERIOD_PATTERN, "must be a half-month period 'YYYY-MM-H1' (1st–15th) or 'YYYY-MM-H2' (16th–month end)")
  .refine((code) => {
    const year = parsePeriod(code)?.year ?? 0;
    return year >= 2000 && year <= 2100;
  }, 'year must be between 2000 and 2100')
  .meta({
    id: 'PeriodCode',
    description:
      "Half-month reporting period: 'YYYY-MM-H1' is the 1st–15th, 'YYYY-MM-H2' the 16th to the end of the month / 半月报送期：H1 为1–15日，H2 为16日至月末",
    example: '2022-03-H2',
  });

/**
 * Physical progress travels as a decimal string, like money: it is stored as numeric(5,2) and must
 * come back exactly as sent, which a JSON number does not promise.
 */
export const physicalProgressSchema = z
  .string()
  .max(6)
  .regex(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, 'must be a decimal string from "0" to "100" with at most 2 fraction digits')
  .meta({
    id: 'PhysicalProgress',
    description: 'Physical (形象) progress in percent, 0–100, decimal string with at most 2 fraction digits / 形象进度（%），0–100，最多2位小数的十进制字符串',
    example: '45.50',
  });

const figuresShape = {
  investmentCompleted: moneySchema.describe('Investment completed in this period, 万元 / 本期完成投资（万元）'),
  physicalProgress: physicalProgressSchema.describe('Physical progress of the whole project at period end, % / 期末形象进度（%）'),
  workOngoing: z.boolean().describe('Work going on (in construction or resumed) / 是否在建（已复工）'),
  narrative: nullableText(2000).optional().describe('Short account of the period / 进展情况说明'),
};

export const createReportSchema = z
  .strictObject({
    projectId: idSchema.describe('The project reported on / 报送的项目'),
    period: periodSchema.describe('Half-month period / 报送期'),
    ...figuresShape,
    submittedAt: z.iso
      .datetime({ offset: true })
      .max(64)
      .optional()
      .describe('When the report reached the office; only for imports of historical reports, default now / 报送时间（仅导入历史数据时填写，默认当前时间）'),
  })
  .meta({
    id: 'ProgressReportCreate',
    description: 'A half-month progress report of one project / 项目半月进度报送',
    example: {
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      period: '2022-03-H2',
      investmentCompleted: '2150.5000',
      physicalProgress: '45.50',
      workOngoing: true,
      narrative: '主体结构施工中',
    },
  });

export const reviseReportSchema = z
  .strictObject({
    ...figuresShape,
    correctionReason: z.string().trim().min(1).max(1000).describe('Why the figures are corrected / 更正原因'),
  })
  .meta({
    id: 'ProgressReportRevisionCreate',
    description: 'Corrected figures for a report; they become its current revision / 更正后的报送数据（成为当前版本）',
    example: {
      investmentCompleted: '2250.5000',
      physicalProgress: '46.00',
      workOngoing: true,
      narrative: '主体结构施工中',
      correctionReason: '漏报3月下旬设备款100万元',
    },
  });

/**
 * A derived sum may outgrow one amount's 14 integer digits, so it is not held to moneySchema's pattern. It sums one
 * project's reports: at most 24 periods a year for 2000–2100 (2424), each under 10^14, so under 10^18: 18 integer
 * digits, a point and 4 fraction digits.
 */
const moneyTotalSchema = z.string().max(23).regex(/^\d+(\.\d{1,4})?$/);

const figuresOut = {
  investmentCompleted: moneySchema.describe('Investment completed in this period, 万元 / 本期完成投资（万元）'),
  physicalProgress: z.string().max(6).nullable().describe('Physical progress, % / 形象进度（%）'),
  workOngoing: z.boolean().describe('Work going on / 是否在建（已复工）'),
  narrative: z.string().max(2000).nullable().describe('Short account of the period / 进展情况说明'),
  correctionReason: z.string().max(1000).nullable().describe('Why this revision corrected the previous one; null on revision 1 / 更正原因（首次报送为 null）'),
};

export const revisionSchema = z
  .object({
    reportId: idSchema,
    revision: z.number().int().describe('Revision number, 1 for the first submission / 版本号（首次报送为1）'),
    ...figuresOut,
    actor: z.string().max(100).describe('Who recorded it: the id of the API key (records made before API keys existed keep the name given then) / 录入密钥编号（启用密钥前的记录保留当时的录入人名称）'),
    recordedAt: timestampSchema.describe('When it was recorded / 录入时间'),
    current: z.boolean().describe('Whether this is the revision in force / 是否为现行版本'),
  })
  .meta({
    id: 'ProgressReportRevision',
    description: 'One revision of a report; earlier revisions stay readable / 报送的一个版本（历史版本保留可查）',
    example: {
      reportId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      revision: 1,
      investmentCompleted: '2150.5000',
      physicalProgress: '45.50',
      workOngoing: true,
      narrative: '主体结构施工中',
      correctionReason: null,
      actor: '01860c6e-2222-7d4e-8f90-1a2b3c4d5e6f',
      recordedAt: '2022-04-02T08:30:00.000Z',
      current: true,
    },
  });

const reportExample = {
      id: '01860c6e-7b3c-7d4e-8f9a-1b2c3d4e5f60',
      projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      period: '2022-03-H2',
      periodStart: '2022-03-16',
      periodEnd: '2022-03-31',
      dueDate: '2022-04-03',
      departmentId: '01860c6e-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      submittedAt: '2022-04-02T08:30:00.000Z',
      late: false,
      currentRevision: 1,
      reviewStatus: 'approved',
      reviewedAt: '2022-04-03T02:00:00.000Z',
      reviewedBy: '01860c6e-1111-7d4e-8f90-1a2b3c4d5e6f',
      returnReason: null,
      resubmittedAt: null,
      investmentCompleted: '2150.5000',
      physicalProgress: '45.50',
      workOngoing: true,
      narrative: '主体结构施工中',
      correctionReason: null,
      revisedAt: '2022-04-02T08:30:00.000Z',
      yearToDateInvestment: '6420.5000',
      cumulativeInvestment: '18420.5000',
      version: 1,
      createdAt: '2022-04-02T08:30:00.000Z',
      updatedAt: '2022-04-02T08:30:00.000Z',
    };

export const reportSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('Project / 项目'),
    period: periodSchema,
    periodStart: dateSchema.describe('First day of the period / 报送期首日'),
    periodEnd: dateSchema.describe('Last day of the period / 报送期末日'),
    dueDate: dateSchema.describe('Due day: period end + REPORT_DUE_DAYS; the deadline is its end in China Standard Time / 截止日（期末后N天，北京时间当日结束）'),
    departmentId: idSchema.describe("The project's responsible department when the report was submitted / 报送时的责任部门"),
    submittedAt: timestampSchema.describe('When the first revision reached the office / 首次报送时间'),
    late: z.boolean().describe('Submitted after the end of the due day (UTC+8); never changed by corrections / 是否逾期（更正不改变）'),
    currentRevision: z.number().int().describe('Revision in force / 现行版本号'),
    reviewStatus: reviewStatusSchema,
    reviewedAt: timestampSchema.nullable().describe('When the office last decided on it / 最近审核时间'),
    reviewedBy: z.string().max(100).nullable().describe('The API key of the last review decision / 最近审核所用密钥'),
    returnReason: z.string().max(1000).nullable().describe('Why the office last returned it (kept after the correction) / 最近一次退回原因'),
    resubmittedAt: timestampSchema.nullable().describe('When a returned report was corrected and so submitted again / 退回后重新报送时间'),
    ...figuresOut,
    revisedAt: timestampSchema.describe('When the current revision was recorded / 现行版本录入时间'),
    yearToDateInvestment: moneyTotalSchema.describe(
      "Sum of this project's investment completed in the calendar year up to this period, 万元 (derived) / 本年累计完成投资（万元，计算得出）",
    ),
    cumulativeInvestment: moneyTotalSchema.describe(
      "Sum of this project's investment completed in all periods up to this one, 万元 (derived) / 开工累计完成投资（万元，计算得出）",
    ),
    version: z.number().int().describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'ProgressReport',
    description: 'A half-month progress report with its current figures and derived totals / 半月进度报送（现行数据及累计数）',
    example: reportExample,
  });

export const listReportsQuerySchema = z.strictObject({
  ...pageQueryShape,
  projectId: idSchema.optional().describe('Only this project / 仅此项目'),
  departmentId: idSchema.optional().describe('Only reports submitted under this department / 仅此责任部门'),
  periodFrom: periodSchema.optional().describe('First period, inclusive / 起始报送期（含）'),
  periodTo: periodSchema.optional().describe('Last period, inclusive / 截止报送期（含）'),
  late: z.enum(['true', 'false']).optional().describe('Only late (true) or on-time (false) reports / 仅逾期或按时报送'),
  reviewStatus: reviewStatusSchema
    .optional()
    .describe('Only reports in this review state; with it the list is the review queue, oldest submission first / 仅该审核状态；带此参数时按报送时间由早到晚（审核队列）'),
});

/** The office's decision on a report: approve it, or return it with a reason to be corrected. */
const decisionShape = {
  decision: z.enum(['approve', 'return']).describe('approve (审核通过) or return (退回修改) / 审核结论'),
  reason: z.string().trim().min(1).max(1000).optional().describe('Why it is returned: required to return, not taken to approve / 退回原因（退回时必填）'),
};

export const reviewDecisionSchema = z
  .strictObject(decisionShape)
  .meta({
    id: 'ProgressReportReview',
    description:
      'A review decision (审核): approve a submitted report, or return a submitted or approved one with a reason; a returned report is corrected by a new revision, which submits it again / 审核：通过，或附原因退回；退回的报送经更正（新版本）后重新报送',
    example: { decision: 'return', reason: '3月下旬完成投资与监理月报不符，请核实' },
  });

export const bulkReviewSchema = z
  .strictObject({
    decisions: z
      .array(
        z.strictObject({
          reportId: idSchema.describe('The report / 进度报送'),
          ifMatch: z.string().max(200).describe('The ETag of the report as the office read it / 审核时读取到的 ETag'),
          ...decisionShape,
        }),
      )
      .min(1)
      .max(200)
      .describe('At most 200 decisions, all made or none / 最多200条，全部成功或全部不生效'),
  })
  .meta({
    id: 'ProgressReportBulkReview',
    description: 'Many review decisions at once, all or nothing: one stale ETag or refused decision and none is made / 批量审核：全部成功或全部不生效',
    example: { decisions: [{ reportId: '01860c6e-7b3c-7d4e-8f9a-1b2c3d4e5f60', ifMatch: '"v1"', decision: 'approve' }] },
  });

export const bulkReviewResultSchema = z
  .object({ items: z.array(reportSchema).max(200).describe('The reports as they now are, in the order asked / 审核后的报送（按请求顺序）') })
  .meta({ id: 'ProgressReportBulkReviewResult', description: 'The reports after the decisions / 批量审核结果', example: { items: [reportExample] } });

export const revisionParamsSchema = z.strictObject({
  id: idSchema.describe('The progress report / 进度报送编号'),
  revision: decimalInteger(1, 1_000_000).describe('Revision number / 版本号'),
});

export const reportPageSchema = pageSchema(reportSchema, 'ProgressReportPage');

export const revisionListSchema = z
  .object({
    items: z
      .array(revisionSchema)
      .max(REVISIONS_LISTED_MAX)
      .describe(
        `Every revision, oldest first; a report corrected more than ${REVISIONS_LISTED_MAX - 1} times lists its latest ${REVISIONS_LISTED_MAX} (each stays readable by number) / 全部版本（由旧到新；超过 ${REVISIONS_LISTED_MAX} 个版本时列出最近 ${REVISIONS_LISTED_MAX} 个）`,
      ),
  })
  .meta({
    id: 'ProgressReportRevisionList',
    description: 'Every revision of one report, the current one last / 一份报送的全部版本（现行版本在最后）',
    example: {
      items: [
        {
          reportId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
          revision: 1,
          investmentCompleted: '2150.5000',
          physicalProgress: '45.50',
          workOngoing: true,
          narrative: '主体结构施工中',
          correctionReason: null,
          actor: '01860c6e-2222-7d4e-8f90-1a2b3c4d5e6f',
          recordedAt: '2022-04-02T08:30:00.000Z',
          current: false,
        },
        {
          reportId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
          revision: 2,
          investmentCompleted: '2250.5000',
          physicalProgress: '46.00',
          workOngoing: true,
          narrative: '主体结构施工中',
          correctionReason: '漏报3月下旬设备款100万元',
          actor: '01860c6e-2222-7d4e-8f90-1a2b3c4d5e6f',
          recordedAt: '2022-04-06T02:15:00.000Z',
          current: true,
        },
      ],
    },
  });

export type ProgressReport = z.infer<typeof reportSchema>;
export type Revision = z.infer<typeof revisionSchema>;
export type CreateReport = z.infer<typeof createReportSchema>;
export type ReviseReport = z.infer<typeof reviseReportSchema>;
export type ListReportsQuery = z.infer<typeof listReportsQuerySchema>;

export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;
export type BulkReview = z.infer<typeof bulkReviewSchema>;
