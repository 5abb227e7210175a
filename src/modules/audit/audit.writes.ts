import { eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/types.js';
import { lockAtVersion, writeArchived, writeNextVersion, writeRestored, type ArchivableTable, type VersionedTable } from '../../db/versioned.js';
import type { RequestContext } from '../../lib/request-context.js';
import { recordAudit, type AuditInput } from './audit.repository.js';
import type { ExpectedVersion } from '../../lib/etag.js';

/**
 * The audited writes every module's repository uses: each takes the caller's transaction, writes the
 * record (through the version protocol of src/db/versioned.ts) and its audit event in it.
 */
interface Audited {
  resourceType: string;
  context: RequestContext;
}

interface AtVersion extends Audited {
  id: string;
  expectedVersion: ExpectedVersion;
}

type Row<T extends VersionedTable> = T['$inferSelect'] & { id: string; version: number };

/** Inserts a row and audits it. */
export async function insertAudited<T extends VersionedTable>(
  tx: Executor,
  table: T,
  options: Audited & { values: T['$inferInsert'] },
): Promise<Row<T>> {
  const inserted = await tx.insert(table as PgTable).values(options.values as Record<string, unknown>).returning();
  const row = inserted[0] as Row<T>;
  await recordAudit(tx, options.context, { action: 'create', resourceType: options.resourceType, resourceId: row.id, after: row });
  return row;
}

/** Applies a patch to the version the caller read (412 otherwise) and audits it; a patch that changes nothing writes nothing. */
export async function updateAudited<T extends VersionedTable>(
  tx: Executor,
  table: T,
  options: AtVersion & { patch: Partial<T['$inferInsert']>; action?: Extract<AuditInput['action'], 'update' | 'transition'> },
): Promise<Row<T>> {
  const before = await lockAtVersion(tx, table, { id: options.id, expectedVersion: options.expectedVersion, label: options.resourceType });
  const after = await writeNextVersion(tx, table, before, options.patch);
  // Nothing changed: the record as it is, no new version, no audit event.
  if (!after) return before;
  await recordAudit(tx, options.context, { action: options.action ?? 'update', resourceType: options.resourceType, resourceId: options.id, before, after });
  return after;
}

/** Deletes the version the caller read (412 otherwise) and audits it with the row as it was. */
export async function deleteAudited<T extends VersionedTable>(tx: Executor, table: T, options: AtVersion): Promise<void> {
  const before = await lockAtVersion(tx, table, { id: options.id, expectedVersion: options.expectedVersion, label: options.resourceType });
  await tx.delete(table as PgTable).where(eq(table.id, options.id));
  await recordAudit(tx, options.context, { action: 'delete', resourceType: options.resourceType, resourceId: options.id, before });
}

/**
 * Archives the version the caller read (412 otherwise) and audits it; an archived row is returned as
 * it is. `unlessInUse` may refuse (409) after the row is locked, so nothing can start using it meanwhile.
 */
export async function archiveAudited<T extends ArchivableTable>(
  tx: Executor,
  table: T,
  options: AtVersion & { unlessInUse?: (row: Row<T>) => Promise<void> },
): Promise<Row<T>> {
  const before = await lockAtVersion(tx, table, { id: options.id, expectedVersion: options.expectedVersion, label: options.resourceType });
  if ((before as unknown as { archivedAt: unknown }).archivedAt) return before;
  await options.unlessInUse?.(before);
  const after = await writeArchived(tx, table, before);
  if (!after) return before;
  await recordAudit(tx, options.context, { action: 'archive', resourceType: options.resourceType, resourceId: options.id, before, after });
  return after;
}

/** Undoes an archive of the version the caller read (412 otherwise) and audits it; a row not archived is returned as it is. */
export async function restoreAudited<T extends ArchivableTable>(tx: Executor, table: T, options: AtVersion): Promise<Row<T>> {
  const before = await lockAtVersion(tx, table, { id: options.id, expectedVersion: options.expectedVersion, label: options.resourceType });
  const after = await writeRestored(tx, table, before);
  if (!after) return before;
  await recordAudit(tx, options.context, { action: 'restore', resourceType: options.resourceType, resourceId: options.id, before, after });
  return after;
}
