import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db } from '../../db/types.js';
import { problemResponses } from '../../lib/problem.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { createHistoryRepository } from './history.repository.js';
import { historyQuerySchema, versionPageSchema } from './history.schemas.js';

type App = Parameters<FastifyPluginAsyncZod>[0];

export interface HistoryRoute {
  /** The record's path with `:id`, e.g. `/plans/:id`; the route is that path + `/history`. */
  path: string;
  operationId: string;
  tags: string[];
  /** What the record is, English / 中文, for the summary: 'annual plan / 年度计划'. */
  what: string;
  table: PgTable;
  /** The resource name a 404 gives. */
  label: string;
  /** The record's API schema: a version carries those of its fields that the table stores (derived ones, such as totals, are not part of a version). */
  record: z.ZodObject;
  /** The OpenAPI id of the record, from which `<id>Version` and `<id>History` are named. */
  schemaId: string;
}

/**
 * `GET <path>/history`: every version of one record, oldest first, paged (history.repository.ts).
 * Each module that keeps a versioned record registers its own with this.
 */
/**
 * The page schema of a record's versions: the fields of its API schema that its table stores (derived
 * ones, such as totals, are not part of a version), as `<schemaId>Record`.
 */
export function versionsSchemaOf({ table, record: resource, schemaId }: Pick<HistoryRoute, 'table' | 'record' | 'schemaId'>) {
  const stored = new Set(Object.keys(getTableColumns(table)));
  const fields = Object.keys(resource.shape).filter((key) => stored.has(key));
  const example = z.globalRegistry.get(resource)?.example as Record<string, unknown> | undefined;
  const record = z
    .object(Object.fromEntries(fields.map((key) => [key, resource.shape[key]!])))
    .meta({
      id: `${schemaId}Record`,
      description: `The stored fields of ${schemaId} / ${schemaId} 的存储字段`,
      ...(example ? { example: Object.fromEntries(fields.filter((key) => key in example).map((key) => [key, example[key]])) } : {}),
    });
  return versionPageSchema(record, schemaId);
}

export const historyDescription =
  'Every version the service has kept of the record, oldest first, including a deleted record\'s: when each became current and stopped being so (transaction time, the clock of `knownAt`), what ended it, and who made each change (the key, its role, X-Actor and the request id; null for a change made outside the API). Versions are kept by the database for every write, whoever makes it. / ' +
  '记录的全部历史版本（由旧到新，已删除记录亦可查）：各版本的生效与失效时间（即 knownAt 所用的系统时间）、失效原因，以及每次修改的密钥、角色、经办人和请求编号（接口之外的修改为 null）。';

export { createHistoryRepository } from './history.repository.js';
export { historyQuerySchema } from './history.schemas.js';

/**
 * `GET <path>/history`: every version of one record, oldest first, paged (history.repository.ts).
 * Each module that keeps a versioned record registers its own with this.
 */
export function registerHistoryRoute(app: App, db: Db, route: HistoryRoute) {
  const repository = createHistoryRepository({ db });
  const [en, zh] = route.what.split(' / ');
  app.get(
    `${route.path}/history`,
    {
      schema: {
        operationId: route.operationId,
        tags: route.tags,
        summary: `History of ${en ?? route.what} / ${zh ?? route.what}的历史版本`,
        description: historyDescription,
        params: idParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: versionsSchemaOf(route), ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.versionsOf({ table: route.table, id: request.params.id, label: route.label, query: request.query }),
  );
}
