import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { annualPlans } from '../plans/plans.table.js';
import { projects } from '../projects/projects.table.js';
import { batchStillHasPlans } from './batches.errors.js';
import { groundbreakingBatches as batches } from './batches.table.js';
import { BATCH_PLANS_MAX, type CreateBatch, type ListBatchesQuery, type UpdateBatch } from './batches.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { assertHappened } from '../../lib/china-time.js';

const byCeremonyDateId = keyset({ ceremonyDate: batches.ceremonyDate, id: batches.id });

const RESOURCE = 'groundbreaking_batch';

export function createBatchesRepository({ db }: { db: Db }) {
  async function findBatch(executor: Executor, id: string) {
    const [row] = await executor.select().from(batches).where(eq(batches.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  /** The batch, its plans' projects and their total, read from one snapshot so they agree. */
  async function getDetail({ id }: { id: string }) {
    return db.transaction(
      async (tx) => {
        const batch = await findBatch(tx, id);
        const members = await tx
          .select({
            planId: annualPlans.id,
            year: annualPlans.year,
            list: annualPlans.list,
            projectId: projects.id,
            code: projects.code,
            name: projects.name,
            estimatedInvestment: projects.estimatedInvestment,
          })
          .from(annualPlans)
          .innerJoin(projects, eq(projects.id, annualPlans.projectId))
          .where(eq(annualPlans.batchId, id))
          .orderBy(asc(projects.code), asc(annualPlans.year), asc(annualPlans.list))
          .limit(BATCH_PLANS_MAX);
        // A project on two lists of the batch counts once; the sum stays numeric in SQL.
        const [totals] = await tx
          .select({
            projectCount: sql<number>`count(*)::int`,
            totalEstimatedInvestment: sql<string>`round(coalesce(sum(${projects.estimatedInvestment}), 0), 4)::text`,
          })
          .from(projects)
          .where(inArray(projects.id, tx.select({ id: annualPlans.projectId }).from(annualPlans).where(eq(annualPlans.batchId, id))));
        return { ...batch, projects: members, projectCount: totals!.projectCount, totalEstimatedInvestment: totals!.totalEstimatedInvestment };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  /** Ordered by ceremony date, then id, so the cursor is (ceremonyDate, id). */
  async function list(query: ListBatchesQuery) {
    return byCeremonyDateId.list(
      query,
      (after) =>
        db
          .select()
          .from(batches)
          .where(
            and(
              query.year ? gte(batches.ceremonyDate, `${query.year}-01-01`) : undefined,
              query.year ? lte(batches.ceremonyDate, `${query.year}-12-31`) : undefined,
              query.status ? eq(batches.status, query.status) : undefined,
              after,
            ),
          ),
    );
  }

  async function create({ input, context }: { input: CreateBatch; context: RequestContext }) {
    // A ceremony planned is in the future; one held has happened.
    if (input.status === 'held') assertHappened({ ceremonyDate: input.ceremonyDate });
    return db.transaction((tx) => insertAudited(tx, batches, { values: input, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateBatch; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, batches, { id, expectedVersion, label: RESOURCE });
      const after = { ...before, ...patch };
      if (after.status === 'held') assertHappened({ ceremonyDate: after.ceremonyDate });
      return updateAudited(tx, batches, { id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
  }

  /**
   * The row lock (FOR UPDATE) blocks plans from newly pointing at the batch until we finish, so
   * the check below cannot be raced; the restricting foreign key stays as the last line.
   */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    await db.transaction(async (tx) => {
      await lockAtVersion(tx, batches, { id, expectedVersion, label: RESOURCE });
      const plans = await tx.select({ id: annualPlans.id }).from(annualPlans).where(eq(annualPlans.batchId, id)).orderBy(asc(annualPlans.id));
      if (plans.length > 0) throw batchStillHasPlans(id, plans.map((p) => p.id));
      await deleteAudited(tx, batches, { id, expectedVersion, resourceType: RESOURCE, context });
    });
  }

  return { getDetail, list, create, update, remove };
}
