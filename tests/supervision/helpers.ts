import { expect } from 'vitest';
import { json, type TestContext } from '../support/app.js';
import { bearer } from '../support/keys.js';

export async function post(ctx: TestContext, url: string, payload: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url, payload, headers });
}

export async function made(ctx: TestContext, url: string, payload: object) {
  const response = await post(ctx, url, payload);
  expect(response.statusCode, response.body).toBe(201);
  return json(response);
}

/** A department with one project, an issue assigned to it, a leader watching the project, and keys for both. */
export async function aWorld(ctx: TestContext, tag = 'A') {
  const department = await made(ctx, '/v1/departments', { code: `SV${tag}`, name: `督办${tag}局` });
  const project = await made(ctx, '/v1/projects', {
    code: `TZ-SV-${tag}`, name: `督办项目${tag}`, ownerUnit: '公司', category: 'industrial_investment', estimatedInvestment: '10000', departmentId: department.id, statusDate: '2022-01-05',
  });
  const leader = await made(ctx, '/v1/leaders', { name: `${tag}副镇长`, title: '副镇长' });
  await made(ctx, '/v1/leader-assignments', { leaderId: leader.id, projectId: project.id, role: 'lead', startDate: '2022-01-01' });
  const issue = await made(ctx, '/v1/issues', {
    projectId: project.id, title: '临时用电报装', category: 'power', source: 'other', raisedOn: '2022-02-20', handlingMode: 'immediate', assignedDepartmentId: department.id, dueDate: '2022-03-01',
  });
  const departmentKey = await ctx.key({ role: 'department', departmentId: department.id });
  const leaderKey = await ctx.key({ role: 'leader', leaderId: leader.id });
  return { department, project, leader, issue, departmentKey, leaderKey };
}

export const order = (overrides: object = {}) => ({
  title: '临时用电报装督办', requirement: '请报送整改方案', issuedOn: '2022-03-01', replyDueDate: '2022-03-10', ...overrides,
});

/** A step with the order's current ETag. */
export async function step(ctx: TestContext, id: string, payload: object, key?: string) {
  const current = await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${id}` });
  const headers: Record<string, string> = { 'if-match': String(current.headers.etag), ...(key ? bearer(key) : {}) };
  return post(ctx, `/v1/supervision-orders/${id}/transitions`, payload, headers);
}

export const china = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);
