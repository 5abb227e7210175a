import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { eq, sql } from 'drizzle-orm';
import { fixtures } from './fixtures.js';
import { instantAfterWrites } from '../history/support.js';
import { progressReportRevisions, progressReports } from '../../src/modules/reports/reports.table.js';

const ctx = useTestApp();

async function summary(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/summary?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

const sorted = (...ids: string[]) => [...ids].sort();

/**
 * Five city-key projects for 2022 plus noise on other lists and years. Money has 4 fraction digits
 * so that float arithmetic would go wrong (0.1 + 0.2).
 */
async function cityKey2022() {
  const f = fixtures(ctx.testDb.database.db);
  const dept = await f.department('住建局');
  const d = dept.id;
  // Starts exactly on the as-of date: counts as started.
  const ns1 = await f.planned({ departmentId: d, estimated: '100000.0000', stage: 'new_start', planned: '0.1000' });
  await f.status(ns1.id, 'under_construction', '2022-03-31');
  // Starts the day after the as-of date: not started.
  const ns2 = await f.planned({ departmentId: d, estimated: '23850.1000', stage: 'new_start', planned: '0.2000' });
  await f.status(ns2.id, 'approved', '2022-01-10');
  await f.status(ns2.id, 'under_construction', '2022-04-01');
  // Suspended and resumed before the as-of date; the resumption was entered on 3 April.
  const c1 = await f.planned({ departmentId: d, estimated: '50860.0000', stage: 'continuing', planned: '68100.0000' });
  await f.status(c1.id, 'under_construction', '2021-05-01');
  await f.status(c1.id, 'suspended', '2022-01-20');
  await f.status(c1.id, 'under_construction', '2022-02-15', '2022-04-03T01:00:00Z');
  // Suspended only after the as-of date: still at work on it. Just below the large threshold.
  const c2 = await f.planned({ departmentId: d, estimated: '99999.9999', stage: 'continuing', planned: '1.0000' });
  await f.status(c2.id, 'under_construction', '2021-03-01');
  await f.status(c2.id, 'suspended', '2022-04-10');
  const pre = await f.planned({ departmentId: d, estimated: '0.2000', stage: 'preliminary', planned: '0.0000' });

  await f.report({ projectId: c1.id, departmentId: d, period: '2022-01-H1', revisions: [{ investment: '0.2000', recordedAt: '2022-01-17T02:00:00Z' }] });
  await f.report({ projectId: c1.id, departmentId: d, period: '2022-03-H2', revisions: [{ investment: '0.1000', recordedAt: '2022-04-01T02:00:00Z' }] });
  // A later period and a period of the previous year are left out.
  await f.report({ projectId: c1.id, departmentId: d, period: '2022-04-H1', revisions: [{ investment: '500.0000', recordedAt: '2022-04-16T02:00:00Z' }] });
  await f.report({ projectId: c2.id, departmentId: d, period: '2021-12-H2', revisions: [{ investment: '999.0000', recordedAt: '2022-01-02T02:00:00Z' }] });
  // Corrected on 10 April, after the briefing of 2 April.
  await f.report({
    projectId: c2.id,
    departmentId: d,
    period: '2022-02-H1',
    revisions: [
      { investment: '100.0000', recordedAt: '2022-02-20T02:00:00Z' },
      { investment: '150.0000', recordedAt: '2022-04-10T02:00:00Z' },
    ],
  });
  // First entered on 5 April: unknown at the briefing.
  await f.report({ projectId: ns1.id, departmentId: d, period: '2022-03-H2', revisions: [{ investment: '7.0000', recordedAt: '2022-04-05T02:00:00Z' }] });

  // Noise: another list, another year.
  const reserve = await f.planned({ departmentId: d, estimated: '634300.0000', stage: 'preliminary', planned: '5.0000', list: 'city_key_reserve' });
  await f.plan({ projectId: reserve.id, stage: 'continuing', planned: '9.0000', year: 2021 });
  return { ns1, ns2, c1, c2, pre, reserve };
}

describe('metrics summary', () => {
  it('counts the projects of the list and sums their investment exactly, overall and by stage', async () => {
    const p = await cityKey2022();
    const body = await summary('year=2022&list=city_key&asOf=2022-03-31');
    const all = sorted(p.ns1.id, p.ns2.id, p.c1.id, p.c2.id, p.pre.id);
    expect(body.figures.projectCount).toMatchObject({ value: 5, asOf: '2022-03-31', projectIds: all });
    expect(body.figures.estimatedInvestment.value).toBe('274710.2999');
    expect(body.figures.plannedInvestment.value).toBe('68101.3000');
    expect(body.figures.estimatedInvestment.formula).toContain('/');
    expect(body.byStage.new_start.projectCount.value).toBe(2);
    expect(body.byStage.new_start.estimatedInvestment.value).toBe('123850.1000');
    expect(body.byStage.new_start.plannedInvestment.value).toBe('0.3000');
    expect(body.byStage.continuing.estimatedInvestment.value).toBe('150859.9999');
    expect(body.byStage.preliminary.projectCount).toMatchObject({ value: 1, projectIds: [p.pre.id] });
  });

  it('counts large projects at or over the threshold, inclusive, and takes the threshold as a parameter', async () => {
    const p = await cityKey2022();
    const body = await summary('year=2022&list=city_key&asOf=2022-03-31');
    expect(body.largeThreshold).toBe('100000');
    expect(body.figures.largeProjectCount).toMatchObject({ value: 1, projectIds: [p.ns1.id] });
    const lower = await summary('year=2022&list=city_key&asOf=2022-03-31&largeThreshold=99999.9999');
    expect(lower.figures.largeProjectCount).toMatchObject({ value: 2, projectIds: sorted(p.ns1.id, p.c2.id) });
  });

  it('sums the completed investment of periods of the year ended by asOf, using the in-force revision', async () => {
    const p = await cityKey2022();
    const body = await summary('year=2022&list=city_key&asOf=2022-03-31');
    // 0.2 + 0.1 (c1) + 150 (c2, corrected) + 7 (ns1); 2022-04-H1 and 2021-12-H2 left out.
    expect(body.figures.investmentCompleted).toMatchObject({ value: '157.3000', projectIds: sorted(p.ns1.id, p.c1.id, p.c2.id) });
    expect(body.figures.planCompletionRate).toMatchObject({ value: 0.00231, numerator: '157.3000', denominator: '68101.3000' });
    const midMarch = await summary('year=2022&list=city_key&asOf=2022-03-30');
    expect(midMarch.figures.investmentCompleted.value).toBe('150.2000');
  });

  it('reproduces a briefing with knownAt: a correction, a late report and a late status entry made since are unseen', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const db = ctx.testDb.database.db;
    const d = (await f.department('住建局')).id;
    const c1 = await f.planned({ departmentId: d, estimated: '50860.0000', stage: 'continuing', planned: '68100.0000' });
    await f.status(c1.id, 'under_construction', '2021-05-01');
    await f.status(c1.id, 'suspended', '2022-01-20');
    const c2 = await f.planned({ departmentId: d, estimated: '99999.9999', stage: 'continuing', planned: '1.0000' });
    await f.status(c2.id, 'under_construction', '2021-03-01');
    const ns1 = await f.planned({ departmentId: d, estimated: '100000.0000', stage: 'new_start', planned: '0.1000' });
    await f.report({ projectId: c1.id, departmentId: d, period: '2022-01-H1', revisions: [{ investment: '0.2000', recordedAt: '2022-01-17T02:00:00Z' }] });
    await f.report({ projectId: c1.id, departmentId: d, period: '2022-03-H2', revisions: [{ investment: '0.1000', recordedAt: '2022-04-01T02:00:00Z' }] });
    const corrected = await f.report({ projectId: c2.id, departmentId: d, period: '2022-02-H1', revisions: [{ investment: '100.0000', recordedAt: '2022-02-20T02:00:00Z' }] });
    const question = 'year=2022&list=city_key&asOf=2022-03-31';
    const atBriefing = await summary(question);
    const briefing = await instantAfterWrites();

    // After the briefing: c1's resumption (effective 15 February) is entered, c2's February report is
    // corrected, and ns1's March report arrives.
    await f.status(c1.id, 'under_construction', '2022-02-15');
    await db.insert(progressReportRevisions).values({ reportId: corrected.id, revision: 2, investmentCompleted: '150.0000', workOngoing: true, actor: 'fixture' });
    await db.update(progressReports).set({ currentRevision: 2 }).where(eq(progressReports.id, corrected.id));
    await f.report({ projectId: ns1.id, departmentId: d, period: '2022-03-H2', revisions: [{ investment: '7.0000', recordedAt: '2022-04-05T02:00:00Z' }] });

    const then = await summary(`${question}&knownAt=${encodeURIComponent(briefing)}`);
    expect(then.knownAt).toBe(briefing);
    expect(then.figures.investmentCompleted).toMatchObject({ value: '100.3000', projectIds: sorted(c1.id, c2.id) });
    // At the briefing c1 was still suspended.
    expect(then.figures.resumptionRate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, projectIds: [c2.id] });
    expect({ ...then, knownAt: null }).toEqual(atBriefing);

    const now = await summary(question);
    expect(now.figures.investmentCompleted.value).toBe('157.3000');
    expect(now.figures.resumptionRate).toMatchObject({ value: 1, numerator: 2, denominator: 2 });
  });

  it('leaves out plans and projects created after knownAt, and keeps a plan deleted and a project archived after it', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    const kept = await f.planned({ departmentId: d, estimated: '10.0000', stage: 'continuing', planned: '1.0000' });
    const archived = await f.planned({ departmentId: d, estimated: '5.0000', stage: 'continuing', planned: '1.0000' });
    const knownAt = await instantAfterWrites();
    const late = await f.project({ departmentId: d, estimated: '20.0000' });
    await f.plan({ projectId: late.id, stage: 'continuing', planned: '2.0000' });
    await ctx.testDb.database.db.execute(sql`delete from annual_plans where project_id = ${kept.id}`);
    await ctx.testDb.database.db.execute(sql`update projects set archived_at = now(), estimated_investment = 999 where id = ${archived.id}`);
    const then = await summary(`year=2022&list=city_key&asOf=2022-03-31&knownAt=${encodeURIComponent(knownAt)}`);
    expect(then.figures.projectCount.value).toBe(2);
    expect(then.figures.estimatedInvestment.value).toBe('15.0000');
    const now = await summary('year=2022&list=city_key&asOf=2022-03-31');
    expect(now.figures.projectCount.value).toBe(1);
    expect(now.figures.estimatedInvestment.value).toBe('20.0000');
  });

  it('counts a continuing project suspended after asOf as resumed and a new start started on asOf as started', async () => {
    const p = await cityKey2022();
    const body = await summary('year=2022&list=city_key&asOf=2022-03-31');
    expect(body.figures.resumedCount).toMatchObject({ value: 2, projectIds: sorted(p.c1.id, p.c2.id) });
    expect(body.figures.resumptionRate).toMatchObject({
      value: 1,
      numerator: 2,
      denominator: 2,
      denominatorProjectIds: sorted(p.c1.id, p.c2.id),
    });
    expect(body.figures.startedCount).toMatchObject({ value: 1, projectIds: [p.ns1.id] });
    expect(body.figures.startRate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    const before = await summary('year=2022&list=city_key&asOf=2022-03-30');
    expect(before.figures.startRate).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    const afterSuspension = await summary('year=2022&list=city_key&asOf=2022-04-10');
    expect(afterSuspension.figures.resumedCount.projectIds).toEqual([p.c1.id]);
    expect(afterSuspension.figures.startRate.value).toBe(1);
  });

  it('answers an empty list with zeros and null rates', async () => {
    await cityKey2022();
    const body = await summary('year=2022&list=town_key_industrial&asOf=2022-03-31');
    expect(body.figures.projectCount).toMatchObject({ value: 0, projectIds: [] });
    expect(body.figures.estimatedInvestment.value).toBe('0.0000');
    expect(body.figures.investmentCompleted.value).toBe('0.0000');
    expect(body.figures.planCompletionRate).toMatchObject({ value: null, numerator: '0.0000', denominator: '0.0000' });
    expect(body.figures.resumptionRate).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(body.figures.startRate.value).toBeNull();
    expect(body.byStage.continuing.projectCount.value).toBe(0);
  });

  it('gives a null rate for a zero denominator while the other figures stand', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    const only = await f.planned({ departmentId: d, estimated: '63430.0000', stage: 'preliminary', planned: '0.0000', list: 'city_key_reserve' });
    const body = await summary('year=2022&list=city_key_reserve&asOf=2022-03-31');
    expect(body.figures.projectCount).toMatchObject({ value: 1, projectIds: [only.id] });
    expect(body.figures.estimatedInvestment.value).toBe('63430.0000');
    expect(body.figures.planCompletionRate.value).toBeNull();
    expect(body.figures.resumptionRate.value).toBeNull();
    expect(body.figures.startRate.value).toBeNull();
  });

  it('defaults asOf to today in China and refuses a malformed query', async () => {
    const body = await summary('year=2022&list=city_key');
    expect(body.asOf).toMatch(/^\d{4}-\d\d-\d\d$/);
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/metrics/summary?year=2022&list=nope' });
    expect(bad.statusCode).toBe(400);
    const unknown = await ctx.app.inject({ method: 'GET', url: '/v1/metrics/summary?year=2022&list=city_key&colour=red' });
    expect(unknown.statusCode).toBe(400);
  });
});
