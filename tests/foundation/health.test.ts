import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { createPostgresDatabase } from '../../src/db/client.js';
import { buildApp, json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

describe('health', () => {
  it('answers liveness without touching the database', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ status: 'ok' });
  });

  it('is ready when the database answers', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ status: 'ok' });
  });

  it('refuses an unknown query parameter on either probe with a 400 problem, like every /v1 route', async () => {
    for (const url of ['/health/live?verbose=1', '/health/ready?verbose=1']) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
      expect(json(response)).toMatchObject({ status: 400, code: 'validation_failed' });
    }
  });

  it('is not ready, with a 503 problem and Retry-After, when the database cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    const database = createPostgresDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    const app = await buildApp({ config: testConfig(), database });
    try {
      const started = Date.now();
      const response = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('5');
      expect(json(response)).toMatchObject({ status: 503, code: 'database_unavailable' });
      const live = await app.inject({ method: 'GET', url: '/health/live' });
      expect(live.statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
