import { and, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { assertBondConsistent } from './special-bonds.rules.js';
import { specialBonds } from './special-bonds.table.js';
import type { CreateSpecialBond, ListSpecialBondsQuery, UpdateSpecialBond } from './special-bonds.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { assertHappened } from '../../lib/china-time.js';

const byAppliedOnId = keyset({ appliedOn: specialBonds.appliedOn, id: specialBonds.id });

const RESOURCE = 'special_bond';

export function createSpecialBondsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(specialBonds).where(eq(specialBonds.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  /** Ordered by application date, then id, so the cursor is (appliedOn, id). */
  async function list(query: ListSpecialBondsQuery) {
    return byAppliedOnId.list(
      query,
      (after) =>
        db
          .select()
          .from(specialBonds)
          .where(
            and(
              query.projectId ? eq(specialBonds.projectId, query.projectId) : undefined,
              query.outcome ? eq(specialBonds.outcome, query.outcome) : undefined,
              query.year ? gte(specialBonds.appliedOn, `${query.year}-01-01`) : undefined,
              query.year ? lte(specialBonds.appliedOn, `${query.year}-12-31`) : undefined,
              query.decidedFrom ? gte(specialBonds.decidedOn, query.decidedFrom) : undefined,
              query.decidedTo ? lte(specialBonds.decidedOn, query.decidedTo) : undefined,
              after,
            ),
          ),
    );
  }

  async function create({ input, context }: { input: CreateSpecialBond; context: RequestContext }) {
    assertHappened({ appliedOn: input.appliedOn, decidedOn: input.decidedOn });
    const values = {
      ...input,
      outcome: input.outcome ?? 'pending',
      amountGranted: input.amountGranted ?? null,
      decidedOn: input.decidedOn ?? null,
    };
    assertBondConsistent(values);
    return db.transaction((tx) => insertAudited(tx, specialBonds, { values, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateSpecialBond; context: RequestContext }) {
    return db.transaction(async (tx) => {
      // Lock and check the version before judging the change, so a stale writer hears 412, not 422.
      const before = await lockAtVersion(tx, specialBonds, { id, expectedVersion, label: RESOURCE });
      assertHappened({ appliedOn: patch.appliedOn, decidedOn: patch.decidedOn });
      assertBondConsistent({ ...before, ...patch });
      return updateAudited(tx, specialBonds, { id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    await db.transaction((tx) => deleteAudited(tx, specialBonds, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, create, update, remove };
}
