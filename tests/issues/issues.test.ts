import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';
import { dateInChina } from '../../src/lib/china-time.js';

const ctx = useTestApp();
const f = fixtures(ctx);

const MISSING_ID = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';

/** A project, the 供电 department and an inspection of the project, with a valid issue body for them. */
async function scene() {
  const gd = await f.department('供电');
  const projectId = await f.project(gd);
  const inspection = await f.inspection({ projectIds: [projectId] });
  const body = {
    projectId,
    title: '临时用电报装',
    description: '复工检查发现施工临时用电尚未报装',
    category: 'power',
    source: 'inspection',
    inspectionId: inspection.id,
    raisedBy: '镇领导',
    raisedOn: '2022-02-10',
    handlingMode: 'immediate',
    assignedDepartmentId: gd,
    assigneeName: '供电所 王工',
    dueDate: '2022-02-15',
  };
  return { gd, projectId, inspectionId: inspection.id, body };
}

function createIssue(payload: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/issues', payload, headers: { 'x-actor': 'sanban' } });
}

function transition(id: string, etag: string | undefined, payload: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: `/v1/issues/${id}/transitions`, payload, headers: etag ? { 'if-match': etag } : {} });
}

describe('issues', () => {
  it('records an issue raised at an inspection as open, with an ETag and a Location, and audits it', async () => {
    const { body } = await scene();
    const created = await createIssue(body);
    expect(created.statusCode).toBe(201);
    const issue = json(created);
    expect(issue).toMatchObject({ ...body, status: 'open', resolution: null, resolvedOn: null, reportId: null, version: 1 });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/issues/${issue.id}`);
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/issues/${issue.id}` }))).toEqual(issue);

    const audit = await f.auditRows('issue');
    expect(audit).toEqual([expect.objectContaining({ actor: await f.adminKeyId(), on_behalf_of: 'sanban', action: 'create', resource_id: issue.id })]);
  });

  it('refuses an inspection issue on a project the inspection did not cover with a 422', async () => {
    const { gd, body } = await scene();
    const otherProject = await f.project(gd, '世融');
    const response = await createIssue({ ...body, projectId: otherProject });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ code: 'project_not_in_inspection', projectId: otherProject, inspectionId: body.inspectionId });
  });

  it('requires the inspection when the source is inspection', async () => {
    const { body } = await scene();
    const { inspectionId: _dropped, ...withoutInspection } = body;
    const response = await createIssue(withoutInspection);
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('inspection_required');
    expect((await createIssue({ ...withoutInspection, source: 'enterprise_request' })).statusCode).toBe(201);
  });

  it('refuses ids that name nothing with a 422 foreign_key_violation', async () => {
    const { body } = await scene();
    for (const change of [{ assignedDepartmentId: MISSING_ID }, { inspectionId: MISSING_ID }, { source: 'report', inspectionId: null, reportId: MISSING_ID }]) {
      const response = await createIssue({ ...body, ...change });
      expect(response.statusCode).toBe(422);
      expect(json(response).code).toBe('foreign_key_violation');
    }
    expect(await f.auditRows('issue')).toEqual([]);
  });

  it('refuses unknown fields, status in a create or a PATCH, and bad codes with a 400', async () => {
    const { body } = await scene();
    const unknown = await createIssue({ ...body, priority: 'high' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('priority');
    expect((await createIssue({ ...body, status: 'resolved' })).statusCode).toBe(400);
    expect((await createIssue({ ...body, handlingMode: 'someday' })).statusCode).toBe(400);

    const id = json(await createIssue(body)).id;
    const patch = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, headers: { 'if-match': '"v1"' }, payload: { status: 'resolved' } });
    expect(patch.statusCode).toBe(400);
    expect(JSON.stringify(json(patch).errors)).toContain('status');
  });

  it('changes editable fields with a current If-Match only, re-checking the inspection rule', async () => {
    const { body } = await scene();
    const id = json(await createIssue(body)).id;
    expect((await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, payload: { assigneeName: '李工' } })).statusCode).toBe(428);

    const ok = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, headers: { 'if-match': '"v1"' }, payload: { assigneeName: '李工', dueDate: '2022-02-18' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ assigneeName: '李工', dueDate: '2022-02-18', status: 'open', version: 2 });
    expect(ok.headers.etag).toBe('"v2"');

    const stale = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, headers: { 'if-match': '"v1"' }, payload: { assigneeName: '陈工' } });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });

    const unlinked = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, headers: { 'if-match': '"v2"' }, payload: { inspectionId: null } });
    expect(unlinked.statusCode).toBe(422);
    expect(json(unlinked).code).toBe('inspection_required');

    const early = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${id}`, headers: { 'if-match': '"v2"' }, payload: { dueDate: '2022-02-01' } });
    expect(early.statusCode).toBe(422);
    expect(json(early).code).toBe('due_before_raised');

    expect((await f.auditRows('issue')).map((r) => r.action)).toEqual(['create', 'update']);
  });

  it('resolves an issue only with resolution text and date, and audits the transition', async () => {
    const { body } = await scene();
    const id = json(await createIssue(body)).id;
    const started = await transition(id, '"v1"', { toStatus: 'in_progress' });
    expect(started.statusCode).toBe(200);
    expect(json(started)).toMatchObject({ status: 'in_progress', version: 2 });

    const bare = await transition(id, '"v2"', { toStatus: 'resolved' });
    expect(bare.statusCode).toBe(422);
    expect(json(bare).code).toBe('resolution_required');
    const noDate = await transition(id, '"v2"', { toStatus: 'resolved', resolution: '已送电' });
    expect(json(noDate).code).toBe('resolution_required');
    const beforeRaised = await transition(id, '"v2"', { toStatus: 'resolved', resolution: '已送电', resolvedOn: '2022-02-01' });
    expect(beforeRaised.statusCode).toBe(422);
    expect(json(beforeRaised).code).toBe('resolved_before_raised');

    const resolved = await transition(id, '"v2"', { toStatus: 'resolved', resolution: '供电部门马上办，已完成临时用电报装并送电', resolvedOn: '2022-02-12' });
    expect(resolved.statusCode).toBe(200);
    expect(json(resolved)).toMatchObject({ status: 'resolved', resolvedOn: '2022-02-12', version: 3 });
    expect(resolved.headers.etag).toBe('"v3"');

    const audit = await f.auditRows('issue');
    expect(audit.map((r) => r.action)).toEqual(['create', 'transition', 'transition']);
    expect(audit[2]).toMatchObject({ before: { status: 'in_progress' }, after: { status: 'resolved' } });
  });

  it('refuses an illegal transition with a 409 that lists the allowed ones', async () => {
    const { body } = await scene();
    const id = json(await createIssue(body)).id;
    const same = await transition(id, '"v1"', { toStatus: 'open' });
    expect(same.statusCode).toBe(409);
    expect(json(same)).toMatchObject({ code: 'illegal_transition', allowed: ['in_progress', 'resolved', 'withdrawn'] });

    expect((await transition(id, '"v1"', { toStatus: 'withdrawn', resolution: '企业已自行解决' })).statusCode).toBe(200);
    const reopened = await transition(id, '"v2"', { toStatus: 'in_progress' });
    expect(reopened.statusCode).toBe(409);
    expect(json(reopened)).toMatchObject({ code: 'illegal_transition', fromStatus: 'withdrawn', toStatus: 'in_progress', allowed: [] });
  });

  it('needs a current If-Match for a transition', async () => {
    const { body } = await scene();
    const id = json(await createIssue(body)).id;
    expect((await transition(id, undefined, { toStatus: 'in_progress' })).statusCode).toBe(428);
    const stale = await transition(id, '"v7"', { toStatus: 'in_progress' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).currentEtag).toBe('"v1"');
  });

  it('filters by status, handling mode, factor guarantee (category), department and project, latest raised first', async () => {
    const { gd, projectId, body } = await scene();
    const zj = await f.department('住建');
    const otherProject = await f.project(zj);
    const power = json(await createIssue(body)).id;
    const permit = json(
      await createIssue({ ...body, projectId: otherProject, source: 'enterprise_request', inspectionId: null, title: '车辆通行证', category: 'epidemic', handlingMode: 'on_site', assignedDepartmentId: zj, raisedOn: '2022-02-11' }),
    ).id;
    const land = json(await createIssue({ ...body, title: '用地报批', category: 'land', handlingMode: 'dedicated', raisedOn: '2022-02-09' })).id;
    await transition(land, '"v1"', { toStatus: 'in_progress' });
    const ids = async (query: string) => json(await ctx.app.inject({ method: 'GET', url: `/v1/issues${query}` })).items.map((i: { id: string }) => i.id);

    expect(await ids('')).toEqual([permit, power, land]);
    expect(await ids('?status=in_progress')).toEqual([land]);
    expect(await ids('?handlingMode=on_site')).toEqual([permit]);
    expect(await ids('?category=land')).toEqual([land]);
    expect(await ids('?category=labour')).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/issues?category=roads' })).statusCode).toBe(400);
    expect(await ids(`?departmentId=${gd}`)).toEqual([power, land]);
    expect(await ids(`?projectId=${projectId}&handlingMode=immediate`)).toEqual([power]);
    expect(await ids(`?inspectionId=${body.inspectionId}`)).toEqual([power, land]);
  });

  it('finds overdue issues: open or in progress with a due date before asOf', async () => {
    const { body } = await scene();
    const late = json(await createIssue({ ...body, title: '逾期未办', dueDate: '2022-02-15' })).id;
    const lateInProgress = json(await createIssue({ ...body, title: '办理中逾期', dueDate: '2022-02-14' })).id;
    await transition(lateInProgress, '"v1"', { toStatus: 'in_progress' });
    const done = json(await createIssue({ ...body, title: '已解决', dueDate: '2022-02-12' })).id;
    await transition(done, '"v1"', { toStatus: 'resolved', resolution: '已办结', resolvedOn: '2022-02-20' });
    const dueOnDay = json(await createIssue({ ...body, title: '当天到期', dueDate: '2022-03-01' })).id;
    const noDue = json(await createIssue({ ...body, title: '无时限', dueDate: null })).id;
    const ids = async (query: string) =>
      json(await ctx.app.inject({ method: 'GET', url: `/v1/issues${query}` })).items.map((i: { id: string }) => i.id).sort();

    expect(await ids('?overdue=true&asOf=2022-03-01')).toEqual([late, lateInProgress].sort());
    expect(await ids('?overdue=false&asOf=2022-03-01')).toEqual([done, dueOnDay, noDue].sort());
    expect(await ids('?overdue=true&asOf=2022-02-15')).toEqual([lateInProgress]);
    // Without asOf the day is today in China, long after 2022.
    expect(await ids('?overdue=true')).toEqual([late, lateInProgress, dueOnDay].sort());
  });

  it('pages through issues with a cursor tied to its filters', async () => {
    const { body } = await scene();
    const made: string[] = [];
    for (const raisedOn of ['2022-02-10', '2022-02-12', '2022-02-10', '2022-02-11', '2022-02-10']) {
      made.push(json(await createIssue({ ...body, raisedOn, dueDate: null })).id);
    }
    const expected = [made[1], made[3], made[4], made[2], made[0]];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/issues?limit=2&status=open${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json(await ctx.app.inject({ method: 'GET', url }));
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const first = json(await ctx.app.inject({ method: 'GET', url: '/v1/issues?limit=2&status=open' }));
    const elsewhere = await ctx.app.inject({ method: 'GET', url: `/v1/issues?limit=2&status=resolved&cursor=${first.nextCursor}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).code).toBe('cursor_filter_mismatch');
  });

  it('deletes an issue raised in error with If-Match and audits the deletion', async () => {
    const { body, inspectionId } = await scene();
    const id = json(await createIssue(body)).id;
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/issues/${id}` })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/issues/${id}`, headers: { 'if-match': '"v2"' } })).statusCode).toBe(412);
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/issues/${id}`, headers: { 'if-match': '"v1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/issues/${id}` })).statusCode).toBe(404);
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/inspections/${inspectionId}` })).issues).toEqual([]);

    const audit = await f.auditRows('issue');
    expect(audit.map((r) => r.action)).toEqual(['create', 'delete']);
    expect(audit[1]).toMatchObject({ resource_id: id, before: { title: '临时用电报装' } });
  });
});

describe('dateInChina', () => {
  it('gives the calendar day in China Standard Time, not in UTC', () => {
    expect(dateInChina(new Date('2022-03-31T16:30:00Z'))).toBe('2022-04-01');
    expect(dateInChina(new Date('2022-03-31T15:30:00Z'))).toBe('2022-03-31');
  });
});
