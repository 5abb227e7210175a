import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/pg-cluster.js';
import { adminKeyFor, startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

const GRACE_MS = 8000;

interface Answer {
  code: string;
  status?: number;
  body?: string;
  error?: string;
}

/**
 * One POST /v1/departments on its own connection. `hold` bytes of the body are sent at once and
 * the rest only when `release` resolves, so the request is in flight for as long as the test wants.
 * `written` resolves once the sent part has left for the server.
 */
function post(port: number, key: string, code: string, hold?: Promise<void>): { written: Promise<void>; answer: Promise<Answer> } {
  const body = JSON.stringify({ code, name: `停机测试部门${code}` });
  let markWritten: () => void = () => {};
  const written = new Promise<void>((r) => (markWritten = r));
  const answer = new Promise<Answer>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/departments',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += String(d)));
        res.on('aborted', () => resolve({ code, status: res.statusCode, error: 'response cut off' }));
        res.on('end', () => resolve({ code, status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (error) => resolve({ code, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    if (hold) {
      req.write(body.slice(0, 12), () => markWritten());
      void hold.then(async () => {
        req.write(body.slice(12, 30));
        await new Promise((r) => setTimeout(r, 300));
        req.end(body.slice(30));
      });
    } else {
      req.end(body, () => markWritten());
    }
  });
  return { written, answer };
}

describe('graceful shutdown under load', () => {
  let testDb: TestDatabase;
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'kpo-shutdown-'));
  });
  afterAll(async () => {
    await server?.stop();
    await testDb.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes every accepted request after SIGTERM, slow bodies included, and exits 0 within SHUTDOWN_GRACE_MS', { timeout: 240_000 }, async () => {
    const port = await freePort();
    server = startServer(port, {
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'warn',
      ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }),
    });
    await waitUntilReady(server, 180_000);
    const key = await adminKeyFor(server, testDb.url);
    const run = `S${Date.now().toString(36)}`;

    // Ten requests whose bodies are still arriving when SIGTERM comes…
    let releaseBodies: () => void = () => {};
    const bodiesReleased = new Promise<void>((r) => (releaseBodies = r));
    const slow = Array.from({ length: 10 }, (_, i) => post(port, key, `${run}-slow-${i}`, bodiesReleased));
    await Promise.all(slow.map((s) => s.written));
    // …and ten ordinary ones sent together: SIGTERM goes as soon as the server answers the first.
    const burst = Array.from({ length: 10 }, (_, i) => post(port, key, `${run}-burst-${i}`));
    await Promise.all(burst.map((s) => s.written));
    await Promise.race(burst.map((s) => s.answer));
    const sigtermAt = Date.now();
    server.child.kill('SIGTERM');

    // New connections after SIGTERM may be refused; they must not hang.
    const late: Promise<Answer>[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      late.push(post(port, key, `${run}-late-${i}`).answer);
    }
    await new Promise((r) => setTimeout(r, 300));
    releaseBodies();

    const accepted = await Promise.all([...slow, ...burst].map((s) => s.answer));
    const lateAnswers = await Promise.all(late);
    const exit = await server.exited;
    const output = server.output();

    expect(accepted.filter((a) => a.status !== 201 || a.error), output.slice(-3000)).toEqual([]);
    for (const answer of accepted) expect(JSON.parse(answer.body!)).toMatchObject({ code: answer.code });
    for (const answer of lateAnswers) {
      if (answer.error) expect(answer.error).toMatch(/ECONNREFUSED|ECONNRESET/);
      else expect([201, 503]).toContain(answer.status);
    }
    expect(exit.code, output.slice(-3000)).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(GRACE_MS);

    // Every 201 is stored: the process closed the database only after the last answer.
    const acknowledged = [...accepted, ...lateAnswers].filter((a) => a.status === 201).map((a) => a.code).sort();
    let stored: string[];
    if (testDb.url) {
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      stored = (await client.query<{ code: string }>('select code from departments where code like $1', [`${run}-%`])).rows.map((r) => r.code);
      await client.end();
    } else {
      const database = await createPgliteDatabase({ dataDir });
      const result = (await database.db.execute(sql`select code from departments where code like ${`${run}-%`}`)) as unknown as { rows: { code: string }[] };
      stored = result.rows.map((r) => r.code);
      await database.close();
    }
    expect(stored.sort()).toEqual(acknowledged);
    console.info(
      `shutdown: exited ${exit.at - sigtermAt} ms after SIGTERM (grace ${GRACE_MS} ms); ${accepted.length} accepted requests answered 201; ` +
        `late: ${lateAnswers.map((a) => a.error ?? a.status).join(', ')}`,
    );
  });
});
