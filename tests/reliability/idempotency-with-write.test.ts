import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { rowsOf } from '../../src/db/rows.js';
import { reportHelpers } from '../reports/support.js';

/**
 * POST /v1/progress-reports stores its Idempotency-Key answer in the report's own transaction
 * (config.idempotency 'with-write', src/plugins/idempotency.ts): the same guarantees as claim first,
 * with the record and its stored answer committing together.
 */
const ctx = useTestApp();
const helpers = reportHelpers(ctx);

function post(body: Record<string, unknown>, key?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/progress-reports',
    payload: body,
    headers: { 'x-actor': '住建局', ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
}

const count = async (query: ReturnType<typeof sql>) => (await rowsOf<{ n: number }>(ctx.testDb.database.db, query))[0]!.n;
const reportsOf = (projectId: string) => count(sql`select count(*)::int as n from progress_reports where project_id = ${projectId}`);
const auditsOf = (projectId: string) =>
  count(sql`select count(*)::int as n from audit_events where resource_type = 'progress_report' and after->>'projectId' = ${projectId}`);

async function report(period = '2022-03-H2') {
  const project = await helpers.createProject();
  return { projectId: project.id, period, ...helpers.figures() };
}

describe('Idempotency-Key stored with the report it created', () => {
  it('replays the 201 byte for byte, with Location and ETag, and the report and its audit event exist once', async () => {
    const body = await report();
    const first = await post(body, 'with-write-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const [key] = await rowsOf<{ state: string; status: number; body: string }>(
      ctx.testDb.database.db,
      sql`select state, response_status as status, response_body as body from idempotency_keys where key = 'with-write-1'`,
    );
    expect(key).toEqual({ state: 'completed', status: 201, body: first.body });

    const again = await post({ ...body }, 'with-write-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(await reportsOf(body.projectId)).toBe(1);
    expect(await auditsOf(body.projectId)).toBe(1);
  });

  it('answers 20 concurrent identical POSTs with one report: every answer is its 201', async () => {
    const body = await report();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, 'with-write-burst')));
    expect(await reportsOf(body.projectId)).toBe(1);
    const original = responses.filter((r) => r.headers['idempotency-replayed'] === undefined);
    expect(original).toHaveLength(1);
    for (const response of responses) {
      expect(response.statusCode).toBe(201);
      expect(response.body).toBe(original[0]!.body);
    }
  });

  it('refuses the key with another body with a 422, and the second write is rolled back', async () => {
    const body = await report();
    expect((await post(body, 'with-write-reuse')).statusCode).toBe(201);
    // Another project: this write would succeed on its own, so only the held key stops it.
    const other = await report();
    const refused = await post(other, 'with-write-reuse');
    expect(refused.statusCode).toBe(422);
    expect(json(refused).code).toBe('idempotency_key_reused');
    expect(await reportsOf(other.projectId)).toBe(0);
    expect(await auditsOf(other.projectId)).toBe(0);
  });

  it('rolls the report back when its key is held by a claim-first request in progress', async () => {
    const body = await report();
    await ctx.testDb.database.db.execute(sql`insert into idempotency_keys (caller, key, request_hash, state, claim_token, expires_at)
      select id, 'with-write-held', 'another request', 'in_progress', 'token', now() + interval '1 hour' from api_keys where name = 'test admin'`);
    const refused = await post(body, 'with-write-held');
    expect(refused.statusCode).toBe(422);
    expect(await reportsOf(body.projectId)).toBe(0);
  });

  it('stores a 4xx after the rolled-back write and replays it; a request without a key creates as usual', async () => {
    const body = { ...(await report()), period: '2099-01-H1' };
    const refused = await post(body, 'with-write-4xx');
    expect(refused.statusCode).toBe(422);
    expect(json(refused).code).toBe('period_not_started');
    const again = await post(body, 'with-write-4xx');
    expect(again.statusCode).toBe(422);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toBe(refused.body);

    const plain = await report();
    const created = await post(plain);
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(`/v1/progress-reports/${json(created).id}`);
    expect(created.headers.etag).toBe('"v1"');
    expect((await post(plain)).statusCode).toBe(409);
  });

  it('stores nothing on a 5xx, so the retry runs again and creates the report', async () => {
    const db = ctx.testDb.database.db;
    const body = await report();
    await db.execute(sql.raw(`create function kpo_test_fail_report() returns trigger language plpgsql as $$
      begin raise exception 'forced failure for the idempotency test'; end $$`));
    await db.execute(sql.raw(`create trigger kpo_test_fail_report before insert on progress_report_revisions
      for each row execute function kpo_test_fail_report()`));
    try {
      expect((await post(body, 'with-write-5xx')).statusCode).toBe(500);
      expect(await count(sql`select count(*)::int as n from idempotency_keys where key = 'with-write-5xx'`)).toBe(0);
      expect(await reportsOf(body.projectId)).toBe(0);
    } finally {
      await db.execute(sql.raw('drop trigger kpo_test_fail_report on progress_report_revisions'));
      await db.execute(sql.raw('drop function kpo_test_fail_report()'));
    }
    const retried = await post(body, 'with-write-5xx');
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotency-replayed']).toBeUndefined();
    expect(await reportsOf(body.projectId)).toBe(1);
  });

  it('takes over an expired key afresh', async () => {
    const first = await report();
    expect((await post(first, 'with-write-expired')).statusCode).toBe(201);
    await ctx.testDb.database.db.execute(sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = 'with-write-expired'`);
    const second = await report();
    const fresh = await post(second, 'with-write-expired');
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotency-replayed']).toBeUndefined();
    expect(await reportsOf(second.projectId)).toBe(1);
  });
});
