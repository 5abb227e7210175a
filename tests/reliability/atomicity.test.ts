import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { insertDepartment, insertProject } from '../support/direct-rows.js';

const ctx = useTestApp();

const created: { table: string; trigger: string }[] = [];

/**
 * A trigger, in this file's own database, that raises when `when` holds for an inserted row: a
 * failure in the middle of a write, after the statements before it have run.
 */
async function failInsertsInto(table: string, when: string) {
  const name = `kpo_test_fail_${table}`;
  const db = ctx.testDb.database.db;
  await db.execute(sql.raw(`create function ${name}() returns trigger language plpgsql as $$
    begin raise exception 'forced failure in %', tg_table_name; end $$`));
  await db.execute(sql.raw(`create trigger ${name} before insert on ${table} for each row when (${when}) execute function ${name}()`));
  created.push({ table, trigger: name });
}

afterEach(async () => {
  const db = ctx.testDb.database.db;
  for (const { table, trigger } of created.splice(0)) {
    await db.execute(sql.raw(`drop trigger if exists ${trigger} on ${table}`));
    await db.execute(sql.raw(`drop function if exists ${trigger}()`));
  }
});

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await ctx.testDb.database.db.execute(query)) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

describe('writes commit together with everything they imply, or not at all', () => {
  it('leaves no department behind when its audit event cannot be written', async () => {
    await failInsertsInto('audit_events', `new.resource_type = 'department' and new.after->>'code' = 'NOAUDIT'`);
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'NOAUDIT', name: '无审计' } });
    expect(response.statusCode).toBe(500);
    expect(json(response).code).toBe('internal_error');
    expect(await count(sql`select count(*)::int as n from departments where code = 'NOAUDIT'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_events`)).toBe(0);
  });

  it('keeps a department unchanged when the audit event of its update cannot be written', async () => {
    const id = await insertDepartment(ctx, 'FGJ');
    await failInsertsInto('audit_events', `new.action = 'update'`);
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/departments/${id}`,
      payload: { contactPerson: '李工' },
      headers: { 'if-match': '"v1"' },
    });
    expect(response.statusCode).toBe(500);
    const stored = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments/${id}` }));
    expect(stored).toMatchObject({ contactPerson: null, version: 1 });
    expect(await count(sql`select count(*)::int as n from audit_events where action = 'update'`)).toBe(0);
  });

  it('writes no progress report when its first revision cannot be written', async () => {
    const departmentId = await insertDepartment(ctx, 'ZJJ');
    const projectId = await insertProject(ctx, { departmentId, code: 'TZ-001' });
    await failInsertsInto('progress_report_revisions', 'new.revision = 1');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/progress-reports',
      payload: { projectId, period: '2022-03-H2', investmentCompleted: '2150.5000', physicalProgress: '45.50', workOngoing: true, submittedAt: '2022-04-02T08:30:00Z' },
    });
    expect(response.statusCode).toBe(500);
    expect(await count(sql`select count(*)::int as n from progress_reports`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from progress_report_revisions`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_events where resource_type = 'progress_report'`)).toBe(0);
  });

  const importRows = [1, 2, 3, 4].map((n) => ({
    code: `TZ-00${n}`,
    name: `导入项目${n}`,
    category: 'industrial_investment',
    estimatedInvestment: '10000.0000',
    department: 'ZJJ',
    year: 2022,
    list: 'city_key',
    stage: 'new_start',
    plannedInvestment: `1000.000${n}`,
  }));

  async function expectNothingImported() {
    expect(await count(sql`select count(*)::int as n from projects`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from project_status_changes`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from annual_plans`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_events where resource_type in ('project', 'annual_plan')`)).toBe(0);
  }

  it('imports nothing when the third project fails in the database after every row passed validation', async () => {
    await insertDepartment(ctx, 'ZJJ');
    const dryRun = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects?dryRun=true', payload: { rows: importRows } });
    expect(dryRun.statusCode).toBe(200);
    await failInsertsInto('projects', `new.code = 'TZ-003'`);
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: { rows: importRows } });
    expect(response.statusCode).toBe(500);
    await expectNothingImported();
  });

  it('imports nothing when the last plan fails after all projects, their status, their audit events and the other plans were written', async () => {
    await insertDepartment(ctx, 'ZJJ');
    await failInsertsInto('annual_plans', `new.planned_investment = 1000.0004`);
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: { rows: importRows } });
    expect(response.statusCode).toBe(500);
    await expectNothingImported();
  });
});
