import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load.js';

/**
 * A dated section of bench/results.md — title, machine, command, the figures, the run's length —
 * printed and appended, as the bench tools beside bench/run.ts (growth, compare) record a run.
 */
export function recordSection({ title, machine, command, body, startedMs }: { title: string; machine: string; command: string; body: string[]; startedMs: number }): void {
  const text = [
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${title}`,
    '',
    `- machine: ${machine}`,
    `- command: ${command}`,
    '',
    ...body,
    '',
    `- whole run: ${((performance.now() - startedMs) / 1000).toFixed(0)} s`,
    '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  appendFileSync(join(import.meta.dirname, 'results.md'), `\n${text}`);
}

export interface EndpointResult {
  name: string;
  service: LoadResult;
  floor: LoadResult;
  target: string;
  met: boolean;
  /** How far from the target, in words, when missed. */
  miss?: string;
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : '—');
const rate = (n: number) => n.toFixed(0);

export function endpointTable(rows: EndpointResult[]): string {
  const lines = [
    '| endpoint | service req/s | p50 | p95 | p99 | non-2xx | floor req/s | p50 | p95 | p99 | service/floor | target | met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const ratio = r.floor.reqPerSec > 0 ? (r.service.reqPerSec / r.floor.reqPerSec).toFixed(2) : '—';
    lines.push(
      `| ${r.name} | ${rate(r.service.reqPerSec)} | ${ms(r.service.p50)} | ${ms(r.service.p95)} | ${ms(r.service.p99)} | ${r.service.non2xx + r.service.errors} | ${rate(r.floor.reqPerSec)} | ${ms(r.floor.p50)} | ${ms(r.floor.p95)} | ${ms(r.floor.p99)} | ${ratio}× | ${r.target} | ${r.met ? 'yes' : `**no**${r.miss ? ` (${r.miss})` : ''}`} |`,
    );
  }
  return lines.join('\n');
}

/** Least-squares slope of RSS over time, in MB per minute. */
export function slopeMbPerMinute(samples: { seconds: number; rssMb: number }[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mx = samples.reduce((a, s) => a + s.seconds, 0) / n;
  const my = samples.reduce((a, s) => a + s.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.seconds - mx) * (s.rssMb - my);
    den += (s.seconds - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}
