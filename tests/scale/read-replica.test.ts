import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../support/app.js';
import { testConfig } from '../../src/config.js';
import { createPostgresDatabase } from '../../src/db/client.js';
import type { Database, Db } from '../../src/db/types.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../support/db.js';
import { bearer, insertKey } from '../support/keys.js';

const script = join(import.meta.dirname, '..', '..', 'bench', 'replica.sh');

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows[0]!;
}

describe.runIf(onRealPostgres())('with DATABASE_READ_URL (needs a real PostgreSQL server and a streaming replica of it)', () => {
  let testDb: TestDatabase;
  let database: Database;
  let app: FastifyInstance;
  let key: string;
  let replicaDir: string;
  const replicaPort = 55_000 + Math.floor(Math.random() * 2000);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    replicaDir = mkdtempSync(join(tmpdir(), 'kpo-replica-test-'));
    // pg_basebackup copies the cluster, this file's database included; WAL streaming keeps it current.
    const server = execFileSync(script, ['start', replicaDir, String(replicaPort)], { encoding: 'utf8' }).trim();
    const replicaUrl = new URL(testDb.url!);
    replicaUrl.port = new URL(server).port;
    database = createPostgresDatabase({ url: testDb.url!, readUrl: replicaUrl.toString(), poolMax: 3 });
    app = (await buildApp({ config: testConfig(), database })) as unknown as FastifyInstance;
    await app.ready();
    // Written on the primary before the replica is asked anything; keys are looked up on the primary.
    key = (await insertKey(database.db, { role: 'admin' })).key;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
    await testDb?.close();
    if (replicaDir) execFileSync(script, ['stop', replicaDir]);
  }, 60_000);

  it('sends read-only work to the replica and writes to the primary', async () => {
    const read = await one<{ recovery: boolean; port: number }>(database.readDb, sql`select pg_is_in_recovery() as recovery, inet_server_port() as port`);
    const write = await one<{ recovery: boolean; port: number }>(database.db, sql`select pg_is_in_recovery() as recovery, inet_server_port() as port`);
    expect(read).toEqual({ recovery: true, port: replicaPort });
    expect(write.recovery).toBe(false);
    expect(write.port).not.toBe(replicaPort);
  });

  it('lists a new project only once the replica has replayed it, while reading it by id sees the primary at once', async () => {
    const department = await app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'REPL', name: '复制测试部门' }, headers: bearer(key) });
    expect(department.statusCode).toBe(201);
    const departmentId = department.json().id as string;
    const listed = async () => {
      const page = await app.inject({ method: 'GET', url: `/v1/projects?departmentId=${departmentId}`, headers: bearer(key) });
      expect(page.statusCode).toBe(200);
      return (page.json().items as { id: string }[]).map((p) => p.id);
    };

    // Holding WAL replay on the replica makes "served by the replica" visible through the API.
    await database.readDb.execute(sql`select pg_wal_replay_pause()`);
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/projects',
        payload: { code: 'REPL-001', name: '读写分离测试项目', category: 'transport', estimatedInvestment: '1000.0000', departmentId },
        headers: bearer(key),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect((await app.inject({ method: 'GET', url: `/v1/projects/${id}`, headers: bearer(key) })).statusCode).toBe(200);
      expect(await listed()).toEqual([]);

      await database.readDb.execute(sql`select pg_wal_replay_resume()`);
      await expect.poll(listed, { timeout: 15_000, interval: 100 }).toEqual([id]);
    } finally {
      await database.readDb.execute(sql`select pg_wal_replay_resume()`);
    }
  });
});
