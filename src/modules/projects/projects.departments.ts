import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/types.js';
import { projects } from './projects.table.js';

/**
 * The department responsible for each of the given projects (projects.department_id), read in the
 * caller's transaction; ids that name no project are missing from the answer.
 */
export async function responsibleDepartments(tx: Executor, projectIds: readonly string[]): Promise<Map<string, string>> {
  if (projectIds.length === 0) return new Map();
  const rows = await tx.select({ id: projects.id, departmentId: projects.departmentId }).from(projects).where(inArray(projects.id, [...projectIds]));
  return new Map(rows.map((r) => [r.id, r.departmentId]));
}

/** The projects a department still answers for (not archived), at most `limit`, read in the caller's transaction. */
export async function projectsAnsweredFor(tx: Executor, departmentId: string, limit: number): Promise<string[]> {
  const rows = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.departmentId, departmentId), isNull(projects.archivedAt)))
    .orderBy(asc(projects.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
