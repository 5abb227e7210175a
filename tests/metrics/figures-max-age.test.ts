import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../src/config.js';
import { buildApp, json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

// maxAge (issue 19): readers that accept an answer a few seconds old are served the last computation
// at once while it is recomputed in the background; every answer names its snapshot (Kpo-Known-At)
// and equals the answer asked with knownAt = that snapshot; without maxAge a reader sees its writes.
const ctx = useTestApp();
const db = () => ctx.testDb.database.db;

// The app (and its cache) lives across the tests while the tables are emptied between them: each test
// asks its own question (its own asOf), so that no answer kept by an earlier test, within maxAge, is served to it.
const SUMMARY = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-06-30';
const BREAKDOWN = '/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-06-30&by=department';
const SUMMARY_2 = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-07-31';
const SUMMARY_3 = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-08-31';
const SUMMARY_4 = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-09-30';

async function get(app: FastifyInstance, url: string) {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return {
    body: json(response),
    knownAt: response.headers['kpo-known-at'] as string,
    version: response.headers['kpo-figures-version'] as string,
    age: Number(response.headers.age),
  };
}

async function setUp() {
  const f = fixtures(db());
  const dept = await f.department('住建局');
  const project = await f.planned({ departmentId: dept.id, estimated: '20000.0000', stage: 'continuing', planned: '2000.0000' });
  await f.status(project.id, 'under_construction', '2021-05-01');
  return { project };
}

async function postReport(projectId: string, period: string, amount: string) {
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/v1/progress-reports',
    payload: { projectId, period, investmentCompleted: amount, physicalProgress: '10.00', workOngoing: true },
  });
  expect(created.statusCode, created.body).toBe(201);
}

/** The same question asked with knownAt = the snapshot an answer names: the same body, apart from the knownAt echo. */
async function expectReproducible(url: string, answer: { body: Record<string, unknown>; knownAt: string }) {
  const again = await get(ctx.app, `${url}&knownAt=${encodeURIComponent(answer.knownAt)}`);
  expect(again.knownAt).toBe(answer.knownAt);
  expect({ ...again.body, knownAt: null }).toEqual({ ...answer.body, knownAt: null });
}

const until = async (condition: () => Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

describe('figures with maxAge: bounded age, stated snapshot, read-your-writes', () => {
  it('serves the last answer within maxAge after a write, names its snapshot, and refreshes it in the background', async () => {
    const { project } = await setUp();
    for (const url of [SUMMARY, BREAKDOWN]) {
      const first = await get(ctx.app, `${url}&maxAge=60`);
      expect(first.age).toBe(0);
      await expectReproducible(url, first);
      const completed = (b: Record<string, unknown>) =>
        url === SUMMARY
          ? (b as { figures: { investmentCompleted: { value: string } } }).figures.investmentCompleted.value
          : (b as { groups: { figures: { investmentCompleted: { value: string } } }[] }).groups[0]!.figures.investmentCompleted.value;
      const before = completed(first.body);

      await postReport(project.id, url === SUMMARY ? '2022-03-H1' : '2022-04-H1', '11.0000');
      // Without maxAge: the write is in the answer (read-your-writes).
      const strict = await get(ctx.app, url);
      expect(Number(completed(strict.body))).toBe(Number(before) + 11);
      expect(BigInt(strict.version)).toBeGreaterThan(BigInt(first.version));

      // With maxAge: the kept answer, older than the write, served at once and saying so — its version
      // is behind, its snapshot reproduces it; the refreshed one follows.
      const served = await get(ctx.app, `${url}&maxAge=60`);
      expect(served.version).toBe(first.version);
      expect(served.knownAt).toBe(first.knownAt);
      expect(completed(served.body)).toBe(before);
      await expectReproducible(url, served);
      const refreshed = await until(async () => completed((await get(ctx.app, `${url}&maxAge=60`)).body) === (Number(before) + 11).toFixed(4));
      expect(refreshed, 'the background refresh brought the write in').toBe(true);
      const latest = await get(ctx.app, `${url}&maxAge=60`);
      expect(BigInt(latest.version)).toBeGreaterThanOrEqual(BigInt(strict.version));
      expect(Date.parse(latest.knownAt)).toBeGreaterThan(Date.parse(first.knownAt));
      await expectReproducible(url, latest);
    }
  });

  it('computes again once the kept answer is older than maxAge, and never serves an older answer to a reader without it', async () => {
    const { project } = await setUp();
    const first = await get(ctx.app, `${SUMMARY_2}&maxAge=1`);
    await postReport(project.id, '2022-03-H1', '3.0000');
    await new Promise((r) => setTimeout(r, 1100));
    // Older than a second: computed for this request, with the write.
    const fresh = await get(ctx.app, `${SUMMARY_2}&maxAge=1`);
    expect(fresh.age).toBe(0);
    expect(BigInt(fresh.version)).toBeGreaterThan(BigInt(first.version));
    expect((fresh.body as { figures: { investmentCompleted: { value: string } } }).figures.investmentCompleted.value).toBe('3.0000');
    // A SQL write counts like an API one; a reader without maxAge sees it at once.
    await db().execute(sql`update projects set estimated_investment = '30000.0000' where id = ${project.id}`);
    const strict = await get(ctx.app, SUMMARY_2);
    expect((strict.body as { figures: { estimatedInvestment: { value: string } } }).figures.estimatedInvestment.value).toBe('30000.0000');
    await expectReproducible(SUMMARY_2, strict);
  });

  it('refuses a maxAge that is not a whole number of seconds up to 300', async () => {
    for (const bad of ['-1', '301', '1.5', 'soon']) {
      const response = await ctx.app.inject({ method: 'GET', url: `${SUMMARY}&maxAge=${bad}` });
      expect(response.statusCode, bad).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('two instances on one database: each serves answers that equal the figures at the snapshot they name', async () => {
    const { project } = await setUp();
    const second = (await buildApp({ config: testConfig(), database: ctx.testDb.database })) as unknown as FastifyInstance;
    await second.ready();
    try {
      const asAdmin = { authorization: `Bearer ${ctx.adminKey}` };
      const read = async (app: FastifyInstance) => {
        const response = await app.inject({ method: 'GET', url: `${SUMMARY_3}&maxAge=60`, headers: asAdmin });
        expect(response.statusCode, response.body).toBe(200);
        return { body: json(response), knownAt: response.headers['kpo-known-at'] as string };
      };
      const answers = [];
      for (let i = 0; i < 6; i++) {
        await postReport(project.id, `2022-0${1 + (i % 6)}-H${1 + (i % 2)}`, `${i + 1}.0000`);
        answers.push(await read(i % 2 === 0 ? ctx.app : second));
      }
      for (const answer of answers) await expectReproducible(SUMMARY_3, answer);
    } finally {
      await second.close();
    }
  });

  it('while reports are being written concurrently, every maxAge answer equals the figures as known at the instant it names', async () => {
    const f = fixtures(db());
    const dept = await f.department('住建局');
    const projects = [];
    for (let i = 0; i < 4; i++) {
      const p = await f.planned({ departmentId: dept.id, estimated: '20000.0000', stage: 'continuing', planned: '2000.0000' });
      await f.status(p.id, 'under_construction', '2021-05-01');
      projects.push(p.id);
    }
    const periods = ['2022-01-H1', '2022-01-H2', '2022-02-H1', '2022-02-H2', '2022-03-H1', '2022-03-H2', '2022-04-H1', '2022-04-H2'];
    let writing = true;
    const writers = (async () => {
      // Spread over about three seconds: a maxAge answer is refreshed at most once a second.
      for (const period of periods) {
        await Promise.all(projects.map((id, k) => postReport(id, period, `${k + 1}.0000`)));
        await new Promise((r) => setTimeout(r, 350));
      }
      writing = false;
    })();
    // Every distinct answer read (by the snapshot it names), three readers at a time.
    const answers = new Map<string, { body: Record<string, unknown>; knownAt: string }>();
    let reads = 0;
    while (writing) {
      const readers = await Promise.all([0, 1, 2].map(() => get(ctx.app, `${SUMMARY_4}&maxAge=60`)));
      for (const r of readers) if (!answers.has(r.knownAt)) answers.set(r.knownAt, r);
      reads += readers.length;
      await new Promise((r) => setTimeout(r, 5));
    }
    await writers;
    expect(reads).toBeGreaterThan(3);
    // The answers moved along with the writes (refreshed in the background), and each is exact for its instant.
    expect(answers.size).toBeGreaterThan(1);
    for (const answer of answers.values()) await expectReproducible(SUMMARY_4, answer);
  });
});
