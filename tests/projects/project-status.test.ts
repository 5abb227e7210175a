import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { adminKeyId, auditOf, makeDepartment, makeProject, transition } from './support.js';

const ctx = useTestApp();

/** Walks a new project through the given (status, date) steps and returns it with its last ETag. */
async function projectThrough(steps: [string, string][], code = 'TZ-2022-001') {
  const fgj = await makeDepartment(ctx, `D-${code}`, `部门${code}`);
  let project = await makeProject(ctx, fgj, { code });
  for (const [toStatus, effectiveDate] of steps) {
    const response = await transition(ctx, project.id, `"v${project.version}"`, { toStatus, effectiveDate });
    if (response.statusCode !== 200) throw new Error(`${toStatus}: ${response.body}`);
    project = json(response);
  }
  return project;
}

async function statusOn(id: string, asOf: string) {
  return json(await ctx.app.inject({ method: 'GET', url: `/v1/projects/${id}/status?asOf=${asOf}` }));
}

describe('project status transitions', () => {
  it.each([
    [[['approved', '2022-01-20']], 'approved'],
    [[['cancelled', '2022-01-20']], 'cancelled'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16']], 'under_construction'],
    [[['approved', '2022-01-20'], ['cancelled', '2022-02-01']], 'cancelled'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16'], ['suspended', '2022-03-01']], 'suspended'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16'], ['completed', '2022-12-20']], 'completed'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16'], ['cancelled', '2022-03-01']], 'cancelled'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16'], ['suspended', '2022-03-01'], ['under_construction', '2022-03-20']], 'under_construction'],
    [[['approved', '2022-01-20'], ['under_construction', '2022-02-16'], ['suspended', '2022-03-01'], ['cancelled', '2022-03-20']], 'cancelled'],
  ] as [[string, string][], string][])('allows the legal path ending in %j → %s', async (steps, final) => {
    const project = await projectThrough(steps);
    expect(project.status).toBe(final);
    expect(project.version).toBe(1 + steps.length);
  });

  it('answers 409 illegal_transition naming the allowed targets, and nothing allowed from a terminal status', async () => {
    const fgj = await makeDepartment(ctx);
    const project = await makeProject(ctx, fgj);
    const illegal = await transition(ctx, project.id, '"v1"', { toStatus: 'completed', effectiveDate: '2022-02-01' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.headers['content-type']).toContain('application/problem+json');
    expect(json(illegal)).toMatchObject({ code: 'illegal_transition', fromStatus: 'planning', toStatus: 'completed', allowed: ['approved', 'cancelled'] });

    const cancelled = await projectThrough([['cancelled', '2022-01-20']], 'TZ-2022-002');
    const fromTerminal = await transition(ctx, cancelled.id, '"v2"', { toStatus: 'approved', effectiveDate: '2022-02-01' });
    expect(json(fromTerminal)).toMatchObject({ code: 'illegal_transition', allowed: [] });
  });

  it('sets the actual start on the first start only, and the actual completion on completion', async () => {
    const project = await projectThrough([
      ['approved', '2022-01-20'],
      ['under_construction', '2022-02-16'],
      ['suspended', '2022-03-01'],
      ['under_construction', '2022-03-20'],
      ['completed', '2022-12-20'],
    ]);
    expect(project).toMatchObject({ actualStartDate: '2022-02-16', actualCompletionDate: '2022-12-20' });
  });

  it('refuses an effective date before the previous change (422) or after today (422)', async () => {
    const project = await projectThrough([['approved', '2022-01-20']]);
    const earlier = await transition(ctx, project.id, '"v2"', { toStatus: 'under_construction', effectiveDate: '2022-01-19' });
    expect(earlier.statusCode).toBe(422);
    expect(json(earlier)).toMatchObject({ code: 'effective_date_before_previous', previousEffectiveDate: '2022-01-20' });
    const future = await transition(ctx, project.id, '"v2"', { toStatus: 'under_construction', effectiveDate: '2999-01-01' });
    expect(future.statusCode).toBe(422);
    expect(json(future).code).toBe('date_in_future');
    const sameDay = await transition(ctx, project.id, '"v2"', { toStatus: 'under_construction', effectiveDate: '2022-01-20' });
    expect(sameDay.statusCode).toBe(200);
  });

  it('requires If-Match (428) and refuses a stale one (412)', async () => {
    const fgj = await makeDepartment(ctx);
    const project = await makeProject(ctx, fgj);
    const without = await ctx.app.inject({
      method: 'POST',
      url: `/v1/projects/${project.id}/transitions`,
      payload: { toStatus: 'approved', effectiveDate: '2022-01-20' },
    });
    expect(without.statusCode).toBe(428);
    await transition(ctx, project.id, '"v1"', { toStatus: 'approved', effectiveDate: '2022-01-20' });
    const stale = await transition(ctx, project.id, '"v1"', { toStatus: 'cancelled', effectiveDate: '2022-01-21' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).currentEtag).toBe('"v2"');
  });

  it('reconstructs the status on any past day from the dated history', async () => {
    const project = await projectThrough([
      ['approved', '2022-01-20'],
      ['under_construction', '2022-02-16'],
      ['suspended', '2022-03-01'],
      ['under_construction', '2022-03-20'],
    ]);
    expect(await statusOn(project.id, '2022-01-04')).toMatchObject({ status: null, effectiveDate: null });
    expect(await statusOn(project.id, '2022-01-05')).toMatchObject({ status: 'planning', effectiveDate: '2022-01-05' });
    expect(await statusOn(project.id, '2022-02-15')).toMatchObject({ status: 'approved' });
    expect(await statusOn(project.id, '2022-03-10')).toMatchObject({ status: 'suspended', effectiveDate: '2022-03-01' });
    expect(await statusOn(project.id, '2022-03-31')).toEqual({
      projectId: project.id,
      asOf: '2022-03-31',
      status: 'under_construction',
      effectiveDate: '2022-03-20',
      knownAt: null,
    });
  });

  it('lists the status history in date order, page by page, and audits each transition', async () => {
    const project = await projectThrough([
      ['approved', '2022-01-20'],
      ['under_construction', '2022-02-16'],
    ]);
    const url = `/v1/projects/${project.id}/status-history`;
    const first = json(await ctx.app.inject({ method: 'GET', url: `${url}?limit=2` }));
    expect(first.items.map((c: { toStatus: string }) => c.toStatus)).toEqual(['planning', 'approved']);
    // Recorded by the key that created the project (X-Actor named 'tester', which is not the actor).
    expect(first.items[0]).toMatchObject({ fromStatus: null, effectiveDate: '2022-01-05', actor: await adminKeyId(ctx) });
    const second = json(await ctx.app.inject({ method: 'GET', url: `${url}?limit=2&cursor=${first.nextCursor}` }));
    expect(second.items).toEqual([expect.objectContaining({ fromStatus: 'approved', toStatus: 'under_construction', effectiveDate: '2022-02-16' })]);
    expect(second.nextCursor).toBeNull();

    expect((await auditOf(ctx, project.id)).map((a) => a.action)).toEqual(['create', 'transition', 'transition']);
  });

  it('answers 404 for the history or status of an unknown project', async () => {
    const id = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/projects/${id}/status-history` })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/projects/${id}/status?asOf=2022-03-31` })).statusCode).toBe(404);
    const transitionMissing = await transition(ctx, id, '"v1"', { toStatus: 'approved', effectiveDate: '2022-01-20' });
    expect(transitionMissing.statusCode).toBe(404);
  });
});
