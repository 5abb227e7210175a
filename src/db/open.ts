import type { Config } from '../config.js';
import { createPgliteDatabase, createPostgresDatabase } from './client.js';
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
  const database = await createPgliteDatabase({ dataDir: config.DATA_DIR });
  await migratePgliteDatabase(database);
  return database;
}
