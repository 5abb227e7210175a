import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { concreteUrl, expectProblem, openapiDocument, type Json } from './owasp-fixtures.js';

/**
 * API4:2023 Unrestricted Resource Consumption: bodies are capped (BODY_LIMIT_BYTES, and
 * IMPORT_BODY_LIMIT_BYTES for imports), pages hold at most 200 records, and requests are counted
 * per API key and per address (RATE_LIMIT_PER_KEY / RATE_LIMIT_PER_IP per RATE_LIMIT_WINDOW_MS) with
 * 429, Retry-After and RateLimit-* headers. Each limit gets an app of its own with low settings.
 */

describe('API4:2023 Unrestricted Resource Consumption', () => {
  describe('request bodies', () => {
    const ctx = useTestApp({ BODY_LIMIT_BYTES: '2048', IMPORT_BODY_LIMIT_BYTES: '4096' });

    it('answers a JSON body over BODY_LIMIT_BYTES with 413 problem+json and writes nothing', async () => {
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'BIG', name: '大'.repeat(2000) } });
      expectProblem(response, 413, 'payload_too_large');
      const list = await ctx.app.inject({ method: 'GET', url: '/v1/departments' });
      expect(JSON.parse(list.body).items).toEqual([]);
    });

    it('answers a body that claims to be small but is not with 413 or 400, never 2xx', async () => {
      const body = JSON.stringify({ code: 'LIE', name: 'x'.repeat(5000) });
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', headers: { 'content-type': 'application/json', 'content-length': '40' }, payload: body });
      expect([400, 413]).toContain(response.statusCode);
    });

    it('answers a CSV import over IMPORT_BODY_LIMIT_BYTES with 413 problem+json', async () => {
      const csv = `code,name\n${Array.from({ length: 400 }, (_, i) => `TZ-${i},项目${i}`).join('\n')}\n`;
      expect(Buffer.byteLength(csv)).toBeGreaterThan(4096);
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: csv });
      expectProblem(response, 413, 'payload_too_large');
    });

    it('bounds string fields: a department name over 200 characters is a 400', async () => {
      const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'LONG', name: '长'.repeat(201) } });
      expectProblem(response, 400, 'validation_failed');
    });
  });

  describe('page sizes', () => {
    const ctx = useTestApp();

    /** Operations paged by `limit`, with their documented maximum and a query holding their required parameters. */
    async function pagedOperations() {
      const document = await openapiDocument(ctx);
      const out: { operationId: string; url: string; maximum: number | undefined }[] = [];
      for (const [path, item] of Object.entries(document.paths)) {
        const get = item.get as { parameters?: Json[]; operationId: string } | undefined;
        const limit = get?.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
        if (!get || !limit) continue;
        const required = get.parameters!
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => {
            const schema = p.schema as Json;
            const value = schema.example ?? (schema.enum as unknown[] | undefined)?.[0] ?? schema.minimum;
            return `${String(p.name)}=${encodeURIComponent(String(value))}`;
          });
        // A paged operation under a rule takes a real rule key or level (a made-up one is a 400 of its
        // own): the first value its path parameter's schema allows.
        const pathValues: Record<string, string> = { key: 'not_started' };
        for (const p of get.parameters!.filter((q) => q.in === 'path')) {
          let schema = p.schema as Json;
          if (typeof schema.$ref === 'string') schema = ((document.components as Json).schemas as Record<string, Json>)[(schema.$ref as string).split('/').pop()!]!;
          const first = (schema.enum as unknown[] | undefined)?.[0] ?? (schema.type === 'integer' ? schema.minimum : undefined);
          if (first !== undefined) pathValues[String(p.name)] = String(first);
        }
        out.push({ operationId: get.operationId, url: `${concreteUrl(path, pathValues)}?${required.map((q) => `${q}&`).join('')}`, maximum: (limit.schema as Json).maximum as number | undefined });
      }
      return out;
    }

    it('documents a page-size maximum on every limit parameter: 200, or 1000 for the change feed', async () => {
      const paged = await pagedOperations();
      expect(paged.length).toBeGreaterThan(10);
      for (const op of paged) expect(op.maximum, op.operationId).toBe(op.operationId === 'listChanges' ? 1000 : 200);
    });

    it('refuses limit=201 (one over the maximum), 10000, 0, -1 and 1e9 with 400 on every operation that takes a limit, and serves the maximum itself', async () => {
      const wrong: string[] = [];
      for (const op of await pagedOperations()) {
        const maximum = op.maximum ?? 200;
        for (const limit of [String(maximum + 1), '10000', '0', '-1', '1e9', '201']) {
          if (limit === '201' && maximum >= 201) continue;
          const response = await ctx.app.inject({ method: 'GET', url: `${op.url}limit=${limit}` });
          if (response.statusCode !== 400) wrong.push(`${op.operationId} limit=${limit}: ${response.statusCode}`);
          else if (JSON.parse(response.body).code !== 'validation_failed') wrong.push(`${op.operationId} limit=${limit}: ${response.body.slice(0, 200)}`);
        }
        const max = await ctx.app.inject({ method: 'GET', url: `${op.url}limit=${maximum}` });
        if (max.statusCode === 400) wrong.push(`${op.operationId} limit=${maximum} refused: ${max.body.slice(0, 300)}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('flood from one API key', () => {
    const ctx = useTestApp({ RATE_LIMIT_PER_KEY: '5', RATE_LIMIT_WINDOW_MS: '60000' });

    it('answers the 6th request of a key within the window with 429, Retry-After and RateLimit-Limit/-Remaining/-Reset, while another key is still served', async () => {
      const remaining: string[] = [];
      for (let i = 1; i <= 5; i += 1) {
        const response = await ctx.app.inject({ method: 'GET', url: '/v1/projects' });
        expect(response.statusCode, `request ${i}`).toBe(200);
        expect(response.headers['ratelimit-limit']).toBe('5');
        remaining.push(String(response.headers['ratelimit-remaining']));
        expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);

      const sixth = await ctx.app.inject({ method: 'GET', url: '/v1/projects' });
      expectProblem(sixth, 429, 'rate_limited');
      const retryAfter = Number(sixth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(sixth.headers['ratelimit-limit']).toBe('5');
      expect(sixth.headers['ratelimit-remaining']).toBe('0');
      expect(Number(sixth.headers['ratelimit-reset'])).toBe(retryAfter);

      // Writes are counted too, and refused without being performed.
      const write = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FLOOD', name: '洪水局' } });
      expectProblem(write, 429, 'rate_limited');
      const other = await ctx.key({ role: 'admin' });
      const list = await ctx.app.inject({ method: 'GET', url: '/v1/departments', headers: bearer(other) });
      expect(list.statusCode).toBe(200);
      expect(JSON.parse(list.body).items).toEqual([]);
    });
  });

  describe('flood from one address', () => {
    const ctx = useTestApp({ RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_MS: '60000' });

    it('answers the 6th request from one address with 429 whatever key it uses, serves other addresses, and never counts health probes', async () => {
      const address = '10.4.4.4';
      for (let i = 0; i < 10; i += 1) {
        expect((await ctx.anonymous({ method: 'GET', url: '/health/live', remoteAddress: address })).statusCode).toBe(200);
      }
      for (let i = 1; i <= 5; i += 1) {
        const key = await ctx.key({ role: 'viewer' }); // a fresh key each time: only the address is counted
        const response = await ctx.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer(key) });
        expect(response.statusCode, `request ${i}`).toBe(200);
      }
      const sixth = await ctx.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer(await ctx.key({ role: 'viewer' })) });
      expectProblem(sixth, 429, 'rate_limited');
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(sixth.headers['ratelimit-limit']).toBe('5');
      expect(sixth.headers['ratelimit-remaining']).toBe('0');

      const elsewhere = await ctx.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: '10.4.4.5', headers: bearer(ctx.adminKey) });
      expect(elsewhere.statusCode).toBe(200);
      expect((await ctx.anonymous({ method: 'GET', url: '/health/ready', remoteAddress: address })).statusCode).toBe(200);
    });
  });
});
