import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { eq } from 'drizzle-orm';
import { projects } from '../../src/modules/projects/projects.table.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();
let shared: ReturnType<typeof fixtures> | undefined;
/** One fixture set per file, so generated codes stay unique. */
const f = () => (shared ??= fixtures(ctx.testDb.database.db));

/**
 * On 2022-04-01: 住建 has a red (not started for over 90 days), a yellow (overdue issue) and a green
 * project; 发改 has a green one. Leader 张 watches the red and the yellow, 李 the yellow (so it
 * counts under both) and, until March only, the 发改 project.
 */
async function town() {
  const zj = await f().department('住建局');
  const fg = await f().department('发改局');
  const red = await f().project({ departmentId: zj.id, plannedStartDate: '2021-12-01' });
  const yellow = await f().project({ departmentId: zj.id });
  await f().issue({ projectId: yellow.id, departmentId: zj.id, raisedOn: '2022-03-01', dueDate: '2022-03-15' });
  const green = await f().project({ departmentId: zj.id });
  const other = await f().project({ departmentId: fg.id });
  const zhang = await f().leader('张副镇长');
  const li = await f().leader('李副镇长');
  await f().assign(zhang.id, red.id, '2022-01-01');
  await f().assign(zhang.id, yellow.id, '2022-01-01');
  await f().assign(li.id, yellow.id, '2022-02-01');
  await f().assign(li.id, other.id, '2022-01-01', '2022-03-31');
  return { zj, fg, red, yellow, green, other, zhang, li };
}

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

describe('warning rollup and listing', () => {
  it('counts green, yellow and red by department', async () => {
    const t = await town();
    const body = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-04-01&by=department');
    expect(body.totals).toEqual({ projectCount: 4, green: 2, yellow: 1, red: 1 });
    // Groups come ordered by name in the database's collation; compare them as a set.
    expect(body.groups).toHaveLength(2);
    expect(body.groups).toEqual(
      expect.arrayContaining([
        { key: t.zj.id, label: '住建局', projectCount: 3, green: 1, yellow: 1, red: 1 },
        { key: t.fg.id, label: '发改局', projectCount: 1, green: 1, yellow: 0, red: 0 },
      ]),
    );
  });

  it('counts by leader assigned on asOf, a project with two leaders under both and unwatched ones apart', async () => {
    const t = await town();
    const body = await get('/v1/warnings/rollup?year=2022&list=city_key&asOf=2022-04-01&by=leader');
    expect(body.totals).toEqual({ projectCount: 4, green: 2, yellow: 1, red: 1 });
    const byKey = Object.fromEntries(body.groups.map((g: { key: string | null }) => [g.key ?? 'none', g]));
    expect(byKey[t.zhang.id]).toMatchObject({ label: '张副镇长', projectCount: 2, green: 0, yellow: 1, red: 1 });
    expect(byKey[t.li.id]).toMatchObject({ label: '李副镇长', projectCount: 1, green: 0, yellow: 1, red: 0 });
    expect(byKey.none).toMatchObject({ projectCount: 2, green: 2, yellow: 0, red: 0 });
    expect(body.groups.at(-1).key).toBeNull();
  });

  it('filters by level, department and leader, and names each project\'s leaders', async () => {
    const t = await town();
    const base = '/v1/warnings?year=2022&list=city_key&asOf=2022-04-01';
    const ids = (body: { items: { projectId: string }[] }) => body.items.map((i) => i.projectId);
    expect(ids(await get(`${base}&level=red`))).toEqual([t.red.id]);
    expect(ids(await get(`${base}&level=green`))).toEqual([t.green.id, t.other.id]);
    expect(ids(await get(`${base}&departmentId=${t.fg.id}`))).toEqual([t.other.id]);
    expect(ids(await get(`${base}&leaderId=${t.li.id}`))).toEqual([t.yellow.id]);
    const yellow = (await get(`${base}&level=yellow`)).items[0];
    expect(yellow).toMatchObject({ projectId: t.yellow.id, departmentName: '住建局', light: 'yellow' });
    expect(yellow.leaders).toHaveLength(2);
    expect(yellow.leaders).toEqual(
      expect.arrayContaining([
        { id: t.zhang.id, name: '张副镇长' },
        { id: t.li.id, name: '李副镇长' },
      ]),
    );
  });

  it('pages by cursor in project-code order and refuses a cursor used with other filters', async () => {
    const t = await town();
    const base = '/v1/warnings?year=2022&list=city_key&asOf=2022-04-01&limit=3';
    const first = await get(base);
    expect(first.items.map((i: { projectId: string }) => i.projectId)).toEqual([t.red.id, t.yellow.id, t.green.id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await get(`${base}&cursor=${first.nextCursor}`);
    expect(second.items.map((i: { projectId: string }) => i.projectId)).toEqual([t.other.id]);
    expect(second.nextCursor).toBeNull();
    const mismatch = await ctx.app.inject({ method: 'GET', url: `${base}&level=red&cursor=${first.nextCursor}` });
    expect(mismatch.statusCode).toBe(400);
  });

  it('leaves out projects on other lists, other years and archived projects', async () => {
    const d = await f().department();
    await f().project({ departmentId: d.id, list: 'town_key_industrial' });
    await f().project({ departmentId: d.id, year: 2021 });
    const archived = await f().project({ departmentId: d.id });
    await ctx.testDb.database.db.update(projects).set({ archivedAt: '2022-02-01T00:00:00Z' }).where(eq(projects.id, archived.id));
    const body = await get('/v1/warnings?year=2022&list=city_key&asOf=2022-04-01');
    expect(body).toMatchObject({ year: 2022, list: 'city_key', asOf: '2022-04-01', items: [], nextCursor: null });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/warnings?year=2022' })).statusCode).toBe(400);
  });
});
