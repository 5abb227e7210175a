import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { bootstrapKeyIn, insertKeyByUrl } from '../support/keys.js';
import { nodeArgsOf, root } from '../support/npm-start.js';

// These tests run the real entry point as a child process, as `npm start` does: src/server.ts bundled
// into dist/server.mjs (built once by the tests' globalSetup) under node.
let testDb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-server-'));
});
afterAll(async () => {
  await testDb.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, nodeArgsOf('start'), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += String(d)));
  child.stderr?.on('data', (d) => (text += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('server entry point', () => {
  it('starts as npm start does on an empty DATA_DIR (a fresh install): /health/live, /health/ready and /docs answer 200', { timeout: 120_000 }, async () => {
    // Always the embedded database, as on a machine with nothing configured, whichever database the suite runs on.
    const fresh = mkdtempSync(join(tmpdir(), 'kpo-npm-start-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = startServer({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: fresh, LOG_LEVEL: 'warn' });
    try {
      const base = `http://127.0.0.1:${port}`;
      const get = async (path: string) => {
        try {
          const response = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
          return { status: response.status, text: await response.text() };
        } catch {
          return { status: 0, text: '' };
        }
      };
      const deadline = Date.now() + 100_000;
      while ((await get('/health/live')).status !== 200) {
        if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
        if (Date.now() > deadline) throw new Error(`no answer from /health/live:\n${server.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The migrations were found and applied from the bundle's location (dist/), not src/db/.
      expect((await get('/health/ready')).status).toBe(200);
      const docs = await get('/docs');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('swagger-ui');
      // Swagger UI's files come from its package in node_modules, which the bundle imports, not inlines.
      const asset = await get('/docs/static/swagger-ui-bundle.js');
      expect(asset.status).toBe(200);
      expect(asset.text.length).toBeGreaterThan(100_000);
      expect(readdirSync(fresh)).toContain('PG_VERSION');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad configuration value and names the variable', { timeout: 60_000 }, async () => {
    const server = startServer({ PORT: 'not-a-port' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/PORT/);
  });

  it('logs the API docs address, then finishes an in-flight request on SIGTERM and exits 0', { timeout: 120_000 }, async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const env: Record<string, string> = { PORT: port, HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '10000' };
    if (testDb.url) env.DATABASE_URL = testDb.url;
    else env.DATA_DIR = dataDir;
    // PostgreSQL: a key written beforehand; PGlite (an empty DATA_DIR): the one printed on first start.
    const insertedKey = testDb.url ? await insertKeyByUrl(testDb.url, { role: 'admin' }) : undefined;
    const server = startServer(env);
    await waitFor(() => server.output().includes('API docs at'), 100_000);
    expect(server.output()).toContain(`http://127.0.0.1:${port}/docs`);
    await waitFor(() => Boolean(insertedKey ?? bootstrapKeyIn(server.output())), 30_000);
    const key = insertedKey ?? bootstrapKeyIn(server.output())!;

    // A request whose body is still arriving when SIGTERM comes: it was accepted, so it must finish.
    const body = JSON.stringify({ code: 'SHUTDOWN', name: '停机测试部门' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: Number(port), method: 'POST', path: '/v1/departments', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += String(d)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 300);
    });
    const result = await response;
    expect(result.status).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'SHUTDOWN' });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shut down cleanly');
  });
});
