import { dueDateOf, lateFrom, parsePeriod, periodBounds } from '../../domain/periods.js';
import type { ProjectStatus } from '../projects/projects.public.js';
import {
  handlingModeOf,
  issueCategoryOf,
  issueSourceOf,
  issueStatusOf,
  leaderRoleOf,
  listOf,
  milestoneKindOf,
  parseAmount,
  parseBoolean,
  parseDate,
  parseInstant,
  parsePercent,
  parseYear,
  stageOf,
  statusOf,
  type Parsed,
} from './imports.columns.js';
import type { RowProblem } from './imports.errors.js';
import type { ImportSource } from './imports.grid.js';
import { asText, fromLookup, rowReaders, type RowReader } from './imports.read.js';
import type { HistoryRow, ImportLookups, PlanDraft } from './imports.validate.js';

/** Which project a record names: one created by this import (by code) or one already recorded. */
export type ProjectRef = { code: string; id?: string; departmentId?: string };

export interface AssignmentDraft { row: number; project: ProjectRef; leaderId: string; role: string; startDate: string; endDate: string | null; notes: string | null }
export interface MilestoneDraft {
  row: number; project: ProjectRef; kind: string; title: string | null; plannedDate: string; baselineDate: string;
  forecastDate: string | null; actualDate: string | null; evidence: string | null;
}
export interface ReportDraft {
  row: number; project: ProjectRef; period: string; periodStart: string; periodEnd: string; dueDate: string; submittedAt: string; late: boolean;
  investmentCompleted: string; physicalProgress: string | null; workOngoing: boolean; narrative: string | null;
}
export interface IssueDraft {
  row: number; project: ProjectRef; title: string; description: string | null; category: string; source: string; raisedBy: string | null; raisedOn: string;
  handlingMode: string; assignedDepartmentId: string; assigneeName: string | null; dueDate: string | null; status: string; resolution: string | null; resolvedOn: string | null;
}

export interface RecordContext {
  lookups: ImportLookups;
  /** Codes of the projects this import creates. */
  newCodes: ReadonlySet<string>;
  problems: RowProblem[];
  reportDueDays: number;
  now: Date;
}

const notFuture = (today: string) => (parse: (raw: string) => Parsed<string>) => (raw: string): Parsed<string> => {
  const parsed = parse(raw);
  if (parsed.ok && parsed.value.slice(0, 10) > today) return { ok: false, problem: `${parsed.value} lies after today (${today}, China time) / 晚于今天` };
  return parsed;
};

/** One reference per project for all its rows (24 reports of a project share it). */
const refs = new WeakMap<RecordContext, Map<string, ProjectRef>>();

function projectOf(reader: RowReader, context: RecordContext): ProjectRef | undefined {
  const code = reader.read('code', (raw) => ({ ok: true, value: raw }), true);
  if (!code) return undefined;
  let known = refs.get(context);
  if (!known) refs.set(context, (known = new Map()));
  const ref = known.get(code);
  if (ref) return ref;
  const made = refOf(code, reader, context);
  if (made) known.set(code, made);
  return made;
}

function refOf(code: string, reader: RowReader, context: RecordContext): ProjectRef | undefined {
  if (context.newCodes.has(code)) return { code };
  const existing = context.lookups.existingProjects.get(code);
  if (!existing) return void reader.fail('code', `no project "${code}" in this import or in the records / 项目编号不存在`);
  if (existing.archived) return void reader.fail('code', `project "${code}" is archived / 该项目已归档`);
  return { code, id: existing.id, departmentId: existing.departmentId };
}

const periodParser = (raw: string): Parsed<string> => {
  // 2022-03-H2, or as offices write it: 2022年3月下半月, 2022-03 下半月.
  const text = raw.trim();
  const zh = /^(\d{4})[-年/.]?(\d{1,2})月?\s*(上|下)半?月?$/.exec(text);
  const code = zh ? `${zh[1]}-${zh[2]!.padStart(2, '0')}-H${zh[3] === '上' ? 1 : 2}` : text.toUpperCase();
  return parsePeriod(code) ? { ok: true, value: code } : { ok: false, problem: `"${raw}" is not a half-month period like 2022-03-H2 or 2022年3月下半月 / 报送期格式应为 2022-03-H2` };
};

/** 年度计划: plans of projects of the import or already recorded. */
export function validatePlans(source: ImportSource, context: RecordContext, planRows: Map<string, number>): PlanDraft[] {
  const plans: PlanDraft[] = [];
  for (const reader of rowReaders(source, context.problems)) {
    const project = projectOf(reader, context);
    const year = reader.read('year', parseYear, true);
    const list = reader.read('list', fromLookup(listOf, '名单 / list'), true);
    const stage = reader.read('stage', fromLookup(stageOf, '阶段 / stage'), true);
    const plannedInvestment = reader.read('plannedInvestment', parseAmount, true);
    if (!project || !year || !list || !stage || !plannedInvestment) continue;
    const key = `${project.code}\u0000${year}\u0000${list}`;
    const earlier = planRows.get(key);
    if (earlier || (project.id && context.lookups.existingPlans.has(`${project.id}/${year}/${list}`))) {
      reader.fail('list', earlier ? `duplicate of a plan of row ${earlier} / 与第${earlier}行的年度计划重复` : 'the project already has a plan on this list for the year / 该项目该年度该名单的计划已存在');
      continue;
    }
    planRows.set(key, reader.row);
    plans.push({ row: reader.row, sheet: source.sheet, projectCode: project.code, year, list, stage, plannedInvestment });
  }
  return plans;
}

/** 状态历史: each project's dated statuses, grouped by code (checked with the project they belong to). */
export function readHistory(source: ImportSource, context: RecordContext): Map<string, HistoryRow[]> {
  const byCode = new Map<string, HistoryRow[]>();
  for (const reader of rowReaders(source, context.problems)) {
    const code = reader.read('code', asText, true);
    const status = reader.read('status', fromLookup(statusOf, '项目状态 / status'), true) as ProjectStatus | undefined;
    const effectiveDate = reader.read('effectiveDate', parseDate, true);
    const reason = reader.read('reason', asText);
    if (!code) continue;
    if (!context.newCodes.has(code)) {
      reader.fail('code', context.lookups.existingProjects.has(code)
        ? 'the status of a recorded project changes by its transitions (POST /v1/projects/{id}/transitions), not by an import / 已有项目的状态请通过状态变更接口修改'
        : `no project "${code}" in this import / 本次导入中没有该项目`);
      continue;
    }
    if (!status || !effectiveDate || reason === undefined) continue;
    const rows = byCode.get(code) ?? [];
    rows.push({ row: reader.row, sheet: source.sheet, code, entry: { status, effectiveDate, reason } });
    byCode.set(code, rows);
  }
  return byCode;
}

export function validateAssignments(source: ImportSource, context: RecordContext): AssignmentDraft[] {
  const out: AssignmentDraft[] = [];
  for (const reader of rowReaders(source, context.problems)) {
    const project = projectOf(reader, context);
    const leaderId = reader.read('leader', context.lookups.leaderOf, true);
    const role = reader.read('role', fromLookup(leaderRoleOf, '挂点角色 / role')) ?? 'lead';
    const startDate = reader.read('startDate', parseDate, true);
    const endDate = reader.read('endDate', parseDate);
    const notes = reader.read('notes', asText);
    if (startDate && endDate && endDate < startDate) reader.fail('endDate', 'before the start date / 早于开始日期');
    else if (project && leaderId && role && startDate && endDate !== undefined && notes !== undefined) {
      out.push({ row: reader.row, project, leaderId, role, startDate, endDate, notes });
    }
  }
  return out;
}

export function validateMilestones(source: ImportSource, context: RecordContext): MilestoneDraft[] {
  const out: MilestoneDraft[] = [];
  const happened = notFuture(context.lookups.today)(parseDate);
  for (const reader of rowReaders(source, context.problems)) {
    const project = projectOf(reader, context);
    const kind = reader.read('kind', fromLookup(milestoneKindOf, '节点类型 / milestone kind'), true);
    const title = reader.read('title', asText);
    const plannedDate = reader.read('plannedDate', parseDate, true);
    const baselineDate = reader.read('baselineDate', parseDate);
    const forecastDate = reader.read('forecastDate', parseDate);
    const actualDate = reader.read('actualDate', happened);
    const evidence = reader.read('evidence', asText);
    if (kind === 'other' && !title) reader.fail('title', 'required for a milestone of kind other / 其他节点须填写节点名称');
    else if (project && kind && plannedDate && title !== undefined && baselineDate !== undefined && forecastDate !== undefined && actualDate !== undefined && evidence !== undefined) {
      out.push({ row: reader.row, project, kind, title, plannedDate, baselineDate: baselineDate ?? plannedDate, forecastDate, actualDate, evidence });
    }
  }
  return out;
}

/**
 * 进度报送: past half-month reports with their original submittedAt (the import is the office's
 * path, as a report's submittedAt is in POST /v1/progress-reports), late judged on it as the API
 * judges it; without one a report is submitted now. One report per project and period.
 */
export function validateReports(source: ImportSource, context: RecordContext): ReportDraft[] {
  const out: ReportDraft[] = [];
  const seen = new Map<string, number>();
  const nowIso = context.now.toISOString();
  // A few dozen periods for 240,000 rows: their dates computed once each.
  const periods = new Map<string, { start: string; end: string; dueDate: string; deadline: number }>();
  const datesOf = (period: string) => {
    let dates = periods.get(period);
    if (!dates) {
      const { start, end } = periodBounds(period);
      const dueDate = dueDateOf(period, context.reportDueDays);
      periods.set(period, (dates = { start, end, dueDate, deadline: lateFrom(dueDate) }));
    }
    return dates;
  };
  for (const reader of rowReaders(source, context.problems)) {
    const project = projectOf(reader, context);
    const period = reader.read('period', periodParser, true);
    const investmentCompleted = reader.read('investmentCompleted', parseAmount, true);
    const physicalProgress = reader.read('physicalProgress', parsePercent);
    const workOngoing = reader.read('workOngoing', parseBoolean, true);
    const narrative = reader.read('narrative', asText);
    const submitted = reader.read('submittedAt', parseInstant);
    if (!project || !period || !investmentCompleted || workOngoing === undefined || workOngoing === null || physicalProgress === undefined || narrative === undefined || submitted === undefined) continue;
    const submittedAt = submitted ?? nowIso;
    const { start, end, dueDate, deadline } = datesOf(period);
    const submittedMs = Date.parse(submittedAt);
    if (submittedAt > nowIso) {
      reader.fail('submittedAt', `${submittedAt} lies in the future / 报送时间晚于当前时间`);
      continue;
    }
    if (new Date(submittedMs + 8 * 3_600_000).toISOString().slice(0, 10) < start) {
      reader.fail(submitted ? 'submittedAt' : 'period', `a report of ${period} cannot be submitted before the period starts (${start}) / 报送时间早于报送期开始`);
      continue;
    }
    const key = `${project.code}\u0000${period}`;
    const earlier = seen.get(key);
    if (earlier || (project.id && context.lookups.existingReports.has(`${project.id}/${period}`))) {
      reader.fail('period', earlier ? `duplicate of row ${earlier}: one report per project and period / 与第${earlier}行重复` : 'the project already has a report of this period / 该项目该期已报送');
      continue;
    }
    seen.set(key, reader.row);
    out.push({
      row: reader.row, project, period, periodStart: start, periodEnd: end, dueDate, submittedAt, late: submittedMs >= deadline,
      investmentCompleted, physicalProgress, workOngoing, narrative,
    });
  }
  return out;
}

export function validateIssues(source: ImportSource, context: RecordContext): IssueDraft[] {
  const out: IssueDraft[] = [];
  const happened = notFuture(context.lookups.today)(parseDate);
  for (const reader of rowReaders(source, context.problems)) {
    const project = projectOf(reader, context);
    const draft = {
      title: reader.read('title', asText, true),
      description: reader.read('description', asText),
      category: reader.read('category', fromLookup(issueCategoryOf, '问题类别 / category')) ?? 'other',
      source: reader.read('source', fromLookup(issueSourceOf, '问题来源 / source'), true),
      raisedBy: reader.read('raisedBy', asText),
      raisedOn: reader.read('raisedOn', happened, true),
      handlingMode: reader.read('handlingMode', fromLookup(handlingModeOf, '办理方式 / handling mode'), true),
      assignedDepartmentId: reader.read('department', context.lookups.departmentOf, true),
      assigneeName: reader.read('assigneeName', asText),
      dueDate: reader.read('dueDate', parseDate),
      status: reader.read('status', fromLookup(issueStatusOf, '办理状态 / status')),
      resolution: reader.read('resolution', asText),
      resolvedOn: reader.read('resolvedOn', happened),
    };
    if (Object.values(draft).some((v) => v === undefined) || !project) continue;
    const status = draft.status ?? (draft.resolvedOn ? 'resolved' : 'open');
    if (status === 'resolved' && (!draft.resolution || !draft.resolvedOn)) {
      reader.fail(draft.resolvedOn ? 'resolution' : 'resolvedOn', 'a resolved issue needs its resolution and the day it came / 已解决的问题须填写办理结果和解决日期');
      continue;
    }
    if (draft.resolvedOn && draft.raisedOn && draft.resolvedOn < draft.raisedOn) {
      reader.fail('resolvedOn', 'before the day it was raised / 早于提出日期');
      continue;
    }
    if (draft.resolvedOn && status !== 'resolved' && status !== 'withdrawn') {
      reader.fail('resolvedOn', `an issue ${status} has no resolution day / 未办结的问题不应有解决日期`);
      continue;
    }
    out.push({ row: reader.row, project, ...(draft as Omit<IssueDraft, 'row' | 'project' | 'status'>), status });
  }
  return out;
}
