import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createLeaderAssignmentsRepository } from './leader-assignments.repository.js';
import {
  createLeaderAssignmentSchema,
  leaderAssignmentPageSchema,
  leaderAssignmentSchema,
  listLeaderAssignmentsQuerySchema,
  scopedLeaderAssignmentsQuerySchema,
  updateLeaderAssignmentSchema,
} from './leader-assignments.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { leaderAssignments } from './leader-assignments.table.js';

const tags = ['leader-assignments'];

export const leaderAssignmentsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createLeaderAssignmentsRepository({ db });

  app.post(
    '/leader-assignments',
    {
      schema: {
        operationId: 'createLeaderAssignment',
        tags,
        summary: 'Assign a leader to a project / 新建挂点领导',
        description:
          'The leader must exist and not be archived (422 `leader_archived`), the project must exist (422 `foreign_key_violation`), endDate may not precede startDate (422 `assignment_ends_before_start`), and the same leader may not hold the same role on the same project for overlapping periods (409 `leader_assignment_overlap`). / 领导须存在且未归档，项目须存在，结束日期不得早于开始日期，同一领导在同一项目同一角色的挂点期间不得重叠。',
        body: createLeaderAssignmentSchema,
        response: { 201: leaderAssignmentSchema, ...problemResponses(400, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/leader-assignments/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/leader-assignments',
    {
      schema: {
        operationId: 'listLeaderAssignments',
        tags,
        summary: 'List leader assignments / 挂点领导列表',
        querystring: listLeaderAssignmentsQuerySchema,
        response: { 200: leaderAssignmentPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/leader-assignments/:id',
    {
      schema: {
        operationId: 'getLeaderAssignment',
        tags,
        summary: 'Get a leader assignment / 查看挂点',
        params: idParamsSchema,
        response: { 200: leaderAssignmentSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/leader-assignments/:id',
    {
      schema: {
        operationId: 'updateLeaderAssignment',
        tags,
        summary: 'Change a leader assignment, e.g. end it (If-Match required) / 修改挂点，如设定结束日期（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateLeaderAssignmentSchema,
        response: { 200: leaderAssignmentSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
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
    '/leader-assignments/:id',
    {
      schema: {
        operationId: 'deleteLeaderAssignment',
        tags,
        summary: 'Delete a mistaken leader assignment (If-Match required) / 删除错误的挂点（需 If-Match）',
        description:
          'To record that an assignment ended, set its endDate instead; deletion is for entries made by mistake and is kept in the audit trail. / 挂点结束请设定结束日期；删除仅用于纠正误录，删除记录保留在审计日志中。',
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

  app.get(
    '/projects/:id/leader-assignments',
    {
      schema: {
        operationId: 'listProjectLeaderAssignments',
        tags,
        summary: "List a project's leader assignments / 项目的挂点领导",
        params: idParamsSchema,
        querystring: scopedLeaderAssignmentsQuerySchema,
        response: { 200: leaderAssignmentPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listForProject({ projectId: request.params.id, query: request.query }),
  );

  app.get(
    '/leaders/:id/assignments',
    {
      schema: {
        operationId: 'listLeaderAssignmentsOfLeader',
        tags,
        summary: "List a leader's assignments / 领导的挂点项目",
        params: idParamsSchema,
        querystring: scopedLeaderAssignmentsQuerySchema,
        response: { 200: leaderAssignmentPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listForLeader({ leaderId: request.params.id, query: request.query }),
  );
  registerHistoryRoute(app, db, {
    path: '/leader-assignments/:id',
    operationId: 'getLeaderAssignmentHistory',
    tags,
    what: 'a leader assignment / 挂点安排',
    table: leaderAssignments,
    label: 'leader_assignment',
    record: leaderAssignmentSchema,
    schemaId: 'LeaderAssignment',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const leaderAssignmentsModule: ApiModule = {
  routes: leaderAssignmentsRoutes,
  tag: { name: 'leader-assignments', description: 'Leader assignments (领导挂点制) / 挂点领导' },
};
