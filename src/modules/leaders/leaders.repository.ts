import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { archiveAudited, insertAudited, restoreAudited, updateAudited } from '../audit/audit.public.js';
import { IN_USE_LISTED, leaderInUse } from './leaders.errors.js';
import { assignmentsNotEndedBy } from '../leader-assignments/leader-assignments.public.js';
import { dateInChina } from '../../lib/china-time.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { containsText } from '../../lib/text-search.js';
import type { RequestContext } from '../../lib/request-context.js';
import { leaders } from './leaders.table.js';
import type { CreateLeader, ListLeadersQuery, UpdateLeader } from './leaders.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byId = keyset({ id: leaders.id });

const RESOURCE = 'leader';

export function createLeadersRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(leaders).where(eq(leaders.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListLeadersQuery) {
    return byId.list(
      query,
      (after) =>
        db
          .select()
          .from(leaders)
          .where(
            and(
              query.includeArchived === 'true' ? undefined : isNull(leaders.archivedAt),
              query.q ? containsText([leaders.name, leaders.title], query.q) : undefined,
              after,
            ),
          ),
    );
  }

  async function create({ input, context }: { input: CreateLeader; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, leaders, { values: input, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateLeader; context: RequestContext }) {
    return db.transaction((tx) => updateAudited(tx, leaders, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
  }

  /** Leaders answer for past assignments and inspections, so they are archived, never deleted. */
  async function archive({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction((tx) =>
      archiveAudited(tx, leaders, {
        id,
        expectedVersion,
        resourceType: RESOURCE,
        context,
        // Checked under the row lock: a new project or assignment waits for the archive, or is refused after it.
        async unlessInUse(row) {
          const using = await assignmentsNotEndedBy(tx, { leaderId: row.id, on: dateInChina(), limit: IN_USE_LISTED });
          if (using.length > 0) throw leaderInUse(row.id, using);
        },
      }),
    );
  }

  /** Undoes an archive (audited as 'restore'); a record that is not archived is answered as it is. */
  async function restore({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction((tx) => restoreAudited(tx, leaders, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, create, update, archive, restore };
}
