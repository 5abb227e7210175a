import { typedOf, type Sheet, type TypedCell } from './exports.sheet.js';

const BOM = '\uFEFF';
const CRLF = '\r\n';
const decimal = /^-?\d+(\.\d+)?$/;

/**
 * Text that a spreadsheet would read as a formula (OWASP "CSV injection"): = + - @ and the tab and
 * carriage return that some versions also accept at the start. A leading apostrophe makes it text.
 */
const formulaStart = /^[=+\-@\t\r]/;

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Numbers are written as plain digits (no thousands separator, no quotes) so Excel reads them as
 * numbers; they are never escaped, so a negative difference stays a number.
 */
function render(cell: TypedCell): string {
  const { kind, value } = cell;
  if (value === null) return '';
  if (kind === 'text') {
    const text = String(value);
    return quote(formulaStart.test(text) ? `'${text}` : text);
  }
  const text = String(value);
  if (kind === 'date') return text;
  if (!decimal.test(text)) throw new Error(`export: ${kind} cell is not a plain decimal: ${text}`);
  return text;
}

/** RFC 4180 CSV, UTF-8 with a byte-order mark so Excel opens Chinese text correctly, CRLF line ends. */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [sheet.columns.map((c) => quote(c.header)).join(',')];
  for (const row of sheet.rows) {
    lines.push(sheet.columns.map((column, i) => render(typedOf(row[i] ?? null, column))).join(','));
  }
  return Buffer.from(BOM + lines.join(CRLF) + CRLF, 'utf8');
}
