import { z } from 'zod';
import { idSchema } from '../../lib/schemas.js';
import { problemSchema } from '../../lib/problem.js';
import { IMPORT_COLUMN_MAX, IMPORT_PROBLEM_TEXT_MAX, IMPORT_PROBLEMS_MAX, IMPORT_RECORD_ROWS_MAX, IMPORT_ROWS_MAX, IMPORT_WARNINGS_MAX } from './imports.errors.js';
import { importKinds, kindSpecs, type ImportKind } from './imports.kinds.js';

const zhOf = (kind: ImportKind, name: string) => kindSpecs[kind].headers[name]![0]!;
const field = (name: string, english: string, extra = '', kind: ImportKind = 'projects') =>
  z.string().max(5000).optional().describe(`${english}; header "${name}" or "${zhOf(kind, name)}"${extra} / ${zhOf(kind, name)}`);

const exampleRow = {
  code: 'TZ-2022-001',
  name: '顶盛高端显示产业项目',
  ownerUnit: '中山市顶盛科技有限公司',
  category: '工业投资',
  industry: '高端显示',
  location: '坦洲园',
  estimatedInvestment: '75,700.1234',
  plannedStartDate: '2022-02-16',
  plannedCompletionDate: '2024-12-31',
  department: 'GXJ',
  year: 2022,
  list: '市重点项目',
  stage: '新开工',
  plannedInvestment: '20,000',
};

const amountNote = '; amount in 万元 as a string, "12,345.67" and spaces allowed, at most 4 fraction digits';

export const importRowSchema = z
  .strictObject({
    code: field('code', 'Project code, unique (required)'),
    name: field('name', 'Project name (required)'),
    ownerUnit: field('ownerUnit', 'Owner unit'),
    category: field('category', 'Category: code or label, e.g. industrial_investment or 工业投资 (required)'),
    industry: field('industry', 'Industry'),
    location: field('location', 'Location or park'),
    description: field('description', 'What is built'),
    estimatedInvestment: field('estimatedInvestment', 'Estimated total investment (required)', amountNote),
    plannedStartDate: field('plannedStartDate', 'Planned start date, YYYY-MM-DD (2022/3/1 accepted)'),
    plannedCompletionDate: field('plannedCompletionDate', 'Planned completion date'),
    department: field('department', 'Responsible department: its code or full name (short name when unique) (required)'),
    supportingDepartments: field('supportingDepartments', 'Supporting departments: codes or names separated by 、 or commas'),
    status: field('status', 'Current status: code or label (planning 谋划/前期, approved 已审批, under_construction 在建, suspended 停工, completed 竣工, cancelled 取消); default planning'),
    statusDate: field('statusDate', 'Date the current status took effect (planning, approved, suspended, cancelled); planning defaults to the import day'),
    actualStartDate: field('actualStartDate', 'Actual start date: required for under_construction and suspended; the history says under construction from then'),
    actualCompletionDate: field('actualCompletionDate', 'Actual completion date: required for completed'),
    year: z
      .union([z.int(), z.string().max(10)])
      .optional()
      .describe('Plan year; with list, stage and plannedInvestment it adds an annual plan; CSV header "year" or "年度" / 年度'),
    list: field('list', 'List: code or label, e.g. city_key or 市重点项目'),
    stage: field('stage', 'Stage: new_start / continuing / preliminary or 新开工 / 续建 / 前期'),
    plannedInvestment: field('plannedInvestment', 'Planned investment for the year', amountNote),
  })
  .meta({
    id: 'ImportRow',
    description: 'One spreadsheet row: a project and optionally one annual plan / 导入行：一个项目及可选的一条年度计划',
    example: exampleRow,
  });

/** A row of one of the other kinds, its fields from the kind's headers (JSON takes the English field names). */
function kindRowSchema(kind: Exclude<ImportKind, 'projects'>, id: string, description: string) {
  const spec = kindSpecs[kind];
  const shape = Object.fromEntries(
    Object.keys(spec.headers).map((name) => [
      name,
      z.union([z.string().max(5000), z.number(), z.boolean()]).optional().describe(`${spec.required.includes(name) ? 'Required. ' : ''}Header "${name}" or "${zhOf(kind, name)}" / ${zhOf(kind, name)}`),
    ]),
  );
  return z.strictObject(shape).meta({ id, description });
}

const recordRows = (kind: Exclude<ImportKind, 'projects'>, id: string, description: string) =>
  z.array(kindRowSchema(kind, id, description)).max(IMPORT_RECORD_ROWS_MAX).optional().describe(`${description}; rows[0] is row 2 / 第一行记为第2行`);

export const importJsonBodySchema = z
  .strictObject({
    rows: z.array(importRowSchema).max(IMPORT_ROWS_MAX).optional().describe('Projects (and a plan each); rows[0] is reported as row 2, as under a header / 项目数据行（rows[0] 记为第2行）'),
    plans: recordRows('plans', 'ImportPlanRow', 'Annual plans of projects of the import or recorded / 年度计划'),
    statusHistory: recordRows('statusHistory', 'ImportStatusRow', 'Dated statuses of the projects of the import, oldest first / 项目状态历史'),
    leaderAssignments: recordRows('leaderAssignments', 'ImportLeaderAssignmentRow', 'Leader assignments (leader by name) / 挂点领导'),
    milestones: recordRows('milestones', 'ImportMilestoneRow', 'Milestones (节点计划) / 节点计划'),
    reports: recordRows('reports', 'ImportReportRow', 'Past half-month reports with their original submittedAt / 历史半月进度报送（含原报送时间）'),
    issues: recordRows('issues', 'ImportIssueRow', 'Issues with their raised, due and resolved dates / 问题（含提出、期限、解决日期）'),
  })
  .meta({
    id: 'ImportRequest',
    description: 'Rows to import as JSON / JSON 格式的导入数据',
    example: {
      rows: [
        exampleRow,
        {
          code: 'TZ-2022-002',
          name: '易事达智能制造项目（一期、二期）',
          ownerUnit: '易事达电子有限公司',
          category: 'industrial_investment',
          industry: '高端显示',
          location: '坦洲园',
          estimatedInvestment: '48000',
          plannedStartDate: '2021-03-01',
          plannedCompletionDate: '2023-06-30',
          department: 'GXJ',
          year: 2022,
          list: 'city_key',
          stage: 'continuing',
          plannedInvestment: '12000',
        },
      ],
    },
  });

export const exampleCsv = [
  '项目编号,项目名称,项目单位,项目类别,所属行业,建设地点,估算总投资（万元）,计划开工日期,计划竣工日期,责任部门,年度,名单,阶段,年度计划投资（万元）',
  'TZ-2022-001,顶盛高端显示产业项目,中山市顶盛科技有限公司,工业投资,高端显示,坦洲园,"75,700.1234",2022-02-16,2024-12-31,GXJ,2022,市重点项目,新开工,"20,000"',
  'TZ-2022-001,顶盛高端显示产业项目,中山市顶盛科技有限公司,工业投资,高端显示,坦洲园,"75,700.1234",2022-02-16,2024-12-31,GXJ,2022,镇重点工业项目,新开工,"20,000"',
  'TZ-2022-002,"易事达智能制造项目（一期、二期）",易事达电子有限公司,工业投资,高端显示,坦洲园,48000,2021-03-01,2023-06-30,GXJ,2022,市重点项目,续建,12000',
  'TZ-2022-003,坦洲镇乡村振兴示范片建设,坦洲镇人民政府,乡村振兴,,坦洲镇,5000,,,ZJJ,2022,专项债储备项目,前期,0',
].join('\r\n');

export const csvBodyJsonSchema = {
  type: 'string',
  description:
    'CSV as Excel saves it: UTF-8 (BOM allowed), or GBK / GB18030 (named by charset=, or detected); CRLF or LF; Excel quoting. Row 1 is the header, in Chinese or English (the field names of ImportRow; "项目编号 / Code" as the exports write it matches too); unknown columns are ignored and listed in warnings. ?kind= says which kind of record the rows are (default projects: one row = one project plus optionally one annual plan; rows with the same project code add plans and must agree on the project fields). / CSV：UTF-8（可带 BOM）或 GBK/GB18030（charset= 指定或自动识别）；第1行为表头（中文或英文，导出文件的“项目编号 / Code”亦可）；无法识别的列忽略并在 warnings 中列出；?kind= 指定内容类型。',
  example: exampleCsv,
};

export const xlsxBodyJsonSchema = {
  type: 'string',
  format: 'binary',
  // IMPORT_BODY_LIMIT_BYTES at most (20 MB by default, 200 MB the most it may be set to).
  maxLength: 200 * 1024 * 1024,
  description:
    'An Excel workbook (.xlsx), one sheet per kind of record, named in Chinese or English: 项目 / Projects (also 项目清单, the projects export), 年度计划 / Plans, 状态历史 / Status history, 挂点领导 / Leader assignments, 节点计划 / Milestones, 进度报送 / Reports, 问题 / Issues; other sheets (说明) are listed in warnings. Row 1 of each sheet is its header. Cells hold values: a formula, an error value or a merged range is a problem at its cell; dates may be date cells, Excel serial numbers or text (2022-03-01, 2022/3/1, 2022年3月1日). / Excel 工作簿，每类数据一个工作表（按名称识别），第1行为表头；单元格须为数值（公式、错误值、合并单元格均报错）；日期可为日期单元格、序列数或文本。',
};

export const importQuerySchema = z.strictObject({
  kind: z
    .enum(importKinds)
    .default('projects')
    .describe('For a CSV: which kind of record its rows are (a workbook names each sheet instead) / CSV 的内容类型（工作簿按工作表名称区分）'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .describe('Validate and report what would be created, writing nothing / 仅校验并报告将创建的内容，不写入'),
});

export const importResultSchema = z
  .object({
    dryRun: z.boolean().describe('True when nothing was written / 是否为试运行（未写入）'),
    created: z
      .object({
        projects: z.int().describe('Projects created (or that would be) / 新建项目数'),
        plans: z.int().describe('Annual plans created (or that would be) / 新建年度计划数'),
        statusChanges: z.int().describe('Status history entries of the new projects / 状态历史条数'),
        leaderAssignments: z.int().describe('Leader assignments / 挂点安排数'),
        milestones: z.int().describe('Milestones / 节点数'),
        reports: z.int().describe('Half-month reports (each with its first revision) / 进度报送数'),
        issues: z.int().describe('Issues / 问题数'),
      })
      .describe('Counts / 数量'),
    projectCodes: z
      .array(z.string().max(64))
      .max(IMPORT_ROWS_MAX)
      .describe('Codes of the projects, in file order (at most one per row; codes are at most 64 characters) / 项目编号（按文件顺序）'),
    projectIds: z.array(idSchema).max(IMPORT_ROWS_MAX).describe('Ids of the created projects, same order; empty on a dry run / 新建项目编号（试运行时为空）'),
    warnings: z
      .array(
        z.object({
          sheet: z.string().max(IMPORT_COLUMN_MAX).nullable().describe('Worksheet, or null for a CSV or JSON / 工作表'),
          column: z.string().max(IMPORT_COLUMN_MAX).nullable().describe('Column as the file names it / 列名'),
          warning: z.string().max(IMPORT_PROBLEM_TEXT_MAX).describe('What was passed over and why / 提示'),
        }),
      )
      .max(IMPORT_WARNINGS_MAX)
      .describe(`What the import read past without refusing the file (an unknown column such as 备注, a sheet it does not read); the first ${IMPORT_WARNINGS_MAX} / 已忽略的列或工作表（不影响导入）`),
  })
  .meta({
    id: 'ImportResult',
    description: 'What the import created / 导入结果',
    example: {
      dryRun: false,
      created: { projects: 3, plans: 4, statusChanges: 4, leaderAssignments: 2, milestones: 6, reports: 72, issues: 5 },
      projectCodes: ['TZ-2022-001', 'TZ-2022-002', 'TZ-2022-003'],
      projectIds: ['01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60', '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61'],
      warnings: [{ sheet: '项目', column: '备注', warning: 'unknown column, ignored / 无法识别的列，已忽略' }],
    },
  });

export const importProblemSchema = problemSchema
  .extend({
    rows: z
      .array(
        z.object({
          sheet: z.string().max(IMPORT_COLUMN_MAX).nullable().describe('Worksheet of an .xlsx, or null / 工作表（CSV、JSON 为空）'),
          row: z.int().describe('Spreadsheet row; the header is row 1 / 表格行号（表头为第1行）'),
          column: z.string().max(IMPORT_COLUMN_MAX).nullable().describe('Column as the file names it / 列名（与文件一致）'),
          problem: z.string().max(IMPORT_PROBLEM_TEXT_MAX).describe('What is wrong / 问题说明'),
        }),
      )
      .max(IMPORT_PROBLEMS_MAX)
      .optional()
      .describe(
        `The problems found, by row: the first ${IMPORT_PROBLEMS_MAX} (problemCount counts them all); nothing was written / 发现的问题（按行，最多前 ${IMPORT_PROBLEMS_MAX} 条，总数见 problemCount；未写入任何数据）`,
      ),
    problemCount: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('How many problems were found / 问题总数'),
  })
  .meta({
    id: 'ImportProblem',
    description: 'An import refused with every problem listed row by row / 导入被拒绝，逐行列出全部问题',
    example: {
      type: 'urn:kpo:problem:import_invalid',
      title: 'The import has invalid rows / 导入数据有误',
      status: 422,
      detail: 'The import has 2 problems; nothing was written',
      instance: '/v1/imports/projects',
      code: 'import_invalid',
      problemCount: 2,
      rows: [
        { sheet: null, row: 3, column: '责任部门', problem: 'unknown department "供电" / 无此责任部门' },
        { sheet: null, row: 4, column: '估算总投资（万元）', problem: '"1.23456" has more than 4 fraction digits / 小数位超过4位' },
      ],
    },
  });

export type ImportJsonBody = z.infer<typeof importJsonBodySchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
