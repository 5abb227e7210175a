import { describe, expect, it } from 'vitest';
import { projects } from '../../src/modules/projects/projects.table.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();
const actor = { 'x-actor': 'tester' };

async function createLeader(name = '张某', title = '镇长') {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name, title }, headers: actor });
  return json(response).id as string;
}

/** The projects API belongs to another module; tests put projects straight into the table. */
async function createProject(code = 'TZ-2022-001', name = '中山坦洲高端显示产业园项目') {
  let department = json(await ctx.app.inject({ method: 'GET', url: '/v1/departments?q=GXJ' })).items[0];
  if (!department) {
    department = json(await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'GXJ', name: '工信局' }, headers: actor }));
  }
  const [row] = await ctx.testDb.database.db
    .insert(projects)
    .values({ code, name, category: 'industrial_investment', estimatedInvestment: '480000.0000', departmentId: department.id })
    .returning({ id: projects.id });
  return row!.id;
}

async function assign(body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/leader-assignments', payload: body, headers: actor });
}

async function auditRows(resourceType = 'leader_assignment') {
  const result = await ctx.testDb.database.db.execute(
    `select actor, on_behalf_of, action, resource_id, before is not null as has_before, after is not null as has_after
       from audit_events where resource_type = '${resourceType}' order by id` as never,
  );
  return (result as unknown as { rows: Record<string, unknown>[] }).rows;
}

/** The id of this test's admin key: the actor of everything ctx.app.inject writes. */
async function adminKeyId(): Promise<string> {
  const result = await ctx.testDb.database.db.execute(`select id from api_keys where name = 'test admin'` as never);
  return (result as unknown as { rows: { id: string }[] }).rows[0]!.id;
}

const missingId = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';

describe('leader assignments', () => {
  it('assigns a leader to a project with names for display, an ETag, a Location and an audit row', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const created = await assign({ leaderId, projectId, role: 'lead', startDate: '2022-01-01', notes: '挂点领导' });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({
      leaderId,
      projectId,
      role: 'lead',
      startDate: '2022-01-01',
      endDate: null,
      notes: '挂点领导',
      leaderName: '张某',
      leaderTitle: '镇长',
      projectCode: 'TZ-2022-001',
      projectName: '中山坦洲高端显示产业园项目',
      version: 1,
    });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/leader-assignments/${body.id}`);
    expect(await auditRows()).toEqual([{ actor: await adminKeyId(), on_behalf_of: 'tester', action: 'create', resource_id: body.id, has_before: false, has_after: true }]);

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"v1"');
    expect(json(read)).toEqual(body);
  });

  it('refuses an unknown field, a bad role and a malformed date with a 400', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const unknown = await assign({ leaderId, projectId, startDate: '2022-01-01', weight: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('weight');
    expect((await assign({ leaderId, projectId, startDate: '2022-01-01', role: 'boss' })).statusCode).toBe(400);
    expect((await assign({ leaderId, projectId, startDate: '2022-13-01' })).statusCode).toBe(400);
  });

  it('refuses an unknown leader or project with a 422 that names the foreign key', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const noProject = await assign({ leaderId, projectId: missingId, startDate: '2022-01-01' });
    expect(noProject.statusCode).toBe(422);
    expect(json(noProject)).toMatchObject({ code: 'foreign_key_violation', constraint: 'leader_assignments_project_id_projects_id_fk' });
    const noLeader = await assign({ leaderId: missingId, projectId, startDate: '2022-01-01' });
    expect(noLeader.statusCode).toBe(422);
    expect(json(noLeader)).toMatchObject({ code: 'foreign_key_violation', constraint: 'leader_assignments_leader_id_leaders_id_fk' });
    expect(await auditRows()).toEqual([]);
  });

  it('refuses a new assignment for an archived leader with a 422 leader_archived', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/leaders/${leaderId}`, headers: { 'if-match': '"v1"' } })).statusCode).toBe(204);
    const refused = await assign({ leaderId, projectId, startDate: '2022-01-01' });
    expect(refused.statusCode).toBe(422);
    expect(json(refused)).toMatchObject({ code: 'leader_archived', leaderId });
  });

  it('refuses an end date before the start date with a 422, on create and on change', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const refused = await assign({ leaderId, projectId, startDate: '2022-03-01', endDate: '2022-02-28' });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).code).toBe('assignment_ends_before_start');

    const id = json(await assign({ leaderId, projectId, startDate: '2022-03-01' })).id;
    const patched = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${id}`, payload: { endDate: '2022-01-31' }, headers: { 'if-match': '"v1"' } });
    expect(patched.statusCode).toBe(422);
    expect(json(patched).code).toBe('assignment_ends_before_start');
  });

  it('refuses an overlapping period for the same leader, project and role with a 409, but allows another role or a later period', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const first = json(await assign({ leaderId, projectId, role: 'lead', startDate: '2022-01-01', endDate: '2022-06-30' }));

    const overlapping = await assign({ leaderId, projectId, role: 'lead', startDate: '2022-06-30' });
    expect(overlapping.statusCode).toBe(409);
    expect(json(overlapping)).toMatchObject({ code: 'leader_assignment_overlap', conflictingId: first.id });
    const inside = await assign({ leaderId, projectId, role: 'lead', startDate: '2021-01-01', endDate: '2022-01-01' });
    expect(inside.statusCode).toBe(409);

    expect((await assign({ leaderId, projectId, role: 'deputy', startDate: '2022-03-01' })).statusCode).toBe(201);
    const later = await assign({ leaderId, projectId, role: 'lead', startDate: '2022-07-01' });
    expect(later.statusCode).toBe(201);

    const reopen = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${first.id}`, payload: { endDate: null }, headers: { 'if-match': '"v1"' } });
    expect(reopen.statusCode).toBe(409);
    expect(json(reopen)).toMatchObject({ code: 'leader_assignment_overlap', conflictingId: json(later).id });
  });

  it('lets only one of two simultaneous overlapping assignments through (the leader row serialises them)', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const results = await Promise.all([
      assign({ leaderId, projectId, startDate: '2022-01-01' }),
      assign({ leaderId, projectId, startDate: '2022-02-01' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('ends an assignment with If-Match, refuses a missing or stale ETag, and audits the change', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const id = json(await assign({ leaderId, projectId, startDate: '2022-01-01' })).id;

    const without = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${id}`, payload: { endDate: '2022-12-31' } });
    expect(without.statusCode).toBe(428);
    const ok = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${id}`, payload: { endDate: '2022-12-31' }, headers: { 'if-match': '"v1"' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ endDate: '2022-12-31', startDate: '2022-01-01', leaderName: '张某', version: 2 });
    expect(ok.headers.etag).toBe('"v2"');
    const stale = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${id}`, payload: { notes: 'x' }, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });

    const moveLeader = await ctx.app.inject({ method: 'PATCH', url: `/v1/leader-assignments/${id}`, payload: { leaderId }, headers: { 'if-match': '"v2"' } });
    expect(moveLeader.statusCode).toBe(400);
    expect((await auditRows()).map((r) => r.action)).toEqual(['create', 'update']);
  });

  it('deletes an assignment only with a current ETag and keeps the deleted record in the audit trail', async () => {
    const leaderId = await createLeader();
    const projectId = await createProject();
    const id = json(await assign({ leaderId, projectId, startDate: '2022-01-01' })).id;

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/leader-assignments/${id}` })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/leader-assignments/${id}`, headers: { 'if-match': '"v9"' } })).statusCode).toBe(412);
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/leader-assignments/${id}`, headers: { 'if-match': '"v1"', ...actor } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments/${id}` })).statusCode).toBe(404);
    expect(await auditRows()).toEqual([
      { actor: await adminKeyId(), on_behalf_of: 'tester', action: 'create', resource_id: id, has_before: false, has_after: true },
      { actor: await adminKeyId(), on_behalf_of: 'tester', action: 'delete', resource_id: id, has_before: true, has_after: false },
    ]);
  });

  it('filters the list by leader, project and the day an assignment is active on', async () => {
    const mayor = await createLeader('张某', '镇长');
    const deputy = await createLeader('王某', '副镇长');
    const display = await createProject('TZ-2022-001', '中山坦洲高端显示产业园项目');
    const road = await createProject('TZ-2022-002', '坦洲快线配套道路工程');
    await assign({ leaderId: mayor, projectId: display, startDate: '2022-01-01', endDate: '2022-03-31' });
    await assign({ leaderId: mayor, projectId: road, startDate: '2022-04-01' });
    await assign({ leaderId: deputy, projectId: display, role: 'deputy', startDate: '2022-02-01' });

    const names = (page: { items: { leaderName: string; projectCode: string }[] }) => page.items.map((a) => `${a.leaderName}@${a.projectCode}`);
    const get = async (query: string) => json(await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments?${query}` }));
    expect(names(await get(`leaderId=${mayor}`))).toEqual(['张某@TZ-2022-001', '张某@TZ-2022-002']);
    expect(names(await get(`projectId=${display}`))).toEqual(['张某@TZ-2022-001', '王某@TZ-2022-001']);
    expect(names(await get('activeOn=2022-01-15'))).toEqual(['张某@TZ-2022-001']);
    expect(names(await get('activeOn=2022-03-31'))).toEqual(['张某@TZ-2022-001', '王某@TZ-2022-001']);
    expect(names(await get('activeOn=2022-04-01'))).toEqual(['张某@TZ-2022-002', '王某@TZ-2022-001']);
    expect(names(await get(`activeOn=2022-04-01&leaderId=${mayor}`))).toEqual(['张某@TZ-2022-002']);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/leader-assignments?activeOn=april' })).statusCode).toBe(400);
  });

  it('pages through the list with a cursor tied to its filters', async () => {
    const projectId = await createProject();
    for (let i = 0; i < 5; i++) await assign({ leaderId: await createLeader(`领导${i}`, '副镇长'), projectId, startDate: '2022-01-01' });
    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/leader-assignments?limit=2' }));
    expect(first.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['领导0', '领导1']);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments?limit=2&cursor=${first.nextCursor}` }));
    expect(second.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['领导2', '领导3']);
    const third = json(await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments?limit=2&cursor=${second.nextCursor}` }));
    expect(third.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['领导4']);
    expect(third.nextCursor).toBeNull();
    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments?limit=2&activeOn=2022-01-01&cursor=${first.nextCursor}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');
  });

  it("lists a project's and a leader's assignments, paged, and answers 404 when the project or leader does not exist", async () => {
    const mayor = await createLeader('张某', '镇长');
    const deputy = await createLeader('王某', '副镇长');
    const display = await createProject('TZ-2022-001', '中山坦洲高端显示产业园项目');
    const road = await createProject('TZ-2022-002', '坦洲快线配套道路工程');
    await assign({ leaderId: mayor, projectId: display, startDate: '2022-01-01' });
    await assign({ leaderId: deputy, projectId: display, role: 'deputy', startDate: '2022-01-01', endDate: '2022-01-31' });
    await assign({ leaderId: mayor, projectId: road, startDate: '2022-01-01' });

    const ofProject = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${display}/leader-assignments?limit=1` });
    expect(ofProject.statusCode).toBe(200);
    const page1 = json(ofProject);
    expect(page1.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['张某']);
    const page2 = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${display}/leader-assignments?limit=1&cursor=${page1.nextCursor}` }));
    expect(page2.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['王某']);
    expect(page2.nextCursor).toBeNull();
    const activeInMarch = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${display}/leader-assignments?activeOn=2022-03-01` }));
    expect(activeInMarch.items.map((a: { leaderName: string }) => a.leaderName)).toEqual(['张某']);

    const ofLeader = json(await ctx.app.inject({ method: 'GET', url: `/v1/leaders/${mayor}/assignments` }));
    expect(ofLeader.items.map((a: { projectName: string }) => a.projectName)).toEqual(['中山坦洲高端显示产业园项目', '坦洲快线配套道路工程']);

    const noProject = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${missingId}/leader-assignments` });
    expect(noProject.statusCode).toBe(404);
    expect(json(noProject).code).toBe('not_found');
    const noLeader = await ctx.app.inject({ method: 'GET', url: `/v1/leaders/${missingId}/assignments` });
    expect(noLeader.statusCode).toBe(404);
  });
});
