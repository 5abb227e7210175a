import { z } from 'zod';
import { auditAction } from '../../domain/codes.js';
import { codeEnum, decimalInteger, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const auditActionSchema = codeEnum(auditAction, 'AuditAction', 'What happened to the record / 操作类型');

// Snapshot keys are the field names of our own records (camelCase identifiers, far under 100).
const snapshotSchema = z
  .record(z.string().max(100), z.unknown())
  .nullable();

export const auditEventIdSchema = decimalInteger(1, Number.MAX_SAFE_INTEGER).meta({ description: 'Audit event number, increasing with time / 审计事件编号（随时间递增）', example: 1042 });

// Limits the stored values already obey: actor is a key id (36) or "system" (rows written before API keys
// hold the X-Actor name, 1..100); onBehalfOf is X-Actor (1..100, src/plugins/auth.ts); requestId is
// X-Request-Id (1..128, src/app.ts) or a UUID; resource types and ids are ours (ids UUIDs or rule keys),
// and the filters below take them at 100.
export const auditEventSchema = z
  .object({
    id: z.number().int().describe('Audit event number, increasing with time / 审计事件编号（随时间递增）'),
    occurredAt: timestampSchema.describe('When the change was committed / 发生时间'),
    actor: z.string().max(100).describe('Id of the API key that made the change, or "system" / 操作密钥编号（或 system）'),
    actorRole: z.string().max(32).nullable().describe("The key's role at the time; null for the service's own writes / 操作时密钥角色"),
    onBehalfOf: z.string().max(100).nullable().describe('The person the calling system named in X-Actor; recorded, not verified / 调用方在 X-Actor 中声明的经办人（仅记录，不作鉴权）'),
    action: auditActionSchema,
    resourceType: z.string().max(100).describe('Kind of record, e.g. special_bond, groundbreaking_batch / 记录类型'),
    resourceId: z.string().max(100).describe('Id of the record / 记录编号'),
    requestId: z.string().max(128).nullable().describe('Request that made the change (X-Request-Id) / 请求编号'),
    before: snapshotSchema.describe('The record before the change; null on create / 变更前的记录'),
    after: snapshotSchema.describe('The record after the change; null on delete / 变更后的记录'),
  })
  .meta({
    id: 'AuditEvent',
    description: 'One change to one record, written in the same transaction as the change / 一次记录变更（与变更同一事务写入）',
    example: {
      id: 1042,
      occurredAt: '2022-03-10T08:00:00.000Z',
      actor: '01860c6e-1111-7d4e-8f90-1a2b3c4d5e6f',
      actorRole: 'office',
      onBehalfOf: '财政局 李科长',
      action: 'update',
      resourceType: 'special_bond',
      resourceId: '01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f',
      requestId: '01860c6e-8c4d-7e5f-9a01-2b3c4d5e6f70',
      before: { outcome: 'pending', amountGranted: null, decidedOn: null, version: 1 },
      after: { outcome: 'granted', amountGranted: '10000.0000', decidedOn: '2022-03-10', version: 2 },
    },
  });

// An instant such as 2022-04-02T08:30:00.123456789+08:00 is 35 characters; 64 leaves room for any sane precision.
const instant = z.iso.datetime({ offset: true }).max(64);

export const listAuditEventsQuerySchema = z
  .strictObject({
    ...pageQueryShape,
    resourceType: z.string().trim().min(1).max(100).optional().describe('Only this kind of record / 仅此记录类型'),
    resourceId: z.string().trim().min(1).max(100).optional().describe('Only this record / 仅此记录'),
    actor: z.string().trim().min(1).max(100).optional().describe('Only changes made with this API key id (or "system") / 仅此密钥（或 system）的操作'),
    action: auditActionSchema.optional().describe('Only this action / 仅此操作类型'),
    from: instant.optional().describe('At or after this instant, ISO 8601 with offset / 不早于此时间（含）'),
    to: instant.optional().describe('Before this instant (exclusive), ISO 8601 with offset / 早于此时间（不含）'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['to'] });

export const auditEventParamsSchema = z.strictObject({ id: auditEventIdSchema });

export const auditEventPageSchema = pageSchema(auditEventSchema, 'AuditEventPage');

export type ListAuditEventsQuery = z.infer<typeof listAuditEventsQuerySchema>;
