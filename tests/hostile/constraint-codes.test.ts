import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CHECK_MEANINGS, TABLE_LABELS, UNIQUE_MEANINGS } from '../../src/db/constraints.js';
import { foreignKeyParts } from '../../src/db/pg-errors.js';
import { rowsOf } from '../../src/db/rows.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();
const CJK = /[\u4e00-\u9fff]/;

interface Constraint {
  kind: 'c' | 'u' | 'f';
  table: string;
  name: string;
  definition: string;
}

async function constraints(): Promise<Constraint[]> {
  const declared = await rowsOf<Constraint>(
    ctx.testDb.database.db,
    sql`select contype as kind, conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
        from pg_constraint where contype in ('c', 'u', 'f') and connamespace = 'public'::regnamespace`,
  );
  const uniqueIndexes = await rowsOf<Constraint>(
    ctx.testDb.database.db,
    sql`select 'u' as kind, tablename as table, indexname as name, indexdef as definition from pg_indexes
        where schemaname = 'public' and indexdef like 'CREATE UNIQUE%' and indexname not like '%_pkey'`,
  );
  return [...declared, ...uniqueIndexes];
}

async function department(code: string) {
  return json(await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `部门${code}` } }));
}

function project(departmentId: string, extra: Record<string, unknown> = {}) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/projects',
    payload: { code: 'TZ-C-1', name: '约束测试项目', category: 'transport', estimatedInvestment: '100.0000', departmentId, statusDate: '2022-01-05', ...extra },
  });
}

describe('Every database constraint has a readable meaning', () => {
  it('each CHECK, unique and foreign key in the schema is listed, or covered by a rule (code list, link key, labelled table)', async () => {
    const all = await constraints();
    expect(all.filter((c) => c.kind === 'c').length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const c of all) {
      if (c.kind === 'c' && !CHECK_MEANINGS[c.name] && !/ = ANY \(ARRAY\[/.test(c.definition)) missing.push(`CHECK ${c.name}: ${c.definition}`);
      if (c.kind === 'u' && !UNIQUE_MEANINGS[c.name] && !c.name.endsWith('_pk')) missing.push(`UNIQUE ${c.name}`);
      if (c.kind === 'f' && (!foreignKeyParts(c.table, c.name).target || !TABLE_LABELS[c.table])) missing.push(`FOREIGN KEY ${c.name} on ${c.table}`);
    }
    expect(missing, `add these to src/db/constraints.ts:\n${missing.join('\n')}`).toEqual([]);
  });

  it('every listed meaning has a distinct English and Chinese text', () => {
    for (const meaning of [...Object.values(CHECK_MEANINGS), ...Object.values(UNIQUE_MEANINGS)]) {
      expect(meaning.en).not.toMatch(CJK);
      expect(meaning.zh).toMatch(CJK);
      expect(meaning.code).toMatch(/^[a-z][a-z_]+$/);
    }
  });
});

describe('A refused write names its rule, the field and what is wrong in both languages', () => {
  it('a planned completion before the planned start is 422 planned_dates_out_of_order at plannedCompletionDate, not check_violation', async () => {
    const { id } = await department('CK');
    const response = await project(id, { plannedStartDate: '2022-06-01', plannedCompletionDate: '2022-01-01' });
    expect(response.statusCode).toBe(422);
    const problem = json(response);
    expect(problem).toMatchObject({ code: 'planned_dates_out_of_order', field: 'plannedCompletionDate', constraint: 'projects_planned_dates_check' });
    expect(problem.detail).toContain('may not precede');
    expect(problem.detail).toMatch(CJK);
  });

  it('a duplicate code is 409 unique_violation naming the field, in both languages', async () => {
    await department('DUP');
    const again = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'DUP', name: '另一个部门' } });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: 'unique_violation', field: 'code', constraint: 'departments_code_key' });
    expect(json(again).detail).toBe('A department with this code already exists / 该部门代码已存在');
  });

  it('an id naming nothing is 422 foreign_key_violation naming the field and the kind of record, in both languages', async () => {
    const response = await project('0190c0de-0000-7000-8000-000000000000');
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ code: 'foreign_key_violation', field: 'departmentId' });
    expect(json(response).detail).toBe('departmentId does not name an existing department / departmentId 所指的部门不存在');
  });
});
