import { and, eq, inArray, isNotNull, lt, not, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { notFound, officeOnlyField, writesAsOffice } from '../../lib/errors.js';
import { assertHappened, dateInChina } from '../../lib/china-time.js';
import { keyset } from '../../lib/pagination.js';
import type { ScopedContext, WriteScope } from '../../lib/request-context.js';
import { inspectionProjects, inspections } from '../inspections/inspections.table.js';
import { progressReports } from '../reports/reports.table.js';
import { dueBeforeRaised, inspectionRequired, projectNotInInspection, reportOfOtherProject } from './issues.errors.js';
import { projectIssues } from './issues.table.js';
import { applyTransition } from './issues.workflow.js';
import type { CreateIssue, IssueTransition, ListIssuesQuery, UpdateIssue } from './issues.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byRaisedOnIdDesc = keyset({ raisedOn: projectIssues.raisedOn, id: projectIssues.id }, 'desc');

const RESOURCE = 'issue';
/** What a scope refusal says a department key may not write. */
const WHAT = 'issues';

function overdueCondition(asOf: string): SQL {
  return and(
    inArray(projectIssues.status, ['open', 'in_progress']),
    isNotNull(projectIssues.dueDate),
    lt(projectIssues.dueDate, asOf),
  )!;
}

interface IssueLinks {
  projectId: string;
  source: string;
  inspectionId?: string | null;
  reportId?: string | null;
  raisedOn: string;
  dueDate?: string | null;
}

/**
 * Cross-record rules the tables cannot state. The inspection row is share-locked so that it cannot
 * drop the project while this issue is being linked to it. Ids that name nothing are left to the
 * foreign keys (422 foreign_key_violation).
 */
async function checkLinks(tx: Executor, issue: IssueLinks, { requireInspection }: { requireInspection: boolean }) {
  if (issue.dueDate && issue.dueDate < issue.raisedOn) throw dueBeforeRaised({ raisedOn: issue.raisedOn, dueDate: issue.dueDate });
  if (requireInspection && issue.source === 'inspection' && !issue.inspectionId) throw inspectionRequired();
  if (issue.inspectionId) {
    const inspectionId = issue.inspectionId;
    const [inspection] = await tx.select({ id: inspections.id }).from(inspections).where(eq(inspections.id, inspectionId)).for('share');
    if (inspection) {
      const [covered] = await tx
        .select({ projectId: inspectionProjects.projectId })
        .from(inspectionProjects)
        .where(and(eq(inspectionProjects.inspectionId, inspectionId), eq(inspectionProjects.projectId, issue.projectId)));
      if (!covered) throw projectNotInInspection({ projectId: issue.projectId, inspectionId });
    }
  }
  if (issue.reportId) {
    const [report] = await tx.select({ projectId: progressReports.projectId }).from(progressReports).where(eq(progressReports.id, issue.reportId));
    if (report && report.projectId !== issue.projectId) throw reportOfOtherProject({ projectId: issue.projectId, reportId: issue.reportId });
  }
}

type Issue = typeof projectIssues.$inferSelect;

/**
 * The key may write the issue as it is (its project's department, or the department it is assigned
 * to), and, when a patch moves it, for the project it moves to: being assigned the issue grants no
 * say over another project.
 */
async function checkScope(tx: Executor, { scope, issue, movesTo }: { scope: WriteScope; issue: Issue; movesTo?: string | undefined }) {
  await scope.projects(tx, { what: WHAT, projectIds: [issue.projectId], assignedDepartmentId: issue.assignedDepartmentId });
  // Restating the issue's own project is no move.
  if (movesTo !== undefined && movesTo !== issue.projectId) await scope.projects(tx, { what: WHAT, projectIds: [movesTo] });
}

export function createIssuesRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(projectIssues).where(eq(projectIssues.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListIssuesQuery) {
    // asOf only matters with overdue; its default is today's date, which the cursor must remember.
    const asOf = query.overdue ? (query.asOf ?? dateInChina()) : undefined;
    const filters = { ...query, asOf };
    return byRaisedOnIdDesc.list(
      query,
      (after) =>
        db
          .select()
          .from(projectIssues)
          .where(
            and(
              query.status ? eq(projectIssues.status, query.status) : undefined,
              query.handlingMode ? eq(projectIssues.handlingMode, query.handlingMode) : undefined,
              query.category ? eq(projectIssues.category, query.category) : undefined,
              query.departmentId ? eq(projectIssues.assignedDepartmentId, query.departmentId) : undefined,
              query.projectId ? eq(projectIssues.projectId, query.projectId) : undefined,
              query.inspectionId ? eq(projectIssues.inspectionId, query.inspectionId) : undefined,
              asOf ? (query.overdue === 'true' ? overdueCondition(asOf) : not(overdueCondition(asOf))) : undefined,
              after,
            ),
          ),
      { filters },
    );
  }

  async function create({ input, context }: { input: CreateIssue; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      // The department an issue is to be assigned to gains nothing by it here: the project must be the key's.
      await context.scope.projects(tx, { what: WHAT, projectIds: [input.projectId] });
      assertHappened({ raisedOn: input.raisedOn });
      await checkLinks(tx, input, { requireInspection: true });
      return insertAudited(tx, projectIssues, { values: input, resourceType: RESOURCE, context });
    });
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateIssue; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, projectIssues, { id, expectedVersion, label: RESOURCE });
      await checkScope(tx, { scope: context.scope, issue: before, movesTo: patch.projectId });
      // The assigned department moves the issue and writes its resolution; whom it is assigned to and
      // by when it is due are the office's to decide (an overdue issue is what a department is assessed on).
      if (!writesAsOffice(context.actorRole)) {
        if (patch.assignedDepartmentId !== undefined && patch.assignedDepartmentId !== before.assignedDepartmentId) throw officeOnlyField('assignedDepartmentId', context.actorRole);
        if (patch.dueDate !== undefined && patch.dueDate !== before.dueDate) throw officeOnlyField('dueDate', context.actorRole);
      }
      assertHappened({ raisedOn: patch.raisedOn });
      // An issue whose inspection was deleted keeps source 'inspection'; only a change of either field re-checks it.
      const requireInspection = patch.source !== undefined || patch.inspectionId !== undefined;
      await checkLinks(tx, { ...before, ...patch }, { requireInspection });
      return updateAudited(tx, projectIssues, { id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
  }

  async function transition({ id, expectedVersion, input, context }: { id: string; expectedVersion: ExpectedVersion; input: IssueTransition; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, projectIssues, { id, expectedVersion, label: RESOURCE });
      await checkScope(tx, { scope: context.scope, issue: before });
      assertHappened({ resolvedOn: input.resolvedOn });
      const patch = applyTransition(before, input);
      return updateAudited(tx, projectIssues, { id, expectedVersion, patch, resourceType: RESOURCE, context, action: 'transition' });
    });
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: ScopedContext }) {
    await db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, projectIssues, { id, expectedVersion, label: RESOURCE });
      await checkScope(tx, { scope: context.scope, issue: before });
      await deleteAudited(tx, projectIssues, { id, expectedVersion, resourceType: RESOURCE, context });
    });
  }

  return { getById, list, create, update, transition, remove };
}
