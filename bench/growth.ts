import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchId, databaseUrl, generateDataset, insertAdminKey, KIND, recreateDatabase, sizeOf } from './dataset.js';
import { buildBundle, freePort, startNode } from './load.js';
import { describeMachine } from './machine.js';
import { recordSection } from './results.js';
import { migratePostgres } from '../src/db/migrate.js';

/*
 * npm run bench:growth [-- --scales 0.1,1,10 --samples 7 --reuse]
 * How the cold figures grow with the list (issue 19, point 4): for each scale a dataset of its own
 * (database kpo_growth_<scale>, 100,000 × scale projects with 24 half-month reports each), the
 * service started on it, and the summary and the breakdown by department asked cold — the first
 * request after a write, so nothing kept answers it — `samples` times each; the medians, their cost
 * per 1,000 projects, and the growth from one scale to the next beside the growth of the projects
 * and of the reports. Every scale is measured in the same run. A command-line tool: it reads
 * BENCH_DATABASE_URL (or DATABASE_URL) for the PostgreSQL server.
 */
const { values: args } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.1,1,10' },
    samples: { type: 'string', default: '7' },
    reuse: { type: 'boolean', default: false },
  },
});
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl) {
  process.stderr.write('npm run bench:growth needs BENCH_DATABASE_URL or DATABASE_URL (a PostgreSQL server)\n');
  process.exit(2);
}
const scales = args.scales.split(',').map(Number);
const samples = Number(args.samples);
const log = (line: string) => process.stderr.write(`${line}\n`);
const SUMMARY = '/v1/metrics/summary?year=2022&asOf=2022-12-31&list=city_key';
const BREAKDOWN = '/v1/metrics/breakdown?year=2022&asOf=2022-12-31&list=city_key&by=department';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function counts(url: string): Promise<{ projects: number; listed: number; reports: number; revisions: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ projects: string; listed: string; reports: string; revisions: string }>(
      `select (select count(*) from projects) as projects,
              (select count(*) from annual_plans where year = 2022 and list = 'city_key') as listed,
              (select count(*) from progress_reports) as reports,
              (select count(*) from progress_report_revisions) as revisions`,
    );
    const r = rows[0]!;
    return { projects: Number(r.projects), listed: Number(r.listed), reports: Number(r.reports), revisions: Number(r.revisions) };
  } catch {
    return { projects: 0, listed: 0, reports: 0, revisions: 0 };
  } finally {
    await client.end();
  }
}

interface Row {
  scale: number;
  projects: number;
  listed: number;
  reports: number;
  revisions: number;
  summaryMs: number;
  breakdownMs: number;
}

const databaseOf = (scale: number) => databaseUrl(serverUrl!, `kpo_growth_${String(scale).replace('.', '_')}`);

/** The scale's dataset, generated unless --reuse finds it complete. */
async function prepare(scale: number): Promise<void> {
  const size = sizeOf(scale, 24);
  const url = databaseOf(scale);
  if (!(args.reuse && (await counts(url)).projects >= size.projects)) {
    log(`scale ${scale}: creating its database (${size.projects.toLocaleString('en')} projects)`);
    await recreateDatabase(serverUrl!, new URL(url).pathname.slice(1));
    const generated = await generateDataset(url, size);
    log(`scale ${scale}: ${generated.rows.toLocaleString('en')} rows in ${generated.seconds.toFixed(0)} s`);
  } else {
    await migratePostgres(url);
  }
}

async function measure(scale: number): Promise<Row> {
  const size = sizeOf(scale, 24);
  const url = databaseOf(scale);
  const key = await insertAdminKey(url);
  const auth = { authorization: `Bearer ${key}` };
  const port = await freePort();
  const starting = performance.now();
  const service = await startNode(
    'dist/server.mjs',
    port,
    { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEBHOOK_WORKER: 'off', RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_PER_IP: '1000000' },
    '/health/live',
    // The first start on a freshly generated million-project database took over a minute here.
    300_000,
  );
  log(`scale ${scale}: service ready in ${((performance.now() - starting) / 1000).toFixed(1)} s`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const timed = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${service.baseUrl}${path}`, { headers: auth });
      await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      return performance.now() - started;
    };
    // A write (through SQL, as any writer) moves the figures' version: the next answer is computed.
    const touch = (i: number) => client.query('update projects set name = name where id = $1', [benchId(KIND.project, 1 + (i % size.projects))]);
    // The first answer warms the buffers and the prepared plans; not counted.
    await timed(SUMMARY);
    await timed(BREAKDOWN);
    const summary: number[] = [];
    const breakdown: number[] = [];
    for (let i = 0; i < samples; i++) {
      await touch(i);
      summary.push(await timed(SUMMARY));
      await touch(i);
      breakdown.push(await timed(BREAKDOWN));
    }
    const c = await counts(url);
    const row = { scale, ...c, summaryMs: median(summary), breakdownMs: median(breakdown) };
    log(`scale ${scale}: summary cold ${row.summaryMs.toFixed(0)} ms, breakdown cold ${row.breakdownMs.toFixed(0)} ms (medians of ${samples})`);
    return row;
  } finally {
    await client.end();
    await service.stop();
  }
}

async function main() {
  const started = performance.now();
  const machine = await describeMachine(serverUrl!);
  buildBundle('src/server.ts', 'dist/server.mjs');
  const rows: Row[] = [];
  // Every dataset first, then every measurement, one after another: the figures of all scales are
  // taken in the same stretch of the run, not with an hour of generation between them.
  for (const scale of scales) await prepare(scale);
  for (const scale of scales) rows.push(await measure(scale));
  const f = (n: number) => n.toLocaleString('en');
  const growth = (row: Row, i: number, of: (r: Row) => number) => (i === 0 ? '—' : `${(of(row) / of(rows[i - 1]!)).toFixed(1)}×`);
  const table = [
    '| scale | projects | on the list | reports | revisions | summary cold | per 1,000 listed | breakdown cold | per 1,000 listed | growth: listed · reports · summary · breakdown |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r, i) =>
        `| ${r.scale} | ${f(r.projects)} | ${f(r.listed)} | ${f(r.reports)} | ${f(r.revisions)} | ${r.summaryMs.toFixed(0)} ms | ${((r.summaryMs * 1000) / r.listed).toFixed(2)} ms | ${r.breakdownMs.toFixed(0)} ms | ${((r.breakdownMs * 1000) / r.listed).toFixed(2)} ms | ${growth(r, i, (x) => x.listed)} · ${growth(r, i, (x) => x.reports)} · ${growth(r, i, (x) => x.summaryMs)} · ${growth(r, i, (x) => x.breakdownMs)} |`,
    ),
  ].join('\n');
  const command = `npm run bench:growth${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  recordSection({
    title: 'cold figures by scale',
    machine,
    command: `\`BENCH_DATABASE_URL=postgres://${new URL(serverUrl!).host}/… ${command}\`; each figure the median of ${samples} requests, each the first after a write (the figures' version moved, nothing kept answers it); one service per scale, alone on the machine's database server`,
    body: [table],
    startedMs: started,
  });
}

await main();
