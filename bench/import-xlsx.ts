import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { subscribe } from 'node:diagnostics_channel';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { apiKeys } from '../src/modules/api-keys/api-keys.table.js';
import { generateKey, hashKey, lastFourOf } from '../src/modules/api-keys/api-keys.token.js';
import { IMPORT_STEPS_CHANNEL, type ImportStep } from '../src/modules/imports/imports.steps.js';
import { describeMachine } from './machine.js';

/*
 * npm run bench:import [-- --projects 10000 --reports 24 --json]
 * One .xlsx of N projects (under construction since 2021, a 2022 city-key plan each) and their
 * 24 half-month reports of 2022 with submittedAt, imported in one POST /v1/imports/projects, in
 * this process (so its peak RSS is the service's while it reads, checks and writes the workbook).
 * On PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set (its database is used as it is:
 * give an empty one), else on embedded PGlite in a temporary directory. Not a test. --json adds a
 * last line of JSON (seconds, peak RSS, steps) for npm run bench, which runs this as a child process.
 */
const { values: args } = parseArgs({ options: { projects: { type: 'string' }, reports: { type: 'string' }, json: { type: 'boolean', default: false } } });
const projectCount = Number(args.projects ?? 10_000);
const reportsPer = Number(args.reports ?? 24);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const log = (line: string) => process.stderr.write(`[bench:import] ${line}\n`);

const periods = Array.from({ length: reportsPer }, (_, i) => `2022-${String(Math.floor(i / 2) + 1).padStart(2, '0')}-H${(i % 2) + 1}`);

async function writeWorkbook(path: string) {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true, useStyles: false });
  const projects = book.addWorksheet('项目');
  projects.addRow(['项目编号 / Code', '项目名称', '项目类别', '估算总投资（万元）', '责任部门', '项目状态', '实际开工日期', '年度', '名单', '阶段', '年度计划投资（万元）']).commit();
  for (let p = 0; p < projectCount; p += 1) {
    projects.addRow([`B-${String(p).padStart(6, '0')}`, `基准项目${p}`, '工业投资', 10_000 + (p % 997) + 0.1234, 'GXJ', '在建', '2021-03-01', 2022, '市重点项目', '续建', 2400]).commit();
  }
  projects.commit();
  const reports = book.addWorksheet('进度报送');
  reports.addRow(['项目编号', '报送期', '本期完成投资（万元）', '形象进度（%）', '是否在建', '报送时间']).commit();
  for (let p = 0; p < projectCount; p += 1) {
    const code = `B-${String(p).padStart(6, '0')}`;
    periods.forEach((period, i) => {
      const [y, m, h] = [period.slice(0, 4), period.slice(5, 7), period.endsWith('H1') ? '16' : '28'];
      reports.addRow([code, period, 100 + (i % 7) + 0.25, Math.min(100, 4 * (i + 1)), '是', `${y}-${m}-${h} 09:30`]).commit();
    });
  }
  reports.commit();
  await book.commit();
  writeFileSync(path, Buffer.concat(chunks));
}

const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kpo-bench-import-'));
  try {
    const file = join(dir, 'import.xlsx');
    let started = Date.now();
    log(`writing ${projectCount} projects × ${reportsPer} reports …`);
    await writeWorkbook(file);
    const bytes = statSync(file).size;
    log(`workbook ${(bytes / 1048576).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      LOG_LEVEL: 'warn',
      WEBHOOK_WORKER_ENABLED: 'false',
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_IP: '1000000',
      IMPORT_BODY_LIMIT_BYTES: String(200 * 1024 * 1024),
      ...(url ? { DATABASE_URL: url } : { DATA_DIR: join(dir, 'data') }),
    });
    const database = await openDatabase(config);
    const app = await buildApp({ config, database });
    await app.ready();
    const keyOf = async (role: 'admin' | 'office') => {
      const key = generateKey();
      await database.db.insert(apiKeys).values({ name: `bench import ${role}`, role, secretHash: hashKey(key), lastFour: lastFourOf(key), createdBy: 'bench', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
      return { authorization: `Bearer ${key}` };
    };
    const department = await app.inject({ method: 'POST', url: '/v1/departments', headers: await keyOf('admin'), payload: { code: 'GXJ', name: '工业和信息化局' } });
    if (department.statusCode !== 201) throw new Error(`department: ${department.body}`);
    // The office imports, as it would.
    const headers = await keyOf('office');

    const body = readFileSync(file);
    let peakRss = process.memoryUsage().rss;
    const rssBefore = peakRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    // Where the time goes: the import's steps as it publishes them, summed over their chunks.
    const steps = new Map<string, { ms: number; rows: number; rss: number }>();
    const onStep = (message: unknown) => {
      const { step, ms, rows } = message as ImportStep;
      const rss = process.memoryUsage().rss;
      const seen = steps.get(step) ?? { ms: 0, rows: 0, rss: 0 };
      steps.set(step, { ms: seen.ms + ms, rows: seen.rows + (rows ?? 0), rss: Math.max(seen.rss, rss) });
    };
    subscribe(IMPORT_STEPS_CHANNEL, onStep);
    log('importing …');
    started = Date.now();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/imports/projects',
      headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      payload: body,
    });
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (response.statusCode !== 201) throw new Error(`import answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
    const created = JSON.parse(response.body).created;
    const counted = (await database.db.execute(
      'select (select count(*) from projects)::int as projects, (select count(*) from progress_reports)::int as reports, (select count(*) from project_investment_rollups)::int as rollups' as never,
    )) as unknown as { rows: Record<string, number>[] };
    const machine = url
      ? await describeMachine(url)
      : `${availableParallelism()} CPUs (${/^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average at start ${loadAtStart}`;
    const result = [
      `import of one .xlsx: ${projectCount} projects × ${reportsPer} reports (${created.reports} report rows), ${(bytes / 1048576).toFixed(1)} MB`,
      `database: ${url ? 'PostgreSQL' : 'embedded PGlite'}; machine: ${machine}`,
      `time ${seconds.toFixed(1)} s; peak RSS ${(peakRss / 1048576).toFixed(0)} MB (before the import ${(rssBefore / 1048576).toFixed(0)} MB)`,
      `rows after: ${JSON.stringify(counted.rows[0])}; answered ${JSON.stringify(created)}`,
      `steps: ${[...steps].map(([step, { ms, rows }]) => `${step} ${(ms / 1000).toFixed(2)} s${rows ? ` (${rows} rows)` : ''}`).join('; ')}`,
    ];
    process.stdout.write(`${result.join('\n')}\n`);
    if (args.json) {
      const stepsMs = Object.fromEntries([...steps].map(([step, { ms }]) => [step, Math.round(ms)]));
      process.stdout.write(`${JSON.stringify({ projects: projectCount, reports: created.reports, megabytes: bytes / 1048576, seconds, peakRssMb: peakRss / 1048576, rssBeforeMb: rssBefore / 1048576, stepsMs })}\n`);
    }
    await app.close();
    await database.close();
  } finally {
    if (process.env.BENCH_KEEP_FILE) writeFileSync(process.env.BENCH_KEEP_FILE, readFileSync(join(dir, "import.xlsx")));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
