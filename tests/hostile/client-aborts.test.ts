import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { logSink } from '../security/owasp-fixtures.js';

const sink = logSink('info');
const ctx = useTestApp({}, { logger: sink.logger });
let port: number;

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as AddressInfo).port;
});

/** Sends the head of a POST and part of its body over real TCP, then hangs up (FIN, or RST with `reset`). */
async function hangUpMidBody(key: string, reset: boolean): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `POST /v1/departments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"code":"AB","na`,
  );
  await new Promise((r) => setTimeout(r, 200));
  if (reset) socket.resetAndDestroy();
  else socket.destroy();
}

async function waitFor<T>(find: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms; log:\n${sink.raw.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function sampleValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const SERIES = 'http_client_aborts_total{method="POST",route="/v1/departments",phase="request"}';

describe(`A client that hangs up mid-body (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  for (const reset of [false, true]) {
    it(`is logged as a client abort at info level, never as a database outage, and counted in /metrics (${reset ? 'RST' : 'FIN'})`, async () => {
      const countBefore = sampleValue((await ctx.app.inject({ method: 'GET', url: '/metrics' })).body, SERIES);
      const from = sink.lines.length;
      await hangUpMidBody(ctx.adminKey, reset);
      const line = await waitFor(() => sink.lines.slice(from).find((l) => l.event === 'client_aborted'));
      expect(line).toMatchObject({ level: 30, phase: 'request', method: 'POST', route: '/v1/departments' });
      await new Promise((r) => setTimeout(r, 200));
      const written = sink.raw.slice(from).join('\n');
      expect(sink.lines.slice(from).filter((l) => Number(l.level) >= 40)).toEqual([]);
      expect(written).not.toMatch(/database|database_unavailable/i);

      const metrics = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sampleValue(metrics, SERIES)).toBe(countBefore + 1);
      // Nothing was written, and the service answers the next request as usual.
      const list = await ctx.app.inject({ method: 'GET', url: '/v1/departments' });
      expect(JSON.parse(list.body).items).toEqual([]);
      expect((await ctx.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    });
  }
});
