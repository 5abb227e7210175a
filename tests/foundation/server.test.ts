import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { bootstrapKeyIn, insertKeyByUrl } from '../support/keys.js';

// These tests run the real entry point (src/server.ts) as a child process.
const root = join(import.meta.dirname, '..', '..');
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
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
