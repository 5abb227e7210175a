import { z } from 'zod';
import { pageQueryShape } from '../../lib/pagination.js';
import { timestampSchema } from '../../lib/schemas.js';

export const historyQuerySchema = z.strictObject({ ...pageQueryShape });
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

const changedBySchema = z
  .object({
    actor: z.string().max(100).nullable().describe('The API key id that made the change; null for a change made outside the API (SQL, a migration) / 修改所用的接口密钥编号；接口之外的修改为 null'),
    actorRole: z.string().max(20).nullable().describe("The key's role then / 当时密钥的角色"),
    onBehalfOf: z.string().max(200).nullable().describe('The person the calling system named in X-Actor / 调用方在 X-Actor 中指明的经办人'),
    requestId: z.string().max(128).nullable().describe('The request that made the change / 修改请求的编号'),
  })
  .meta({
    id: 'ChangedBy',
    description: 'Who made a change, from the audit event of the same transaction / 修改人（取自同一事务的审计事件）',
    example: { actor: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e01', actorRole: 'office', onBehalfOf: '王科长', requestId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
  });

/**
 * One version of a record: the record as it stood from `validFrom` until `validTo` (transaction time,
 * when the service knew it so), with who made it and how it ended.
 */
export function versionPageSchema<T extends z.ZodType>(record: T, id: string) {
  const recordExample = z.globalRegistry.get(record)?.example;
  const version = z
    .object({
      validFrom: timestampSchema.describe('When this version became current (the start of the transaction that wrote it) / 本版本生效时间'),
      validTo: timestampSchema.nullable().describe('When it stopped being current; null for the current version / 本版本失效时间；现行版本为 null'),
      endedBy: z.enum(['update', 'delete']).nullable().describe('What ended it: a change (the next version) or a deletion; null while current / 失效原因：修改或删除'),
      changedBy: changedBySchema,
      endedByChange: changedBySchema.nullable().describe('Who ended it (for a deletion, who deleted the record) / 使本版本失效的修改人'),
      record: record.describe('The record as it stood in this version / 本版本的记录内容'),
    })
    .meta({ id: `${id}Version`, description: `A version of the record (${id}) / 记录的一个历史版本` });
  const example =
    recordExample === undefined
      ? undefined
      : {
          items: [
            {
              validFrom: '2022-01-10T02:00:00.000Z',
              validTo: null,
              endedBy: null,
              changedBy: z.globalRegistry.get(changedBySchema)?.example,
              endedByChange: null,
              record: recordExample,
            },
          ],
          nextCursor: null,
        };
  return z
    .object({
      items: z.array(version).max(200).describe('Versions, oldest first / 历史版本（由旧到新）'),
      nextCursor: z.string().max(1000).nullable().describe('Cursor of the next page; null on the last page / 下一页游标，最后一页为 null'),
    })
    .meta({ id: `${id}History`, description: `Every version of the record, oldest first / 记录的全部历史版本`, ...(example ? { example } : {}) });
}
