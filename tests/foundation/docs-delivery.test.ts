import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';

// Issue #18: the docs page loaded 918 KB of OpenAPI per visit, uncompressed and uncached, with every
// tag open and the admin key kept in the browser's storage by default.
const ctx = useTestApp();
const dflt = useTestApp({ DOCS_PERSIST_AUTHORIZATION: 'true' });

describe('docs delivery', () => {
  it('serves the OpenAPI document gzipped to a client that accepts it, with a strong ETag that answers 304', async () => {
    const plain = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const etag = plain.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(plain.headers['cache-control']).toBe('no-cache');

    const zipped = await ctx.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    const unzipped = gunzipSync(zipped.rawPayload);
    expect(unzipped.toString('utf8')).toBe(plain.body);
    // Measured, not assumed: the compressed document is a small part of the plain one.
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 8);

    const again = await ctx.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const stale = await ctx.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'if-none-match': '"other"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('compresses reads but not writes, whose answers the idempotency store keeps as sent', async () => {
    for (let i = 0; i < 30; i += 1) {
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/v1/departments',
        headers: { 'accept-encoding': 'gzip', 'idempotency-key': `dept-${i}` },
        payload: { code: `D${i}`, name: `部门${i}`.padEnd(60, '局') },
      });
      expect(created.statusCode).toBe(201);
      expect(created.headers['content-encoding']).toBeUndefined();
    }
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/departments?limit=50', headers: { 'accept-encoding': 'gzip' } });
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(list.rawPayload).toString('utf8')).items).toHaveLength(30);
    const replay = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      headers: { 'accept-encoding': 'gzip', 'idempotency-key': 'dept-3' },
      payload: { code: 'D3', name: '部门3'.padEnd(60, '局') },
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(JSON.parse(replay.body).code).toBe('D3');
  });

  it('renders Swagger UI with tags collapsed, a filter box, and the key kept only for the tab unless opted in', async () => {
    const init = await ctx.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toMatch(/"docExpansion":"none"/);
    expect(init.body).toMatch(/"filter":true/);
    expect(init.body).toMatch(/"persistAuthorization":false/);
    const optedIn = await dflt.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(optedIn.body).toMatch(/"persistAuthorization":true/);
  });
});
