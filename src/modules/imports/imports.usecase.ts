import type { Db } from '../../db/types.js';
import type { RequestContext } from '../../lib/request-context.js';
import { clip } from '../../lib/problem.js';
import { IMPORT_COLUMN_MAX, IMPORT_PROBLEM_TEXT_MAX, IMPORT_WARNINGS_MAX, importInvalid, type ImportWarning, type RowProblem } from './imports.errors.js';
import type { ImportSource, RowValues } from './imports.grid.js';
import { importKinds, type ImportKind } from './imports.kinds.js';
import { validateAssignments, validateIssues, validateMilestones, validatePlans, validateReports, readHistory, type RecordContext } from './imports.records.js';
import { createImportsRepository } from './imports.repository.js';
import type { ImportResult } from './imports.schemas.js';
import type { StepClock } from './imports.steps.js';
import { validateProjects, type HistoryRow } from './imports.validate.js';

/** JSON rows of one kind numbered as the same rows under a spreadsheet header would be (rows[0] is row 2). */
export function sourceFromJson(kind: ImportKind, rows: Record<string, unknown>[]): ImportSource {
  return {
    kind,
    sheet: null,
    rows: rows.map((input, index) => {
      const values: RowValues = {};
      for (const [field, raw] of Object.entries(input)) {
        const text = raw === undefined || raw === null ? '' : String(raw).trim();
        if (text !== '') values[field] = text;
      }
      return { row: index + 2, values };
    }),
    columns: {},
    missingColumns: new Set(),
    problems: [],
    warnings: [],
  };
}

export function createImportProjects({ db, reportDueDays }: { db: Db; reportDueDays: number }) {
  const repository = createImportsRepository({ db });

  /**
   * Validates every sheet first and writes all or nothing, nothing at all on a dry run. Projects
   * are read first: the other kinds name them by code (or name projects already recorded).
   */
  return async function importProjects({ sources, warnings: fileWarnings = [], dryRun, context, clock = () => {} }: {
    sources: ImportSource[];
    warnings?: ImportWarning[];
    dryRun: boolean;
    context: RequestContext;
    /** Called as each step ends (imports.steps.ts: per-step timings). */
    clock?: StepClock;
  }): Promise<ImportResult> {
    const problems: RowProblem[] = [];
    const warnings: ImportWarning[] = [...fileWarnings];
    const byKind = new Map<ImportKind, ImportSource>();
    for (const source of sources) {
      problems.push(...source.problems);
      warnings.push(...source.warnings);
      const earlier = byKind.get(source.kind);
      if (earlier) problems.push({ sheet: source.sheet, row: 1, column: null, problem: `a second sheet of the same kind as "${earlier.sheet}" / 与工作表“${earlier.sheet}”内容类型相同` });
      else byKind.set(source.kind, source);
    }
    const empty = (kind: ImportKind): ImportSource => ({ kind, sheet: null, rows: [], columns: {}, missingColumns: new Set(), problems: [], warnings: [] });
    const of = (kind: ImportKind) => byKind.get(kind) ?? empty(kind);
    if ([...byKind.values()].every((s) => s.rows.length === 0)) {
      problems.push({ sheet: sources[0]?.sheet ?? null, row: 2, column: null, problem: 'no rows to import / 没有可导入的数据行' });
    }

    const codes = new Set<string>();
    for (const kind of importKinds) for (const { values } of of(kind).rows) if (values.code) codes.add(values.code);
    const lookups = await repository.lookups([...codes]);
    clock('lookups');
    const newCodes = new Set(of('projects').rows.flatMap((r) => (r.values.code ? [r.values.code] : [])));
    const recordContext: RecordContext = { lookups, newCodes, problems, reportDueDays, now: new Date() };

    const histories: Map<string, HistoryRow[]> = readHistory(of('statusHistory'), recordContext);
    const { projects, plans, planRows } = validateProjects(of('projects'), histories, lookups, problems);
    const drafts = {
      projects: [...projects.values()],
      plans: [...plans, ...validatePlans(of('plans'), recordContext, planRows)],
      assignments: validateAssignments(of('leaderAssignments'), recordContext),
      milestones: validateMilestones(of('milestones'), recordContext),
      reports: validateReports(of('reports'), recordContext),
      issues: validateIssues(of('issues'), recordContext),
      existing: new Map([...lookups.existingProjects].map(([code, p]) => [code, p.id])),
    };
    // The rows as read are done with: only the drafts are written (a large import's memory).
    for (const source of sources) source.rows = [];
    clock('validate');
    if (problems.length > 0) throw importInvalid(problems);

    const created = {
      projects: drafts.projects.length,
      plans: drafts.plans.length,
      statusChanges: drafts.projects.reduce((n, p) => n + p.history.length, 0),
      leaderAssignments: drafts.assignments.length,
      milestones: drafts.milestones.length,
      reports: drafts.reports.length,
      issues: drafts.issues.length,
    };
    const projectCodes = drafts.projects.map((p) => p.code);
    const listed = warnings.slice(0, IMPORT_WARNINGS_MAX).map((w) => ({
      sheet: w.sheet === null ? null : clip(w.sheet, IMPORT_COLUMN_MAX),
      column: w.column === null ? null : clip(w.column, IMPORT_COLUMN_MAX),
      warning: clip(w.warning, IMPORT_PROBLEM_TEXT_MAX),
    }));
    if (dryRun) return { dryRun, created, projectCodes, projectIds: [], warnings: listed };
    const { projectIds } = await repository.write({ drafts, context, clock });
    return { dryRun, created, projectCodes, projectIds, warnings: listed };
  };
}
