import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

async function createDepartment(body: Record<string, unknown> = { code: 'FGJ', name: '发改局', shortName: '发改' }) {
  return ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: body, headers: { 'x-actor': 'tester' } });
}

describe('departments', () => {
  it('creates a department, returns it with an ETag and a Location, and audits the creation', async () => {
    const created = await createDepartment();
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({ code: 'FGJ', name: '发改局', shortName: '发改', version: 1, archivedAt: null });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/departments/${body.id}`);

    const sql = async (text: string) => (await ctx.testDb.database.db.execute(text as never)) as unknown as { rows: Record<string, unknown>[] };
    const [adminKey] = (await sql(`select id from api_keys where name = 'test admin'`)).rows;
    const audit = await sql(`select actor, actor_role, on_behalf_of, action, resource_id from audit_events`);
    // The actor is the key that made the change; X-Actor is recorded as the person it acted for.
    expect(audit.rows).toEqual([{ actor: adminKey!.id, actor_role: 'admin', on_behalf_of: 'tester', action: 'create', resource_id: body.id }]);
  });

  it('refuses an unknown field with a 400 that names it', async () => {
    const response = await createDepartment({ code: 'X', name: 'X', colour: 'red' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = json(response);
    expect(problem.code).toBe('validation_failed');
    expect(JSON.stringify(problem.errors)).toContain('colour');
  });

  it('refuses a duplicate code with a 409 that names the constraint', async () => {
    await createDepartment();
    const again = await createDepartment({ code: 'FGJ', name: '另一个' });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: 'unique_violation', constraint: 'departments_code_key' });
  });

  it('requires If-Match to change a department and refuses a stale one', async () => {
    const id = json(await createDepartment()).id;
    const without = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${id}`, payload: { shortName: 'FG' } });
    expect(without.statusCode).toBe(428);

    const ok = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${id}`, payload: { shortName: 'FG' }, headers: { 'if-match': '"v1"' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ shortName: 'FG', version: 2 });
    expect(ok.headers.etag).toBe('"v2"');

    const stale = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${id}`, payload: { shortName: 'F' }, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });
  });

  it('archives instead of deleting, and hides archived departments from the default list', async () => {
    const id = json(await createDepartment()).id;
    const archived = await ctx.app.inject({ method: 'DELETE', url: `/v1/departments/${id}`, headers: { 'if-match': '"v1"' } });
    expect(archived.statusCode).toBe(204);
    expect(json(await ctx.app.inject({ method: 'GET', url: '/v1/departments' })).items).toEqual([]);
    const all = json(await ctx.app.inject({ method: 'GET', url: '/v1/departments?includeArchived=true' }));
    expect(all.items).toHaveLength(1);
    expect(all.items[0].archivedAt).not.toBeNull();
  });

  it('pages through the list with a cursor that cannot be reused under other filters', async () => {
    for (let i = 0; i < 5; i++) await createDepartment({ code: `D${i}`, name: `部门${i}` });
    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/departments?limit=2' }));
    expect(first.items.map((d: { code: string }) => d.code)).toEqual(['D0', 'D1']);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments?limit=2&cursor=${first.nextCursor}` }));
    expect(second.items.map((d: { code: string }) => d.code)).toEqual(['D2', 'D3']);
    const third = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments?limit=2&cursor=${second.nextCursor}` }));
    expect(third.items.map((d: { code: string }) => d.code)).toEqual(['D4']);
    expect(third.nextCursor).toBeNull();

    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/departments?limit=2&q=D4&cursor=${first.nextCursor}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');
  });

  it('finds departments by text in code or name', async () => {
    await createDepartment({ code: 'FGJ', name: '发改局' });
    await createDepartment({ code: 'ZJJ', name: '住建局' });
    const found = json(await ctx.app.inject({ method: 'GET', url: `/v1/departments?q=${encodeURIComponent('住建')}` }));
    expect(found.items.map((d: { code: string }) => d.code)).toEqual(['ZJJ']);
  });

  it('answers 404 problem+json for an unknown id and 400 for a malformed one', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/v1/departments/01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('not_found');
    const malformed = await ctx.app.inject({ method: 'GET', url: '/v1/departments/nope' });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).errors[0]).toMatchObject({ location: 'params', path: '/id' });
  });
});
