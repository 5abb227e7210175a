import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from '../../src/modules/webhooks/webhooks.table.js';
import { useTestApp } from '../support/app.js';

// Issue #18: /metrics had requests and the pool, but not the outbox, the import queue, the figures
// cache or the build; probes and scrapes were logged at info; the request line lacked the client.
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const ctx = useTestApp({}, { logger: pino({ level: 'debug' }, sink) });

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const scrape = async () => (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;

describe('operations metrics and logs', () => {
  it('counts figures cache hits, misses and computations', { timeout: 120_000 }, async () => {
    await writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
    const before = await scrape();
    const at = (text: string, name: string) => sample(text, name) ?? Number.NaN;
    const url = '/v1/metrics/summary?year=2022&list=city_key&asOf=2022-03-31';
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    const after = await scrape();
    expect(at(after, 'kpo_figures_cache_misses_total') - at(before, 'kpo_figures_cache_misses_total')).toBe(1);
    expect(at(after, 'kpo_figures_computations_total') - at(before, 'kpo_figures_computations_total')).toBe(1);
    expect(at(after, 'kpo_figures_cache_hits_total') - at(before, 'kpo_figures_cache_hits_total')).toBe(1);
    expect(at(after, 'kpo_figures_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(at(after, 'kpo_figures_cache_chars')).toBeGreaterThan(0);
  });

  it('reports the webhook outbox (due, failed), the import queue and the build', async () => {
    const db = ctx.testDb.database.db;
    const [subscription] = await db.insert(webhookSubscriptions).values({ url: 'https://hooks.example.gov.cn/kpo', eventTypes: ['project.status_changed'], secret: 's'.repeat(32) }).returning();
    const [event] = await db.insert(webhookEvents).values({ type: 'project.status_changed', data: {} }).returning();
    await db.insert(webhookDeliveries).values([
      { subscriptionId: subscription!.id, eventId: event!.id, status: 'pending' },
      { subscriptionId: subscription!.id, eventId: event!.id, status: 'pending', nextAttemptAt: '2999-01-01T00:00:00Z' },
      { subscriptionId: subscription!.id, eventId: event!.id, status: 'failed' },
    ] as never);
    const text = await scrape();
    expect(sample(text, 'kpo_webhook_outbox_due')).toBe(1);
    expect(sample(text, 'kpo_webhook_outbox_failed')).toBe(1);
    expect(sample(text, 'kpo_import_active')).toBe(0);
    expect(sample(text, 'kpo_import_waiting')).toBe(0);
    expect(text).toMatch(/^kpo_build_info\{version="0\.1\.0",commit="[^"]+",node="v\d+\.\d+\.\d+"\} 1$/m);
  });

  it('logs probes and scrapes at debug, other requests at info with the client address and user agent, never a key', async () => {
    lines.length = 0;
    await ctx.app.inject({ method: 'GET', url: '/health/live' });
    await scrape();
    const secret = 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6S7t8';
    await ctx.app.inject({ method: 'GET', url: '/v1/departments', headers: { 'user-agent': `office-sync/2.1 kpo_live_${secret}` } });
    const completed = lines.filter((l) => l.msg === 'request completed');
    const byRoute = new Map(completed.map((l) => [l.route, l]));
    expect(byRoute.get('/health/live')).toMatchObject({ level: 20 });
    expect(byRoute.get('/metrics')).toMatchObject({ level: 20 });
    const line = byRoute.get('/v1/departments')!;
    expect(line).toMatchObject({ level: 30, remoteAddress: '127.0.0.1', userAgent: expect.stringMatching(/^office-sync\/2\.1 \S*\[REDACTED\]$/) });
    expect(JSON.stringify(lines)).not.toContain(secret);
  });
});
