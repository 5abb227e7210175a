import { inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { dateInChina } from '../../lib/china-time.js';
import { uuidv7 } from '../../lib/ids.js';
import type { RequestContext } from '../../lib/request-context.js';
import { auditEvents } from '../audit/audit.table.js';
import { departments } from '../departments/departments.table.js';
import { projectIssues } from '../issues/issues.table.js';
import { leaderAssignments } from '../leader-assignments/leader-assignments.table.js';
import { leaders } from '../leaders/leaders.table.js';
import { projectMilestones } from '../milestones/milestones.public.js';
import { annualPlans } from '../plans/plans.table.js';
import { writeImportedStatusHistory } from '../projects/projects.public.js';
import { projects, projectSupportingDepartments } from '../projects/projects.table.js';
import { progressReportRevisions, progressReports } from '../reports/reports.table.js';
import type { Parsed } from './imports.columns.js';
import type { StepClock } from './imports.steps.js';
import type { AssignmentDraft, IssueDraft, MilestoneDraft, ProjectRef, ReportDraft } from './imports.records.js';
import type { ExistingProject, ImportLookups, PlanDraft, ProjectDraft } from './imports.validate.js';

/** Rows per INSERT: few round trips, well below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ImportDrafts {
  projects: ProjectDraft[];
  plans: PlanDraft[];
  assignments: AssignmentDraft[];
  milestones: MilestoneDraft[];
  reports: ReportDraft[];
  issues: IssueDraft[];
  /** Ids of the recorded projects the import's records name, by code. */
  existing: ReadonlyMap<string, string>;
}

/** Lookups by name where names are unique, by code or id always; a name two records share is refused. */
function byKeys<T extends { id: string; archivedAt: unknown }>(all: T[], keys: (row: T) => (string | null)[], what: { en: string; zh: string }) {
  const map = new Map<string, T | null>();
  for (const row of all) {
    map.set(row.id, row);
    for (const key of keys(row)) if (key) map.set(key, map.has(key) && map.get(key) !== row ? null : row);
  }
  return (value: string): Parsed<string> => {
    const found = map.get(value) ?? map.get(value.toLowerCase());
    if (found === null) return { ok: false, problem: `"${value}" names more than one ${what.en}; use its code / ${what.zh}名称不唯一，请填写代码` };
    if (!found) return { ok: false, problem: `unknown ${what.en} "${value}" / 无此${what.zh}` };
    if (found.archivedAt) return { ok: false, problem: `${what.en} "${value}" is archived / 该${what.zh}已归档` };
    return { ok: true, value: found.id };
  };
}

export function createImportsRepository({ db }: { db: Db }) {
  /** Departments and leaders are few: one query each. Projects, plans and reports only for the codes named. */
  async function lookups(codes: string[]): Promise<ImportLookups> {
    const allDepartments = await db.select({ id: departments.id, code: departments.code, name: departments.name, shortName: departments.shortName, archivedAt: departments.archivedAt }).from(departments);
    // A code wins over a name, a full name over a short name.
    const departmentOf = byKeys(allDepartments, (d) => [d.code.toLowerCase(), d.code, d.name, d.shortName], { en: 'department', zh: '责任部门' });
    const allLeaders = await db.select({ id: leaders.id, name: leaders.name, title: leaders.title, archivedAt: leaders.archivedAt }).from(leaders);
    const leaderOf = byKeys(allLeaders, (l) => [l.name, `${l.name}（${l.title}）`, `${l.name}(${l.title})`], { en: 'leader', zh: '领导' });

    const existingProjects = new Map<string, ExistingProject>();
    for (const part of chunks([...new Set(codes)], 5000)) {
      const rows = await db.select({ id: projects.id, code: projects.code, departmentId: projects.departmentId, archivedAt: projects.archivedAt }).from(projects).where(inArray(projects.code, part));
      for (const r of rows) existingProjects.set(r.code, { id: r.id, departmentId: r.departmentId, archived: r.archivedAt !== null });
    }
    const ids = [...existingProjects.values()].map((p) => p.id);
    const existingPlans = new Set<string>();
    const existingReports = new Set<string>();
    for (const part of chunks(ids, 5000)) {
      for (const p of await db.select({ projectId: annualPlans.projectId, year: annualPlans.year, list: annualPlans.list }).from(annualPlans).where(inArray(annualPlans.projectId, part))) {
        existingPlans.add(`${p.projectId}/${p.year}/${p.list}`);
      }
      for (const r of await db.select({ projectId: progressReports.projectId, period: progressReports.period }).from(progressReports).where(inArray(progressReports.projectId, part))) {
        existingReports.add(`${r.projectId}/${r.period}`);
      }
    }
    return { departmentOf, leaderOf, existingProjects, existingPlans, existingReports, today: dateInChina() };
  }

  /**
   * Writes everything in one transaction with multi-row INSERTs. Audit: one 'import' event per
   * created record (so a record's audit history starts at its import and says it was imported),
   * all carrying the request id so the whole import can be found again. Status histories go in
   * through the projects module; the reports' running totals are recomputed once per project at
   * the end (migration 0020) instead of once per report.
   */
  async function write({ drafts, context, clock = () => {} }: { drafts: ImportDrafts; context: RequestContext; clock?: StepClock }) {
    const idByCode = new Map(drafts.projects.map((p) => [p.code, uuidv7()]));
    const projectId = (ref: ProjectRef) => ref.id ?? idByCode.get(ref.code)!;
    const written = await db.transaction(async (tx) => {
      clock('begin');
      const audit = (resourceType: string) => (row: { id: string | number }) => ({
        actor: context.actor, actorRole: context.actorRole ?? null, onBehalfOf: context.onBehalfOf ?? null, requestId: context.requestId, action: 'import' as const, resourceType, resourceId: String(row.id), after: row,
      });
      for (const part of chunks(drafts.projects)) {
        const rows = await tx
          .insert(projects)
          .values(part.map(({ row: _row, history: _history, supportingDepartmentIds: _s, ...p }) => ({ ...p, id: idByCode.get(p.code)! })))
          .returning();
        clock('insert projects', rows.length);
        await insertAudit(tx, rows.map(audit('project')));
        clock('audit projects', rows.length);
      }
      const supporting = drafts.projects.flatMap((p) => p.supportingDepartmentIds.filter((d) => d !== p.departmentId).map((departmentId) => ({ projectId: idByCode.get(p.code)!, departmentId })));
      for (const part of chunks(supporting)) await tx.insert(projectSupportingDepartments).values(part);
      clock('insert supporting departments', supporting.length);
      const statusChanges = await writeImportedStatusHistory(tx, drafts.projects.map((p) => ({ projectId: idByCode.get(p.code)!, entries: p.history })), context.actor);
      clock('status history', statusChanges);

      for (const part of chunks(drafts.plans)) {
        const rows = await tx
          .insert(annualPlans)
          .values(part.map(({ row: _row, sheet: _sheet, projectCode, ...p }) => ({ ...p, projectId: idByCode.get(projectCode) ?? drafts.existing.get(projectCode)! })))
          .returning();
        clock('insert plans', rows.length);
        await insertAudit(tx, rows.map(audit('annual_plan')));
        clock('audit plans', rows.length);
      }
      for (const part of chunks(drafts.assignments)) {
        const rows = await tx.insert(leaderAssignments).values(part.map(({ row: _row, project, ...a }) => ({ ...a, role: a.role as 'lead', projectId: projectId(project) }))).returning();
        clock('insert leader assignments', rows.length);
        await insertAudit(tx, rows.map(audit('leader_assignment')));
        clock('audit leader assignments', rows.length);
      }
      for (const part of chunks(drafts.milestones)) {
        const rows = await tx.insert(projectMilestones).values(part.map(({ row: _row, project, ...m }) => ({ ...m, kind: m.kind as 'start', projectId: projectId(project) }))).returning();
        clock('insert milestones', rows.length);
        await insertAudit(tx, rows.map(audit('project_milestone')));
        clock('audit milestones', rows.length);
      }
      await writeReports(tx, drafts, projectId, context, audit('progress_report'), clock);
      for (const part of chunks(drafts.issues)) {
        const rows = await tx
          .insert(projectIssues)
          .values(part.map(({ row: _row, project, ...i }) => ({ ...i, category: i.category as 'other', source: i.source as 'other', handlingMode: i.handlingMode as 'immediate', status: i.status as 'open', projectId: projectId(project) })))
          .returning();
        clock('insert issues', rows.length);
        await insertAudit(tx, rows.map(audit('issue')));
        clock('audit issues', rows.length);
      }
      return { projectIds: drafts.projects.map((p) => idByCode.get(p.code)!), statusChanges };
    });
    // The deferred triggers (figure_versions) run at the commit.
    clock('commit');
    return written;
  }

  /** Reports and their first revisions; the running totals deferred to one set-based refresh. */
  async function writeReports(tx: Executor, drafts: ImportDrafts, projectId: (ref: ProjectRef) => string, context: RequestContext, audit: (row: { id: string }) => AuditRow, clock: StepClock) {
    if (drafts.reports.length === 0) return;
    const departmentOf = new Map(drafts.projects.map((p) => [p.code, p.departmentId]));
    await tx.execute(sql`select set_config('kpo.rollups_deferred', 'on', true)`);
    const touched = new Set<string>();
    for (const part of chunks(drafts.reports, 5000)) {
      const values = part.map((r) => {
        const id = projectId(r.project);
        touched.add(id);
        return {
          id: uuidv7(), project_id: id, period: r.period, period_start: r.periodStart, period_end: r.periodEnd, due_date: r.dueDate,
          department_id: r.project.departmentId ?? departmentOf.get(r.project.code)!, submitted_at: r.submittedAt, late: r.late,
        };
      });
      // As the audit events: one JSON parameter per statement, unpacked by PostgreSQL.
      await tx.execute(sql`
        insert into ${progressReports} (id, project_id, period, period_start, period_end, due_date, department_id, submitted_at, late)
        select id, project_id, period, period_start, period_end, due_date, department_id, submitted_at, late
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as t(id uuid, project_id uuid, period text, period_start date, period_end date, due_date date, department_id uuid, submitted_at timestamptz, late boolean)`);
      clock('insert reports', part.length);
      const revisions = part.map((r, i) => ({
        report_id: values[i]!.id, investment_completed: r.investmentCompleted, physical_progress: r.physicalProgress, work_ongoing: r.workOngoing, narrative: r.narrative,
      }));
      await tx.execute(sql`
        insert into ${progressReportRevisions} (report_id, revision, investment_completed, physical_progress, work_ongoing, narrative, actor)
        select report_id, 1, investment_completed, physical_progress, work_ongoing, narrative, ${context.actor}
        from jsonb_to_recordset(${JSON.stringify(revisions)}::jsonb)
          as t(report_id uuid, investment_completed numeric, physical_progress numeric, work_ongoing boolean, narrative text)`);
      clock('insert report revisions', part.length);
      await insertAudit(tx, values.map((v, i) => audit({ ...v, revision: { revision: 1, ...revisions[i] } } as unknown as { id: string })));
      clock('audit reports', part.length);
    }
    await tx.execute(sql`select set_config('kpo.rollups_deferred', 'off', true)`);
    await tx.execute(sql`select kpo_refresh_investment_rollups_of(${`{${[...touched].join(',')}}`}::uuid[])`);
    clock('investment rollups', touched.size);
  }

  return { lookups, write };
}

interface AuditRow {
  actor: string;
  actorRole: string | null;
  onBehalfOf: string | null;
  requestId?: string | null;
  action: 'import';
  resourceType: string;
  resourceId: string;
  after: unknown;
}

/**
 * The import's audit events in one statement with one parameter: the rows as a JSON array, unpacked
 * by PostgreSQL (jsonb_to_recordset). Drizzle's multi-row VALUES builds each row's parameters in
 * JavaScript, which at 10,000 rows costs more than the insert.
 */
async function insertAudit(tx: Executor, rows: AuditRow[]) {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      actor: r.actor,
      actor_role: r.actorRole ?? null,
      on_behalf_of: r.onBehalfOf ?? null,
      request_id: r.requestId ?? null,
      action: r.action,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      after: r.after ?? null,
    })),
  );
  await tx.execute(sql`
    insert into ${auditEvents} (actor, actor_role, on_behalf_of, request_id, action, resource_type, resource_id, after)
    select actor, actor_role, on_behalf_of, request_id, action, resource_type, resource_id, after
    from jsonb_to_recordset(${json}::jsonb)
      as t(actor text, actor_role text, on_behalf_of text, request_id text, action text, resource_type text, resource_id text, after jsonb)`);
}

