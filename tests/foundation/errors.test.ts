import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { testConfig } from '../../src/config.js';
import { buildApp, json, useTestApp } from '../support/app.js';

const ctx = useTestApp({ BODY_LIMIT_BYTES: '2048' });

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  const problem = json(response as never);
  expect(problem).toMatchObject({ type: `urn:kpo:problem:${code}`, status, code });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expect(typeof problem.instance).toBe('string');
  return problem;
}

describe('problem+json errors', () => {
  it('answers an unknown route with 404', async () => {
    const problem = expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' }), 404, 'route_not_found');
    expect(problem.instance).toBe('/v1/nothing-here');
  });

  it('answers an unsupported media type with 415', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      headers: { 'content-type': 'application/xml' },
      payload: '<department/>',
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      payload: { code: 'X', name: 'x'.repeat(4000) },
    });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/departments',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": ',
    });
    expect(response.statusCode).toBe(400);
    expect(json(response).status).toBe(400);
  });

  it('lists every failing field with its path and location', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'has space', name: '', extra: 1 } });
    const problem = expectProblem(response, 400, 'validation_failed');
    const paths = problem.errors.map((e: { path: string; location: string }) => `${e.location}:${e.path}`).sort();
    expect(paths).toEqual(expect.arrayContaining(['body:/code', 'body:/name']));
    expect(JSON.stringify(problem.errors)).toContain('extra');
    expect(problem.errors.length).toBeGreaterThanOrEqual(3);
  });

  it('lists the first 100 failing fields and counts them all in the detail', async () => {
    // 150 rows, each with a field of the wrong type: 150 failing fields in a body under the 2 KiB limit.
    const rows = Array.from({ length: 150 }, () => ({ code: 1 }));
    const problem = expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: { rows } }), 400, 'validation_failed');
    expect(problem.detail).toBe('The request has 150 invalid fields / 请求中有 150 个字段无效');
    expect(problem.errors).toHaveLength(100);
    expect(problem.errors[0]).toMatchObject({ location: 'body', path: '/rows/0/code' });
  });

  it('cuts a path echoed into a problem to the length the Problem schema documents', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: `/v1/${'a'.repeat(5000)}` });
    const problem = expectProblem(response, 404, 'route_not_found');
    expect(problem.instance).toHaveLength(2000);
    expect(problem.instance.endsWith('…')).toBe(true);
    expect(problem.detail.length).toBeLessThanOrEqual(2000);
  });

  it('hides internals of a 5xx from the body and logs them with the request id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({ config: testConfig(), database: ctx.testDb.database, logger: pino({ level: 'info' }, sink) });
    app.get('/boom', async () => {
      throw new Error('select secret_column from internal_table failed');
    });
    await app.ready();
    // A GET needs a key like any other route: this app's inject sends none by itself.
    const response = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'trace-500', authorization: `Bearer ${ctx.adminKey}` } });
    await app.close();
    const problem = expectProblem(response, 500, 'internal_error');
    expect(response.body).not.toContain('secret_column');
    expect(response.body).not.toContain('at ');
    expect(problem.requestId).toBe('trace-500');
    const errorLine = lines.map((l) => JSON.parse(l)).find((l) => l.level === 50);
    expect(errorLine).toMatchObject({ reqId: 'trace-500' });
    expect(JSON.stringify(errorLine)).toContain('secret_column');
  });
});

describe('request id', () => {
  it('echoes a caller-supplied X-Request-Id', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'city-platform-42' } });
    expect(response.headers['x-request-id']).toBe('city-platform-42');
  });

  it('generates one when none is sent, or when the one sent is unsafe to log', async () => {
    const none = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    expect(String(none.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await ctx.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\nforged log line' } });
    expect(String(unsafe.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});
