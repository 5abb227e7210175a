import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { VERSIONED_TABLES, SYSTEM_COLUMNS } from '../../src/db/history.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();
const db = () => ctx.testDb.database.db;
const rows = async <T>(query: ReturnType<typeof sql>) => ((await db().execute(query)) as unknown as { rows: T[] }).rows;

async function department(headers: Record<string, string> = {}) {
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FGJ', name: '发改局', shortName: '发改' }, headers });
  expect(created.statusCode, created.body).toBe(201);
  return json(created);
}

describe('history of every record (system-versioned tables)', () => {
  it('keeps each version of a department with its time range and who made it, the current one last', async () => {
    const created = await department({ 'x-actor': 'wang' });
    const patched = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${created.id}`, payload: { name: '发展和改革局' }, headers: { 'if-match': '"v1"', 'x-actor': 'li' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const [key] = await rows<{ id: string }>(sql`select id from api_keys where name = 'test admin'`);

    const history = await ctx.app.inject({ method: 'GET', url: `/v1/departments/${created.id}/history` });
    expect(history.statusCode, history.body).toBe(200);
    const { items, nextCursor } = json(history);
    expect(nextCursor).toBeNull();
    expect(items.map((v: { record: { name: string; version: number } }) => [v.record.name, v.record.version])).toEqual([
      ['发改局', 1],
      ['发展和改革局', 2],
    ]);
    expect(items[0]).toMatchObject({ endedBy: 'update', changedBy: { actor: key!.id, actorRole: 'admin', onBehalfOf: 'wang' } });
    expect(items[0].validTo).toBe(items[1].validFrom);
    expect(items[1]).toMatchObject({ validTo: null, endedBy: null, endedByChange: null, changedBy: { onBehalfOf: 'li' } });
    expect(items[1].changedBy.requestId).toEqual(expect.any(String));
  });

  it('versions a change made in plain SQL too, with no API caller, and skips an update that changes nothing', async () => {
    const created = await department();
    await db().execute(sql`update departments set contact_person = '张三' where id = ${created.id}`);
    await db().execute(sql`update departments set contact_person = '张三' where id = ${created.id}`);
    const { items } = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments/${created.id}/history` }));
    expect(items).toHaveLength(2);
    expect(items[1].record.contactPerson).toBe('张三');
    expect(items[1].changedBy).toEqual({ actor: null, actorRole: null, onBehalfOf: null, requestId: null });
  });

  it('keeps the history of a deleted record readable, ending in the deletion and who made it', async () => {
    const created = await department();
    const project = await ctx.app.inject({
      method: 'POST',
      url: '/v1/projects',
      payload: { code: 'P1', name: '项目', ownerUnit: '公司', category: 'transport', estimatedInvestment: '1000', departmentId: created.id },
    });
    expect(project.statusCode, project.body).toBe(201);
    const plan = await ctx.app.inject({
      method: 'POST',
      url: `/v1/projects/${json(project).id}/plans`,
      payload: { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '100' },
    });
    const planId = json(plan).id;
    const removed = await ctx.app.inject({ method: 'DELETE', url: `/v1/plans/${planId}`, headers: { 'if-match': '"v1"', 'x-actor': 'zhao' } });
    expect(removed.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/plans/${planId}` })).statusCode).toBe(404);
    const { items } = json(await ctx.app.inject({ method: 'GET', url: `/v1/plans/${planId}/history` }));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ endedBy: 'delete', endedByChange: { onBehalfOf: 'zhao' }, record: { plannedInvestment: '100.0000', year: 2022 } });
    expect(items[0].validTo).toEqual(expect.any(String));
  });

  it('answers 404 for a record that never existed and pages long histories', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/v1/departments/01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f/history' });
    expect(missing.statusCode).toBe(404);
    const created = await department();
    for (let version = 1; version <= 4; version++) {
      const r = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${created.id}`, payload: { name: `发改局${version}` }, headers: { 'if-match': `"v${version}"` } });
      expect(r.statusCode, r.body).toBe(200);
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments/${created.id}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}` }));
      names.push(...page.items.map((v: { record: { name: string } }) => v.record.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['发改局', '发改局1', '发改局2', '发改局3', '发改局4']);
  });

  it('refuses TRUNCATE of a versioned table, which would remove rows without their versions', async () => {
    await department();
    await expect(db().execute(sql`truncate departments cascade`)).rejects.toThrow();
    expect(await rows(sql`select 1 from departments`)).toHaveLength(1);
  });

  it('keeps a version of a row written and replaced inside one transaction only as it was committed', async () => {
    const created = await department();
    await db().transaction(async (tx) => {
      await tx.execute(sql`update departments set name = 'a' where id = ${created.id}`);
      await tx.execute(sql`update departments set name = 'b' where id = ${created.id}`);
    });
    const versions = await rows<{ name: string }>(sql`select name from history.departments where id = ${created.id} order by sys_from`);
    expect(versions.map((v) => v.name)).toEqual(['发改局', 'b']);
  });

  it('has a history table for every versioned table, with every column of the table (a migration that adds one must extend its history)', async () => {
    const missing = await rows<{ table_name: string; column_name: string }>(sql`
      select c.table_name, c.column_name from information_schema.columns c
      where c.table_schema = 'public' and c.table_name in (${sql.join(VERSIONED_TABLES.map((t) => sql`${t}`), sql`, `)})
        and not exists (select 1 from information_schema.columns h
                        where h.table_schema = 'history' and h.table_name = c.table_name and h.column_name = c.column_name)`);
    expect(missing).toEqual([]);
    const triggers = await rows<{ table: string }>(sql`
      select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname = c.relname || '_history' and c.relnamespace = 'public'::regnamespace`);
    expect(triggers.map((t) => t.table).sort()).toEqual([...VERSIONED_TABLES].sort());
    const system = await rows<{ column_name: string }>(sql`
      select column_name from information_schema.columns where table_schema = 'history' and table_name = 'projects' and column_name like 'sys\\_%'`);
    expect(system.map((c) => c.column_name).sort()).toEqual([...SYSTEM_COLUMNS].sort());
  });
});
