import { and, asc, eq, gte, inArray, lte, notInArray } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { sameMembers } from '../../lib/sets.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { recordAudit } from '../audit/audit.public.js';
import type { ScopedContext } from '../../lib/request-context.js';
import { projectIssues } from '../issues/issues.table.js';
import { projectHasIssues } from './inspections.errors.js';
import { inspectionDepartments, inspectionLeaders, inspectionProjects, inspections } from './inspections.table.js';
import { INSPECTION_ISSUES_MAX, type CreateInspection, type ListInspectionsQuery, type UpdateInspection } from './inspections.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { assertHappened } from '../../lib/china-time.js';

const byInspectedOnIdDesc = keyset({ inspectedOn: inspections.inspectedOn, id: inspections.id }, 'desc');

const RESOURCE = 'inspection';
/** What a scope refusal says a department or leader key may not write. */
const WHAT = 'inspections';

type InspectionRow = typeof inspections.$inferSelect;
interface Links {
  projectIds: string[];
  leaderIds: string[];
  departmentIds: string[];
}

/** The id lists of several inspections, three queries whatever their number. */
async function linksOf(ex: Executor, ids: string[]): Promise<Map<string, Links>> {
  const links = new Map(ids.map((id) => [id, { projectIds: [], leaderIds: [], departmentIds: [] } as Links]));
  if (ids.length === 0) return links;
  const projectRows = await ex
    .select()
    .from(inspectionProjects)
    .where(inArray(inspectionProjects.inspectionId, ids))
    .orderBy(asc(inspectionProjects.projectId));
  const leaderRows = await ex
    .select()
    .from(inspectionLeaders)
    .where(inArray(inspectionLeaders.inspectionId, ids))
    .orderBy(asc(inspectionLeaders.leaderId));
  const departmentRows = await ex
    .select()
    .from(inspectionDepartments)
    .where(inArray(inspectionDepartments.inspectionId, ids))
    .orderBy(asc(inspectionDepartments.departmentId));
  for (const r of projectRows) links.get(r.inspectionId)!.projectIds.push(r.projectId);
  for (const r of leaderRows) links.get(r.inspectionId)!.leaderIds.push(r.leaderId);
  for (const r of departmentRows) links.get(r.inspectionId)!.departmentIds.push(r.departmentId);
  return links;
}

async function withLinks(ex: Executor, row: InspectionRow) {
  const links = (await linksOf(ex, [row.id])).get(row.id)!;
  return { ...row, ...links };
}

/** The issues raised during an inspection, in the order they were raised; the first INSPECTION_ISSUES_MAX (the list endpoint has them all). */
function issuesOf(ex: Executor, id: string) {
  return ex
    .select({
      id: projectIssues.id,
      projectId: projectIssues.projectId,
      title: projectIssues.title,
      handlingMode: projectIssues.handlingMode,
      status: projectIssues.status,
    })
    .from(projectIssues)
    .where(eq(projectIssues.inspectionId, id))
    .orderBy(asc(projectIssues.id))
    .limit(INSPECTION_ISSUES_MAX);
}

async function replaceLinks(tx: Executor, id: string, links: Partial<Links>) {
  if (links.projectIds) {
    await tx.delete(inspectionProjects).where(eq(inspectionProjects.inspectionId, id));
    await tx.insert(inspectionProjects).values(links.projectIds.map((projectId) => ({ inspectionId: id, projectId })));
  }
  if (links.leaderIds) {
    await tx.delete(inspectionLeaders).where(eq(inspectionLeaders.inspectionId, id));
    if (links.leaderIds.length > 0) {
      await tx.insert(inspectionLeaders).values(links.leaderIds.map((leaderId) => ({ inspectionId: id, leaderId })));
    }
  }
  if (links.departmentIds) {
    await tx.delete(inspectionDepartments).where(eq(inspectionDepartments.inspectionId, id));
    if (links.departmentIds.length > 0) {
      await tx.insert(inspectionDepartments).values(links.departmentIds.map((departmentId) => ({ inspectionId: id, departmentId })));
    }
  }
}

/** Refuses to drop a project from an inspection while issues raised during it still point at that project. */
async function assertNoOrphanedIssues(tx: Executor, id: string, projectIds: string[]) {
  const orphans = await tx
    .select({ id: projectIssues.id, projectId: projectIssues.projectId })
    .from(projectIssues)
    .where(and(eq(projectIssues.inspectionId, id), notInArray(projectIssues.projectId, projectIds)))
    .orderBy(asc(projectIssues.id));
  const first = orphans[0];
  if (first) {
    throw projectHasIssues({ projectId: first.projectId, issueIds: orphans.filter((o) => o.projectId === first.projectId).map((o) => o.id) });
  }
}

export function createInspectionsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(inspections).where(eq(inspections.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return { ...(await withLinks(db, row)), issues: await issuesOf(db, id) };
  }

  async function list(query: ListInspectionsQuery) {
    const found = await byInspectedOnIdDesc.list(
      query,
      (after) =>
        db
          .select()
          .from(inspections)
          .where(
            and(
              query.kind ? eq(inspections.kind, query.kind) : undefined,
              query.dateFrom ? gte(inspections.inspectedOn, query.dateFrom) : undefined,
              query.dateTo ? lte(inspections.inspectedOn, query.dateTo) : undefined,
              query.projectId
                ? inArray(
                    inspections.id,
                    db.select({ id: inspectionProjects.inspectionId }).from(inspectionProjects).where(eq(inspectionProjects.projectId, query.projectId)),
                  )
                : undefined,
              after,
            ),
          ),
    );
    const links = await linksOf(db, found.items.map((r) => r.id));
    return { items: found.items.map((r) => ({ ...r, ...links.get(r.id)! })), nextCursor: found.nextCursor };
  }

  async function create({ input, context }: { input: CreateInspection; context: ScopedContext }) {
    const { projectIds, leaderIds, departmentIds, ...values } = input;
    const created = await db.transaction(async (tx) => {
      assertHappened({ inspectedOn: values.inspectedOn });
      await context.scope.projects(tx, { what: WHAT, projectIds, on: values.inspectedOn });
      const [row] = await tx.insert(inspections).values(values).returning();
      await replaceLinks(tx, row!.id, { projectIds, leaderIds, departmentIds });
      const after = await withLinks(tx, row!);
      await recordAudit(tx, context, { action: 'create', resourceType: RESOURCE, resourceId: row!.id, after });
      return after;
    });
    return { ...created, issues: [] };
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateInspection; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, inspections, { id, expectedVersion, label: RESOURCE });
      const before = await withLinks(tx, locked);
      const { projectIds, leaderIds, departmentIds, ...fields } = patch;
      assertHappened({ inspectedOn: fields.inspectedOn });
      // Every project it covers now, then every one it is to cover: joining a project the key may
      // write for to one it may not is still a refusal.
      await context.scope.projects(tx, { what: WHAT, projectIds: before.projectIds, on: before.inspectedOn });
      if (projectIds || fields.inspectedOn) {
        await context.scope.projects(tx, { what: WHAT, projectIds: projectIds ?? before.projectIds, on: fields.inspectedOn ?? before.inspectedOn });
      }
      if (projectIds) await assertNoOrphanedIssues(tx, id, projectIds);
      // Only the lists that change are rewritten (each rewrite is a version of its links).
      const links = {
        projectIds: projectIds && !sameMembers(projectIds, before.projectIds) ? projectIds : undefined,
        leaderIds: leaderIds && !sameMembers(leaderIds, before.leaderIds) ? leaderIds : undefined,
        departmentIds: departmentIds && !sameMembers(departmentIds, before.departmentIds) ? departmentIds : undefined,
      };
      const linksChanged = Object.values(links).some((list) => list !== undefined);
      const row = await writeNextVersion(tx, inspections, locked, fields, { force: linksChanged });
      // Nothing changed: the inspection as it is, no new version, no audit event.
      if (!row) return { ...before, issues: await issuesOf(tx, id) };
      await replaceLinks(tx, id, links);
      const after = await withLinks(tx, row);
      await recordAudit(tx, context, { action: 'update', resourceType: RESOURCE, resourceId: id, before, after });
      return { ...after, issues: await issuesOf(tx, id) };
    });
  }

  /** Issues raised during the inspection stay; the foreign key sets their inspectionId to null. */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: ScopedContext }) {
    await db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, inspections, { id, expectedVersion, label: RESOURCE });
      const before = await withLinks(tx, locked);
      await context.scope.projects(tx, { what: WHAT, projectIds: before.projectIds, on: before.inspectedOn });
      await tx.delete(inspections).where(eq(inspections.id, id));
      await recordAudit(tx, context, { action: 'delete', resourceType: RESOURCE, resourceId: id, before });
    });
  }

  return { getById, list, create, update, remove };
}
