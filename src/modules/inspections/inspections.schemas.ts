import { z } from 'zod';
import { inspectionKind } from '../../domain/codes.js';
import { codeEnum, dateSchema, idSchema, nullableText, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { issueHandlingModeSchema, issueStatusSchema } from '../issues/issues.schemas.js';

export const inspectionKindSchema = codeEnum(inspectionKind, 'InspectionKind', 'Kind of inspection / 检查类型');

const EXAMPLE_ID = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';
const EXAMPLE_PROJECT = '01860c6e-7000-7c3d-8e9f-0a1b2c3d4e01';
const EXAMPLE_LEADER = '01860c6e-7000-7c3d-8e9f-0a1b2c3d4e02';
const EXAMPLE_DEPARTMENT = '01860c6e-7000-7c3d-8e9f-0a1b2c3d4e03';

const idList = (description: string) =>
  z
    .array(idSchema)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name the same id twice')
    .describe(description);

/** An inspection's detail lists at most this many of its issues (the repository stops there). */
export const INSPECTION_ISSUES_MAX = 1000;

const projectIdsDescription = 'Projects visited, at least one / 检查的项目（至少一个）';
const leaderIdsDescription = 'Town leaders who went / 参加的镇领导';
const departmentIdsDescription = 'Departments that went / 参加的部门';

/** The fields a client writes; create and update share them. */
const writableShape = {
  kind: inspectionKindSchema,
  inspectedOn: dateSchema.describe('Day of the visit / 检查日期'),
  title: z.string().trim().min(1).max(200).describe('Title / 标题'),
  team: nullableText(500).optional().describe('Who went, as written in the record / 检查组成员'),
  findings: nullableText(5000).optional().describe('What was found / 检查发现'),
  outcome: nullableText(5000).optional().describe('What was decided / 处理结果'),
  projectIds: idList(projectIdsDescription).min(1),
  leaderIds: idList(leaderIdsDescription).default([]),
  departmentIds: idList(departmentIdsDescription).default([]),
};

export const inspectionIssueRefSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('Project the issue belongs to / 所属项目'),
    title: z.string().max(200).describe('Title / 问题标题'),
    handlingMode: issueHandlingModeSchema,
    status: issueStatusSchema,
  })
  .meta({ id: 'InspectionIssueRef', description: 'An issue raised during the inspection / 检查中提出的问题' });

const inspectionShape = {
  id: idSchema,
  kind: inspectionKindSchema,
  inspectedOn: dateSchema.describe('Day of the visit / 检查日期'),
  title: z.string().max(200).describe('Title / 标题'),
  team: z.string().max(500).nullable().describe('Who went, as written in the record / 检查组成员'),
  findings: z.string().max(5000).nullable().describe('What was found / 检查发现'),
  outcome: z.string().max(5000).nullable().describe('What was decided / 处理结果'),
  projectIds: z.array(idSchema).max(100).describe(projectIdsDescription),
  leaderIds: z.array(idSchema).max(100).describe(leaderIdsDescription),
  departmentIds: z.array(idSchema).max(100).describe(departmentIdsDescription),
  version: z.number().int().describe('Version behind the ETag / 版本号'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
};

const exampleInspection = {
  id: EXAMPLE_ID,
  kind: 'resumption_check',
  inspectedOn: '2022-02-10',
  title: '重点项目复工检查',
  team: '镇领导、住建局工作专班',
  findings: '项目防疫物资、应急预案已准备；临时用电尚未报装',
  outcome: '符合复工条件，安排有序复工；用电问题交供电部门马上办',
  projectIds: [EXAMPLE_PROJECT],
  leaderIds: [EXAMPLE_LEADER],
  departmentIds: [EXAMPLE_DEPARTMENT],
  version: 1,
  createdAt: '2022-02-10T08:00:00.000Z',
  updatedAt: '2022-02-10T08:00:00.000Z',
};

export const inspectionListItemSchema = z.object(inspectionShape).meta({
  id: 'InspectionListItem',
  description: 'An inspection in a list, without its issues / 检查记录（列表项，不含问题）',
  example: exampleInspection,
});

export const inspectionSchema = z
  .object({
    ...inspectionShape,
    issues: z
      .array(inspectionIssueRefSchema)
      .max(INSPECTION_ISSUES_MAX)
      .describe(
        `Issues raised during it, in the order raised: at most the first ${INSPECTION_ISSUES_MAX}; GET /v1/issues?inspectionId= pages through all of them / 检查中提出的问题（按提出顺序，最多前 ${INSPECTION_ISSUES_MAX} 条；全部问题请用 GET /v1/issues?inspectionId= 分页查询）`,
      ),
  })
  .meta({
    id: 'Inspection',
    description: 'An inspection or site visit (督查/现场检查/走访/现场办公) / 督查检查记录',
    example: {
      ...exampleInspection,
      issues: [
        { id: '01860c6e-8000-7c3d-8e9f-0a1b2c3d4e04', projectId: EXAMPLE_PROJECT, title: '临时用电报装', handlingMode: 'immediate', status: 'open' },
      ],
    },
  });

export const createInspectionSchema = z.strictObject(writableShape).meta({
  id: 'InspectionCreate',
  example: {
    kind: 'resumption_check',
    inspectedOn: '2022-02-10',
    title: '重点项目复工检查',
    team: '镇领导、住建局工作专班',
    findings: '项目防疫物资、应急预案已准备；临时用电尚未报装',
    outcome: '符合复工条件，安排有序复工',
    projectIds: [EXAMPLE_PROJECT],
    leaderIds: [EXAMPLE_LEADER],
    departmentIds: [EXAMPLE_DEPARTMENT],
  },
});

export const updateInspectionSchema = z
  .strictObject({
    ...writableShape,
    leaderIds: idList(leaderIdsDescription),
    departmentIds: idList(departmentIdsDescription),
  })
  .partial()
  .meta({
    id: 'InspectionUpdate',
    description: 'Only the fields given change; an id list given replaces the whole list / 只修改给出的字段；给出的编号列表整体替换',
    example: { outcome: '符合复工条件，已安排有序复工', leaderIds: [EXAMPLE_LEADER] },
  });

// Query parameters are inlined, not $ref'd, so that their descriptions reach the OpenAPI parameters.
const queryId = z.uuid().max(36);
const queryDate = z.iso.date().max(10);

export const listInspectionsQuerySchema = z
  .strictObject({
    ...pageQueryShape,
    projectId: queryId.optional().describe('Only inspections of this project / 仅该项目的检查'),
    kind: inspectionKindSchema.optional().describe('Only inspections of this kind / 仅该类型的检查'),
    dateFrom: queryDate.optional().describe('Inspected on or after / 检查日期起'),
    dateTo: queryDate.optional().describe('Inspected on or before (not before dateFrom) / 检查日期止（不早于起始日）'),
  })
  .refine((q) => !q.dateFrom || !q.dateTo || q.dateFrom <= q.dateTo, {
    message: 'dateTo must not be before dateFrom / 截止日期不能早于起始日期',
    path: ['dateTo'],
  });

export const inspectionPageSchema = pageSchema(inspectionListItemSchema, 'InspectionPage');

export type Inspection = z.infer<typeof inspectionSchema>;
export type CreateInspection = z.infer<typeof createInspectionSchema>;
export type UpdateInspection = z.infer<typeof updateInspectionSchema>;
export type ListInspectionsQuery = z.infer<typeof listInspectionsQuerySchema>;
