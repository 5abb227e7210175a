import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { groundbreakingBatches } from '../../src/modules/batches/batches.table.js';
import { adminKeyId, auditOf, makeDepartment, makeProject } from '../projects/support.js';

const ctx = useTestApp();

const cityKey2022 = { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '20000.0000' };

async function addPlan(projectId: string, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: `/v1/projects/${projectId}/plans`, payload: body, headers: { 'x-actor': 'tester' } });
}

async function newProject(code = 'TZ-2022-001') {
  const fgj = await makeDepartment(ctx, `D-${code}`, `部门${code}`);
  return makeProject(ctx, fgj, { code });
}

describe('annual plans', () => {
  it('puts a project on a list for a year, with exact money, a Location, an ETag and an audit event', async () => {
    const project = await newProject();
    const created = await addPlan(project.id, { ...cityKey2022, plannedInvestment: '12345678901234.5678' });
    expect(created.statusCode).toBe(201);
    const plan = json(created);
    expect(plan).toMatchObject({ projectId: project.id, year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '12345678901234.5678', batchId: null, version: 1 });
    expect(created.headers.location).toBe(`/v1/plans/${plan.id}`);
    expect(created.headers.etag).toBe('"v1"');
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/plans/${plan.id}` }))).toEqual(plan);
    expect(await auditOf(ctx, plan.id)).toEqual([{ action: 'create', actor: await adminKeyId(ctx), on_behalf_of: 'tester', resource_type: 'annual_plan' }]);
  });

  it('refuses a second plan for the same project, year and list with a 409', async () => {
    const project = await newProject();
    expect((await addPlan(project.id, cityKey2022)).statusCode).toBe(201);
    const again = await addPlan(project.id, { ...cityKey2022, stage: 'continuing' });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: 'unique_violation', constraint: 'annual_plans_project_year_list_key' });
    expect((await addPlan(project.id, { ...cityKey2022, list: 'town_key_industrial' })).statusCode).toBe(201);
  });

  it('links a groundbreaking batch that exists and refuses one that does not (422)', async () => {
    const project = await newProject();
    const [batch] = await ctx.testDb.database.db
      .insert(groundbreakingBatches)
      .values({ name: '2022年第一季度重点项目集体动工', ceremonyDate: '2022-02-16', status: 'held' })
      .returning({ id: groundbreakingBatches.id });
    const linked = await addPlan(project.id, { ...cityKey2022, batchId: batch!.id });
    expect(json(linked).batchId).toBe(batch!.id);
    const missing = await addPlan(project.id, { ...cityKey2022, list: 'city_key_reserve', batchId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f' });
    expect(missing.statusCode).toBe(422);
    expect(json(missing).code).toBe('foreign_key_violation');
  });

  it('refuses unknown fields and a float amount with 400, and an unknown project with 404', async () => {
    const project = await newProject();
    const unknown = await addPlan(project.id, { ...cityKey2022, budget: '1' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('budget');
    expect((await addPlan(project.id, { ...cityKey2022, plannedInvestment: 20000 })).statusCode).toBe(400);
    expect((await addPlan('01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', cityKey2022)).statusCode).toBe(404);
  });

  it('changes a plan only with a current If-Match and keeps year and list fixed', async () => {
    const project = await newProject();
    const plan = json(await addPlan(project.id, cityKey2022));
    const url = `/v1/plans/${plan.id}`;
    expect((await ctx.app.inject({ method: 'PATCH', url, payload: { plannedInvestment: '25000.0000' } })).statusCode).toBe(428);
    const ok = await ctx.app.inject({ method: 'PATCH', url, payload: { plannedInvestment: '25000.0000' }, headers: { 'if-match': '"v1"' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ plannedInvestment: '25000.0000', version: 2 });
    const stale = await ctx.app.inject({ method: 'PATCH', url, payload: { stage: 'continuing' }, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    const moveYear = await ctx.app.inject({ method: 'PATCH', url, payload: { year: 2023 }, headers: { 'if-match': '"v2"' } });
    expect(moveYear.statusCode).toBe(400);
  });

  it('deletes a plan with If-Match and audits the removal', async () => {
    const project = await newProject();
    const plan = json(await addPlan(project.id, cityKey2022));
    const url = `/v1/plans/${plan.id}`;
    expect((await ctx.app.inject({ method: 'DELETE', url })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url, headers: { 'if-match': '"v1"', 'x-actor': 'tester' } })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await auditOf(ctx, plan.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });

  it('lists a project\'s plans by year and list, and all plans filtered by year, list and stage, page by page', async () => {
    const a = await newProject('A');
    const b = await newProject('B');
    await addPlan(a.id, { ...cityKey2022, year: 2023, stage: 'continuing' });
    await addPlan(a.id, cityKey2022);
    await addPlan(a.id, { ...cityKey2022, list: 'town_key_industrial' });
    await addPlan(b.id, { ...cityKey2022, stage: 'continuing' });

    const own = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${a.id}/plans?limit=2` }));
    expect(own.items.map((p: { year: number; list: string }) => `${p.year}/${p.list}`)).toEqual(['2022/city_key', '2022/town_key_industrial']);
    const ownNext = json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${a.id}/plans?limit=2&cursor=${own.nextCursor}` }));
    expect(ownNext.items.map((p: { year: number }) => p.year)).toEqual([2023]);
    expect(ownNext.nextCursor).toBeNull();

    const cityKey = json(await ctx.app.inject({ method: 'GET', url: '/v1/plans?year=2022&list=city_key' }));
    expect(cityKey.items.map((p: { projectId: string }) => p.projectId)).toEqual([a.id, b.id]);
    const continuing = json(await ctx.app.inject({ method: 'GET', url: '/v1/plans?year=2022&stage=continuing' }));
    expect(continuing.items.map((p: { projectId: string }) => p.projectId)).toEqual([b.id]);
    const paged = json(await ctx.app.inject({ method: 'GET', url: '/v1/plans?limit=3' }));
    expect(paged.items).toHaveLength(3);
    const rest = json(await ctx.app.inject({ method: 'GET', url: `/v1/plans?limit=3&cursor=${paged.nextCursor}` }));
    expect(rest.items).toHaveLength(1);
  });
});
