import { z } from 'zod';
import { breakdownQuerySchema, summaryQuerySchema } from '../metrics/figures/figures.schemas.js';
import { listProjectsQuerySchema } from '../projects/projects.schemas.js';
import { dateSchema, knownAtSchema } from '../../lib/schemas.js';
import { exportFormats } from './exports.sheet.js';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const formatSchema = z
  .enum(exportFormats)
  .describe('File format: csv (UTF-8 with BOM, CRLF, RFC 4180) or xlsx (Excel workbook) / 文件格式：csv 或 xlsx');

export const summaryExportQuerySchema = summaryQuerySchema.extend({ format: formatSchema });
export const breakdownExportQuerySchema = breakdownQuerySchema.extend({ format: formatSchema });

/** The list endpoint's filters without paging: the whole result is the file. */
const { cursor: _cursor, limit: _limit, ...projectFilterShape } = listProjectsQuerySchema.shape;
export const projectsExportQuerySchema = z
  .strictObject({
    ...projectFilterShape,
    asOf: dateSchema
      .optional()
      .describe('Day the status, leaders, investment to date and last progress are given as of; default today in China (with knownAt: its day) / 统计截止日（默认北京时间今天）'),
    knownAt: knownAtSchema.optional(),
    format: formatSchema,
  })
  .refine((query) => query.year !== undefined || (query.list === undefined && query.stage === undefined), {
    message: 'list and stage filter annual plans and need a year',
    path: ['year'],
  });

export const recordsExportQuerySchema = z.strictObject({
  format: z.enum(['xlsx']).default('xlsx').describe('File format: xlsx only (one sheet per kind) / 文件格式：仅 xlsx'),
  knownAt: knownAtSchema.optional(),
});

const fileSchema = (description: string) => z.string().meta({ format: 'binary', description });

/** The 200 response: the same data as a CSV or an XLSX file, chosen by `format`. */
export function fileResponse(what: string) {
  return {
    description: `${what}: a file download (Content-Disposition: attachment) / 文件下载`,
    content: {
      'text/csv': {
        schema: fileSchema(
          'CSV, UTF-8 with BOM, CRLF, RFC 4180; Chinese / English headers in one row; amounts as plain decimals in 万元; text starting with = + - @ prefixed with \' / UTF-8（含BOM）CSV，金额为万元数字，以 = + - @ 开头的文本前加单引号',
        ),
      },
      [XLSX_TYPE]: {
        schema: fileSchema(
          'Excel workbook: a data sheet (bold frozen header, amounts as number cells in 万元 formatted #,##0.00 (exact in the cell), counts as integers, rates as percentages) and a 说明 sheet / Excel 工作簿：数据表（金额为数字单元格）与“说明”表',
        ),
      },
    },
  };
}

export type SummaryExportQuery = z.infer<typeof summaryExportQuerySchema>;
export type BreakdownExportQuery = z.infer<typeof breakdownExportQuerySchema>;
export type ProjectsExportQuery = z.infer<typeof projectsExportQuerySchema>;
