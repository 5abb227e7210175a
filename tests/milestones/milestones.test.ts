import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { instantAfterWrites } from '../history/support.js';

const ctx = useTestApp();

async function aProject(code = 'P1') {
  const department = json(await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: `D${code}`, name: `部门${code}` } }));
  const created = await ctx.app.inject({
    method: 'POST', url: '/v1/projects',
    payload: { code, name: '产业园', ownerUnit: '公司', category: 'industrial_investment', estimatedInvestment: '100000', departmentId: department.id, statusDate: '2022-01-05' },
  });
  expect(created.statusCode, created.body).toBe(201);
  return { department, project: json(created) };
}

const add = (projectId: string, payload: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: `/v1/projects/${projectId}/milestones`, payload, headers });

describe('milestones (节点计划)', () => {
  it('keeps a node with its baseline when the plan slips, and derives its status and delay on any day', async () => {
    const { project } = await aProject();
    const created = await add(project.id, { kind: 'main_structure', plannedDate: '2022-06-30' });
    expect(created.statusCode, created.body).toBe(201);
    const m = json(created);
    expect(m).toMatchObject({ baselineDate: '2022-06-30', plannedDate: '2022-06-30', actualDate: null, version: 1 });
    expect(created.headers.location).toBe(`/v1/milestones/${m.id}`);
    const slip = await ctx.app.inject({ method: 'PATCH', url: `/v1/milestones/${m.id}`, payload: { plannedDate: '2022-08-31' }, headers: { 'if-match': '"v1"' } });
    expect(json(slip)).toMatchObject({ plannedDate: '2022-08-31', baselineDate: '2022-06-30', version: 2 });
    const on = async (asOf: string) => json(await ctx.app.inject({ method: 'GET', url: `/v1/milestones/${m.id}?asOf=${asOf}` }));
    expect(await on('2022-07-01')).toMatchObject({ status: 'pending', delayDays: 0 });
    expect(await on('2022-08-20')).toMatchObject({ status: 'due' });
    expect(await on('2022-09-10')).toMatchObject({ status: 'late', delayDays: 10 });
    await ctx.app.inject({ method: 'PATCH', url: `/v1/milestones/${m.id}`, payload: { actualDate: '2022-09-05', evidence: '验收报告' }, headers: { 'if-match': '"v2"' } });
    expect(await on('2022-09-10')).toMatchObject({ status: 'achieved_late', delayDays: 5 });
    expect(await on('2022-09-01')).toMatchObject({ status: 'late' });
  });

  it('measures a project against its node plan (序时进度), as known at an earlier instant too', async () => {
    const { project } = await aProject();
    await add(project.id, { kind: 'start', plannedDate: '2022-02-16', actualDate: '2022-02-16' });
    await add(project.id, { kind: 'main_structure', plannedDate: '2022-03-20' });
    await add(project.id, { kind: 'completion_acceptance', plannedDate: '2022-12-31' });
    const url = `/v1/projects/${project.id}/schedule?asOf=2022-03-31`;
    const schedule = json(await ctx.app.inject({ method: 'GET', url }));
    expect(schedule).toMatchObject({ milestoneCount: 3, plannedCount: 2, achievedCount: 1, plannedShare: 0.666667, achievedShare: 0.333333, delayDays: 11 });
    expect(schedule.nextMilestone).toMatchObject({ kind: 'main_structure', status: 'late' });
    const before = await instantAfterWrites();
    const next = schedule.nextMilestone;
    await ctx.app.inject({ method: 'PATCH', url: `/v1/milestones/${next.id}`, payload: { actualDate: '2022-03-25' }, headers: { 'if-match': '"v1"' } });
    expect(json(await ctx.app.inject({ method: 'GET', url })).achievedCount).toBe(2);
    const then = json(await ctx.app.inject({ method: 'GET', url: `${url}&knownAt=${encodeURIComponent(before)}` }));
    expect({ ...then, knownAt: null }).toEqual(schedule);
  });

  it('refuses an actual date in the future, an untitled other node, and a department re-baselining', async () => {
    const { department, project } = await aProject();
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
    const future = await add(project.id, { kind: 'start', plannedDate: '2022-02-16', actualDate: tomorrow });
    expect(json(future)).toMatchObject({ status: 422, code: 'date_in_future', field: 'actualDate' });
    expect(json(await add(project.id, { kind: 'other', plannedDate: '2022-05-01' })).code).toBe('milestone_title_required');
    const key = await ctx.key({ role: 'department', departmentId: department.id });
    const mine = await add(project.id, { kind: 'start', plannedDate: '2022-02-16' }, { authorization: `Bearer ${key}` });
    expect(mine.statusCode, mine.body).toBe(201);
    const rebaseline = await ctx.app.inject({
      method: 'PATCH', url: `/v1/milestones/${json(mine).id}`, payload: { baselineDate: '2022-03-01' }, headers: { 'if-match': '"v1"', authorization: `Bearer ${key}` },
    });
    expect(json(rebaseline)).toMatchObject({ status: 403, code: 'office_only_field', field: 'baselineDate' });
  });

  it('lets a department key write milestones only of its own projects', async () => {
    const { project } = await aProject('P1');
    const other = await aProject('P2');
    const key = await ctx.key({ role: 'department', departmentId: other.department.id });
    const refused = await add(project.id, { kind: 'start', plannedDate: '2022-02-16' }, { authorization: `Bearer ${key}` });
    expect(refused.statusCode).toBe(403);
    expect(json(refused).code).toBe('forbidden_scope');
  });

  it('lists a project’s nodes by planned date, paged, and keeps each node’s history', async () => {
    const { project } = await aProject();
    for (const [kind, plannedDate] of [['operation', '2023-06-30'], ['start', '2022-02-16'], ['completion_acceptance', '2022-12-31']]) await add(project.id, { kind, plannedDate });
    const first = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${project.id}/milestones?limit=2` }));
    expect(first.items.map((m: { kind: string }) => m.kind)).toEqual(['start', 'completion_acceptance']);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${project.id}/milestones?limit=2&cursor=${first.nextCursor}` }));
    expect(second.items.map((m: { kind: string }) => m.kind)).toEqual(['operation']);
    const id = first.items[0].id;
    await ctx.app.inject({ method: 'PATCH', url: `/v1/milestones/${id}`, payload: { plannedDate: '2022-03-01' }, headers: { 'if-match': '"v1"' } });
    await ctx.app.inject({ method: 'DELETE', url: `/v1/milestones/${id}`, headers: { 'if-match': '"v2"' } });
    const history = json(await ctx.app.inject({ method: 'GET', url: `/v1/milestones/${id}/history` }));
    expect(history.items.map((v: { record: { plannedDate: string }; endedBy: string }) => [v.record.plannedDate, v.endedBy])).toEqual([
      ['2022-02-16', 'update'],
      ['2022-03-01', 'delete'],
    ]);
  });
});
