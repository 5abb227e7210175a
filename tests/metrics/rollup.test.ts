import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';
import { formatPeriod } from '../../src/domain/periods.js';
import { periodsEndedBy } from '../../src/modules/metrics/figures/figures.facts.js';
import { instantAfterWrites } from '../history/support.js';

const ctx = useTestApp();

/** mulberry32: a seeded generator, so that a failure can be replayed with its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    pick: <T,>(items: readonly T[]) => items[int(items.length)]!,
    // 4 fraction digits, so that binary floating point would go wrong somewhere.
    money: () => `${int(5000)}.${String(int(10000)).padStart(4, '0')}`,
  };
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.testDb.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function summary(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/summary?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

/** The straightforward computation: the in-force revisions of the list's reports, straight from the tables. */
async function reference(year: number, asOf: string) {
  const [row] = await rows<{ total: string; ids: string[] | null }>(sql`
    select coalesce(sum(rr.investment_completed), 0.0000)::text as total,
           json_agg(distinct r.project_id) as ids
    from progress_reports r
    join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
    join annual_plans ap on ap.project_id = r.project_id and ap.year = ${year} and ap.list = 'city_key'
    where r.period_start >= make_date(${year}, 1, 1) and r.period_end <= make_date(${year}, 12, 31)
      and r.period_end <= ${asOf}::date`);
  return { total: row!.total, ids: [...(row!.ids ?? [])].sort() };
}

const asOfDates = [
  '2021-12-31', '2022-01-01', '2022-01-14', '2022-01-15', '2022-01-16', '2022-01-31', '2022-02-28', '2022-03-15',
  '2022-03-31', '2022-04-02', '2022-06-30', '2022-07-15', '2022-09-16', '2022-11-30', '2022-12-15', '2022-12-30',
  '2022-12-31', '2023-01-15', '2023-06-30',
];

describe('investment completed from the maintained rollup', () => {
  it('counts the periods that have ended by a date', () => {
    expect(periodsEndedBy(2022, '2021-12-31')).toBe(0);
    expect(periodsEndedBy(2022, '2022-01-14')).toBe(0);
    expect(periodsEndedBy(2022, '2022-01-15')).toBe(1);
    expect(periodsEndedBy(2022, '2022-02-27')).toBe(3);
    expect(periodsEndedBy(2022, '2022-02-28')).toBe(4);
    expect(periodsEndedBy(2024, '2024-02-28')).toBe(3);
    expect(periodsEndedBy(2024, '2024-02-29')).toBe(4);
    expect(periodsEndedBy(2022, '2022-12-31')).toBe(24);
    expect(periodsEndedBy(2022, '2030-01-01')).toBe(24);
  });

  for (const seed of [7, 2022, 90210]) {
    it(`equals the sum over the in-force revisions after random reports, corrections and deletions, at every as-of date (seed ${seed})`, { timeout: 120_000 }, async () => {
      const r = random(seed);
      const db = ctx.testDb.database.db;
      const f = fixtures(db);
      const dept = await f.department();
      const stages = ['new_start', 'continuing', 'preliminary'] as const;
      const projects = [];
      for (let i = 0; i < 7; i++) {
        const p = await f.project({ departmentId: dept.id, estimated: r.money() });
        // Most on the 2022 list, some also on 2021 or 2023, one on no list (its reports never count).
        if (i < 6) await f.plan({ projectId: p.id, stage: r.pick(stages), planned: r.money() });
        if (r.int(2) === 0) await f.plan({ projectId: p.id, stage: r.pick(stages), planned: r.money(), year: 2021 });
        if (r.int(2) === 0) await f.plan({ projectId: p.id, stage: r.pick(stages), planned: r.money(), year: 2023 });
        projects.push(p);
      }
      const periods = [2021, 2022, 2023].flatMap((year) =>
        Array.from({ length: 24 }, (_, k) => formatPeriod({ year, month: 1 + Math.floor(k / 2), half: (1 + (k % 2)) as 1 | 2 })),
      );
      // Reports: straight into the tables (like the demo writer, with up to three revisions) or
      // through the API (then corrected or deleted at random).
      const viaApi: { id: string; version: number }[] = [];
      const direct: string[] = [];
      for (const p of projects) {
        const taken = new Set<string>();
        for (let n = 0; n < 3 + r.int(10); n++) {
          const period = r.pick(periods.slice(20, 52));
          if (taken.has(period)) continue;
          taken.add(period);
          if (r.int(2) === 0) {
            const revisions = Array.from({ length: 1 + r.int(3) }, (_, k) => ({ investment: r.money(), recordedAt: `2023-0${1 + k}-05T00:00:00Z` }));
            direct.push((await f.report({ projectId: p.id, departmentId: dept.id, period, revisions })).id);
          } else {
            const response = await ctx.app.inject({
              method: 'POST',
              url: '/v1/progress-reports',
              payload: { projectId: p.id, period, investmentCompleted: r.money(), physicalProgress: '10.00', workOngoing: true },
            });
            expect(response.statusCode, response.body).toBe(201);
            viaApi.push({ id: json(response).id, version: 1 });
          }
        }
      }
      for (const report of viaApi) {
        const action = r.int(4);
        if (action === 0 || action === 1) {
          const response = await ctx.app.inject({
            method: 'POST',
            url: `/v1/progress-reports/${report.id}/revisions`,
            headers: { 'if-match': `"v${report.version}"` },
            payload: { investmentCompleted: r.money(), physicalProgress: '20.00', workOngoing: true, correctionReason: '更正' },
          });
          expect(response.statusCode, response.body).toBe(201);
          report.version++;
        } else if (action === 2) {
          const response = await ctx.app.inject({ method: 'DELETE', url: `/v1/progress-reports/${report.id}`, headers: { 'if-match': `"v${report.version}"` } });
          expect(response.statusCode, response.body).toBe(204);
        }
      }
      // An admin's fixes in SQL: a direct report deleted, the figure of a revision in force changed.
      await db.execute(sql`delete from progress_reports where id = ${direct[0]!}`);
      await db.execute(sql`
        update progress_report_revisions rr set investment_completed = investment_completed + 0.0001
        from progress_reports r where r.id = rr.report_id and rr.revision = r.current_revision and r.id = ${direct[1]!}`);
      // A project deleted with its reports (the one on no list): its rollup rows go with it.
      await db.execute(sql`delete from projects where id = ${projects[6]!.id}`);
      expect(await rows(sql`select 1 from project_investment_rollups where project_id = ${projects[6]!.id}`)).toEqual([]);

      // What the triggers kept equals a rebuild from scratch (the migration's backfill).
      const table = sql`select year, project_id, cumulative::text as cumulative, first_period from project_investment_rollups order by 1, 2`;
      const maintained = await rows(table);
      expect(maintained.length).toBeGreaterThan(0);
      await db.execute(sql`select kpo_rebuild_investment_rollups()`);
      expect(await rows(table)).toEqual(maintained);

      // Known at an instant after every write: the history's versions give what the tables hold now.
      const afterAll = encodeURIComponent(await instantAfterWrites());
      for (const year of [2021, 2022, 2023]) {
        for (const asOf of asOfDates) {
          if (asOf < `${year}-01-01`) {
            // A year's figures as of a day before it began are a mistaken question (issue #16).
            const refused = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/summary?year=${year}&list=city_key&asOf=${asOf}` });
            expect(json(refused).code, `${year} as of ${asOf}`).toBe('as_of_before_year');
            continue;
          }
          const expected = await reference(year, asOf);
          const body = await summary(`year=${year}&list=city_key&asOf=${asOf}`);
          const label = `seed ${seed}, year ${year}, asOf ${asOf}`;
          expect(body.figures.investmentCompleted.value, label).toBe(expected.total);
          expect(body.figures.investmentCompleted.projectIds, label).toEqual(expected.ids);
          expect(body.figures.planCompletionRate.numerator, label).toBe(expected.total);
          const known = await summary(`year=${year}&list=city_key&asOf=${asOf}&knownAt=${afterAll}`);
          expect(known.figures, label).toEqual(body.figures);
        }
      }
    });
  }

  it('keeps both of two reports written at the same time for one project', async () => {
    const f = fixtures(ctx.testDb.database.db);
    const dept = await f.department();
    const p = await f.planned({ departmentId: dept.id, estimated: '100.0000', stage: 'continuing', planned: '10.0000' });
    const post = (period: string, amount: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/progress-reports',
        payload: { projectId: p.id, period, investmentCompleted: amount, physicalProgress: '10.00', workOngoing: true, submittedAt: '2022-06-20T00:00:00Z' },
      });
    const responses = await Promise.all([post('2022-01-H1', '0.1000'), post('2022-01-H2', '0.2000'), post('2022-02-H1', '0.0003')]);
    for (const response of responses) expect(response.statusCode, response.body).toBe(201);
    const body = await summary('year=2022&list=city_key&asOf=2022-12-31');
    expect(body.figures.investmentCompleted.value).toBe('0.3003');
  });
});

describe('project id lists', () => {
  it(`are left out above the limit unless include=projectIds asks for them, with the same counts and sums`, { timeout: 120_000 }, async () => {
    const db = ctx.testDb.database.db;
    const f = fixtures(db);
    const dept = await f.department();
    // 101 projects in one statement each for projects and plans: one more than the limit.
    await db.execute(sql`
      insert into projects (id, code, name, category, estimated_investment, department_id, created_at)
      select gen_random_uuid(), 'L' || n, '项目' || n, 'industrial_investment', 1000.0001, ${dept.id}, '2022-01-05T00:00:00Z'
      from generate_series(1, 101) as n`);
    await db.execute(sql`
      insert into annual_plans (id, project_id, year, list, stage, planned_investment, created_at)
      select gen_random_uuid(), id, 2022, 'city_key', case when code < 'L5' then 'new_start' else 'continuing' end, 10.0001, '2022-01-05T00:00:00Z'
      from projects where code like 'L%'`);
    const omitted = await summary('year=2022&list=city_key&asOf=2022-03-31');
    expect(omitted.projectIdsIncluded).toBe(false);
    expect(omitted.figures.projectCount).toMatchObject({ value: 101 });
    expect(omitted.figures.estimatedInvestment.value).toBe('101000.0101');
    expect(omitted.figures.projectCount).not.toHaveProperty('projectIds');
    expect(omitted.figures.startRate).not.toHaveProperty('denominatorProjectIds');
    expect(omitted.byStage.preliminary.projectCount).toEqual({ kind: 'count', key: 'preliminary.project_count', value: 0, formula: expect.any(String), asOf: '2022-03-31' });

    const included = await summary('year=2022&list=city_key&asOf=2022-03-31&include=projectIds');
    expect(included.projectIdsIncluded).toBe(true);
    expect(included.figures.projectCount.projectIds).toHaveLength(101);
    expect(included.byStage.preliminary.projectCount.projectIds).toEqual([]);
    const strip = (figures: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(figures).map(([k, { projectIds: _a, denominatorProjectIds: _b, ...rest }]) => [k, rest]));
    expect(strip(included.figures)).toEqual(strip(omitted.figures));

    const breakdown = json(await ctx.app.inject({ method: 'GET', url: '/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=stage' }));
    expect(breakdown.projectIdsIncluded).toBe(false);
    expect(breakdown.groups[0].figures.projectCount).not.toHaveProperty('projectIds');
    const withIds = json(await ctx.app.inject({ method: 'GET', url: '/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-03-31&by=stage&include=projectIds' }));
    expect(withIds.projectIdsIncluded).toBe(true);
    for (const group of withIds.groups) expect(group.figures.projectCount.projectIds).toHaveLength(group.figures.projectCount.value);

    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/metrics/summary?year=2022&list=city_key&include=everything' });
    expect(bad.statusCode).toBe(400);
  });
});
