import { eq, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, TableConfig } from 'drizzle-orm/pg-core';
import type { Executor } from './types.js';
import { notFound, preconditionFailed } from '../lib/errors.js';
import { etagOf } from '../lib/etag.js';
import { recordAudit, type RequestContext } from '../modules/audit/audit.repository.js';

/** A table with the columns optimistic concurrency needs. */
export type VersionedTable = PgTable<TableConfig> & {
  id: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
};

/** Locks a row for the rest of the transaction; 404 when it does not exist. */
export async function lockRow<T extends VersionedTable>(
  tx: Executor,
  table: T,
  id: string,
  resourceLabel: string,
): Promise<T['$inferSelect']> {
  const rows = await tx.select().from(table as PgTable).where(eq(table.id, id)).for('update');
  const row = rows[0];
  if (!row) throw notFound(resourceLabel, id);
  return row as T['$inferSelect'];
}

/**
 * Applies a patch only if the row is still at `expectedVersion` (412 otherwise), bumps the version
 * and writes the audit event, all in the caller's transaction.
 */
export async function updateVersioned<T extends VersionedTable>(
  tx: Executor,
  table: T,
  options: {
    id: string;
    expectedVersion: number;
    patch: Partial<T['$inferInsert']>;
    resourceType: string;
    context: RequestContext;
    action?: 'update' | 'archive' | 'transition';
  },
): Promise<T['$inferSelect']> {
  const before = await lockRow(tx, table, options.id, options.resourceType);
  const currentVersion = (before as { version: number }).version;
  if (currentVersion !== options.expectedVersion) throw preconditionFailed(etagOf(currentVersion));
  const updated = await tx
    .update(table as PgTable)
    .set({ ...options.patch, version: currentVersion + 1, updatedAt: sql`now()` } as Record<string, unknown>)
    .where(eq(table.id, options.id))
    .returning();
  const after = updated[0] as T['$inferSelect'];
  await recordAudit(tx, options.context, {
    action: options.action ?? 'update',
    resourceType: options.resourceType,
    resourceId: options.id,
    before,
    after,
  });
  return after;
}

/** Deletes a row at `expectedVersion` and audits it. */
export async function deleteVersioned<T extends VersionedTable>(
  tx: Executor,
  table: T,
  options: { id: string; expectedVersion: number; resourceType: string; context: RequestContext },
): Promise<void> {
  const before = await lockRow(tx, table, options.id, options.resourceType);
  const currentVersion = (before as { version: number }).version;
  if (currentVersion !== options.expectedVersion) throw preconditionFailed(etagOf(currentVersion));
  await tx.delete(table as PgTable).where(eq(table.id, options.id));
  await recordAudit(tx, options.context, {
    action: 'delete',
    resourceType: options.resourceType,
    resourceId: options.id,
    before,
  });
}

/** Inserts a row and audits it in the caller's transaction. */
export async function insertAudited<T extends VersionedTable>(
  tx: Executor,
  table: T,
  options: { values: T['$inferInsert']; resourceType: string; context: RequestContext },
): Promise<T['$inferSelect']> {
  const inserted = await tx.insert(table as PgTable).values(options.values as Record<string, unknown>).returning();
  const row = inserted[0] as T['$inferSelect'] & { id: string };
  await recordAudit(tx, options.context, { action: 'create', resourceType: options.resourceType, resourceId: row.id, after: row });
  return row;
}
