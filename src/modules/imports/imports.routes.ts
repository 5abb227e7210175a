import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/problem.js';
import { contextOf } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { charsetOf, csvGrid, decodeCsv } from './imports.csv.js';
import { fileNotOfType, importBodyMissing, importsBusy, importTooManyRows, noKnownSheet, rowsMaxOf, unsupportedMediaType, type ImportWarning } from './imports.errors.js';
import { createGate } from '../../lib/gate.js';
import { createImportProjects, sourceFromJson } from './imports.usecase.js';
import {
  csvBodyJsonSchema,
  importJsonBodySchema,
  importProblemSchema,
  importQuerySchema,
  importResultSchema,
  xlsxBodyJsonSchema,
  type ImportJsonBody,
} from './imports.schemas.js';
import { sourceOf as gridSource, type ImportSource } from './imports.grid.js';
import { kindOfSheet, type ImportKind } from './imports.kinds.js';
import { openWorkbook } from './imports.xlsx.js';
import { stepClock, type StepClock } from './imports.steps.js';

const tags = ['imports'];
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/**
 * Sheet XML a workbook may inflate to, all sheets together: 240,000 report rows are about 90 MB of
 * it. Past this the import stops inflating (a zip bomb costs this much work, never the memory).
 */
export const XLSX_INFLATED_MAX = 256 * 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Every sheet whose name says a kind, read in turn; the others listed as warnings. */
async function workbookSources(body: Buffer): Promise<{ sources: ImportSource[]; warnings: ImportWarning[] }> {
  const sheets = await openWorkbook(body, XLSX_INFLATED_MAX);
  const sources: ImportSource[] = [];
  const warnings: ImportWarning[] = [];
  for (const sheet of sheets) {
    const kind = kindOfSheet(sheet.name);
    if (!kind) {
      warnings.push({ sheet: sheet.name, column: null, warning: 'sheet not imported: its name says no kind of record / 工作表名称无法识别，未导入' });
      continue;
    }
    const max = rowsMaxOf(kind);
    const grid = await sheet.read(max, (count) => {
      throw importTooManyRows(count, max, sheet.name);
    });
    sources.push(gridSource(kind, grid));
  }
  if (sources.length === 0) throw noKnownSheet(sheets.map((s) => s.name));
  return { sources, warnings };
}

/** The rows to import, by media type: JSON rows, one CSV of `kind`, or a workbook of sheets. */
async function sourcesOf(contentType: string, body: unknown, kind: ImportKind): Promise<{ sources: ImportSource[]; warnings?: ImportWarning[] }> {
  // Without a Content-Type Fastify validates no body, so none may have arrived at all.
  if (body === undefined || body === null) throw importBodyMissing();
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (!Buffer.isBuffer(body)) {
    if (typeof body === 'string') throw unsupportedMediaType(mediaType);
    const json = body as ImportJsonBody;
    const parts: [ImportKind, Record<string, unknown>[] | undefined][] = [
      ['projects', json.rows], ['plans', json.plans], ['statusHistory', json.statusHistory], ['leaderAssignments', json.leaderAssignments],
      ['milestones', json.milestones], ['reports', json.reports], ['issues', json.issues],
    ];
    return { sources: parts.flatMap(([k, rows]) => (rows ? [sourceFromJson(k, rows)] : [])) };
  }
  if (body.length === 0) throw importBodyMissing();
  if (mediaType === XLSX_MEDIA_TYPE) return workbookSources(body);
  if (body.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw fileNotOfType('a CSV', `it is a zip archive (an .xlsx?); send it as ${XLSX_MEDIA_TYPE} / 这是 .xlsx 文件，请按 Excel 类型提交`);
  }
  return { sources: [gridSource(kind, csvGrid(decodeCsv(body, charsetOf(contentType))))] };
}

const description = [
  'Brings an office\'s records in, with their dates: projects with their current status and dated status history, annual plans, leader assignments, milestones, past half-month reports with their original submittedAt, and issues with their raised, due and resolved dates — from an Excel workbook (.xlsx, one sheet per kind named 项目 / Projects, 年度计划, 状态历史, 挂点领导, 节点计划, 进度报送, 问题), a CSV of one kind (?kind=; UTF-8, GBK or GB18030) or JSON. Headers match in Chinese or English, as the exports write them (项目编号 / Code); unknown columns and sheets are listed in warnings. Every row is checked first; any problem refuses the whole import with a 422 listing every problem by sheet, row (the header is row 1) and column, and nothing is written. Otherwise everything is written in one transaction, with one audit event (action import) per record and the request id. A status history follows the lifecycle\'s rules; without one, the status and its dates state it (under construction since the actual start). `?dryRun=true` checks and reports without writing (200). Office and admin keys only. See docs/imports.md.',
  '导入重点项目办的现有数据（含历史日期）：项目及其当前状态与状态历史、年度计划、挂点领导、节点计划、历史半月报（保留原报送时间）、问题（提出、期限、解决日期）。支持 Excel 工作簿（每类数据一个工作表）、CSV（UTF-8、GBK、GB18030，?kind= 指定类型）和 JSON；表头中英文均可（导出文件的“项目编号 / Code”可原样导入），无法识别的列和工作表在 warnings 中列出。先校验全部行：只要有问题即整体拒绝（422），按工作表、行、列列出全部问题，不写入任何数据；否则在一个事务中写入，每条记录写一条 import 审计日志。`?dryRun=true` 只校验不写入（200）。仅限重点项目办和管理员密钥。',
].join('\n\n');

export const importsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, config }) => {
  const importProjects = createImportProjects({ db, reportDueDays: config.REPORT_DUE_DAYS });
  // A 20 MB body becomes a few hundred MB of rows while it is checked: imports take turns, waiting
  // before their bodies are read (TCP holds them meanwhile), so memory stays bounded however many
  // arrive; beyond the queue a 503 with Retry-After. Released when the answer is sent or the client goes.
  const gate = createGate({ concurrency: config.IMPORT_CONCURRENCY, queueMax: config.IMPORT_QUEUE_MAX });
  app.observe({ name: 'kpo_import_active', help: 'Imports being read and checked now', read: () => gate.stats().active });
  app.observe({ name: 'kpo_import_waiting', help: 'Imports waiting for their turn (beyond IMPORT_QUEUE_MAX: 503)', read: () => gate.stats().waiting });
  const releases = new WeakMap<object, () => void>();

  // Scoped to this plugin: only the import route reads CSV and workbooks, and only it may take a
  // large body. Bytes, not text: the charset is decided by the reader (UTF-8, GBK, GB18030).
  for (const type of ['text/csv', XLSX_MEDIA_TYPE]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: config.IMPORT_BODY_LIMIT_BYTES }, (_request, body, done) => {
      done(null, body);
    });
  }

  app.post(
    '/imports/projects',
    {
      bodyLimit: config.IMPORT_BODY_LIMIT_BYTES,
      onRequest: async (request, reply) => {
        const release = await gate.enter();
        if (!release) {
          reply.header('retry-after', '5');
          throw importsBusy();
        }
        // The client gave up while waiting: no answer will be sent, so hand the turn on now.
        if (request.raw.destroyed) return release();
        releases.set(request, release);
      },
      onResponse: async (request) => releases.get(request)?.(),
      onRequestAbort: async (request) => releases.get(request)?.(),
      // Two media types with their own schemas: Fastify validates each; the spec documents each.
      config: {
        swaggerTransform: (document) => {
          const transformed = jsonSchemaTransform({ ...document, schema: { ...document.schema, body: importJsonBodySchema } });
          const schema = transformed.schema as Record<string, unknown>;
          schema.body = { content: { 'application/json': { schema: schema.body }, 'text/csv': { schema: csvBodyJsonSchema }, [XLSX_MEDIA_TYPE]: { schema: xlsxBodyJsonSchema } } };
          return transformed;
        },
      },
      schema: {
        operationId: 'importProjects',
        tags,
        summary: 'Import an office\'s records with their history from .xlsx, CSV or JSON / 导入项目及其历史数据（Excel、CSV、JSON）',
        description,
        querystring: importQuerySchema,
        body: {
          content: {
            'application/json': { schema: importJsonBodySchema },
            'text/csv': { schema: z.any() },
            [XLSX_MEDIA_TYPE]: { schema: z.any() },
          },
        },
        response: {
          200: { description: 'Dry run: what would be created / 试运行：将创建的内容', content: { 'application/json': { schema: importResultSchema } } },
          201: { description: 'Imported / 已导入', content: { 'application/json': { schema: importResultSchema } } },
          ...problemResponses(400, 413, 415, 503),
          422: {
            description: 'Invalid rows, nothing written / 数据有误，未写入',
            content: { 'application/problem+json': { schema: importProblemSchema } },
          },
        },
      },
    },
    async (request, reply) => {
      const context = contextOf(request);
      const timed = stepClock(context.requestId);
      const clock: StepClock = (step, rows) => {
        timed(step, rows);
        request.log.debug({ step, rows }, 'import step done');
      };
      const { sources, warnings } = await sourcesOf(request.headers['content-type'] ?? '', request.body, request.query.kind);
      clock('read');
      const dryRun = request.query.dryRun === 'true';
      const result = await importProjects({ sources, warnings, dryRun, context, clock });
      return reply.status(dryRun ? 200 : 201).send(result);
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const importsModule: ApiModule = {
  routes: importsRoutes,
  tag: { name: 'imports', description: 'Bulk imports / 批量导入' },
};
