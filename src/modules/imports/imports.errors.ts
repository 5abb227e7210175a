import { AppError, badRequest } from '../../lib/errors.js';
import { clip, titleFor } from '../../lib/problem.js';

/** One problem of an import, where a spreadsheet user finds it: row 1 is the header. */
export interface RowProblem {
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

/** At most as many rows as a JSON import takes (importJsonBodySchema): the result lists one code per project. */
export const IMPORT_ROWS_MAX = 100_000;

export function importTooManyRows(count: number): AppError {
  return new AppError({
    code: 'import_too_many_rows',
    status: 413,
    title: titleFor(413),
    detail: `The CSV has ${count} data rows; import at most ${IMPORT_ROWS_MAX} at a time`,
  });
}

export function csvMalformed(detail: string): AppError {
  return badRequest('csv_malformed', `The CSV cannot be read: ${detail}`);
}

export function csvNotUtf8(): AppError {
  return badRequest('csv_not_utf8', 'The CSV is not UTF-8: in Excel save it as "CSV UTF-8 (逗号分隔)"');
}

export function unsupportedMediaType(mediaType: string): AppError {
  return new AppError({
    code: 'unsupported_media_type',
    status: 415,
    title: 'Unsupported media type / 不支持的媒体类型',
    detail: `Send the import as text/csv or application/json, not ${mediaType}`,
  });
}

export function importBodyMissing(): AppError {
  return badRequest('empty_body', 'Send the import as text/csv or as application/json rows; the request has no body');
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
