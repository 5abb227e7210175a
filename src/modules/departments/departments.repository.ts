import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { insertAudited, updateVersioned, lockRow } from '../../db/versioned.js';
import { notFound, preconditionFailed } from '../../lib/errors.js';
import { etagOf } from '../../lib/etag.js';
import { afterKey, decodeCursor, toPage } from '../../lib/pagination.js';
import { containsText } from '../../lib/text-search.js';
import { recordAudit, type RequestContext } from '../audit/audit.repository.js';
import { departments } from './departments.table.js';
import type { CreateDepartment, ListDepartmentsQuery, UpdateDepartment } from './departments.schemas.js';

const RESOURCE = 'department';

export function createDepartmentsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(departments).where(eq(departments.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListDepartmentsQuery) {
    const after = decodeCursor(query.cursor, query, 1);
    const rows = await db
      .select()
      .from(departments)
      .where(
        and(
          query.includeArchived === 'true' ? undefined : isNull(departments.archivedAt),
          query.q ? containsText([departments.code, departments.name, departments.shortName], query.q) : undefined,
          after ? afterKey([departments.id], after) : undefined,
        ),
      )
      .orderBy(asc(departments.id))
      .limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => [r.id], query);
  }

  async function create({ input, context }: { input: CreateDepartment; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, departments, { values: input, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: number; patch: UpdateDepartment; context: RequestContext }) {
    return db.transaction((tx) => updateVersioned(tx, departments, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
  }

  /** Departments answer for history (reports, issues), so they are archived, never deleted. */
  async function archive({ id, expectedVersion, context }: { id: string; expectedVersion: number; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const before = await lockRow(tx, departments, id, RESOURCE);
      if (before.version !== expectedVersion) throw preconditionFailed(etagOf(before.version));
      if (before.archivedAt) return before;
      const [after] = await tx
        .update(departments)
        .set({ archivedAt: sql`now()`, version: before.version + 1, updatedAt: sql`now()` })
        .where(eq(departments.id, id))
        .returning();
      await recordAudit(tx, context, { action: 'archive', resourceType: RESOURCE, resourceId: id, before, after });
      return after!;
    });
  }

  return { getById, list, create, update, archive };
}
