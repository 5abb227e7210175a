import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../src/config.js';
import { createFiguresCache } from '../../src/modules/metrics/figures/figures.cache.js';
import { figuresVersionIn } from '../../src/modules/metrics/figures/figures.repository.js';
import { breakdownSchema, summarySchema } from '../../src/modules/metrics/figures/figures.schemas.js';
import { breakdownResponseJson, createFiguresUsecases } from '../../src/modules/metrics/figures/figures.usecases.js';
import { buildApp, json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();
const db = () => ctx.testDb.database.db;
const exec = (query: ReturnType<typeof sql>) => db().execute(query);
const version = () => figuresVersionIn(db());

const SUMMARY = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-06-30';
const BY = (by: string) => `/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-06-30&by=${by}`;

async function get(app: FastifyInstance, url: string) {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return json(response);
}

/** The same questions answered without any cache, straight from the tables. */
async function uncached() {
  const figures = createFiguresUsecases({ db: db() });
  const question = { year: 2022, list: 'city_key' as const, asOf: '2022-06-30', largeThreshold: '100000', basis: 'submitted' as const };
  const encode = <S extends z.ZodType>(schema: S, value: z.output<S>) => JSON.parse(JSON.stringify(z.encode(schema, value)));
  return {
    summary: encode(summarySchema, await figures.summary(question)),
    department: encode(breakdownSchema, await figures.breakdown({ ...question, by: 'department' })),
    leader: encode(breakdownSchema, await figures.breakdown({ ...question, by: 'leader' })),
  };
}

async function served(app: FastifyInstance) {
  return { summary: await get(app, SUMMARY), department: await get(app, BY('department')), leader: await get(app, BY('leader')) };
}

async function twoProjects() {
  const f = fixtures(db());
  const dept = await f.department('住建局');
  const leader = await f.leader('张三');
  const a = await f.planned({ departmentId: dept.id, estimated: '150000.0000', stage: 'new_start', planned: '1000.0000' });
  const b = await f.planned({ departmentId: dept.id, estimated: '20000.0000', stage: 'continuing', planned: '2000.0000' });
  await f.status(b.id, 'under_construction', '2021-05-01');
  await f.report({ projectId: b.id, departmentId: dept.id, period: '2022-03-H1', revisions: [{ investment: '10.1000', recordedAt: '2022-03-16T01:00:00Z' }] });
  return { f, dept, leader, a, b };
}

describe('the figures cache', () => {
  it('counts a transaction that writes several of the figures tables once, and a rolled-back one not at all', async () => {
    const { dept } = await twoProjects();
    const before = BigInt(await version());
    await db().transaction(async (tx) => {
      await tx.execute(sql`update departments set name = '住建局（一）' where id = ${dept.id}`);
      await tx.execute(sql`update projects set estimated_investment = estimated_investment + 1`);
      await tx.execute(sql`update annual_plans set planned_investment = planned_investment + 1`);
    });
    expect(BigInt(await version())).toBe(before + 1n);
    await expect(
      db().transaction(async (tx) => {
        await tx.execute(sql`update projects set estimated_investment = estimated_investment + 1`);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(BigInt(await version())).toBe(before + 1n);
    // Tables the figures do not read do not count.
    await exec(sql`insert into project_comments (id, project_id, body, author_key_id, author_role) select gen_random_uuid(), id, '请加快进度', 'k', 'office' from projects limit 1`);
    await exec(sql`update api_keys set name = name`);
    expect(BigInt(await version())).toBe(before + 1n);
  });

  it('answers as fresh as the tables after every kind of change to what the figures read, API or SQL', async () => {
    const { f, dept, leader, a, b } = await twoProjects();
    let previous = await served(ctx.app);
    expect(previous).toEqual(await uncached());
    const changes: [string, () => Promise<unknown>][] = [
      ['project estimate (SQL)', () => exec(sql`update projects set estimated_investment = '90000.0000' where id = ${a.id}`)],
      ['plan amount (SQL)', () => exec(sql`update annual_plans set planned_investment = '1234.5678' where project_id = ${b.id}`)],
      ['status change', () => f.status(a.id, 'under_construction', '2022-04-01')],
      [
        'report (API)',
        async () => {
          const created = await ctx.app.inject({
            method: 'POST',
            url: '/v1/progress-reports',
            payload: { projectId: a.id, period: '2022-05-H1', investmentCompleted: '7.0001', physicalProgress: '5.00', workOngoing: true },
          });
          expect(created.statusCode, created.body).toBe(201);
        },
      ],
      [
        'correction (SQL)',
        async () => {
          await db().transaction(async (tx) => {
            const report = (await tx.execute(sql`select id from progress_reports where project_id = ${b.id}`)) as unknown as { rows: { id: string }[] };
            const id = report.rows[0]!.id;
            await tx.execute(sql`insert into progress_report_revisions (report_id, revision, investment_completed, work_ongoing, actor, correction_reason)
              values (${id}, 2, '99.9999', true, 'sql', 'fix')`);
            await tx.execute(sql`update progress_reports set current_revision = 2 where id = ${id}`);
          });
        },
      ],
      [
        'declared figure (API)',
        async () => {
          const created = await ctx.app.inject({
            method: 'POST',
            url: '/v1/metrics/declared-figures',
            payload: { list: 'city_key', year: 2022, figure: 'estimated_investment', value: '170000', source: '报道', asOf: '2022-06-30' },
          });
          expect(created.statusCode, created.body).toBe(201);
        },
      ],
      ['leader assignment', () => f.assign(leader.id, a.id, '2022-01-01')],
      ['leader renamed (SQL)', () => exec(sql`update leaders set name = '李四' where id = ${leader.id}`)],
      ['department renamed (SQL)', () => exec(sql`update departments set name = '交通局' where id = ${dept.id}`)],
      ['plan deleted (SQL)', () => exec(sql`delete from annual_plans where project_id = ${a.id}`)],
      [
        // Versioned tables refuse TRUNCATE unless the transaction says it empties their history too.
        'reports truncated with their history',
        () =>
          db().transaction(async (tx) => {
            await tx.execute(sql`select set_config('kpo.truncate_history', 'on', true)`);
            await tx.execute(sql`truncate progress_reports, progress_report_revisions, history.progress_reports, history.progress_report_revisions cascade`);
          }),
      ],
    ];
    for (const [name, change] of changes) {
      await change();
      const now = await served(ctx.app);
      // Each change moves some answer, so a stale cache could not pass unnoticed.
      expect(now, `${name}: the answers did not change`).not.toEqual(previous);
      expect(now, `${name}: served answers differ from the tables`).toEqual(await uncached());
      previous = now;
    }
  });

  it('serves a write made through one instance from the other at once (no messages between them)', async () => {
    const { a } = await twoProjects();
    const other = (await buildApp({ config: testConfig(), database: ctx.testDb.database })) as unknown as FastifyInstance;
    try {
      const auth = { authorization: `Bearer ${ctx.adminKey}` };
      const read = async (app: FastifyInstance) => json(await app.inject({ method: 'GET', url: SUMMARY, headers: auth }));
      const first = await read(other);
      expect(first).toEqual(await read(ctx.app));
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/v1/progress-reports',
        payload: { projectId: a.id, period: '2022-04-H2', investmentCompleted: '500.0000', physicalProgress: '5.00', workOngoing: true },
      });
      expect(created.statusCode, created.body).toBe(201);
      const after = await read(other);
      expect(after.figures.investmentCompleted.value).not.toBe(first.figures.investmentCompleted.value);
      expect(after).toEqual((await uncached()).summary);
    } finally {
      await other.close();
    }
  });

  it('computes a question once for concurrent askers, reuses it until a change, and keeps a bounded number', async () => {
    await twoProjects();
    const cache = createFiguresCache({ maxEntries: 2 });
    const figures = createFiguresUsecases({ db: db(), cache });
    const schema = z.object({ n: z.number() });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: computed };
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => figures.answerJson({ key: 'q1', schema, compute })));
    expect(new Set(answers.map((a) => a.json))).toEqual(new Set(['{"n":1}']));
    expect(computed).toBe(1);
    expect((await figures.answerJson({ key: 'q1', schema, compute })).json).toBe('{"n":1}');
    expect(computed).toBe(1);
    await exec(sql`update projects set name = name || '′'`);
    expect((await figures.answerJson({ key: 'q1', schema, compute })).json).toBe('{"n":2}');
    await figures.answerJson({ key: 'q2', schema, compute });
    await figures.answerJson({ key: 'q3', schema, compute });
    expect(cache.stats().entries).toBe(2);
    // q1 was the least recently used: dropped, computed again.
    expect((await figures.answerJson({ key: 'q1', schema, compute })).json).toBe('{"n":5}');
  });

  it('keeps large answers (a province breakdown) within a total size, dropping the least recently used', async () => {
    const cache = createFiguresCache({ maxEntryChars: 1000, maxTotalChars: 2500 });
    const answer = (n: number, chars: number) => async () => ({ version: String(n), knownAt: '2022-01-01T00:00:00.000000Z', computedAt: Date.now(), json: 'x'.repeat(chars) });
    await cache.computeOnce({ key: 'a', version: '1' }, answer(1, 900));
    await cache.computeOnce({ key: 'b', version: '1' }, answer(1, 900));
    expect(cache.stats().entries).toBe(2);
    expect(cache.size()).toBe(1800);
    // Larger than one answer may be: not kept.
    await cache.computeOnce({ key: 'c', version: '1' }, answer(1, 1001));
    expect(cache.stats().entries).toBe(2);
    // 'a' used last: 'b' goes when a third would pass the total.
    expect(cache.fresh({ key: 'a', version: '1' })).toBeDefined();
    await cache.computeOnce({ key: 'd', version: '1' }, answer(1, 900));
    expect(cache.size()).toBe(1800);
    expect(cache.fresh({ key: 'b', version: '1' })).toBeUndefined();
    expect(cache.fresh({ key: 'a', version: '1' })).toBeDefined();
    expect(cache.fresh({ key: 'd', version: '1' })).toBeDefined();
    // Replacing an answer counts it once.
    await cache.computeOnce({ key: 'd', version: '2' }, answer(2, 100));
    expect(cache.size()).toBe(1000);
  });

  it('encodes a large breakdown in steps to exactly the text the response schema gives in one go', async () => {
    await twoProjects();
    const question = { year: 2022, list: 'city_key' as const, asOf: '2022-06-30', largeThreshold: '100000', basis: 'submitted' as const, by: 'department' as const };
    const one = await createFiguresUsecases({ db: db() }).breakdown(question);
    expect(one.groups).toHaveLength(1);
    // 60 groups: three turns of the event loop, and a group label with characters JSON escapes.
    const wide = { ...one, groups: Array.from({ length: 60 }, (_, i) => ({ ...one.groups[0]!, key: `dept-${i}`, label: `部门 "${i}"\n` })) };
    const inSteps = await breakdownResponseJson(wide);
    expect(inSteps).toBe(JSON.stringify(z.encode(breakdownSchema, wide)));
    expect(JSON.parse(inSteps).groups).toHaveLength(60);
  });

  it('does not keep answers that list every project on request (they can be large)', async () => {
    await twoProjects();
    const cache = createFiguresCache();
    const figures = createFiguresUsecases({ db: db(), cache });
    const question = { year: 2022, list: 'city_key' as const, asOf: '2022-06-30', largeThreshold: '100000', basis: 'submitted' as const };
    const listed = JSON.parse((await figures.summaryJson({ ...question, include: 'projectIds' })).json);
    expect(listed.projectIdsIncluded).toBe(true);
    expect(cache.stats()).toEqual({ entries: 0, hits: 0, misses: 0, staleHits: 0, computations: 0 });
    await figures.summaryJson(question);
    await figures.summaryJson(question);
    expect(cache.stats()).toEqual({ entries: 1, hits: 1, misses: 1, staleHits: 0, computations: 1 });
  });
});
