import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgliteDatabase } from '../../src/db/client.js';
import { migratePgliteDatabase, migratePostgres, migrationsFolder } from '../../src/db/migrate.js';
import { onRealPostgres } from '../support/db.js';

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };

describe('migrations', () => {
  it('apply to an empty embedded database', { timeout: 120_000 }, async () => {
    const database = await createPgliteDatabase();
    try {
      await migratePgliteDatabase(database);
      const result = (await database.db.execute(
        sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename in ('projects', 'progress_reports', 'audit_events')`,
      )) as unknown as { rows: { n: number }[] };
      expect(result.rows[0]?.n).toBe(3);
      await migratePgliteDatabase(database);
    } finally {
      await database.close();
    }
  });

  it.runIf(onRealPostgres())('apply to an empty PostgreSQL database once, even when two instances start together', { timeout: 120_000 }, async () => {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `kpo_mig_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      await Promise.all([migratePostgres(url.toString()), migratePostgres(url.toString())]);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const tables = await client.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
      await client.end();
      expect(applied.rows[0].n).toBe(journal.entries.length);
      expect(tables.rows[0].n).toBeGreaterThan(10);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
