import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ModuleOptions } from '../module.js';
import { createProjectStatusRepository } from './project-status.repository.js';
import { knownAtReader } from '../../db/history.js';
import {
  statusAsOfQuerySchema,
  statusAsOfSchema,
  statusChangePageSchema,
  statusHistoryQuerySchema,
  transitionSchema,
} from './project-status.schemas.js';
import { projectSchema } from './projects.schemas.js';

const tags = ['projects'];

export const projectStatusRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createProjectStatusRepository({ db });
  const reads = knownAtReader(db, (d) => createProjectStatusRepository({ db: d }));

  app.post(
    '/projects/:id/transitions',
    {
      schema: {
        operationId: 'transitionProjectStatus',
        tags,
        summary: 'Change a project\'s status (If-Match required) / 变更项目状态（需 If-Match）',
        description:
          'Appends a dated entry to the status history. An illegal move answers 409 `illegal_transition` with `allowed`; an effectiveDate before the previous change answers 422. The first move to under_construction sets actualStartDate; completed sets actualCompletionDate. / 追加一条带生效日期的状态记录；非法变更返回 409 并列出允许的目标状态；生效日期早于上一次变更返回 422。首次转为在建时写入实际开工日期，转为竣工时写入实际竣工日期。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: transitionSchema,
        response: { 200: projectSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const row = await repository.transition({
        id: request.params.id,
        expectedVersion: expectedVersion(request),
        input: request.body,
        context: contextOf(request),
      });
      return withEtag(reply, row);
    },
  );

  app.get(
    '/projects/:id/status-history',
    {
      schema: {
        operationId: 'listProjectStatusHistory',
        tags,
        summary: 'Status history of a project / 项目状态历史',
        params: idParamsSchema,
        querystring: statusHistoryQuerySchema,
        response: { 200: statusChangePageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => reads(request.query.knownAt, (r) => r.history({ id: request.params.id, query: request.query })),
  );

  app.get(
    '/projects/:id/status',
    {
      schema: {
        operationId: 'getProjectStatusAsOf',
        tags,
        summary: 'Status of a project on a given day / 项目在指定日期的状态',
        description: 'Reconstructs the status from the dated history, e.g. asOf=2022-03-31. / 按状态历史还原任一日期的状态。',
        params: idParamsSchema,
        querystring: statusAsOfQuerySchema,
        response: { 200: statusAsOfSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => reads(request.query.knownAt, (r) => r.statusAsOf({ id: request.params.id, ...request.query })),
  );
};
