import type { TestContext } from '../support/app.js';
import { json } from '../support/app.js';

/** Creates a department through the API and returns its id. */
export async function makeDepartment(ctx: TestContext, code = 'FGJ', name = '坦洲镇经济发展和科技信息局（发改）'): Promise<string> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name, shortName: '发改' } });
  if (response.statusCode !== 201) throw new Error(`department not created: ${response.body}`);
  return json(response).id;
}

export function projectBody(departmentId: string, overrides: Record<string, unknown> = {}) {
  return {
    code: 'TZ-2022-001',
    name: '中山坦洲高端显示产业园项目',
    ownerUnit: '中山某显示科技有限公司',
    category: 'industrial_investment',
    industry: '高端显示',
    location: '坦洲园',
    estimatedInvestment: '150000.0000',
    plannedStartDate: '2022-02-16',
    plannedCompletionDate: '2024-12-31',
    departmentId,
    statusDate: '2022-01-05',
    ...overrides,
  };
}

export async function createProject(ctx: TestContext, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/projects', payload: body, headers: { 'x-actor': 'tester' } });
}

/** Creates a project and returns its body; throws when the API refuses it. */
export async function makeProject(ctx: TestContext, departmentId: string, overrides: Record<string, unknown> = {}) {
  const response = await createProject(ctx, projectBody(departmentId, overrides));
  if (response.statusCode !== 201) throw new Error(`project not created: ${response.body}`);
  return json(response);
}

export async function transition(ctx: TestContext, id: string, etag: string, body: Record<string, unknown>) {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/projects/${id}/transitions`,
    payload: body,
    headers: { 'if-match': etag, 'x-actor': 'tester' },
  });
}

type AuditRow = { action: string; actor: string; on_behalf_of: string | null; resource_type: string };

export async function auditOf(ctx: TestContext, resourceId: string): Promise<AuditRow[]> {
  const result = await ctx.testDb.database.db.execute(
    `select action, actor, on_behalf_of, resource_type from audit_events where resource_id = '${resourceId}' order by id` as never,
  );
  return (result as unknown as { rows: AuditRow[] }).rows;
}

/** The id of this test's admin key: the actor of everything ctx.app.inject writes. */
export async function adminKeyId(ctx: TestContext): Promise<string> {
  const result = await ctx.testDb.database.db.execute(`select id from api_keys where name = 'test admin'` as never);
  return (result as unknown as { rows: { id: string }[] }).rows[0]!.id;
}
