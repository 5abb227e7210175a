import { CsvError, parse } from 'csv-parse/sync';
import { csvMalformed, csvNotUtf8, unsupportedCharset } from './imports.errors.js';
import type { Grid } from './imports.grid.js';

const CHARSETS: Record<string, string> = {
  'utf-8': 'utf-8', utf8: 'utf-8', gbk: 'gbk', gb2312: 'gbk', 'x-gbk': 'gbk', cp936: 'gbk', gb18030: 'gb18030',
};

/** The charset a Content-Type names (`text/csv; charset=gbk`), or undefined. */
export function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/**
 * The text of a CSV as Excel saves it: UTF-8 with or without BOM, or — when Excel on a Chinese
 * Windows saves "CSV (逗号分隔)" — GBK (read as GB18030, its superset). A named charset is used as
 * named; without one, bytes that are not valid UTF-8 are read as GB18030. Bytes valid in neither
 * are a 400, never replacement characters in the records.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string): string {
  const named = charset === undefined ? undefined : CHARSETS[charset];
  if (charset !== undefined && !named) throw unsupportedCharset(charset);
  const utf8BomFree = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const attempt = (encoding: string, data: Uint8Array) => {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(data);
    } catch {
      return undefined;
    }
  };
  // A UTF-8 BOM decides, whatever the header says (Excel's "CSV UTF-8" writes one).
  if (utf8BomFree !== bytes || named === 'utf-8') {
    const text = attempt('utf-8', utf8BomFree);
    if (text === undefined) throw csvNotUtf8();
    return text;
  }
  if (named) {
    const text = attempt('gb18030', bytes);
    if (text === undefined) throw csvNotUtf8();
    return text;
  }
  const text = attempt('utf-8', bytes) ?? attempt('gb18030', bytes);
  if (text === undefined) throw csvNotUtf8();
  return text;
}

/**
 * Reads CSV text into a grid: CRLF or LF, quoted fields holding commas, quotes and line breaks.
 * Record n (0-based) is spreadsheet row n + 1 even when a quoted cell spans lines, because empty
 * lines are kept as (skipped) records.
 */
export function csvGrid(text: string): Grid {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (error instanceof CsvError) throw csvMalformed(error.message);
    throw error;
  }
  const [header = [], ...data] = records;
  return { sheet: null, header, rows: data.map((cells, index) => ({ row: index + 2, cells })), cellProblems: [] };
}
