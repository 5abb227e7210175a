import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { dateInChina } from '../../src/lib/china-time.js';

/**
 * Issue #16: the departments are assessed on the figures they feed, so no key may bend them — each
 * case below succeeded before.
 */
const ctx = useTestApp();

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const tomorrow = () => {
  const d = new Date(Date.now() + 36 * 3600 * 1000);
  return dateInChina(d);
};

async function post(url: string, payload: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url, payload, headers });
}

/** Two departments, a leader, a project of the first department under construction, with the leader assigned. */
async function town() {
  const d1 = json(await post('/v1/departments', { code: 'D1', name: '住建局' }));
  const d2 = json(await post('/v1/departments', { code: 'D2', name: '发改局' }));
  const leader = json(await post('/v1/leaders', { name: '张镇长', title: '镇长' }));
  const project = json(
    await post('/v1/projects', { code: 'P1', name: '道路', ownerUnit: '城投', category: 'transport', estimatedInvestment: '1000', departmentId: d1.id, statusDate: '2022-01-05' }),
  );
  await post(`/v1/projects/${project.id}/transitions`, { toStatus: 'approved', effectiveDate: '2022-01-10' }, { 'if-match': '"v1"' });
  await post(`/v1/projects/${project.id}/transitions`, { toStatus: 'under_construction', effectiveDate: '2022-02-10' }, { 'if-match': '"v2"' });
  const assignment = json(await post('/v1/leader-assignments', { leaderId: leader.id, projectId: project.id, role: 'lead', startDate: '2022-01-01', endDate: '2022-03-31' }));
  return { d1, d2, leader, project, assignment };
}

describe('write rules the departments cannot bend', () => {
  it('stamps a department key’s report with the server’s time: an earlier submittedAt is refused, the office may give one', async () => {
    const { d1, project } = await town();
    const department = await ctx.key({ role: 'department', departmentId: d1.id });
    const backdated = await post(
      '/v1/progress-reports',
      { projectId: project.id, period: '2022-03-H1', investmentCompleted: '10', physicalProgress: '5.00', workOngoing: true, submittedAt: '2022-03-16T02:00:00Z' },
      bearer(department),
    );
    expect(backdated.statusCode).toBe(403);
    expect(json(backdated)).toMatchObject({ code: 'office_only_field', field: 'submittedAt' });
    const stamped = await post('/v1/progress-reports', { projectId: project.id, period: '2022-03-H1', investmentCompleted: '10', physicalProgress: '5.00', workOngoing: true }, bearer(department));
    expect(stamped.statusCode, stamped.body).toBe(201);
    expect(json(stamped).late).toBe(true);
    const office = await post('/v1/progress-reports', { projectId: project.id, period: '2022-03-H2', investmentCompleted: '10', physicalProgress: '6.00', workOngoing: true, submittedAt: '2022-04-01T02:00:00Z' });
    expect(office.statusCode, office.body).toBe(201);
    expect(json(office)).toMatchObject({ late: false, submittedAt: '2022-04-01T02:00:00Z' });
  });

  it('lets the assigned department move its issue and resolve it, but not reassign it or move its due date', async () => {
    const { d1, d2, project } = await town();
    const issue = json(
      await post('/v1/issues', { projectId: project.id, title: '用电', category: 'power', source: 'enterprise_request', raisedOn: '2022-02-01', dueDate: '2022-02-10', handlingMode: 'immediate', assignedDepartmentId: d2.id }),
    );
    const assigned = await ctx.key({ role: 'department', departmentId: d2.id });
    const patch = (payload: object, version: number) =>
      ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${issue.id}`, payload, headers: { ...bearer(assigned), 'if-match': `"v${version}"` } });
    const reassign = await patch({ assignedDepartmentId: d1.id }, 1);
    expect(reassign.statusCode).toBe(403);
    expect(json(reassign)).toMatchObject({ code: 'office_only_field', field: 'assignedDepartmentId' });
    const postpone = await patch({ dueDate: '2030-12-31' }, 1);
    expect(json(postpone)).toMatchObject({ code: 'office_only_field', field: 'dueDate' });
    expect((await patch({ assigneeName: '供电所 王工' }, 1)).statusCode).toBe(200);
    const resolved = await ctx.app.inject({
      method: 'POST', url: `/v1/issues/${issue.id}/transitions`,
      payload: { toStatus: 'resolved', resolution: '已送电', resolvedOn: '2022-02-08' },
      headers: { ...bearer(assigned), 'if-match': '"v2"' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    // The office may do both.
    const office = await ctx.app.inject({ method: 'PATCH', url: `/v1/issues/${issue.id}`, payload: { dueDate: '2022-02-20' }, headers: { 'if-match': '"v3"' } });
    expect(office.statusCode, office.body).toBe(200);
  });

  it('refuses every date of something that has happened if it lies in the future, with one code naming the field', async () => {
    const { project } = await town();
    const issue = json(await post('/v1/issues', { projectId: project.id, title: '用地', category: 'land', source: 'enterprise_request', raisedOn: '2022-02-01', handlingMode: 'on_site', assignedDepartmentId: project.departmentId }));
    const later = tomorrow();
    const cases: [string, () => Promise<{ statusCode: number; body: string }>][] = [
      ['resolvedOn', () => post(`/v1/issues/${issue.id}/transitions`, { toStatus: 'resolved', resolution: '好', resolvedOn: later }, { 'if-match': '"v1"' })],
      ['raisedOn', () => post('/v1/issues', { projectId: project.id, title: '水', category: 'water', source: 'enterprise_request', raisedOn: later, handlingMode: 'on_site', assignedDepartmentId: project.departmentId })],
      ['inspectedOn', () => post('/v1/inspections', { kind: 'supervision', inspectedOn: later, title: '督查', projectIds: [project.id] })],
      ['decidedOn', () => post('/v1/special-bonds', { projectId: project.id, bondBatch: '第一批', appliedOn: '2022-01-10', amountRequested: '100', outcome: 'granted', amountGranted: '100', decidedOn: later })],
      ['ceremonyDate', () => post('/v1/groundbreaking-batches', { name: '集体开工', ceremonyDate: later, status: 'held' })],
      ['effectiveDate', () => post(`/v1/projects/${project.id}/transitions`, { toStatus: 'suspended', effectiveDate: later }, { 'if-match': '"v3"' })],
      ['submittedAt', () => post('/v1/progress-reports', { projectId: project.id, period: '2022-04-H1', investmentCompleted: '1', physicalProgress: '1.00', workOngoing: true, submittedAt: new Date(Date.now() + 3_600_000).toISOString() })],
    ];
    for (const [field, send] of cases) {
      const response = await send();
      expect(response.statusCode, `${field}: ${response.body}`).toBe(422);
      expect(JSON.parse(response.body), field).toMatchObject({ code: 'date_in_future', field });
    }
    // A ceremony still planned may be in the future.
    expect((await post('/v1/groundbreaking-batches', { name: '二季度集体开工', ceremonyDate: later, status: 'planned' })).statusCode).toBe(201);
  });

  it('lets a leader record a visit on a day it watched the project, after its assignment ended, and not for a day it did not', async () => {
    const { leader, project } = await town();
    const key = await ctx.key({ role: 'leader', leaderId: leader.id });
    const visit = (inspectedOn: string) => post('/v1/inspections', { kind: 'leader_visit', inspectedOn, title: '走访', projectIds: [project.id] }, bearer(key));
    expect((await visit('2022-02-15')).statusCode).toBe(201);
    const after = await visit('2022-04-15');
    expect(after.statusCode).toBe(403);
    expect(json(after).code).toBe('forbidden_scope');
  });

  it('refuses to archive a department that still answers for projects, or a leader still assigned, naming them; an archive can be undone', async () => {
    const { d1, d2, leader, project, assignment } = await town();
    const department = await ctx.app.inject({ method: 'DELETE', url: `/v1/departments/${d1.id}`, headers: { 'if-match': '"v1"' } });
    expect(department.statusCode).toBe(409);
    expect(json(department)).toMatchObject({ code: 'department_in_use', projectIds: [project.id] });
    // Assignments that ended are history, not use; one that goes on is.
    await ctx.testDb.database.db.execute(sql`update leader_assignments set end_date = null where id = ${assignment.id}`);
    const busy = await ctx.app.inject({ method: 'DELETE', url: `/v1/leaders/${leader.id}`, headers: { 'if-match': '"v1"' } });
    expect(busy.statusCode).toBe(409);
    expect(json(busy)).toMatchObject({ code: 'leader_in_use', assignmentIds: [assignment.id] });

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/departments/${d2.id}`, headers: { 'if-match': '"v1"' } })).statusCode).toBe(204);
    const restored = await post(`/v1/departments/${d2.id}/restore`, {}, { 'if-match': '"v2"' });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(json(restored)).toMatchObject({ archivedAt: null, version: 3 });
    const actions = await ctx.testDb.database.db.execute(sql`select action from audit_events where resource_id = ${d2.id} order by id`);
    expect((actions as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual(['create', 'archive', 'restore']);

    const archived = await ctx.app.inject({ method: 'DELETE', url: `/v1/projects/${project.id}`, headers: { 'if-match': '"v3"' } });
    expect(archived.statusCode).toBe(204);
    const back = await post(`/v1/projects/${project.id}/restore`, {}, { 'if-match': '"v4"' });
    expect(json(back)).toMatchObject({ archivedAt: null, version: 5 });
  });

  it('records any UTF-8 name as X-Actor, raw or as RFC 8187 X-Actor*, and refuses one that is not a name with 400', async () => {
    const created = async (headers: Record<string, string>, code: string) => post('/v1/departments', { code, name: code }, headers);
    const onBehalfOf = async (id: string) =>
      ((await ctx.testDb.database.db.execute(sql`select on_behalf_of from audit_events where resource_id = ${id}`)) as unknown as { rows: { on_behalf_of: string }[] }).rows[0]!.on_behalf_of;
    // On the wire a UTF-8 name arrives as bytes Node reads as Latin-1.
    const raw = await created({ 'x-actor': Buffer.from('王科长', 'utf8').toString('latin1') }, 'A1');
    expect(raw.statusCode).toBe(201);
    expect(await onBehalfOf(json(raw).id)).toBe('王科长');
    const extended = await created({ 'x-actor*': "UTF-8''%E6%9D%8E%E4%B8%BB%E4%BB%BB" }, 'A2');
    expect(await onBehalfOf(json(extended).id)).toBe('李主任');
    for (const bad of ['\u00ff\u00fe', 'a<script>', "UTF-8''%FF"]) {
      const header: Record<string, string> = bad.startsWith('UTF-8') ? { 'x-actor*': bad } : { 'x-actor': bad };
      const response = await created(header, 'B1');
      expect(response.statusCode, bad).toBe(400);
      expect(json(response).code, bad).toBe('invalid_actor');
    }
  });
});
