import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

// Both drivers (node-postgres and PGlite) produce a PgDatabase; code is written against this.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema record is driver-neutral
export type Db = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, unknown>, ExtractTablesWithRelations<Record<string, unknown>>>;
/** Anything queries can run on: the root client or a transaction. */
export type Executor = Db | Tx;

/**
 * How an embedded data directory was opened: unpacked from the postinstall template (the directory
 * was empty), made by initdb (empty, no usable template) or an existing database.
 */
export type DataDirOrigin = 'template' | 'initdb' | 'existing';

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** PGlite on a data directory only: where its files came from (the start log says it). */
  readonly dataDirFrom?: DataDirOrigin;
  readonly db: Db;
  /**
   * Where read-only work (lists, metrics, exports) goes: a streaming replica when DATABASE_READ_URL
   * is set, else `db` itself. A replica lags the primary slightly, so nothing that must see its own
   * write reads through it.
   */
  readonly readDb: Db;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Connection-pool figures for observability (PGlite: one connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Follows NOTIFY on `channel` (on PostgreSQL through a dedicated connection that reconnects by
   * itself). `state(false)` says notifications may be missed from now on, `state(true)` that they
   * are followed again; a caller that caches must not trust its cache in between. Returns `stop`.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
}

export interface ListenHandlers {
  message(payload: string): void;
  state(following: boolean): void;
}
