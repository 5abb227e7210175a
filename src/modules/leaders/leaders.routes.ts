import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { ADMIN } from '../access/access.public.js';
import { createLeadersRepository } from './leaders.repository.js';
import { createLeaderSchema, leaderPageSchema, leaderSchema, listLeadersQuerySchema, updateLeaderSchema } from './leaders.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { leaders } from './leaders.table.js';

const tags = ['leaders'];

export const leadersRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createLeadersRepository({ db });

  app.post(
    '/leaders',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'createLeader',
        tags,
        summary: 'Create a town leader / 新建镇领导',
        body: createLeaderSchema,
        response: { 201: leaderSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/leaders/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/leaders',
    {
      schema: {
        operationId: 'listLeaders',
        tags,
        summary: 'List town leaders / 镇领导列表',
        querystring: listLeadersQuerySchema,
        response: { 200: leaderPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/leaders/:id',
    {
      schema: {
        operationId: 'getLeader',
        tags,
        summary: 'Get a town leader / 查看镇领导',
        params: idParamsSchema,
        response: { 200: leaderSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/leaders/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateLeader',
        tags,
        summary: 'Change a town leader (If-Match required) / 修改镇领导（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateLeaderSchema,
        response: { 200: leaderSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const row = await repository.update({
        id: request.params.id,
        expectedVersion: expectedVersion(request),
        patch: request.body,
        context: contextOf(request),
      });
      return withEtag(reply, row);
    },
  );

  app.delete(
    '/leaders/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'archiveLeader',
        tags,
        summary: 'Archive a town leader (If-Match required) / 归档镇领导（需 If-Match）',
        description:
          'Leaders carry history (assignments, inspections), so they are archived rather than deleted; an archived leader takes no new assignment. A leader with assignments that have not ended is refused with 409 `leader_in_use` naming them. / 领导关联历史记录，只归档不删除；归档后不能再新增挂点；仍有未结束挂点的，返回 409 并列出。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Archived / 已归档'), ...problemResponses(400, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.archive({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );

  app.post(
    '/leaders/:id/restore',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'restoreLeader',
        tags,
        summary: 'Undo the archiving of a leader (If-Match required) / 撤销镇领导归档（需 If-Match）',
        description: 'The leader is active again, as its next version (audited as restore); one that is not archived is answered as it is. / 恢复为未归档（记审计）；未归档的原样返回。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 200: leaderSchema, ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await repository.restore({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) })),
  );
  registerHistoryRoute(app, db, {
    path: '/leaders/:id',
    operationId: 'getLeaderHistory',
    tags,
    what: 'a leader / 镇领导',
    table: leaders,
    label: 'leader',
    record: leaderSchema,
    schemaId: 'Leader',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const leadersModule: ApiModule = {
  routes: leadersRoutes,
  tag: { name: 'leaders', description: 'Town leaders / 镇领导' },
};
