import {
  categoryOf,
  listOf,
  parseAmount,
  parseDate,
  parseYear,
  stageOf,
  type ImportField,
  type Parsed,
} from './imports.columns.js';
import type { ImportSource } from './imports.csv.js';
import type { RowProblem } from './imports.errors.js';

export const requiredFields = ['code', 'name', 'category', 'estimatedInvestment', 'department'] as const;
const planFields = ['year', 'list', 'stage', 'plannedInvestment'] as const;

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
}

export interface PlanDraft {
  row: number;
  projectCode: string;
  year: number;
  list: string;
  stage: string;
  plannedInvestment: string;
}

export interface ImportLookups {
  /** Department id for a code or name, or why not. */
  departmentOf(value: string): Parsed<string>;
  existingCodes: ReadonlySet<string>;
}

export interface ImportDraft {
  projects: ProjectDraft[];
  plans: PlanDraft[];
  problems: RowProblem[];
}

const maxLength: Partial<Record<ImportField, number>> = {
  code: 64, name: 200, ownerUnit: 200, industry: 100, location: 200, description: 2000,
};

const unknownCode = (raw: string, what: string) => ({ ok: false as const, problem: `unknown ${what} "${raw}" / 无法识别的${what === 'category' ? '项目类别' : what === 'list' ? '名单' : '阶段'}` });
const fromLookup = (value: string | undefined, raw: string, what: string): Parsed<string> =>
  value ? { ok: true, value } : unknownCode(raw, what);

/**
 * Checks every row against the code lists, the departments and the database, collecting every
 * problem rather than stopping at the first, and groups rows by project code.
 */
export function validateImport(source: ImportSource, lookups: ImportLookups): ImportDraft {
  const problems = [...source.problems];
  const projects = new Map<string, ProjectDraft>();
  const plans: PlanDraft[] = [];
  const planRows = new Map<string, number>();
  if (source.rows.length === 0) problems.push({ row: 2, column: null, problem: 'no rows to import / 没有可导入的数据行' });

  for (const { row, values } of source.rows) {
    const fail = (field: ImportField, problem: string) => problems.push({ row, column: source.columns[field] ?? field, problem });
    function read<T>(field: ImportField, parser: (raw: string) => Parsed<T>, required: boolean): T | null | undefined {
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
    const asText = (raw: string): Parsed<string> => ({ ok: true, value: raw });

    const code = read('code', asText, true);
    const draft = {
      name: read('name', asText, true),
      ownerUnit: read('ownerUnit', asText, false),
      category: read('category', (raw) => fromLookup(categoryOf(raw), raw, 'category'), true),
      industry: read('industry', asText, false),
      location: read('location', asText, false),
      description: read('description', asText, false),
      estimatedInvestment: read('estimatedInvestment', parseAmount, true),
      plannedStartDate: read('plannedStartDate', parseDate, false),
      plannedCompletionDate: read('plannedCompletionDate', parseDate, false),
      departmentId: read('department', lookups.departmentOf, true),
    };
    if (draft.plannedStartDate && draft.plannedCompletionDate && draft.plannedCompletionDate < draft.plannedStartDate) {
      fail('plannedCompletionDate', 'before the planned start date / 早于计划开工日期');
    }
    const hasPlan = planFields.some((field) => values[field] !== undefined);
    const plan = hasPlan
      ? {
          year: read('year', parseYear, true),
          list: read('list', (raw) => fromLookup(listOf(raw), raw, 'list'), true),
          stage: read('stage', (raw) => fromLookup(stageOf(raw), raw, 'stage'), true),
          plannedInvestment: read('plannedInvestment', parseAmount, true),
        }
      : undefined;
    if (!code) continue;

    const first = projects.get(code);
    if (first) {
      for (const [field, value] of Object.entries(draft) as [keyof typeof draft, unknown][]) {
        if (value !== undefined && value !== first[field]) {
          fail(field === 'departmentId' ? 'department' : field, `differs from row ${first.row} of the same project code / 与同一项目编号的第${first.row}行不一致`);
        }
      }
    } else {
      if (lookups.existingCodes.has(code)) fail('code', `project code "${code}" already exists / 项目编号已存在`);
      projects.set(code, { row, code, ...draft } as ProjectDraft);
    }

    if (plan?.year && plan.list) {
      const key = `${plan.year}\u0000${plan.list}`;
      const earlier = planRows.get(`${code}\u0000${key}`);
      if (earlier) fail('list', `duplicate of row ${earlier}: same project, year and list / 与第${earlier}行重复（同一项目、年度、名单）`);
      else planRows.set(`${code}\u0000${key}`, row);
    }
    if (plan && Object.values(plan).every((v) => v !== undefined && v !== null)) {
      plans.push({ row, projectCode: code, ...(plan as Omit<PlanDraft, 'row' | 'projectCode'>) });
    }
  }
  return { projects: [...projects.values()], plans, problems };
}
