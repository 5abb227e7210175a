import { describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { escalateOverdueOrders } from '../../src/modules/supervision/supervision.public.js';
import { json, useTestApp } from '../support/app.js';
import { china } from './helpers.js';

const ctx = useTestApp();

const get = async (url: string) => json(await ctx.app.inject({ method: 'GET', url }));

describe('the demo town’s supervision orders', () => {
  it('holds one order escalated twice, one closed and one answered, as the worker and the API would have written them', { timeout: 120_000 }, async () => {
    await writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
    const orders = (await get('/v1/supervision-orders')).items;
    expect(orders.map((o: { title: string; level: number; status: string; escalationCount: number }) => [o.title, o.level, o.status, o.escalationCount])).toEqual([
      ['施工许可证办理逾期督办', 3, 'issued', 2],
      ['零部件工厂开工节点督办', 2, 'planned', 0],
      ['智慧物流枢纽开工节点督办', 1, 'closed', 0],
    ]);
    const escalated = orders[0];
    const steps = (await get(`/v1/supervision-orders/${escalated.id}/steps`)).items;
    expect(steps.map((s: { kind: string; stepOn: string; toLevel: number }) => [s.kind, s.stepOn, s.toLevel])).toEqual([
      ['issue', '2022-03-21', 1],
      ['escalate', '2022-03-27', 2],
      ['escalate', '2022-03-30', 3],
    ]);
    expect((await get('/v1/supervision-orders?overdue=true&asOf=2022-03-31')).items.map((o: { id: string }) => o.id)).toEqual([escalated.id]);
    // The worker, run over the demo on a later day, finds nothing left to do: level 3 is the top.
    expect(await escalateOverdueOrders({ db: ctx.testDb.database.db, now: china('2022-04-15') })).toBe(0);
    // The closed order's steps replay its version numbers, one per step.
    const closed = orders[2];
    const closedSteps = (await get(`/v1/supervision-orders/${closed.id}/steps`)).items;
    expect(closedSteps.map((s: { orderVersion: number }) => s.orderVersion)).toEqual([1, 2, 3, 4]);
    expect(closed.version).toBe(4);
    // The assessment table of Q1 2022: the department of the unanswered order loses its points for it.
    const q1 = await get('/v1/metrics/assessment?year=2022&quarter=1&asOf=2022-04-10');
    expect(q1.departments.length).toBeGreaterThan(3);
    const zj = q1.departments.find((d: { code: string }) => d.code === 'ZJ');
    const overdueOrders = zj.scores.find((x: { rule: string }) => x.rule === 'overdue_orders');
    expect(overdueOrders).toMatchObject({ due: 1, score: -5, inputs: [{ id: escalated.id }] });
    expect(q1.departments.map((d: { rank: number }) => d.rank)).toEqual([...q1.departments.map((d: { rank: number }) => d.rank)].sort((a, b) => a - b));
    // Factor guarantees (要素保障) beyond the original categories: energy, labour, environment.
    const issues = await get('/v1/metrics/issues?from=2022-01-01&to=2022-03-31');
    const factors = Object.fromEntries(issues.byFactor.map((f: { key: string; opened: number; resolved: number }) => [f.key, [f.opened, f.resolved]]));
    expect(factors).toMatchObject({ energy: [1, 1], labour: [1, 1], environment: [1, 0] });
    const fg = q1.departments.find((d: { code: string }) => d.code === 'FG');
    const fgIssues = fg.scores.find((x: { rule: string }) => x.rule === 'issues_resolved_on_time');
    expect(fgIssues.byFactor).toEqual(expect.arrayContaining([{ factor: 'energy', due: 1, met: 1 }, { factor: 'environment', due: 1, met: 0 }]));
    const lit = await get('/v1/warnings?year=2022&list=city_key&asOf=2022-03-31&factor=environment');
    expect(lit.items.map((i: { projectCode: string }) => i.projectCode)).toEqual(['TZ2022-C05']);
    const byFactor = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-03-31&by=factor');
    expect(byFactor.groups.find((g: { key: string }) => g.key === 'environment')).toMatchObject({ label: 'Environmental impact assessment / 环评', projectCount: 1, yellow: 1 });
  });
});
