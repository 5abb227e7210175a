import type { ProjectStatus } from '../projects/projects.public.js';
import { checkImportedHistory, historyOfCurrent, type ImportedStatusEntry } from '../projects/projects.public.js';
import { categoryOf, listOf, parseAmount, parseDate, parseYear, stageOf, statusOf, type Parsed } from './imports.columns.js';
import type { RowProblem } from './imports.errors.js';
import type { ImportSource } from './imports.grid.js';
import { asText, fromLookup, rowReaders, type RowReader } from './imports.read.js';

export interface ProjectDraft {
  row: number;
  code: string;
  name: string;
  ownerUnit: string | null;
  category: string;
  industry: string | null;
  location: string | null;
  description: string | null;
  estimatedInvestment: string;
  plannedStartDate: string | null;
  plannedCompletionDate: string | null;
  departmentId: string;
  supportingDepartmentIds: string[];
  status: ProjectStatus;
  actualStartDate: string | null;
  actualCompletionDate: string | null;
  history: ImportedStatusEntry[];
}

export interface PlanDraft {
  row: number;
  sheet: string | null;
  projectCode: string;
  year: number;
  list: string;
  stage: string;
  plannedInvestment: string;
}

/** A project already in the database that other records of the import may name. */
export interface ExistingProject {
  id: string;
  departmentId: string;
  archived: boolean;
}

export interface ImportLookups {
  /** Department id for a code or name, or why not. */
  departmentOf(value: string): Parsed<string>;
  /** Leader id for a name (or id), or why not. */
  leaderOf(value: string): Parsed<string>;
  existingProjects: ReadonlyMap<string, ExistingProject>;
  /** `${projectId}/${year}/${list}` of the plans of existing projects named by the import. */
  existingPlans: ReadonlySet<string>;
  /** `${projectId}/${period}` of the reports of existing projects named by the import. */
  existingReports: ReadonlySet<string>;
  today: string;
}

/** A status history row of the 状态历史 sheet, already read. */
export interface HistoryRow {
  row: number;
  sheet: string | null;
  code: string;
  entry: ImportedStatusEntry;
}

const projectFields = ['name', 'ownerUnit', 'category', 'industry', 'location', 'description', 'estimatedInvestment', 'plannedStartDate', 'plannedCompletionDate', 'departmentId'] as const;

function readPlan(reader: RowReader) {
  return {
    year: reader.read('year', parseYear, true),
    list: reader.read('list', fromLookup(listOf, '名单 / list'), true),
    stage: reader.read('stage', fromLookup(stageOf, '阶段 / stage'), true),
    plannedInvestment: reader.read('plannedInvestment', parseAmount, true),
  };
}

/** The plan of a row, once every part of it read without a problem. */
function planOf(plan: ReturnType<typeof readPlan>): Omit<PlanDraft, 'row' | 'sheet' | 'projectCode'> | undefined {
  const { year, list, stage, plannedInvestment } = plan;
  return year && list && stage && plannedInvestment ? { year, list, stage, plannedInvestment } : undefined;
}

/**
 * The projects sheet: every row checked against the code lists, the departments and the database,
 * every problem collected rather than stopping at the first; rows grouped by project code (more
 * rows of one code add plans and must agree on the project). The status and its history come from
 * the 状态历史 rows of the project when there are any, else from the status, its date and the
 * actual dates of the row (projects.public: historyOfCurrent), checked by the lifecycle's rules.
 */
export function validateProjects(source: ImportSource, histories: Map<string, HistoryRow[]>, lookups: ImportLookups, problems: RowProblem[]) {
  const projects = new Map<string, ProjectDraft>();
  const plans: PlanDraft[] = [];
  const planRows = new Map<string, number>();
  const departmentIdsOf = (raw: string): Parsed<string[]> => {
    const ids: string[] = [];
    for (const part of raw.split(/[、,，;；\n]/).map((p) => p.trim()).filter(Boolean)) {
      const found = lookups.departmentOf(part);
      if (!found.ok) return found;
      ids.push(found.value);
    }
    return { ok: true, value: [...new Set(ids)] };
  };

  for (const reader of rowReaders(source, problems)) {
    const { row, read, fail } = reader;
    const code = read('code', asText, true);
    const draft = {
      name: read('name', asText, true),
      ownerUnit: read('ownerUnit', asText),
      category: read('category', fromLookup(categoryOf, '项目类别 / category'), true),
      industry: read('industry', asText),
      location: read('location', asText),
      description: read('description', asText),
      estimatedInvestment: read('estimatedInvestment', parseAmount, true),
      plannedStartDate: read('plannedStartDate', parseDate),
      plannedCompletionDate: read('plannedCompletionDate', parseDate),
      departmentId: read('department', lookups.departmentOf, true),
    };
    const supportingDepartmentIds = read('supportingDepartments', departmentIdsOf) ?? [];
    const status = read('status', fromLookup(statusOf, '项目状态 / status')) as ProjectStatus | null | undefined;
    const statusDate = read('statusDate', parseDate);
    const actualStartDate = read('actualStartDate', parseDate);
    const actualCompletionDate = read('actualCompletionDate', parseDate);
    if (draft.plannedStartDate && draft.plannedCompletionDate && draft.plannedCompletionDate < draft.plannedStartDate) {
      fail('plannedCompletionDate', 'before the planned start date / 早于计划开工日期');
    }
    const hasPlan = ['year', 'list', 'stage', 'plannedInvestment'].some((field) => reader.has(field));
    const plan = hasPlan ? readPlan(reader) : undefined;
    if (!code) continue;

    const first = projects.get(code);
    if (first) {
      for (const field of projectFields) {
        const value = draft[field];
        if (value !== undefined && value !== first[field]) {
          fail(field === 'departmentId' ? 'department' : field, `differs from row ${first.row} of the same project code / 与同一项目编号的第${first.row}行不一致`);
        }
      }
    } else {
      if (lookups.existingProjects.has(code)) fail('code', `project code "${code}" already exists / 项目编号已存在`);
      const history = historyOf({ code, reader, histories, lookups, problems, status, statusDate, actualStartDate, actualCompletionDate });
      if (history) {
        projects.set(code, { row, code, ...draft, supportingDepartmentIds, ...history } as ProjectDraft);
      } else {
        // Kept so that later rows of the code are still compared with this one.
        projects.set(code, { row, code, ...draft, supportingDepartmentIds, status: 'planning', actualStartDate: null, actualCompletionDate: null, history: [] } as unknown as ProjectDraft);
      }
    }

    if (plan?.year && plan.list) {
      const key = `${code}\u0000${plan.year}\u0000${plan.list}`;
      const earlier = planRows.get(key);
      if (earlier) fail('list', `duplicate of row ${earlier}: same project, year and list / 与第${earlier}行重复（同一项目、年度、名单）`);
      else planRows.set(key, row);
    }
    const complete = plan && planOf(plan);
    if (complete) plans.push({ row, sheet: source.sheet, projectCode: code, ...complete });
  }
  return { projects, plans, planRows };
}

/** A project's status history, from its 状态历史 rows or from the status columns of its row. */
function historyOf(input: {
  code: string;
  reader: RowReader;
  histories: Map<string, HistoryRow[]>;
  lookups: ImportLookups;
  problems: RowProblem[];
  status: ProjectStatus | null | undefined;
  statusDate: string | null | undefined;
  actualStartDate: string | null | undefined;
  actualCompletionDate: string | null | undefined;
}) {
  const { code, reader, histories, lookups, problems, status, statusDate, actualStartDate, actualCompletionDate } = input;
  if (status === undefined || statusDate === undefined || actualStartDate === undefined || actualCompletionDate === undefined) return undefined;
  const rows = histories.get(code);
  let entries: ImportedStatusEntry[];
  if (rows && rows.length > 0) {
    const ordered = [...rows].sort((a, b) => (a.entry.effectiveDate < b.entry.effectiveDate ? -1 : a.entry.effectiveDate > b.entry.effectiveDate ? 1 : a.row - b.row));
    entries = ordered.map((r) => r.entry);
    const checked = checkImportedHistory(entries, lookups.today);
    for (const { index, problem } of checked.problems) {
      const at = ordered[index]!;
      problems.push({ sheet: at.sheet, row: at.row, column: 'status', problem });
    }
    if (!checked.facts) return undefined;
    const facts = checked.facts;
    const disagree = (field: string, given: string | null, derived: string | null) => {
      if (given !== null && given !== derived) {
        reader.fail(field, `"${given}" disagrees with the status history, which says ${derived ?? 'none'} / 与状态历史不一致`);
        return true;
      }
      return false;
    };
    const bad = [
      disagree('status', status, facts.status),
      disagree('actualStartDate', actualStartDate, facts.actualStartDate),
      disagree('actualCompletionDate', actualCompletionDate, facts.actualCompletionDate),
    ].some(Boolean);
    return bad ? undefined : { ...facts, history: entries };
  }
  const derived = historyOfCurrent({ status: status ?? 'planning', statusDate, actualStartDate, actualCompletionDate, today: lookups.today });
  if ('missing' in derived) {
    reader.fail(derived.missing, `required for status ${status} (or give the project's rows in the 状态历史 sheet) / 该状态须填写此日期`);
    return undefined;
  }
  const checked = checkImportedHistory(derived.entries, lookups.today);
  if (!checked.facts) {
    for (const { problem } of checked.problems) reader.fail(status === 'completed' ? 'actualCompletionDate' : 'statusDate', problem);
    return undefined;
  }
  if (actualStartDate && checked.facts.actualStartDate !== actualStartDate) {
    reader.fail('actualStartDate', `an actual start goes with a status that has started (under construction, suspended, completed), not ${status} / 实际开工日期与状态不符`);
    return undefined;
  }
  if (actualCompletionDate && status !== 'completed') {
    reader.fail('actualCompletionDate', `an actual completion goes with status completed, not ${status} / 实际竣工日期与状态不符`);
    return undefined;
  }
  return { ...checked.facts, history: derived.entries };
}
