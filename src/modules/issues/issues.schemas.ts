import { z } from 'zod';
import { issueCategory, issueHandlingMode, issueSource, issueStatus } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const issueStatusSchema = codeEnum(
  issueStatus,
  'IssueStatus',
  'Issue status; changed only through transitions: open → in_progress | resolved | withdrawn, in_progress → resolved | withdrawn / 问题状态（只能通过状态流转修改）',
);
export const issueHandlingModeSchema = codeEnum(issueHandlingMode, 'IssueHandlingMode', 'Handling mode of the 三办 office / 三办办理方式');
export const issueCategorySchema = codeEnum(issueCategory, 'IssueCategory', 'The factor guarantee (要素保障) the issue is about / 问题类别（要素保障）');
export const issueSourceSchema = codeEnum(issueSource, 'IssueSource', 'Where the issue was raised / 问题来源');

const EXAMPLE_PROJECT = '01860c6e-7000-7c3d-8e9f-0a1b2c3d4e01';
const EXAMPLE_DEPARTMENT = '01860c6e-7000-7c3d-8e9f-0a1b2c3d4e05';
const EXAMPLE_INSPECTION = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Fields a client may write; status, resolution and resolvedOn belong to transitions. */
const editableShape = {
  projectId: idSchema.describe('Project that needs the problem solved / 所属项目'),
  title: text(200).describe('Short title / 问题标题'),
  description: nullableText(5000).optional().describe('What the problem is / 问题描述'),
  category: issueCategorySchema,
  source: issueSourceSchema,
  inspectionId: idSchema
    .nullable()
    .optional()
    .describe('Inspection it was raised at; required when source is inspection, and that inspection must include the project / 提出问题的检查（来源为检查时必填，且检查须包含该项目）'),
  reportId: idSchema.nullable().optional().describe('Progress report it was raised in, of the same project / 提出问题的进度报送（须为同一项目）'),
  raisedBy: nullableText(200).optional().describe('Who raised it / 提出人'),
  raisedOn: dateSchema.describe('Day it was raised / 提出日期'),
  handlingMode: issueHandlingModeSchema,
  assignedDepartmentId: idSchema.describe('Department that handles it / 承办部门'),
  assigneeName: nullableText(100).optional().describe('Person handling it / 承办人'),
  dueDate: dateSchema.nullable().optional().describe('Due date, not before the day raised / 办理时限'),
};

export const issueSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('Project that needs the problem solved / 所属项目'),
    title: z.string().max(200).describe('Short title / 问题标题'),
    description: z.string().max(5000).nullable().describe('What the problem is / 问题描述'),
    category: issueCategorySchema,
    source: issueSourceSchema,
    inspectionId: idSchema.nullable().describe('Inspection it was raised at / 提出问题的检查'),
    reportId: idSchema.nullable().describe('Progress report it was raised in / 提出问题的进度报送'),
    raisedBy: z.string().max(200).nullable().describe('Who raised it / 提出人'),
    raisedOn: dateSchema.describe('Day it was raised / 提出日期'),
    handlingMode: issueHandlingModeSchema,
    assignedDepartmentId: idSchema.describe('Department that handles it / 承办部门'),
    assigneeName: z.string().max(100).nullable().describe('Person handling it / 承办人'),
    dueDate: dateSchema.nullable().describe('Due date / 办理时限'),
    status: issueStatusSchema,
    resolution: z.string().max(5000).nullable().describe('How it was resolved, or why withdrawn / 办理结果或撤回原因'),
    resolvedOn: dateSchema.nullable().describe('Day it was resolved / 解决日期'),
    version: z.number().int().describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'Issue',
    description: 'A problem a project needs solved (问题/堵点难题) / 项目问题',
    example: {
      id: '01860c6e-8000-7c3d-8e9f-0a1b2c3d4e04',
      projectId: EXAMPLE_PROJECT,
      title: '临时用电报装',
      description: '复工检查发现施工临时用电尚未报装，影响复工',
      category: 'power',
      source: 'inspection',
      inspectionId: EXAMPLE_INSPECTION,
      reportId: null,
      raisedBy: '镇领导',
      raisedOn: '2022-02-10',
      handlingMode: 'immediate',
      assignedDepartmentId: EXAMPLE_DEPARTMENT,
      assigneeName: '供电所 王工',
      dueDate: '2022-02-15',
      status: 'resolved',
      resolution: '供电部门马上办，已完成临时用电报装并送电',
      resolvedOn: '2022-02-12',
      version: 3,
      createdAt: '2022-02-10T09:00:00.000Z',
      updatedAt: '2022-02-12T07:30:00.000Z',
    },
  });

const createExample = {
  projectId: EXAMPLE_PROJECT,
  title: '临时用电报装',
  description: '复工检查发现施工临时用电尚未报装，影响复工',
  category: 'power',
  source: 'inspection',
  inspectionId: EXAMPLE_INSPECTION,
  raisedBy: '镇领导',
  raisedOn: '2022-02-10',
  handlingMode: 'immediate',
  assignedDepartmentId: EXAMPLE_DEPARTMENT,
  assigneeName: '供电所 王工',
  dueDate: '2022-02-15',
};

export const createIssueSchema = z.strictObject(editableShape).meta({ id: 'IssueCreate', example: createExample });

export const updateIssueSchema = z
  .strictObject(editableShape)
  .partial()
  .meta({
    id: 'IssueUpdate',
    description: 'Only the fields given change; status changes go through transitions / 只修改给出的字段；状态须通过状态流转修改',
    example: { assigneeName: '供电所 李工', dueDate: '2022-02-18' },
  });

export const issueTransitionSchema = z
  .strictObject({
    toStatus: issueStatusSchema,
    resolution: text(5000).optional().describe('Required when resolving; for withdrawn, the reason / 办理结果（解决时必填）；撤回时为撤回原因'),
    resolvedOn: dateSchema.optional().describe('Required when resolving, and only then / 解决日期（仅解决时填写且必填）'),
  })
  .meta({
    id: 'IssueTransition',
    description: 'Moves an issue along its workflow / 问题状态流转',
    example: { toStatus: 'resolved', resolution: '供电部门马上办，已完成临时用电报装并送电', resolvedOn: '2022-02-12' },
  });

// Query parameters are inlined, not $ref'd, so that their descriptions reach the OpenAPI parameters.
const queryId = z.uuid().max(36);
const queryDate = z.iso.date().max(10);

export const listIssuesQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: issueStatusSchema.optional().describe('Only issues in this status / 仅该状态的问题'),
  handlingMode: issueHandlingModeSchema.optional().describe('Only issues handled this way (马上办/行走办/专人办) / 仅该办理方式的问题'),
  category: issueCategorySchema.optional().describe('Only issues about this factor guarantee (要素保障) / 仅该要素保障类别的问题'),
  departmentId: queryId.optional().describe('Assigned department / 承办部门'),
  projectId: queryId.optional().describe('Project / 所属项目'),
  inspectionId: queryId.optional().describe('Inspection it was raised at / 提出问题的检查'),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: open or in progress with a due date before asOf; false: all others / 是否逾期（未办结且办理时限早于 asOf）'),
  asOf: queryDate.optional().describe('Day overdue is judged on; default today in China Standard Time / 逾期判断日期，默认北京时间今天'),
});

export const issuePageSchema = pageSchema(issueSchema, 'IssuePage');

export type Issue = z.infer<typeof issueSchema>;
export type CreateIssue = z.infer<typeof createIssueSchema>;
export type UpdateIssue = z.infer<typeof updateIssueSchema>;
export type IssueTransition = z.infer<typeof issueTransitionSchema>;
export type ListIssuesQuery = z.infer<typeof listIssuesQuerySchema>;
