import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { hashKey } from '../../src/modules/api-keys/api-keys.token.js';

const ctx = useTestApp();
const missingId = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function makeDepartment(code = 'FGJ', name = '坦洲镇经济发展和科技信息局（发改）'): Promise<string> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name } });
  expect(response.statusCode).toBe(201);
  return json(response).id;
}

async function makeProject(departmentId: string, code = 'TZ-2022-001', name = '中山坦洲高端显示产业园项目'): Promise<string> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/v1/projects',
    payload: {
      code,
      name,
      category: 'industrial_investment',
      estimatedInvestment: '150000.0000',
      plannedStartDate: '2022-02-16',
      departmentId,
      statusDate: '2022-01-05',
    },
  });
  expect(response.statusCode).toBe(201);
  return json(response).id;
}

async function makeLeader(name = '张某', title = '镇长'): Promise<string> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name, title } });
  expect(response.statusCode).toBe(201);
  return json(response).id;
}

async function assign(leaderId: string, projectId: string, period: { startDate: string; endDate?: string } = { startDate: '2022-01-01' }) {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/leader-assignments', payload: { leaderId, projectId, role: 'lead', ...period } });
  expect(response.statusCode).toBe(201);
}

function comment(projectId: string, body: unknown, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: `/v1/projects/${projectId}/comments`, payload: body as Record<string, unknown>, headers });
}

async function keyIdOf(key: string): Promise<string> {
  const result = await ctx.testDb.database.db.execute(`select id from api_keys where secret_hash = '${hashKey(key)}'` as never);
  return (result as unknown as { rows: { id: string }[] }).rows[0]!.id;
}

async function commentAudit() {
  const result = await ctx.testDb.database.db.execute(
    `select actor, actor_role, on_behalf_of, action, resource_id from audit_events where resource_type = 'project_comment' order by id` as never,
  );
  return (result as unknown as { rows: Record<string, unknown>[] }).rows;
}

async function commentCount(): Promise<number> {
  const result = await ctx.testDb.database.db.execute('select count(*)::int as n from project_comments' as never);
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('project comments', () => {
  it('records an admin comment with its author, a Location and an audit event whose actor is the key id', async () => {
    const projectId = await makeProject(await makeDepartment());
    const created = await comment(projectId, { body: '  请发改加快三绿项目前期审批进度。 ' }, { 'x-actor': '李工' });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    const adminKeyId = await keyIdOf(ctx.adminKey);
    expect(body).toEqual({
      id: expect.any(String),
      projectId,
      body: '请发改加快三绿项目前期审批进度。',
      authorKeyId: adminKeyId,
      authorRole: 'admin',
      leaderId: null,
      onBehalfOf: '李工',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(created.headers.location).toBe(`/v1/comments/${body.id}`);
    expect(await commentAudit()).toEqual([{ actor: adminKeyId, actor_role: 'admin', on_behalf_of: '李工', action: 'create', resource_id: body.id }]);

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/comments/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual(body);
  });

  it('lets an office key comment and lists a project\'s comments newest first, leaving other projects\' out', async () => {
    const department = await makeDepartment();
    const projectId = await makeProject(department);
    const otherId = await makeProject(department, 'TZ-2022-002', '坦洲快线配套道路工程');
    const office = await ctx.key({ role: 'office' });
    const first = json(await comment(projectId, { body: '定期召开重点项目工作例会。' }));
    const second = await comment(projectId, { body: '逐个研判存在问题，制定解决方案。' }, bearer(office));
    expect(second.statusCode).toBe(201);
    expect(json(second)).toMatchObject({ authorRole: 'office', authorKeyId: await keyIdOf(office), leaderId: null, onBehalfOf: null });
    await comment(otherId, { body: '另一项目' });

    const list = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${projectId}/comments` });
    expect(list.statusCode).toBe(200);
    expect(json(list)).toEqual({ items: [json(second), first], nextCursor: null });
  });

  it('pages through a project\'s comments with a cursor tied to the project', async () => {
    const department = await makeDepartment();
    const projectId = await makeProject(department);
    const otherId = await makeProject(department, 'TZ-2022-002', '坦洲快线配套道路工程');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) ids.push(json(await comment(projectId, { body: `第${i}条批示` })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/projects/${projectId}/comments?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json(await ctx.app.inject({ method: 'GET', url }));
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const firstPage = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${projectId}/comments?limit=2` }));
    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${otherId}/comments?limit=2&cursor=${firstPage.nextCursor}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/projects/${projectId}/comments?cursor=nonsense` })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/projects/${projectId}/comments?limit=201` })).statusCode).toBe(400);
  });

  it('refuses a missing, empty, too long or unknown field with a 400 and writes nothing', async () => {
    const projectId = await makeProject(await makeDepartment());
    for (const payload of [{}, { body: '' }, { body: '   ' }, { body: 'x'.repeat(2001) }, { body: 42 }, { body: '好', author: '张某' }]) {
      const refused = await comment(projectId, payload);
      expect(refused.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect(JSON.stringify(json(await comment(projectId, { body: '好', author: '张某' })).errors)).toContain('author');
    expect((await comment('not-a-uuid', { body: '好' })).statusCode).toBe(400);
    expect(await commentCount()).toBe(0);
    expect((await comment(projectId, { body: '批'.repeat(2000) })).statusCode).toBe(201);
  });

  it('answers 404 for an unknown project or comment', async () => {
    const created = await comment(missingId, { body: '请加快进度。' });
    expect(created.statusCode).toBe(404);
    expect(created.headers['content-type']).toContain('application/problem+json');
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/projects/${missingId}/comments` })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/comments/${missingId}` })).statusCode).toBe(404);
    expect(await commentAudit()).toEqual([]);
  });

  it('lets a leader key comment on a project its leader is assigned to, recording the leader', async () => {
    const projectId = await makeProject(await makeDepartment());
    const leaderId = await makeLeader();
    await assign(leaderId, projectId);
    const key = await ctx.key({ role: 'leader', leaderId });
    const created = await comment(projectId, { body: '请责任部门现场办公，解决项目推进堵点难题。' }, bearer(key));
    expect(created.statusCode).toBe(201);
    const keyId = await keyIdOf(key);
    expect(json(created)).toMatchObject({ projectId, authorRole: 'leader', authorKeyId: keyId, leaderId });
    expect(await commentAudit()).toEqual([{ actor: keyId, actor_role: 'leader', on_behalf_of: null, action: 'create', resource_id: json(created).id }]);
  });

  it('refuses a leader key on a project its leader is not assigned to today with a 403 problem', async () => {
    const department = await makeDepartment();
    const assigned = await makeProject(department);
    const unassigned = await makeProject(department, 'TZ-2022-002', '坦洲快线配套道路工程');
    const finished = await makeProject(department, 'TZ-2022-003', '坦洲镇污水管网工程');
    const leaderId = await makeLeader();
    const otherLeader = await makeLeader('王某', '副镇长');
    await assign(leaderId, assigned);
    await assign(otherLeader, unassigned);
    await assign(leaderId, finished, { startDate: '2022-01-01', endDate: '2022-06-30' });
    const key = await ctx.key({ role: 'leader', leaderId });

    for (const projectId of [unassigned, finished]) {
      const refused = await comment(projectId, { body: '请加快进度。' }, bearer(key));
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(json(refused)).toMatchObject({ status: 403, code: 'forbidden_scope', role: 'leader' });
    }
    expect((await comment(missingId, { body: '请加快进度。' }, bearer(key))).statusCode).toBe(404);
    expect(await commentCount()).toBe(0);
    expect(await commentAudit()).toEqual([]);

    const list = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${unassigned}/comments`, headers: bearer(key) });
    expect(list.statusCode).toBe(200);
  });

  it('refuses department and viewer keys, and a read-only leader key, with a 403 but lets them read', async () => {
    const department = await makeDepartment();
    const projectId = await makeProject(department);
    const leaderId = await makeLeader();
    await assign(leaderId, projectId);
    const existing = json(await comment(projectId, { body: '定期听取项目进展情况。' }));

    const keys = {
      forbidden_role: [await ctx.key({ role: 'department', departmentId: department }), await ctx.key({ role: 'viewer' })],
      read_only_key: [await ctx.key({ role: 'leader', leaderId, readOnly: true })],
    };
    for (const [code, list] of Object.entries(keys)) {
      for (const key of list) {
        const refused = await comment(projectId, { body: '请加快进度。' }, bearer(key));
        expect(refused.statusCode).toBe(403);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(json(refused).code).toBe(code);
        expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${projectId}/comments`, headers: bearer(key) })).items).toEqual([existing]);
        expect((await ctx.app.inject({ method: 'GET', url: `/v1/comments/${existing.id}`, headers: bearer(key) })).statusCode).toBe(200);
      }
    }
    expect(await commentCount()).toBe(1);
  });

  it('has no way to change or delete a comment', async () => {
    const projectId = await makeProject(await makeDepartment());
    const id = json(await comment(projectId, { body: '请加快进度。' })).id;
    expect((await ctx.app.inject({ method: 'PATCH', url: `/v1/comments/${id}`, payload: { body: '改' } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/comments/${id}` })).statusCode).toBe(404);
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/comments/${id}` })).body).toBe('请加快进度。');
  });
});
