import type { ImportSource } from './imports.grid.js';
import type { RowProblem } from './imports.errors.js';
import type { Parsed } from './imports.columns.js';

/** The longest text a field of each kind keeps (as the API's schemas do). */
const maxLength: Record<string, number> = {
  code: 64, name: 200, ownerUnit: 200, industry: 100, location: 200, description: 5000, title: 200, evidence: 2000,
  narrative: 2000, notes: 1000, reason: 500, raisedBy: 200, assigneeName: 100, resolution: 5000, leader: 100,
};

export const asText = (raw: string): Parsed<string> => ({ ok: true, value: raw });

/** What reading one row's cells needs: where to report a problem, and a typed read of each field. */
export interface RowReader {
  row: number;
  fail(field: string, problem: string): void;
  /** The parsed value; null when empty and optional; undefined when it has a problem (already reported). */
  read<T>(field: string, parser: (raw: string) => Parsed<T>, required?: boolean): T | null | undefined;
  has(field: string): boolean;
}

/**
 * One reader per row, made as the row is reached (a generator: 240,000 rows' readers are never
 * held at once), reporting into `problems` under the column the file names.
 */
export function* rowReaders(source: ImportSource, problems: RowProblem[]): Generator<RowReader & { values: Record<string, string> }> {
  // JSON rows have no columns: their problems name the field, as the JSON body does.
  const columnOf = (field: string) => source.columns[field] ?? field;
  for (const { row, values } of source.rows) {
    const fail = (field: string, problem: string) => problems.push({ sheet: source.sheet, row, column: columnOf(field), problem });
    function read<T>(field: string, parser: (raw: string) => Parsed<T>, required = false): T | null | undefined {
      const raw = values[field];
      if (raw === undefined) {
        if (required && !source.missingColumns.has(field)) fail(field, 'required / 必填');
        return required ? undefined : null;
      }
      const limit = maxLength[field];
      if (limit && raw.length > limit) return void fail(field, `longer than ${limit} characters / 超过${limit}个字符`);
      const parsed = parser(raw);
      if (!parsed.ok) return void fail(field, parsed.problem);
      return parsed.value;
    }
    yield { row, values, fail, read, has: (field: string) => values[field] !== undefined };
  }
}

/** A code list's value, or a problem naming what was not recognised. */
export function fromLookup(lookup: (raw: string) => string | undefined, what: string) {
  return (raw: string): Parsed<string> => {
    const value = lookup(raw);
    return value ? { ok: true, value } : { ok: false, problem: `unknown ${what} "${raw}" / 无法识别的${what}` };
  };
}
