import { z } from 'zod';
import { supervisionStatus, supervisionStepKind, supervisionSubject } from '../../domain/codes.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';
import { codeEnum, dateSchema, idSchema, timestampSchema } from '../../lib/schemas.js';

export const supervisionStatusSchema = codeEnum(supervisionStatus, 'SupervisionStatus', 'Where a supervision order stands / 督办单状态');
export const supervisionStepKindSchema = codeEnum(supervisionStepKind, 'SupervisionStepKind', 'A step of a supervision order / 督办办理环节');
export const supervisionSubjectSchema = codeEnum(supervisionSubject, 'SupervisionSubject', 'What a supervision order is about / 督办对象');

export const supervisionLevelSchema = z
  .number()
  .int()
  .min(1)
  .max(3)
  .meta({
    id: 'SupervisionLevel',
    description:
      'Level of the order (code list supervisionLevel): 1 the office (办公室督办), 2 the leader assigned to the project (挂点领导督办), 3 the town head (镇主要领导督办) / 督办级别：1 办公室督办，2 挂点领导督办，3 镇主要领导督办',
    example: 1,
  });

const text = (max: number) => z.string().trim().min(1).max(max);
const EXAMPLE_ID = '01860c6e-bb5e-7f60-8a12-3b4c5d6e7f01';

const EXAMPLE = {
  id: EXAMPLE_ID,
  projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
  subjectType: 'issue',
  issueId: '01860c6e-9f2b-7c3d-8e9f-0a1b2c3d4e77',
  milestoneId: null,
  departmentId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
  issuerLeaderId: null,
  title: '临时用电报装督办',
  requirement: '请于3月10日前报送临时用电报装整改方案',
  level: 1,
  status: 'issued',
  issuedOn: '2022-03-01',
  replyDueDate: '2022-03-10',
  statusDate: '2022-03-01',
  escalationCount: 0,
  lastEscalatedOn: null,
  fixPlan: null,
  progress: null,
  closedOn: null,
  overdueDays: 0,
  version: 1,
  createdAt: '2022-03-01T02:00:00.000Z',
  updatedAt: '2022-03-01T02:00:00.000Z',
} as const;

export const supervisionOrderSchema = z
  .object({
    id: idSchema,
    projectId: idSchema.describe('The project the order is about (that of its issue or milestone) / 所属项目'),
    subjectType: supervisionSubjectSchema,
    issueId: idSchema.nullable().describe('The issue it is about / 督办的问题'),
    milestoneId: idSchema.nullable().describe('The milestone it is about / 督办的节点'),
    departmentId: idSchema.describe('The department it is addressed to / 承办部门'),
    issuerLeaderId: idSchema.nullable().describe('The leader who issued it; null for the office / 督办领导（办公室督办为空）'),
    title: z.string().max(200).describe('Title / 督办事项'),
    requirement: z.string().max(5000).describe('What the department is asked to do / 督办要求'),
    level: supervisionLevelSchema,
    status: supervisionStatusSchema,
    issuedOn: dateSchema.describe('Day issued / 下达日期'),
    replyDueDate: dateSchema.describe('Day the fix plan is due by (a send-back sets a new one) / 答复期限'),
    statusDate: dateSchema.describe('Day of the last step / 最近办理日期'),
    escalationCount: z.number().int().min(0).max(2).describe('Times escalated for an overdue reply / 逾期升级次数'),
    lastEscalatedOn: dateSchema.nullable().describe('Day of the last escalation / 最近升级日期'),
    fixPlan: z.string().max(5000).nullable().describe('The fix plan replied / 整改方案'),
    progress: z.string().max(5000).nullable().describe('The last progress reported / 最新整改进展'),
    closedOn: dateSchema.nullable().describe('Day accepted and closed (销号) / 销号日期'),
    overdueDays: z.number().int().min(0).describe('Days the reply is overdue today (0 unless waiting for a reply past replyDueDate) / 答复逾期天数'),
    version: z.number().int().min(1).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'SupervisionOrder', description: 'A supervision order (督办单) / 督办单', example: EXAMPLE });

export const createSupervisionOrderSchema = z
  .strictObject({
    projectId: idSchema.optional().describe('The project, when the order is about the project itself / 督办项目'),
    issueId: idSchema.optional().describe('The issue, when the order is about an issue / 督办问题'),
    milestoneId: idSchema.optional().describe('The milestone, when the order is about a milestone / 督办节点'),
    departmentId: idSchema.optional().describe("Addressed to; default the issue's assigned department, else the project's / 承办部门，默认问题承办部门或项目责任部门"),
    issuerLeaderId: idSchema.optional().describe("The leader whose order the office records; a leader key issues as its own leader / 督办领导（领导密钥即为本人）"),
    title: text(200).describe('Title / 督办事项'),
    requirement: text(5000).describe('What the department is asked to do / 督办要求'),
    level: supervisionLevelSchema.optional().describe('Level; default 1 for the office, 2 for a leader / 督办级别，默认办公室为1、领导为2'),
    issuedOn: dateSchema.describe('Day issued; never in the future / 下达日期（不得晚于今天）'),
    replyDueDate: dateSchema.describe('Day the fix plan is due by / 答复期限'),
  })
  .meta({
    id: 'SupervisionOrderCreate',
    description: 'Name exactly one of projectId, issueId and milestoneId / 须且只能指定项目、问题、节点之一',
    example: { issueId: EXAMPLE.issueId, title: EXAMPLE.title, requirement: EXAMPLE.requirement, issuedOn: '2022-03-01', replyDueDate: '2022-03-10' },
  });

export const supervisionStepInputSchema = z
  .strictObject({
    action: z.enum(['reply_plan', 'report_progress', 'accept', 'send_back', 'withdraw']).describe(
      'reply_plan, report_progress: the department; accept (销号), send_back, withdraw: the issuer / 答复整改方案、报告进展：承办部门；验收销号、退回、撤销：督办发起方',
    ),
    on: dateSchema.describe('Day the step was taken; never in the future, never before the last step / 办理日期（不得晚于今天，不得早于上一环节）'),
    note: text(5000).optional().describe('The fix plan, the progress, the reason for sending back (required for those) / 整改方案、进展或退回理由'),
    replyDueDate: dateSchema.optional().describe('send_back only: the new reply deadline / 退回时的新答复期限'),
  })
  .meta({
    id: 'SupervisionTransition',
    description: 'A step of a supervision order / 督办办理环节',
    example: { action: 'reply_plan', on: '2022-03-08', note: '3月15日前完成临时用电报装' },
  });

export const supervisionStepSchema = z
  .object({
    id: idSchema,
    orderId: idSchema,
    kind: supervisionStepKindSchema,
    stepOn: dateSchema.describe('Day taken / 办理日期'),
    fromStatus: supervisionStatusSchema.nullable(),
    toStatus: supervisionStatusSchema,
    fromLevel: supervisionLevelSchema.nullable(),
    toLevel: supervisionLevelSchema,
    note: z.string().max(5000).nullable().describe('Fix plan, progress, reason (an escalation: why) / 说明（升级时为理由）'),
    replyDueDate: dateSchema.nullable().describe('The reply deadline this step set (issue: the first; send_back: the new one) / 该环节设定的答复期限'),
    actor: z.string().max(100).describe('API key id, or "system" for the escalation worker / 操作密钥（自动升级为 system）'),
    onBehalfOf: z.string().max(100).nullable().describe('X-Actor / 经办人'),
    orderVersion: z.number().int().min(1).describe('The order version this step made / 该环节产生的督办单版本'),
    createdAt: timestampSchema,
  })
  .meta({
    id: 'SupervisionStep',
    description: 'One dated step of an order / 督办单的一个办理环节',
    example: {
      id: '01860c6e-bb5e-7f60-8a12-3b4c5d6e7f02', orderId: EXAMPLE_ID, kind: 'escalate', stepOn: '2022-03-13', fromStatus: 'issued', toStatus: 'issued',
      fromLevel: 1, toLevel: 2, note: 'Reply overdue by 3 days (rule: level 1 after 3 days) / 答复逾期3天，升级为挂点领导督办', replyDueDate: null,
      actor: 'system', onBehalfOf: null, orderVersion: 2, createdAt: '2022-03-13T01:00:00.000Z',
    },
  });

const queryId = z.uuid().max(36);

export const listSupervisionOrdersQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: supervisionStatusSchema.optional().describe('Only orders in this status / 仅该状态'),
  level: z.coerce.number().int().min(1).max(3).optional().describe('Only orders at this level / 仅该级别'),
  departmentId: queryId.optional().describe('Addressed to this department / 承办部门'),
  projectId: queryId.optional().describe('About this project / 所属项目'),
  issueId: queryId.optional().describe('About this issue / 督办问题'),
  overdue: z.enum(['true', 'false']).optional().describe('true: waiting for a reply past replyDueDate on asOf; false: the others / 是否答复逾期'),
  asOf: z.iso.date().max(10).optional().describe('Day overdue is judged on; default today in China / 逾期判断日，默认北京时间今天'),
});

export const supervisionOrderPageSchema = pageSchema(supervisionOrderSchema, 'SupervisionOrderPage');
export const supervisionStepPageSchema = pageSchema(supervisionStepSchema, 'SupervisionStepPage');

const RULE_EXAMPLE = { id: '01860c6e-bb5e-7f60-8a12-3b4c5d6e7f03', fromLevel: 1, toLevel: 2, enabled: true, overdueDays: 3, version: 1, createdAt: '2022-01-01T00:00:00.000Z', updatedAt: '2022-01-01T00:00:00.000Z' };

export const escalationRuleSchema = z
  .object({
    id: z.string().max(36).describe('Record id / 记录编号'),
    fromLevel: z.number().int().min(1).max(2).describe('The level an order leaves / 升级前级别'),
    toLevel: z.number().int().min(2).max(3).describe('The level it goes to / 升级后级别'),
    enabled: z.boolean().describe('Off: orders at this level do not escalate / 是否启用'),
    overdueDays: z.number().int().min(1).max(365).describe('Days overdue for the reply (counted from replyDueDate, or from the last escalation) before it goes up / 答复逾期多少天后升级（自答复期限或上次升级起算）'),
    version: z.number().int().min(0).max(2147483647).describe('Version behind the ETag / 版本号'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({
    id: 'SupervisionEscalationRule',
    description: 'When an order overdue for its reply escalates one level (督办升级规则) / 督办逾期升级规则',
    example: RULE_EXAMPLE,
  });

export const escalationRuleListSchema = z
  .object({ items: z.array(escalationRuleSchema).max(2).describe('Every rule, by level / 全部规则') })
  .meta({
    id: 'SupervisionEscalationRuleList',
    description: 'The escalation rules, level 1 first / 全部督办升级规则',
    example: { items: [RULE_EXAMPLE, { ...RULE_EXAMPLE, id: '01860c6e-bb5e-7f60-8a12-3b4c5d6e7f04', fromLevel: 2, toLevel: 3 }] },
  });

export const updateEscalationRuleSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('On or off / 是否启用'),
    overdueDays: z.number().int().min(1).max(365).optional().describe('Days overdue before escalating / 逾期天数'),
  })
  .meta({ id: 'SupervisionEscalationRuleUpdate', example: { overdueDays: 5 } });

export const escalationRuleParamsSchema = z.strictObject({
  fromLevel: z.coerce.number().int().min(1).max(2).describe('The level the rule escalates from (1 or 2) / 升级前级别'),
});

export type CreateSupervisionOrder = z.infer<typeof createSupervisionOrderSchema>;
export type SupervisionStepInput = z.infer<typeof supervisionStepInputSchema>;
export type ListSupervisionOrdersQuery = z.infer<typeof listSupervisionOrdersQuerySchema>;
export type UpdateEscalationRule = z.infer<typeof updateEscalationRuleSchema>;
