import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver on 127.0.0.1 that records every request and answers from a script (200 when empty). */
export async function startReceiver(options: { delayMs?: number } = {}) {
  const received: Received[] = [];
  const script: { status: number; headers?: Record<string, string> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const answer = script.shift() ?? { status: 200 };
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end('ok');
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/kpo`,
    received,
    /** Answers of the next requests, in order. */
    answer: (...answers: { status: number; headers?: Record<string, string> }[]) => script.push(...answers),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
