import { and, eq, gte, isNull, lte, ne, or, getTableColumns } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { leaders } from '../leaders/leaders.table.js';
import { projects } from '../projects/projects.table.js';
import { leaderAssignments } from './leader-assignments.table.js';
import { assignmentEndsBeforeStart, assignmentOverlap, leaderArchived } from './leader-assignments.errors.js';
import type { CreateLeaderAssignment, ListLeaderAssignmentsQuery, UpdateLeaderAssignment } from './leader-assignments.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byId = keyset({ id: leaderAssignments.id });

const RESOURCE = 'leader_assignment';

type ListFilters = Omit<ListLeaderAssignmentsQuery, 'leaderId' | 'projectId'> & { leaderId?: string | undefined; projectId?: string | undefined };

interface Period {
  leaderId: string;
  projectId: string;
  role: (typeof leaderAssignments.$inferSelect)['role'];
  startDate: string;
  endDate?: string | null | undefined;
}

/** Names of the leader and project travel with each assignment so lists need no second lookup. */
function selectAssignments(executor: Executor) {
  return executor
    .select({
      ...getTableColumns(leaderAssignments),
      leaderName: leaders.name,
      leaderTitle: leaders.title,
      projectCode: projects.code,
      projectName: projects.name,
    })
    .from(leaderAssignments)
    .innerJoin(leaders, eq(leaders.id, leaderAssignments.leaderId))
    .innerJoin(projects, eq(projects.id, leaderAssignments.projectId));
}

async function readOne(executor: Executor, id: string) {
  const [row] = await selectAssignments(executor).where(eq(leaderAssignments.id, id));
  if (!row) throw notFound(RESOURCE, id);
  return row;
}

/**
 * Refuses a period that overlaps another of the same leader, project and role. The caller holds
 * the leader's row lock, so two concurrent writes for one leader cannot both pass this check.
 */
async function assertNoOverlap(tx: Executor, period: Period, exceptId?: string) {
  if (period.endDate && period.endDate < period.startDate) throw assignmentEndsBeforeStart(period.startDate, period.endDate);
  const [clash] = await tx
    .select({ id: leaderAssignments.id })
    .from(leaderAssignments)
    .where(
      and(
        eq(leaderAssignments.leaderId, period.leaderId),
        eq(leaderAssignments.projectId, period.projectId),
        eq(leaderAssignments.role, period.role),
        exceptId ? ne(leaderAssignments.id, exceptId) : undefined,
        or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, period.startDate)),
        period.endDate ? lte(leaderAssignments.startDate, period.endDate) : undefined,
      ),
    )
    .limit(1);
  if (clash) throw assignmentOverlap(clash.id);
}

async function lockLeader(tx: Executor, leaderId: string) {
  const [leader] = await tx.select().from(leaders).where(eq(leaders.id, leaderId)).for('update');
  return leader;
}

export function createLeaderAssignmentsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    return readOne(db, id);
  }

  async function list(filters: ListFilters) {
    return byId.list(
      filters,
      (after) =>
        selectAssignments(db)
          .where(
            and(
              filters.leaderId ? eq(leaderAssignments.leaderId, filters.leaderId) : undefined,
              filters.projectId ? eq(leaderAssignments.projectId, filters.projectId) : undefined,
              filters.activeOn ? lte(leaderAssignments.startDate, filters.activeOn) : undefined,
              filters.activeOn ? or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, filters.activeOn)) : undefined,
              after,
            ),
          ),
    );
  }

  async function listForProject({ projectId, query }: { projectId: string; query: Omit<ListFilters, 'projectId' | 'leaderId'> }) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
    if (!project) throw notFound('project', projectId);
    return list({ ...query, projectId });
  }

  async function listForLeader({ leaderId, query }: { leaderId: string; query: Omit<ListFilters, 'projectId' | 'leaderId'> }) {
    const [leader] = await db.select({ id: leaders.id }).from(leaders).where(eq(leaders.id, leaderId));
    if (!leader) throw notFound('leader', leaderId);
    return list({ ...query, leaderId });
  }

  async function create({ input, context }: { input: CreateLeaderAssignment; context: RequestContext }) {
    return db.transaction(async (tx) => {
      // An unknown leader or project is left to the foreign keys, which answer 422.
      const leader = await lockLeader(tx, input.leaderId);
      if (leader?.archivedAt) throw leaderArchived(input.leaderId);
      await assertNoOverlap(tx, input);
      const row = await insertAudited(tx, leaderAssignments, { values: input, resourceType: RESOURCE, context });
      return readOne(tx, row.id);
    });
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateLeaderAssignment; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const current = await lockAtVersion(tx, leaderAssignments, { id, expectedVersion, label: RESOURCE });
      await lockLeader(tx, current.leaderId);
      await assertNoOverlap(
        tx,
        {
          leaderId: current.leaderId,
          projectId: current.projectId,
          role: patch.role ?? current.role,
          startDate: patch.startDate ?? current.startDate,
          endDate: patch.endDate === undefined ? current.endDate : patch.endDate,
        },
        id,
      );
      await updateAudited(tx, leaderAssignments, { id, expectedVersion, patch, resourceType: RESOURCE, context });
      return readOne(tx, id);
    });
  }

  /** A mistaken assignment is removed outright; the audit event keeps what it was. */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction((tx) => deleteAudited(tx, leaderAssignments, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, listForProject, listForLeader, create, update, remove };
}
