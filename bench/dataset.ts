import pg from 'pg';
import { generateKey, hashKey, lastFourOf } from '../src/modules/api-keys/api-keys.token.js';
import { migratePostgres } from '../src/db/migrate.js';
import { createProgress } from './progress.js';

/** How many rows of each kind; `scale` 1 is the province of issue 7. */
export interface DatasetSize {
  departments: number;
  leaders: number;
  projects: number;
  periods: number;
  issues: number;
  inspections: number;
}

export function sizeOf(scale: number, periods = 24): DatasetSize {
  const at = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    departments: at(300, 5),
    leaders: at(500, 5),
    projects: at(100_000, 50),
    periods,
    issues: at(200_000, 20),
    inspections: at(50_000, 10),
  };
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * An admin API key written straight into the bench database (the service needs one for every /v1
 * request since issue 5); returns the key to send as `Authorization: Bearer …`.
 */
export async function insertAdminKey(url: string): Promise<string> {
  const key = generateKey();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into api_keys (id, name, role, read_only, secret_hash, last_four, created_by, expires_at)
       values (gen_random_uuid(), 'bench admin', 'admin', false, $1, $2, 'bench', now() + interval '1 day')`,
      [hashKey(key), lastFourOf(key)],
    );
  } finally {
    await client.end();
  }
  return key;
}

export async function recreateDatabase(serverUrl: string, database: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(serverUrl, database);
  await migratePostgres(url);
  return url;
}

/**
 * Ids shaped like the service's UUIDv7 (version 7, RFC variant) but counting up per kind, so
 * every primary-key insert appends to the right edge of its B-tree instead of landing at random.
 */
const idFunction = `
create or replace function pg_temp.bench_id(kind int, n bigint) returns uuid language sql immutable as $$
  select (
    '01880000' || lpad(to_hex(kind), 4, '0') || '7000' || '8' || lpad(to_hex(n), 15, '0')
  )::uuid
$$`;

const CATEGORIES = ['industrial_investment', 'transport', 'industrial_land_renewal', 'industrial_park_facilities', 'rural_revitalisation', 'water_control', 'education', 'healthcare', 'livelihood_other'];
const LISTS = ['city_key', 'city_key_reserve', 'town_key_industrial', 'special_bond_reserve'];
const STAGES = ['new_start', 'continuing', 'preliminary'];
const array = (values: string[]) => `array[${values.map((v) => `'${v}'`).join(',')}]`;

/** Deterministic id of the n-th project (1-based) and department: the bench picks them without asking the database. */
export function benchId(kind: number, n: number): string {
  const hex = `01880000${kind.toString(16).padStart(4, '0')}70008${n.toString(16).padStart(15, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
export const KIND = { department: 1, leader: 2, project: 3, report: 4, inspection: 5, issue: 6, plan: 7, assignment: 8 } as const;
export { LISTS };

function projectsSql(size: DatasetSize, from: number, to: number): string[] {
  const range = `generate_series(${from}, ${to}) as n`;
  const status = `(case when n % 10 < 7 then 'under_construction' when n % 10 < 8 then 'suspended' when n % 10 < 9 then 'approved' else 'planning' end)`;
  return [
    `insert into projects (id, code, name, owner_unit, category, industry, location, estimated_investment, status,
        planned_start_date, planned_completion_date, actual_start_date, department_id, created_at, updated_at)
     select pg_temp.bench_id(${KIND.project}, n), 'P' || lpad(n::text, 7, '0'), '省重点项目 ' || n, '建设单位 ' || (n % 977),
        (${array(CATEGORIES)})[1 + n % ${CATEGORIES.length}], '行业 ' || (n % 31), '园区 ' || (n % 53),
        ((n::bigint * 7919) % 300000 + 500)::numeric(18,4), ${status},
        date '2021-01-01' + (n % 540), date '2023-01-01' + (n % 900),
        case when n % 10 < 8 then date '2022-01-01' + (n % 200) end,
        pg_temp.bench_id(${KIND.department}, 1 + n % ${size.departments}), '2021-12-01', '2021-12-01'
     from ${range}`,
    `insert into project_status_changes (project_id, from_status, to_status, effective_date, actor, recorded_at)
     select pg_temp.bench_id(${KIND.project}, n), null, 'planning', date '2021-06-01', 'bench', '2021-12-01'::timestamptz from ${range}
     union all
     select pg_temp.bench_id(${KIND.project}, n), 'planning', 'approved', date '2021-09-01' + (n % 90), 'bench', '2021-12-01'::timestamptz
       from ${range} where n % 10 < 9
     union all
     select pg_temp.bench_id(${KIND.project}, n), 'approved', 'under_construction', date '2022-01-01' + (n % 200), 'bench', '2022-01-01'::timestamptz
       from ${range} where n % 10 < 8
     union all
     select pg_temp.bench_id(${KIND.project}, n), 'under_construction', 'suspended', date '2022-08-01' + (n % 60), 'bench', '2022-08-01'::timestamptz
       from ${range} where n % 10 = 7`,
    `insert into annual_plans (id, project_id, year, list, stage, planned_investment, created_at, updated_at)
     select pg_temp.bench_id(${KIND.plan}, n), pg_temp.bench_id(${KIND.project}, n), 2022,
        (${array(LISTS)})[1 + (n / 7) % ${LISTS.length}], (${array(STAGES)})[1 + (n / 11) % ${STAGES.length}],
        ((n::bigint * 7919) % 300000 / 4 + 100)::numeric(18,4), '2021-12-01', '2021-12-01'
     from ${range}`,
    `insert into leader_assignments (id, leader_id, project_id, role, start_date, created_at, updated_at)
     select pg_temp.bench_id(${KIND.assignment}, n), pg_temp.bench_id(${KIND.leader}, 1 + n % ${size.leaders}),
        pg_temp.bench_id(${KIND.project}, n), 'lead', date '2022-01-01', '2021-12-01', '2021-12-01'
     from ${range}`,
  ];
}

/**
 * Reports of projects from..to for every half-month period of 2022 (up to `periods`); one in 20
 * has a second, correcting revision; one in 12 was late.
 */
function reportsSql(size: DatasetSize, from: number, to: number): string[] {
  const reportNumber = `(n::bigint * ${size.periods} + k)`;
  const periods = `
    select k, make_date(2022, 1 + k / 2, case when k % 2 = 0 then 1 else 16 end) as period_start,
      case when k % 2 = 0 then make_date(2022, 1 + k / 2, 15)
        else (make_date(2022, 1 + k / 2, 1) + interval '1 month - 1 day')::date end as period_end,
      format('2022-%s-H%s', lpad((1 + k / 2)::text, 2, '0'), 1 + k % 2) as period
    from generate_series(0, ${size.periods - 1}) as k`;
  return [
    `insert into progress_reports (id, project_id, period, period_start, period_end, due_date, department_id,
        submitted_at, late, current_revision, created_at, updated_at)
     select pg_temp.bench_id(${KIND.report}, ${reportNumber}), pg_temp.bench_id(${KIND.project}, n), p.period,
        p.period_start, p.period_end, p.period_end + 3, pg_temp.bench_id(${KIND.department}, 1 + n % ${size.departments}),
        (p.period_end + case when (n + k) % 12 = 0 then 5 else 2 end)::timestamptz, (n + k) % 12 = 0,
        case when (n + k) % 20 = 0 then 2 else 1 end, p.period_end + 2, p.period_end + 2
     from generate_series(${from}, ${to}) as n cross join (${periods}) p
     order by n, k`,
    `insert into progress_report_revisions (report_id, revision, investment_completed, physical_progress, work_ongoing,
        narrative, correction_reason, actor, recorded_at)
     select pg_temp.bench_id(${KIND.report}, ${reportNumber}), r, ((n * 31 + k * 17) % 5000 + r)::numeric(18,4),
        least(100, k * 4 + n % 5)::numeric(5,2), n % 10 < 7, null, case when r = 2 then '更正' end, 'bench',
        make_date(2022, 1 + k / 2, 20)::timestamptz + (r - 1) * interval '10 days'
     from generate_series(${from}, ${to}) as n cross join generate_series(0, ${size.periods - 1}) as k
       cross join generate_series(1, 2) as r
     where r = 1 or (n + k) % 20 = 0
     order by n, k, r`,
  ];
}

function inspectionsAndIssuesSql(size: DatasetSize): string[] {
  const projectOf = (expr: string) => `pg_temp.bench_id(${KIND.project}, 1 + (${expr}) % ${size.projects})`;
  return [
    `insert into inspections (id, kind, inspected_on, title, created_at, updated_at)
     select pg_temp.bench_id(${KIND.inspection}, n), (array['resumption_check','supervision','leader_visit','onsite_office_day'])[1 + n % 4],
        date '2022-01-01' + (n % 365), '督查 ' || n, '2022-01-01', '2022-01-01'
     from generate_series(1, ${size.inspections}) as n`,
    `insert into inspection_projects (inspection_id, project_id)
     select pg_temp.bench_id(${KIND.inspection}, n), ${projectOf('n * 7')} from generate_series(1, ${size.inspections}) as n`,
    `insert into project_issues (id, project_id, title, category, source, inspection_id, raised_on, handling_mode,
        assigned_department_id, status, resolution, resolved_on, created_at, updated_at)
     select pg_temp.bench_id(${KIND.issue}, n), ${projectOf('n * 13')}, '问题 ' || n,
        (array['land','approval','power','water','financing','epidemic','other'])[1 + n % 7],
        case when n % 4 = 0 then 'inspection' else 'report' end,
        case when n % 4 = 0 then pg_temp.bench_id(${KIND.inspection}, 1 + n % ${size.inspections}) end,
        date '2022-01-01' + (n % 300), (array['immediate','on_site','dedicated'])[1 + n % 3],
        pg_temp.bench_id(${KIND.department}, 1 + n % ${size.departments}),
        case when n % 3 = 0 then 'resolved' else 'open' end, case when n % 3 = 0 then '已解决' end,
        case when n % 3 = 0 then date '2022-01-01' + (n % 300) + 10 end, '2022-01-01', '2022-01-01'
     from generate_series(1, ${size.issues}) as n`,
  ];
}

/** Triggers of migration 0007 that keep project_investment_rollups current. */
const rollupTriggers = [
  ['progress_reports', 'progress_reports_rollup'],
  ['progress_report_revisions', 'progress_report_revisions_rollup'],
] as const;

/** Tables whose deferred row triggers count changes for the figures cache (migration 0010). */
const figureTables = ['projects', 'annual_plans', 'project_status_changes', 'progress_reports', 'progress_report_revisions', 'declared_figures', 'leader_assignments', 'leaders', 'departments'];

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url, application_name: 'kpo-bench-load' });
  await client.connect();
  // A throwaway benchmark database: losing the last commits on a crash costs nothing.
  await client.query('set synchronous_commit = off');
  await client.query(idFunction);
  return client;
}

/**
 * Generates the dataset server-side (INSERT … SELECT generate_series) in chunks of projects, so
 * the progress bar moves; inspections and issues go in parallel on a second connection.
 */
export async function generateDataset(url: string, size: DatasetSize): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  const main = await connect(url);
  const side = await connect(url);
  const chunk = Math.max(1, Math.min(4000, Math.ceil(size.projects / 25)));
  const reportRows = size.projects * size.periods;
  // One report in 20 has a correcting second revision.
  const total = size.departments + size.leaders + size.projects + reportRows * 2 + Math.floor(reportRows / 20) + size.issues + size.inspections * 2;
  const progress = createProgress('dataset', total);
  try {
    // Millions of rows would queue millions of deferred trigger events that count one change per
    // transaction: off during the load, one change counted at the end.
    for (const table of figureTables) await main.query(`alter table ${table} disable trigger ${table}_figures_changed`);
    // History (migration 0013) would write a version per inserted row through a row trigger; a bulk
    // load is recorded the way the migration recorded the rows already there: the triggers off during
    // the load, then history.enable gives every row its current version, known from the load on.
    const { rows: versioned } = await main.query<{ name: string }>(
      `select c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and t.tgname = c.relname || '_history' order by 1`,
    );
    for (const { name } of versioned) await main.query(`alter table ${pg.escapeIdentifier(name)} disable trigger ${pg.escapeIdentifier(`${name}_history`)}`);
    await main.query(`insert into departments (id, code, name, short_name, created_at, updated_at)
      select pg_temp.bench_id(${KIND.department}, n), 'D' || lpad(n::text, 4, '0'), '责任部门 ' || n, '部门' || n, '2021-01-01', '2021-01-01'
      from generate_series(1, ${size.departments}) as n`);
    await main.query(`insert into leaders (id, name, title, created_at, updated_at)
      select pg_temp.bench_id(${KIND.leader}, n), '领导 ' || n, '副镇长', '2021-01-01', '2021-01-01'
      from generate_series(1, ${size.leaders}) as n`);
    progress.add(size.departments + size.leaders);
    let markProjectsDone = () => {};
    const projectsDone = new Promise<void>((resolve) => (markProjectsDone = resolve));
    // Reports are written by both connections, each taking every other chunk of projects.
    const chunks: [number, number][] = [];
    for (let from = 1; from <= size.projects; from += chunk) chunks.push([from, Math.min(size.projects, from + chunk - 1)]);
    async function writeReports(client: pg.Client, part: number) {
      for (const [from, to] of chunks.filter((_, i) => i % 2 === part)) {
        for (const statement of reportsSql(size, from, to)) {
          const result = await client.query(statement);
          progress.add(result.rowCount ?? 0);
        }
      }
    }
    const sideWork = (async () => {
      // Issues, inspections and reports point at projects: wait until every project exists.
      await projectsDone;
      await writeReports(side, 1);
      for (const statement of inspectionsAndIssuesSql(size)) {
        const result = await side.query(statement);
        progress.add(result.rowCount ?? 0);
      }
    })();
    for (let from = 1; from <= size.projects; from += chunk * 5) {
      const to = Math.min(size.projects, from + chunk * 5 - 1);
      await main.query('begin');
      for (const statement of projectsSql(size, from, to)) await main.query(statement);
      await main.query('commit');
      progress.add(to - from + 1);
    }
    // Secondary indexes of the reports are built once at the end (sorted, far cheaper than 2.4 million
    // single inserts); their definitions come from the migrated catalog, so they are the real ones.
    const { rows: secondary } = await main.query<{ indexname: string; indexdef: string }>(
      `select i.indexname, i.indexdef from pg_indexes i
       where i.tablename = 'progress_reports' and i.indexdef not like 'CREATE UNIQUE%'`,
    );
    for (const index of secondary) await main.query(`drop index ${index.indexname}`);
    // The investment rollup's row triggers would recompute a project-year per inserted revision;
    // off during the bulk load, then one set-based rebuild (the migration's backfill function).
    for (const [table, trigger] of rollupTriggers) await main.query(`alter table ${table} disable trigger ${trigger}`);
    markProjectsDone();
    await writeReports(main, 0);
    await sideWork;
    progress.label('indexes');
    await main.query(`set maintenance_work_mem = '256MB'`);
    await side.query(`set maintenance_work_mem = '256MB'`);
    const clients = [main, side];
    await Promise.all(clients.map(async (client, i) => {
      for (const index of secondary.filter((_, k) => k % clients.length === i)) await client.query(index.indexdef);
    }));
    progress.label('investment rollup');
    for (const [table, trigger] of rollupTriggers) await main.query(`alter table ${table} enable trigger ${trigger}`);
    await main.query('select kpo_rebuild_investment_rollups()');
    progress.label('history');
    for (const { name } of versioned) await main.query('select history.enable($1, $2)', [name, 'now()']);
    for (const table of figureTables) await main.query(`alter table ${table} enable trigger ${table}_figures_changed`);
    await main.query('update figure_versions set changes = changes + 1 where shard = 0');
    progress.label('vacuum analyze');
    // Visibility map and statistics, as a database that has lived a while would have them.
    await Promise.all([
      main.query('vacuum (analyze) progress_reports, progress_report_revisions, project_investment_rollups'),
      side.query('vacuum (analyze) projects, annual_plans, project_status_changes, leader_assignments, project_issues, inspections, inspection_projects, departments, leaders'),
    ]);
    progress.done();
  } finally {
    await main.end();
    await side.end();
  }
  return { seconds: (performance.now() - started) / 1000, rows: total };
}
