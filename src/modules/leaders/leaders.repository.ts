import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { insertAudited, lockRow, updateVersioned } from '../../db/versioned.js';
import { notFound, preconditionFailed } from '../../lib/errors.js';
import { etagOf } from '../../lib/etag.js';
import { afterKey, decodeCursor, toPage } from '../../lib/pagination.js';
import { containsText } from '../../lib/text-search.js';
import { recordAudit, type RequestContext } from '../audit/audit.repository.js';
import { leaders } from './leaders.table.js';
import type { CreateLeader, ListLeadersQuery, UpdateLeader } from './leaders.schemas.js';

const RESOURCE = 'leader';

export function createLeadersRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(leaders).where(eq(leaders.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListLeadersQuery) {
    const after = decodeCursor(query.cursor, query, 1);
    const rows = await db
      .select()
      .from(leaders)
      .where(
        and(
          query.includeArchived === 'true' ? undefined : isNull(leaders.archivedAt),
          query.q ? containsText([leaders.name, leaders.title], query.q) : undefined,
          after ? afterKey([leaders.id], after) : undefined,
        ),
      )
      .orderBy(asc(leaders.id))
      .limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => [r.id], query);
  }

  async function create({ input, context }: { input: CreateLeader; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, leaders, { values: input, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: number; patch: UpdateLeader; context: RequestContext }) {
    return db.transaction((tx) => updateVersioned(tx, leaders, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
  }

  /** Leaders answer for past assignments and inspections, so they are archived, never deleted. */
  async function archive({ id, expectedVersion, context }: { id: string; expectedVersion: number; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const before = await lockRow(tx, leaders, id, RESOURCE);
      if (before.version !== expectedVersion) throw preconditionFailed(etagOf(before.version));
      if (before.archivedAt) return before;
      const [after] = await tx
        .update(leaders)
        .set({ archivedAt: sql`now()`, version: before.version + 1, updatedAt: sql`now()` })
        .where(eq(leaders.id, id))
        .returning();
      await recordAudit(tx, context, { action: 'archive', resourceType: RESOURCE, resourceId: id, before, after });
      return after!;
    });
  }

  return { getById, list, create, update, archive };
}
