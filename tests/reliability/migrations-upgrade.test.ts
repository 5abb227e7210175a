import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../src/db/client.js';
import { migratePgliteDatabase, migratePostgres, migrationsFolder } from '../../src/db/migrate.js';
import { onRealPostgres } from '../support/db.js';

interface Journal {
  entries: { idx: number; tag: string }[];
}

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
const latest = journal.entries.at(-1)!;
// What the newest migration creates, read from its SQL, so the test follows new migrations.
const latestSql = readFileSync(join(migrationsFolder, `${latest.tag}.sql`), 'utf8');
const newTables = [...latestSql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"(?:public"\.")?([^"]+)"/g)].map((m) => m[1]!);
const newIndexes = [...latestSql.matchAll(/CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?"([^"]+)"/g)].map((m) => m[1]!);

/** The data an office has on file, written as the previous schema knew it (plain SQL, not today's tables). */
const SEED = `
  insert into departments (id, code, name) values ('0190a000-0000-7000-8000-000000000001', 'FGJ', '坦洲镇经济发展和科技统计局');
  insert into projects (id, code, name, category, estimated_investment, department_id)
    values ('0190a000-0000-7000-8000-000000000002', 'TZ-2022-001', '坦洲镇某智能制造产业园', 'industrial_investment', '78000.0000', '0190a000-0000-7000-8000-000000000001');
  insert into annual_plans (id, project_id, year, list, stage, planned_investment)
    values ('0190a000-0000-7000-8000-000000000003', '0190a000-0000-7000-8000-000000000002', 2022, 'city_key', 'new_start', '12000.0000');
  insert into progress_reports (id, project_id, period, period_start, period_end, due_date, department_id, submitted_at, late)
    values ('0190a000-0000-7000-8000-000000000004', '0190a000-0000-7000-8000-000000000002', '2022-03-H2', '2022-03-16', '2022-03-31', '2022-04-03',
            '0190a000-0000-7000-8000-000000000001', '2022-04-01T02:00:00Z', false);
  insert into progress_report_revisions (report_id, revision, investment_completed, physical_progress, work_ongoing, actor)
    values ('0190a000-0000-7000-8000-000000000004', 1, '3500.5000', 12.5, true, 'test');
`;

const CHECK = `
  select (select name from departments where code = 'FGJ') as department,
         (select estimated_investment::text from projects where code = 'TZ-2022-001') as estimated,
         (select planned_investment::text from annual_plans where id = '0190a000-0000-7000-8000-000000000003') as planned,
         (select period from progress_reports where id = '0190a000-0000-7000-8000-000000000004') as period,
         (select investment_completed::text from progress_report_revisions where report_id = '0190a000-0000-7000-8000-000000000004') as completed`;

const INTACT = { department: '坦洲镇经济发展和科技统计局', estimated: '78000.0000', planned: '12000.0000', period: '2022-03-H2', completed: '3500.5000' };

const OBJECTS = `
  select (select count(*)::int from pg_tables where schemaname = 'public' and tablename = any($1::text[])) as tables,
         (select count(*)::int from pg_indexes where schemaname = 'public' and indexname = any($2::text[])) as indexes`;

describe.runIf(journal.entries.length >= 2)(`upgrading from the previous migration set to ${latest.tag}`, () => {
  let previousFolder: string;

  beforeAll(() => {
    // migrations/ without its newest entry: what a server deployed one release ago has applied.
    previousFolder = mkdtempSync(join(tmpdir(), 'kpo-migrations-'));
    mkdirSync(join(previousFolder, 'meta'));
    const previous = journal.entries.slice(0, -1);
    for (const entry of previous) cpSync(join(migrationsFolder, `${entry.tag}.sql`), join(previousFolder, `${entry.tag}.sql`));
    writeFileSync(join(previousFolder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: previous }));
  });
  afterAll(() => rmSync(previousFolder, { recursive: true, force: true }));

  it.runIf(!onRealPostgres())('keeps the data on file and adds the new objects (embedded PGlite)', { timeout: 120_000 }, async () => {
    const database = await createPgliteDatabase();
    const client = (database.db as unknown as { $client: { exec(q: string): Promise<unknown>; query<T>(q: string, p?: unknown[]): Promise<{ rows: T[] }> } }).$client;
    try {
      await migratePgliteDatabase(database, previousFolder);
      expect((await client.query<{ tables: number }>(OBJECTS, [newTables, newIndexes])).rows[0]!.tables).toBe(0);
      await client.exec(SEED);
      await migratePgliteDatabase(database);
      expect((await client.query(CHECK)).rows[0]).toEqual(INTACT);
      expect((await client.query(OBJECTS, [newTables, newIndexes])).rows[0]).toEqual({ tables: newTables.length, indexes: newIndexes.length });
      const applied = (await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] };
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
    } finally {
      await database.close();
    }
  });

  it.runIf(onRealPostgres())(
    'keeps the data on file and adds the new objects once, with two instances upgrading at the same moment (PostgreSQL)',
    { timeout: 120_000 },
    async () => {
      const adminUrl = process.env.TEST_DATABASE_URL!;
      const name = `kpo_upg_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url.toString() });
      try {
        await migratePostgres(url.toString(), previousFolder);
        await client.connect();
        expect((await client.query(OBJECTS, [newTables, newIndexes])).rows[0].tables).toBe(0);
        await client.query(SEED);
        // The existing foundation test starts two instances on an empty database; this one on data.
        await Promise.all([migratePostgres(url.toString()), migratePostgres(url.toString())]);
        expect((await client.query(CHECK)).rows[0]).toEqual(INTACT);
        expect((await client.query(OBJECTS, [newTables, newIndexes])).rows[0]).toEqual({ tables: newTables.length, indexes: newIndexes.length });
        const applied = await client.query('select count(*)::int as n, count(distinct hash)::int as distinct_hashes from drizzle.__drizzle_migrations');
        expect(applied.rows[0]).toEqual({ n: journal.entries.length, distinct_hashes: journal.entries.length });
      } finally {
        await client.end();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );
});
