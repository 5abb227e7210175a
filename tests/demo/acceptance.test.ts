import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { instantAfterWrites } from '../history/support.js';

// The acceptance table of DOMAIN.md: every row of the Tanzhou report, derived through the HTTP
// API from the demo dataset (npm run seed:demo), as of 2022-03-31.
const ctx = useTestApp();
const asOf = '2022-03-31';

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, url).toBe(200);
  return json(response);
}

const summary = (list: string, extra = '') => get(`/v1/metrics/summary?year=2022&asOf=${asOf}&list=${list}${extra}`);

describe('the Tanzhou 2022 report, reproduced from the demo records', () => {
  // useTestApp empties the tables before each test; the dataset is loaded again per test.
  const seed = () => writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });

  it('rows 1–6: city key projects, their investment, stages and large projects', { timeout: 120_000 }, async () => {
    await seed();
    const s = await summary('city_key');
    expect(s.figures.projectCount.value).toBe(12);
    expect(s.figures.estimatedInvestment.value).toBe('747100.0000');
    expect(s.figures.estimatedInvestment.declaration).toMatchObject({ declared: '757000', derived: '747100.0000', difference: '-9900.0000' });
    expect(s.figures.plannedInvestment.value).toBe('116100.0000');
    expect(s.byStage.new_start).toMatchObject({ projectCount: { value: 5 }, estimatedInvestment: { value: '238500.0000' }, plannedInvestment: { value: '48000.0000' } });
    expect(s.byStage.continuing).toMatchObject({ projectCount: { value: 7 }, estimatedInvestment: { value: '508600.0000' }, plannedInvestment: { value: '68100.0000' } });
    expect(s.figures.largeProjectCount.value).toBe(3);
  });

  it('rows 7, 14, 15: the reserve, special-bond and town industrial lists', { timeout: 120_000 }, async () => {
    await seed();
    const reserve = await summary('city_key_reserve');
    expect(reserve.figures.projectCount.value).toBe(11);
    expect(reserve.figures.estimatedInvestment.value).toBe('634300.0000');
    expect((await summary('special_bond_reserve')).figures.projectCount.value).toBe(30);
    const industrial = await summary('town_key_industrial');
    expect(industrial.figures.projectCount.value).toBe(15);
    // "计划总投资约78亿元": 779650 万元 rounds to 78 亿.
    expect(industrial.figures.estimatedInvestment.value).toBe('779650.0000');
    expect(Math.round(Number(industrial.figures.estimatedInvestment.value) / 10000)).toBe(78);
  });

  it('rows 9, 10, 13: completed investment, resumption rate and start rate by the end of March', { timeout: 120_000 }, async () => {
    await seed();
    const s = await summary('city_key');
    expect(s.figures.investmentCompleted.value).toBe('29000.0000');
    expect(s.figures.planCompletionRate).toMatchObject({ numerator: '29000.0000', denominator: '116100.0000' });
    expect(Math.round(s.figures.planCompletionRate.value * 100)).toBe(25);
    expect(s.figures.resumptionRate).toMatchObject({ value: 1, numerator: 7, denominator: 7 });
    expect(s.figures.startRate).toMatchObject({ value: 0.8, numerator: 4, denominator: 5 });
    // The March report corrected on 12 April keeps its first figure as revision 1.
    const reports = await get('/v1/progress-reports?periodFrom=2022-03-H2&periodTo=2022-03-H2&limit=200');
    const corrected = reports.items.find((r: { currentRevision: number }) => r.currentRevision === 2);
    const revisions = await get(`/v1/progress-reports/${corrected.id}/revisions`);
    expect(revisions.items.map((r: { investmentCompleted: string }) => r.investmentCompleted)).toEqual(['2200.0000', corrected.investmentCompleted]);
    expect(revisions.items[1].correctionReason).toBe('核减误报的设备采购款');

    // A correction entered now is one the briefing's figure, asked as known before it, does not see.
    const published = await instantAfterWrites();
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${corrected.id}` });
    const revised = await ctx.app.inject({
      method: 'POST',
      url: `/v1/progress-reports/${corrected.id}/revisions`,
      headers: { 'if-match': read.headers.etag as string },
      payload: { investmentCompleted: '2100.0000', physicalProgress: '40.00', workOngoing: true, correctionReason: '复核后再核减' },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    expect((await summary('city_key')).figures.investmentCompleted.value).toBe((29000 + 2100 - Number(corrected.investmentCompleted)).toFixed(4));
    const asPublished = await summary('city_key', `&knownAt=${encodeURIComponent(published)}`);
    expect({ ...asPublished, knownAt: null }).toEqual(s);
  });

  it('rows 8, 11, 12, 16: special bonds granted in Q1, the two groundbreaking batches, issues resolved', { timeout: 120_000 }, async () => {
    await seed();
    const financing = await get('/v1/metrics/financing?year=2022');
    const q1 = financing.quarters.find((q: { quarter: number }) => q.quarter === 1);
    expect(q1.projectsGranted).toBe(19);
    const batches = (await get('/v1/metrics/batches?year=2022')).batches;
    expect(batches.map((b: { projectCount: number; estimatedInvestment: string }) => [b.projectCount, b.estimatedInvestment])).toEqual([
      [3, '78000.0000'],
      [3, '200000.0000'],
    ]);
    const issues = await get('/v1/metrics/issues?from=2022-01-01&to=2022-03-31');
    expect(issues.totals.resolved).toBeGreaterThan(20);
  });
  it('the dispatch cycle: the new starts against their node plans, a returned and corrected report, figures on approved reports', { timeout: 120_000 }, async () => {
    await seed();
    const projects = await get('/v1/projects?limit=200');
    const idOf = (code: string) => projects.items.find((p: { code: string }) => p.code === code).id as string;

    // 开工 nodes of the five new starts, planned 16 Feb ×3, 1 March (the hub, achieved 10 March) and
    // 15 March (the parts plant, not achieved): 5 due in Q1, 4 achieved, 3 on time, 2 late.
    const m = await get('/v1/metrics/milestones?year=2022&list=city_key&from=2022-01-01&to=2022-03-31');
    expect([m.totals.due.count, m.totals.achieved.count, m.totals.achievedOnTime.count, m.totals.late.count]).toEqual([5, 4, 3, 2]);
    expect(m.totals.onTimeRate).toEqual({ value: 0.6, numerator: 3, denominator: 5 });
    expect(m.totals.late.projectIds).toEqual([idOf('TZ2022-N04'), idOf('TZ2022-N05')].sort());

    const schedule = await get(`/v1/projects/${idOf('TZ2022-N05')}/schedule?asOf=${asOf}`);
    expect(schedule).toMatchObject({ milestoneCount: 1, plannedCount: 1, achievedCount: 0 });
    const warnings = await get(`/v1/warnings?year=2022&list=city_key&asOf=${asOf}&limit=200`);
    const n05 = warnings.items.find((w: { projectCode: string }) => w.projectCode === 'TZ2022-N05');
    expect(n05.reasons).toContainEqual(
      expect.objectContaining({ rule: 'milestone_overdue', level: 'yellow', inputs: expect.objectContaining({ plannedDate: '2022-03-15', daysOverdue: 16, overdueCount: 1 }) }),
    );

    // The hub's Mar-H2 report: returned on 8 April, corrected on 12 April, awaiting review again.
    const reports = await get(`/v1/progress-reports?projectId=${idOf('TZ2022-N04')}&periodFrom=2022-03-H2&periodTo=2022-03-H2`);
    const [report] = reports.items;
    expect(report).toMatchObject({ reviewStatus: 'submitted', currentRevision: 2, returnReason: expect.stringContaining('核减') });
    expect(report.resubmittedAt).not.toBeNull();
    const queue = await get('/v1/progress-reports?reviewStatus=submitted&limit=200');
    expect(queue.items.map((r: { id: string }) => r.id)).toContain(report.id);

    // On approved reports only, the figure leaves out the one still awaiting review — and nothing else.
    const submitted = await summary('city_key');
    const approved = await summary('city_key', '&basis=approved');
    expect(approved.basis).toBe('approved');
    expect(Number(approved.figures.investmentCompleted.value)).toBe(Number(submitted.figures.investmentCompleted.value) - Number(report.investmentCompleted));
  });
});
