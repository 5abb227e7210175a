import { eq, sql } from 'drizzle-orm';
import type { TestContext } from '../support/app.js';
import { json } from '../support/app.js';
import { projects } from '../../src/modules/projects/projects.table.js';
import { periodOfDate } from '../../src/domain/periods.js';

/** Helpers for report tests; projects are inserted directly because their HTTP API lives elsewhere. */
export function reportHelpers(ctx: TestContext) {
  let counter = 0;

  async function createDepartment(code = `D${++counter}`) {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `部门${code}` } });
    return json(response).id as string;
  }

  async function createProject({ departmentId, code = `P${++counter}` }: { departmentId?: string; code?: string } = {}) {
    const [row] = await ctx.testDb.database.db
      .insert(projects)
      .values({
        code,
        name: `项目${code}`,
        category: 'industrial_investment',
        estimatedInvestment: '48000.0000',
        departmentId: departmentId ?? (await createDepartment()),
      })
      .returning();
    return row!;
  }

  async function moveProject(projectId: string, departmentId: string) {
    await ctx.testDb.database.db.update(projects).set({ departmentId }).where(eq(projects.id, projectId));
  }

  function submit(body: Record<string, unknown>) {
    return ctx.app.inject({ method: 'POST', url: '/v1/progress-reports', payload: body, headers: { 'x-actor': '住建局' } });
  }

  function figures(investmentCompleted = '2150.5000', extra: Record<string, unknown> = {}) {
    return { investmentCompleted, physicalProgress: '45.50', workOngoing: true, narrative: '主体结构施工中', ...extra };
  }

  async function submitted(projectId: string, period: string, investmentCompleted = '2150.5000', extra: Record<string, unknown> = {}) {
    const response = await submit({ projectId, period, ...figures(investmentCompleted), submittedAt: '2022-04-02T08:30:00Z', ...extra });
    if (response.statusCode !== 201) throw new Error(`submission failed: ${response.body}`);
    return json(response);
  }

  /** A correction; sent with `key` when given, else with the test's admin key. */
  function revise(id: string, body: Record<string, unknown>, ifMatch: string | null = '"v1"', key?: string) {
    return ctx.app.inject({
      method: 'POST',
      url: `/v1/progress-reports/${id}/revisions`,
      payload: body,
      headers: { 'x-actor': '重点办', ...(ifMatch ? { 'if-match': ifMatch } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    });
  }

  /** The id of this test's key with that name ('test admin' is the one ctx.app.inject sends). */
  async function keyId(name = 'test admin'): Promise<string> {
    const result = await ctx.testDb.database.db.execute(sql`select id from api_keys where name = ${name}`);
    return (result as unknown as { rows: { id: string }[] }).rows[0]!.id;
  }

  async function auditRows() {
    const result = await ctx.testDb.database.db.execute(
      sql`select actor, actor_role, on_behalf_of, action, resource_type, resource_id, before, after from audit_events where resource_type = 'progress_report' order by id`,
    );
    return (result as unknown as { rows: Record<string, unknown>[] }).rows;
  }

  const currentPeriod = () => periodOfDate(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10));

  return { createDepartment, createProject, moveProject, submit, figures, submitted, revise, keyId, auditRows, currentPeriod };
}
