import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, sendSerialized, withEtag } from '../../lib/route-helpers.js';
import type { ModuleOptions } from '../module.js';
import { createMetricsRepository } from './metrics.repository.js';
import { createFiguresCache } from './metrics.cache.js';
import { createDeclaredFiguresRepository } from './metrics.declared.repository.js';
import { createComplianceQueries } from './metrics.compliance.js';
import { createActivityQueries } from './metrics.activity.js';
import { breakdownRouteQuerySchema, breakdownSchema, summaryRouteQuerySchema, summarySchema } from './metrics.schemas.js';
import {
  createDeclaredFigureSchema,
  declaredFigurePageSchema,
  declaredFigureSchema,
  listDeclaredFiguresQuerySchema,
} from './metrics.declared.schemas.js';
import {
  batchesSchema,
  complianceQuerySchema,
  complianceSchema,
  financingSchema,
  issuesQuerySchema,
  issuesSchema,
  yearQuerySchema,
} from './metrics.operations.schemas.js';

const tags = ['metrics'];

export const metricsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, readDb, config }) => {
  // Answers reused while nothing they read has changed (metrics.cache.ts); per instance, exact on any number of them.
  const metrics = createMetricsRepository({ db: readDb, cache: createFiguresCache(readDb) });
  const declared = createDeclaredFiguresRepository({ db });
  const compliance = createComplianceQueries({ db: readDb });
  const activity = createActivityQueries({ db: readDb });

  app.get(
    '/metrics/summary',
    {
      schema: {
        operationId: 'getMetricsSummary',
        tags,
        summary: 'Figures of a list for a year, as of a date / 名单年度指标汇总',
        description:
          'Every figure carries its formula, exact numerator and denominator and the projects behind it (listed when the list has at most 100 projects for the year, or with include=projectIds); declared figures are shown beside the derived ones. / 每个指标给出口径、分子分母与项目清单（名单项目不超过100个或 include=projectIds 时列出），并与公布数对照。',
        querystring: summaryRouteQuerySchema,
        response: { 200: summarySchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => sendSerialized(reply, await metrics.summaryJson(request.query)),
  );

  app.get(
    '/metrics/breakdown',
    {
      schema: {
        operationId: 'getMetricsBreakdown',
        tags,
        summary: 'The summary figures by category, department, leader or stage / 指标分组统计',
        querystring: breakdownRouteQuerySchema,
        response: { 200: breakdownSchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => sendSerialized(reply, await metrics.breakdownJson(request.query)),
  );

  app.get(
    '/metrics/reporting-compliance',
    {
      schema: {
        operationId: 'getReportingCompliance',
        tags,
        summary: 'Missing and late reports of a period / 报送期缺报迟报',
        querystring: complianceQuerySchema,
        response: { 200: complianceSchema, ...problemResponses(400) },
      },
    },
    async (request) => compliance.compliance({ ...request.query, dueDays: config.REPORT_DUE_DAYS }),
  );

  app.get(
    '/metrics/issues',
    {
      schema: {
        operationId: 'getIssueMetrics',
        tags,
        summary: 'Issue handling by mode, department and project / 问题办理统计',
        querystring: issuesQuerySchema,
        response: { 200: issuesSchema, ...problemResponses(400) },
      },
    },
    async (request) => activity.issues(request.query),
  );

  app.get(
    '/metrics/financing',
    {
      schema: {
        operationId: 'getFinancingMetrics',
        tags,
        summary: 'Special-bond applications and grants by quarter / 专项债分季度统计',
        querystring: yearQuerySchema,
        response: { 200: financingSchema, ...problemResponses(400) },
      },
    },
    async (request) => activity.financing(request.query),
  );

  app.get(
    '/metrics/batches',
    {
      schema: {
        operationId: 'getBatchMetrics',
        tags,
        summary: 'Groundbreaking batches of a year with their projects / 年度集体开工批次',
        querystring: yearQuerySchema,
        response: { 200: batchesSchema, ...problemResponses(400) },
      },
    },
    async (request) => activity.batches(request.query),
  );

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
};
