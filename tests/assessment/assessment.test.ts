import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { instantAfterWrites } from '../history/support.js';
import { made, post, step } from '../supervision/helpers.js';

const ctx = useTestApp();
const figures = { investmentCompleted: '100.0000', physicalProgress: '10.00', workOngoing: true };

async function transition(projectId: string, etag: string, payload: object) {
  const r = await post(ctx, `/v1/projects/${projectId}/transitions`, payload, { 'if-match': etag });
  expect(r.statusCode, r.body).toBe(200);
  return String(r.headers.etag);
}

/**
 * Department A: a project under construction from 10 January with a 2022 plan; Q1 reports for five of
 * its six half-months on time (one returned, not corrected), one missing; three issues due in Q1 (one
 * resolved in time); two milestones (one on time); two orders (one answered late). Department B: one
 * issue resolved in time, nothing else.
 */
async function aTown() {
  const a = await made(ctx, '/v1/departments', { code: 'KA', name: '考核甲局' });
  const b = await made(ctx, '/v1/departments', { code: 'KB', name: '考核乙局' });
  const project = await made(ctx, '/v1/projects', { code: 'TZ-KH-1', name: '考核项目', ownerUnit: '公司', category: 'industrial_investment', estimatedInvestment: '10000', departmentId: a.id, statusDate: '2022-01-05' });
  const other = await made(ctx, '/v1/projects', { code: 'TZ-KH-2', name: '乙局项目', ownerUnit: '公司', category: 'industrial_investment', estimatedInvestment: '10000', departmentId: b.id, statusDate: '2022-01-05' });
  await made(ctx, `/v1/projects/${project.id}/plans`, { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '2000.0000' });
  const etag = await transition(project.id, '"v1"', { toStatus: 'approved', effectiveDate: '2022-01-06' });
  await transition(project.id, etag, { toStatus: 'under_construction', effectiveDate: '2022-01-10' });
  const reports: Record<string, string> = {};
  for (const [period, submittedAt] of [['2022-01-H1', '2022-01-16T02:00:00Z'], ['2022-01-H2', '2022-02-01T02:00:00Z'], ['2022-02-H1', '2022-02-16T02:00:00Z'], ['2022-02-H2', '2022-03-01T02:00:00Z'], ['2022-03-H2', '2022-04-01T02:00:00Z']]) {
    reports[period!] = (await made(ctx, '/v1/progress-reports', { projectId: project.id, period, ...figures, submittedAt })).id;
  }
  const returned = await post(ctx, `/v1/progress-reports/${reports['2022-02-H1']}/review`, { decision: 'return', reason: '数据有误' }, { 'if-match': '"v1"' });
  expect(returned.statusCode, returned.body).toBe(200);
  const issue = (departmentId: string, projectId: string, dueDate: string) =>
    made(ctx, '/v1/issues', { projectId, title: '用地', category: 'land', source: 'other', raisedOn: '2022-01-20', handlingMode: 'immediate', assignedDepartmentId: departmentId, dueDate });
  const resolve = async (id: string, resolvedOn: string) => {
    const r = await post(ctx, `/v1/issues/${id}/transitions`, { toStatus: 'resolved', resolution: '已办结', resolvedOn }, { 'if-match': '"v1"' });
    expect(r.statusCode, r.body).toBe(200);
  };
  const inTime = await issue(a.id, project.id, '2022-02-15');
  await resolve(inTime.id, '2022-02-10');
  const lateIssue = await issue(a.id, project.id, '2022-03-01');
  await resolve(lateIssue.id, '2022-03-05');
  // A factor guarantee added to the original categories (用工).
  const openIssue = await made(ctx, '/v1/issues', {
    projectId: project.id, title: '用工缺口', category: 'labour', source: 'other', raisedOn: '2022-01-20', handlingMode: 'dedicated', assignedDepartmentId: a.id, dueDate: '2022-03-20',
  });
  const bIssue = await issue(b.id, other.id, '2022-03-01');
  await resolve(bIssue.id, '2022-02-25');
  const onTime = await made(ctx, `/v1/projects/${project.id}/milestones`, { kind: 'start', plannedDate: '2022-02-16', actualDate: '2022-02-16' });
  const slipped = await made(ctx, `/v1/projects/${project.id}/milestones`, { kind: 'main_structure', plannedDate: '2022-03-01', actualDate: '2022-03-10' });
  const answered = await made(ctx, '/v1/supervision-orders', { projectId: project.id, title: '督办一', requirement: '请报方案', issuedOn: '2022-02-01', replyDueDate: '2022-02-10' });
  await step(ctx, answered.id, { action: 'reply_plan', on: '2022-02-09', note: '方案' });
  const overdue = await made(ctx, '/v1/supervision-orders', { projectId: project.id, title: '督办二', requirement: '请报方案', issuedOn: '2022-03-01', replyDueDate: '2022-03-10' });
  await step(ctx, overdue.id, { action: 'reply_plan', on: '2022-03-12', note: '迟到的方案' });
  return { a, b, project, reports, inTime, lateIssue, openIssue, bIssue, onTime, slipped, answered, overdue };
}

const assess = async (query: string) => {
  const r = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/assessment?${query}` });
  expect(r.statusCode, r.body).toBe(200);
  return json(r);
};

const scoreOf = (d: { scores: { rule: string }[] }, rule: string) => d.scores.find((s) => s.rule === rule) as unknown as { due: number; met: number; score: number; rate: number | null; inputs: { id: string | null; met: boolean; period: string | null }[] };

describe('department assessment (部门考核)', () => {
  it('scores each department over a quarter from the rules, names every record each score counted, and ranks them', async () => {
    const t = await aTown();
    const q1 = await assess('year=2022&quarter=1&asOf=2022-04-10');
    expect(q1).toMatchObject({ from: '2022-01-01', to: '2022-03-31', asOf: '2022-04-10', dueDays: 3 });
    expect(q1.departments.map((d: { code: string; rank: number; score: number }) => [d.code, d.rank, d.score])).toEqual([
      ['KB', 1, 100],
      // 40 × 4/6 − 2 + 30 × 1/3 − 5 + 30 × 1/2
      ['KA', 2, 44.67],
    ]);
    const a = q1.departments[1];
    const reports = scoreOf(a, 'reports_on_time');
    expect(reports).toMatchObject({ due: 6, met: 4, score: 26.67 });
    expect(reports.inputs.filter((i) => !i.met).map((i) => [i.period, i.id])).toEqual([['2022-02-H1', t.reports['2022-02-H1']], ['2022-03-H1', null]]);
    expect(scoreOf(a, 'reports_returned')).toMatchObject({ due: 1, score: -2, inputs: [{ id: t.reports['2022-02-H1'] }] });
    const issues = scoreOf(a, 'issues_resolved_on_time');
    expect(issues).toMatchObject({ due: 3, met: 1, score: 10 });
    expect(issues.inputs.map((i) => [i.id, i.met])).toEqual([[t.inTime.id, true], [t.lateIssue.id, false], [t.openIssue.id, false]]);
    expect((issues as unknown as { byFactor: unknown }).byFactor).toEqual([{ factor: 'labour', due: 1, met: 0 }, { factor: 'land', due: 2, met: 1 }]);
    expect(scoreOf(a, 'overdue_orders')).toMatchObject({ due: 1, score: -5, inputs: [{ id: t.overdue.id }] });
    expect(scoreOf(a, 'milestones_on_time').inputs.map((i) => [i.id, i.met])).toEqual([[t.onTime.id, true], [t.slipped.id, false]]);
    // B had nothing due but its issue: full points where nothing was due.
    expect(scoreOf(q1.departments[0], 'reports_on_time')).toMatchObject({ due: 0, rate: null, score: 40 });
  });

  it('judges on asOf and over a half-month, and answers as known at an earlier instant under the rules as they stood', async () => {
    await aTown();
    // On 5 March only the issue due 1 March had passed its day in the first half of March.
    const h1 = await assess('year=2022&period=2022-03-H1&asOf=2022-03-05');
    expect(h1).toMatchObject({ from: '2022-03-01', to: '2022-03-15' });
    const a = h1.departments.find((d: { code: string }) => d.code === 'KA');
    expect(scoreOf(a, 'issues_resolved_on_time')).toMatchObject({ due: 1, met: 0 });
    expect(scoreOf(a, 'overdue_orders').due).toBe(0);
    const url = 'year=2022&quarter=1&asOf=2022-04-10';
    const before = await assess(url);
    const at = await instantAfterWrites();
    const changed = await ctx.app.inject({ method: 'PATCH', url: '/v1/assessment-rules/reports_on_time', headers: { 'if-match': '"v1"' }, payload: { points: '20' } });
    expect(json(changed)).toMatchObject({ points: '20.00', version: 2 });
    const after = await assess(url);
    expect(after.departments.find((d: { code: string }) => d.code === 'KA').score).toBe(31.33);
    const then = await assess(`${url}&knownAt=${encodeURIComponent(at)}`);
    expect({ ...then, knownAt: null }).toEqual(before);
    // Neither period nor quarter: the whole year, which here holds what the first quarter held.
    const year = await assess('year=2022&asOf=2022-04-10');
    expect(year).toMatchObject({ from: '2022-01-01', to: '2022-12-31', period: null, quarter: null });
    const yearOfA = year.departments.find((d: { code: string }) => d.code === 'KA');
    expect(scoreOf(yearOfA, 'issues_resolved_on_time')).toMatchObject({ due: 3, met: 1 });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/metrics/assessment?year=2022&quarter=1&period=2022-03-H1' })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/metrics/assessment?year=2022&period=2021-03-H1' })).statusCode).toBe(400);
  });

  it('breaks the issue metrics down by factor guarantee (要素保障), new factors beside the stored ones', async () => {
    await aTown();
    const metrics = json(await ctx.app.inject({ method: 'GET', url: '/v1/metrics/issues?from=2022-01-01&to=2022-03-31' }));
    expect(metrics.byFactor.map((f: { key: string; label: string; opened: number; resolved: number }) => [f.key, f.label, f.opened, f.resolved])).toEqual([
      ['labour', 'Labour / 用工', 1, 0],
      ['land', 'Land / 用地', 3, 3],
    ]);
    const enums = json(await ctx.app.inject({ method: 'GET', url: '/v1/enums' }));
    expect(enums.issueCategory.map((c: { code: string }) => c.code)).toEqual(['land', 'approval', 'power', 'water', 'financing', 'epidemic', 'other', 'energy', 'environment', 'labour', 'gas', 'demolition', 'planning']);
  });

  it('exports the ranking as CSV with Chinese headers and as XLSX', async () => {
    await aTown();
    const csv = await ctx.app.inject({ method: 'GET', url: '/v1/exports/assessment?year=2022&quarter=1&asOf=2022-04-10&format=csv' });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="assessment-2022-Q1.csv"');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toContain('名次 / Rank');
    expect(lines[0]).toContain('按时报送·得分');
    expect(lines[1]).toMatch(/^1,KB,考核乙局,100,100,/);
    expect(lines[2]).toMatch(/^2,KA,考核甲局,44\.67,100,6,4,26\.67,1,,-2,/);
    const xlsx = await ctx.app.inject({ method: 'GET', url: '/v1/exports/assessment?year=2022&quarter=1&asOf=2022-04-10&format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
