import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

describe('metrics breakdowns', () => {
  it('groups by leader active on asOf, counting a project with two leaders under both', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department('发改局')).id;
    const a = await f.planned({ departmentId: d, estimated: '0.1000', stage: 'continuing', planned: '1.0000' });
    const b = await f.planned({ departmentId: d, estimated: '0.2000', stage: 'continuing', planned: '2.0000' });
    const c = await f.planned({ departmentId: d, estimated: '5.0000', stage: 'new_start', planned: '3.0000' });
    const wang = await f.leader('王镇长');
    const li = await f.leader('李副镇长');
    await f.assign(wang.id, a.id, '2022-01-01');
    await f.assign(li.id, a.id, '2022-01-01');
    await f.assign(li.id, b.id, '2022-01-01');
    await f.assign(wang.id, c.id, '2021-01-01', '2022-02-28'); // ended before asOf: c has no leader

    const body = await get('/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=leader');
    const byLabel = Object.fromEntries(body.groups.map((g: { label: string }) => [g.label, g]));
    expect(byLabel['李副镇长'].figures.projectCount.value).toBe(2);
    expect(byLabel['李副镇长'].figures.estimatedInvestment.value).toBe('0.3000');
    expect(byLabel['王镇长'].figures.projectCount.projectIds).toEqual([a.id]);
    const none = body.groups.find((g: { key: string | null }) => g.key === null);
    expect(none.figures.projectCount.projectIds).toEqual([c.id]);
  });

  it('groups by department, category and stage with labels', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const housing = (await f.department('住建局')).id;
    const industry = (await f.department('工信局')).id;
    await f.planned({ departmentId: housing, estimated: '0.1000', stage: 'continuing', planned: '0.1000', category: 'transport' });
    await f.planned({ departmentId: industry, estimated: '0.2000', stage: 'new_start', planned: '0.2000' });
    await f.planned({ departmentId: industry, estimated: '0.3000', stage: 'new_start', planned: '0.3000' });

    const byDepartment = await get('/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=department');
    const planned = byDepartment.groups.map((g: { label: string; figures: { plannedInvestment: { value: string } } }) => [g.label, g.figures.plannedInvestment.value]);
    expect(planned.sort()).toEqual([
      ['住建局', '0.1000'],
      ['工信局', '0.5000'],
    ].sort());
    const byCategory = await get('/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=category');
    expect(byCategory.groups.map((g: { key: string }) => g.key).sort()).toEqual(['industrial_investment', 'transport']);
    expect(byCategory.groups.find((g: { key: string }) => g.key === 'transport').label).toBe('Transport facilities / 交通设施');
    const byStage = await get('/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=stage');
    const newStart = byStage.groups.find((g: { key: string }) => g.key === 'new_start');
    expect(newStart.figures.estimatedInvestment.value).toBe('0.5000');
    expect(newStart.figures.startRate).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
  });
});

describe('declared figures', () => {
  it('shows a declared total beside the derived one with the exact difference', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    await f.planned({ departmentId: d, estimated: '238500.0000', stage: 'new_start', planned: '48000.0000' });
    await f.planned({ departmentId: d, estimated: '508600.0000', stage: 'continuing', planned: '68100.0000' });

    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/metrics/declared-figures',
      headers: { 'x-actor': 'office' },
      payload: { list: 'city_key', year: 2022, figure: 'estimated_investment', value: '757000', source: '坦洲镇重点项目报道', asOf: '2022-03-31' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"v1"');
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/metrics/declared-figures',
      payload: { list: 'city_key', year: 2022, figure: 'new_start.estimated_investment', value: '238500', source: '坦洲镇重点项目报道', asOf: '2022-03-31' },
    });

    const body = await get('/v1/metrics/summary?year=2022&list=city_key&asOf=2022-03-31');
    expect(body.figures.estimatedInvestment.value).toBe('747100.0000');
    expect(body.figures.estimatedInvestment.declaration).toMatchObject({ declared: '757000', derived: '747100.0000', difference: '-9900.0000' });
    expect(body.byStage.new_start.estimatedInvestment.declaration).toMatchObject({ difference: '0.0000' });
    expect(body.declarations.map((x: { figure: string }) => x.figure)).toEqual(['estimated_investment', 'new_start.estimated_investment']);
    expect(body.figures.plannedInvestment.declaration).toBeUndefined();

    const audit = (await ctx.testDb.database.db.execute(
      `select action, resource_type, on_behalf_of from audit_events order by id` as never,
    )) as unknown as { rows: unknown[] };
    // Since API keys (issue 5) the actor is the key; X-Actor names whom it acted for.
    expect(audit.rows[0]).toEqual({ action: 'create', resource_type: 'declared_figure', on_behalf_of: 'office' });
  });

  it('reconciles a declaration only with the derived figure of the as-of date it was published for', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const d = (await f.department()).id;
    const p = await f.planned({ departmentId: d, estimated: '100000.0000', stage: 'continuing', planned: '20000.0000' });
    await f.report({ projectId: p.id, departmentId: d, period: '2022-03-H2', revisions: [{ investment: '29000.0000', recordedAt: '2022-04-02T02:00:00Z' }] });
    await f.report({ projectId: p.id, departmentId: d, period: '2022-04-H1', revisions: [{ investment: '7600.0000', recordedAt: '2022-04-17T02:00:00Z' }] });
    for (const [asOf, value] of [['2022-03-31', '29000'], ['2022-04-30', '36600']]) {
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/v1/metrics/declared-figures',
        payload: { list: 'city_key', year: 2022, figure: 'investment_completed', value, source: '报道', asOf },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const march = await get('/v1/metrics/summary?year=2022&list=city_key&asOf=2022-03-31');
    expect(march.figures.investmentCompleted.declaration).toMatchObject({ declared: '29000', derived: '29000.0000', difference: '0.0000' });
    const april = await get('/v1/metrics/summary?year=2022&list=city_key&asOf=2022-04-30');
    // "截至3月份 29000" is not compared with the end of April (that showed a difference of 7600).
    expect(april.figures.investmentCompleted.declaration).toMatchObject({ declared: '36600', derived: '36600.0000', difference: '0.0000' });
    expect(april.declarations).toHaveLength(1);
    const midMay = await get('/v1/metrics/summary?year=2022&list=city_key&asOf=2022-05-15');
    expect(midMay.figures.investmentCompleted.declaration).toBeUndefined();
    expect((await get('/v1/metrics/declared-figures?asOf=2022-04-30')).items.map((x: { value: string }) => x.value)).toEqual(['36600.000000']);
  });

  it('refuses a second declaration of the same figure for the same as-of date, or one without a date, and deletes one with If-Match', async () => {
    const payload = { list: 'city_key', year: 2022, figure: 'project_count', value: '12', source: '报道', asOf: '2022-03-31' };
    const undated = await ctx.app.inject({ method: 'POST', url: '/v1/metrics/declared-figures', payload: { ...payload, asOf: undefined } });
    expect(undated.statusCode).toBe(400);
    const first = json(await ctx.app.inject({ method: 'POST', url: '/v1/metrics/declared-figures', payload }));
    const again = await ctx.app.inject({ method: 'POST', url: '/v1/metrics/declared-figures', payload });
    expect(again.statusCode).toBe(409);
    const unknownFigure = await ctx.app.inject({ method: 'POST', url: '/v1/metrics/declared-figures', payload: { ...payload, figure: 'happiness' } });
    expect(unknownFigure.statusCode).toBe(400);

    const listed = await get('/v1/metrics/declared-figures?list=city_key&year=2022');
    expect(listed.items).toHaveLength(1);
    const without = await ctx.app.inject({ method: 'DELETE', url: `/v1/metrics/declared-figures/${first.id}` });
    expect(without.statusCode).toBe(428);
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/metrics/declared-figures/${first.id}`, headers: { 'if-match': '"v1"' } });
    expect(deleted.statusCode).toBe(204);
    const gone = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/declared-figures/${first.id}` });
    expect(gone.statusCode).toBe(404);
  });
});
