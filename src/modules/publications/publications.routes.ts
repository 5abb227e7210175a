import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf } from '../../lib/etag.js';
import { problemResponses } from '../../lib/problem.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { contextOf, expectedVersion, ifMatchHeaders, sendSerialized, withEtag } from '../../lib/route-helpers.js';
import { registerHistoryRoute } from '../history/history.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { metaOf } from './publications.repository.js';
import {
  briefingQuerySchema,
  createPublicationSchema,
  listPublicationsQuerySchema,
  publicationPageSchema,
  publicationRecordSchema,
  publicationSchema,
  publicationSummarySchema,
  restatementSchema,
  withdrawPublicationSchema,
} from './publications.schemas.js';
import { publications } from './publications.table.js';
import { BRIEFING_TYPES, createPublicationsUsecases } from './publications.usecases.js';

const tags = ['publications'];

const fileSchema = (description: string) => z.string().meta({ format: 'binary', description });

export const publicationsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, config }) => {
  // Publishing reads the figures on the primary: a replica may not have the last writes before the instant published.
  const usecases = createPublicationsUsecases({ db, dueDays: config.REPORT_DUE_DAYS });

  app.post(
    '/publications',
    {
      schema: {
        operationId: 'createPublication',
        tags,
        summary: 'Publish the figures of a list, year, as-of date and basis / 发布指标（冻结）',
        description:
          'Computes every figure of the question — summary, breakdowns by stage, department and category, reporting compliance of the half-month period of asOf, issues from 1 January to asOf, financing, batches, warning lights by department, every list of the year and the investment completed at the end of each period — as known at one instant (`knownAt`, stated in the answer), and stores them as immutable JSON with its SHA-256. Each part equals what its /v1/metrics or /v1/warnings route answers with that knownAt. Office and admin keys. / 按同一数据时点计算并冻结全部指标（汇总、分组、报送、问题、专项债、集体开工、预警、各名单及各期完成投资），保存为不可修改的 JSON 及其 SHA-256；各部分与对应接口带 knownAt 的答案一致。',
        body: createPublicationSchema,
        response: { 201: publicationSchema, ...problemResponses(400, 415) },
      },
    },
    async (request, reply) => {
      const row = await usecases.publish({ input: request.body, context: contextOf(request) });
      const { json } = await usecases.json({ id: row.id });
      reply.status(201).header('location', `/v1/publications/${row.id}`).header('etag', etagOf(row.version));
      return sendSerialized(reply, json);
    },
  );

  app.get(
    '/publications',
    {
      schema: {
        operationId: 'listPublications',
        tags,
        summary: 'List publications, newest first / 发布列表（新的在前）',
        querystring: listPublicationsQuerySchema,
        response: { 200: publicationPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => usecases.list(request.query),
  );

  app.get(
    '/publications/:id',
    {
      schema: {
        operationId: 'getPublication',
        tags,
        summary: 'A publication with its frozen figures / 查看发布（冻结的指标）',
        description:
          '`figures` is sent as the exact text stored at publication, whatever has changed since; its SHA-256 is `sha256`. A withdrawn publication is still answered, with its withdrawal. / figures 为发布时保存的原文（其后的修改不影响），其 SHA-256 即 sha256；已撤回的发布仍可查看。',
        params: idParamsSchema,
        response: { 200: publicationSchema, ...problemResponses(400, 404, 422) },
      },
    },
    async (request, reply) => {
      const { row, json } = await usecases.json({ id: request.params.id });
      reply.header('etag', etagOf(row.version));
      return sendSerialized(reply, json);
    },
  );

  app.post(
    '/publications/:id/withdraw',
    {
      schema: {
        operationId: 'withdrawPublication',
        tags,
        summary: 'Withdraw a publication (If-Match required) / 撤回发布（需 If-Match）',
        description:
          'Marks the publication withdrawn with a reason (audited); its figures stay as they were and readable. A publication is withdrawn once and never edited: a second withdrawal is 409 `publication_withdrawn`. / 撤回并注明原因（记审计）；指标原文保留可查。只能撤回一次，不可修改。',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: withdrawPublicationSchema,
        response: { 200: publicationSummarySchema, ...problemResponses(400, 404, 409, 412, 415, 428) },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        metaOf(await usecases.withdraw({ id: request.params.id, expectedVersion: expectedVersion(request), reason: request.body.reason, context: contextOf(request) })),
      ),
  );

  app.get(
    '/publications/:id/restatement',
    {
      schema: {
        operationId: 'getPublicationRestatement',
        tags,
        summary: 'What has changed since a publication / 发布后指标变化（重述）',
        description:
          'Recomputes the publication\'s question now (as known at this instant, stated as `knownAt`) and lists every figure that differs — published, current, difference — with the records whose changes since the publication moved it, read from the history tables: those of the tables the figure\'s part reads, belonging to the projects it names (then or now) or to no project. Declared figures are listed as such (`kind: declared`), and `declarations` sets each declared figure beside its derived value, then and now. / 按当前数据重算并逐项列出变化的指标（发布值、当前值、差额）及发布后变更并影响它的记录（取自历史表）；公布数单列。',
        params: idParamsSchema,
        response: { 200: restatementSchema, ...problemResponses(400, 404, 422) },
      },
    },
    async (request) => usecases.restatement({ id: request.params.id, requestId: request.id }),
  );

  app.get(
    '/publications/:id/briefing',
    {
      schema: {
        operationId: 'getPublicationBriefing',
        tags,
        summary: 'The briefing document of a publication (Word, PDF or Markdown) / 发布简报（Word、PDF 或 Markdown）',
        description:
          'The publication written out as the office issues it: its title, the figures in the phrasing of the town\'s report (counts "12个", amounts in 亿元 to two decimals, rates as percentages), tables of the lists, stages and departments, and two charts (investment completed against the year\'s plan by half-month period; projects by warning light per department). Every number comes from the frozen publication, and the document states its id, asOf, knownAt and SHA-256. Rendered on the server (docx library; PDFKit with the shipped Noto Sans SC font embedded; ECharts SVG charts). / 按报道行文生成简报：标题、指标段落、名单与部门表格、两张图表；数字均取自冻结的发布，并注明发布编号、统计截止日、数据时点与哈希。',
        params: idParamsSchema,
        querystring: briefingQuerySchema,
        response: {
          200: {
            description: 'The briefing file (Content-Disposition: attachment) / 简报文件',
            content: {
              [BRIEFING_TYPES.docx]: { schema: fileSchema('Word document / Word 文档') },
              'application/pdf': { schema: fileSchema('PDF, A4, fonts embedded / PDF（嵌入字体）') },
              'text/markdown': { schema: z.string().max(10_000_000).describe('Markdown, charts as inline SVG images / Markdown（图表为内嵌 SVG）') },
            },
          },
          ...problemResponses(400, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const file = await usecases.briefing({ id: request.params.id, format: request.query.format });
      return reply
        .type(file.type)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body as never);
    },
  );

  registerHistoryRoute(app, db, {
    path: '/publications/:id',
    operationId: 'getPublicationHistory',
    tags,
    what: 'a publication / 发布',
    table: publications,
    label: 'publication',
    record: publicationRecordSchema,
    schemaId: 'Publication',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const publicationsModule: ApiModule = {
  routes: publicationsRoutes,
  tag: { name: 'publications', description: 'Published figures, frozen with their hash; restatements and briefing documents (Word, PDF, Markdown) / 指标发布（冻结及哈希）、重述与简报文档' },
};
