import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

async function post(url: string, payload: object, headers: Record<string, string> = {}) {
  const response = await ctx.app.inject({ method: 'POST', url, payload, headers });
  expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
  return json(response);
}

/** Two departments' city-key projects for 2022, with milestones, and a leader watching the first. */
async function town() {
  const d1 = await post('/v1/departments', { code: 'ZJ', name: '住建局' });
  const d2 = await post('/v1/departments', { code: 'GX', name: '工信局' });
  const leader = await post('/v1/leaders', { name: '张镇长', title: '镇长' });
  const project = async (code: string, departmentId: string, category: string, planned: string) => {
    const p = await post('/v1/projects', { code, name: code, ownerUnit: '公司', category, estimatedInvestment: '100000', departmentId, statusDate: '2022-01-05' });
    await post(`/v1/projects/${p.id}/plans`, { year: 2022, list: 'city_key', stage: 'continuing', plannedInvestment: planned });
    return p;
  };
  const a = await project('A', d1.id, 'transport', '3650');
  const b = await project('B', d2.id, 'industrial_investment', '0');
  await post('/v1/leader-assignments', { leaderId: leader.id, projectId: a.id, role: 'lead', startDate: '2022-01-01' });
  const milestone = (projectId: string, payload: object) => post(`/v1/projects/${projectId}/milestones`, payload);
  const aStart = await milestone(a.id, { kind: 'start', plannedDate: '2022-02-16', actualDate: '2022-02-16' });
  const aStructure = await milestone(a.id, { kind: 'main_structure', plannedDate: '2022-03-10' });
  const aAcceptance = await milestone(a.id, { kind: 'completion_acceptance', plannedDate: '2022-12-31' });
  const bStart = await milestone(b.id, { kind: 'start', plannedDate: '2022-03-01', actualDate: '2022-03-05' });
  return { d1, d2, leader, a, b, aStart, aStructure, aAcceptance, bStart };
}

describe('milestone figures and lights', () => {
  it('counts milestones due, achieved, on time and late in a period, by department, leader and category', async () => {
    const t = await town();
    const body = json(await ctx.app.inject({ method: 'GET', url: '/v1/metrics/milestones?year=2022&list=city_key&from=2022-01-01&to=2022-03-31' }));
    expect(body.totals.due).toMatchObject({ count: 3, milestoneIds: [t.aStart.id, t.aStructure.id, t.bStart.id].sort() });
    expect(body.totals.achieved.count).toBe(2);
    expect(body.totals.achievedOnTime).toMatchObject({ count: 1, milestoneIds: [t.aStart.id] });
    expect(body.totals.late).toMatchObject({ count: 2, milestoneIds: [t.aStructure.id, t.bStart.id].sort() });
    expect(body.totals.onTimeRate).toEqual({ value: 0.333333, numerator: 1, denominator: 3 });
    const department = body.byDepartment.find((g: { key: string }) => g.key === t.d1.id);
    expect(department).toMatchObject({ label: '住建局', due: { count: 2 }, late: { count: 1, projectIds: [t.a.id] } });
    expect(body.byLeader.map((g: { label: string; due: { count: number } }) => [g.label, g.due.count])).toEqual([
      ['张镇长', 2],
      ['No leader assigned on to / 截止日无挂点领导', 1],
    ]);
    expect(body.byCategory.map((g: { key: string }) => g.key).sort()).toEqual(['industrial_investment', 'transport']);
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/metrics/milestones?year=2022&list=city_key&from=2022-03-31&to=2022-01-01' });
    expect(bad.statusCode).toBe(400);
  });

  it('lights a project with an overdue milestone, naming the milestone and its dates', async () => {
    const t = await town();
    const lights = json(await ctx.app.inject({ method: 'GET', url: '/v1/warnings?year=2022&list=city_key&asOf=2022-03-31' }));
    const a = lights.items.find((i: { projectId: string }) => i.projectId === t.a.id);
    const reason = a.reasons.find((r: { rule: string }) => r.rule === 'milestone_overdue');
    expect(reason).toEqual({
      rule: 'milestone_overdue',
      level: 'yellow',
      inputs: { overdueCount: 1, milestoneId: t.aStructure.id, kind: 'main_structure', plannedDate: '2022-03-10', baselineDate: '2022-03-10', daysOverdue: 21 },
    });
    const later = json(await ctx.app.inject({ method: 'GET', url: '/v1/warnings?year=2022&list=city_key&asOf=2022-04-15' }));
    expect(later.items.find((i: { projectId: string }) => i.projectId === t.a.id).reasons.find((r: { rule: string }) => r.rule === 'milestone_overdue').level).toBe('red');
  });

  it('measures the progress rule against the milestones planned by asOf when the rule says so', async () => {
    const t = await town();
    // A has 1 of 3 milestones planned by 2022-02-20 (33.33 %) but 0 % of its investment: behind either way;
    // by time elapsed on 2022-02-20 it is 13.97 % behind, by milestones 33.33 %.
    const inputsOf = async () => {
      const lights = json(await ctx.app.inject({ method: 'GET', url: '/v1/warnings?year=2022&list=city_key&asOf=2022-02-20' }));
      return lights.items.find((i: { projectId: string }) => i.projectId === t.a.id).reasons.find((r: { rule: string }) => r.rule === 'behind_schedule');
    };
    expect(await inputsOf()).toMatchObject({ level: 'yellow', inputs: { elapsedPct: 13.97, schedule: 'elapsed_time' } });
    const read = await ctx.app.inject({ method: 'GET', url: '/v1/warning-rules/behind_schedule' });
    const changed = await ctx.app.inject({ method: 'PATCH', url: '/v1/warning-rules/behind_schedule', payload: { schedule: 'milestones' }, headers: { 'if-match': read.headers.etag as string } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await inputsOf()).toMatchObject({ level: 'red', inputs: { elapsedPct: 33.33, gapPoints: 33.33, schedule: 'milestones' } });
    const wrongRule = await ctx.app.inject({ method: 'GET', url: '/v1/warning-rules/not_started' });
    const refused = await ctx.app.inject({ method: 'PATCH', url: '/v1/warning-rules/not_started', payload: { schedule: 'milestones' }, headers: { 'if-match': wrongRule.headers.etag as string } });
    expect(refused.statusCode).toBe(422);
  });
});
