import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../../lib/problem.js';
import type { ModuleOptions } from '../../module.js';
import { knownAtReader } from '../../../db/history.js';
import { createActivityQueries } from './activity.repository.js';
import { createComplianceQueries } from './compliance.repository.js';
import { createMilestoneMetrics } from './milestones.repository.js';
import {
  batchesSchema,
  complianceQuerySchema,
  complianceSchema,
  financingSchema,
  issuesQuerySchema,
  issuesSchema,
  milestoneMetricsQuerySchema,
  milestoneMetricsSchema,
  yearQuerySchema,
} from './operations.schemas.js';

const tags = ['metrics'];

export const operationsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { readDb, config }) => {
  // Each answer reads one snapshot (several statements), of the current records or (knownAt) of then.
  const read = knownAtReader(
    readDb,
    (db) => ({ compliance: createComplianceQueries({ db }), activity: createActivityQueries({ db }), milestones: createMilestoneMetrics({ db }) }),
    { snapshot: true },
  );
  const asked = <T>(knownAt: string | undefined, answer: T) => ({ ...answer, knownAt: knownAt ?? null });

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
    async (request) =>
      asked(request.query.knownAt, await read(request.query.knownAt, (r) => r.compliance.compliance({ ...request.query, dueDays: config.REPORT_DUE_DAYS }))),
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
    async (request) => asked(request.query.knownAt, await read(request.query.knownAt, (r) => r.activity.issues(request.query))),
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
    async (request) => asked(request.query.knownAt, await read(request.query.knownAt, (r) => r.activity.financing(request.query))),
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
    async (request) => asked(request.query.knownAt, await read(request.query.knownAt, (r) => r.activity.batches(request.query))),
  );

  app.get(
    '/metrics/milestones',
    {
      schema: {
        operationId: 'getMilestoneMetrics',
        tags,
        summary: 'Milestones due, achieved and late in a period, by department, leader and category / 节点完成情况（按部门、领导、类别）',
        querystring: milestoneMetricsQuerySchema,
        response: { 200: milestoneMetricsSchema, ...problemResponses(400) },
      },
    },
    async (request) => asked(request.query.knownAt, await read(request.query.knownAt, (r) => r.milestones.milestones(request.query))),
  );
};
