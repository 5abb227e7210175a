import { sql } from 'drizzle-orm';
import type { TestContext } from '../support/app.js';
import { json } from '../support/app.js';
import { projects } from '../../src/modules/projects/projects.table.js';
import { leaders } from '../../src/modules/leaders/leaders.table.js';

/**
 * Projects and leaders are written straight into their tables: their HTTP APIs belong to other
 * modules. Departments go through POST /v1/departments.
 */
export function fixtures(ctx: TestContext) {
  let counter = 0;

  async function department(shortName = '住建'): Promise<string> {
    counter += 1;
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      payload: { code: `D${counter}`, name: `${shortName}局${counter}`, shortName },
    });
    if (response.statusCode !== 201) throw new Error(`department: ${response.body}`);
    return json(response).id;
  }

  async function project(departmentId: string, name = '顶盛项目'): Promise<string> {
    counter += 1;
    const [row] = await ctx.testDb.database.db
      .insert(projects)
      .values({ code: `P${counter}`, name, category: 'industrial_investment', estimatedInvestment: '48000.0000', departmentId })
      .returning();
    return row!.id;
  }

  async function leader(name = '张镇长'): Promise<string> {
    const [row] = await ctx.testDb.database.db.insert(leaders).values({ name, title: '副镇长' }).returning();
    return row!.id;
  }

  async function inspection(body: Record<string, unknown>): Promise<{ id: string; [key: string]: unknown }> {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/inspections',
      payload: { kind: 'resumption_check', inspectedOn: '2022-02-10', title: '复工检查', ...body },
    });
    if (response.statusCode !== 201) throw new Error(`inspection: ${response.body}`);
    return json(response);
  }

  async function auditRows(resourceType: string): Promise<{ actor: string; on_behalf_of: string | null; action: string; resource_id: string; before: unknown; after: unknown }[]> {
    const result = await ctx.testDb.database.db.execute(
      sql`select actor, on_behalf_of, action, resource_id, before, after from audit_events where resource_type = ${resourceType} order by id`,
    );
    return (result as unknown as { rows: never[] }).rows;
  }

  /** The id of this test's admin key: the actor of everything ctx.app.inject writes. */
  async function adminKeyId(): Promise<string> {
    const result = await ctx.testDb.database.db.execute(sql`select id from api_keys where name = 'test admin'`);
    return (result as unknown as { rows: { id: string }[] }).rows[0]!.id;
  }

  return { department, project, leader, inspection, auditRows, adminKeyId };
}
