import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { concreteUrl, openapiDocument, operations, type Json } from './owasp-fixtures.js';

/**
 * API9:2023 Improper Inventory Management: the OpenAPI document is the inventory. Every route the
 * app serves is in it, every operation in it is served, and each says how it is secured.
 *
 * The items of the Top 10 that do not apply to this service, and why:
 * - API6:2023 Unrestricted Access to Sensitive Business Flows: there is no flow an outsider could
 *   automate for gain (no purchase, booking, sign-up or voting); every write needs a key of a known
 *   office system, and API4's rate limits bound automation by those keys.
 * - API10:2023 Unsafe Consumption of APIs: the service consumes no third-party API. Its only outbound
 *   calls are webhook deliveries, whose answers are read for their status code only (see API7).
 * - API7:2023 Server Side Request Forgery applies to webhook targets: owasp-api7-ssrf.test.ts.
 */
const ctx = useTestApp();

interface Route {
  method: string;
  /** Fastify path, e.g. /v1/issues/:id */
  path: string;
}

/**
 * The routes the app serves, read from `printRoutes({ commonPrefix: false })`: a tree whose node
 * labels continue their parent's path ("/status" then "-history"), with the methods in parentheses.
 */
function registeredRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, path });
  }
  return routes;
}

const toOpenapiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Served but deliberately outside the document. */
function undocumentedByDesign(route: Route): boolean {
  if (route.method === 'HEAD') return true; // Fastify's HEAD twin of every GET
  if (route.method === 'OPTIONS' && route.path === '*') return true; // CORS preflights (@fastify/cors)
  if (route.path === '/openapi.json' || route.path === '/docs' || route.path.startsWith('/docs/')) return true;
  if (route.path === '/metrics') return true; // Prometheus, README "Operating the service": not for API clients
  return false;
}

describe('API9:2023 Improper Inventory Management', () => {
  it('reads the route table (the parser finds the routes it must)', () => {
    const routes = registeredRoutes(ctx.app.printRoutes({ commonPrefix: false }));
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toEqual(expect.arrayContaining(['GET /health/live', 'POST /v1/departments', 'PATCH /v1/issues/:id', 'GET /v1/projects/:id/status-history', 'GET /v1/progress-reports/:id/revisions/:revision']));
    expect(routes.length).toBeGreaterThan(80);
  });

  it('documents every route the app serves, except HEAD twins, CORS preflights, the docs, the document itself and /metrics', async () => {
    const documented = new Set((await operations(ctx)).map((op) => `${op.method} ${op.path}`));
    const undocumented = registeredRoutes(ctx.app.printRoutes({ commonPrefix: false }))
      .filter((r) => !undocumentedByDesign(r))
      .map((r) => `${r.method} ${toOpenapiPath(r.path)}`)
      .filter((key) => !documented.has(key));
    expect(undocumented).toEqual([]);
  });

  it('serves every documented operation: each is in the route table and a request to it never reaches the route_not_found handler', async () => {
    const registered = new Set(registeredRoutes(ctx.app.printRoutes({ commonPrefix: false })).map((r) => `${r.method} ${toOpenapiPath(r.path)}`));
    const missing: string[] = [];
    for (const op of await operations(ctx)) {
      if (!registered.has(`${op.method} ${op.path}`)) missing.push(`${op.operationId}: not in the route table`);
      expect(ctx.app.hasRoute({ method: op.method as 'GET', url: op.path.replace(/\{(\w+)\}/g, ':$1') }), op.operationId).toBe(true);
      // A bare request (no body, ids that name nothing): a 4xx of the operation, never "no such route".
      const response = await ctx.app.inject({ method: op.method as 'GET', url: concreteUrl(op.path) });
      if (response.statusCode === 404 && json(response).code === 'route_not_found') missing.push(`${op.operationId}: route_not_found`);
    }
    expect(missing).toEqual([]);
  });

  it('has only versioned API paths (/v1) besides the health probes, and unique operation ids', async () => {
    const ops = await operations(ctx);
    for (const op of ops) expect(op.path, op.operationId).toMatch(/^\/(v1|health)\//);
    const ids = ops.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('secures every operation but the health probes with the bearer scheme, and declares 401, 403 and 429 on each', async () => {
    const document = await openapiDocument(ctx);
    const schemes = (document.components as Json).securitySchemes as Record<string, Json>;
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const wrong: string[] = [];
    for (const op of await operations(ctx)) {
      if (op.path.startsWith('/health/')) {
        if (!Array.isArray(op.security) || op.security.length !== 0) wrong.push(`${op.operationId}: health probe should say security: []`);
        continue;
      }
      const security = op.security as Record<string, unknown>[] | undefined;
      if (!security || security.length === 0) wrong.push(`${op.operationId}: no security`);
      else if (!security.every((s) => Object.keys(s).length > 0 && Object.keys(s).every((name) => name in schemes))) wrong.push(`${op.operationId}: unknown or empty scheme ${JSON.stringify(security)}`);
      for (const status of ['401', '403', '429']) if (!(status in op.responses)) wrong.push(`${op.operationId}: no ${status} response`);
    }
    expect(wrong).toEqual([]);
  });

  it('does not serve the document\'s operations without a key: every secured operation answers 401 to an anonymous bare request', async () => {
    const open: string[] = [];
    let address = 0;
    for (const op of await operations(ctx)) {
      if (!op.security?.length) continue;
      address += 1; // each from its own address: the failed-authentication limit is not under test here
      const response = await ctx.anonymous({ method: op.method as 'GET', url: concreteUrl(op.path), remoteAddress: `10.9.${Math.floor(address / 250)}.${(address % 250) + 1}` });
      if (response.statusCode !== 401) open.push(`${op.method} ${op.path}: ${response.statusCode}`);
    }
    expect(open).toEqual([]);
  });
});
