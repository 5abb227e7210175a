import { expect } from 'vitest';
import { json, type TestContext } from '../support/app.js';

/** The lights of the 2022 city-key projects as of a date, keyed by project id. */
export async function lightsOn(ctx: TestContext, asOf: string, extra = '') {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/warnings?year=2022&list=city_key&asOf=${asOf}${extra}` });
  expect(response.statusCode, response.body).toBe(200);
  const body = json(response);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON read loosely in tests
  return new Map<string, any>(body.items.map((item: { projectId: string }) => [item.projectId, item]));
}

/** The light of one project and the levels of the rules that lit it. */
export async function lightOf(ctx: TestContext, projectId: string, asOf: string) {
  const item = (await lightsOn(ctx, asOf)).get(projectId);
  expect(item, `project ${projectId} listed`).toBeDefined();
  return {
    light: item.light as string,
    rules: Object.fromEntries(item.reasons.map((r: { rule: string; level: string }) => [r.rule, r.level])) as Record<string, string>,
    reasons: item.reasons as { rule: string; level: string; inputs: Record<string, unknown> }[],
  };
}
