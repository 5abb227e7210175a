import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../src/config.js';
import { createPostgresDatabase } from '../../src/db/client.js';
import { buildApp, json, useTestApp } from '../support/app.js';
import { onRealPostgres } from '../support/db.js';

const ctx = useTestApp();

/** A second instance of the service: its own app and its own pool on the same database (its inject sends no key by itself). */
async function withSecondInstance(run: (second: FastifyInstance) => Promise<void>) {
  const database = createPostgresDatabase({ url: ctx.testDb.url!, poolMax: 5, applicationName: 'kpo-second-instance' });
  const second = (await buildApp({ config: testConfig(), database })) as unknown as FastifyInstance;
  await second.ready();
  try {
    await run(second);
  } finally {
    await second.close();
    await database.close();
  }
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.testDb.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe('concurrency across two instances (needs the real PostgreSQL server)', () => {
  it.runIf(onRealPostgres())('lets exactly one of 20 concurrent PATCHes with the same ETag win across two instances; the rest get 412', async () => {
    await withSecondInstance(async (second) => {
      const created = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FGJ', name: '发改局' } });
      const id = json(created).id as string;
      const instances = [ctx.app, second];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          instances[i % 2]!.inject({
            method: 'PATCH',
            url: `/v1/departments/${id}`,
            payload: { contactPerson: `editor-${i}` },
            headers: { 'if-match': created.headers.etag as string, 'x-actor': `editor-${i}`, authorization: `Bearer ${ctx.adminKey}` },
          }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      const winner = json(responses.find((r) => r.statusCode === 200)!);
      expect(winner.version).toBe(2);

      const stored = json(await second.inject({ method: 'GET', url: `/v1/departments/${id}`, headers: { authorization: `Bearer ${ctx.adminKey}` } }));
      expect(stored).toMatchObject({ contactPerson: winner.contactPerson, version: 2 });
      const audit = await rows<{ onBehalfOf: string; contact: string }>(
        sql`select on_behalf_of as "onBehalfOf", after->>'contactPerson' as contact from audit_events where resource_id = ${id} and action = 'update'`,
      );
      expect(audit).toEqual([{ onBehalfOf: winner.contactPerson, contact: winner.contactPerson }]);
    });
  });

  it.runIf(onRealPostgres())('creates one record from 50 concurrent POSTs with one Idempotency-Key spread over two instances', async () => {
    await withSecondInstance(async (second) => {
      const instances = [ctx.app, second];
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          instances[i % 2]!.inject({
            method: 'POST',
            url: '/v1/departments',
            payload: { code: 'ZJJ', name: '住建局' },
            headers: { 'idempotency-key': 'two-instances', 'x-actor': 'caller-a', authorization: `Bearer ${ctx.adminKey}` },
          }),
        ),
      );
      const [count] = await rows<{ n: number }>(sql`select count(*)::int as n from departments where code = 'ZJJ'`);
      expect(count!.n).toBe(1);
      const originals = responses.filter((r) => r.statusCode === 201 && !r.headers['idempotency-replayed']);
      expect(originals).toHaveLength(1);
      for (const r of responses) {
        if (r.statusCode === 201) expect(r.body).toBe(originals[0]!.body);
        else expect([r.statusCode, json(r).code]).toEqual([409, 'idempotency_in_progress']);
      }
    });
  });
});
