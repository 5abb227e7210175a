import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canCreateCluster, createCluster, freePort, type PgCluster } from '../support/pg-cluster.js';
import { adminKeyFor, startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

// The outage is staged on a private PostgreSQL cluster, never on the shared server other test
// files use, so this file runs the same on the PostgreSQL and the PGlite pass.
const REQUEST_TIMEOUT_MS = 30_000;
const DB_CONNECT_TIMEOUT_MS = 2000;

interface Outcome {
  kind: 'write' | 'read' | 'ready';
  code?: string;
  start: number;
  end: number;
  status?: number;
  contentType?: string | null;
  retryAfter?: string | null;
  problemCode?: string;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(baseUrl: string, key: string, kind: Outcome['kind'], path: string, body?: object, code?: string): Promise<Outcome> {
  const start = Date.now();
  try {
    const response = await fetch(baseUrl + path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      // A hang shows up as an error here, well before the test's own timeout.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS + 5000),
    });
    const text = await response.text();
    const outcome: Outcome = {
      kind,
      start,
      end: Date.now(),
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      ...(code ? { code } : {}),
    };
    if (response.status >= 400) outcome.problemCode = (JSON.parse(text) as { code?: string }).code;
    return outcome;
  } catch (error) {
    return { kind, start, end: Date.now(), error: String(error), ...(code ? { code } : {}) };
  }
}

const ok = (o: Outcome) => o.status !== undefined && o.status >= 200 && o.status < 300;

describe.runIf(canCreateCluster())('a PostgreSQL outage (own throwaway PostgreSQL 15 cluster, runs on both passes)', () => {
  let cluster: PgCluster | undefined;
  let server: ServerProcess | undefined;
  let key: string;

  beforeAll(async () => {
    cluster = await createCluster();
    await cluster.start();
    server = startServer(await freePort(), {
      DATABASE_URL: cluster.url,
      LOG_LEVEL: 'warn',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: String(DB_CONNECT_TIMEOUT_MS),
      // Five streams of requests every 20 ms, all with one key from one address: far over the
      // default per-minute limits, which are not what this file tests.
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_IP: '1000000',
    });
    await waitUntilReady(server, 150_000);
    key = await adminKeyFor(server, cluster.url);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
  }, 60_000);

  it('answers 503 + Retry-After fast while PostgreSQL is down, recovers by itself, and loses no acknowledged write', { timeout: 180_000 }, async () => {
    const { baseUrl } = server!;
    const outcomes: Outcome[] = [];
    let streaming = true;
    const run = `O${Date.now().toString(36)}`;

    async function writer(id: number) {
      for (let n = 0; streaming; n++) {
        const code = `${run}-${id}-${n}`;
        outcomes.push(await send(baseUrl, key, 'write', '/v1/departments', { code, name: `停电测试部门${id}-${n}` }, code));
        await sleep(20);
      }
    }
    async function reader() {
      while (streaming) {
        outcomes.push(await send(baseUrl, key, 'read', '/v1/departments?limit=5'));
        await sleep(20);
      }
    }
    // The readiness probe as a load balancer would run it: every 100 ms.
    async function prober() {
      while (streaming) {
        outcomes.push(await send(baseUrl, key, 'ready', '/health/ready'));
        await sleep(100);
      }
    }
    const streams = [writer(1), writer(2), writer(3), reader(), reader(), prober()];

    await sleep(1500);
    const stopAt = Date.now();
    await cluster!.stop();
    const stoppedAt = Date.now();
    await sleep(3000);
    const restartAt = Date.now();
    await cluster!.start();
    const startedAt = Date.now();
    const recovered = () => outcomes.some((o) => o.kind === 'write' && ok(o) && o.start >= startedAt);
    while (!recovered() && Date.now() - startedAt < 15_000) await sleep(50);
    await sleep(1000);
    streaming = false;
    await Promise.all(streams);

    const diagnostics = () => server!.output().slice(-4000);
    // The process lived through it, and every request got an HTTP answer: none hung, none was cut off.
    expect(server!.child.exitCode, diagnostics()).toBeNull();
    expect(outcomes.filter((o) => o.error).map((o) => o.error)).toEqual([]);
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([200, 201, 503]));

    // Every failure is the documented one: 503 problem+json, database_unavailable, Retry-After.
    const failures = outcomes.filter((o) => o.status === 503);
    for (const failure of failures) {
      expect(failure.contentType).toMatch(/^application\/problem\+json/);
      expect(failure.problemCode).toBe('database_unavailable');
      expect(Number(failure.retryAfter)).toBeGreaterThan(0);
    }

    // Readiness turns 503 within 2 s of PostgreSQL going away.
    const firstReady503 = outcomes.find((o) => o.kind === 'ready' && o.status === 503 && o.end >= stopAt);
    expect(firstReady503).toBeDefined();
    const toReady503 = Math.max(0, firstReady503!.end - stoppedAt);
    expect(toReady503).toBeLessThanOrEqual(2000);

    // While it is down, API requests fail fast instead of waiting for the request timeout.
    const duringOutage = outcomes.filter((o) => o.kind !== 'ready' && o.start >= stoppedAt && o.end <= restartAt);
    expect(duringOutage.length).toBeGreaterThan(10);
    expect(duringOutage.every((o) => o.status === 503)).toBe(true);
    const slowest = Math.max(...duringOutage.map((o) => o.end - o.start));
    expect(slowest).toBeLessThan(DB_CONNECT_TIMEOUT_MS + 1000);

    // Back within 5 s of PostgreSQL accepting connections again, with no restart.
    const firstWriteBack = outcomes.find((o) => o.kind === 'write' && ok(o) && o.start >= startedAt);
    const firstReadyBack = outcomes.find((o) => o.kind === 'ready' && o.status === 200 && o.start >= startedAt);
    expect(firstWriteBack).toBeDefined();
    expect(firstReadyBack).toBeDefined();
    const toWriteBack = firstWriteBack!.end - startedAt;
    const toReadyBack = firstReadyBack!.end - startedAt;
    expect(toWriteBack).toBeLessThanOrEqual(5000);
    expect(toReadyBack).toBeLessThanOrEqual(5000);

    // Every write answered 2xx — before, during or after — is stored, with its audit event.
    const acknowledged = outcomes.filter((o) => o.kind === 'write' && ok(o)).map((o) => o.code!);
    expect(acknowledged.some((code) => outcomes.find((o) => o.code === code)!.end < stopAt)).toBe(true);
    expect(acknowledged.some((code) => outcomes.find((o) => o.code === code)!.start >= startedAt)).toBe(true);
    const client = new pg.Client({ connectionString: cluster!.url });
    await client.connect();
    try {
      const stored = await client.query<{ code: string; audited: boolean }>(
        `select d.code, exists (select 1 from audit_events a where a.resource_id = d.id::text) as audited
           from departments d where d.code = any($1::text[])`,
        [acknowledged],
      );
      expect(stored.rows.map((r) => r.code).sort()).toEqual([...acknowledged].sort());
      expect(stored.rows.every((r) => r.audited)).toBe(true);
    } finally {
      await client.end();
    }

    console.info(
      `outage: pg_ctl stop took ${stoppedAt - stopAt} ms; first ready 503 ${firstReady503!.end - stopAt} ms after stop began ` +
        `(${toReady503} ms after it finished); slowest request while down ${slowest} ms over ${duringOutage.length} requests; ` +
        `pg_ctl start took ${startedAt - restartAt} ms; ready 200 ${toReadyBack} ms and first 2xx write ${toWriteBack} ms after start; ` +
        `${acknowledged.length} acknowledged writes all stored, ${failures.length} 503s`,
    );
  });
});
