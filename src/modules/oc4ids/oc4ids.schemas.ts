import { z } from 'zod';
import { planList } from '../../domain/codes.js';
import { knownAtSchema, yearSchema } from '../../lib/schemas.js';
import { planListSchema } from '../projects/projects.schemas.js';
import { oc4idsStatusLabels, oc4idsTypeLabels } from './oc4ids.codelists.js';
import { oc4idsProjectExample } from './oc4ids.example.js';

/**
 * What the OC4IDS export returns, documented without copying the whole OC4IDS schema: the fields we
 * fill, loosely typed. Conformance is checked by tests/oc4ids against the official JSON Schema.
 */
const text = (max: number, d: string) => z.string().max(max).describe(d);

/*
 * Lengths: OC4IDS sets none, so these only state what we send. Free text is our own column at the
 * length it is validated at (project name 300, description 5000, owner unit and location 300, industry
 * 100, department name 200, code 32, contact 100/50, bond batch 100); ids are UUIDs behind a short
 * prefix; dates are YYYY-MM-DDTHH:MM:SS+08:00 (25); the rest is built from constants and code-list
 * labels (CodeLabel: zh ≤100, en ≤200). Arrays hold one entry per fixed thing, per annual plan (unique
 * per project, year 2000–2100 and list) or per report (unique per project and period, 24 a year).
 */
const DATE_TIME = 25;
const PLANS_PER_PROJECT = 101 * planList.values.length;
const REPORTS_PER_PROJECT = 24 * 101;

function labelledEnum<T extends Record<string, { zh: string; en: string }>>(labels: T, id: string, description: string) {
  const values = Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
  const lines = Object.entries(labels).map(([code, l]) => `- \`${code}\`: ${l.zh} / ${l.en}`);
  return z.enum(values).meta({ id, description: `${description}\n\n${lines.join('\n')}`, 'x-enum-labels': labels });
}

const valueSchema = z
  .object({
    amount: z.number().describe('Amount in yuan, exact (converted from 万元 by digits) / 金额（元，由万元按位换算，精确）'),
    currency: z.literal('CNY').describe('Currency, always CNY / 币种（人民币）'),
  })
  .meta({ id: 'Oc4idsValue', description: 'OC4IDS Value: an amount in yuan / OC4IDS 金额（元）' });

const periodSchema = z
  .object({
    startDate: text(DATE_TIME, 'Start, China Standard Time / 开始时间（北京时间）').optional(),
    endDate: text(DATE_TIME, 'End, China Standard Time / 结束时间（北京时间）').optional(),
  })
  .meta({ id: 'Oc4idsPeriod', description: 'OC4IDS Period (date-times at +08:00) / OC4IDS 期间' });

const identifierSchema = z.object({
  id: text(64, 'Identifier / 标识'),
  scheme: text(32, 'Scheme: kpo-project-code (our project code) or kpo-project-id (our record id) / 标识体系：项目编号或记录编号'),
});

const classificationSchema = z.object({
  scheme: text(32, 'kpo-project-status, kpo-project-category or kpo-industry: our own codes, kept beside the OC4IDS mapping / 本系统代码体系'),
  id: text(100, 'Our code / 本系统代码'),
  description: text(400, 'Chinese / English label / 中英文名称'),
});

const organizationSchema = z
  .object({
    id: text(320, 'Party id within the project: department-<id> or owner-unit-<name> / 参与方编号'),
    name: text(300, 'Name / 名称'),
    identifier: z
      .object({ scheme: text(32, 'kpo-department-code / 部门代码体系'), id: text(32, 'Department code / 部门代码'), legalName: text(200, 'Full name / 全称') })
      .optional()
      .describe('Primary identifier (departments) / 主标识（部门）'),
    contactPoint: z
      .object({ name: text(100, 'Contact person / 联系人').optional(), telephone: text(50, 'Telephone / 电话').optional() })
      .optional()
      .describe('Contact point / 联系方式'),
    roles: z.array(z.string().max(32)).max(2).describe('OC4IDS partyRole codes: publicAuthority (responsible department), buyer and procuringEntity (owner unit) / 参与方角色'),
  })
  .meta({ id: 'Oc4idsOrganization', description: 'OC4IDS Organization / OC4IDS 参与方' });

const financeSchema = z
  .object({
    id: text(36, 'Special-bond application id / 专项债申报编号'),
    title: text(200, 'Title / 名称'),
    description: text(300, 'Outcome and dates / 审批结果与日期'),
    value: valueSchema.describe('Amount granted, or requested while pending / 获批金额（审核中为申请金额）'),
    type: z.literal('bond').describe('financingArrangementType: bond / 融资方式：债券'),
    assetClass: z.array(z.literal('debt')).max(1).describe('assetClass: debt / 资产类别：债务'),
    source: text(100, 'Source of funds / 资金来源'),
  })
  .meta({ id: 'Oc4idsFinance', description: 'A special bond (专项债) as an OC4IDS financing arrangement / 专项债（OC4IDS 融资安排）' });

const budgetBreakdownSchema = z
  .object({
    id: text(36, 'Annual plan id / 年度计划编号'),
    description: text(700, 'Year, list and stage / 年度、名单与阶段'),
    amount: valueSchema.describe('Planned investment for the year, yuan / 年度计划投资（元）'),
    period: periodSchema.describe('The calendar year / 计划年度'),
  })
  .meta({ id: 'Oc4idsBudgetBreakdown', description: 'An annual plan as an OC4IDS budget breakdown / 年度计划（OC4IDS 预算分项）' });

const observationSchema = z
  .object({
    id: text(64, '<metric>-<report period>, e.g. financialProgress-2022-03-H2 / 观测编号'),
    period: periodSchema.describe('The half-month report period / 半月报送期'),
    value: valueSchema.optional().describe('Financial progress: investment completed to the period end / 累计完成投资（元）'),
    measure: z.number().optional().describe('Percent: physical progress, or spend as a share of estimated investment / 百分比'),
    unit: z
      .object({ name: text(16, 'percent / 百分比'), scheme: text(16, 'UNCEFACT / 单位体系'), id: text(16, 'P1 (percent) / 单位代码') })
      .optional()
      .describe('Unit of the measure / 计量单位'),
    notes: text(200, 'Notes / 备注').optional(),
  })
  .meta({ id: 'Oc4idsObservation', description: 'One observation per progress-report period / 每个报送期一条观测' });

const metricSchema = z
  .object({
    id: text(32, 'metricID: physicalProgress or financialProgress / 指标代码'),
    title: text(100, 'Title / 名称'),
    description: text(500, 'What is measured / 指标说明'),
    observations: z.array(observationSchema).max(REPORTS_PER_PROJECT).describe('One per report period / 每个报送期一条'),
  })
  .meta({ id: 'Oc4idsMetric', description: 'OC4IDS Metric from the progress reports / 进度指标' });

const milestoneSchema = z
  .object({
    id: text(36, 'Milestone id / 节点编号'),
    title: text(300, 'Title / 名称'),
    type: z.enum(['approval', 'delivery']).describe('OC4IDS milestoneType: approval for completion acceptance (竣工验收), delivery for the other nodes / 节点类型'),
    code: text(32, 'Our milestone kind (MilestoneKind) / 本系统节点类型'),
    dueDate: text(DATE_TIME, 'Planned date / 计划日期'),
    dateMet: text(DATE_TIME, 'Date achieved / 完成日期').optional(),
    dateModified: text(32, 'Last change to the milestone / 最近修改时间'),
    status: z.enum(['scheduled', 'met', 'notMet']).describe('OC4IDS milestoneStatus: met once achieved, notMet once its planned date passed, scheduled before / 节点状态'),
  })
  .meta({ id: 'Oc4idsMilestone', description: 'A project milestone (节点计划) in OC4IDS / OC4IDS 项目节点' });

export const oc4idsProjectSchema = z
  .object({
    id: text(64, 'Project id: oc4ids-kpo- plus our project id / 项目 OC4IDS 编号'),
    updated: text(32, 'Last change to anything exported for the project / 最近更新时间'),
    language: text(8, 'Language of the text: zh / 语言'),
    identifiers: z.array(identifierSchema).max(2).describe('Our project code and record id / 本系统项目编号'),
    title: text(300, 'Project name / 项目名称'),
    description: text(5000, 'Description / 项目简介').optional(),
    status: labelledEnum(oc4idsStatusLabels, 'Oc4idsProjectStatus', 'OC4IDS projectStatus mapped from our lifecycle / 由项目状态映射的 OC4IDS 阶段'),
    type: labelledEnum(oc4idsTypeLabels, 'Oc4idsProjectType', 'OC4IDS projectType mapped from the category / 由项目类别映射的 OC4IDS 类型'),
    sector: z.array(z.string().max(32)).max(2).optional().describe('OC4IDS projectSector codes from the category / 由项目类别映射的行业'),
    additionalClassifications: z.array(classificationSchema).max(3).describe('Our own status, category and industry / 本系统状态、类别、产业'),
    locations: z.array(z.object({ id: text(8, 'Location id / 地点编号'), description: text(300, 'Location / 地点') })).max(1).optional().describe('Location or park / 建设地点或园区'),
    publicAuthority: z.object({ id: text(64, 'Party id / 参与方编号'), name: text(200, 'Name / 名称') }).describe('The responsible department / 责任部门'),
    parties: z.array(organizationSchema).max(2).describe('Responsible department and owner unit / 责任部门与项目单位'),
    budget: z
      .object({
        description: text(200, 'What the budget is / 预算说明'),
        amount: valueSchema.describe('Estimated total investment, yuan / 估算总投资（元）'),
        budgetBreakdowns: z
          .array(
            z.object({
              id: text(32, 'annual-plans / 分组编号'),
              description: text(300, 'Group / 分组说明'),
              budgetBreakdown: z.array(budgetBreakdownSchema).max(PLANS_PER_PROJECT).describe('Annual plans / 年度计划'),
            }),
          )
          .max(1)
          .optional()
          .describe('Annual plans / 年度计划'),
        finance: z.array(financeSchema).optional().describe('Special bonds granted or pending / 已获批或审核中的专项债'),
      })
      .describe('Budget / 预算'),
    period: periodSchema.optional().describe('Planned start to planned completion / 计划开工至计划竣工'),
    preparationPeriod: periodSchema.optional().describe('First status date to construction start / 前期阶段'),
    implementationPeriod: periodSchema.optional().describe('Construction start to completion (actual where known) / 建设阶段'),
    metrics: z.array(metricSchema).max(2).optional().describe('Physical and financial progress / 形象进度与投资进度'),
    milestones: z.array(milestoneSchema).max(200).optional().describe('The node plan (节点计划) / 项目节点计划'),
    completion: z.object({ endDate: text(DATE_TIME, 'Actual completion / 实际竣工') }).optional().describe('Completion / 竣工'),
  })
  .meta({ id: 'Oc4idsProject', description: 'A project in OC4IDS 0.9 / OC4IDS 0.9 项目数据', example: oc4idsProjectExample });

export const oc4idsPackageSchema = z
  .object({
    // PUBLIC_URL (≤2000, src/config.ts) or the request's Host, which Node caps with all headers at 16 KiB.
    uri: text(18500, 'This package\'s URL / 本数据包地址'),
    publishedDate: text(32, 'Last change to the packaged data / 数据最近更新时间'),
    version: z.literal('0.9').describe('OC4IDS version / OC4IDS 版本'),
    publisher: z.object({ name: text(200, 'Publisher / 发布者') }).describe('Publisher / 发布者'),
    projects: z.array(oc4idsProjectSchema).describe('Projects of the list and year / 名单项目'),
  })
  .meta({
    id: 'Oc4idsProjectPackage',
    description: 'An OC4IDS 0.9 project package / OC4IDS 0.9 项目数据包',
    example: {
      uri: 'https://kpo.example.gov.cn/v1/oc4ids/package?year=2022&list=city_key',
      publishedDate: '2022-04-16T02:00:00.000Z',
      version: '0.9',
      publisher: { name: '坦洲镇重点项目办公室 / Tanzhou key-project office' },
      projects: [oc4idsProjectExample],
    },
  });

export const projectQuerySchema = z.strictObject({ knownAt: knownAtSchema.optional() });

export const packageQuerySchema = z.strictObject({
  knownAt: knownAtSchema.optional(),
  year: yearSchema.describe('Year of the annual plans / 年度'),
  list: planListSchema.optional().describe('Only projects on this list; all lists when absent / 名单（缺省为全部名单）'),
});

export type PlanList = z.infer<typeof planListSchema>;
export type PackageQuery = z.infer<typeof packageQuerySchema>;
