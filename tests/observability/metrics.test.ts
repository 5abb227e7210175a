import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

// Every log line the app writes, parsed, so tests read the request log as an operator would.
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const ctx = useTestApp({}, { logger: pino({ level: 'info' }, sink) });

function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const response = await ctx.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  return response.body;
}

describe('observability', () => {
  it('counts requests and their latency by route pattern and status, not by raw URL', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'JSJ', name: '住建局' } });
    expect(created.statusCode).toBe(201);
    await ctx.app.inject({ method: 'GET', url: '/v1/departments' });
    await ctx.app.inject({ method: 'GET', url: '/v1/departments?limit=1' });
    await ctx.app.inject({ method: 'GET', url: `/v1/departments/${json(created).id}` });
    await ctx.app.inject({ method: 'GET', url: '/v1/departments/0190c0de-0000-7000-8000-000000000000' });
    await ctx.app.inject({ method: 'GET', url: '/no/such/path/qzxw' });

    const text = await scrape();
    expect(sampleValue(text, 'http_requests_total{method="GET",route="/v1/departments",status="200"}')).toBe(2);
    expect(sampleValue(text, 'http_requests_total{method="POST",route="/v1/departments",status="201"}')).toBe(1);
    expect(sampleValue(text, 'http_requests_total{method="GET",route="/v1/departments/:id",status="200"}')).toBe(1);
    expect(sampleValue(text, 'http_requests_total{method="GET",route="/v1/departments/:id",status="404"}')).toBe(1);
    expect(sampleValue(text, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain(json(created).id);
    // A raw URL never becomes a label (a word no figure can contain: digits may turn up in any value).
    expect(text).not.toContain('qzxw');

    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(sampleValue(text, 'http_request_duration_seconds_count{method="GET",route="/v1/departments",status="200"}')).toBe(2);
    expect(sampleValue(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/departments",status="200"}')).toBe(2);
  });

  it('reports the database pool, the event-loop delay and the process figures', async () => {
    const text = await scrape();
    const stats = ctx.testDb.database.poolStats();
    expect(sampleValue(text, 'kpo_db_pool_connections')).toBe(stats.total);
    expect(sampleValue(text, 'kpo_db_pool_idle')).toBe(stats.idle);
    expect(sampleValue(text, 'kpo_db_pool_in_use')).toBe(stats.total - stats.idle);
    expect(sampleValue(text, 'kpo_db_pool_waiting')).toBe(stats.waiting);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(sampleValue(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('serves /metrics to a key of any role and to no one without a key', async () => {
    const anonymous = await ctx.anonymous({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('http_requests_total');
    const viewer = await ctx.key({ role: 'viewer', readOnly: true });
    const scraped = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${viewer}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('# TYPE http_requests_total counter');
  });

  it('keeps /metrics out of the OpenAPI document', async () => {
    const document = json(await ctx.app.inject({ method: 'GET', url: '/openapi.json' }));
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });

  it('writes one JSON line per request with the request id, route, method, status, duration and actor (the key id)', async () => {
    lines.length = 0;
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/v1/departments?limit=5',
      headers: { 'x-request-id': 'obs-test-1', 'x-actor': '王科长' },
    });
    expect(response.statusCode).toBe(200);

    const forRequest = lines.filter((l) => l.reqId === 'obs-test-1');
    expect(forRequest).toHaveLength(1);
    const line = forRequest[0]!;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'obs-test-1',
      method: 'GET',
      route: '/v1/departments',
      url: '/v1/departments?limit=5',
      status: 200,
      actor: json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items[0].id,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(lines.some((l) => l.msg === 'incoming request')).toBe(false);
  });

  it('logs an anonymous caller and an unmatched route with a null route', async () => {
    lines.length = 0;
    await ctx.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'obs-test-2' } });
    expect(lines.filter((l) => l.reqId === 'obs-test-2')).toEqual([
      expect.objectContaining({ route: null, status: 404, actor: 'anonymous', method: 'GET' }),
    ]);
  });
});
