import type { Config } from '../config.js';
import { createPgliteDatabase, createPostgresDatabase } from './client.js';
import { lockDataDir } from './data-dir-lock.js';
import { migratePgliteDatabase, migratePostgres } from './migrate.js';
import type { Database } from './types.js';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded) and migrates it. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    await migratePostgres(config.DATABASE_URL);
    return createPostgresDatabase({
      url: config.DATABASE_URL,
      ...(config.DATABASE_READ_URL ? { readUrl: config.DATABASE_READ_URL } : {}),
      poolMax: config.DB_POOL_MAX,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    });
  }
  // One process at a time on an embedded data directory (server, seed:demo, keys): PGlite has one user,
  // and a second writer would damage it or go unseen by the first (src/db/data-dir-lock.ts).
  const lock = lockDataDir(config.DATA_DIR);
  try {
    const database = await createPgliteDatabase({ dataDir: config.DATA_DIR });
    await migratePgliteDatabase(database);
    const close = database.close.bind(database);
    database.close = async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    };
    return database;
  } catch (error) {
    lock.release();
    throw error;
  }
}
