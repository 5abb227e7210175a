import { spawn, type ChildProcess } from 'node:child_process';
import { bootstrapKeyIn, insertKeyByUrl } from './keys.js';
import { nodeArgsOf, root } from './npm-start.js';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and when it happened. */
  exited: Promise<{ code: number | null; at: number }>;
  /** SIGTERM, then SIGKILL if it is still there after `ms`; for afterAll. */
  stop(ms?: number): Promise<void>;
}

/**
 * Runs the service as a child process on 127.0.0.1:`port`, as `npm start` does: the bundle of the
 * real entry point (src/server.ts → dist/server.mjs, built once by the tests' globalSetup) under node.
 */
export function startServer(port: number, env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, nodeArgsOf('start'), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += String(d)));
  child.stderr?.on('data', (d) => (text += String(d)));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => text,
    exited,
    async stop(ms = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, or throws after `timeoutMs` with the server's output. */
export async function waitUntilReady(server: ServerProcess, timeoutMs: number, path = '/health/ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited during start:\n${server.output()}`);
    try {
      const response = await fetch(server.baseUrl + path, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready after ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An admin key for a server started by `startServer`: on PostgreSQL (`url` set) one is written into
 * its database; on PGlite (a fresh DATA_DIR) it is the key the server prints on its first start,
 * waited for here (it comes just after the server listens).
 */
export async function adminKeyFor(server: ServerProcess, url: string | undefined, timeoutMs = 30_000): Promise<string> {
  if (url) return insertKeyByUrl(url, { role: 'admin', name: 'server test admin' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const key = bootstrapKeyIn(server.output());
    if (key) return key;
    if (server.child.exitCode !== null) throw new Error(`server exited before printing its first admin key:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`no admin key printed after ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
