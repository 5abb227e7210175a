import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock's file name inside the data directory (left out when the directory is checked for emptiness). */
export const LOCK_FILE = 'kpo.lock';

/** Who holds the embedded data directory: written into the lock file as JSON. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The process's start time as the kernel counts it (/proc/<pid>/stat field 22), when known: tells a reused pid apart. */
  procStart: string | null;
  startedAt: string;
  command: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `kpo: the embedded data directory ${dataDir} is in use by process ${holder.pid} on ${holder.host} (${holder.command}, started ${holder.startedAt}). ` +
            'Stop that process first: two processes on one embedded database can damage it. To run beside a server, use PostgreSQL (DATABASE_URL). / 嵌入式数据目录正被另一进程使用，请先停止该进程'
        : `kpo: the embedded data directory ${dataDir} is locked (${join(dataDir, LOCK_FILE)}) and its holder cannot be read; if no kpo process uses it, delete that file.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** The kernel's start time of a process (clock ticks since boot), or null where /proc does not say. */
function procStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count the fields after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Whether a lock's holder is gone: on this host, its pid is not running, or runs a process that started
 * at another time (the pid was reused, e.g. pid 1 of a restarted container). A holder on another host
 * (a shared volume) cannot be checked, so it is never taken for stale.
 */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return holder.procStart !== procStartOf(process.pid) || holder.procStart === null;
  if (!alive(holder.pid)) return true;
  const start = procStartOf(holder.pid);
  return holder.procStart !== null && start !== null && start !== holder.procStart;
}

function me(): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    procStart: procStartOf(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: process.argv.slice(1).map((a) => a.split('/').slice(-2).join('/')).join(' ').slice(0, 200) || 'node',
  };
}

function create(path: string, holder: LockHolder): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    try {
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the data directory for this process (the server, seed:demo, keys): refuses with
 * DataDirLockedError naming the holder while another live process has it, and takes over a stale
 * lock (its holder crashed or was killed). The takeover is serialised by a directory made with mkdir
 * (atomic): of two processes finding the same stale lock, one replaces it and the other then finds
 * the new holder alive. Released on `release()` and, should the process end without it, at exit.
 */
export function lockDataDir(dataDir: string): { release(): void; holder: LockHolder } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const mutex = `${path}.takeover`;
  const holder = me();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (create(path, holder)) break;
    const current = readHolder(path);
    if (current && !isStale(current)) throw new DataDirLockedError(dataDir, current);
    if (!current) {
      // Being written this instant, or damaged: wait a moment, then treat a lock still unreadable as stale.
      if (attempt < 5) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
    }
    try {
      mkdirSync(mutex);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another process is taking over; a mutex left by a crash during a takeover is old: remove it.
      try {
        if (Date.now() - statSync(mutex).mtimeMs > 10_000) rmdirSync(mutex);
      } catch {
        // gone already
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      continue;
    }
    try {
      const again = readHolder(path);
      if (again && !isStale(again)) throw new DataDirLockedError(dataDir, again);
      if (again === null && current !== null) continue;
      try {
        unlinkSync(path);
      } catch {
        // removed by the holder meanwhile
      }
      if (!create(path, holder)) continue;
      break;
    } finally {
      rmdirSync(mutex);
    }
  }
  const ours = readHolder(path);
  if (!ours || ours.pid !== holder.pid || ours.procStart !== holder.procStart || ours.startedAt !== holder.startedAt) {
    throw new DataDirLockedError(dataDir, ours);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const now = readHolder(path);
    if (now && now.pid === holder.pid && now.startedAt === holder.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { release, holder };
}
