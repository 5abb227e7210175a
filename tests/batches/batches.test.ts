import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { insertDepartment, insertPlan, insertProject } from '../support/direct-rows.js';
import { annualPlans } from '../../src/modules/plans/plans.table.js';

const ctx = useTestApp();

const firstQuarter = { name: '2022年第一季度重点项目集体开工', ceremonyDate: '2022-02-16', status: 'held', location: '坦洲园' };

function createBatch(body: Record<string, unknown> = firstQuarter) {
  return ctx.app.inject({ method: 'POST', url: '/v1/groundbreaking-batches', payload: body, headers: { 'x-actor': 'office' } });
}

function getBatch(id: string) {
  return ctx.app.inject({ method: 'GET', url: `/v1/groundbreaking-batches/${id}` });
}

describe('groundbreaking batches', () => {
  it('creates a batch, returns it with an ETag and a Location, and audits it', async () => {
    const created = await createBatch();
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({ ...firstQuarter, notes: null, version: 1 });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/groundbreaking-batches/${body.id}`);
    const trail = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=groundbreaking_batch&resourceId=${body.id}` }));
    const [adminKey] = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items;
    expect(trail.items).toMatchObject([{ action: 'create', actor: adminKey.id, actorRole: 'admin', onBehalfOf: 'office', after: { name: firstQuarter.name } }]);
  });

  it('defaults the status to planned and refuses an unknown field or status with a 400', async () => {
    expect(json(await createBatch({ name: '第二批', ceremonyDate: '2022-05-20' })).status).toBe('planned');
    const unknown = await createBatch({ ...firstQuarter, projectIds: [] });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('projectIds');
    expect((await createBatch({ ...firstQuarter, status: 'postponed' })).statusCode).toBe(400);
  });

  it('shows the projects of its plans and their total investment summed exactly', async () => {
    const departmentId = await insertDepartment(ctx);
    const batchId = json(await createBatch()).id;
    const a = await insertProject(ctx, { departmentId, code: 'TZ-001', estimatedInvestment: '0.0001' });
    const b = await insertProject(ctx, { departmentId, code: 'TZ-002', estimatedInvestment: '1.0002' });
    const c = await insertProject(ctx, { departmentId, code: 'TZ-003', estimatedInvestment: '77998.9997' });
    const outside = await insertProject(ctx, { departmentId, code: 'TZ-004', estimatedInvestment: '5.0000' });
    await insertPlan(ctx, { projectId: a, batchId });
    await insertPlan(ctx, { projectId: b, batchId });
    await insertPlan(ctx, { projectId: c, batchId });
    await insertPlan(ctx, { projectId: c, batchId, list: 'town_key_industrial' });
    await insertPlan(ctx, { projectId: outside });

    const detail = await getBatch(batchId);
    expect(detail.statusCode).toBe(200);
    expect(detail.headers.etag).toBe('"v1"');
    const body = json(detail);
    expect(body.projects.map((p: { code: string; list: string }) => `${p.code}/${p.list}`)).toEqual([
      'TZ-001/city_key',
      'TZ-002/city_key',
      'TZ-003/city_key',
      'TZ-003/town_key_industrial',
    ]);
    expect(body.projects[0]).toMatchObject({ projectId: a, name: '项目TZ-001', estimatedInvestment: '0.0001', year: 2022 });
    expect(body.projectCount).toBe(3);
    expect(body.totalEstimatedInvestment).toBe('78000.0000');
  });

  it('sums decimals that binary floating point would get wrong', async () => {
    const departmentId = await insertDepartment(ctx);
    const batchId = json(await createBatch()).id;
    for (const [code, amount] of [['X1', '0.1000'], ['X2', '0.2000'], ['X3', '0.0001'], ['X4', '12345678901234.5678']]) {
      await insertPlan(ctx, { projectId: await insertProject(ctx, { departmentId, code: code!, estimatedInvestment: amount! }), batchId });
    }
    expect(json(await getBatch(batchId)).totalEstimatedInvestment).toBe('12345678901234.8679');
  });

  it('shows an empty batch with a zero total', async () => {
    const body = json(await getBatch(json(await createBatch()).id));
    expect(body).toMatchObject({ projects: [], projectCount: 0, totalEstimatedInvestment: '0.0000' });
  });

  it('lists by year and status, ordered by ceremony date, in pages', async () => {
    await createBatch({ name: '第二批', ceremonyDate: '2022-05-20' });
    await createBatch();
    await createBatch({ name: '2021年第四季度', ceremonyDate: '2021-11-30', status: 'held' });
    await createBatch({ name: '取消的一批', ceremonyDate: '2022-08-01', status: 'cancelled' });

    const names = async (query: string) =>
      json(await ctx.app.inject({ method: 'GET', url: `/v1/groundbreaking-batches${query}` })).items.map((b: { ceremonyDate: string }) => b.ceremonyDate);
    expect(await names('?year=2022')).toEqual(['2022-02-16', '2022-05-20', '2022-08-01']);
    expect(await names('?status=held')).toEqual(['2021-11-30', '2022-02-16']);
    expect(await names('?year=2022&status=planned')).toEqual(['2022-05-20']);

    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/groundbreaking-batches?limit=3' }));
    expect(first.items).toHaveLength(3);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/groundbreaking-batches?limit=3&cursor=${first.nextCursor}` }));
    expect(second.items.map((b: { ceremonyDate: string }) => b.ceremonyDate)).toEqual(['2022-08-01']);
    expect(second.nextCursor).toBeNull();
  });

  it('requires If-Match to change a batch and refuses a stale one', async () => {
    const id = json(await createBatch({ name: '第二批', ceremonyDate: '2022-05-20' })).id;
    const patch = (headers: Record<string, string>, payload: Record<string, unknown> = { status: 'held' }) =>
      ctx.app.inject({ method: 'PATCH', url: `/v1/groundbreaking-batches/${id}`, payload, headers });
    expect((await patch({})).statusCode).toBe(428);
    const ok = await patch({ 'if-match': '"v1"' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ status: 'held', version: 2 });
    expect((await patch({ 'if-match': '"v1"' }, { notes: '推迟' })).statusCode).toBe(412);
    expect((await patch({ 'if-match': '"v2"' }, { colour: 'red' })).statusCode).toBe(400);
  });

  it('refuses to delete a batch that plans still reference, and deletes it once they let go', async () => {
    const departmentId = await insertDepartment(ctx);
    const batchId = json(await createBatch()).id;
    const planId = await insertPlan(ctx, { projectId: await insertProject(ctx, { departmentId, code: 'TZ-001' }), batchId });
    const remove = (etag?: string) =>
      ctx.app.inject({ method: 'DELETE', url: `/v1/groundbreaking-batches/${batchId}`, headers: etag ? { 'if-match': etag } : {} });

    expect((await remove()).statusCode).toBe(428);
    expect((await remove('"v9"')).statusCode).toBe(412);
    const refused = await remove('"v1"');
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ code: 'batch_has_plans', planIds: [planId] });
    expect(json(refused).detail).toContain('batchId');

    await ctx.testDb.database.db.update(annualPlans).set({ batchId: null }).where(eq(annualPlans.id, planId));
    expect((await remove('"v1"')).statusCode).toBe(204);
    expect((await getBatch(batchId)).statusCode).toBe(404);
    const trail = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceId=${batchId}&action=delete` }));
    expect(trail.items[0].before).toMatchObject({ id: batchId, name: firstQuarter.name });
  });
});
