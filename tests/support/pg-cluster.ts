import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** True when this machine can create a throwaway PostgreSQL 15 cluster. */
export function canCreateCluster(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PgCluster {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated (57P01), new connections refused. */
  stop(): Promise<void>;
  /** Stops it if running and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * A private PostgreSQL 15 cluster in a temp directory on a random port, for tests that stop the
 * database: the shared server on 5432 serves other test files at the same time. PostgreSQL refuses
 * to run as root, so as root the binaries run as the postgres user.
 */
export async function createCluster(): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'kpo-pg-'));
  const dataDir = join(root, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]) : run(join(BIN, tool), args);
  const port = await freePort();
  let running = false;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      // fsync=off: the tests are about the service; surviving power loss is PostgreSQL's own job.
      await pg('pg_ctl', ['-D', dataDir, '-l', join(root, 'log'), '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', 'start']);
      running = true;
    },
    async stop() {
      await pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running || existsSync(join(dataDir, 'postmaster.pid'))) await pg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        running = false;
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  try {
    await pg('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
