import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../../lib/schemas.js';
import { problemResponses } from '../../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../../lib/route-helpers.js';
import type { ModuleOptions } from '../../module.js';
import { createDeclaredFiguresRepository } from './declared.repository.js';
import {
  createDeclaredFigureSchema,
  declaredFigurePageSchema,
  declaredFigureSchema,
  listDeclaredFiguresQuerySchema,
} from './declared.schemas.js';
import { registerHistoryRoute } from '../../history/history.public.js';
import { declaredFigures } from './declared.table.js';

const tags = ['metrics'];

export const declaredRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const declared = createDeclaredFiguresRepository({ db });

  app.post(
    '/metrics/declared-figures',
    {
      schema: {
        operationId: 'createDeclaredFigure',
        tags,
        summary: 'Record a published figure / 登记公布数',
        body: createDeclaredFigureSchema,
        response: { 201: declaredFigureSchema, ...problemResponses(400, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await declared.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/metrics/declared-figures/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/metrics/declared-figures',
    {
      schema: {
        operationId: 'listDeclaredFigures',
        tags,
        summary: 'List published figures / 公布数列表',
        querystring: listDeclaredFiguresQuerySchema,
        response: { 200: declaredFigurePageSchema, ...problemResponses(400) },
      },
    },
    async (request) => declared.list(request.query),
  );

  app.get(
    '/metrics/declared-figures/:id',
    {
      schema: {
        operationId: 'getDeclaredFigure',
        tags,
        summary: 'Get a published figure / 查看公布数',
        params: idParamsSchema,
        response: { 200: declaredFigureSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await declared.getById({ id: request.params.id })),
  );

  app.delete(
    '/metrics/declared-figures/:id',
    {
      schema: {
        operationId: 'deleteDeclaredFigure',
        tags,
        summary: 'Delete a published figure (If-Match required) / 删除公布数（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Deleted / 已删除'), ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await declared.remove({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );
  registerHistoryRoute(app, db, {
    path: '/metrics/declared-figures/:id',
    operationId: 'getDeclaredFigureHistory',
    tags,
    what: 'a declared figure / 公布数',
    table: declaredFigures,
    label: 'declared_figure',
    record: declaredFigureSchema,
    schemaId: 'DeclaredFigure',
  });
};
