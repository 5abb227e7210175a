import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { createPgliteDatabase, createPostgresDatabase } from '../../src/db/client.js';
import type { Database } from '../../src/db/types.js';

export interface TestDatabase {
  database: Database;
  /** Database URL on PostgreSQL (for tests that start a second instance); undefined on PGlite. */
  url: string | undefined;
  /** Empties every table, keeping the schema: call between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function onRealPostgres(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

/** One database per test file: a clone of the migrated template (PostgreSQL) or snapshot (PGlite). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const template = inject('templateDatabase');
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (adminUrl && template) {
    const name = `kpo_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    url = withDatabase(adminUrl, name);
    database = createPostgresDatabase({ url, poolMax: 5 });
    drop = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  } else {
    const snapshot = inject('pgliteSnapshot');
    if (!snapshot) throw new Error('global setup did not provide a PGlite snapshot');
    database = await createPgliteDatabase({ loadDataDir: new Blob([readFileSync(snapshot)]) });
  }
  return {
    database,
    url,
    async reset() {
      // figure_versions is a counter that only grows (the figures cache relies on it), and the
      // app holds the cursor-signing secret of server_secrets from its start; the
      // truncations of the other tables count as changes. The versioned tables refuse TRUNCATE unless
      // the transaction empties their history as well (migration 0013), which a reset does.
      const result = await database.db.execute(
        sql`select string_agg(format('%I.%I', schemaname, tablename), ', ') as tables from pg_tables
            where schemaname in ('public', 'history') and tablename not in ('figure_versions', 'server_secrets', 'horizon')`,
      );
      const tables = (result as unknown as { rows: { tables: string | null }[] }).rows[0]?.tables;
      if (!tables) return;
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('kpo.truncate_history', 'on', true)`);
        await tx.execute(sql.raw(`truncate ${tables} restart identity cascade`));
      });
    },
    async close() {
      await database.close();
      await drop();
    },
  };
}
