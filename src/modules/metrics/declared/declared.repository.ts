import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { deleteAudited, insertAudited } from '../../audit/audit.public.js';
import { notFound } from '../../../lib/errors.js';
import { keyset } from '../../../lib/pagination.js';
import type { RequestContext } from '../../../lib/request-context.js';
import { declaredFigures } from './declared.table.js';
import type { CreateDeclaredFigure, ListDeclaredFiguresQuery } from './declared.schemas.js';
import type { ExpectedVersion } from '../../../lib/etag.js';

const byId = keyset({ id: declaredFigures.id });

const RESOURCE = 'declared_figure';

export function createDeclaredFiguresRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(declaredFigures).where(eq(declaredFigures.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListDeclaredFiguresQuery) {
    return byId.list(
      query,
      (after) =>
        db
          .select()
          .from(declaredFigures)
          .where(
            and(
              query.list ? eq(declaredFigures.list, query.list) : undefined,
              query.year ? eq(declaredFigures.year, query.year) : undefined,
              query.asOf ? eq(declaredFigures.asOf, query.asOf) : undefined,
              after,
            ),
          ),
    );
  }

  async function create({ input, context }: { input: CreateDeclaredFigure; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, declaredFigures, { values: input, resourceType: RESOURCE, context }));
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    await db.transaction((tx) => deleteAudited(tx, declaredFigures, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, create, remove };
}
