import type { Db } from '../../db/types.js';
import type { RequestContext } from '../../lib/request-context.js';
import { importFields } from './imports.columns.js';
import type { ImportSource, RowValues } from './imports.csv.js';
import { importInvalid } from './imports.errors.js';
import { createImportsRepository } from './imports.repository.js';
import type { ImportJsonBody, ImportResult } from './imports.schemas.js';
import { validateImport } from './imports.validate.js';

/** JSON rows numbered as the same rows under a spreadsheet header would be (rows[0] is row 2). */
export function sourceFromJson(body: ImportJsonBody): ImportSource {
  const rows = body.rows.map((input, index) => {
    const values: RowValues = {};
    for (const field of importFields) {
      const raw = input[field];
      const text = raw === undefined ? '' : String(raw).trim();
      if (text !== '') values[field] = text;
    }
    return { row: index + 2, values };
  });
  return { rows, columns: {}, missingColumns: new Set(), problems: [] };
}

export function createImportProjects({ db }: { db: Db }) {
  const repository = createImportsRepository({ db });

  /** Validates everything first; writes all or nothing, and nothing at all on a dry run. */
  return async function importProjects({ source, dryRun, context }: { source: ImportSource; dryRun: boolean; context: RequestContext }): Promise<ImportResult> {
    const codes = source.rows.flatMap((r) => (r.values.code ? [r.values.code] : []));
    const draft = validateImport(source, await repository.lookups(codes));
    if (draft.problems.length > 0) throw importInvalid(draft.problems);
    const created = { projects: draft.projects.length, plans: draft.plans.length };
    const projectCodes = draft.projects.map((p) => p.code);
    if (dryRun) return { dryRun, created, projectCodes, projectIds: [] };
    const { projectIds } = await repository.write({ projectDrafts: draft.projects, planDrafts: draft.plans, context });
    return { dryRun, created, projectCodes, projectIds };
  };
}
