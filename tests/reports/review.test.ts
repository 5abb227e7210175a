import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { instantAfterWrites } from '../history/support.js';

const ctx = useTestApp();
const figures = { physicalProgress: '20.00', workOngoing: true };

/** A department, its project on the 2022 city-key list, and a department key. */
async function town() {
  const department = json(await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'ZJJ', name: '住建局' } }));
  const project = json(
    await ctx.app.inject({
      method: 'POST', url: '/v1/projects',
      payload: { code: 'P1', name: '道路', ownerUnit: '城投', category: 'transport', estimatedInvestment: '10000', departmentId: department.id, statusDate: '2022-01-05' },
    }),
  );
  await ctx.app.inject({ method: 'POST', url: `/v1/projects/${project.id}/plans`, payload: { year: 2022, list: 'city_key', stage: 'continuing', plannedInvestment: '1000' } });
  const key = await ctx.key({ role: 'department', departmentId: department.id });
  return { department, project, key };
}

async function submit(projectId: string, period: string, investmentCompleted: string, key: string) {
  const response = await ctx.app.inject({
    method: 'POST', url: '/v1/progress-reports', payload: { projectId, period, investmentCompleted, ...figures }, headers: { authorization: `Bearer ${key}` },
  });
  expect(response.statusCode, response.body).toBe(201);
  return json(response);
}

const review = (id: string, etag: string, payload: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: `/v1/progress-reports/${id}/review`, payload, headers: { 'if-match': etag, ...headers } });

async function completed(basis?: string, extra = '') {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/summary?year=2022&list=city_key&asOf=2022-06-30${basis ? `&basis=${basis}` : ''}${extra}` });
  expect(response.statusCode, response.body).toBe(200);
  return json(response).figures.investmentCompleted.value as string;
}

describe('report review (填报 → 审核 → 退回)', () => {
  it('approves a submitted report; figures count it on either basis, and only approved ones on basis=approved', async () => {
    const { project, key } = await town();
    const a = await submit(project.id, '2022-03-H1', '100', key);
    await submit(project.id, '2022-03-H2', '50', key);
    expect(a).toMatchObject({ reviewStatus: 'submitted', reviewedAt: null, returnReason: null });
    expect(await completed()).toBe('150.0000');
    expect(await completed('approved')).toBe('0.0000');

    const approved = await review(a.id, '"v1"', { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({ reviewStatus: 'approved', version: 2 });
    expect(approved.headers.etag).toBe('"v2"');
    expect(await completed('approved')).toBe('100.0000');
    expect(await completed('submitted')).toBe('150.0000');
  });

  it('returns a report with a reason: left out of the figures until the department corrects it, which submits it again', async () => {
    const { project, key } = await town();
    const report = await submit(project.id, '2022-03-H1', '100', key);
    const noReason = await review(report.id, '"v1"', { decision: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).code).toBe('return_reason_required');
    const returned = await review(report.id, '"v1"', { decision: 'return', reason: '与监理月报不符' });
    expect(json(returned)).toMatchObject({ reviewStatus: 'returned', returnReason: '与监理月报不符' });
    expect(await completed()).toBe('0.0000');
    // Not reviewed again until corrected.
    const again = await review(report.id, '"v2"', { decision: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: 'illegal_review', reviewStatus: 'returned' });

    const corrected = await ctx.app.inject({
      method: 'POST', url: `/v1/progress-reports/${report.id}/revisions`,
      payload: { investmentCompleted: '80', ...figures, correctionReason: '按监理月报核减' },
      headers: { 'if-match': '"v2"', authorization: `Bearer ${key}` },
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(json(corrected)).toMatchObject({ reviewStatus: 'submitted', returnReason: '与监理月报不符', resubmittedAt: expect.any(String) });
    expect(await completed()).toBe('80.0000');
    const events = await ctx.testDb.database.db.execute(sql`select action, after->>'reviewStatus' as status from audit_events where resource_id = ${report.id} order by id`);
    expect((events as unknown as { rows: unknown[] }).rows).toEqual([
      { action: 'create', status: 'submitted' },
      { action: 'transition', status: 'returned' },
      { action: 'update', status: 'submitted' },
    ]);
  });

  it('is for the office: a department key may not review, not even its own report', async () => {
    const { project, key } = await town();
    const report = await submit(project.id, '2022-03-H1', '100', key);
    const refused = await review(report.id, '"v1"', { decision: 'approve' }, { authorization: `Bearer ${key}` });
    expect(refused.statusCode).toBe(403);
    expect(json(refused).code).toBe('forbidden_role');
  });

  it('lists the review queue, oldest submission first, page by page', async () => {
    const { project, key } = await town();
    const ids: string[] = [];
    for (const period of ['2022-01-H1', '2022-01-H2', '2022-02-H1', '2022-02-H2']) ids.push((await submit(project.id, period, '1', key)).id);
    await review(ids[1]!, '"v1"', { decision: 'approve' });
    const queue: string[] = [];
    let cursor: string | null = null;
    do {
      const page = json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports?reviewStatus=submitted&limit=2${cursor ? `&cursor=${cursor}` : ''}` }));
      queue.push(...page.items.map((r: { id: string }) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(queue).toEqual([ids[0], ids[2], ids[3]]);
  });

  it('reviews many reports all or nothing: one stale ETag and none is decided', async () => {
    const { project, key } = await town();
    const a = await submit(project.id, '2022-03-H1', '10', key);
    const b = await submit(project.id, '2022-03-H2', '20', key);
    const bulk = (decisions: object[]) => ctx.app.inject({ method: 'POST', url: '/v1/progress-reports/reviews', payload: { decisions } });
    const stale = await bulk([
      { reportId: a.id, ifMatch: '"v1"', decision: 'approve' },
      { reportId: b.id, ifMatch: '"v9"', decision: 'approve' },
    ]);
    expect(stale.statusCode).toBe(412);
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${a.id}` })).reviewStatus).toBe('submitted');
    const done = await bulk([
      { reportId: a.id, ifMatch: '"v1"', decision: 'approve' },
      { reportId: b.id, ifMatch: '"v1"', decision: 'return', reason: '缺附件' },
    ]);
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done).items.map((r: { reviewStatus: string }) => r.reviewStatus)).toEqual(['approved', 'returned']);
  });

  it('answers the approved basis as known before a review decision as it was then', async () => {
    const { project, key } = await town();
    const report = await submit(project.id, '2022-03-H1', '100', key);
    const before = await instantAfterWrites();
    await review(report.id, '"v1"', { decision: 'approve' });
    expect(await completed('approved')).toBe('100.0000');
    expect(await completed('approved', `&knownAt=${encodeURIComponent(before)}`)).toBe('0.0000');
  });

  it('counts a returned report as missing in the reporting compliance until corrected, and lists it as returned', async () => {
    const { project, key } = await town();
    await ctx.app.inject({ method: 'POST', url: `/v1/projects/${project.id}/transitions`, payload: { toStatus: 'approved', effectiveDate: '2022-01-10' }, headers: { 'if-match': '"v1"' } });
    await ctx.app.inject({ method: 'POST', url: `/v1/projects/${project.id}/transitions`, payload: { toStatus: 'under_construction', effectiveDate: '2022-02-01' }, headers: { 'if-match': '"v2"' } });
    const report = await submit(project.id, '2022-03-H1', '100', key);
    const compliance = async (basis = 'submitted') =>
      json(await ctx.app.inject({ method: 'GET', url: `/v1/metrics/reporting-compliance?year=2022&list=city_key&period=2022-03-H1&basis=${basis}` })).totals;
    expect(await compliance()).toMatchObject({ missing: { count: 0 }, returned: { count: 0 } });
    expect(await compliance('approved')).toMatchObject({ missing: { count: 1 } });
    await review(report.id, '"v1"', { decision: 'return', reason: '数据有误' });
    expect(await compliance()).toMatchObject({ missing: { count: 1, projectIds: [project.id] }, returned: { count: 1, projectIds: [project.id] } });
    await ctx.app.inject({
      method: 'POST', url: `/v1/progress-reports/${report.id}/revisions`,
      payload: { investmentCompleted: '90', ...figures, correctionReason: '更正' }, headers: { 'if-match': '"v2"', authorization: `Bearer ${key}` },
    });
    // Corrected now, years after the due day: in, but late.
    expect(await compliance()).toMatchObject({ missing: { count: 0 }, returned: { count: 0 }, late: { count: 1 } });
  });
});
