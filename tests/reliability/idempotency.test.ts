import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

function createDepartment(body: Record<string, unknown>, key?: string, actor = 'caller-a') {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/departments',
    payload: body,
    headers: { 'x-actor': actor, ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.testDb.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function departmentCount(code: string): Promise<number> {
  const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from departments where code = ${code}`);
  return row!.n;
}

describe('Idempotency-Key on POST', () => {
  it('creates exactly one record from 50 concurrent identical POSTs; the others replay it or are told it is in progress', async () => {
    const body = { code: 'FGJ', name: '发改局' };
    const responses = await Promise.all(Array.from({ length: 50 }, () => createDepartment(body, 'burst-1')));
    expect(await departmentCount('FGJ')).toBe(1);

    const original = responses.filter((r) => r.statusCode === 201 && r.headers['idempotency-replayed'] === undefined);
    expect(original).toHaveLength(1);
    for (const response of responses) {
      expect([201, 409]).toContain(response.statusCode);
      if (response.statusCode === 201) {
        expect(response.body).toBe(original[0]!.body);
        expect(response.headers.location).toBe(original[0]!.headers.location);
      } else {
        expect(json(response).code).toBe('idempotency_in_progress');
        expect(response.headers['retry-after']).toBe('1');
      }
    }
  });

  it('replays the original status, body, Location and ETag with Idempotency-Replayed', async () => {
    const first = await createDepartment({ code: 'ZJJ', name: '住建局' }, 'replay-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const again = await createDepartment({ name: '住建局', code: 'ZJJ' }, 'replay-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe('"v1"');
    expect(await departmentCount('ZJJ')).toBe(1);
  });

  it('refuses the same key with another body with a 422 and writes nothing', async () => {
    expect((await createDepartment({ code: 'GXJ', name: '工信局' }, 'reuse-1')).statusCode).toBe(201);
    const other = await createDepartment({ code: 'SWJ', name: '水务局' }, 'reuse-1');
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(json(other).code).toBe('idempotency_key_reused');
    expect(await departmentCount('SWJ')).toBe(0);
  });

  it('keeps keys apart per caller (per API key; X-Actor names no caller)', async () => {
    expect((await createDepartment({ code: 'A1', name: '甲' }, 'shared-key', 'caller-a')).statusCode).toBe(201);
    const otherKey = await ctx.key({ role: 'admin', name: 'other caller' });
    const otherCaller = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      payload: { code: 'B1', name: '乙' },
      headers: { 'x-actor': 'caller-a', 'idempotency-key': 'shared-key', authorization: `Bearer ${otherKey}` },
    });
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.headers['idempotency-replayed']).toBeUndefined();
    // The same key under another X-Actor is the same caller: its Idempotency-Key is already taken.
    const sameKeyOtherName = await createDepartment({ code: 'C1', name: '丙' }, 'shared-key', 'caller-b');
    expect(sameKeyOtherName.statusCode).toBe(422);
    expect(json(sameKeyOtherName).code).toBe('idempotency_key_reused');
  });

  it('treats a request without the header normally, creating every time', async () => {
    const first = await createDepartment({ code: 'N1', name: '无键一' });
    const second = await createDepartment({ code: 'N2', name: '无键二' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from idempotency_keys`);
    expect(row!.n).toBe(0);
  });

  it('refuses a key that is empty, too long or not visible ASCII with a 400', async () => {
    for (const key of ['', 'x'.repeat(256), 'has space', 'café']) {
      const response = await createDepartment({ code: 'K1', name: '键' }, key);
      expect(response.statusCode, JSON.stringify(key)).toBe(400);
      expect(json(response).code).toBe('invalid_idempotency_key');
    }
    expect(await departmentCount('K1')).toBe(0);
    expect((await createDepartment({ code: 'K2', name: '键二' }, 'x'.repeat(255))).statusCode).toBe(201);
  });

  it('stores a 4xx and replays it', async () => {
    await createDepartment({ code: 'DUP', name: '重复' });
    const refused = await createDepartment({ code: 'DUP', name: '另一个' }, 'dup-1');
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('unique_violation');
    const again = await createDepartment({ code: 'DUP', name: '另一个' }, 'dup-1');
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toBe(refused.body);
  });

  it('releases the key after a 5xx so the retry runs again', async () => {
    const db = ctx.testDb.database.db;
    await db.execute(sql.raw(`create function kpo_test_fail_department() returns trigger language plpgsql as $$
      begin raise exception 'forced failure for the idempotency test'; end $$`));
    await db.execute(sql.raw(`create trigger kpo_test_fail_department before insert on departments
      for each row when (new.code = 'BOOM') execute function kpo_test_fail_department()`));
    try {
      const failed = await createDepartment({ code: 'BOOM', name: '失败' }, 'boom-1');
      expect(failed.statusCode).toBe(500);
      const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from idempotency_keys`);
      expect(row!.n).toBe(0);
    } finally {
      await db.execute(sql.raw('drop trigger kpo_test_fail_department on departments'));
      await db.execute(sql.raw('drop function kpo_test_fail_department()'));
    }
    const retried = await createDepartment({ code: 'BOOM', name: '失败' }, 'boom-1');
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotency-replayed']).toBeUndefined();
    expect(await departmentCount('BOOM')).toBe(1);
  });

  it('answers 409 outcome-unknown for a claim that outlived any request, and lets an expired key be used afresh', async () => {
    const first = await createDepartment({ code: 'OLD', name: '旧' }, 'old-1');
    expect(first.statusCode).toBe(201);
    await ctx.testDb.database.db.execute(
      sql`update idempotency_keys set state = 'in_progress', response_status = null, completed_at = null, created_at = now() - interval '1 hour' where key = 'old-1'`,
    );
    const stuck = await createDepartment({ code: 'OLD', name: '旧' }, 'old-1');
    expect(stuck.statusCode).toBe(409);
    expect(json(stuck).code).toBe('idempotency_outcome_unknown');

    await ctx.testDb.database.db.execute(sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = 'old-1'`);
    const fresh = await createDepartment({ code: 'NEW', name: '新' }, 'old-1');
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotency-replayed']).toBeUndefined();
  });

  it('keeps a key at least 24 hours', async () => {
    await createDepartment({ code: 'TTL', name: '保留' }, 'ttl-1');
    const [row] = await rows<{ hours: number }>(
      sql`select extract(epoch from expires_at - created_at)::int / 3600 as hours from idempotency_keys where key = 'ttl-1'`,
    );
    expect(row!.hours).toBeGreaterThanOrEqual(24);
  });

  it('documents the header and its 409 and 422 on every POST under /v1', async () => {
    const document = json(await ctx.app.inject({ method: 'GET', url: '/openapi.json' }));
    const posts = Object.entries(document.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[]; responses: Record<string, unknown> }>>)
      .filter(([path, ops]) => path.startsWith('/v1/') && ops.post)
      .map(([path, ops]) => ({ path, op: ops.post! }));
    expect(posts.length).toBeGreaterThan(10);
    for (const { path, op } of posts) {
      expect(op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'), path).toBe(true);
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(['400', '409', '422']));
    }
  });
});
