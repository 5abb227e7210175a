import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { INSPECTION_WRITE } from '../access/access.public.js';
import { createInspectionsRepository } from './inspections.repository.js';
import {
  createInspectionSchema,
  inspectionPageSchema,
  inspectionSchema,
  listInspectionsQuerySchema,
  updateInspectionSchema,
} from './inspections.schemas.js';
import { inspectionListItemSchema } from './inspections.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { inspections } from './inspections.table.js';

const tags = ['inspections'];

export const inspectionsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createInspectionsRepository({ db });

  app.post(
    '/inspections',
    {
      config: { access: INSPECTION_WRITE },
      schema: {
        operationId: 'createInspection',
        tags,
        summary: 'Record an inspection or site visit / 新建督查检查记录',
        description:
          'Unknown project, leader or department ids are a 422. / 项目、领导或部门编号不存在时返回 422。',
        body: createInspectionSchema,
        response: { 201: inspectionSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/inspections/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/inspections',
    {
      schema: {
        operationId: 'listInspections',
        tags,
        summary: 'List inspections, latest first / 督查检查列表（按日期倒序）',
        description: 'Ordered by inspectedOn, then id, both descending. / 按检查日期、编号倒序排列。',
        querystring: listInspectionsQuerySchema,
        response: { 200: inspectionPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/inspections/:id',
    {
      schema: {
        operationId: 'getInspection',
        tags,
        summary: 'Get an inspection with the issues raised during it / 查看督查检查及其提出的问题',
        params: idParamsSchema,
        response: { 200: inspectionSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/inspections/:id',
    {
      config: { access: INSPECTION_WRITE },
      schema: {
        operationId: 'updateInspection',
        tags,
        summary: 'Change an inspection (If-Match required) / 修改督查检查（需 If-Match）',
        description:
          'An id list given replaces the whole list. A project that issues raised during this inspection belong to cannot be removed (409). / 给出的编号列表整体替换；已有本次检查提出问题的项目不能移除（409）。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateInspectionSchema,
        response: { 200: inspectionSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
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
    '/inspections/:id',
    {
      schema: {
        operationId: 'deleteInspection',
        tags,
        summary: 'Delete an inspection (If-Match required) / 删除督查检查（需 If-Match）',
        description:
          'Issues raised during it are kept, no longer linked to an inspection. / 检查中提出的问题保留，但不再关联该检查。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Deleted / 已删除'), ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.remove({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );
  registerHistoryRoute(app, db, {
    path: '/inspections/:id',
    operationId: 'getInspectionHistory',
    tags,
    what: 'an inspection / 督查检查',
    table: inspections,
    label: 'inspection',
    record: inspectionListItemSchema,
    schemaId: 'Inspection',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const inspectionsModule: ApiModule = {
  routes: inspectionsRoutes,
  tag: { name: 'inspections', description: 'Inspections and site visits / 督查与现场检查' },
};
