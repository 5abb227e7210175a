import { unprocessable, type AppError } from '../../lib/errors.js';

/** A file too large to build in one response: narrow the filters (e.g. by year, list or department). */
export function exportTooLarge(maxRows: number): AppError {
  return unprocessable('export_too_large', `More than ${maxRows} rows match; narrow the filters and export in parts`, { maxRows });
}
