import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, sendCreated, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { DEPARTMENT_WRITE } from '../access/access.public.js';
import { createReportsRepository } from './reports.repository.js';
import {
  createReportSchema,
  listReportsQuerySchema,
  reportPageSchema,
  reportSchema,
  reviseReportSchema,
  revisionListSchema,
  revisionParamsSchema,
  revisionSchema,
  reviewDecisionSchema,
  bulkReviewSchema,
  bulkReviewResultSchema,
} from './reports.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { progressReports } from './reports.table.js';

const tags = ['progress-reports'];

const lateness =
  'A report is due REPORT_DUE_DAYS (default 3) days after its period ends and is late when submitted after the end of the due day in China Standard Time (Asia/Shanghai, UTC+8); lateness is judged once, on the first submission. / ' +
  '报送期结束后 REPORT_DUE_DAYS 天（默认3天）为截止日，晚于截止日北京时间24时报送即为逾期；逾期只按首次报送判定。';

export const reportsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, config }) => {
  const repository = createReportsRepository({ db, config });

  app.post(
    '/progress-reports',
    {
      // The hottest write: its Idempotency-Key answer commits with the report (one commit, not three).
      config: { access: DEPARTMENT_WRITE, idempotency: 'with-write' },
      schema: {
        operationId: 'createProgressReport',
        tags,
        summary: 'Submit a half-month progress report / 报送半月进度',
        description:
          `${lateness}\n\nOne report per project and period: a second one is a 409 \`report_exists\` naming the existing report, which is corrected through its revisions. A period that has not started yet is refused with 422. The report is filed under the project's responsible department at submission. / ` +
          '每个项目每期只报送一次：重复报送返回 409（report_exists）并指明已有报送，更正请提交新版本。尚未开始的报送期返回 422。报送归属提交时项目的责任部门。',
        body: createReportSchema,
        response: { 201: reportSchema, ...problemResponses(400, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      return sendCreated(request, reply, (report) => `/v1/progress-reports/${report.id}`, (beforeCommit) =>
        repository.create({ input: request.body, context: contextOf(request), beforeCommit }),
      );
    },
  );

  app.get(
    '/progress-reports',
    {
      schema: {
        operationId: 'listProgressReports',
        tags,
        summary: 'List progress reports / 进度报送列表',
        description:
          'Newest period first (period end descending, then id descending). periodFrom and periodTo are inclusive. / 按报送期由新到旧排序；periodFrom、periodTo 均含本期。',
        querystring: listReportsQuerySchema,
        response: { 200: reportPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/progress-reports/:id',
    {
      schema: {
        operationId: 'getProgressReport',
        tags,
        summary: 'Get a progress report with derived totals / 查看进度报送（含累计数）',
        description:
          "yearToDateInvestment sums the current investmentCompleted of the project's reports in the same calendar year up to this period; cumulativeInvestment sums all its periods up to this one. Both are computed, never entered. / 本年累计与开工累计均由各期现行数据计算得出。",
        params: idParamsSchema,
        response: { 200: reportSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.delete(
    '/progress-reports/:id',
    {
      schema: {
        operationId: 'deleteProgressReport',
        tags,
        summary: 'Remove an erroneous report (If-Match required) / 删除错误报送（需 If-Match）',
        description:
          'For the key-project office to remove a report filed in error (wrong project or period); the audit trail keeps it with all its revisions. Wrong figures are corrected with a revision instead. / 供重点项目办删除误报（项目或报送期错误），审计日志保留其全部版本；数据错误请提交更正版本。',
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

  app.post(
    '/progress-reports/:id/review',
    {
      schema: {
        operationId: 'reviewProgressReport',
        tags,
        summary: 'Approve or return a report (If-Match required) / 审核进度报送：通过或退回（需 If-Match）',
        description:
          'The office reviews what a department reported: a submitted report is approved, or returned with a reason; an approved one may still be returned. A returned report is corrected by a new revision, which submits it again. Figures take basis=submitted (every report not returned, the default) or basis=approved. A decision on a returned report is 409 illegal_review. / ' +
          '重点项目办审核部门报送：待审核的可通过或附原因退回，已通过的仍可退回；退回的经更正（新版本）后重新报送。指标可按 basis=submitted（不含退回，默认）或 basis=approved 统计。对已退回的报送审核返回 409。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: reviewDecisionSchema,
        response: { 200: reportSchema, ...problemResponses(400, 404, 409, 412, 415, 428) },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await repository.review({ id: request.params.id, expectedVersion: expectedVersion(request), input: request.body, context: contextOf(request) }),
      ),
  );

  app.post(
    '/progress-reports/reviews',
    {
      schema: {
        operationId: 'reviewProgressReports',
        tags,
        summary: 'Review many reports at once, all or nothing / 批量审核进度报送（全部成功或全部不生效）',
        description:
          'Each decision carries the ETag of the report as the office read it; one stale ETag (412) or refused decision (409, 400) and none is made. / 每条审核附读取时的 ETag；任一过期或被拒则全部不生效。',
        body: bulkReviewSchema,
        response: { 200: bulkReviewResultSchema, ...problemResponses(400, 404, 409, 412, 415, 428) },
      },
    },
    async (request) => repository.reviewMany({ input: request.body, context: contextOf(request) }),
  );

  app.post(
    '/progress-reports/:id/revisions',
    {
      config: { access: DEPARTMENT_WRITE },
      schema: {
        operationId: 'reviseProgressReport',
        tags,
        summary: 'Correct a report with a new revision (If-Match required) / 更正报送（新增版本，需 If-Match）',
        description:
          'Adds revision n+1 with the corrected figures and makes it current; earlier revisions stay readable. Lateness does not change. Answers with the report as it now stands and its new ETag; Location names the new revision. / ' +
          '新增第 n+1 版并设为现行版本，历史版本保留可查；逾期状态不变。返回更新后的报送及新 ETag，Location 指向新版本。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: reviseReportSchema,
        response: { 201: reportSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const { report, revision } = await repository.revise({
        id: request.params.id,
        expectedVersion: expectedVersion(request),
        input: request.body,
        context: contextOf(request),
      });
      reply.status(201).header('location', `/v1/progress-reports/${report.id}/revisions/${revision}`);
      return withEtag(reply, report);
    },
  );

  app.get(
    '/progress-reports/:id/revisions',
    {
      schema: {
        operationId: 'listProgressReportRevisions',
        tags,
        summary: 'All revisions of a report / 报送的全部版本',
        params: idParamsSchema,
        response: { 200: revisionListSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => ({ items: await repository.listRevisions({ id: request.params.id }) }),
  );

  app.get(
    '/progress-reports/:id/revisions/:revision',
    {
      schema: {
        operationId: 'getProgressReportRevision',
        tags,
        summary: 'One revision of a report / 报送的某一版本',
        params: revisionParamsSchema,
        response: { 200: revisionSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.getRevision({ id: request.params.id, revision: request.params.revision }),
  );
  registerHistoryRoute(app, db, {
    path: '/progress-reports/:id',
    operationId: 'getProgressReportHistory',
    tags,
    what: 'a progress report / 进度报送',
    table: progressReports,
    label: 'progress_report',
    record: reportSchema,
    schemaId: 'ProgressReport',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const reportsModule: ApiModule = {
  routes: reportsRoutes,
  tag: { name: 'progress-reports', description: 'Half-monthly progress reports / 半月进度报送' },
};
