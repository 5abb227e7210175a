import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { DEPARTMENT_WRITE } from '../access/access.public.js';
import { createIssuesRepository } from './issues.repository.js';
import {
  createIssueSchema,
  issuePageSchema,
  issueSchema,
  issueTransitionSchema,
  listIssuesQuerySchema,
  updateIssueSchema,
} from './issues.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { projectIssues } from './issues.table.js';

const tags = ['issues'];

const linkRules =
  'When source is inspection, inspectionId is required and the inspection must include the project; a reportId must be a report of the same project (422). / 来源为检查时须填写 inspectionId，且该检查须包含该项目；reportId 须为同一项目的报送（否则 422）。';

export const issuesRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createIssuesRepository({ db });

  app.post(
    '/issues',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'createIssue',
        tags,
        summary: 'Record an issue a project raised / 登记项目问题',
        description: `New issues are open. ${linkRules}`,
        body: createIssueSchema,
        response: { 201: issueSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/issues/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/issues',
    {
      schema: {
        operationId: 'listIssues',
        tags,
        summary: 'List issues, latest raised first / 问题列表（按提出日期倒序）',
        description: 'Ordered by raisedOn, then id, both descending. / 按提出日期、编号倒序排列。',
        querystring: listIssuesQuerySchema,
        response: { 200: issuePageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/issues/:id',
    {
      schema: {
        operationId: 'getIssue',
        tags,
        summary: 'Get an issue / 查看问题',
        params: idParamsSchema,
        response: { 200: issueSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/issues/:id',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'updateIssue',
        tags,
        summary: 'Change an issue (If-Match required) / 修改问题（需 If-Match）',
        description: `Status, resolution and resolvedOn change only through transitions. ${linkRules}`,
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateIssueSchema,
        response: { 200: issueSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
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

  app.post(
    '/issues/:id/transitions',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'transitionIssue',
        tags,
        summary: 'Move an issue along its workflow (If-Match required) / 问题状态流转（需 If-Match）',
        description:
          'open → in_progress | resolved | withdrawn; in_progress → resolved | withdrawn; resolved and withdrawn are final. Any other move is a 409 `illegal_transition` listing the `allowed` ones. Resolving needs resolution and resolvedOn (422 `resolution_required`). / ' +
          '待办 → 办理中 | 已解决 | 已撤回；办理中 → 已解决 | 已撤回；已解决、已撤回为终态。其他流转返回 409（含 allowed 列表）；解决时须填写办理结果和解决日期（否则 422）。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: issueTransitionSchema,
        response: { 200: issueSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const row = await repository.transition({
        id: request.params.id,
        expectedVersion: expectedVersion(request),
        input: request.body,
        context: contextOf(request),
      });
      return withEtag(reply, row);
    },
  );

  app.delete(
    '/issues/:id',
    {
      schema: {
        operationId: 'deleteIssue',
        tags,
        summary: 'Delete an issue raised in error (If-Match required) / 删除误登记的问题（需 If-Match）',
        description:
          'Only for issues recorded by mistake; an issue that is no longer pursued should be withdrawn instead, so that it stays in the figures. / 仅用于误登记的问题；不再办理的问题请撤回，以保留在统计中。',
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
    path: '/issues/:id',
    operationId: 'getIssueHistory',
    tags,
    what: 'an issue / 项目问题',
    table: projectIssues,
    label: 'issue',
    record: issueSchema,
    schemaId: 'Issue',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const issuesModule: ApiModule = {
  routes: issuesRoutes,
  tag: { name: 'issues', description: 'Problems raised by projects (问题/堵点难题) / 项目问题' },
};
