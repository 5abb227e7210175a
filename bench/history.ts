import pg from 'pg';
import { runLoad, type LoadRequest } from './load.js';

/**
 * What history costs (issue 15, point 6), measured in the same run:
 * - writes: report POSTs with the history triggers on and off, alternated (on, off, on, off) so that
 *   a drift of the machine's load weighs on both; the ratio is with ÷ without;
 * - knownAt: the summary cold (the figures' version moved by a write just before, so nothing cached
 *   serves it) as known at an instant T taken before 1,000 separate project edits, against the plain
 *   summary cold, alternated too; the ratio is the medians';
 * - size: the history schema beside the current tables.
 */
export interface HistoryCost {
  writes: { withHistory: number; without: number; ratio: number; p95With: number; p95Without: number };
  knownAt: { samples: number; plainMs: number; knownAtMs: number; ratio: number };
  size: { historyMb: number; currentMb: number; historyRows: number };
}

interface Options {
  url: string;
  baseUrl: string;
  auth: Record<string, string>;
  /** A fresh report POST each call (no duplicate (project, period)). */
  nextReport: () => LoadRequest;
  summaryPath: string;
  projectIds: string[];
  seconds: number;
  connections: number;
  samples: number;
  waitIdle: () => Promise<void>;
  log: (line: string) => void;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

async function historyTriggers(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ tbl: string; name: string }>(
    `select c.relname as tbl, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
     join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and t.tgname = c.relname || '_history'`,
  );
  return rows.map((r) => `alter table public.${pg.escapeIdentifier(r.tbl)} %s trigger ${pg.escapeIdentifier(r.name)}`);
}

async function timedGet(baseUrl: string, path: string, auth: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: auth });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  return performance.now() - started;
}

export async function measureHistoryCost(o: Options): Promise<HistoryCost> {
  const client = new pg.Client({ connectionString: o.url });
  await client.connect();
  try {
    const triggers = await historyTriggers(client);
    if (triggers.length === 0) throw new Error('no history triggers found');
    const setTriggers = async (state: 'enable' | 'disable') => {
      for (const statement of triggers) await client.query(statement.replace('%s', state));
    };

    // Writes with and without history, alternated.
    const rounds: { history: boolean; reqPerSec: number; p95: number }[] = [];
    try {
      for (const history of [true, false, true, false]) {
        await setTriggers(history ? 'enable' : 'disable');
        o.log(`history cost: report POSTs ${history ? 'with' : 'without'} history, ${o.seconds} s`);
        const result = await runLoad(o.baseUrl, () => withAuth(o.nextReport(), o.auth), o.seconds, o.connections);
        if (result.non2xx + result.errors > 0) throw new Error(`report POSTs failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        rounds.push({ history, reqPerSec: result.reqPerSec, p95: result.p95 });
        await o.waitIdle();
      }
    } finally {
      // Never leave the bench database without its history.
      await setTriggers('enable');
    }
    const mean = (history: boolean, f: (r: (typeof rounds)[number]) => number) => {
      const of = rounds.filter((r) => r.history === history).map(f);
      return of.reduce((a, b) => a + b, 0) / of.length;
    };
    const withHistory = mean(true, (r) => r.reqPerSec);
    const without = mean(false, (r) => r.reqPerSec);

    // knownAt cold against plain cold: T, then 1,000 edits, each its own transaction.
    const { rows } = await client.query<{ t: string }>(`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`);
    const knownAt = rows[0]!.t;
    o.log(`history cost: 1,000 project edits after knownAt ${knownAt}`);
    for (let i = 0; i < 1000; i++) {
      await client.query('update projects set estimated_investment = estimated_investment + 1 where id = $1', [o.projectIds[i % o.projectIds.length]]);
    }
    await o.waitIdle();
    const plain: number[] = [];
    const asKnown: number[] = [];
    const touch = (i: number) => client.query('update projects set estimated_investment = estimated_investment where id = $1', [o.projectIds[i % o.projectIds.length]]);
    const knownAtPath = `${o.summaryPath}&knownAt=${encodeURIComponent(knownAt)}`;
    for (let i = 0; i < o.samples; i++) {
      // A write moves the figures' version: the next answer of either kind is computed, not reused.
      await touch(i);
      plain.push(await timedGet(o.baseUrl, o.summaryPath, o.auth));
      await touch(i + 1);
      asKnown.push(await timedGet(o.baseUrl, knownAtPath, o.auth));
    }
    const plainMs = median(plain);
    const knownAtMs = median(asKnown);

    // Row counts from the statistics, fresh: ANALYZE samples, so this stays quick at 100,000 projects.
    const tables = await client.query<{ name: string }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'history' and c.relkind = 'r'`);
    for (const t of tables.rows) await client.query(`analyze history.${pg.escapeIdentifier(t.name)}`);
    const size = await client.query<{ history: string; current: string; rows: string }>(
      `select
         (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'history' and c.relkind = 'r') as history,
         (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r') as current,
         (select coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'history' and c.relkind = 'r') as rows`,
    );
    const mb = (bytes: string) => Number(bytes) / 1024 / 1024;
    return {
      writes: { withHistory, without, ratio: withHistory / without, p95With: mean(true, (r) => r.p95), p95Without: mean(false, (r) => r.p95) },
      knownAt: { samples: o.samples, plainMs, knownAtMs, ratio: knownAtMs / plainMs },
      size: { historyMb: mb(size.rows[0]!.history), currentMb: mb(size.rows[0]!.current), historyRows: Number(size.rows[0]!.rows) },
    };
  } finally {
    await client.end();
  }
}

function withAuth(request: LoadRequest, auth: Record<string, string>): LoadRequest {
  return { ...request, headers: { ...request.headers, ...auth } };
}

/** The results lines. */
export function historyLines(c: HistoryCost, seconds: number): string[] {
  const slower = (1 - c.writes.ratio) * 100;
  return [
    `- history, writes (report POSTs, ${seconds} s × 2 rounds each, alternated): ${c.writes.withHistory.toFixed(0)} req/s with the history triggers, ${c.writes.without.toFixed(0)} req/s without (p95 ${c.writes.p95With.toFixed(0)} / ${c.writes.p95Without.toFixed(0)} ms): ${c.writes.ratio.toFixed(2)}×, ${slower.toFixed(1)} % slower (target ≤ 10 %: ${slower <= 10 ? 'met' : '**missed**'})`,
    `- history, knownAt summary cold (T before 1,000 project edits; median of ${c.knownAt.samples}, each after a write): ${c.knownAt.knownAtMs.toFixed(0)} ms against the plain summary cold ${c.knownAt.plainMs.toFixed(0)} ms: ${c.knownAt.ratio.toFixed(2)}× (target ≤ 2×: ${c.knownAt.ratio <= 2 ? 'met' : '**missed**'})`,
    `- history size after the write phases: ${c.size.historyMb.toFixed(0)} MB in the history schema (≈${c.size.historyRows.toLocaleString('en')} versions) beside ${c.size.currentMb.toFixed(0)} MB of current tables`,
  ];
}
