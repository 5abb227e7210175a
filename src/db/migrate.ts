import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './types.js';
import { fromProjectRoot } from '../lib/project-root.js';

export const migrationsFolder = fromProjectRoot('migrations');

// Any fixed 64-bit number; every instance of kpo agrees on it.
const MIGRATION_LOCK_KEY = 7_305_221_001;

/**
 * Applies migrations/ to a PostgreSQL server. The advisory lock is held on one dedicated
 * connection for the whole run, so two instances starting together migrate one after the other
 * and the second finds nothing left to do. `folder` is for tests that stop at an earlier migration.
 */
export async function migratePostgres(url: string, folder = migrationsFolder): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'kpo-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder: folder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Applies migrations/ to an embedded database: one connection, so no lock is needed. */
export async function migratePgliteDatabase(database: Database, folder = migrationsFolder): Promise<void> {
  await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
}
