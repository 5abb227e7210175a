import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { knownAtReader } from '../../db/history.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import { asOfDefault, idParamsSchema } from '../../lib/schemas.js';
import { DEPARTMENT_WRITE } from '../access/access.public.js';
import { registerHistoryRoute } from '../history/history.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createMilestonesRepository } from './milestones.repository.js';
import {
  createMilestoneSchema,
  milestonePageSchema,
  milestoneQuerySchema,
  milestoneSchema,
  projectMilestonesQuerySchema,
  scheduleQuerySchema,
  scheduleSchema,
  updateMilestoneSchema,
} from './milestones.schemas.js';
import { projectMilestones } from './milestones.table.js';

const tags = ['milestones'];

const statusRule =
  'Status on a day: achieved (actual date on or before the planned date) or achieved_late once the actual date has come; otherwise late once the planned date has passed, due when planned within the next 15 days, pending. / 节点状态：实际日期已到且不晚于计划日期为按期完成，晚于为逾期完成；否则计划日期已过为逾期未完成，15天内到期为临近，其余为未到期。';

export const milestonesRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createMilestonesRepository({ db });
  const asKnown = knownAtReader(db, (d) => createMilestonesRepository({ db: d }));

  app.post(
    '/projects/:id/milestones',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'createProjectMilestone',
        tags,
        summary: 'Add a node to a project schedule / 新增项目节点',
        description:
          'The baseline is the planned date at creation and is kept when the plan slips. Department keys write the milestones of their own projects. / 基线为创建时的计划日期，计划调整后保留；责任部门可维护本部门项目的节点。',
        params: idParamsSchema,
        body: createMilestoneSchema,
        response: { 201: milestoneSchema, ...problemResponses(400, 404, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ projectId: request.params.id, input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/milestones/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/projects/:id/milestones',
    {
      schema: {
        operationId: 'listProjectMilestones',
        tags,
        summary: 'The node plan of a project, by planned date / 项目节点计划（按计划日期）',
        description: statusRule,
        params: idParamsSchema,
        querystring: projectMilestonesQuerySchema,
        response: { 200: milestonePageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listForProject({ projectId: request.params.id, query: request.query }),
  );

  app.get(
    '/projects/:id/schedule',
    {
      schema: {
        operationId: 'getProjectSchedule',
        tags,
        summary: 'A project against its node plan on a day (序时进度) / 项目节点计划执行情况（序时进度）',
        description: `Schedule progress planned = milestones planned by asOf ÷ all milestones; achieved = those achieved by asOf ÷ all. ${statusRule}`,
        params: idParamsSchema,
        querystring: scheduleQuerySchema,
        response: { 200: scheduleSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { knownAt } = request.query;
      const asOf = asOfDefault(request.query.asOf, knownAt);
      const answer = await asKnown(knownAt, (r) => r.schedule({ projectId: request.params.id, asOf }));
      return { ...answer, knownAt: knownAt ?? null };
    },
  );

  app.get(
    '/milestones/:id',
    {
      schema: {
        operationId: 'getMilestone',
        tags,
        summary: 'Get a milestone / 查看项目节点',
        description: statusRule,
        params: idParamsSchema,
        querystring: milestoneQuerySchema,
        response: { 200: milestoneSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id, asOf: request.query.asOf })),
  );

  app.patch(
    '/milestones/:id',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'updateMilestone',
        tags,
        summary: 'Change a milestone (If-Match required) / 修改项目节点（需 If-Match）',
        description:
          'A slip moves plannedDate and keeps the baseline; achieving it sets actualDate (never in the future). Only the office re-baselines (baselineDate). / 计划调整改 plannedDate 并保留基线；完成时填 actualDate（不得晚于今天）；仅重点项目办可调整基线。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateMilestoneSchema,
        response: { 200: milestoneSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await repository.update({ id: request.params.id, expectedVersion: expectedVersion(request), patch: request.body, context: contextOf(request) }),
      ),
  );

  app.delete(
    '/milestones/:id',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'deleteMilestone',
        tags,
        summary: 'Remove a milestone from the plan (If-Match required) / 删除项目节点（需 If-Match）',
        description: 'Its versions stay in its history. / 历史版本保留可查。',
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
    path: '/milestones/:id',
    operationId: 'getMilestoneHistory',
    tags,
    what: 'a milestone / 项目节点',
    table: projectMilestones,
    label: 'project_milestone',
    record: milestoneSchema,
    schemaId: 'Milestone',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const milestonesModule: ApiModule = {
  routes: milestonesRoutes,
  tag: { name: 'milestones', description: 'Project node plans (节点计划) and schedule progress (序时进度) / 项目节点计划与序时进度' },
};
