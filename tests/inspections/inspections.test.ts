import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from '../issues/fixtures.js';

const ctx = useTestApp();
const f = fixtures(ctx);

describe('inspections', () => {
  it('records a resumption check by town leaders and 住建, returns it with an ETag and audits it with its lists', async () => {
    const zj = await f.department('住建');
    const projectId = await f.project(zj);
    const leaderId = await f.leader();
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/inspections',
      headers: { 'x-actor': 'office' },
      payload: {
        kind: 'resumption_check',
        inspectedOn: '2022-02-10',
        title: '重点项目复工检查',
        team: '镇领导、住建局工作专班',
        findings: '临时用电尚未报装',
        projectIds: [projectId],
        leaderIds: [leaderId],
        departmentIds: [zj],
      },
    });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({
      kind: 'resumption_check',
      inspectedOn: '2022-02-10',
      team: '镇领导、住建局工作专班',
      outcome: null,
      projectIds: [projectId],
      leaderIds: [leaderId],
      departmentIds: [zj],
      issues: [],
      version: 1,
    });
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe(`/v1/inspections/${body.id}`);

    const fetched = await ctx.app.inject({ method: 'GET', url: `/v1/inspections/${body.id}` });
    expect(json(fetched)).toEqual(body);

    const audit = await f.auditRows('inspection');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: await f.adminKeyId(), on_behalf_of: 'office', action: 'create', resource_id: body.id, after: { projectIds: [projectId], leaderIds: [leaderId] } });
  });

  it('lists the issues raised during an inspection', async () => {
    const gd = await f.department('供电');
    const projectId = await f.project(gd);
    const inspection = await f.inspection({ projectIds: [projectId] });
    const issue = await ctx.app.inject({
      method: 'POST',
      url: '/v1/issues',
      payload: {
        projectId,
        title: '临时用电报装',
        category: 'power',
        source: 'inspection',
        inspectionId: inspection.id,
        raisedOn: '2022-02-10',
        handlingMode: 'immediate',
        assignedDepartmentId: gd,
      },
    });
    expect(issue.statusCode).toBe(201);
    const fetched = json(await ctx.app.inject({ method: 'GET', url: `/v1/inspections/${inspection.id}` }));
    expect(fetched.issues).toEqual([
      { id: json(issue).id, projectId, title: '临时用电报装', handlingMode: 'immediate', status: 'open' },
    ]);
  });

  it('needs at least one project and refuses unknown fields and repeated ids with a 400', async () => {
    const noProject = await ctx.app.inject({
      method: 'POST',
      url: '/v1/inspections',
      payload: { kind: 'supervision', inspectedOn: '2022-03-01', title: '督查', projectIds: [] },
    });
    expect(noProject.statusCode).toBe(400);
    expect(JSON.stringify(json(noProject).errors)).toContain('projectIds');

    const projectId = await f.project(await f.department());
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/v1/inspections',
      payload: { kind: 'supervision', inspectedOn: '2022-03-01', title: '督查', projectIds: [projectId], weather: 'rain' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('weather');

    const repeated = await ctx.app.inject({
      method: 'POST',
      url: '/v1/inspections',
      payload: { kind: 'supervision', inspectedOn: '2022-03-01', title: '督查', projectIds: [projectId, projectId] },
    });
    expect(repeated.statusCode).toBe(400);
  });

  it('refuses a project, leader or department that does not exist with a 422', async () => {
    const zj = await f.department();
    const projectId = await f.project(zj);
    const missing = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';
    for (const payload of [{ projectIds: [missing] }, { projectIds: [projectId], leaderIds: [missing] }, { projectIds: [projectId], departmentIds: [missing] }]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/v1/inspections',
        payload: { kind: 'leader_visit', inspectedOn: '2022-03-01', title: '走访', ...payload },
      });
      expect(response.statusCode).toBe(422);
      expect(json(response).code).toBe('foreign_key_violation');
    }
    expect(json(await ctx.app.inject({ method: 'GET', url: '/v1/inspections' })).items).toEqual([]);
  });

  it('filters by project, kind and date range, latest first', async () => {
    const zj = await f.department();
    const a = await f.project(zj, '三创');
    const b = await f.project(zj, '世融');
    const first = await f.inspection({ kind: 'resumption_check', inspectedOn: '2022-02-10', projectIds: [a, b] });
    const second = await f.inspection({ kind: 'leader_visit', inspectedOn: '2022-03-05', projectIds: [b] });
    const third = await f.inspection({ kind: 'onsite_office_day', inspectedOn: '2022-03-20', projectIds: [a] });
    const ids = async (query: string) =>
      json(await ctx.app.inject({ method: 'GET', url: `/v1/inspections${query}` })).items.map((i: { id: string }) => i.id);

    expect(await ids('')).toEqual([third.id, second.id, first.id]);
    expect(await ids(`?projectId=${a}`)).toEqual([third.id, first.id]);
    expect(await ids('?kind=leader_visit')).toEqual([second.id]);
    expect(await ids('?dateFrom=2022-03-01&dateTo=2022-03-10')).toEqual([second.id]);
    expect(await ids('?dateTo=2022-02-28')).toEqual([first.id]);

    const listed = json(await ctx.app.inject({ method: 'GET', url: `/v1/inspections?projectId=${a}` })).items;
    expect(listed[1].projectIds).toEqual([a, b].sort());
  });

  it('pages through inspections in a stable order, days tied broken by id', async () => {
    const projectId = await f.project(await f.department());
    const made: string[] = [];
    for (const day of ['2022-02-10', '2022-02-10', '2022-02-10', '2022-03-01', '2022-01-20']) {
      made.push((await f.inspection({ inspectedOn: day, projectIds: [projectId] })).id);
    }
    const expected = [made[3], made[2], made[1], made[0], made[4]];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/inspections?limit=2&kind=resumption_check${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json(await ctx.app.inject({ method: 'GET', url }));
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('replaces the id lists given in a PATCH, keeps the others, and needs a current If-Match', async () => {
    const zj = await f.department('住建');
    const fg = await f.department('发改');
    const a = await f.project(zj);
    const b = await f.project(zj);
    const leaderId = await f.leader();
    const created = await f.inspection({ projectIds: [a], leaderIds: [leaderId], departmentIds: [zj] });

    const without = await ctx.app.inject({ method: 'PATCH', url: `/v1/inspections/${created.id}`, payload: { outcome: '有序复工' } });
    expect(without.statusCode).toBe(428);

    const changed = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/inspections/${created.id}`,
      headers: { 'if-match': '"v1"' },
      payload: { outcome: '有序复工', projectIds: [a, b], departmentIds: [fg] },
    });
    expect(changed.statusCode).toBe(200);
    expect(json(changed)).toMatchObject({ outcome: '有序复工', projectIds: [a, b].sort(), leaderIds: [leaderId], departmentIds: [fg], version: 2 });
    expect(changed.headers.etag).toBe('"v2"');

    const stale = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/inspections/${created.id}`,
      headers: { 'if-match': '"v1"' },
      payload: { outcome: '另一个结果' },
    });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });

    const audit = await f.auditRows('inspection');
    expect(audit.map((r) => r.action)).toEqual(['create', 'update']);
    expect(audit[1]).toMatchObject({ before: { departmentIds: [zj] }, after: { departmentIds: [fg] } });
  });

  it('refuses to drop a project that issues raised during the inspection belong to', async () => {
    const gd = await f.department('供电');
    const a = await f.project(gd);
    const b = await f.project(gd);
    const inspection = await f.inspection({ projectIds: [a, b] });
    const issue = json(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/issues',
        payload: { projectId: a, title: '临时用电报装', category: 'power', source: 'inspection', inspectionId: inspection.id, raisedOn: '2022-02-10', handlingMode: 'immediate', assignedDepartmentId: gd },
      }),
    );
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/inspections/${inspection.id}`,
      headers: { 'if-match': '"v1"' },
      payload: { projectIds: [b] },
    });
    expect(response.statusCode).toBe(409);
    expect(json(response)).toMatchObject({ code: 'inspection_project_has_issues', projectId: a, issueIds: [issue.id] });
  });

  it('deletes an inspection with If-Match, audits it, and keeps its issues unlinked', async () => {
    const gd = await f.department('供电');
    const projectId = await f.project(gd);
    const inspection = await f.inspection({ projectIds: [projectId] });
    const issue = json(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/issues',
        payload: { projectId, title: '临时用电报装', category: 'power', source: 'inspection', inspectionId: inspection.id, raisedOn: '2022-02-10', handlingMode: 'immediate', assignedDepartmentId: gd },
      }),
    );
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/inspections/${inspection.id}` })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/inspections/${inspection.id}`, headers: { 'if-match': '"v9"' } })).statusCode).toBe(412);

    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/inspections/${inspection.id}`, headers: { 'if-match': '"v1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/inspections/${inspection.id}` })).statusCode).toBe(404);

    const kept = json(await ctx.app.inject({ method: 'GET', url: `/v1/issues/${issue.id}` }));
    expect(kept).toMatchObject({ id: issue.id, inspectionId: null, source: 'inspection' });

    const audit = await f.auditRows('inspection');
    expect(audit.map((r) => r.action)).toEqual(['create', 'delete']);
    expect(audit[1]).toMatchObject({ resource_id: inspection.id, before: { projectIds: [projectId] }, after: null });
  });
});
