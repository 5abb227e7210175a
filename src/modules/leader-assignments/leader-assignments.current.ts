import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Executor } from '../../db/types.js';
import { leaderAssignments } from './leader-assignments.table.js';

/** Of the given projects, those the leader is assigned to on the day `on` (start and end inclusive), read in the caller's transaction. */
export async function projectsAssignedTo(
  tx: Executor,
  { leaderId, projectIds, on }: { leaderId: string; projectIds: readonly string[]; on: string },
): Promise<Set<string>> {
  if (projectIds.length === 0) return new Set();
  const rows = await tx
    .select({ projectId: leaderAssignments.projectId })
    .from(leaderAssignments)
    .where(
      and(
        eq(leaderAssignments.leaderId, leaderId),
        inArray(leaderAssignments.projectId, [...projectIds]),
        lte(leaderAssignments.startDate, on),
        or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, on)),
      ),
    );
  return new Set(rows.map((r) => r.projectId));
}

/** A leader's assignments that have not ended by `on` (ongoing or still to come), at most `limit`, read in the caller's transaction. */
export async function assignmentsNotEndedBy(tx: Executor, { leaderId, on, limit }: { leaderId: string; on: string; limit: number }): Promise<string[]> {
  const rows = await tx
    .select({ id: leaderAssignments.id })
    .from(leaderAssignments)
    .where(and(eq(leaderAssignments.leaderId, leaderId), or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, on))))
    .orderBy(asc(leaderAssignments.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
