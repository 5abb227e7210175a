import { and, eq, exists, getTableColumns, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion, writeArchived, writeNextVersion, writeRestored } from '../../db/versioned.js';
import { sameMembers } from '../../lib/sets.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { containsPattern, containsText } from '../../lib/text-search.js';
import { recordAudit } from '../audit/audit.public.js';
import type { RequestContext } from '../../lib/request-context.js';
import { departments } from '../departments/departments.table.js';
import { leaderAssignments } from '../leader-assignments/leader-assignments.table.js';
import { annualPlans } from '../plans/plans.table.js';
import { departmentArchived, projectArchived, supportingIsResponsible } from './projects.errors.js';
import { assertHappened } from '../../lib/china-time.js';
import { INITIAL_STATUS } from './projects.lifecycle.js';
import { dateInChina } from '../../lib/china-time.js';
import type { CreateProject, ListProjectsQuery, Project, UpdateProject } from './projects.schemas.js';
import { projects, projectStatusChanges, projectSupportingDepartments } from './projects.table.js';
import type { ExpectedVersion } from '../../lib/etag.js';

export const PROJECT = 'project';

const byCode = keyset({ code: projects.code, id: projects.id });

/** A project row with its supporting departments, in one query (json_agg parses the same on both drivers). */
const projectColumns = {
  ...getTableColumns(projects),
  supportingDepartmentIds: sql<string[]>`(select coalesce(json_agg(s.department_id order by s.department_id), '[]'::json)
    from ${projectSupportingDepartments} s where s.project_id = ${projects.id})`,
};

/** Reads one project on the given executor (the transaction, inside a write). */
export async function readProject(executor: Executor, id: string): Promise<Project> {
  const [row] = await executor.select(projectColumns).from(projects).where(eq(projects.id, id));
  if (!row) throw notFound(PROJECT, id);
  return row as Project;
}

/**
 * A newly named responsible department must take new work (a project keeps one archived later);
 * unknown ids are left to the foreign key (422).
 */
async function checkDepartments(tx: Executor, departmentId: string, isNew: boolean, supporting: string[] | undefined) {
  if (supporting?.includes(departmentId)) throw supportingIsResponsible(departmentId);
  if (!isNew) return;
  // Share-locked: a department being archived (which checks for its projects under its row lock) waits for this write, or this one for it.
  const [department] = await tx.select({ archivedAt: departments.archivedAt }).from(departments).where(eq(departments.id, departmentId)).for('share');
  if (department?.archivedAt) throw departmentArchived(departmentId);
}

async function replaceSupporting(tx: Executor, projectId: string, departmentIds: string[]) {
  await tx.delete(projectSupportingDepartments).where(eq(projectSupportingDepartments.projectId, projectId));
  const unique = [...new Set(departmentIds)];
  if (unique.length > 0) {
    await tx.insert(projectSupportingDepartments).values(unique.map((departmentId) => ({ projectId, departmentId })));
  }
}

export function createProjectsRepository({ db }: { db: Db }) {
  // The hottest read: built once and prepared by name on each connection, so neither drizzle nor
  // PostgreSQL parses and plans it per request (same statement as readProject).
  const byId = db.select(projectColumns).from(projects).where(eq(projects.id, sql.placeholder('id'))).prepare('project_by_id');

  async function getById({ id }: { id: string }) {
    const [row] = await byId.execute({ id });
    if (!row) throw notFound(PROJECT, id);
    return row as Project;
  }

  /** Which filters a list request uses: one prepared query per combination. */
  type ListShape = Record<'archived' | 'status' | 'category' | 'department' | 'q' | 'plan' | 'list' | 'stage' | 'leader' | 'after', boolean>;
  const ph = sql.placeholder;

  /**
   * Ordered by (code, id) on projects_code_key; plan and leader filters are EXISTS probes on
   * annual_plans(year, list, project_id) and leader_assignments(leader_id), so no join multiplies rows.
   * Built with placeholders for one combination of filters, so drizzle builds it once per
   * combination (unnamed: PostgreSQL still plans it per request, as for any other query).
   */
  function listQueryOf(shape: ListShape) {
    const onPlan = shape.plan
      ? exists(
          db
            .select({ one: sql`1` })
            .from(annualPlans)
            .where(
              and(
                eq(annualPlans.year, ph('year')),
                shape.list ? eq(annualPlans.list, ph('list')) : undefined,
                eq(annualPlans.projectId, projects.id),
                shape.stage ? eq(annualPlans.stage, ph('stage')) : undefined,
              ),
            ),
        )
      : undefined;
    const watchedBy = shape.leader
      ? exists(
          db
            .select({ one: sql`1` })
            .from(leaderAssignments)
            .where(
              and(
                eq(leaderAssignments.leaderId, ph('leaderId')),
                eq(leaderAssignments.projectId, projects.id),
                lte(leaderAssignments.startDate, ph('today')),
                or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, ph('today'))),
              ),
            ),
        )
      : undefined;
    return db
      .select(projectColumns)
      .from(projects)
      .where(
        and(
          shape.archived ? undefined : isNull(projects.archivedAt),
          shape.status ? eq(projects.status, ph('status')) : undefined,
          shape.category ? eq(projects.category, ph('category')) : undefined,
          shape.department ? eq(projects.departmentId, ph('departmentId')) : undefined,
          shape.q ? containsText([projects.code, projects.name], ph('pattern')) : undefined,
          onPlan,
          watchedBy,
          shape.after ? byCode.afterPlaceholders : undefined,
        ),
      )
      .orderBy(...byCode.orderBy)
      .limit(ph('limit'))
      .prepare('');
  }
  const listQueries = new Map<string, ReturnType<typeof listQueryOf>>();

  async function list(query: ListProjectsQuery) {
    const page = byCode.page(query);
    const shape: ListShape = {
      archived: query.includeArchived === 'true',
      status: query.status !== undefined,
      category: query.category !== undefined,
      department: query.departmentId !== undefined,
      q: Boolean(query.q),
      plan: query.year !== undefined,
      list: query.year !== undefined && Boolean(query.list),
      stage: query.year !== undefined && Boolean(query.stage),
      leader: Boolean(query.leaderId),
      after: Boolean(page.after),
    };
    const key = Object.values(shape).map(Number).join('');
    let prepared = listQueries.get(key);
    if (!prepared) listQueries.set(key, (prepared = listQueryOf(shape)));
    const rows = await prepared.execute({
      year: query.year,
      list: query.list,
      stage: query.stage,
      leaderId: query.leaderId,
      today: dateInChina(),
      status: query.status,
      category: query.category,
      departmentId: query.departmentId,
      pattern: query.q ? containsPattern(query.q) : undefined,
      ...page.placeholders,
      limit: page.limit,
    });
    return page.toPage(rows as Project[]);
  }

  /** Creates the project, its supporting departments and the initial planning entry of its history. */
  async function create({ input, context }: { input: CreateProject; context: RequestContext }) {
    const { supportingDepartmentIds = [], statusDate, ...values } = input;
    const today = dateInChina();
    assertHappened({ statusDate });
    return db.transaction(async (tx) => {
      await checkDepartments(tx, values.departmentId, true, supportingDepartmentIds);
      const [inserted] = await tx.insert(projects).values({ ...values, status: INITIAL_STATUS }).returning({ id: projects.id });
      const id = inserted!.id;
      await replaceSupporting(tx, id, supportingDepartmentIds);
      await tx.insert(projectStatusChanges).values({
        projectId: id,
        fromStatus: null,
        toStatus: INITIAL_STATUS,
        effectiveDate: statusDate ?? today,
        actor: context.actor,
      });
      const after = await readProject(tx, id);
      await recordAudit(tx, context, { action: 'create', resourceType: PROJECT, resourceId: id, after });
      return after;
    });
  }

  /** Like updateAudited, but the audit's before/after also carry the supporting departments. */
  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateProject; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, projects, { id, expectedVersion, label: PROJECT });
      if (locked.archivedAt) throw projectArchived(id);
      const before = await readProject(tx, id);
      const { supportingDepartmentIds, ...values } = patch;
      const departmentId = values.departmentId ?? before.departmentId;
      await checkDepartments(tx, departmentId, departmentId !== before.departmentId, supportingDepartmentIds ?? before.supportingDepartmentIds);
      const supportingChanged = supportingDepartmentIds !== undefined && !sameMembers(supportingDepartmentIds, before.supportingDepartmentIds);
      const row = await writeNextVersion(tx, projects, locked, values, { force: supportingChanged });
      // Nothing changed: the project as it is, no new version, no audit event.
      if (!row) return before;
      if (supportingChanged) await replaceSupporting(tx, id, supportingDepartmentIds);
      const after = await readProject(tx, id);
      await recordAudit(tx, context, { action: 'update', resourceType: PROJECT, resourceId: id, before, after });
      return after;
    });
  }

  /** Projects carry plans, reports and history, so they are archived, never deleted. */
  async function archive({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, projects, { id, expectedVersion, label: PROJECT });
      if (locked.archivedAt) return;
      const before = await readProject(tx, id);
      await writeArchived(tx, projects, locked);
      const after = await readProject(tx, id);
      await recordAudit(tx, context, { action: 'archive', resourceType: PROJECT, resourceId: id, before, after });
    });
  }

  /** Undoes an archive; the audit's before/after carry the supporting departments as every project event does. */
  async function restore({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, projects, { id, expectedVersion, label: PROJECT });
      const before = await readProject(tx, id);
      if (!locked.archivedAt) return before;
      // Back under its department only if that department still takes projects.
      await checkDepartments(tx, locked.departmentId, true, undefined);
      await writeRestored(tx, projects, locked);
      const after = await readProject(tx, id);
      await recordAudit(tx, context, { action: 'restore', resourceType: PROJECT, resourceId: id, before, after });
      return after;
    });
  }

  return { getById, list, create, update, archive, restore };
}
