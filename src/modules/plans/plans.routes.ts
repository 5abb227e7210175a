import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createPlansRepository } from './plans.repository.js';
import {
  createPlanSchema,
  listPlansQuerySchema,
  planPageSchema,
  planSchema,
  projectPlansQuerySchema,
  updatePlanSchema,
} from './plans.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { annualPlans } from './plans.table.js';

const tags = ['plans'];

export const plansRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createPlansRepository({ db });

  app.post(
    '/projects/:id/plans',
    {
      schema: {
        operationId: 'createProjectPlan',
        tags,
        summary: 'Put a project on an annual list / 将项目列入年度计划',
        description:
          'One plan per (project, year, list): a duplicate answers 409; an unknown batchId answers 422. / 每个项目每年每个名单仅一条，重复返回 409；批次不存在返回 422。',
        params: idParamsSchema,
        body: createPlanSchema,
        response: { 201: planSchema, ...problemResponses(400, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ projectId: request.params.id, input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/plans/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/projects/:id/plans',
    {
      schema: {
        operationId: 'listProjectPlans',
        tags,
        summary: 'Annual plans of a project / 项目的年度计划',
        params: idParamsSchema,
        querystring: projectPlansQuerySchema,
        response: { 200: planPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listForProject({ projectId: request.params.id, query: request.query }),
  );

  app.get(
    '/plans',
    {
      schema: {
        operationId: 'listPlans',
        tags,
        summary: 'List annual plans / 年度计划列表',
        querystring: listPlansQuerySchema,
        response: { 200: planPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/plans/:id',
    {
      schema: {
        operationId: 'getPlan',
        tags,
        summary: 'Get an annual plan / 查看年度计划',
        params: idParamsSchema,
        response: { 200: planSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/plans/:id',
    {
      schema: {
        operationId: 'updatePlan',
        tags,
        summary: 'Change an annual plan (If-Match required) / 修改年度计划（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updatePlanSchema,
        response: { 200: planSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
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
    '/plans/:id',
    {
      schema: {
        operationId: 'deletePlan',
        tags,
        summary: 'Take a project off an annual list (If-Match required) / 将项目移出年度计划（需 If-Match）',
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
    path: '/plans/:id',
    operationId: 'getPlanHistory',
    tags,
    what: 'an annual plan / 年度计划',
    table: annualPlans,
    label: 'annual_plan',
    record: planSchema,
    schemaId: 'AnnualPlan',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const plansModule: ApiModule = {
  routes: plansRoutes,
  tag: { name: 'plans', description: 'Annual plans and list membership / 年度计划与名单' },
};
