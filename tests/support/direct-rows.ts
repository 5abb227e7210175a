import type { TestContext } from './app.js';
import { json } from './app.js';
import { projects } from '../../src/modules/projects/projects.table.js';
import { annualPlans } from '../../src/modules/plans/plans.table.js';

/**
 * Projects and annual plans written straight into the tables, for tests of modules that only
 * read them (batches, special bonds, audit): the projects and plans APIs are tested elsewhere.
 */
export async function insertDepartment(ctx: TestContext, code = 'FGJ'): Promise<string> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `${code}局` } });
  if (response.statusCode !== 201) throw new Error(`department not created: ${response.body}`);
  return json(response).id;
}

export async function insertProject(
  ctx: TestContext,
  values: { departmentId: string; code: string; name?: string; estimatedInvestment?: string },
): Promise<string> {
  const [row] = await ctx.testDb.database.db
    .insert(projects)
    .values({
      code: values.code,
      name: values.name ?? `项目${values.code}`,
      category: 'industrial_investment',
      estimatedInvestment: values.estimatedInvestment ?? '10000.0000',
      departmentId: values.departmentId,
    })
    .returning({ id: projects.id });
  return row!.id;
}

export async function insertPlan(
  ctx: TestContext,
  values: { projectId: string; batchId?: string | null; list?: string; year?: number; plannedInvestment?: string },
): Promise<string> {
  const [row] = await ctx.testDb.database.db
    .insert(annualPlans)
    .values({
      projectId: values.projectId,
      year: values.year ?? 2022,
      list: values.list ?? 'city_key',
      stage: 'new_start',
      plannedInvestment: values.plannedInvestment ?? '1000.0000',
      batchId: values.batchId ?? null,
    })
    .returning({ id: annualPlans.id });
  return row!.id;
}
