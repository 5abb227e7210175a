import { rowsMaxOf, importTooManyRows, type ImportWarning, type RowProblem } from './imports.errors.js';
import { kindSpecs, matcherFor, type ImportKind } from './imports.kinds.js';

/** One field's text by field name. */
export type RowValues = Record<string, string>;

/** A sheet as read from a file: row 1 is the header; cells are text (dates already ISO where the file said so). */
export interface Grid {
  sheet: string | null;
  header: string[];
  rows: { row: number; cells: (string | undefined)[] }[];
  /** What the reader found wrong with a cell (a formula, a merged range), by 0-based column. */
  cellProblems: { row: number; column: number; problem: string }[];
}

/** Rows of one kind to import, numbered as a spreadsheet shows them. */
export interface ImportSource {
  kind: ImportKind;
  sheet: string | null;
  rows: { row: number; values: RowValues }[];
  /** How the source names each field, so that problems point at the column the user sees. */
  columns: RowValues;
  /** Fields with no column at all: reported once on the header, not once per row. */
  missingColumns: Set<string>;
  problems: RowProblem[];
  warnings: ImportWarning[];
}

const blank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

/** Spreadsheet column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * Maps a grid's header onto a kind's fields. A column the kind does not know is read past and listed
 * as a warning (an office's 备注 must not refuse the file); two columns of one field, a required
 * column missing, and a value under no header are problems.
 */
export function sourceOf(kind: ImportKind, grid: Grid): ImportSource {
  const spec = kindSpecs[kind];
  const matcher = matcherFor(kind);
  const { sheet } = grid;
  const problems: RowProblem[] = [];
  const warnings: ImportWarning[] = [];
  const columns: RowValues = {};
  const nameOf = (i: number) => (blank(grid.header[i]) ? columnLetters(i) : grid.header[i]!.trim());
  const fieldAt = grid.header.map((cell, i) => {
    if (blank(cell)) return undefined;
    const text = cell!.trim();
    const field = matcher.fieldOf(text);
    if (!field) {
      warnings.push({
        sheet,
        column: text,
        warning: matcher.isDerived(text)
          ? 'derived or assigned by the service, not imported / 由系统生成或计算，不导入'
          : 'unknown column, ignored / 无法识别的列，已忽略',
      });
      return undefined;
    }
    if (columns[field] !== undefined) {
      problems.push({ sheet, row: 1, column: text, problem: `same field as column "${columns[field]}" / 与其他列重复` });
      return undefined;
    }
    columns[field] = text;
    return field;
  });
  const missingColumns = new Set(spec.required.filter((field) => columns[field] === undefined));
  for (const field of missingColumns) {
    problems.push({ sheet, row: 1, column: spec.headers[field]![0]!, problem: 'required column is missing / 缺少必填列' });
  }
  for (const { row, column, problem } of grid.cellProblems) problems.push({ sheet, row, column: nameOf(column), problem });

  const rows: ImportSource['rows'] = [];
  for (const { row, cells } of grid.rows) {
    if (cells.every(blank)) continue;
    const values: RowValues = {};
    cells.forEach((cell, i) => {
      if (blank(cell)) return;
      const field = fieldAt[i];
      if (field) values[field] = cell!.trim();
      else if (blank(grid.header[i])) {
        problems.push({ sheet, row, column: columnLetters(i), problem: `value "${cell!.trim()}" in column ${columnLetters(i)} has no header / 该列没有列名` });
      }
    });
    rows.push({ row, values });
  }
  if (rows.length > rowsMaxOf(kind)) throw importTooManyRows(rows.length, rowsMaxOf(kind), sheet);
  return { kind, sheet, rows, columns, missingColumns, problems, warnings };
}
