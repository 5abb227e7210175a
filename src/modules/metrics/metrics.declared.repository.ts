import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { deleteVersioned, insertAudited } from '../../db/versioned.js';
import { notFound } from '../../lib/errors.js';
import { afterKey, decodeCursor, toPage } from '../../lib/pagination.js';
import type { RequestContext } from '../audit/audit.repository.js';
import { declaredFigures } from './metrics.table.js';
import type { CreateDeclaredFigure, ListDeclaredFiguresQuery } from './metrics.declared.schemas.js';

const RESOURCE = 'declared_figure';

export function createDeclaredFiguresRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(declaredFigures).where(eq(declaredFigures.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListDeclaredFiguresQuery) {
    const after = decodeCursor(query.cursor, query, 1);
    const rows = await db
      .select()
      .from(declaredFigures)
      .where(
        and(
          query.list ? eq(declaredFigures.list, query.list) : undefined,
          query.year ? eq(declaredFigures.year, query.year) : undefined,
          after ? afterKey([declaredFigures.id], after) : undefined,
        ),
      )
      .orderBy(asc(declaredFigures.id))
      .limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => [r.id], query);
  }

  async function create({ input, context }: { input: CreateDeclaredFigure; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, declaredFigures, { values: input, resourceType: RESOURCE, context }));
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: number; context: RequestContext }) {
    await db.transaction((tx) => deleteVersioned(tx, declaredFigures, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, create, remove };
}
