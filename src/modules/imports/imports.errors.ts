import { AppError, badRequest } from '../../lib/errors.js';

/** One problem of an import, where a spreadsheet user finds it: row 1 is the header. */
export interface RowProblem {
  row: number;
  column: string | null;
  problem: string;
}

export function importInvalid(rows: RowProblem[]): AppError {
  return new AppError({
    code: 'import_invalid',
    status: 422,
    title: 'The import has invalid rows / 导入数据有误',
    detail: `The import has ${rows.length} problem${rows.length === 1 ? '' : 's'}; nothing was written`,
    extra: { rows },
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
