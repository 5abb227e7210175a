import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/types.js';
import { projectRoot } from '../lib/project-root.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routeOf } from '../lib/route-of.js';

/** Requests that matched no route share one label, so a scan of random URLs cannot grow the series. */
const UNMATCHED_ROUTE = 'unmatched';

// Seconds, from a fast lookup (a few ms) to the request timeout's order of magnitude.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's own Prometheus registry (never the prom-client global, so apps in one process stay apart). */
    metricsRegistry: Registry;
    /**
     * A figure read at each scrape (the outbox, the import queue, the figures cache …): a module states
     * what it knows without holding a metric object. `counter` for a running total (name ends _total).
     */
    observe(metric: { name: string; help: string; type?: 'gauge' | 'counter'; read: () => number | Promise<number> }): void;
  }
}

type PoolStats = ReturnType<Database['poolStats']>;

function poolGauges(registry: Registry, database: Database): void {
  const figures = [
    { name: 'kpo_db_pool_connections', help: 'Database connections open (in use + idle)', read: (s: PoolStats) => s.total },
    { name: 'kpo_db_pool_idle', help: 'Database connections open and idle', read: (s: PoolStats) => s.idle },
    { name: 'kpo_db_pool_in_use', help: 'Database connections checked out by a query or transaction', read: (s: PoolStats) => s.total - s.idle },
    { name: 'kpo_db_pool_waiting', help: 'Queries waiting for a free database connection', read: (s: PoolStats) => s.waiting },
  ];
  for (const { name, help, read } of figures) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(database.poolStats()));
      },
    });
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * GET /metrics in the Prometheus text format: requests by route pattern, method and status, their
 * latency, the database pool, and the process (CPU, memory, GC, event-loop delay). The route is
 * for operators and scrapers, not API clients, so it is left out of the OpenAPI document.
 */
export const metricsPlugin = fp(
  async function metrics(app, opts: { database: Database }) {
    const registry = new Registry();
    // Process metrics include nodejs_eventloop_lag_* from perf_hooks.monitorEventLoopDelay.
    collectDefaultMetrics({ register: registry });
    poolGauges(registry, opts.database);

    const labelNames = ['method', 'route', 'status'] as const;
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests completed, by route pattern, method and status',
      labelNames,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to sending the response, by route pattern, method and status',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });

    app.decorate('metricsRegistry', registry);
    app.decorate('observe', ({ name, help, type = 'gauge', read }: { name: string; help: string; type?: 'gauge' | 'counter'; read: () => number | Promise<number> }) => {
      if (type === 'counter') {
        new Counter({
          name,
          help,
          registers: [registry],
          async collect() {
            this.reset();
            this.inc(await read());
          },
        });
      } else {
        new Gauge({
          name,
          help,
          registers: [registry],
          async collect() {
            this.set(await read());
          },
        });
      }
    });
    // Which build answers: the package version, the Node.js version and, when the image was built
    // with it, the commit (KPO_BUILD_COMMIT), as labels of a constant 1.
    const build = new Gauge({ name: 'kpo_build_info', help: 'The running build: version, commit and Node.js version (value 1)', labelNames: ['version', 'commit', 'node'], registers: [registry] });
    build.set({ version: packageVersion(), commit: process.env.KPO_BUILD_COMMIT ?? 'unknown', node: process.version }, 1);
    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: routeOf(request).url ?? UNMATCHED_ROUTE,
        status: String(reply.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
      done();
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    });
    app.addHook('onClose', async () => registry.clear());
  },
  { name: 'metrics' },
);
