import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { created, expectProblem } from './owasp-fixtures.js';

/**
 * API8:2023 Security Misconfiguration: errors say nothing of the internals (no stack, file path,
 * SQL or driver message), every response carries the security headers, CORS admits only the
 * configured origins (with Authorization allowed for them), and the docs page keeps a CSP.
 */

const ALLOWED_ORIGIN = 'https://a.example';
const ctx = useTestApp({ CORS_ORIGINS: ALLOWED_ORIGIN, BODY_LIMIT_BYTES: '2048' });

/** Things no problem body may contain: stack frames, source paths, SQL and driver internals. */
function expectNoInternals(response: LightMyRequestResponse) {
  const body = response.body;
  expect(body).not.toMatch(/\bat [\w.<>]+ \(/); // "at fn (" stack frames
  expect(body).not.toMatch(/\n\s+at /);
  expect(body).not.toMatch(/\/work\/|node_modules|\.ts:\d+|\.js:\d+|file:\/\//);
  expect(body).not.toMatch(/SQLSTATE|violates|relation "|syntax error at|drizzle|pglite|postgres/i);
  expect(body).not.toMatch(/"stack"/);
}

function expectSecurityHeaders(response: LightMyRequestResponse, where: string) {
  expect(response.headers['x-content-type-options'], where).toBe('nosniff');
  expect(response.headers['x-frame-options'], where).toBe('DENY');
  expect(String(response.headers['content-security-policy']), where).toContain("frame-ancestors 'none'");
  expect(response.headers['referrer-policy'], where).toBe('no-referrer');
  expect(response.headers['x-powered-by'], where).toBeUndefined();
  expect(response.headers.server, where).toBeUndefined();
}

describe('API8:2023 Security Misconfiguration', () => {
  describe('errors hide internals', () => {
    it('answers a database failure inside a route with a bare 500 problem that names only the request id', async () => {
      const db = ctx.testDb.database.db;
      await db.execute(sql.raw(`create function owasp_fail() returns trigger language plpgsql as $$
        begin raise exception 'select secret_column from internal_table failed'; end $$`));
      await db.execute(sql.raw(`create trigger owasp_fail before insert on departments for each row execute function owasp_fail()`));
      try {
        const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'BOOM', name: '爆炸局' }, headers: { 'x-request-id': 'owasp-500' } });
        const problem = expectProblem(response, 500, 'internal_error');
        expect(problem.requestId).toBe('owasp-500');
        expect(String(problem.detail)).toContain('owasp-500');
        expect(response.body).not.toContain('secret_column');
        expect(response.body).not.toContain('internal_table');
        expect(response.body).not.toContain('owasp_fail');
        expectNoInternals(response);
        expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
        expectSecurityHeaders(response, '500');
      } finally {
        await db.execute(sql.raw('drop trigger if exists owasp_fail on departments'));
        await db.execute(sql.raw('drop function if exists owasp_fail()'));
      }
    });

    it('answers every kind of client error with a problem body free of stack frames, paths and SQL', async () => {
      const department = await created(ctx, '/v1/departments', { code: 'DUP', name: '重复局' });
      const viewer = await ctx.key({ role: 'viewer' });
      const cases: [string, Promise<LightMyRequestResponse>, number][] = [
        ['unknown route', ctx.app.inject({ method: 'GET', url: '/v1/../../etc/passwd' }), 404],
        ['unknown method', ctx.app.inject({ method: 'PUT', url: '/v1/projects' }), 404],
        ['bad id', ctx.app.inject({ method: 'GET', url: "/v1/projects/1'%20or%201=1--" }), 400],
        ['validation', ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 1, extra: true } }), 400],
        ['broken JSON', ctx.app.inject({ method: 'POST', url: '/v1/departments', headers: { 'content-type': 'application/json' }, payload: '{"code": "A",' }), 400],
        ['media type', ctx.app.inject({ method: 'POST', url: '/v1/departments', headers: { 'content-type': 'application/xml' }, payload: '<x/>' }), 415],
        ['too large', ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'BIG', name: 'x'.repeat(4000) } }), 413],
        ['duplicate', ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'DUP', name: '重复局' } }), 409],
        ['unknown reference', ctx.app.inject({ method: 'POST', url: '/v1/projects', payload: { code: 'X', name: 'X', category: 'industrial_investment', estimatedInvestment: '1.0000', departmentId: '0190c0de-0000-7000-8000-00000000beef' } }), 422],
        ['stale If-Match', ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${String(department.id)}`, headers: { 'if-match': '"v99"' }, payload: { name: '新名' } }), 412],
        ['missing If-Match', ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${String(department.id)}`, payload: { name: '新名' } }), 428],
        ['no key', ctx.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: '10.8.0.1' }), 401],
        ['role', ctx.app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(viewer), payload: {} }), 403],
      ];
      for (const [name, pending, status] of cases) {
        const response = await pending;
        expect(response.statusCode, `${name}: ${response.body.slice(0, 200)}`).toBe(status);
        expect(String(response.headers['content-type']), name).toContain('application/problem+json');
        expectNoInternals(response);
        expectSecurityHeaders(response, name);
      }
    });

    it('gives a request refused before routing (malformed percent-escape) a problem free of internals and the security headers too', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/v1/projects/%E0%A4%A<script>' });
      expectProblem(response, 400, 'invalid_url');
      expectNoInternals(response);
      expectSecurityHeaders(response, 'pre-routing 400');
    });

    it('does not answer TRACE (no request echo)', async () => {
      const response = await ctx.app.inject({ method: 'TRACE' as 'GET', url: '/v1/projects', headers: { 'x-secret': 'echo-me' } });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('echo-me');
    });
  });

  describe('security headers', () => {
    it('sends nosniff, DENY framing, frame-ancestors none, no-referrer and no X-Powered-By on API answers, and no-store under /v1', async () => {
      // (/v1/enums sets its own public Cache-Control: code lists are the same for everyone.)
      for (const url of ['/v1/projects', '/v1/api-keys', '/health/live', '/openapi.json', '/v1/nothing-here']) {
        const response = await ctx.app.inject({ method: 'GET', url });
        expectSecurityHeaders(response, url);
        expect(String(response.headers['content-security-policy']), url).toContain("default-src 'none'");
        if (url.startsWith('/v1/')) expect(response.headers['cache-control'], url).toBe('no-store');
      }
    });

    it('still serves the Swagger UI at /docs, under a Content-Security-Policy of its own', async () => {
      let response = await ctx.anonymous({ method: 'GET', url: '/docs' });
      if (response.statusCode >= 300 && response.statusCode < 400) {
        const location = new URL(String(response.headers.location), 'http://localhost/docs');
        response = await ctx.anonymous({ method: 'GET', url: location.pathname });
      }
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['content-type'])).toContain('text/html');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      ctx.anonymous({
        method: 'OPTIONS',
        url: '/v1/projects',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,if-match' },
      });

    it('admits a preflight from a configured origin, with Authorization among the allowed headers', async () => {
      const response = await preflight(ALLOWED_ORIGIN);
      expect(response.statusCode).toBeLessThan(300);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
      expect(response.headers.vary).toMatch(/origin/i);
    });

    it('gives no Access-Control-Allow-Origin to a preflight or a request from any other origin, nor a wildcard', async () => {
      for (const origin of ['https://b.example', 'https://a.example.evil.example', 'http://a.example', 'null']) {
        const response = await preflight(origin);
        expect(response.headers['access-control-allow-origin'], origin).toBeUndefined();
        const get = await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: { origin } });
        expect(get.headers['access-control-allow-origin'], origin).toBeUndefined();
      }
    });

    it('lets the configured origin read answers (and the headers a client needs), still only with a key', async () => {
      const get = await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: { origin: ALLOWED_ORIGIN } });
      expect(get.statusCode).toBe(200);
      expect(get.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(get.headers['access-control-expose-headers'])).toMatch(/ETag/i);
      const anonymous = await ctx.anonymous({ method: 'GET', url: '/v1/projects', headers: { origin: ALLOWED_ORIGIN }, remoteAddress: '10.8.0.2' });
      expect(anonymous.statusCode).toBe(401);
      expect(json(anonymous).code).toBe('authentication_required');
    });
  });

  describe('CORS without configured origins', () => {
    const closed = useTestApp();

    it('gives no Access-Control-Allow-Origin to anyone when CORS_ORIGINS is empty', async () => {
      const response = await closed.anonymous({
        method: 'OPTIONS',
        url: '/v1/projects',
        headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const get = await closed.app.inject({ method: 'GET', url: '/v1/projects', headers: { origin: ALLOWED_ORIGIN } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
