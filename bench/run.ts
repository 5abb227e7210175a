import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { captureServiceSql } from './capture.js';
import { benchId, databaseUrl, dropDatabase, generateDataset, insertAdminKey, KIND, recreateDatabase, sizeOf } from './dataset.js';
import { migratePostgres } from '../src/db/migrate.js';
import { explainHotQueries } from './explain.js';
import { historyLines, measureHistoryCost, type HistoryCost } from './history.js';
import { measureMixedLoad, mixedTable, type MixedPhase } from './mixed.js';
import { buildBundle, freePort, runLoad, sampleRss, startNode, type Child, type LoadRequest } from './load.js';
import { describeMachine } from './machine.js';
import { endpointTable, slopeMbPerMinute, type EndpointResult } from './results.js';

/*
 * npm run bench [-- --smoke | --explain | --soak <s> | --reuse | --keep | --skip-load | --only <phases> | --scale <n> | --warmup <s> --duration <s> --connections <n>]
 * --only: a comma list of endpoints, mixed, history, import (default all; --skip-load is --only import).
 * A command-line tool, not the service: it reads its own environment (BENCH_DATABASE_URL or
 * DATABASE_URL names the PostgreSQL server; the bench database on it is dropped and recreated).
 */
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'skip-load': { type: 'boolean', default: false },
    only: { type: 'string' },
    soak: { type: 'string' },
    scale: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    database: { type: 'string' },
    'log-level': { type: 'string' },
  },
});

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl) {
  process.stderr.write('npm run bench needs BENCH_DATABASE_URL or DATABASE_URL (a PostgreSQL server; a bench database is created on it)\n');
  process.exit(2);
}
const smoke = args.smoke;
const scale = Number(args.scale ?? process.env.BENCH_SCALE ?? (smoke ? 0.002 : 1));
const size = sizeOf(scale, smoke ? 2 : 24);
const warmupSeconds = Number(args.warmup ?? (smoke ? 1 : 5));
const durationSeconds = Number(args.duration ?? (smoke ? 1 : 15));
const connections = Number(args.connections ?? 50);
const databaseName = args.database ?? (smoke ? 'kpo_bench_smoke' : 'kpo_bench');
const logLevel = args['log-level'] ?? 'info';
const importRows = smoke ? 500 : 10_000;
// The .xlsx import of #22.4: 10,000 projects × 24 half-month reports (smoke: a few).
const xlsxProjects = smoke ? 50 : 10_000;
const xlsxReports = smoke ? 2 : 24;
const runId = Date.now().toString(36);
const YEAR = 2022;
const LIST = 'city_key';
const AS_OF = '2022-12-31';
const log = (line: string) => process.stderr.write(`${line}\n`);
const phaseNames = ['endpoints', 'mixed', 'history', 'import'] as const;
const only = new Set<string>(args['skip-load'] ? ['import'] : (args.only?.split(',') ?? phaseNames));
for (const name of only) if (!(phaseNames as readonly string[]).includes(name)) throw new Error(`--only: unknown phase ${name} (${phaseNames.join(', ')})`);
/** Whether this run measures the phase (--only, --skip-load). */
const runs = (name: (typeof phaseNames)[number]) => only.has(name);

function randomInt(max: number): number {
  return 1 + Math.floor(Math.random() * max);
}

/** Half-month periods of the given years, in order ('2023-01-H1' …). */
function periodsOf(years: number[]): string[] {
  return years.flatMap((y) => Array.from({ length: 24 }, (_, k) => `${y}-${String(1 + Math.floor(k / 2)).padStart(2, '0')}-H${1 + (k % 2)}`));
}

/**
 * Distinct (project, period) pairs, none of them in the generated dataset, so no POST is a
 * duplicate; a random start, so that a run on a reused dataset does not repeat an earlier run's pairs.
 */
function reportPairs(periods: string[]) {
  let i = Math.floor(Math.random() * size.projects * periods.length);
  return () => {
    const n = i++;
    const period = periods[Math.floor(n / size.projects) % periods.length]!;
    return { projectId: benchId(KIND.project, 1 + (n % size.projects)), period, n };
  };
}

/**
 * Requests autocannon gave up on may still be queued in a server's pool; the next round must not
 * pay for them, so wait until the bench database has no running statement (at most two minutes).
 */
async function waitIdle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      );
      if (rows[0]?.n === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    log('warning: the database was still busy two minutes after the round');
  } finally {
    await client.end();
  }
}

async function hasDataset(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>('select count(*) as n from projects');
    return Number(rows[0]?.n) >= size.projects;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function checkTarget(name: string, service: EndpointResult['service'], floor: EndpointResult['floor']): Pick<EndpointResult, 'target' | 'met' | 'miss'> {
  const ratio = floor.reqPerSec > 0 ? service.reqPerSec / floor.reqPerSec : 0;
  const failed = service.non2xx + service.errors > 0 ? `; ${service.non2xx + service.errors} failed requests` : '';
  switch (name) {
    case 'GET /v1/projects/{id}':
      return { target: '≥ 0.75× floor', met: ratio >= 0.75 && !failed, miss: `${ratio.toFixed(2)}×${failed}` };
    case 'GET /v1/projects?list&year&departmentId':
      return { target: '≥ 0.7× floor', met: ratio >= 0.7 && !failed, miss: `${ratio.toFixed(2)}×${failed}` };
    case 'POST /v1/progress-reports':
      // #19.3: with Idempotency-Key and audit, at least 0.7 of the floor in the same run.
      return { target: '≥ 0.7× floor', met: ratio >= 0.7 && !failed, miss: `${ratio.toFixed(2)}×${failed}` };
    case 'GET /v1/metrics/summary':
      return { target: 'p95 ≤ 50 ms', met: service.p95 <= 50 && !failed, miss: `p95 ${service.p95.toFixed(0)} ms, ${(service.p95 / 50).toFixed(1)}× the target${failed}` };
    default:
      return { target: '≥ 1000 req/s', met: service.reqPerSec >= 1000 && !failed, miss: `${service.reqPerSec.toFixed(0)}/s, ${((service.reqPerSec / 1000) * 100).toFixed(0)} % of the target${failed}` };
  }
}

async function timeImport(service: Child, auth: Record<string, string>): Promise<number> {
  const rows = Array.from({ length: importRows }, (_, i) => ({
    code: `IMP-${runId}-${String(i + 1).padStart(5, '0')}`,
    name: `导入项目 ${i + 1}`,
    category: 'industrial_investment',
    estimatedInvestment: '12000.5000',
    plannedStartDate: '2022-03-01',
    plannedCompletionDate: '2024-12-31',
    department: 'D0001',
    year: YEAR,
    list: LIST,
    stage: 'new_start',
    plannedInvestment: '3000',
  }));
  const started = performance.now();
  const response = await fetch(`${service.baseUrl}/v1/imports/projects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ rows }),
  });
  const seconds = (performance.now() - started) / 1000;
  if (response.status >= 300) throw new Error(`import answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return seconds;
}

interface XlsxImport {
  projects: number;
  reports: number;
  megabytes: number;
  seconds: number;
  peakRssMb: number;
  rssBeforeMb: number;
  stepsMs: Record<string, number>;
}

/**
 * bench/import-xlsx.ts in a process of its own (its peak RSS is the importing service's alone), on a
 * database of its own on the same server, created empty and dropped after.
 */
async function timeXlsxImport(): Promise<XlsxImport> {
  const name = `${databaseName}_xlsx`;
  const url = await recreateDatabase(serverUrl!, name);
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-xlsx.ts', '--projects', String(xlsxProjects), '--reports', String(xlsxReports), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_DATABASE_URL: url, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as XlsxImport;
  } finally {
    await dropDatabase(serverUrl!, name);
  }
}

function xlsxLine(x: XlsxImport): string {
  const full = x.projects === 10_000 && x.reports === 240_000;
  const steps = Object.entries(x.stepsMs)
    .filter(([, ms]) => ms >= 50)
    .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  return `- import of one .xlsx (POST /v1/imports/projects, read as a stream): ${x.projects.toLocaleString('en')} projects × ${x.reports / x.projects} reports (${x.reports.toLocaleString('en')} report rows, ${x.megabytes.toFixed(1)} MB): ${x.seconds.toFixed(1)} s${full ? ` (target ≤ 30 s: ${x.seconds <= 30 ? 'met' : '**missed**'})` : ''}; peak RSS of the importing process ${x.peakRssMb.toFixed(0)} MB (${x.rssBeforeMb.toFixed(0)} MB before); steps: ${steps}`;
}

function timePgliteStart(): { totalMs: number; openMs: number; migrateMs: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/pglite-start.ts'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function main() {
  const started = performance.now();
  const url = databaseUrl(serverUrl!, databaseName);
  let generated: { seconds: number; rows: number } | undefined;
  if (!(args.reuse && (await hasDataset(url)))) {
    log(`creating ${databaseName}: ${JSON.stringify(size)}`);
    await recreateDatabase(serverUrl!, databaseName);
    generated = await generateDataset(url, size);
    log(`dataset: ${generated.rows.toLocaleString('en')} rows in ${generated.seconds.toFixed(1)} s`);
  } else {
    // A reused dataset may predate the code's latest migrations (their backfills run here, untimed).
    await migratePostgres(url);
  }
  const apiKey = await insertAdminKey(url);
  const auth = { authorization: `Bearer ${apiKey}` };
  const samples = {
    projectId: benchId(KIND.project, Math.ceil(size.projects / 2)),
    departmentId: benchId(KIND.department, 1),
    year: YEAR,
    list: LIST,
    asOf: AS_OF,
    reportProjectId: benchId(KIND.project, 1),
    reportPeriod: `2026-01-H1`,
  };
  const queries = await captureServiceSql(url, { ...samples, reportPeriod: `2026-0${1 + Math.floor(Math.random() * 9)}-H${randomInt(2)}`, reportProjectId: benchId(KIND.project, randomInt(size.projects)) }, apiKey);

  if (args.explain) {
    const outcome = await explainHotQueries(url, queries, {
      id: samples.projectId,
      department: samples.departmentId,
      project: benchId(KIND.project, 2),
      period: '2026-10-H1',
    });
    process.stdout.write(`${outcome.text}\n`);
    if (outcome.sequentialScans.length > 0) {
      log(`FAIL: sequential scans of the reports tables:\n  ${outcome.sequentialScans.join('\n  ')}`);
      process.exit(1);
    }
    log('ok: no hot query scans progress_reports or progress_report_revisions sequentially');
    return;
  }

  const machine = await describeMachine(serverUrl!);
  const workDir = mkdtempSync(join(tmpdir(), 'kpo-bench-'));
  const queriesFile = join(workDir, 'queries.json');
  writeFileSync(queriesFile, JSON.stringify(queries));
  const children: Child[] = [];
  try {
    const [servicePort, floorPort] = [await freePort(), await freePort()];
    // Both run as compiled JavaScript under plain node: the service exactly as `npm start` runs it
    // (tsx would add ≈80 MB of RSS and its own start-up), the floor built the same way for fairness.
    buildBundle('src/server.ts', 'dist/server.mjs');
    buildBundle('bench/floor-server.ts', 'dist/bench/floor-server.mjs');
    const service = await startNode(
      'dist/server.mjs',
      servicePort,
      // The webhook worker would tick over the whole dataset in the background; it is measured on its own.
      // One key drives the whole load: the per-key and per-address limits (issue 5) would turn it into 429s.
      {
        DATABASE_URL: url,
        PORT: String(servicePort),
        HOST: '127.0.0.1',
        LOG_LEVEL: logLevel,
        WEBHOOK_WORKER_ENABLED: 'false',
        RATE_LIMIT_PER_KEY: '1000000',
        RATE_LIMIT_PER_IP: '1000000',
      },
      '/health/live',
    );
    children.push(service);
    const floor = await startNode('dist/bench/floor-server.mjs', floorPort, { FLOOR_DATABASE_URL: url, FLOOR_PORT: String(floorPort), FLOOR_QUERIES: queriesFile }, '/v1/projects/00000000-0000-7000-8000-000000000000');
    children.push(floor);
    const rss = sampleRss(service.pid);

    const servicePairs = reportPairs(periodsOf([2023, 2024]));
    const floorPairs = reportPairs(periodsOf([2025]));
    const endpoints: { name: string; request: (floor: boolean) => LoadRequest }[] = [
      { name: 'GET /v1/projects/{id}', request: () => ({ method: 'GET', path: `/v1/projects/${benchId(KIND.project, randomInt(size.projects))}` }) },
      {
        name: 'GET /v1/projects?list&year&departmentId',
        request: () => ({ method: 'GET', path: `/v1/projects?list=${LIST}&year=${YEAR}&departmentId=${benchId(KIND.department, randomInt(size.departments))}` }),
      },
      {
        name: 'POST /v1/progress-reports',
        request: (isFloor) => {
          const { projectId, period, n } = (isFloor ? floorPairs : servicePairs)();
          return {
            method: 'POST',
            path: '/v1/progress-reports',
            headers: { 'idempotency-key': `bench-${runId}-${isFloor ? 'f' : 's'}-${n}` },
            body: JSON.stringify({ projectId, period, investmentCompleted: '125.5000', physicalProgress: '40.00', workOngoing: true }),
          };
        },
      },
      { name: 'GET /v1/metrics/summary', request: () => ({ method: 'GET', path: `/v1/metrics/summary?year=${YEAR}&asOf=${AS_OF}&list=${LIST}` }) },
    ];
    // The floor ignores the header; both get the same requests.
    const withAuth = (request: LoadRequest): LoadRequest => ({ ...request, headers: { ...request.headers, ...auth } });
    const results: EndpointResult[] = [];
    // --skip-load: only the import and the embedded start, e.g. to time them on a quiet machine.
    // Peak RSS of each phase (service rounds only), so the results can say which one sets the peak.
    const phasePeaks: string[] = [];
    const phase = async <T,>(name: string, work: () => Promise<T>): Promise<T> => {
      const from = rss.elapsed();
      try {
        return await work();
      } finally {
        phasePeaks.push(`${name} ${rss.peakSinceMb(from).toFixed(0)} MB`);
      }
    };
    for (const endpoint of runs('endpoints') ? endpoints : []) {
      const measured = [];
      for (const [target, isFloor] of [
        [service, false],
        [floor, true],
      ] as const) {
        log(`${endpoint.name} on the ${isFloor ? 'floor' : 'service'}: ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
        const next = () => withAuth(endpoint.request(isFloor));
        const round = async () => {
          await runLoad(target.baseUrl, next, warmupSeconds, connections);
          return runLoad(target.baseUrl, next, durationSeconds, connections);
        };
        measured.push(isFloor ? await round() : await phase(endpoint.name, round));
        // The floor queues without limit; after its last round it goes, so its backlog does not weigh on what follows.
        if (isFloor && endpoint === endpoints.at(-1)) await target.stop();
        await waitIdle(url);
      }
      const [s, f] = measured as [EndpointResult['service'], EndpointResult['floor']];
      results.push({ name: endpoint.name, service: s, floor: f, ...checkTarget(endpoint.name, s, f) });
    }

    // The mixed load (issue 19): summary and breakdown readers while reports are written at a fixed rate.
    let mixed: MixedPhase[] = [];
    if (runs('mixed')) {
      const reportEndpoint = endpoints.find((e) => e.name === 'POST /v1/progress-reports')!;
      mixed = await phase('mixed', () =>
        measureMixedLoad({
          baseUrl: service.baseUrl,
          auth,
          nextReport: () => reportEndpoint.request(false),
          summaryPath: `/v1/metrics/summary?year=${YEAR}&asOf=${AS_OF}&list=${LIST}`,
          breakdownPath: `/v1/metrics/breakdown?year=${YEAR}&asOf=${AS_OF}&list=${LIST}&by=department`,
          seconds: durationSeconds,
          warmupSeconds,
          readers: 10,
          phases: [
            { writesPerSecond: 20, maxAge: 5 },
            { writesPerSecond: 100, maxAge: 5 },
            { writesPerSecond: 20, maxAge: 0 },
          ],
          waitIdle: () => waitIdle(url),
          log,
        }),
      );
    }

    // What history costs (issue 15): writes with and without it, knownAt cold against plain cold.
    let history: HistoryCost | undefined;
    if (runs('history')) {
      history = await phase('history', () =>
        measureHistoryCost({
          url,
          baseUrl: service.baseUrl,
          auth,
          nextReport: () => endpoints.find((e) => e.name === 'POST /v1/progress-reports')!.request(false),
          summaryPath: `/v1/metrics/summary?year=${YEAR}&asOf=${AS_OF}&list=${LIST}`,
          projectIds: Array.from({ length: Math.min(1000, size.projects) }, (_, i) => benchId(KIND.project, 1 + i)),
          seconds: durationSeconds,
          connections,
          samples: smoke ? 3 : 7,
          waitIdle: () => waitIdle(url),
          log,
        }),
      );
    }

    let importSeconds: number | undefined;
    if (runs('import')) {
      log(`import of ${importRows} projects with plans`);
      importSeconds = await phase('import', () => timeImport(service, auth));
    }
    let soak: { seconds: number; slope: number; first: number; last: number } | undefined;
    if (args.soak) {
      const seconds = Number(args.soak);
      log(`soak: ${seconds} s of mixed reads and writes`);
      let turn = 0;
      const mixed = () => withAuth(endpoints[[0, 1, 0, 2][turn++ % 4]!]!.request(false));
      const from = rss.elapsed();
      await runLoad(service.baseUrl, mixed, seconds, connections);
      // The first fifth is the heap growing to its working size, not a leak.
      const window = rss.since(from + seconds / 5);
      soak = { seconds, slope: slopeMbPerMinute(window), first: window[0]?.rssMb ?? NaN, last: window.at(-1)?.rssMb ?? NaN };
    }
    rss.stop();
    const peakMb = rss.peakMb();
    let xlsx: XlsxImport | undefined;
    if (runs('import')) {
      log(`import of one .xlsx: ${xlsxProjects} projects × ${xlsxReports} reports`);
      xlsx = await timeXlsxImport();
    }
    // Several seconds of initdb in WebAssembly: timed in real runs, left out of the CI smoke run.
    const pglite = smoke || !runs('import') ? undefined : timePgliteStart();

    if (!runs('endpoints')) await floor.stop();
    const table = results.length > 0 ? endpointTable(results) : '(endpoint rounds not run: --skip-load or --only)';
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const lines = [
      `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${smoke ? 'smoke' : `scale ${scale}`}`,
      '',
      `- machine: ${machine}`,
      `- command: \`BENCH_DATABASE_URL=postgres://${new URL(serverUrl!).host}/… ${command}\`; autocannon -c ${connections}, no pipelining, ${warmupSeconds} s warm-up (discarded) + ${durationSeconds} s measured per endpoint; service LOG_LEVEL=${logLevel}, webhook worker off; service and floor each with a pool of 10`,
      `- dataset: ${size.projects.toLocaleString('en')} projects, ${(size.projects * size.periods).toLocaleString('en')} reports (${size.periods} periods), ${size.issues.toLocaleString('en')} issues, ${size.inspections.toLocaleString('en')} inspections, ${size.departments} departments, ${size.leaders} leaders — ${generated ? `generated in ${generated.seconds.toFixed(1)} s (target ≤ 180 s: ${generated.seconds <= 180 ? 'met' : '**missed**'})` : 'reused from an earlier run'}`,
      '',
      table,
      '',
      ...(mixed.length > 0
        ? [`Mixed load: 10 connections reading each endpoint (Accept-Encoding: gzip, deflate, br) while reports are POSTed at a fixed rate (each POST on its own), ${warmupSeconds} s warm-up + ${durationSeconds} s measured per phase:`, '', mixedTable(mixed), '']
        : []),
      `- service peak RSS: ${peakMb.toFixed(0)} MB (target ≤ 200 MB: ${peakMb <= 200 ? 'met' : '**missed**'}); largest 0.5 s sample by phase: ${phasePeaks.join(', ')}`,
      soak
        ? `- soak ${soak.seconds} s: RSS ${soak.first.toFixed(0)} → ${soak.last.toFixed(0)} MB after the first fifth, slope ${soak.slope.toFixed(2)} MB/min`
        : '- soak: not run (`--soak <seconds>`)',
      ...(history ? historyLines(history, durationSeconds) : ['- history cost: not measured (--skip-load or --only)']),
      importSeconds === undefined
        ? '- import: not measured (--only)'
        : `- import of ${importRows.toLocaleString('en')} projects with plans (POST /v1/imports/projects, JSON): ${importSeconds.toFixed(2)} s${importRows === 10_000 ? ` (target ≤ 5 s: ${importSeconds <= 5 ? 'met' : '**missed**'})` : ''}`,
      ...(xlsx ? [xlsxLine(xlsx)] : []),
      pglite
        ? `- embedded database from an empty data directory, migrations included: ${(pglite.totalMs / 1000).toFixed(2)} s (open ${(pglite.openMs / 1000).toFixed(2)} s + migrate ${(pglite.migrateMs / 1000).toFixed(2)} s; target ≤ 2 s: ${pglite.totalMs <= 2000 ? 'met' : '**missed**'})`
        : '- embedded database start: not timed (smoke run, or --only without import)',
      `- whole run: ${((performance.now() - started) / 1000).toFixed(0)} s`,
      '',
    ];
    const text = lines.join('\n');
    process.stdout.write(`\n${text}\n`);
    // Smoke runs keep the script working in CI; their figures mean nothing and are not recorded.
    if (!smoke) appendFileSync(join(import.meta.dirname, 'results.md'), `\n${text}`);
    const failedRequests = results.reduce((n, r) => n + r.service.non2xx + r.service.errors, 0);
    if (smoke && failedRequests > 0) {
      log(`smoke: ${failedRequests} requests failed\n${service.output()}`);
      process.exitCode = 1;
    }
  } finally {
    for (const child of children) await child.stop();
    rmSync(workDir, { recursive: true, force: true });
    // Gigabytes at full scale: kept only when asked (--keep, or --reuse of an existing one).
    if (!args.keep && !args.reuse) await dropDatabase(serverUrl!, databaseName);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
