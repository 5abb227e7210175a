import { Agent, request } from 'node:http';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * An object with the `inject` of a test app that sends each request over real HTTP to `baseUrl`
 * instead (with `authorization` as useTestApp's inject adds it), so the fuzzer (tests/fuzz/contract.ts,
 * fixtures.ts) runs unchanged against a server process, or through a proxy in front of one. The body
 * is read as sent (no decompression), as inject's is. A header value outside Latin-1 (X-Actor: 张三)
 * goes as its UTF-8 bytes, as a client on the wire sends it. `onResponse` sees every response.
 */
export function httpInjector(baseUrl: string, authorization: string, onResponse?: (response: LightMyRequestResponse) => void, timeoutMs = 60_000): FastifyInstance {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const base = new URL(baseUrl);
  async function inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = typeof options.url === 'string' ? options.url : String(options.path ?? '/');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      headers[name.toLowerCase()] = /[^\u0000-\u00ff]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
    }
    if (!('authorization' in headers)) headers.authorization = authorization;
    let body: Buffer | undefined;
    if (options.payload !== undefined) {
      const payload = options.payload as unknown;
      if (typeof payload === 'string') body = Buffer.from(payload, 'utf8');
      else if (Buffer.isBuffer(payload)) body = payload;
      else {
        body = Buffer.from(JSON.stringify(payload), 'utf8');
        headers['content-type'] ??= 'application/json';
      }
      headers['content-length'] = String(body.length);
    }
    const response = await new Promise<LightMyRequestResponse>((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, method, path: url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const rawPayload = Buffer.concat(chunks);
          resolve({
            statusCode: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            rawPayload,
            payload: rawPayload.toString('utf8'),
            body: rawPayload.toString('utf8'),
            trailers: {},
            cookies: [],
            raw: { req: { method, url } as never, res: res as never },
            json: () => JSON.parse(rawPayload.toString('utf8')),
            stream: () => {
              throw new Error('not offered over HTTP');
            },
          } as unknown as LightMyRequestResponse);
        });
      });
      req.on('error', reject);
      if (process.env.HTTP_INJECT_TRACE === '1') process.stderr.write(`${method} ${url.slice(0, 300)} ${body?.length ?? 0}\n`);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url.slice(0, 200)}: no answer in ${timeoutMs / 1000} s`)));
      req.end(body);
    });
    onResponse?.(response);
    return response;
  }
  return { inject, close: async () => agent.destroy() } as unknown as FastifyInstance;
}
