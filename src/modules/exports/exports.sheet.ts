/**
 * The format-neutral shape of an export: typed columns and rows, rendered by exports.csv.ts and
 * exports.xlsx.ts. Money stays a decimal string here; only the spreadsheet writer turns it into a number.
 */
export type CellKind = 'text' | 'money' | 'integer' | 'rate' | 'date';

/** A cell whose kind differs from its column's (the summary's value column mixes money, counts and rates). */
export interface TypedCell {
  kind: CellKind;
  value: string | number | null;
}

export type Cell = string | number | null | TypedCell;

export interface Column {
  /** Chinese first, English after a slash: the office reads the first part, integrators the second. */
  header: string;
  kind: CellKind;
  /** Excel column width in characters (a Chinese character counts about two). */
  width: number;
}

export interface Sheet {
  /** Worksheet name (≤31 characters, Excel's limit). */
  name: string;
  columns: Column[];
  rows: Cell[][];
  /** Label/value lines for the XLSX "说明" sheet: what the figures are, as of when, from which filters. */
  about: [string, string][];
}

export interface ExportFile {
  /** File name without extension, ASCII only so no RFC 5987 encoding is needed. */
  baseName: string;
  sheet: Sheet;
  /** Further data sheets of an XLSX (one per kind of record), written after the first; a CSV has one sheet. */
  more?: Sheet[];
}

export function typedOf(cell: Cell, column: Column): TypedCell {
  if (cell !== null && typeof cell === 'object') return cell;
  return { kind: column.kind, value: cell };
}

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
