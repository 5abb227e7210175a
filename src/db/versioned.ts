import { and, eq, getTableColumns, is, sql, SQL } from 'drizzle-orm';
import type { PgColumn, PgTable, TableConfig } from 'drizzle-orm/pg-core';
import type { Executor } from './types.js';
import { notFound, preconditionFailed } from '../lib/errors.js';
import { etagOf, matchesVersion, type ExpectedVersion } from '../lib/etag.js';

/**
 * The optimistic-concurrency protocol, once for every table: lock the row, compare its version with
 * the one the caller read (If-Match), write the next version. Audit is the caller's (every module
 * writes through src/modules/audit/audit.writes.ts); this file knows no domain.
 */
export type VersionedTable = PgTable<TableConfig> & {
  id: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
};

type Row<T extends VersionedTable> = T['$inferSelect'] & { id: string; version: number };

export interface LockAtVersion {
  /** The value of `column` (default: the primary key `id`) naming the row. */
  id: string;
  /** The version(s) the caller's If-Match accepts; another one is a 412 naming the current ETag. */
  expectedVersion: ExpectedVersion;
  /** The resource name a 404 gives. */
  label: string;
  column?: PgColumn;
}

/**
 * Locks a row for the rest of the transaction (SELECT … FOR UPDATE) and checks its version: 404 when
 * it does not exist, 412 when someone changed it since the caller read it. Of concurrent changes from
 * one version, exactly one gets past this line.
 */
export async function lockAtVersion<T extends VersionedTable>(tx: Executor, table: T, options: LockAtVersion): Promise<Row<T>> {
  const rows = await tx
    .select()
    .from(table as PgTable)
    .where(eq(options.column ?? table.id, options.id))
    .for('update');
  const row = rows[0] as Row<T> | undefined;
  if (!row) throw notFound(options.label, options.id);
  if (!matchesVersion(options.expectedVersion, row.version)) throw preconditionFailed(etagOf(row.version));
  return row;
}

/**
 * Writes `patch` as the next version of a row locked by lockAtVersion, or nothing (null) when the
 * patch would leave every column as it is: a change that changes nothing makes no version, so no
 * one's ETag goes stale for it. Compared in SQL, by the columns' own types (a money '1000' equals the
 * stored 1000.0000). `force`: a new version even so (the row's linked rows changed).
 */
export async function writeNextVersion<T extends VersionedTable>(
  tx: Executor,
  table: T,
  locked: Row<T>,
  patch: Partial<T['$inferInsert']>,
  { force = false }: { force?: boolean } = {},
): Promise<Row<T> | null> {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const changes = Object.entries(patch).filter(([key, value]) => value !== undefined && columns[key]);
  const newValue = (key: string, value: unknown) =>
    is(value, SQL) ? value : sql`${sql.param(value, columns[key]!)}::${sql.raw(columns[key]!.getSQLType())}`;
  const changed =
    changes.length === 0
      ? sql`false`
      : sql`(${sql.join(changes.map(([key]) => sql`${columns[key]!}`), sql`, `)}) is distinct from (${sql.join(
          changes.map(([key, value]) => newValue(key, value)),
          sql`, `,
        )})`;
  const updated = await tx
    .update(table as PgTable)
    .set({ ...patch, version: locked.version + 1, updatedAt: sql`now()` } as Record<string, unknown>)
    .where(and(eq(table.id, locked.id), force ? undefined : changed))
    .returning();
  return (updated[0] as Row<T> | undefined) ?? null;
}

/** A table whose rows are archived (kept, marked), never deleted. */
export type ArchivableTable = VersionedTable & { archivedAt: PgColumn };

/** Archives a locked row as its next version; null when it already was (archiving twice changes nothing). */
export async function writeArchived<T extends ArchivableTable>(tx: Executor, table: T, locked: Row<T>): Promise<Row<T> | null> {
  if ((locked as unknown as { archivedAt: unknown }).archivedAt) return null;
  return writeNextVersion(tx, table, locked, { archivedAt: sql`now()` } as Partial<T['$inferInsert']>);
}

/** Restores an archived locked row as its next version; null when it was not archived (nothing to undo). */
export async function writeRestored<T extends ArchivableTable>(tx: Executor, table: T, locked: Row<T>): Promise<Row<T> | null> {
  if (!(locked as unknown as { archivedAt: unknown }).archivedAt) return null;
  return writeNextVersion(tx, table, locked, { archivedAt: null } as Partial<T['$inferInsert']>);
}
