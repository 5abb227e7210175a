import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../lib/problem.js';
import { createFigures } from '../metrics/metrics.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { toCsv } from './exports.csv.js';
import { breakdownFile, summaryFile } from './exports.figures.js';
import { createProjectExports } from './exports.projects.js';
import { createRecordsExport } from './exports.records.js';
import { knownAtReader } from '../../db/history.js';
import {
  breakdownExportQuerySchema,
  recordsExportQuerySchema,
  CSV_TYPE,
  fileResponse,
  projectsExportQuerySchema,
  summaryExportQuerySchema,
  XLSX_TYPE,
} from './exports.schemas.js';
import type { ExportFile, ExportFormat } from './exports.sheet.js';
import { toXlsx } from './exports.xlsx.js';

const tags = ['exports'];

/** Past this many projects the export is refused (422 export_too_large): the file is built in memory. */
export const MAX_EXPORT_ROWS = 100_000;

async function sendFile(reply: FastifyReply, file: ExportFile, format: ExportFormat) {
  const body = format === 'csv' ? toCsv(file.sheet) : await toXlsx(file.sheet, file.more);
  return reply
    .type(format === 'csv' ? CSV_TYPE : XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${file.baseName}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

const formatNote =
  'CSV: UTF-8 with BOM, CRLF, amounts as plain decimals in 万元, rates as fractions (0.25 = 25%). XLSX: amounts as exact number cells shown to 2 decimals (#,##0.00) that SUM adds, A4 landscape, fit to width, header row repeated on every printed page, rates in percent format, plus a 说明 sheet with the list, year, as-of date and rules. / CSV 为带 BOM 的 UTF-8，金额为万元数字，比率为小数；XLSX 金额为数字单元格可直接求和，比率为百分比格式，另附“说明”表。';

export const exportsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { readDb }) => {
  const figures = createFigures({ db: readDb });
  // The whole list in one snapshot (it is read page by page), of the current records or of knownAt.
  const projectExports = knownAtReader(readDb, (db) => createProjectExports({ db, maxRows: MAX_EXPORT_ROWS }), { snapshot: true });
  const recordsExport = knownAtReader(readDb, (db) => createRecordsExport({ db }), { snapshot: true });

  app.get(
    '/exports/records',
    {
      schema: {
        operationId: 'exportRecords',
        tags,
        summary: 'Download every project with its records as one workbook, in the import\'s format / 导出全部项目及其记录（可原样导入）',
        description:
          'One XLSX with a sheet per kind — 项目, 状态历史, 年度计划, 挂点领导, 节点计划, 进度报送 (the revision in force, submittedAt in China time), 问题 — of every project not archived, as POST /v1/imports/projects reads them: exported from one database and imported into an empty one (with the same departments and leaders), it exports again identically. Projects are named by code, departments by code, leaders by name; ids are not exported. With knownAt: the records as known then. / 每类记录一个工作表，格式与导入一致：从一个数据库导出、导入空库后再导出，结果相同。',
        querystring: recordsExportQuerySchema,
        response: { 200: fileResponse('Every record / 全部记录'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { knownAt } = request.query;
      return sendFile(reply, await recordsExport(knownAt, (exports) => exports.recordsFile(knownAt)), 'xlsx');
    },
  );

  app.get(
    '/exports/metrics-summary',
    {
      schema: {
        operationId: 'exportMetricsSummary',
        tags,
        summary: 'Download the summary figures as CSV or XLSX / 导出指标汇总（CSV 或 Excel）',
        description: `The figures of GET /v1/metrics/summary, one row per figure (指标、数值、单位、分子、分母、公布数、差额、计算口径、统计截止日). ${formatNote}`,
        querystring: summaryExportQuerySchema,
        response: { 200: fileResponse('Summary figures / 指标汇总'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      return sendFile(reply, summaryFile(await figures.summary(query)), format);
    },
  );

  app.get(
    '/exports/metrics-breakdown',
    {
      schema: {
        operationId: 'exportMetricsBreakdown',
        tags,
        summary: 'Download the figures by group as CSV or XLSX / 导出分组指标（CSV 或 Excel）',
        description: `The groups of GET /v1/metrics/breakdown, one row per group with the figures as columns; no total row, since leader groups may overlap. ${formatNote}`,
        querystring: breakdownExportQuerySchema,
        response: { 200: fileResponse('Figures by group / 分组指标'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      return sendFile(reply, breakdownFile(await figures.breakdown(query)), format);
    },
  );

  app.get(
    '/exports/projects',
    {
      schema: {
        operationId: 'exportProjects',
        tags,
        summary: 'Download the matching projects as CSV or XLSX / 导出项目清单（CSV 或 Excel）',
        description: `Every project that GET /v1/projects returns for the same filters, ordered by code, in one file (with a year: one row per plan of the year, with its list, stage and planned investment); beside the record, what the office reads as of asOf: the status then and since when the current one holds, the leaders assigned, the investment completed to date (in the year when one is asked) and the last physical progress; the department by code and name. The file re-imports as it is (POST /v1/imports/projects). XLSX prints on A4 landscape, fit to width, with the header row repeated. More than ${MAX_EXPORT_ROWS} matching projects is a 422 export_too_large (narrow the filters). ${formatNote} / 与项目列表相同的筛选条件，全部结果一次导出；超过 ${MAX_EXPORT_ROWS} 条返回 422。`,
        querystring: projectsExportQuerySchema,
        response: { 200: fileResponse('Projects / 项目清单'), ...problemResponses(400, 422) },
      },
    },
    async (request, reply) => {
      const { format, knownAt, asOf, ...filters } = request.query;
      return sendFile(reply, await projectExports(knownAt, (exports) => exports.projectsFile(filters, knownAt, asOf)), format);
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const exportsModule: ApiModule = {
  routes: exportsRoutes,
  tag: { name: 'exports', description: 'CSV and Excel downloads of figures and project lists / 数据导出（CSV、Excel）' },
};
