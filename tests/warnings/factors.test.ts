import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();
let shared: ReturnType<typeof fixtures> | undefined;
/** One fixture set per file, so generated codes stay unique. */
const f = () => (shared ??= fixtures(ctx.testDb.database.db));

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

async function patchRule(key: string, patch: object) {
  const current = await ctx.app.inject({ method: 'GET', url: `/v1/warning-rules/${key}` });
  const response = await ctx.app.inject({ method: 'PATCH', url: `/v1/warning-rules/${key}`, headers: { 'if-match': String(current.headers.etag) }, payload: patch });
  expect(response.statusCode, response.body).toBe(200);
}

/**
 * On 2022-04-01 (overdue_issue made red at 20 days): `both` has a land issue 31 days overdue and a
 * labour issue 6 days overdue (red for land, yellow for labour); `land` has a land issue 11 days
 * overdue (yellow); `resolved` had a land issue resolved by asOf; `clear` has none.
 */
async function town() {
  await patchRule('overdue_issue', { redThreshold: '20' });
  const d = await f().department('住建局');
  const both = await f().project({ departmentId: d.id });
  const land1 = await f().issue({ projectId: both.id, departmentId: d.id, raisedOn: '2022-02-01', dueDate: '2022-03-01', category: 'land' });
  const labour = await f().issue({ projectId: both.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-26', category: 'labour' });
  const land = await f().project({ departmentId: d.id });
  const land2 = await f().issue({ projectId: land.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-21', category: 'land' });
  const resolved = await f().project({ departmentId: d.id });
  await f().issue({ projectId: resolved.id, departmentId: d.id, raisedOn: '2022-02-01', dueDate: '2022-03-01', category: 'land', status: 'resolved', resolvedOn: '2022-03-20' });
  const clear = await f().project({ departmentId: d.id });
  return { d, both, land1, labour, land, land2, resolved, clear };
}

const lights = '/v1/warnings?year=2022&list=city_key&asOf=2022-04-01';

describe('warning lights by factor guarantee (要素保障)', () => {
  it('names each factor of the overdue issues with the level its issues alone reach, the worst being the rule’s', async () => {
    const t = await town();
    const items = (await get(lights)).items as { projectId: string; light: string; reasons: { rule: string; level: string; inputs: { byFactor?: unknown[]; issueIds?: string[] } }[] }[];
    const both = items.find((i) => i.projectId === t.both.id)!;
    expect(both.light).toBe('red');
    const overdue = both.reasons.find((r) => r.rule === 'overdue_issue')!;
    expect(overdue.level).toBe('red');
    expect(overdue.inputs.issueIds).toEqual([t.land1.id, t.labour.id]);
    expect(overdue.inputs.byFactor).toEqual([
      { factor: 'labour', label: 'Labour / 用工', overdueCount: 1, oldestDueDate: '2022-03-26', daysOverdue: 6, level: 'yellow' },
      { factor: 'land', label: 'Land / 用地', overdueCount: 1, oldestDueDate: '2022-03-01', daysOverdue: 31, level: 'red' },
    ]);
    expect(items.find((i) => i.projectId === t.land.id)!.reasons[0]!.inputs.byFactor).toEqual([
      { factor: 'land', label: 'Land / 用地', overdueCount: 1, oldestDueDate: '2022-03-21', daysOverdue: 11, level: 'yellow' },
    ]);
  });

  it('filters the lights by factor: the projects a factor’s overdue issues light, with their whole light', async () => {
    const t = await town();
    const ids = async (query: string) => (await get(`${lights}${query}`)).items.map((i: { projectId: string }) => i.projectId).sort();
    expect(await ids('&factor=land')).toEqual([t.both.id, t.land.id].sort());
    expect(await ids('&factor=labour')).toEqual([t.both.id]);
    expect(await ids('&factor=power')).toEqual([]);
    expect(await ids('&factor=land&level=red')).toEqual([t.both.id]);
    // A factor below the yellow threshold does not light the rule, so the project is not listed for it.
    await patchRule('overdue_issue', { yellowThreshold: '10' });
    expect(await ids('&factor=labour')).toEqual([]);
    expect(await ids('&factor=land')).toEqual([t.both.id, t.land.id].sort());
    const refused = await ctx.app.inject({ method: 'GET', url: `${lights}&factor=roads` });
    expect(refused.statusCode).toBe(400);
  });

  it('rolls the lights up by factor, a project overdue on two factors under both and one with none under neither', async () => {
    await town();
    const body = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-04-01&by=factor');
    expect(body.by).toBe('factor');
    expect(body.totals).toEqual({ projectCount: 4, green: 2, yellow: 1, red: 1 });
    expect(body.groups).toEqual([
      { key: 'labour', label: 'Labour / 用工', projectCount: 1, green: 0, yellow: 1, red: 0 },
      { key: 'land', label: 'Land / 用地', projectCount: 2, green: 0, yellow: 1, red: 1 },
    ]);
    // Raising yellow to 10 days: labour's 6 days stay green under labour, the project stays red for land.
    await patchRule('overdue_issue', { yellowThreshold: '10' });
    const raised = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-04-01&by=factor');
    expect(raised.groups).toEqual([
      { key: 'labour', label: 'Labour / 用工', projectCount: 1, green: 1, yellow: 0, red: 0 },
      { key: 'land', label: 'Land / 用地', projectCount: 2, green: 0, yellow: 1, red: 1 },
    ]);
    // Disabled, the rule lights no factor.
    await patchRule('overdue_issue', { enabled: false });
    const off = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-04-01&by=factor');
    expect(off.groups.map((g: { key: string; green: number; projectCount: number }) => [g.key, g.green, g.projectCount])).toEqual([
      ['labour', 1, 1],
      ['land', 2, 2],
    ]);
  });
});
