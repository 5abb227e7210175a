import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { testConfig } from '../../src/config.js';
import { BASELINE_HEADERS, HELMET_OPTIONS, helmetHeaders, SECURITY_HEADERS, securityHeadersPlugin } from '../../src/plugins/security-headers.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let testDb: TestDatabase;
let app: FastifyInstance;
/** Whether buildApp registers the plugin itself (before auth, so that its 401s carry the headers too). */
let wired = false;

// The whole app, anonymous. Until buildApp registers the plugin, this file adds it last, after auth.
beforeAll(async () => {
  testDb = await createTestDatabase();
  app = (await buildApp({ config: testConfig(), database: testDb.database })) as unknown as FastifyInstance;
  wired = app.hasPlugin('security-headers');
  if (!wired) await app.register(securityHeadersPlugin);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await testDb?.close();
});

function expectStrictHeaders(response: LightMyRequestResponse) {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains/);
  expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(response.headers['x-powered-by']).toBeUndefined();
}

function cspOf(response: LightMyRequestResponse): Record<string, string> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values.join(' ')];
      }),
  );
}

/** GET, following redirects within the app as a browser would. */
async function browse(url: string): Promise<LightMyRequestResponse> {
  let response = await app.inject({ method: 'GET', url });
  for (let hops = 0; response.statusCode >= 300 && response.statusCode < 400 && hops < 5; hops += 1) {
    const location = new URL(String(response.headers.location), `http://localhost${url}`);
    response = await app.inject({ method: 'GET', url: location.pathname + location.search });
  }
  return response;
}

describe('security headers', () => {
  it('gives a health check the strict headers and a deny-all Content-Security-Policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expectStrictHeaders(response);
    expect(cspOf(response)).toEqual({
      'default-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('gives the OpenAPI document the strict headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expectStrictHeaders(response);
    expect(cspOf(response)['default-src']).toBe("'none'");
  });

  it('still serves Swagger UI at /docs, under a policy that lets its own files run and nothing inline', async () => {
    const page = await browse('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/); // every script is a file of its own
    expectStrictHeaders(page);
    const csp = cspOf(page);
    expect(csp['default-src']).toBe("'self'");
    expect(csp['script-src']).toBe("'self'");
    expect(csp['connect-src']).toBe("'self'");
    expect(csp['img-src']).toBe("'self' data:");
    expect(csp['frame-ancestors']).toBe("'none'");
    expect(csp['object-src']).toBe("'none'");
    expect(csp).not.toHaveProperty('upgrade-insecure-requests');

    // The files the page loads, and the document it fetches, are served under the same policy.
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-initializer.js', 'swagger-ui.css']) {
      const asset = await app.inject({ method: 'GET', url: `/docs/static/${file}` });
      expect(asset.statusCode, file).toBe(200);
      expect(cspOf(asset)['script-src'], file).toBe("'self'");
      expect(asset.headers['x-content-type-options'], file).toBe('nosniff');
    }
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.headers['content-type']).toContain('javascript');
    const document = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(document.statusCode).toBe(200);
  });

  it('marks /v1 answers no-store, errors included', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/departments' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['cache-control']).toBe('no-store');
    const unknown = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(unknown.headers['cache-control']).toBe('no-store');
    // Outside /v1 nothing is imposed.
    expect((await app.inject({ method: 'GET', url: '/health/live' })).headers['cache-control']).toBeUndefined();
  });
});

describe('security headers before authentication', () => {
  // Helmet sets its headers in an onRequest hook: a 401 thrown by the auth plugin's hook has them
  // only when this plugin is registered before auth, as buildApp does once it is wired.
  it('gives a refused /v1 request (401) the strict headers too', async (test) => {
    if (!wired) test.skip();
    const response = await app.inject({ method: 'GET', url: '/v1/departments' });
    expect(response.statusCode).toBe(401);
    expectStrictHeaders(response);
    expect(cspOf(response)['default-src']).toBe("'none'");
  });
});

/** Every header helmet set per request under @fastify/helmet, with the value it set. */
const HELMET_SET = {
  'content-security-policy': "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('the headers, computed once', () => {
  it('are the ones helmet sets on a real response, for the same options', () => {
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    let finished = false;
    helmet(HELMET_OPTIONS)(response.req, response, () => {
      finished = true;
    });
    expect(finished).toBe(true);
    expect(response.getHeaders()).toEqual(SECURITY_HEADERS);
    expect(SECURITY_HEADERS).toEqual(HELMET_SET);
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });

  it('reach every kind of answer whole, with the values they always had', async () => {
    const answers = {
      'health check': await app.inject({ method: 'GET', url: '/health/live' }),
      'refused /v1 request': await app.inject({ method: 'GET', url: '/v1/projects' }),
      'unknown route': await app.inject({ method: 'GET', url: '/nothing-here' }),
      'unknown /v1 route': await app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      'OpenAPI document': await app.inject({ method: 'GET', url: '/openapi.json' }),
      'HEAD': await app.inject({ method: 'HEAD', url: '/health/live' }),
    };
    for (const [what, response] of Object.entries(answers)) {
      for (const [name, value] of Object.entries(HELMET_SET)) expect(response.headers[name], `${what}: ${name}`).toBe(value);
    }
    // Under /docs, every one of them but the policy, which is Swagger UI's.
    for (const url of ['/docs/', '/docs/static/swagger-ui.css', '/docs/static/nope.js']) {
      const response = await app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(HELMET_SET)) {
        if (name !== 'content-security-policy') expect(response.headers[name], `${url}: ${name}`).toBe(value);
      }
      expect(cspOf(response)['default-src'], url).toBe("'self'");
    }
  });

  it('agree with the baseline a problem answered before routing gets', async () => {
    const { 'content-security-policy': policy, 'cache-control': cacheControl, ...rest } = BASELINE_HEADERS;
    for (const [name, value] of Object.entries(rest)) expect(value, name).toBe(SECURITY_HEADERS[name]);
    const directives = (header: string | undefined) => String(header).split(';').map((d) => d.trim().split(/\s+/).join(' '));
    expect(directives(policy)).toEqual(directives(SECURITY_HEADERS['content-security-policy']));
    expect(cacheControl).toBe('no-store');
    const response = await app.inject({ method: 'GET', url: '/v1/projects/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    for (const [name, value] of Object.entries(BASELINE_HEADERS)) expect(response.headers[name], name).toBe(value);
  });

  it('cannot be computed once for a policy that changes per request', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'self'", () => "'nonce-abc'"] } } })).toThrow(
      /computed per request/,
    );
    expect(() => helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'script-src': ["'self'"] } } })).toThrow(/default-src/);
  });
});

describe('the security-headers plugin on its own', () => {
  it('keeps a Cache-Control that a /v1 route set itself', async () => {
    const tiny = Fastify({ logger: false });
    await tiny.register(securityHeadersPlugin);
    tiny.get('/v1/labels', async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { ok: true };
    });
    tiny.get('/v1/plain', async () => ({ ok: true }));
    try {
      expect((await tiny.inject({ method: 'GET', url: '/v1/labels' })).headers['cache-control']).toBe('public, max-age=3600');
      expect((await tiny.inject({ method: 'GET', url: '/v1/plain?x=1' })).headers['cache-control']).toBe('no-store');
    } finally {
      await tiny.close();
    }
  });
});
