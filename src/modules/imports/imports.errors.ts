import { AppError, badRequest } from '../../lib/errors.js';
import { clip, titleFor } from '../../lib/problem.js';

/** One problem of an import, where a spreadsheet user finds it: row 1 is the header. */
export interface RowProblem {
  /** The worksheet of an .xlsx import; null for a CSV or JSON. */
  sheet?: string | null;
  row: number;
  column: string | null;
  problem: string;
}

/** A refused import lists at most this many problems (detail and problemCount count them all). */
export const IMPORT_PROBLEMS_MAX = 1000;
/** Lengths a listed problem is cut to: a column is a header cell, a problem may quote a cell. */
export const IMPORT_COLUMN_MAX = 200;
export const IMPORT_PROBLEM_TEXT_MAX = 1000;

export function importInvalid(rows: RowProblem[]): AppError {
  const listed = rows.slice(0, IMPORT_PROBLEMS_MAX).map((r) => ({
    sheet: r.sheet === null || r.sheet === undefined ? null : clip(r.sheet, IMPORT_COLUMN_MAX),
    row: r.row,
    column: r.column === null ? null : clip(r.column, IMPORT_COLUMN_MAX),
    problem: clip(r.problem, IMPORT_PROBLEM_TEXT_MAX),
  }));
  const cut = rows.length > listed.length ? ` (the first ${listed.length} are listed)` : '';
  return new AppError({
    code: 'import_invalid',
    status: 422,
    title: 'The import has invalid rows / 导入数据有误',
    detail: `The import has ${rows.length} problem${rows.length === 1 ? '' : 's'}${cut}; nothing was written`,
    extra: { problemCount: rows.length, rows: listed },
  });
}

/** Something the import passed over without refusing it (a column it does not know, a sheet it does not read). */
export interface ImportWarning {
  sheet: string | null;
  column: string | null;
  warning: string;
}
export const IMPORT_WARNINGS_MAX = 200;

/** Projects of one import (and so JSON rows): the result lists one code per project. */
export const IMPORT_ROWS_MAX = 100_000;
/** Rows of each other kind (240,000 half-month reports are 10,000 projects' year). */
export const IMPORT_RECORD_ROWS_MAX = 500_000;
export const rowsMaxOf = (kind: string) => (kind === 'projects' ? IMPORT_ROWS_MAX : IMPORT_RECORD_ROWS_MAX);

export function importTooManyRows(count: number, max: number, sheet: string | null = null): AppError {
  return new AppError({
    code: 'import_too_many_rows',
    status: 413,
    title: titleFor(413),
    detail: `${sheet ? `Sheet "${sheet}"` : 'The file'} has ${count} data rows; import at most ${max} at a time / 数据行过多，每次最多导入 ${max} 行`,
  });
}

export function csvMalformed(detail: string): AppError {
  return badRequest('csv_malformed', `The CSV cannot be read: ${detail} / CSV 文件格式有误`);
}

export function csvNotUtf8(): AppError {
  return badRequest(
    'csv_not_utf8',
    'The CSV is neither UTF-8 nor GBK/GB18030: in Excel save it as "CSV UTF-8 (逗号分隔)", or name its charset (text/csv; charset=gbk) / CSV 编码无法识别，请另存为“CSV UTF-8（逗号分隔）”或在 Content-Type 中注明 charset',
  );
}

export function unsupportedCharset(charset: string): AppError {
  return new AppError({
    code: 'unsupported_charset',
    status: 415,
    title: 'Unsupported media type / 不支持的媒体类型',
    detail: `charset=${charset} is not read; send UTF-8, GBK or GB18030 / 仅支持 UTF-8、GBK、GB18030 编码`,
  });
}

export function unsupportedMediaType(mediaType: string): AppError {
  return new AppError({
    code: 'unsupported_media_type',
    status: 415,
    title: 'Unsupported media type / 不支持的媒体类型',
    detail: `Send the import as an Excel workbook (.xlsx), text/csv or application/json, not ${mediaType} / 请以 .xlsx、CSV 或 JSON 提交`,
  });
}

export function importBodyMissing(): AppError {
  return badRequest('empty_body', 'Send the import as .xlsx, text/csv or application/json rows; the request has no body / 请求没有内容');
}

/** The body is not what its Content-Type says (an .xlsx that is no zip, a zip that is no workbook). */
export function fileNotOfType(what: string, detail: string): AppError {
  return new AppError({
    code: 'file_not_of_type',
    status: 415,
    title: 'The file is not what its type says / 文件与其类型不符',
    detail: `The body is not ${what}: ${detail}`,
  });
}

/** A workbook that inflates past the limit (a zip bomb, or simply too much): refused while inflating. */
export function xlsxTooLarge(limit: number, detail: string): AppError {
  return new AppError({
    code: 'xlsx_too_large',
    status: 413,
    title: titleFor(413),
    detail: `The workbook ${detail}; at most ${limit} bytes of sheet data are read / 工作簿解压后超过 ${Math.round(limit / 1048576)} MB，请拆分后导入`,
    extra: { limit },
  });
}

/** A workbook without a sheet of any kind the import reads. */
export function noKnownSheet(found: string[]): AppError {
  return new AppError({
    code: 'no_known_sheet',
    status: 422,
    title: 'No sheet to import / 没有可导入的工作表',
    detail: `The workbook has no sheet the import reads (项目 / Projects, 年度计划 / Plans, 状态历史 / Status history, 挂点领导 / Leader assignments, 节点计划 / Milestones, 进度报送 / Reports, 问题 / Issues); it has: ${found.map((n) => `"${n}"`).join(', ')} / 工作表名称无法识别`,
    extra: { sheets: found.slice(0, 50) },
  });
}

/** More imports waiting than IMPORT_QUEUE_MAX: try again shortly (Retry-After). */
export function importsBusy(): AppError {
  return new AppError({
    code: 'imports_busy',
    status: 503,
    title: titleFor(503),
    detail: 'Other imports are running and waiting on this instance; retry after the number of seconds in Retry-After / 其他导入正在处理，请按 Retry-After 稍后重试',
  });
}
