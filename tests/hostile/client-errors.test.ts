import { connect, type AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { logSink } from '../security/owasp-fixtures.js';

const TIMEOUT_MS = 1000;
const sink = logSink('info');
const ctx = useTestApp({ REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) }, { logger: sink.logger });
let port: number;

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as AddressInfo).port;
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** Writes `chunks` over one TCP connection (never finishing the request unless they do) and reads until the server closes it. */
async function raw(...chunks: string[]): Promise<RawAnswer> {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d) => (text += String(d)));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  for (const chunk of chunks) socket.write(chunk);
  const guard = setTimeout(() => socket.destroy(), 10_000);
  await closed;
  clearTimeout(guard);
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), ms: Date.now() - started };
}

function expectProblem(answer: RawAnswer, status: number, code: string) {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer.body);
  expect(body).toMatchObject({ status, code, type: `urn:kpo:problem:${code}` });
  expect(body.requestId).toBeTruthy();
  expect(answer.headers['x-request-id']).toBe(body.requestId);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  return body as { requestId: string };
}

const head = (key: string) =>
  `POST /v1/departments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\nX-Request-Id: stalled-body-1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;

describe('What Node answers before a route runs is problem+json with a request id', () => {
  it(`a stalled body gets its 408 within a second of REQUEST_TIMEOUT_MS (${TIMEOUT_MS} ms), with the request's own id, and the log says so at info`, async () => {
    const from = sink.lines.length;
    const answer = await raw(head(ctx.adminKey), '{"code":');
    const body = expectProblem(answer, 408, 'request_timeout');
    expect(body.requestId).toBe('stalled-body-1');
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(answer.ms).toBeLessThan(TIMEOUT_MS + 1000);
    await new Promise((r) => setTimeout(r, 100));
    const lines = sink.lines.slice(from);
    expect(lines.find((l) => l.event === 'client_error')).toMatchObject({ reqId: 'stalled-body-1', status: 408, level: 30 });
    expect(lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
    expect(lines.some((l) => l.event === 'client_aborted')).toBe(false);
  });

  it('stalled headers get the same 408 as soon', async () => {
    const answer = await raw('GET /v1/departments HTTP/1.1\r\nHost: localhost\r\n');
    expectProblem(answer, 408, 'request_timeout');
    expect(answer.ms).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('headers over 16 KB, or a URL that long, are a 431', async () => {
    expectProblem(await raw(`GET /v1/departments HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'headers_too_large');
    expectProblem(await raw(`GET /v1/departments?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`), 431, 'headers_too_large');
  });

  it('a request Node cannot parse is a 400 malformed_request', async () => {
    for (const request of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /v1/departments HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n', 'GET /v1/departments HTTP/1.1\r\nBad Header\r\n\r\n']) {
      expectProblem(await raw(request), 400, 'malformed_request');
    }
  });

  it('a declared body over the limit is a 413 and an overlong path segment a 400, both problem+json with the id', async () => {
    const tooLarge = await raw(`POST /v1/departments HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer ${ctx.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n`);
    expectProblem(tooLarge, 413, 'payload_too_large');
    const longSegment = await raw(`GET /v1/departments/${'a'.repeat(600)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expectProblem(longSegment, 400, 'invalid_url');
  });
});
