import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { InjectOptions } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import type { Database, Db } from '../src/db/types.js';
import { SLOT, type CapturedEndpoints, type CapturedQuery } from './captured.js';

export interface Samples {
  projectId: string;
  departmentId: string;
  year: number;
  list: string;
  asOf: string;
  reportProjectId: string;
  reportPeriod: string;
}

// Not the endpoint's own work: the floor has no idempotency, no audit trail and no authentication.
const NOT_FLOOR = /idempotency_keys|audit_events|api_keys|^(begin|commit|rollback)\b/i;

function placeholders(query: CapturedQuery, values: Map<unknown, string>): CapturedQuery {
  return { text: query.text, params: query.params.map((p) => values.get(p) ?? p) };
}

/**
 * Builds the service in-process on a logging pool and sends one request of each kind, recording
 * every statement drizzle sends. The floor server replays exactly these statements.
 */
export async function captureServiceSql(url: string, samples: Samples, apiKey: string): Promise<CapturedEndpoints> {
  let log: CapturedQuery[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2, options: '-c TimeZone=UTC' });
  // drizzle logs text and parameters; the statement name of a prepared query is seen on the pool.
  const names = new Map<string, string>();
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    const named = config as { name?: string; text?: string };
    if (typeof named === 'object' && named?.name && named.text) names.set(named.text, named.name);
    return query(config, ...rest);
  };
  const db = drizzle(pool, { logger: { logQuery: (text, params) => log.push({ text, params }) } }) as unknown as Db;
  const database: Database = {
    kind: 'postgres',
    db,
    readDb: db,
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    // No notifications followed: the API-key cache stays off, so every captured request shows its key lookup.
    listen: async (_channel, handlers) => {
      handlers.state(false);
      return async () => {};
    },
  };
  const app = await buildApp({ config: testConfig(), database });
  try {
    async function record(request: InjectOptions, values: Map<unknown, string>) {
      log = [];
      const response = await app.inject({ ...request, headers: { ...(request.headers ?? {}), authorization: `Bearer ${apiKey}` } });
      if (response.statusCode >= 300) throw new Error(`capture: ${JSON.stringify(request)} answered ${response.statusCode} ${response.body}`);
      const report = (response.json() as { id?: string }).id;
      if (report && request.method === 'POST') values.set(report, SLOT.report);
      return log
        .filter((q) => !NOT_FLOOR.test(q.text.trim()))
        .map((q) => ({ ...placeholders(q, values), ...(names.has(q.text) ? { name: names.get(q.text) } : {}) }));
    }
    const { year, list, asOf } = samples;
    return {
      projectById: await record({ method: 'GET', url: `/v1/projects/${samples.projectId}` }, new Map([[samples.projectId, SLOT.id]])),
      projectList: await record(
        { method: 'GET', url: `/v1/projects?list=${list}&year=${year}&departmentId=${samples.departmentId}` },
        new Map([[samples.departmentId, SLOT.department]]),
      ),
      metricsSummary: await record({ method: 'GET', url: `/v1/metrics/summary?year=${year}&asOf=${asOf}&list=${list}` }, new Map()),
      reportCreate: await record(
        {
          method: 'POST',
          url: '/v1/progress-reports',
          headers: { 'idempotency-key': `capture-${Date.now()}` },
          payload: { projectId: samples.reportProjectId, period: samples.reportPeriod, investmentCompleted: '12.5000', physicalProgress: '10.00', workOngoing: true },
        },
        new Map([
          [samples.reportProjectId, SLOT.project],
          [samples.reportPeriod, SLOT.period],
        ]),
      ),
    };
  } finally {
    await app.close();
    await pool.end();
  }
}
