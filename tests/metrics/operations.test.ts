import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

const sorted = (...ids: string[]) => [...ids].sort();

describe('reporting compliance', () => {
  it('lists missing and late reports of the projects at work or suspended during the period, by department and leader', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const housing = (await f.department('住建局')).id;
    const industry = (await f.department('工信局')).id;
    const onTime = await f.planned({ departmentId: housing, estimated: '1.0000', stage: 'continuing', planned: '1.0000' });
    await f.status(onTime.id, 'under_construction', '2021-06-01');
    await f.report({ projectId: onTime.id, departmentId: housing, period: '2022-03-H2', revisions: [{ investment: '1.0000', recordedAt: '2022-04-02T02:00:00Z' }] });
    const late = await f.planned({ departmentId: housing, estimated: '1.0000', stage: 'continuing', planned: '1.0000' });
    await f.status(late.id, 'under_construction', '2021-06-01');
    await f.report({ projectId: late.id, departmentId: housing, period: '2022-03-H2', late: true, revisions: [{ investment: '1.0000', recordedAt: '2022-04-08T02:00:00Z' }] });
    const suspended = await f.planned({ departmentId: industry, estimated: '1.0000', stage: 'continuing', planned: '1.0000' });
    await f.status(suspended.id, 'suspended', '2022-01-20');
    const startedMidPeriod = await f.planned({ departmentId: industry, estimated: '1.0000', stage: 'new_start', planned: '1.0000' });
    await f.status(startedMidPeriod.id, 'under_construction', '2022-03-20');
    // Out of scope: still planning, completed before the period, another list.
    const planning = await f.planned({ departmentId: industry, estimated: '1.0000', stage: 'new_start', planned: '1.0000' });
    await f.status(planning.id, 'planning', '2022-01-01');
    const completed = await f.planned({ departmentId: industry, estimated: '1.0000', stage: 'continuing', planned: '1.0000' });
    await f.status(completed.id, 'completed', '2022-02-01');
    const other = await f.planned({ departmentId: industry, estimated: '1.0000', stage: 'continuing', planned: '1.0000', list: 'town_key_industrial' });
    await f.status(other.id, 'under_construction', '2021-01-01');
    const zhang = await f.leader('张副镇长');
    await f.assign(zhang.id, late.id, '2022-01-01');
    await f.assign(zhang.id, suspended.id, '2022-01-01');

    const body = await get('/v1/metrics/reporting-compliance?period=2022-03-H2&year=2022&list=city_key');
    expect(body).toMatchObject({ periodStart: '2022-03-16', periodEnd: '2022-03-31', dueDate: '2022-04-03' });
    expect(body.totals).toMatchObject({
      projectCount: 4,
      projectIds: sorted(onTime.id, late.id, suspended.id, startedMidPeriod.id),
      missing: { count: 2, projectIds: sorted(suspended.id, startedMidPeriod.id) },
      late: { count: 1, projectIds: [late.id] },
    });
    expect(body.byDepartment.map((g: { label: string; missing: { count: number }; late: { count: number } }) => [g.label, g.missing.count, g.late.count]).sort()).toEqual([
      ['住建局', 0, 1],
      ['工信局', 2, 0],
    ].sort());
    const leaderGroup = body.byLeader.find((g: { label: string }) => g.label === '张副镇长');
    expect(leaderGroup).toMatchObject({ projectCount: 2, missing: { count: 1, projectIds: [suspended.id] }, late: { count: 1 } });
    const noLeader = body.byLeader.find((g: { key: string | null }) => g.key === null);
    expect(noLeader.projectIds).toEqual(sorted(onTime.id, startedMidPeriod.id));
  });

  it('refuses a malformed period', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/metrics/reporting-compliance?period=2022-03-H3&year=2022&list=city_key' });
    expect(response.statusCode).toBe(400);
  });
});

describe('issue metrics', () => {
  it('counts opened, resolved, open and overdue issues and the median days to resolve, by mode, department and project', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const power = await f.department('供电所');
    const water = await f.department('供水公司');
    const p = await f.project({ departmentId: power.id, estimated: '1.0000' });
    const q = await f.project({ departmentId: power.id, estimated: '1.0000' });
    await f.issue({ projectId: p.id, departmentId: power.id, raisedOn: '2022-01-10', handlingMode: 'immediate', status: 'resolved', resolvedOn: '2022-01-12' });
    await f.issue({ projectId: p.id, departmentId: power.id, raisedOn: '2022-02-01', handlingMode: 'immediate', status: 'resolved', resolvedOn: '2022-02-11' });
    await f.issue({ projectId: q.id, departmentId: water.id, raisedOn: '2022-03-01', handlingMode: 'on_site', status: 'in_progress', dueDate: '2022-03-15' });
    await f.issue({ projectId: q.id, departmentId: water.id, raisedOn: '2022-03-20', handlingMode: 'dedicated', dueDate: '2022-04-30' });
    // Resolved after `to`: open at `to`. Raised before `from`: not opened in range.
    await f.issue({ projectId: q.id, departmentId: water.id, raisedOn: '2021-12-20', handlingMode: 'dedicated', status: 'resolved', resolvedOn: '2022-04-05', dueDate: '2022-01-31' });
    await f.issue({ projectId: q.id, departmentId: water.id, raisedOn: '2022-03-02', handlingMode: 'on_site', status: 'withdrawn' });
    // Raised after `to`: ignored.
    await f.issue({ projectId: q.id, departmentId: water.id, raisedOn: '2022-04-02', handlingMode: 'immediate' });

    const body = await get('/v1/metrics/issues?from=2022-01-01&to=2022-03-31');
    expect(body.totals).toMatchObject({ opened: 5, resolved: 2, open: 3, overdue: 2, medianDaysToResolve: 6 });
    const mode = Object.fromEntries(body.byHandlingMode.map((g: { key: string }) => [g.key, g]));
    expect(mode.immediate).toMatchObject({ opened: 2, resolved: 2, open: 0, medianDaysToResolve: 6, label: 'Handle at once / 马上办' });
    expect(mode.on_site).toMatchObject({ opened: 2, open: 1, overdue: 1, medianDaysToResolve: null });
    expect(mode.dedicated).toMatchObject({ opened: 1, open: 2, overdue: 1 });
    expect(body.byDepartment.map((g: { label: string; open: number }) => [g.label, g.open]).sort()).toEqual([
      ['供水公司', 3],
      ['供电所', 0],
    ].sort());
    expect(body.byProject.find((g: { key: string }) => g.key === p.id)).toMatchObject({ resolved: 2, medianDaysToResolve: 6 });
  });
});

describe('financing and batches', () => {
  it('sums special-bond applications by quarter applied and grants by quarter decided, projects counted once', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    const a = await f.project({ departmentId: d, estimated: '1.0000' });
    const b = await f.project({ departmentId: d, estimated: '1.0000' });
    await f.bond({ projectId: a.id, appliedOn: '2022-01-10', requested: '0.1000', outcome: 'granted', granted: '0.1000', decidedOn: '2022-03-01' });
    await f.bond({ projectId: a.id, appliedOn: '2022-02-10', requested: '0.2000', outcome: 'granted', granted: '0.2000', decidedOn: '2022-03-20' });
    await f.bond({ projectId: b.id, appliedOn: '2022-03-10', requested: '3000.0000', outcome: 'granted', granted: '2500.0000', decidedOn: '2022-04-02' });
    await f.bond({ projectId: b.id, appliedOn: '2022-03-11', requested: '5.0000', outcome: 'rejected', decidedOn: '2022-03-30' });
    await f.bond({ projectId: b.id, appliedOn: '2021-12-30', requested: '9.0000', outcome: 'granted', granted: '9.0000', decidedOn: '2022-01-05' });

    const body = await get('/v1/metrics/financing?year=2022');
    const [q1, q2, q3] = body.quarters;
    expect(q1).toMatchObject({ quarter: 1, applications: 4, amountRequested: '3005.3000', grants: 3, projectsGranted: 2, amountGranted: '9.3000' });
    expect(q1.grantedProjectIds).toEqual(sorted(a.id, b.id));
    expect(q2).toMatchObject({ quarter: 2, applications: 0, amountRequested: '0.0000', grants: 1, projectsGranted: 1, amountGranted: '2500.0000' });
    expect(q3).toMatchObject({ applications: 0, grants: 0, grantedProjectIds: [] });
    expect(body.yearTotal).toMatchObject({ applications: 4, grants: 4, projectsGranted: 2, amountGranted: '2509.3000' });
  });

  it('lists each groundbreaking batch of the year with its projects and their total estimated investment', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    const first = await f.batch('2022年第一季度集体动工', '2022-02-16');
    const second = await f.batch('第二批集体动工', '2022-05-20', 'planned');
    await f.batch('2021年集体动工', '2021-09-01');
    const x = await f.project({ departmentId: d, estimated: '30000.1000' });
    const y = await f.project({ departmentId: d, estimated: '47999.9000' });
    await f.plan({ projectId: x.id, stage: 'new_start', planned: '1.0000', batchId: first.id });
    await f.plan({ projectId: x.id, stage: 'new_start', planned: '1.0000', list: 'town_key_industrial', batchId: first.id });
    await f.plan({ projectId: y.id, stage: 'new_start', planned: '1.0000', batchId: first.id });

    const body = await get('/v1/metrics/batches?year=2022');
    expect(body.batches.map((b: { id: string }) => b.id)).toEqual([first.id, second.id]);
    expect(body.batches[0]).toMatchObject({ projectCount: 2, estimatedInvestment: '78000.0000', ceremonyDate: '2022-02-16', status: 'held' });
    expect(body.batches[0].projects.map((p: { id: string; estimatedInvestment: string }) => [p.id, p.estimatedInvestment])).toEqual([
      [x.id, '30000.1000'],
      [y.id, '47999.9000'],
    ]);
    expect(body.batches[1]).toMatchObject({ projectCount: 0, estimatedInvestment: '0.0000', projects: [] });
  });
});
