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

// CI: 5 rounds; KILL_ROUNDS=20 npx vitest run tests/reliability/kill.test.ts for a longer run.
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 5);
const WRITERS = 4;

/** Creates departments one after another until the server goes; returns the codes answered 201. */
async function writer(baseUrl: string, key: string, prefix: string, stop: { stopped: boolean }): Promise<string[]> {
  const acknowledged: string[] = [];
  for (let n = 0; !stop.stopped; n++) {
    const code = `${prefix}-${n}`;
    try {
      const response = await fetch(`${baseUrl}/v1/departments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code, name: `断电测试${code}` }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status === 201) acknowledged.push(code);
    } catch {
      return acknowledged; // the server was killed: this answer never came, so it was not acknowledged
    }
  }
  return acknowledged;
}

describe('kill -9 while writing', () => {
  let testDb: TestDatabase;
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'kpo-kill-'));
  });
  afterAll(async () => {
    await server?.stop();
    await testDb.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`loses no acknowledged write over ${ROUNDS} SIGKILLs during concurrent writes (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, { timeout: 120_000 + ROUNDS * 60_000 }, async () => {
    const run = `K${Date.now().toString(36)}`;
    const acknowledged: string[] = [];
    let key: string | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const port = await freePort();
      server = startServer(port, { LOG_LEVEL: 'warn', ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }) });
      await waitUntilReady(server, 180_000);
      key ??= await adminKeyFor(server, testDb.url);
      const stop = { stopped: false };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(server!.baseUrl, key!, `${run}-${round}-${w}`, stop));
      // Killed at a moment between 1 and 3 s into the writes: mid-transaction, mid-answer or between.
      await new Promise((r) => setTimeout(r, 1000 + Math.floor(Math.random() * 2000)));
      server.child.kill('SIGKILL');
      await server.exited;
      stop.stopped = true;
      for (const codes of await Promise.all(writers)) acknowledged.push(...codes);
    }

    let stored: Set<string>;
    if (testDb.url) {
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      stored = new Set((await client.query<{ code: string }>('select code from departments where code like $1', [`${run}-%`])).rows.map((r) => r.code));
      await client.end();
    } else {
      const database = await createPgliteDatabase({ dataDir });
      const result = (await database.db.execute(sql`select code from departments where code like ${`${run}-%`}`)) as unknown as { rows: { code: string }[] };
      stored = new Set(result.rows.map((r) => r.code));
      await database.close();
    }
    const lost = acknowledged.filter((code) => !stored.has(code));
    console.info(`kill -9: ${ROUNDS} kills, ${acknowledged.length} acknowledged writes, ${lost.length} lost, ${stored.size - (acknowledged.length - lost.length)} stored without an answer`);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);
    expect(lost).toEqual([]);
  });
});
