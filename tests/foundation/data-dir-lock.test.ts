import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir, type LockHolder } from '../../src/db/data-dir-lock.js';
import { freePort } from '../support/pg-cluster.js';
import { root } from '../support/npm-start.js';
import { startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

// Issue #18: two processes on one embedded data directory can damage it (seed:demo into a running
// server's directory left the server answering 0 plans). The directory is locked by its user.
const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpo-lock-'));
  dirs.push(dir);
  return dir;
};
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const procStartOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
const holderOf = (pid: number, procStart: string | null): LockHolder => ({
  pid,
  host: hostname(),
  procStart,
  startedAt: '2026-01-01T00:00:00.000Z',
  command: 'node dist/server.mjs',
});

describe('the embedded data directory lock', () => {
  it('refuses while a live process holds the directory, naming it', () => {
    const dir = fresh();
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holderOf(sleeper.pid!, procStartOf(sleeper.pid!))));
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${sleeper.pid} on ${hostname()} \\(node dist/server.mjs`));
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over the lock of a process that died, and of a reused pid (same pid, another start time)', async () => {
    const dir = fresh();
    const child = spawn('true');
    const pid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holderOf(pid, '1')));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    // A live process whose start time is not the recorded one holds a pid the holder once had.
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holderOf(sleeper.pid!, String(Number(procStartOf(sleeper.pid!)) - 1))));
      const again = lockDataDir(dir);
      expect(again.holder.pid).toBe(process.pid);
      // While this process holds it, another attempt is refused; after release it is free again.
      const other = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./src/db/data-dir-lock.ts').then((m) => m.lockDataDir(${JSON.stringify(dir)}))`], { cwd: root, encoding: 'utf8' });
      expect(other.status).not.toBe(0);
      expect(other.stderr).toContain(`in use by process ${process.pid}`);
      again.release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('leaves a lock on another host alone', () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...holderOf(999_999, null), host: 'another-host' }));
    expect(() => lockDataDir(dir)).toThrow(/in use by process 999999 on another-host/);
  });

  it('makes seed:demo and keys refuse to write into a running server\'s directory, and lets them after it stops', { timeout: 180_000 }, async () => {
    const dir = fresh();
    server = startServer(await freePort(), { LOG_LEVEL: 'warn', DATA_DIR: dir });
    await waitUntilReady(server, 120_000);
    const pid = server.child.pid!;
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir };
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/seed-demo.ts'], { cwd: root, env, encoding: 'utf8' });
    expect(seed.status).not.toBe(0);
    expect(seed.stdout + seed.stderr).toContain(`in use by process ${pid}`);
    const keys = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', 'list'], { cwd: root, env, encoding: 'utf8' });
    expect(keys.status).not.toBe(0);
    expect(keys.stdout + keys.stderr).toContain(`in use by process ${pid}`);
    // A second server on the same directory does not start either.
    const second = startServer(await freePort(), { LOG_LEVEL: 'warn', DATA_DIR: dir });
    expect((await second.exited).code).not.toBe(0);
    expect(second.output()).toContain(`in use by process ${pid}`);

    await server.stop();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const after = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', 'list'], { cwd: root, env, encoding: 'utf8' });
    expect(after.status, after.stderr).toBe(0);
  });
});
