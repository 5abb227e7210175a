import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { reportHelpers } from './support.js';

const ctx = useTestApp();
const { createDepartment, createProject, submitted, figures, revise } = reportHelpers(ctx);

async function read(id: string) {
  return json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${id}` }));
}

async function list(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

describe('progress reports: derived totals', () => {
  it('sums year-to-date and cumulative investment by period, across years, from current figures only', async () => {
    const project = await createProject();
    const other = await createProject();
    // Entered out of order: the totals follow the periods, not the order of entry.
    const march = await submitted(project.id, '2022-03-H2', '2150.5000');
    const december = await submitted(project.id, '2021-12-H2', '1000.0000');
    const january = await submitted(project.id, '2022-01-H1', '200.5000');
    const april = await submitted(project.id, '2022-04-H1', '0.0001', { submittedAt: '2022-04-16T01:00:00Z' });
    await submitted(other.id, '2022-02-H1', '99999.0000');

    expect(await read(december.id)).toMatchObject({ yearToDateInvestment: '1000.0000', cumulativeInvestment: '1000.0000' });
    expect(await read(january.id)).toMatchObject({ yearToDateInvestment: '200.5000', cumulativeInvestment: '1200.5000' });
    expect(await read(march.id)).toMatchObject({ yearToDateInvestment: '2351.0000', cumulativeInvestment: '3351.0000' });
    expect(await read(april.id)).toMatchObject({ yearToDateInvestment: '2351.0001', cumulativeInvestment: '3351.0001' });

    await revise(january.id, { ...figures('300.5000'), correctionReason: '1月上旬少报100万元' });
    expect(await read(march.id)).toMatchObject({ yearToDateInvestment: '2451.0000', cumulativeInvestment: '3451.0000' });
    expect(await read(december.id)).toMatchObject({ cumulativeInvestment: '1000.0000' });
  });

  it('stays exact with amounts a binary float would round', async () => {
    const project = await createProject();
    await submitted(project.id, '2022-01-H1', '0.1000');
    await submitted(project.id, '2022-01-H2', '0.2000');
    const big = await submitted(project.id, '2022-02-H1', '99999999999999.9999');
    expect(await read(big.id)).toMatchObject({ cumulativeInvestment: '100000000000000.2999' });
  });
});

describe('progress reports: list', () => {
  it('filters by project, department, period range and lateness, newest period first', async () => {
    const fg = await createDepartment('FGJ');
    const zj = await createDepartment('ZJJ');
    const a = await createProject({ departmentId: fg });
    const b = await createProject({ departmentId: zj });
    const a1 = await submitted(a.id, '2022-03-H1', '1.0000', { submittedAt: '2022-03-17T01:00:00Z' });
    const a2 = await submitted(a.id, '2022-03-H2', '1.0000', { submittedAt: '2022-04-10T01:00:00Z' });
    const b1 = await submitted(b.id, '2022-03-H1', '1.0000', { submittedAt: '2022-03-30T01:00:00Z' });
    const b2 = await submitted(b.id, '2022-04-H1', '1.0000', { submittedAt: '2022-04-16T01:00:00Z' });
    const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id);

    expect(ids(await list(''))).toEqual([b2.id, a2.id, b1.id, a1.id]);
    expect(ids(await list(`projectId=${a.id}`))).toEqual([a2.id, a1.id]);
    expect(ids(await list(`departmentId=${zj}`))).toEqual([b2.id, b1.id]);
    expect(ids(await list('periodFrom=2022-03-H2&periodTo=2022-04-H1'))).toEqual([b2.id, a2.id]);
    expect(ids(await list('periodTo=2022-03-H1'))).toEqual([b1.id, a1.id]);
    expect(ids(await list('late=true'))).toEqual([a2.id, b1.id]);
    expect(ids(await list(`late=false&departmentId=${fg}`))).toEqual([a1.id]);
    expect((await list('')).items[0]).toMatchObject({ id: b2.id, yearToDateInvestment: '2.0000', cumulativeInvestment: '2.0000' });
  });

  it('pages with a cursor bound to its filters and refuses a reversed period range', async () => {
    const projects = await Promise.all([createProject(), createProject(), createProject()]);
    const made = [];
    for (const project of projects) for (const period of ['2022-01-H1', '2022-01-H2']) made.push(await submitted(project.id, period));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; periodEnd: string }[]; nextCursor: string | null } = await list(
        `limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(made.map((r) => r.id)));
    const expected = [...made].sort((x, y) => (x.periodEnd === y.periodEnd ? (x.id < y.id ? 1 : -1) : x.periodEnd < y.periodEnd ? 1 : -1));
    expect(seen).toEqual(expected.map((r) => r.id));

    const first = await list('limit=2');
    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports?limit=2&late=true&cursor=${first.nextCursor}` });
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');

    const reversed = await ctx.app.inject({ method: 'GET', url: '/v1/progress-reports?periodFrom=2022-04-H1&periodTo=2022-03-H2' });
    expect(reversed.statusCode).toBe(400);
    expect(json(reversed).code).toBe('invalid_period_range');
    const badPeriod = await ctx.app.inject({ method: 'GET', url: '/v1/progress-reports?periodFrom=2022-04' });
    expect(badPeriod.statusCode).toBe(400);
  });
});
