import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { recordSection } from './results.js';

/*
 * npm run bench:compare -- --before <commit> --after <commit> [--scale 0.1 --rounds 2 --duration 10]
 * Two commits' benches side by side in one run (issue 14, point 6: the refactor's ratios no worse
 * within noise). Each commit runs its own `bench/run.ts` from a worktree of its own (its own service,
 * migrations and dataset generator, in a database of its own, generated once and reused), against
 * the floor that bench starts beside it; the rounds alternate before, after, before, after, so that
 * a drift in the machine's load weighs on both. What is compared is each endpoint's service/floor
 * ratio (the floor is the same plain Fastify + pg replay in both), never an absolute figure from
 * another run. BENCH_DATABASE_URL (or DATABASE_URL) names the PostgreSQL server.
 */
const { values: args } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string' },
    scale: { type: 'string', default: '0.1' },
    rounds: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
  },
});
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl || !args.before || !args.after) {
  process.stderr.write('npm run bench:compare -- --before <commit> --after <commit> needs BENCH_DATABASE_URL or DATABASE_URL\n');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

function worktreeOf(commit: string): { dir: string; sha: string } {
  const sha = execFileSync('git', ['rev-parse', '--short', commit], { cwd: root, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `kpo-compare-${sha}`);
  if (!existsSync(dir)) execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: root, stdio: 'ignore' });
  // The same installed packages (a commit whose package.json asks for others would fail loudly).
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { dir, sha };
}

interface Round {
  label: 'before' | 'after';
  ratios: Map<string, number>;
}

/** The endpoint rows of a bench's results table: name → service req/s ÷ floor req/s. */
function ratiosOf(text: string): Map<string, number> {
  const ratios = new Map<string, number>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | endpoint | service req/s | p50 | p95 | p99 | non-2xx | floor req/s | … |
    if (cells.length < 12 || !/^(GET|POST) /.test(cells[1] ?? '')) continue;
    const service = Number(cells[2]!.replace(/,/g, ''));
    const floor = Number(cells[7]!.replace(/,/g, ''));
    if (floor > 0) ratios.set(cells[1]!, service / floor);
  }
  return ratios;
}

function runBench(label: 'before' | 'after', dir: string, sha: string): Round {
  log(`${label} (${sha}): bench at scale ${args.scale}`);
  const result = spawnSync(
    process.execPath,
    // Only the endpoint rounds: they are all this compares (the mixed, history and import phases took
    // most of a round's time, and a failure there stopped the comparison).
    ['--import', 'tsx', 'bench/run.ts', '--scale', args.scale!, '--database', `kpo_compare_${sha}`, '--reuse', '--keep', '--only', 'endpoints', '--duration', args.duration!, '--warmup', args.warmup!],
    { cwd: dir, env: { ...process.env, BENCH_DATABASE_URL: serverUrl }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`the bench of ${sha} failed (${result.status})`);
  const ratios = ratiosOf(result.stdout);
  if (ratios.size === 0) throw new Error(`no endpoint rows in the output of ${sha}'s bench`);
  return { label, ratios };
}

async function main() {
  const started = performance.now();
  const machine = await describeMachine(serverUrl!);
  const before = worktreeOf(args.before!);
  const after = worktreeOf(args.after!);
  const rounds: Round[] = [];
  for (let i = 0; i < Number(args.rounds); i++) {
    rounds.push(runBench('before', before.dir, before.sha));
    rounds.push(runBench('after', after.dir, after.sha));
  }
  const endpoints = [...rounds[0]!.ratios.keys()];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const of = (label: Round['label'], endpoint: string) => rounds.filter((r) => r.label === label).map((r) => r.ratios.get(endpoint) ?? NaN);
  const rows = endpoints.map((e) => {
    const b = of('before', e);
    const a = of('after', e);
    const spread = (xs: number[]) => xs.map((x) => `${x.toFixed(2)}×`).join(', ');
    return `| ${e} | ${spread(b)} | ${spread(a)} | ${(mean(a) / mean(b)).toFixed(2)} |`;
  });
  recordSection({
    title: `${before.sha} against ${after.sha}, side by side`,
    machine,
    command: `\`BENCH_DATABASE_URL=postgres://${new URL(serverUrl!).host}/… npm run bench:compare -- ${process.argv.slice(2).join(' ')}\`; each round is that commit's own \`bench/run.ts --scale ${args.scale} --warmup ${args.warmup} --duration ${args.duration}\` on its own dataset, rounds alternated before, after, …`,
    body: [`| endpoint | service/floor before (${before.sha}), each round | after (${after.sha}), each round | after ÷ before (means) |`, '|---|---|---|---:|', ...rows],
    startedMs: started,
  });
}

await main();
