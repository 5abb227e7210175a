import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createBatchesRepository } from './batches.repository.js';
import {
  batchDetailSchema,
  batchPageSchema,
  batchSchema,
  createBatchSchema,
  listBatchesQuerySchema,
  updateBatchSchema,
} from './batches.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { groundbreakingBatches } from './batches.table.js';

const tags = ['groundbreaking-batches'];

export const batchesRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createBatchesRepository({ db });

  app.post(
    '/groundbreaking-batches',
    {
      schema: {
        operationId: 'createGroundbreakingBatch',
        tags,
        summary: 'Create a groundbreaking batch / 新建集体开工批次',
        description: 'Projects join a batch through the batchId of their annual plan (plans API). / 项目通过年度计划的 batchId 加入批次。',
        body: createBatchSchema,
        response: { 201: batchSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/groundbreaking-batches/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/groundbreaking-batches',
    {
      schema: {
        operationId: 'listGroundbreakingBatches',
        tags,
        summary: 'List groundbreaking batches / 集体开工批次列表',
        description: 'Ordered by ceremony date, then id. / 按开工仪式日期排序。',
        querystring: listBatchesQuerySchema,
        response: { 200: batchPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/groundbreaking-batches/:id',
    {
      schema: {
        operationId: 'getGroundbreakingBatch',
        tags,
        summary: 'Get a groundbreaking batch with its projects and total investment / 查看集体开工批次及其项目、总投资',
        description:
          'E.g. the first-quarter batch of 16 February 2022: 3 projects, 7.8亿 = 78000.0000 万元. / 如2022年2月16日一季度集体开工：3个项目，总投资7.8亿元。',
        params: idParamsSchema,
        response: { 200: batchDetailSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getDetail({ id: request.params.id })),
  );

  app.patch(
    '/groundbreaking-batches/:id',
    {
      schema: {
        operationId: 'updateGroundbreakingBatch',
        tags,
        summary: 'Change a groundbreaking batch (If-Match required) / 修改集体开工批次（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateBatchSchema,
        response: { 200: batchSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
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
    '/groundbreaking-batches/:id',
    {
      schema: {
        operationId: 'deleteGroundbreakingBatch',
        tags,
        summary: 'Delete a groundbreaking batch (If-Match required) / 删除集体开工批次（需 If-Match）',
        description:
          'Refused with 409 batch_has_plans while annual plans still point at it (planIds lists them). / 仍有年度计划关联时拒绝（409 batch_has_plans，planIds 列出这些计划）。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Deleted / 已删除'), ...problemResponses(400, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.remove({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );
  registerHistoryRoute(app, db, {
    path: '/groundbreaking-batches/:id',
    operationId: 'getGroundbreakingBatchHistory',
    tags,
    what: 'a groundbreaking batch / 集体开工批次',
    table: groundbreakingBatches,
    label: 'groundbreaking_batch',
    record: batchSchema,
    schemaId: 'GroundbreakingBatch',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const batchesModule: ApiModule = {
  routes: batchesRoutes,
  tag: { name: 'groundbreaking-batches', description: 'Groundbreaking batches / 集体开工批次' },
};
