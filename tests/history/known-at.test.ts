import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { asked, getJson, instantAfterWrites, withKnownAt, write } from './support.js';

const ctx = useTestApp();

/** A department, one 2022 city-key project under construction since 10 February, with a plan. */
async function town() {
  const department = await write(ctx.app, 'POST', '/v1/departments', { code: 'ZJJ', name: '住建局' });
  const project = await write(ctx.app, 'POST', '/v1/projects', {
    code: 'P1', name: '道路工程', ownerUnit: '城投公司', category: 'transport', estimatedInvestment: '120000', departmentId: department.id,
    plannedStartDate: '2022-02-01', statusDate: '2022-01-05',
  });
  const plan = await write(ctx.app, 'POST', `/v1/projects/${project.id}/plans`, { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '20000' });
  await write(ctx.app, 'POST', `/v1/projects/${project.id}/transitions`, { toStatus: 'approved', effectiveDate: '2022-01-20' }, '"v1"');
  await write(ctx.app, 'POST', `/v1/projects/${project.id}/transitions`, { toStatus: 'under_construction', effectiveDate: '2022-02-10' }, '"v2"');
  return { department, project, plan };
}

function urlsOf(projectId: string) {
  return [
    '/v1/warnings?year=2022&list=city_key&asOf=2022-03-31',
    '/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-03-31&by=department',
    `/v1/oc4ids/projects/${projectId}`,
    '/v1/oc4ids/package?year=2022&list=city_key',
    `/v1/projects/${projectId}/status?asOf=2022-03-31`,
    `/v1/projects/${projectId}/status-history`,
  ];
}

describe('knownAt: answers as the records were known at an instant', () => {
  it('answers as before edits, a deletion, a transition and a rule change made after knownAt', async () => {
    const { department, project, plan } = await town();
    const urls = urlsOf(project.id);
    const then: unknown[] = [];
    for (const url of urls) then.push(await getJson(ctx.app, url));
    const knownAt = await instantAfterWrites();

    await write(ctx.app, 'PATCH', `/v1/departments/${department.id}`, { name: '住房和城乡建设局' }, '"v1"');
    await write(ctx.app, 'PATCH', `/v1/projects/${project.id}`, { name: '主干道工程', estimatedInvestment: '99999' }, '"v3"');
    await write(ctx.app, 'POST', `/v1/projects/${project.id}/transitions`, { toStatus: 'suspended', effectiveDate: '2022-03-01' }, '"v4"');
    await write(ctx.app, 'PATCH', '/v1/warning-rules/not_started', { yellowThreshold: '1' }, '"v1"');
    await write(ctx.app, 'DELETE', `/v1/plans/${plan.id}`, undefined, '"v1"');

    for (const [i, url] of urls.entries()) {
      // The package is gone now (no plan): only knownAt still finds it.
      const current = await ctx.app.inject({ method: 'GET', url });
      expect(current.statusCode === 404 || JSON.stringify(asked(json(current))) !== JSON.stringify(asked(then[i])), `${url} changed`).toBe(true);
      const replay = await getJson(ctx.app, withKnownAt(url, knownAt));
      expect(asked(replay), url).toEqual(asked(then[i]));
      expect(replay.knownAt ?? knownAt, url).toBe(knownAt);
    }
  });

  it('gives what existed then for an instant before a record existed, and refuses a future or malformed knownAt with 400', async () => {
    const before = await instantAfterWrites();
    const { project } = await town();
    const missing = await ctx.app.inject({ method: 'GET', url: withKnownAt(`/v1/oc4ids/projects/${project.id}`, before) });
    expect(missing.statusCode).toBe(404);
    const lights = await getJson(ctx.app, withKnownAt('/v1/warnings?year=2022&list=city_key&asOf=2022-03-31', before));
    expect(lights.items).toEqual([]);

    const future = new Date(Date.now() + 60_000).toISOString();
    for (const knownAt of [future, 'yesterday', '2022-13-01T00:00:00Z']) {
      const response = await ctx.app.inject({ method: 'GET', url: withKnownAt('/v1/warnings?year=2022&list=city_key', knownAt) });
      expect(response.statusCode, knownAt).toBe(400);
      expect(JSON.stringify(json(response).errors), knownAt).toContain('knownAt');
    }
  });

  it('judges past lights under the rule thresholds as they stood then', async () => {
    await town();
    const url = '/v1/warnings?year=2022&list=city_key&asOf=2022-02-05';
    // Planned start 1 February, not started on 5 February: 4 days late, yellow from 0 days.
    expect((await getJson(ctx.app, url)).items[0].light).toBe('yellow');
    const knownAt = await instantAfterWrites();
    await write(ctx.app, 'PATCH', '/v1/warning-rules/not_started', { yellowThreshold: '10', redThreshold: '90' }, '"v1"');
    expect((await getJson(ctx.app, url)).items[0].light).toBe('green');
    expect((await getJson(ctx.app, withKnownAt(url, knownAt))).items[0].light).toBe('yellow');
  });

  it('refuses knownAt before the history horizon an operator set when moving old versions to cold storage', async () => {
    const { project } = await town();
    const early = await instantAfterWrites();
    const db = ctx.testDb.database.db;
    await db.execute(sql`update history.horizon set known_from = now()`);
    try {
      const refused = await ctx.app.inject({ method: 'GET', url: withKnownAt(`/v1/oc4ids/projects/${project.id}`, early) });
      expect(refused.statusCode).toBe(400);
      expect(json(refused)).toMatchObject({ code: 'known_at_before_history', parameter: 'knownAt' });
      const later = await instantAfterWrites();
      expect((await ctx.app.inject({ method: 'GET', url: withKnownAt(`/v1/oc4ids/projects/${project.id}`, later) })).statusCode).toBe(200);
    } finally {
      await db.execute(sql`update history.horizon set known_from = '-infinity'`);
    }
  });

  it('lists the versions of a report, an issue and a warning rule, each made by its own request', async () => {
    const { project } = await town();
    const report = await write(ctx.app, 'POST', '/v1/progress-reports', { projectId: project.id, period: '2022-03-H1', investmentCompleted: '10', physicalProgress: '5.00', workOngoing: true });
    await write(ctx.app, 'POST', `/v1/progress-reports/${report.id}/revisions`, { investmentCompleted: '12', physicalProgress: '6.00', workOngoing: true, correctionReason: '更正' }, '"v1"');
    const reportHistory = await getJson(ctx.app, `/v1/progress-reports/${report.id}/history`);
    expect(reportHistory.items.map((v: { record: { currentRevision: number } }) => v.record.currentRevision)).toEqual([1, 2]);
    const issue = await write(ctx.app, 'POST', '/v1/issues', { projectId: project.id, title: '用电', category: 'power', source: 'enterprise_request', raisedOn: '2022-02-01', handlingMode: 'immediate', assignedDepartmentId: project.departmentId });
    await write(ctx.app, 'POST', `/v1/issues/${issue.id}/transitions`, { toStatus: 'resolved', resolution: '已送电', resolvedOn: '2022-02-05' }, '"v1"');
    const issueHistory = await getJson(ctx.app, `/v1/issues/${issue.id}/history`);
    expect(issueHistory.items.map((v: { record: { status: string } }) => v.record.status)).toEqual(['open', 'resolved']);
    expect(issueHistory.items[0].changedBy.requestId).not.toBe(issueHistory.items[1].changedBy.requestId);
    await getJson(ctx.app, '/v1/warning-rules');
    await write(ctx.app, 'PATCH', '/v1/warning-rules/overdue_issue', { yellowThreshold: '5' }, '"v1"');
    const rule = await getJson(ctx.app, '/v1/warning-rules/overdue_issue/history');
    expect(rule.items.map((v: { record: { yellowThreshold: string } }) => v.record.yellowThreshold)).toEqual([expect.any(String), '5.0000']);
    expect(rule.items[0].changedBy.actor).toBe('system');
  });
});
