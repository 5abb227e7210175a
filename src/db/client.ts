import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, Db } from './types.js';

// numeric and bigint stay strings (exact money); date stays 'YYYY-MM-DD' text, not a JS Date
// shifted by the process time zone.
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(NUMERIC, (v) => v);
pg.types.setTypeParser(DATE, (v) => v);

export interface PostgresOptions {
  url: string;
  /** A streaming replica for read-only work; it gets its own pool of the same size. */
  readUrl?: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  applicationName?: string;
}

export function createPostgresDatabase(options: PostgresOptions): Database {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // While PostgreSQL is unreachable a request waits at most this long for a connection, then 503.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    // The server cancels a statement after statement_timeout; query_timeout is the driver's own
    // limit for a server that stops answering altogether (dead host, half-open TCP).
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 2000,
    // A session left inside a transaction (a stuck caller) gives back its locks.
    idle_in_transaction_session_timeout: statementTimeoutMs,
    keepAlive: true,
    application_name: options.applicationName ?? 'kpo',
    // Timestamps leave the database in UTC whatever the server's default zone.
    options: '-c TimeZone=UTC',
  });
  // A client losing its server (restart, outage) emits 'error'. pg-pool listens only while the
  // client is idle; a checked-out client without a listener would crash the process, so each gets
  // one. The query in progress fails on its own and the pool discards the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  const db = drizzlePg(pool) as unknown as Db;
  // The replica gets a pool of its own with the same settings.
  const { readUrl, ...rest } = options;
  const replica = readUrl ? createPostgresDatabase({ ...rest, url: readUrl }) : undefined;
  return {
    kind: 'postgres',
    db,
    readDb: replica?.db ?? db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await Promise.all([pool.end(), replica?.close()]);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  };
}

/** Embedded PostgreSQL; `dataDir` undefined keeps it in memory (tests). */
export async function createPgliteDatabase(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await client.exec("set time zone 'UTC'");
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    readDb: db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
    poolStats() {
      return { total: 1, idle: 1, waiting: 0 };
    },
  };
}
