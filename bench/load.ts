import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { nodeArgsOf } from '../tests/support/npm-start.js';

const root = join(import.meta.dirname, '..');

export interface Child {
  pid: number;
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Builds `entry` with src/cli/build.mjs (the build `npm start` runs first) into `bundle`, both
 * relative to the project root.
 */
export function buildBundle(entry: string, bundle: string): void {
  execFileSync(process.execPath, ['src/cli/build.mjs', entry, bundle], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Starts `node <the flags of npm start> <bundle>` directly (so its pid is the server's), as `npm start`
 * runs the service (heap limit and source maps included), and waits for `readyPath`.
 */
export async function startNode(script: string, port: number, env: Record<string, string>, readyPath: string, readyTimeoutMs = 60_000): Promise<Child> {
  const flags = nodeArgsOf('start').slice(0, -1);
  const child: ChildProcess = spawn(process.execPath, [...flags, script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => (errors = (errors + String(d)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${errors}`);
    try {
      if ((await fetch(`${baseUrl}${readyPath}`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Not left running behind the failed bench.
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer within ${readyTimeoutMs / 1000} s: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!,
    baseUrl,
    output: () => errors,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in MB, from /proc (VmRSS now, VmHWM the kernel's high-water mark). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export interface RssSample {
  seconds: number;
  rssMb: number;
}

/** Samples a process's RSS every `everyMs`; `peakMb` is the larger of the samples and VmHWM. */
export function sampleRss(pid: number, everyMs = 500) {
  const started = performance.now();
  const samples: RssSample[] = [];
  let hwm = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (!m) return;
    samples.push({ seconds: (performance.now() - started) / 1000, rssMb: m.rssMb });
    hwm = Math.max(hwm, m.hwmMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    /** Samples from now on only (for a soak after the warm-up). */
    since(seconds: number) {
      return samples.filter((s) => s.seconds >= seconds);
    },
    elapsed: () => (performance.now() - started) / 1000,
    peakMb: () => Math.max(hwm, ...samples.map((s) => s.rssMb)),
    /** The largest sample from `seconds` on (the kernel's high-water mark cannot be split by phase). */
    peakSinceMb: (seconds: number) => Math.max(0, ...samples.filter((s) => s.seconds >= seconds).map((s) => s.rssMb)),
    stop: () => clearInterval(timer),
  };
}

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * One autocannon round: `connections` connections, no pipelining, each request built by `next`.
 * Latency percentiles are computed from every response time (autocannon reports no p95).
 */
export async function runLoad(baseUrl: string, next: () => LoadRequest, seconds: number, connections: number): Promise<LoadResult> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        pipelining: 1,
        duration: seconds,
        requests: [
          {
            setupRequest: (request) => {
              const r = next();
              return { ...request, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body ? { 'content-type': 'application/json' } : {}) }, body: r.body };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.total / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
