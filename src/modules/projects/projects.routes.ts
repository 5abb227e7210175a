import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { projectStatusRoutes } from './project-status.routes.js';
import { createProjectsRepository } from './projects.repository.js';
import {
  createProjectSchema,
  listProjectsQuerySchema,
  projectPageSchema,
  projectSchema,
  updateProjectSchema,
} from './projects.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { projects } from './projects.table.js';

const tags = ['projects'];

export const projectsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, options) => {
  const repository = createProjectsRepository({ db: options.db });
  const reads = createProjectsRepository({ db: options.readDb });

  app.post(
    '/projects',
    {
      schema: {
        operationId: 'createProject',
        tags,
        summary: 'Create a project / 新建项目',
        description:
          'The project starts in status planning, effective on statusDate (default today). Unknown departments answer 422. / 项目以“谋划”状态创建，生效日期为 statusDate（默认当天）；部门不存在返回 422。',
        body: createProjectSchema,
        response: { 201: projectSchema, ...problemResponses(400, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/projects/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/projects',
    {
      schema: {
        operationId: 'listProjects',
        tags,
        summary: 'List projects / 项目列表',
        description:
          'Ordered by code. list and stage need year (membership of that year\'s annual plans); leaderId means an assignment active today. / 按项目编号排序；list、stage 须与 year 同用；leaderId 指当前有效的挂点领导。',
        querystring: listProjectsQuerySchema,
        response: { 200: projectPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => reads.list(request.query),
  );

  app.get(
    '/projects/:id',
    {
      schema: {
        operationId: 'getProject',
        tags,
        summary: 'Get a project / 查看项目',
        params: idParamsSchema,
        response: { 200: projectSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/projects/:id',
    {
      schema: {
        operationId: 'updateProject',
        tags,
        summary: 'Change a project (If-Match required) / 修改项目（需 If-Match）',
        description:
          'status and the actual dates are read-only here (400 as unknown fields): use POST /v1/projects/{id}/transitions. / 状态与实际开竣工日期不可在此修改，请使用状态变更接口。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateProjectSchema,
        response: { 200: projectSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
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
    '/projects/:id',
    {
      schema: {
        operationId: 'archiveProject',
        tags,
        summary: 'Archive a project (If-Match required) / 归档项目（需 If-Match）',
        description:
          'Projects carry plans, reports and history, so they are archived rather than deleted. / 项目关联计划、报送与历史，只归档不删除。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Archived / 已归档'), ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.archive({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );

  app.post(
    '/projects/:id/restore',
    {
      schema: {
        operationId: 'restoreProject',
        tags,
        summary: 'Undo the archiving of a project (If-Match required) / 撤销项目归档（需 If-Match）',
        description: 'The project is active again, as its next version (audited as restore); one that is not archived is answered as it is. / 恢复为未归档（记审计）；未归档的原样返回。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 200: projectSchema, ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await repository.restore({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) })),
  );

  await app.register(projectStatusRoutes, options);
  registerHistoryRoute(app, options.db, {
    path: '/projects/:id',
    operationId: 'getProjectHistory',
    tags,
    what: 'a project / 项目',
    table: projects,
    label: 'project',
    record: projectSchema,
    schemaId: 'Project',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const projectsModule: ApiModule = {
  routes: projectsRoutes,
  tag: { name: 'projects', description: 'Key projects and their status history / 重点项目及状态历史' },
};
