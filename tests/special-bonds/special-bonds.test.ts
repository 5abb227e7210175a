import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { insertDepartment, insertProject } from '../support/direct-rows.js';

const ctx = useTestApp();

async function project(code = 'P1') {
  return insertProject(ctx, { departmentId: await insertDepartment(ctx, `D${code}`), code });
}

function createBond(body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/special-bonds', payload: body, headers: { 'x-actor': 'finance' } });
}

function patchBond(id: string, body: Record<string, unknown>, etag?: string) {
  return ctx.app.inject({ method: 'PATCH', url: `/v1/special-bonds/${id}`, payload: body, headers: etag ? { 'if-match': etag } : {} });
}

const application = { bondBatch: '2022年第一批', appliedOn: '2021-11-15', amountRequested: '12000.0000' };

describe('special bonds', () => {
  it('records an application as pending, with an ETag and a Location, and reads it back', async () => {
    const projectId = await project();
    const created = await createBond({ projectId, ...application });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({ projectId, outcome: 'pending', amountRequested: '12000.0000', amountGranted: null, decidedOn: null, version: 1 });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/special-bonds/${body.id}`);

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/special-bonds/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual(body);
  });

  it('refuses an unknown field with a 400 that names it', async () => {
    const response = await createBond({ projectId: await project(), ...application, interestRate: '3.2' });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(json(response).errors)).toContain('interestRate');
  });

  it('refuses a project that does not exist with a 422', async () => {
    const response = await createBond({ projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', ...application });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ code: 'foreign_key_violation', constraint: 'special_bonds_project_id_projects_id_fk' });
  });

  it('refuses a money amount given as a number rather than a decimal string', async () => {
    const response = await createBond({ projectId: await project(), appliedOn: '2021-11-15', amountRequested: 12000 });
    expect(response.statusCode).toBe(400);
  });

  it('records a grant only with an amount and a decision date', async () => {
    const id = json(await createBond({ projectId: await project(), ...application })).id;
    const withoutAmount = await patchBond(id, { outcome: 'granted', decidedOn: '2022-03-10' }, '"v1"');
    expect(withoutAmount.statusCode).toBe(422);
    expect(json(withoutAmount).code).toBe('bond_grant_incomplete');
    const withoutDate = await patchBond(id, { outcome: 'granted', amountGranted: '10000.0000' }, '"v1"');
    expect(json(withoutDate).code).toBe('bond_grant_incomplete');

    const granted = await patchBond(id, { outcome: 'granted', amountGranted: '10000.0000', decidedOn: '2022-03-10' }, '"v1"');
    expect(granted.statusCode).toBe(200);
    expect(json(granted)).toMatchObject({ outcome: 'granted', amountGranted: '10000.0000', decidedOn: '2022-03-10', version: 2 });
    expect(granted.headers.etag).toBe('"v2"');
  });

  it('refuses a grant on creation without its amount', async () => {
    const response = await createBond({ projectId: await project(), ...application, outcome: 'granted', decidedOn: '2022-03-10' });
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('bond_grant_incomplete');
  });

  it('refuses a grant larger than the request, comparing the decimals exactly', async () => {
    const id = json(await createBond({ projectId: await project(), ...application })).id;
    const over = await patchBond(id, { outcome: 'granted', amountGranted: '12000.0001', decidedOn: '2022-03-10' }, '"v1"');
    expect(over.statusCode).toBe(422);
    expect(json(over)).toMatchObject({ code: 'bond_grant_exceeds_request', amountGranted: '12000.0001', amountRequested: '12000.0000' });
    const all = await patchBond(id, { outcome: 'granted', amountGranted: '12000', decidedOn: '2022-03-10' }, '"v1"');
    expect(all.statusCode).toBe(200);
    expect(json(all).amountGranted).toBe('12000.0000');
  });

  it('keeps amounts and decisions consistent with the outcome', async () => {
    const id = json(await createBond({ projectId: await project(), ...application })).id;
    const amountWhileRejected = await patchBond(id, { outcome: 'rejected', amountGranted: '1.0000', decidedOn: '2022-03-10' }, '"v1"');
    expect(json(amountWhileRejected).code).toBe('bond_amount_without_grant');
    const decidedWhilePending = await patchBond(id, { decidedOn: '2022-03-10' }, '"v1"');
    expect(json(decidedWhilePending).code).toBe('bond_decided_while_pending');
    const decidedTooEarly = await patchBond(id, { outcome: 'rejected', decidedOn: '2021-01-01' }, '"v1"');
    expect(json(decidedTooEarly).code).toBe('bond_decided_before_applied');
    const rejected = await patchBond(id, { outcome: 'rejected', decidedOn: '2022-03-10' }, '"v1"');
    expect(rejected.statusCode).toBe(200);
  });

  it('requires If-Match to change or delete, and answers 412 to a stale one before judging the change', async () => {
    const id = json(await createBond({ projectId: await project(), ...application })).id;
    expect((await patchBond(id, { notes: '补充材料' })).statusCode).toBe(428);
    expect((await patchBond(id, { notes: '补充材料' }, '"v1"')).statusCode).toBe(200);
    const stale = await patchBond(id, { outcome: 'granted' }, '"v1"');
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/special-bonds/${id}` })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/special-bonds/${id}`, headers: { 'if-match': '"v1"' } })).statusCode).toBe(412);
  });

  it('deletes an application and keeps it in the audit trail', async () => {
    const id = json(await createBond({ projectId: await project(), ...application })).id;
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/special-bonds/${id}`, headers: { 'if-match': '"v1"', 'x-actor': 'finance' } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/special-bonds/${id}` })).statusCode).toBe(404);

    const trail = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=special_bond&resourceId=${id}` }));
    expect(trail.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'create']);
    const [adminKey] = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items;
    expect(trail.items[0]).toMatchObject({ actor: adminKey.id, actorRole: 'admin', onBehalfOf: 'finance', after: null, before: { id, amountRequested: '12000.0000' } });
  });

  it('lists by project, outcome, year of application and decision dates, in pages', async () => {
    const a = await project('A');
    const b = await project('B');
    const q1 = { outcome: 'granted', amountGranted: '5000.0000' };
    await createBond({ projectId: a, appliedOn: '2021-11-01', amountRequested: '5000.0000', ...q1, decidedOn: '2022-01-20' });
    await createBond({ projectId: a, appliedOn: '2022-01-05', amountRequested: '5000.0000', ...q1, decidedOn: '2022-03-31' });
    await createBond({ projectId: b, appliedOn: '2022-02-01', amountRequested: '5000.0000', ...q1, decidedOn: '2022-04-01' });
    await createBond({ projectId: b, appliedOn: '2022-02-02', amountRequested: '5000.0000' });

    const dates = (url: string) =>
      ctx.app.inject({ method: 'GET', url }).then((r) => json(r).items.map((i: { appliedOn: string }) => i.appliedOn));
    expect(await dates(`/v1/special-bonds?projectId=${a}`)).toEqual(['2021-11-01', '2022-01-05']);
    expect(await dates('/v1/special-bonds?outcome=pending')).toEqual(['2022-02-02']);
    expect(await dates('/v1/special-bonds?year=2022')).toEqual(['2022-01-05', '2022-02-01', '2022-02-02']);
    expect(await dates('/v1/special-bonds?outcome=granted&decidedFrom=2022-01-01&decidedTo=2022-03-31')).toEqual(['2021-11-01', '2022-01-05']);

    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/special-bonds?limit=3' }));
    expect(first.items).toHaveLength(3);
    const second = json(await ctx.app.inject({ method: 'GET', url: `/v1/special-bonds?limit=3&cursor=${first.nextCursor}` }));
    expect(second.items.map((i: { appliedOn: string }) => i.appliedOn)).toEqual(['2022-02-02']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a decision-date range that ends before it starts', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/special-bonds?decidedFrom=2022-04-01&decidedTo=2022-03-31' });
    expect(response.statusCode).toBe(400);
  });
});
