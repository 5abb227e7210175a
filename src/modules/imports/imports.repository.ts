import { getTableColumns, inArray, sql, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rowOfTable } from '../../db/history.js';
import { rowsOf } from '../../db/rows.js';
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
/** Reports per statement: one JSON parameter of a few MB. */
const REPORT_CHUNK = 5000;

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
        const rows = await insertJson(tx, projects, part.map(({ row: _row, history: _history, supportingDepartmentIds: _s, ...p }) => ({ ...p, id: idByCode.get(p.code)! })));
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
        const rows = await insertJson(tx, annualPlans, part.map(({ row: _row, sheet: _sheet, projectCode, ...p }) => ({ ...p, projectId: idByCode.get(projectCode) ?? drafts.existing.get(projectCode)! })));
        clock('insert plans', rows.length);
        await insertAudit(tx, rows.map(audit('annual_plan')));
        clock('audit plans', rows.length);
      }
      for (const part of chunks(drafts.assignments)) {
        const rows = await insertJson(tx, leaderAssignments, part.map(({ row: _row, project, ...a }) => ({ ...a, projectId: projectId(project) })));
        clock('insert leader assignments', rows.length);
        await insertAudit(tx, rows.map(audit('leader_assignment')));
        clock('audit leader assignments', rows.length);
      }
      for (const part of chunks(drafts.milestones)) {
        const rows = await insertJson(tx, projectMilestones, part.map(({ row: _row, project, ...m }) => ({ ...m, projectId: projectId(project) })));
        clock('insert milestones', rows.length);
        await insertAudit(tx, rows.map(audit('project_milestone')));
        clock('audit milestones', rows.length);
      }
      await writeReports(tx, drafts, projectId, context, clock);
      for (const part of chunks(drafts.issues)) {
        const rows = await insertJson(tx, projectIssues, part.map(({ row: _row, project, ...i }) => ({ ...i, projectId: projectId(project) })));
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

  /**
   * Reports, their first revisions, their history versions and their audit events: one statement
   * per chunk, one JSON parameter unpacked by PostgreSQL, each element both the rows' values and the
   * audit event's `after`. Two per-row trigger costs are taken out, in the same transaction, with
   * what the triggers would have written: the running totals (kpo.rollups_deferred, then one
   * set-based refresh of the touched projects, migrations 0020 and 0023) and the history versions
   * (kpo.history_inserts_deferred, migration 0023: the statement writes them from its RETURNING,
   * sys_from now() and sys_txid this transaction, as the row trigger does for a key with no earlier
   * versions — every key here is a new uuidv7).
   */
  async function writeReports(tx: Executor, drafts: ImportDrafts, projectId: (ref: ProjectRef) => string, context: RequestContext, clock: StepClock) {
    if (drafts.reports.length === 0) return;
    const departmentOf = new Map(drafts.projects.map((p) => [p.code, p.departmentId]));
    await tx.execute(sql`select set_config('kpo.rollups_deferred', 'on', true), set_config('kpo.history_inserts_deferred', 'on', true)`);
    // Every column of each table, as history.enable copies them (a column added later is versioned too).
    const columnsOf = async (table: string) => {
      const found = (await tx.execute(sql`
        select string_agg(quote_ident(attname), ', ' order by attnum) as columns from pg_attribute
        where attrelid = ${`public.${table}`}::regclass and attnum > 0 and not attisdropped`)) as unknown as { rows: { columns: string }[] };
      return sql.raw(found.rows[0]!.columns);
    };
    const reportColumns = await columnsOf('progress_reports');
    const revisionColumns = await columnsOf('progress_report_revisions');
    const touched = new Set<string>();
    for (const part of chunks(drafts.reports, REPORT_CHUNK)) {
      const rows = part.map((r) => {
        const id = uuidv7();
        const project = projectId(r.project);
        touched.add(project);
        return {
          id, project_id: project, period: r.period, period_start: r.periodStart, period_end: r.periodEnd, due_date: r.dueDate,
          department_id: r.project.departmentId ?? departmentOf.get(r.project.code)!, submitted_at: r.submittedAt, late: r.late,
          revision: { revision: 1, report_id: id, investment_completed: r.investmentCompleted, physical_progress: r.physicalProgress, work_ongoing: r.workOngoing, narrative: r.narrative },
        };
      });
      // The revisions' foreign key is checked at the end of the statement, when the reports are in.
      await tx.execute(sql`
        with source as (
          select e, t.*
          from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as e,
            jsonb_to_record(e) as t(id uuid, project_id uuid, period text, period_start date, period_end date, due_date date, department_id uuid, submitted_at timestamptz, late boolean, revision jsonb)
        ),
        reports as (
          insert into ${progressReports} (id, project_id, period, period_start, period_end, due_date, department_id, submitted_at, late)
          select id, project_id, period, period_start, period_end, due_date, department_id, submitted_at, late from source
          returning *
        ),
        report_versions as (
          insert into history.progress_reports (${reportColumns}, sys_from, sys_txid)
          select ${reportColumns}, now(), pg_current_xact_id() from reports
        ),
        revisions as (
          insert into ${progressReportRevisions} (report_id, revision, investment_completed, physical_progress, work_ongoing, narrative, actor)
          select id, 1, (revision->>'investment_completed')::numeric, (revision->>'physical_progress')::numeric, (revision->>'work_ongoing')::boolean, revision->>'narrative', ${context.actor}
          from source
          returning *
        ),
        revision_versions as (
          insert into history.progress_report_revisions (${revisionColumns}, sys_from, sys_txid)
          select ${revisionColumns}, now(), pg_current_xact_id() from revisions
        )
        insert into ${auditEvents} (actor, actor_role, on_behalf_of, request_id, action, resource_type, resource_id, after)
        select ${context.actor}, ${context.actorRole ?? null}, ${context.onBehalfOf ?? null}, ${context.requestId ?? null}, 'import', 'progress_report', id::text, e
        from source`);
      clock('insert reports, revisions, their history and audit', part.length);
    }
    await tx.execute(sql`select set_config('kpo.history_inserts_deferred', 'off', true), set_config('kpo.rollups_deferred', 'off', true)`);
    await tx.execute(sql`select kpo_refresh_investment_rollups_of(${`{${[...touched].join(',')}}`}::uuid[])`);
    clock('investment rollups', touched.size);
  }

  return { lookups, write };
}

/**
 * A multi-row INSERT of drafts (by the table's field names) from one JSON parameter unpacked by
 * PostgreSQL (jsonb_to_recordset), answering the rows as drizzle's .returning() reads them (the
 * audit events' `after`). Drizzle's .values() builds each row's parameters in JavaScript, which for
 * 10,000 projects of 15 fields took seconds. A field is given for every row or for none (a field no
 * row gives takes the column's default, as with .values()).
 */
async function insertJson<T extends PgTable>(tx: Executor, table: T, rows: Record<string, unknown>[]): Promise<T['$inferSelect'][]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, Column>;
  const given = [...new Set(rows.flatMap((row) => Object.keys(row).filter((field) => row[field] !== undefined)))];
  for (const field of given) {
    if (!columns[field]) throw new Error(`insertJson: ${field} is no field of the table`);
    if (rows.some((row) => row[field] === undefined)) throw new Error(`insertJson: ${field} is given for some rows only`);
  }
  // As .values() does for a field not given: its $defaultFn (ids), else $onUpdate when there is no default.
  const generated = Object.entries(columns).flatMap(([field, column]) => {
    if (given.includes(field)) return [];
    const make = column.defaultFn ?? (column.default === undefined ? column.onUpdateFn : undefined);
    return make ? [{ field, make }] : [];
  });
  const fields = [...given, ...generated.map((g) => g.field)];
  const json = JSON.stringify(
    rows.map((row) => {
      const values: Record<string, unknown> = { ...row };
      for (const { field, make } of generated) {
        const value = make();
        if (value !== null && typeof value === 'object' && !(value instanceof Date)) throw new Error(`insertJson: the default of ${field} is SQL`);
        values[field] = value;
      }
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        const column = columns[field]!;
        const value = values[field];
        out[column.name] = value === null || /^jsonb?$/.test(column.getSQLType()) ? value : column.mapToDriverValue(value);
      }
      return out;
    }),
  );
  const names = sql.join(fields.map((field) => sql.identifier(columns[field]!.name)), sql`, `);
  const types = sql.join(fields.map((field) => sql`${sql.identifier(columns[field]!.name)} ${sql.raw(columns[field]!.getSQLType())}`), sql`, `);
  const raw = await rowsOf<Record<string, unknown>>(tx, sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${json}::jsonb) as t(${types}) returning *`);
  return raw.map((row) => rowOfTable(table, row));
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

