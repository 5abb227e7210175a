import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { json, useTestApp } from '../support/app.js';
import { onRealPostgres } from '../support/db.js';

const ctx = useTestApp();

async function createDepartment(code: string): Promise<string> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `${code}局` } });
  expect(response.statusCode).toBe(201);
  return json(response).id;
}

async function feed(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/changes${query}` });
  expect(response.statusCode).toBe(200);
  return json(response) as { items: { cursor: string; changeId: number; resourceType: string; resourceId: string; kind: string; state: Record<string, unknown> | null; link: string }[]; nextCursor: string; hasMore: boolean };
}

/**
 * Reads until `count` changes have arrived. On a shared PostgreSQL server a transaction of another
 * database can hold the snapshot's xmin back for a moment, so a change may take a poll or two.
 */
/** `cursor` undefined: from the beginning of the feed, as a new consumer starts. */
async function readUntil(cursor: string | undefined, count: number, timeoutMs = 10_000) {
  const seen: Awaited<ReturnType<typeof feed>>['items'] = [];
  let position = cursor;
  const deadline = Date.now() + timeoutMs;
  while (seen.length < count && Date.now() < deadline) {
    const page = await feed(position === undefined ? '?limit=2' : `?after=${position}&limit=2`);
    seen.push(...page.items);
    position = page.nextCursor;
    if (page.items.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { seen, cursor: position };
}

describe('change feed', () => {
  it('returns every change after the cursor in order, page by page, and resumes without repeating', async () => {
    const ids = [await createDepartment('FGJ'), await createDepartment('ZJJ'), await createDepartment('CZJ')];
    const { seen, cursor } = await readUntil(undefined, 3);
    expect(seen.map((c) => c.resourceId)).toEqual(ids);
    expect(seen.every((c) => c.kind === 'create' && c.resourceType === 'department')).toBe(true);
    // Nothing new: the same cursor comes back, so a consumer can poll with it.
    expect(await feed(`?after=${cursor}`)).toEqual({ items: [], nextCursor: cursor, hasMore: false });

    const updated = await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${ids[0]}`, headers: { 'if-match': '"v1"' }, payload: { name: '发改局' } });
    expect(updated.statusCode).toBe(200);
    const next = await readUntil(cursor, 1);
    expect(next.seen).toEqual([
      expect.objectContaining({ resourceType: 'department', resourceId: ids[0], kind: 'update', state: expect.objectContaining({ name: '发改局', version: 2 }) }),
    ]);
    expect(next.seen[0]!.link).toBe(`/v1/audit-events/${next.seen[0]!.changeId}`);
  });

  it('says when more changes are waiting and pages through them', async () => {
    for (const code of ['FGJ', 'ZJJ', 'CZJ']) await createDepartment(code);
    await readUntil(undefined, 3);
    const first = await feed('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const second = await feed(`?after=${first.nextCursor}&limit=2`);
    expect(second.items).toHaveLength(1);
    expect(second.hasMore).toBe(false);
  });

  it('resumes from the cursor of any item, as a consumer that crashed mid-page would', async () => {
    const ids = [await createDepartment('FGJ'), await createDepartment('ZJJ'), await createDepartment('CZJ')];
    const { seen } = await readUntil(undefined, 3);
    const resumed = await feed(`?after=${seen[0]!.cursor}`);
    expect(resumed.items.map((c) => c.resourceId)).toEqual(ids.slice(1));
  });

  it('keeps only the record types asked for', async () => {
    const departmentId = await createDepartment('FGJ');
    const leader = await ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name: '张某', title: '镇长' } });
    expect(leader.statusCode).toBe(201);
    await readUntil(undefined, 2);
    const page = await feed('?types=department');
    expect(page.items.map((c) => c.resourceId)).toEqual([departmentId]);
    const both = await feed('?types=leader,department');
    expect(both.items.map((c) => c.resourceType)).toEqual(['department', 'leader']);
  });

  it('refuses a cursor it did not issue and a malformed type list with 400', async () => {
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/changes?after=bm90LWEtY3Vyc29y' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).code).toBe('invalid_cursor');
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/changes?types=Project;drop' })).statusCode).toBe(400);
  });

  it('refuses a hand-made or altered cursor, which would otherwise skip every change before the position it names', async () => {
    await createDepartment('FGJ');
    const { cursor } = await readUntil(undefined, 1);
    const [payload, tag] = cursor!.split('.');
    // The start of the feed written by hand, and a real position moved forward, each with and without a tag.
    const start = Buffer.from(JSON.stringify({ x: '0', i: 0 })).toString('base64url');
    const ahead = Buffer.from(JSON.stringify({ x: '999999999', i: 999999 })).toString('base64url');
    for (const forged of [start, `${start}.${tag}`, `${ahead}.${tag}`, `${payload}.${'A'.repeat(22)}`, `${payload}x.${tag}`]) {
      const response = await ctx.app.inject({ method: 'GET', url: `/v1/changes?after=${forged}` });
      expect(response.statusCode, forged).toBe(400);
      expect(json(response).code, forged).toBe('invalid_cursor');
    }
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/changes?after=${cursor}` })).statusCode).toBe(200);
  });

  it('refuses a record type that does not exist instead of answering an empty feed', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/changes?types=project,bogus' });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: '/types' })] });
  });

  it.runIf(onRealPostgres())('holds back a later commit until an earlier open transaction ends, then returns both exactly once (PostgreSQL)', async () => {
    await createDepartment('FGJ');
    const { cursor } = await readUntil(undefined, 1);

    const earlier = new pg.Client({ connectionString: ctx.testDb.url });
    const later = new pg.Client({ connectionString: ctx.testDb.url });
    await earlier.connect();
    await later.connect();
    try {
      const insert = `insert into audit_events (actor, action, resource_type, resource_id) values ('test', 'create', 'probe', $1) returning id, xact_id::text`;
      await earlier.query('begin');
      const [a] = (await earlier.query(insert, ['earlier'])).rows;
      await later.query('begin');
      const [b] = (await later.query(insert, ['later'])).rows;
      await later.query('commit');
      // The later transaction has the higher id and xact id and has committed; the earlier is still open.
      expect(Number(b.id)).toBeGreaterThan(Number(a.id));
      expect(BigInt(b.xact_id)).toBeGreaterThan(BigInt(a.xact_id));
      for (let i = 0; i < 5; i++) {
        const page = await feed(`?after=${cursor}`);
        expect(page.items).toEqual([]);
        expect(page.nextCursor).toBe(cursor);
      }
      await earlier.query('commit');
      const { seen, cursor: end } = await readUntil(cursor, 2);
      expect(seen.map((c) => c.resourceId)).toEqual(['earlier', 'later']);
      expect((await feed(`?after=${end}`)).items).toEqual([]);
    } finally {
      await earlier.end();
      await later.end();
    }
  });

  it.runIf(onRealPostgres())('gives a consumer polling during concurrent writes every change exactly once (PostgreSQL)', async () => {
    // The consumer's position before any write: read first, so no write can commit ahead of it (with
    // authentication every request queues a key lookup too, so a read sent after the writes came late).
    let cursor = (await feed('')).nextCursor;
    const writes = Array.from({ length: 40 }, (_, i) => createDepartment(`C${String(i).padStart(2, '0')}`));
    const seen: number[] = [];
    let settled = false;
    const all = Promise.all(writes).finally(() => (settled = true));
    while (!settled) {
      const page = await feed(`?after=${cursor}&limit=7`);
      seen.push(...page.items.map((c) => c.changeId));
      cursor = page.nextCursor;
    }
    await all;
    const rest = await readUntil(cursor, 40 - seen.length);
    seen.push(...rest.seen.map((c) => c.changeId));
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });
});
