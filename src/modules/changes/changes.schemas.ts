import { z } from 'zod';
import { recordType } from '../../domain/codes.js';
import { decimalInteger, timestampSchema } from '../../lib/schemas.js';
import { auditActionSchema } from '../audit/audit.schemas.js';

const cursorDescription = 'Opaque position in the feed; store it and pass it back as `after` / 变更流位置（不透明），下次作为 after 传回';

export const listChangesQuerySchema = z.strictObject({
  after: z
    .string()
    .max(200)
    .optional()
    .describe('Cursor of the last change already processed (an item\'s cursor or nextCursor); omitted = from the beginning / 已处理的最后一条变更的游标；省略则从头开始'),
  types: z
    .string()
    .max(3049)
    .regex(/^[a-z_]{1,60}(,[a-z_]{1,60}){0,49}$/, 'must be comma-separated record types, e.g. project,issue')
    .refine(
      (value) => value.split(',').every((type) => (recordType.values as readonly string[]).includes(type)),
      `names a record type that does not exist; the types are ${recordType.values.join(', ')} / 记录类型不存在`,
    )
    .optional()
    .describe(`Only these kinds of record, comma-separated, e.g. project,issue,progress_report; one of ${recordType.values.join(', ')} (see GET /v1/enums, recordType) / 仅这些记录类型（逗号分隔）`),
  limit: decimalInteger(1, 1000).prefault(100).describe('Most changes in one answer, at most 1000 / 每次最多返回条数（最多1000）'),
});

export const changeSchema = z
  .object({
    // base64url of {"x":"<≤20 digits>","i":<≤16 digits>}: about 70 characters; `after` takes 200.
    cursor: z.string().max(200).describe(cursorDescription),
    changeId: z.number().int().describe('Number of the audit event holding this change / 对应审计事件编号'),
    resourceType: z.string().max(100).describe('Kind of record, e.g. project, issue, progress_report / 记录类型'),
    resourceId: z.string().max(100).describe('Id of the record / 记录编号'),
    kind: auditActionSchema.describe('What happened: create, update, delete, archive, transition, import / 变更类型'),
    occurredAt: timestampSchema.describe('When the change was made (its transaction\'s time) / 变更时间'),
    actor: z.string().max(100).describe('Id of the API key that made the change, or "system" / 操作密钥编号（或 system）'),
    requestId: z.string().max(128).nullable().describe('Request that made the change / 请求编号'),
    state: z
      .record(z.string().max(100), z.unknown())
      .nullable()
      .describe('The record after the change; null after a delete / 变更后的记录（删除后为 null）'),
    link: z.string().max(40).describe('The audit event with the state before and after / 含变更前后记录的审计事件'),
  })
  .meta({
    id: 'Change',
    description: 'One committed change to one record / 一条已提交的记录变更',
    example: {
      cursor: 'eyJ4IjoiNzQ5IiwiaSI6MTA0Mn0',
      changeId: 1042,
      resourceType: 'project',
      resourceId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      kind: 'transition',
      occurredAt: '2022-02-16T01:30:00.000Z',
      actor: '01860c6e-1111-7d4e-8f90-1a2b3c4d5e6f',
      requestId: '01860c6e-8c4d-7e5f-9a01-2b3c4d5e6f70',
      state: { code: 'TZ-2022-001', status: 'under_construction', version: 3 },
      link: '/v1/audit-events/1042',
    },
  });

export const changePageSchema = z
  .object({
    items: z.array(changeSchema).max(1000).describe('Changes in feed order (at most `limit`, ≤1000) / 按变更流顺序的变更'),
    nextCursor: z.string().max(200).describe('Pass as `after` next time; unchanged when nothing new has committed / 下次作为 after 传回；无新变更时不变'),
    hasMore: z.boolean().describe('More changes are already available: ask again at once / 还有更多变更，可立即再取'),
  })
  .meta({
    id: 'ChangePage',
    description:
      'Committed changes after a cursor, in the order of their transactions / 游标之后已提交的变更（按事务顺序）',
    example: { items: [], nextCursor: 'eyJ4IjoiNzQ5IiwiaSI6MTA0Mn0', hasMore: false },
  });

export type ListChangesQuery = z.infer<typeof listChangesQuerySchema>;
