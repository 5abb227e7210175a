import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { writeDemo } from '../../src/cli/demo/write-demo.js';

const ctx = useTestApp();
const seed = () => writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
const question = { list: 'city_key', year: 2022, asOf: '2022-03-31', basis: 'submitted' };

async function get(url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return json(response);
}

async function publish(extra: Record<string, unknown> = {}) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/v1/publications',
    headers: { 'x-actor': '重点项目办 张三' },
    payload: { ...question, title: '坦洲镇2022年市重点项目建设情况（截至3月份）', note: '供镇重点项目工作例会', ...extra },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { response, body: json(response) };
}

/** The March report corrected in April (the demo's), corrected again now. */
async function correctMarchReport(investmentCompleted: string) {
  const reports = await get('/v1/progress-reports?periodFrom=2022-03-H2&periodTo=2022-03-H2&limit=200');
  const corrected = reports.items.find((r: { currentRevision: number }) => r.currentRevision === 2);
  const read = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${corrected.id}` });
  const revised = await ctx.app.inject({
    method: 'POST',
    url: `/v1/progress-reports/${corrected.id}/revisions`,
    headers: { 'if-match': read.headers.etag as string },
    payload: { investmentCompleted, physicalProgress: '40.00', workOngoing: true, correctionReason: '复核后再核减' },
  });
  expect(revised.statusCode, revised.body).toBe(201);
  return corrected as { id: string; projectId: string; investmentCompleted: string };
}

describe('publications', () => {
  it('freezes the figures of the question, each equal to its live endpoint asked as known at the publication', { timeout: 180_000 }, async () => {
    await seed();
    const { response, body } = await publish();
    expect(response.headers.location).toBe(`/v1/publications/${body.id}`);
    expect(body).toMatchObject({ ...question, status: 'published', withdrawal: null, version: 1, publishedBy: { onBehalfOf: '重点项目办 张三' } });
    // The hash is the SHA-256 of the figures' text exactly as sent.
    const text = response.body.slice(response.body.indexOf('"figures":') + '"figures":'.length, -1);
    expect(createHash('sha256').update(text).digest('hex')).toBe(body.sha256);

    const k = `knownAt=${encodeURIComponent(body.knownAt)}`;
    const q = `year=2022&list=city_key&asOf=2022-03-31&basis=submitted&${k}`;
    const f = body.figures;
    expect(f.summary).toEqual(await get(`/v1/metrics/summary?${q}`));
    for (const by of ['stage', 'department', 'category']) expect(f.breakdowns[by]).toEqual(await get(`/v1/metrics/breakdown?${q}&by=${by}`));
    expect(f.compliance).toEqual(await get(`/v1/metrics/reporting-compliance?period=2022-03-H2&year=2022&list=city_key&basis=submitted&${k}`));
    expect(f.issues).toEqual(await get(`/v1/metrics/issues?from=2022-01-01&to=2022-03-31&${k}`));
    expect(f.financing).toEqual(await get(`/v1/metrics/financing?year=2022&${k}`));
    expect(f.batches).toEqual(await get(`/v1/metrics/batches?year=2022&${k}`));
    expect(f.warnings).toEqual(await get(`/v1/warnings/rollup?${q}&by=department`));
    const march = await get(`/v1/metrics/summary?year=2022&list=city_key&asOf=2022-03-15&${k}`);
    expect(f.progress.find((p: { period: string }) => p.period === '2022-03-H1').investmentCompleted).toBe(march.figures.investmentCompleted.value);
    expect(f.progress).toHaveLength(6);
    const reserve = await get(`/v1/metrics/summary?year=2022&list=city_key_reserve&asOf=2022-03-31&${k}`);
    expect(f.lists.find((l: { list: string }) => l.list === 'city_key_reserve')).toMatchObject({ projectCount: reserve.figures.projectCount.value, estimatedInvestment: '634300.0000' });

    // The report's figures, as the demo reproduces them.
    expect(f.summary.figures.projectCount.value).toBe(12);
    expect(f.summary.figures.estimatedInvestment.declaration.declared).toBe('757000');
    expect(f.summary.figures.investmentCompleted.value).toBe('29000.0000');
  });

  it("answers a publication exactly as published after later corrections, and its restatement names the correction's report", { timeout: 180_000 }, async () => {
    await seed();
    const { response, body } = await publish();
    const corrected = await correctMarchReport('2100.0000');
    const moved = (29000 + 2100 - Number(corrected.investmentCompleted)).toFixed(4);
    expect((await get('/v1/metrics/summary?year=2022&list=city_key&asOf=2022-03-31')).figures.investmentCompleted.value).toBe(moved);

    const again = await ctx.app.inject({ method: 'GET', url: `/v1/publications/${body.id}` });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(response.body);

    const r = await get(`/v1/publications/${body.id}/restatement`);
    expect(r).toMatchObject({ publicationId: body.id, sha256: body.sha256, publishedKnownAt: body.knownAt, changed: true });
    const completed = r.differences.find((d: { path: string }) => d.path === 'summary.figures.investmentCompleted.value');
    expect(completed).toMatchObject({ kind: 'derived', published: '29000.0000', current: moved, difference: (Number(moved) - 29000).toFixed(4) });
    expect(completed.records).toEqual([expect.objectContaining({ recordType: 'progress_report', id: corrected.id, projectId: corrected.projectId })]);
    // A figure the correction did not move is not listed.
    expect(r.differences.find((d: { path: string }) => d.path === 'summary.figures.projectCount.value')).toBeUndefined();
    // The declared figure, beside the derived one, then and now.
    expect(r.declarations.find((d: { figure: string }) => d.figure === 'estimated_investment')).toEqual({
      figure: 'estimated_investment',
      published: { declared: '757000', derived: '747100.0000' },
      current: { declared: '757000', derived: '747100.0000' },
    });
  });

  it('lists a changed declared figure as declared in the restatement', { timeout: 180_000 }, async () => {
    await seed();
    const { body } = await publish();
    const declared = await get('/v1/metrics/declared-figures?list=city_key&year=2022&limit=200');
    const estimated = declared.items.find((d: { figure: string }) => d.figure === 'estimated_investment');
    // Declared figures are replaced, not edited: the office deletes the old one and declares the new value.
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/declared-figures/${estimated.id}` });
    const removed = await ctx.app.inject({ method: 'DELETE', url: `/v1/metrics/declared-figures/${estimated.id}`, headers: { 'if-match': read.headers.etag as string } });
    expect(removed.statusCode, removed.body).toBe(204);
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...input } = estimated;
    const redeclared = await ctx.app.inject({ method: 'POST', url: '/v1/metrics/declared-figures', payload: { ...input, value: '757500' } });
    expect(redeclared.statusCode, redeclared.body).toBe(201);
    const r = await get(`/v1/publications/${body.id}/restatement`);
    const difference = r.differences.find((d: { path: string }) => d.path === 'summary.figures.estimatedInvestment.declaration.declared');
    expect(difference).toMatchObject({ kind: 'declared', published: '757000', current: '757500', difference: '500' });
    expect(difference.records.map((x: { id: string }) => x.id).sort()).toEqual([estimated.id, json(redeclared).id].sort());
    expect(difference.records.every((x: { recordType: string }) => x.recordType === 'declared_figure')).toBe(true);
  });

  it('withdraws a publication once, audited, and keeps it readable; it is never edited, not even in SQL', { timeout: 180_000 }, async () => {
    await seed();
    const { response, body } = await publish();
    const withdraw = (etag: string) =>
      ctx.app.inject({ method: 'POST', url: `/v1/publications/${body.id}/withdraw`, headers: { 'if-match': etag }, payload: { reason: '3月下半月报送有误' } });
    expect((await ctx.app.inject({ method: 'POST', url: `/v1/publications/${body.id}/withdraw`, payload: { reason: 'x' } })).statusCode).toBe(428);
    const done = await withdraw('"v1"');
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '3月下半月报送有误' }, version: 2 });
    expect(json(await withdraw('"v2"'))).toMatchObject({ status: 409, code: 'publication_withdrawn' });

    const read = await get(`/v1/publications/${body.id}`);
    expect(read.figures).toEqual(body.figures);
    expect(read.sha256).toBe(body.sha256);
    expect(read.status).toBe('withdrawn');

    const history = await get(`/v1/publications/${body.id}/history`);
    expect(history.items.map((v: { endedBy: string | null }) => v.endedBy)).toEqual(['update', null]);
    const audit = await get(`/v1/audit-events?resourceType=publication&resourceId=${body.id}`);
    expect(audit.items.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'transition']);
    const changes = await get('/v1/changes?types=publication');
    expect(changes.items.some((c: { resourceId: string }) => c.resourceId === body.id)).toBe(true);

    const db = ctx.testDb.database.db;
    await expect(db.execute(sql`update publications set content = '{}' where id = ${body.id}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from publications where id = ${body.id}`)).rejects.toThrow();
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/publications/${body.id}` })).body).not.toBe(response.body); // withdrawn: status changed
    expect((await get(`/v1/publications/${body.id}`)).figures).toEqual(body.figures);

    const page = await get('/v1/publications?list=city_key&year=2022&status=withdrawn&limit=1');
    expect(page.items.map((p: { id: string }) => p.id)).toEqual([body.id]);
    expect(page.items[0].figures).toBeUndefined();
    expect((await get('/v1/publications?status=published')).items).toEqual([]);
  });

  it('lets only office and admin keys publish and withdraw', { timeout: 60_000 }, async () => {
    const viewer = await ctx.key({ role: 'viewer', name: 'viewer' });
    for (const key of [viewer]) {
      const refused = await ctx.app.inject({ method: 'POST', url: '/v1/publications', headers: { authorization: `Bearer ${key}` }, payload: { ...question, title: 't' } });
      expect(refused.statusCode).toBe(403);
    }
    const office = await ctx.key({ role: 'office', name: 'office' });
    const made = await ctx.app.inject({ method: 'POST', url: '/v1/publications', headers: { authorization: `Bearer ${office}` }, payload: { ...question, title: '空名单' } });
    expect(made.statusCode, made.body).toBe(201);
    expect(json(made).figures.summary.figures.projectCount.value).toBe(0);
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/publications', payload: { ...question, title: 't', extra: 1 } })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/publications', payload: { ...question, asOf: '2021-12-31', title: 't' } })).statusCode).toBe(400);
  });
});
