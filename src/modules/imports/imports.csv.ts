import { CsvError, parse } from 'csv-parse/sync';
import { fieldOfHeader, type ImportField } from './imports.columns.js';
import { csvMalformed, csvNotUtf8, IMPORT_ROWS_MAX, importTooManyRows, type RowProblem } from './imports.errors.js';

export type RowValues = Partial<Record<ImportField, string>>;

/** Rows to import from either media type, numbered as a spreadsheet shows them. */
export interface ImportSource {
  rows: { row: number; values: RowValues }[];
  /** How the source names each field, so that problems point at the column the user sees. */
  columns: RowValues;
  /** Fields with no column at all: reported once on the header, not once per row. */
  missingColumns: Set<ImportField>;
  problems: RowProblem[];
}

const blank = (cell: string) => cell.trim() === '';

/**
 * Reads a CSV as Excel saves it: UTF-8 with or without BOM, CRLF or LF, quoted fields holding
 * commas, quotes and line breaks. Record n (0-based) is spreadsheet row n + 1 even when a quoted
 * cell spans lines, because empty lines are kept as (skipped) records.
 */
export function readCsv(text: string, requiredFields: readonly ImportField[]): ImportSource {
  if (text.includes('\uFFFD')) throw csvNotUtf8();
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (error instanceof CsvError) throw csvMalformed(error.message);
    throw error;
  }
  const [header = [], ...data] = records;
  const problems: RowProblem[] = [];
  const columns: RowValues = {};
  const fieldAt: (ImportField | undefined)[] = header.map((cell) => {
    if (blank(cell)) return undefined;
    const field = fieldOfHeader(cell);
    if (!field) problems.push({ row: 1, column: cell.trim(), problem: 'unknown column / 无法识别的列名' });
    else if (columns[field] !== undefined) {
      problems.push({ row: 1, column: cell.trim(), problem: `same field as column "${columns[field]}" / 与其他列重复` });
      return undefined;
    } else columns[field] = cell.trim();
    return field;
  });
  const missingColumns = new Set(requiredFields.filter((field) => columns[field] === undefined));
  for (const field of missingColumns) {
    problems.push({ row: 1, column: field, problem: 'required column is missing / 缺少必填列' });
  }

  const rows = data.flatMap((cells, index) => {
    const row = index + 2;
    if (cells.every(blank)) return [];
    const values: RowValues = {};
    cells.forEach((cell, i) => {
      const field = fieldAt[i];
      if (field && !blank(cell)) values[field] = cell.trim();
      else if (!field && !blank(cell) && (i >= header.length || blank(header[i] ?? ''))) {
        problems.push({ row, column: null, problem: `value "${cell.trim()}" in column ${i + 1} has no header / 该列没有列名` });
      }
    });
    return [{ row, values }];
  });
  if (rows.length > IMPORT_ROWS_MAX) throw importTooManyRows(rows.length);
  return { rows, columns, missingColumns, problems };
}
