import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

async function createLeader(body: Record<string, unknown> = { name: '张某', title: '镇长', phone: '0760-86000001' }) {
  return ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: body, headers: { 'x-actor': 'tester' } });
}

async function auditRows() {
  const result = await ctx.testDb.database.db.execute(
    `select actor = (select id::text from api_keys where name = 'test admin') as by_test_admin_key, on_behalf_of, action, resource_type, resource_id
       from audit_events order by id` as never,
  );
  return (result as unknown as { rows: unknown[] }).rows;
}

describe('leaders', () => {
  it('creates a leader, returns it with an ETag and a Location, and audits the creation', async () => {
    const created = await createLeader();
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({ name: '张某', title: '镇长', phone: '0760-86000001', version: 1, archivedAt: null });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/leaders/${body.id}`);
    expect(await auditRows()).toEqual([{ by_test_admin_key: true, on_behalf_of: 'tester', action: 'create', resource_type: 'leader', resource_id: body.id }]);

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leaders/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"v1"');
    expect(json(read)).toEqual(body);
  });

  it('refuses an unknown field and a missing title with a 400 that names them', async () => {
    const unknown = await createLeader({ name: '张某', title: '镇长', rank: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(json(unknown).errors)).toContain('rank');

    const missing = await createLeader({ name: '张某' });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(json(missing).errors)).toContain('title');
  });

  it('requires If-Match to change a leader, refuses a stale one, and audits the change', async () => {
    const id = json(await createLeader()).id;
    const without = await ctx.app.inject({ method: 'PATCH', url: `/v1/leaders/${id}`, payload: { title: '镇党委书记' } });
    expect(without.statusCode).toBe(428);

    const ok = await ctx.app.inject({ method: 'PATCH', url: `/v1/leaders/${id}`, payload: { title: '镇党委书记' }, headers: { 'if-match': '"v1"' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ title: '镇党委书记', name: '张某', version: 2 });
    expect(ok.headers.etag).toBe('"v2"');

    const stale = await ctx.app.inject({ method: 'PATCH', url: `/v1/leaders/${id}`, payload: { phone: null }, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });
    expect((await auditRows()).map((r) => (r as { action: string }).action)).toEqual(['create', 'update']);
  });

  it('archives instead of deleting, and hides archived leaders from the default list', async () => {
    const id = json(await createLeader()).id;
    const without = await ctx.app.inject({ method: 'DELETE', url: `/v1/leaders/${id}` });
    expect(without.statusCode).toBe(428);
    const archived = await ctx.app.inject({ method: 'DELETE', url: `/v1/leaders/${id}`, headers: { 'if-match': '"v1"' } });
    expect(archived.statusCode).toBe(204);

    expect(json(await ctx.app.inject({ method: 'GET', url: '/v1/leaders' })).items).toEqual([]);
    const all = json(await ctx.app.inject({ method: 'GET', url: '/v1/leaders?includeArchived=true' }));
    expect(all.items).toHaveLength(1);
    expect(all.items[0]).toMatchObject({ id, version: 2 });
    expect(all.items[0].archivedAt).not.toBeNull();
    expect((await auditRows()).map((r) => (r as { action: string }).action)).toEqual(['create', 'archive']);
  });

  it('pages through the list with a cursor that cannot be reused under other filters', async () => {
    for (let i = 0; i < 5; i++) await createLeader({ name: `领导${i}`, title: '副镇长' });
    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/leaders?limit=2' }));
    expect(first.items.map((l: { name: string }) => l.name)).toEqual(['领导0', '领导1']);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/leaders?limit=2&cursor=${first.nextCursor}` }));
    expect(second.items.map((l: { name: string }) => l.name)).toEqual(['领导2', '领导3']);
    const third = json(await ctx.app.inject({ method: 'GET', url: `/v1/leaders?limit=2&cursor=${second.nextCursor}` }));
    expect(third.items.map((l: { name: string }) => l.name)).toEqual(['领导4']);
    expect(third.nextCursor).toBeNull();

    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/leaders?limit=2&q=x&cursor=${first.nextCursor}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');
  });

  it('finds leaders by text in name or post', async () => {
    await createLeader({ name: '张某', title: '镇长' });
    await createLeader({ name: '李某', title: '镇党委书记' });
    await createLeader({ name: '王某', title: '副镇长' });
    const byTitle = json(await ctx.app.inject({ method: 'GET', url: `/v1/leaders?q=${encodeURIComponent('书记')}` }));
    expect(byTitle.items.map((l: { name: string }) => l.name)).toEqual(['李某']);
    const byName = json(await ctx.app.inject({ method: 'GET', url: `/v1/leaders?q=${encodeURIComponent('王')}` }));
    expect(byName.items.map((l: { name: string }) => l.name)).toEqual(['王某']);
  });

  it('answers 404 problem+json for an unknown id and 400 for a malformed one', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/v1/leaders/01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('not_found');
    const malformed = await ctx.app.inject({ method: 'GET', url: '/v1/leaders/nope' });
    expect(malformed.statusCode).toBe(400);
  });
});
