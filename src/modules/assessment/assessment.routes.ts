import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import { ADMIN } from '../access/access.public.js';
import { CSV_TYPE, fileResponse, XLSX_TYPE } from '../exports/exports.schemas.js';
import { toCsv, toXlsx, type ExportFile, type ExportFormat } from '../exports/exports.public.js';
import { createHistoryRepository, historyDescription, historyQuerySchema, versionsSchemaOf } from '../history/history.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { assessmentFile } from './assessment.file.js';
import { createAssessmentRulesRepository } from './assessment.rules.repository.js';
import {
  assessmentExportQuerySchema,
  assessmentQuerySchema,
  assessmentRuleListSchema,
  assessmentRuleParamsSchema,
  assessmentRuleSchema,
  assessmentSchema,
  updateAssessmentRuleSchema,
} from './assessment.schemas.js';
import { assessmentRules } from './assessment.table.js';
import { createAssessment } from './assessment.usecases.js';

const tags = ['assessment'];

async function sendFile(reply: FastifyReply, file: ExportFile, format: ExportFormat) {
  const body = format === 'csv' ? toCsv(file.sheet) : await toXlsx(file.sheet);
  return reply
    .type(format === 'csv' ? CSV_TYPE : XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${file.baseName}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

const rulesText =
  'Per department with anything counted in the window (a half-month `period`, a `quarter`, or the year): each rule of GET /v1/assessment-rules scores — a share rule points × met ÷ due (full points when nothing was due), a deduction rule −points per record — and names every record it counted; the total adds them; departments are ranked by total (ties share a rank). Judged on asOf: an item counts once its due day is in the window and before asOf. With knownAt, the records and rules as known then. / ' +
  '按考核期（半月、季度或全年）对有计分记录的部门逐项计分：比例项＝分值×达标数÷应计数（无应计时得满分），扣分项每条扣分；每项列出全部依据记录；总分为各项之和，按总分排名（同分并列）。以 asOf 判定：应完成日在考核期内且早于 asOf 的记录计入。knownAt 时按当时所知的记录与规则。';

export const assessmentRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, readDb, config }) => {
  const rules = createAssessmentRulesRepository({ db });
  const assessment = createAssessment({ db: readDb, dueDays: config.REPORT_DUE_DAYS });
  const history = createHistoryRepository({ db });

  app.get(
    '/metrics/assessment',
    {
      schema: {
        operationId: 'getDepartmentAssessment',
        tags,
        summary: 'Department assessment and ranking (部门考核) / 部门考核与排名',
        description: rulesText,
        querystring: assessmentQuerySchema,
        response: { 200: assessmentSchema, ...problemResponses(400) },
      },
    },
    async (request) => assessment.assess({ query: request.query, requestId: request.id }),
  );

  app.get(
    '/exports/assessment',
    {
      schema: {
        operationId: 'exportDepartmentAssessment',
        tags: [...tags, 'exports'],
        summary: 'Download the department assessment as CSV or XLSX / 导出部门考核（CSV 或 Excel）',
        description: `The ranking of GET /v1/metrics/assessment, one row per department (名次、部门、总分、满分, per rule 计入、达标、得分), Chinese headers first; XLSX adds a 说明 sheet with the window and the rules. ${rulesText}`,
        querystring: assessmentExportQuerySchema,
        response: { 200: fileResponse('Department assessment / 部门考核'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const file = assessmentFile(await assessment.assess({ query, requestId: request.id }));
      return sendFile(reply, file, format);
    },
  );

  app.get(
    '/assessment-rules',
    {
      schema: {
        operationId: 'listAssessmentRules',
        tags,
        summary: 'The rules of the department assessment / 部门考核规则',
        description: rulesText,
        response: { 200: assessmentRuleListSchema, ...problemResponses(400) },
      },
    },
    async (request) => rules.list({ requestId: request.id }),
  );

  app.get(
    '/assessment-rules/:key',
    {
      schema: {
        operationId: 'getAssessmentRule',
        tags,
        summary: 'One assessment rule / 查看考核规则',
        params: assessmentRuleParamsSchema,
        response: { 200: assessmentRuleSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await rules.get({ key: request.params.key, requestId: request.id })),
  );

  app.patch(
    '/assessment-rules/:key',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateAssessmentRule',
        tags,
        summary: 'Change an assessment rule (If-Match required) / 修改考核规则（需 If-Match）',
        description: 'Audited and versioned: an assessment asked with knownAt uses the rules as they stood then. / 修改记审计并保留历史，knownAt 查询按当时规则计分。',
        params: assessmentRuleParamsSchema,
        headers: ifMatchHeaders,
        body: updateAssessmentRuleSchema,
        response: { 200: assessmentRuleSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await rules.update({ key: request.params.key, expectedVersion: expectedVersion(request), patch: request.body, context: contextOf(request) })),
  );

  app.get(
    '/assessment-rules/:key/history',
    {
      schema: {
        operationId: 'getAssessmentRuleHistory',
        tags,
        summary: 'History of an assessment rule / 考核规则的历史版本',
        description: historyDescription,
        params: assessmentRuleParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: versionsSchemaOf({ table: assessmentRules, record: assessmentRuleSchema, schemaId: 'AssessmentRule' }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const rule = await rules.get({ key: request.params.key, requestId: request.id });
      return history.versionsOf({ table: assessmentRules, id: rule.id, label: 'assessment_rule', query: request.query });
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const assessmentModule: ApiModule = {
  routes: assessmentRoutes,
  tag: { name: 'assessment', description: 'Department assessment (部门考核) by rules kept as data, with its ranking and export / 部门考核、排名与导出' },
};
