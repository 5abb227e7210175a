import { runLoad, type LoadRequest, type LoadResult } from './load.js';

/**
 * The mixed load (issue 19): readers of the summary and of the department breakdown, 10 connections
 * each, while progress reports are written at a fixed rate (not as fast as possible) — what a
 * half-monthly deadline looks like. Each phase names the readers' maxAge: 0 (every answer includes
 * every write committed before it) or a dashboard's few seconds (served from the last computation,
 * refreshed in the background; see the figures' maxAge).
 */
export interface MixedPhase {
  writesPerSecond: number;
  maxAge: number;
  summary: LoadResult;
  breakdown: LoadResult;
  writes: { sent: number; failed: number; p50: number; p95: number; p99: number; achievedPerSecond: number };
}

interface Options {
  baseUrl: string;
  auth: Record<string, string>;
  nextReport: () => LoadRequest;
  summaryPath: string;
  breakdownPath: string;
  seconds: number;
  warmupSeconds: number;
  readers: number;
  phases: { writesPerSecond: number; maxAge: number }[];
  waitIdle: () => Promise<void>;
  log: (line: string) => void;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sends a report every 1/rate seconds until stopped, each on its own (a slow one does not hold the next back). */
function pacedWriter(o: Options, rate: number) {
  const times: number[] = [];
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    // Catch up on ticks the event loop delayed, so the rate holds.
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
    for (let i = 0; i < due; i++) {
      sent++;
      const r = o.nextReport();
      const at = performance.now();
      const p = fetch(`${o.baseUrl}${r.path}`, { method: r.method, headers: { ...r.headers, ...o.auth, 'content-type': 'application/json' }, body: r.body })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status >= 300) failed++;
          times.push(performance.now() - at);
        })
        .catch(() => void failed++)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  }, 5);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(pending);
      times.sort((a, b) => a - b);
      return { sent, failed, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), achievedPerSecond: sent / seconds };
    },
  };
}

export async function measureMixedLoad(o: Options): Promise<MixedPhase[]> {
  const results: MixedPhase[] = [];
  for (const phase of o.phases) {
    const withAge = (path: string) => `${path}${phase.maxAge > 0 ? `&maxAge=${phase.maxAge}` : ''}`;
    // Readers ask as a browser's dashboard or Node's fetch does, accepting compressed answers (a
    // province's breakdown is ≈650 KB as JSON, ≈40 KB as br).
    const reader = (path: string) => () => ({ method: 'GET' as const, path: withAge(path), headers: { ...o.auth, 'accept-encoding': 'gzip, deflate, br' } });
    o.log(`mixed load: ${phase.writesPerSecond} report writes/s, readers maxAge=${phase.maxAge}: ${o.warmupSeconds} s warm-up, ${o.seconds} s measured`);
    // The warm-up (discarded) has the writes running too, so that the measured round starts in the steady state.
    const warmupWriter = pacedWriter(o, phase.writesPerSecond);
    await Promise.all([runLoad(o.baseUrl, reader(o.summaryPath), o.warmupSeconds, o.readers), runLoad(o.baseUrl, reader(o.breakdownPath), o.warmupSeconds, o.readers)]);
    await warmupWriter.stop();
    const writer = pacedWriter(o, phase.writesPerSecond);
    const [summary, breakdown] = await Promise.all([
      runLoad(o.baseUrl, reader(o.summaryPath), o.seconds, o.readers),
      runLoad(o.baseUrl, reader(o.breakdownPath), o.seconds, o.readers),
    ]);
    const writes = await writer.stop();
    results.push({ ...phase, summary, breakdown, writes });
    await o.waitIdle();
  }
  return results;
}

export function mixedTable(phases: MixedPhase[]): string {
  const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`);
  const reads = (r: LoadResult) => `${r.reqPerSec.toFixed(0)}/s · ${ms(r.p50)} · ${ms(r.p95)} · ${ms(r.p99)}${r.non2xx + r.errors > 0 ? ` · **${r.non2xx + r.errors} failed**` : ''}`;
  const rows = phases.map((p) => {
    const met = p.summary.p95 <= 50 && p.breakdown.p95 <= 50 && p.summary.non2xx + p.summary.errors + p.breakdown.non2xx + p.breakdown.errors === 0;
    return `| ${p.writesPerSecond}/s (${p.writes.achievedPerSecond.toFixed(0)} sent/s${p.writes.failed > 0 ? `, **${p.writes.failed} failed**` : ''}) | ${p.maxAge} s | ${reads(p.summary)} | ${reads(p.breakdown)} | ${ms(p.writes.p50)} · ${ms(p.writes.p95)} · ${ms(p.writes.p99)} | ${met ? 'yes' : '**no**'} |`;
  });
  return [
    '| report writes | readers’ maxAge | summary: req/s · p50 · p95 · p99 | breakdown by department: req/s · p50 · p95 · p99 | writes: p50 · p95 · p99 | p95 ≤ 50 ms |',
    '|---|---:|---|---|---|---|',
    ...rows,
  ].join('\n');
}
