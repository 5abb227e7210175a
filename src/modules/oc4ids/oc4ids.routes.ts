import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.js';
import { problemResponses } from '../../lib/problem.js';
import { asOfDefault, idParamsSchema } from '../../lib/schemas.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { buildProjects, OC4IDS_VERSION } from './oc4ids.build.js';
import { emptyPackage } from './oc4ids.errors.js';
import { createOc4idsRepository } from './oc4ids.repository.js';
import { oc4idsPackageSchema, oc4idsProjectSchema, packageQuerySchema, projectQuerySchema } from './oc4ids.schemas.js';
import { knownAtReader } from '../../db/history.js';

const tags = ['oc4ids'];

/** Who publishes the packages; a constant until the office's registered name is configured. */
export const PUBLISHER = { name: '坦洲镇重点项目办公室 / Tanzhou key-project office' };

export const oc4idsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, config }) => {
  const records = knownAtReader(db, (d) => createOc4idsRepository({ db: d }));

  app.get(
    '/oc4ids/projects/:id',
    {
      schema: {
        operationId: 'getOc4idsProject',
        tags,
        summary: 'One project as OC4IDS 0.9 data / 单个项目的 OC4IDS 数据',
        description: 'Status, type, sector and party roles are mapped onto the OC4IDS codelists as the README table says; amounts are yuan. With knownAt, the project as the records stood then. / 状态、类型、行业与参与方角色按 README 映射表转换，金额单位为元；带 knownAt 时按当时的记录。',
        params: idParamsSchema,
        querystring: projectQuerySchema,
        response: { 200: oc4idsProjectSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await records(request.query.knownAt, (r) => r.project({ id: request.params.id }));
      const [project] = buildProjects(found, { today: asOfDefault(undefined, request.query.knownAt) });
      if (!project) throw notFound('project', request.params.id);
      return project;
    },
  );

  app.get(
    '/oc4ids/package',
    {
      schema: {
        operationId: 'getOc4idsPackage',
        tags,
        summary: 'The projects of a list and year as an OC4IDS 0.9 project package / 名单项目的 OC4IDS 数据包',
        description: 'Projects with an annual plan for the year (on the list, when given), archived ones left out; 404 when there is none, since a package holds at least one project. / 该年度（指定名单）有年度计划的项目，不含已归档项目；无项目时返回 404。',
        querystring: packageQuerySchema,
        response: { 200: oc4idsPackageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { year, list, knownAt } = request.query;
      const projects = buildProjects(await records(knownAt, (r) => r.packageOf({ year, list })), { today: asOfDefault(undefined, knownAt) });
      if (projects.length === 0) throw emptyPackage(year, list);
      const base = config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
      const query = new URLSearchParams({ year: String(year), ...(list ? { list } : {}), ...(knownAt ? { knownAt } : {}) });
      return {
        uri: `${base}/v1/oc4ids/package?${query}`,
        // Generated on demand, so OC4IDS asks for the time of the last change to the contents.
        publishedDate: projects.map((p) => p.updated).reduce((a, b) => (a > b ? a : b)),
        version: OC4IDS_VERSION,
        publisher: PUBLISHER,
        projects,
      };
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const oc4idsModule: ApiModule = {
  routes: oc4idsRoutes,
  tag: { name: 'oc4ids', description: 'Projects in the Open Contracting for Infrastructure Data Standard (OC4IDS 0.9) / OC4IDS 基础设施数据标准导出' },
};
