import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { bind, type CapturedEndpoints, type CapturedQuery } from './captured.js';

/**
 * The floor: bare Fastify + pg replaying, per endpoint, the statements the service sent for a
 * sample request (bench/capture.ts), with no validation, serialisation schema, idempotency or audit.
 * What the service costs beyond this is the framework and our own code.
 */
const queries = JSON.parse(readFileSync(process.env.FLOOR_QUERIES ?? '', 'utf8')) as CapturedEndpoints;
// Unlike the service, the floor queues requests without limit; when it is stopped, PostgreSQL notices
// the closed connections within half a second and abandons their statements.
const pool = new pg.Pool({
  connectionString: process.env.FLOOR_DATABASE_URL,
  max: Number(process.env.FLOOR_POOL_MAX ?? 10),
  options: '-c TimeZone=UTC -c client_connection_check_interval=500',
});
const app = Fastify({ logger: false });

async function runAll(executor: pg.Pool | pg.PoolClient, list: CapturedQuery[], values: Parameters<typeof bind>[1]) {
  let rows: unknown[] = [];
  // Prepared by name where the service prepares it, so both sides skip the same parsing and planning.
  for (const query of list) rows = (await executor.query({ text: query.text, values: bind(query, values), ...(query.name ? { name: query.name } : {}) })).rows;
  return rows;
}

app.get<{ Params: { id: string } }>('/v1/projects/:id', async (request, reply) => {
  const rows = await runAll(pool, queries.projectById, { id: request.params.id });
  return rows[0] ?? reply.status(404).send({ status: 404 });
});

app.get<{ Querystring: { departmentId: string } }>('/v1/projects', async (request) => {
  const rows = await runAll(pool, queries.projectList, { department: request.query.departmentId });
  return { items: rows.slice(0, 50), nextCursor: null };
});

app.get('/v1/metrics/summary', async () => {
  // One transaction, as the service runs them (its set_config(…, true) settings hold for it).
  const client = await pool.connect();
  try {
    await client.query('begin');
    const results = [];
    for (const query of queries.metricsSummary) results.push((await client.query(query.text, query.params)).rows);
    await client.query('commit');
    return { results };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
});

app.post<{ Body: { projectId: string; period: string } }>('/v1/progress-reports', async (request, reply) => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const rows = await runAll(client, queries.reportCreate, { project: request.body.projectId, period: request.body.period, report: randomUUID() });
    await client.query('commit');
    return reply.status(201).send(rows[0]);
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
});

const address = await app.listen({ port: Number(process.env.FLOOR_PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
// Requests still queued are dropped, not finished: the next measurement must not pay for them.
process.on('SIGTERM', () => process.exit(0));
