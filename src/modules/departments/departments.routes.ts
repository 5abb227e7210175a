import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { ADMIN } from '../access/access.public.js';
import { createDepartmentsRepository } from './departments.repository.js';
import {
  createDepartmentSchema,
  departmentPageSchema,
  departmentSchema,
  listDepartmentsQuerySchema,
  updateDepartmentSchema,
} from './departments.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { departments } from './departments.table.js';

const tags = ['departments'];

export const departmentsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createDepartmentsRepository({ db });

  app.post(
    '/departments',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'createDepartment',
        tags,
        summary: 'Create a department / 新建责任部门',
        body: createDepartmentSchema,
        response: { 201: departmentSchema, ...problemResponses(400, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/departments/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/departments',
    {
      schema: {
        operationId: 'listDepartments',
        tags,
        summary: 'List departments / 责任部门列表',
        querystring: listDepartmentsQuerySchema,
        response: { 200: departmentPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/departments/:id',
    {
      schema: {
        operationId: 'getDepartment',
        tags,
        summary: 'Get a department / 查看责任部门',
        params: idParamsSchema,
        response: { 200: departmentSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/departments/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateDepartment',
        tags,
        summary: 'Change a department (If-Match required) / 修改责任部门（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateDepartmentSchema,
        response: { 200: departmentSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
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
    '/departments/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'archiveDepartment',
        tags,
        summary: 'Archive a department (If-Match required) / 归档责任部门（需 If-Match）',
        description:
          'Departments carry history, so they are archived rather than deleted. A department that still answers for projects that are not archived is refused with 409 `department_in_use` naming them. / 部门关联历史记录，只归档不删除；仍是未归档项目责任部门的，返回 409 并列出项目。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Archived / 已归档'), ...problemResponses(400, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.archive({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );

  app.post(
    '/departments/:id/restore',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'restoreDepartment',
        tags,
        summary: 'Undo the archiving of a department (If-Match required) / 撤销责任部门归档（需 If-Match）',
        description: 'The department is active again, as its next version (audited as restore); one that is not archived is answered as it is. / 恢复为未归档（记审计）；未归档的原样返回。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 200: departmentSchema, ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await repository.restore({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) })),
  );
  registerHistoryRoute(app, db, {
    path: '/departments/:id',
    operationId: 'getDepartmentHistory',
    tags,
    what: 'a department / 责任部门',
    table: departments,
    label: 'department',
    record: departmentSchema,
    schemaId: 'Department',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const departmentsModule: ApiModule = {
  routes: departmentsRoutes,
  tag: { name: 'departments', description: 'Responsible departments / 责任部门' },
};
