import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../lib/ids.js';
import { titleFor, type Problem } from '../lib/problem.js';
import { BASELINE_HEADERS } from './security-headers.js';

/**
 * What Node's HTTP parser refuses before Fastify sees a request (Fastify's clientErrorHandler): a
 * request that did not arrive whole within REQUEST_TIMEOUT_MS (408), a request line and headers over
 * Node's 16 KB (431; a URL that long is part of it, so there is no separate 414), and anything the
 * parser cannot read (400). Each is answered as problem+json with a request id, in the X-Request-Id
 * header and the body, and logged with it; Node's and Fastify's own answers have neither.
 */
const refusals: Record<string, { status: number; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    detail: 'The request did not arrive whole within the time the service allows (REQUEST_TIMEOUT_MS) / 请求未在限定时间内完整到达',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    detail: 'The request line and headers together exceed 16 KB; a URL that long is refused too / 请求行与请求头超过 16 KB',
  },
};
const malformed = { status: 400, code: 'malformed_request', detail: 'The request is not valid HTTP/1.1 / 请求不是有效的 HTTP/1.1' };

/** Request ids by raw request, so that a 408 for a request in flight carries the id its log lines have. */
const requestIds = new WeakMap<IncomingMessage, string>();
/** Requests in flight that Node's parser answered itself (a 408 mid-body): the request log says so, not "client aborted". */
const refused = new WeakMap<IncomingMessage, number>();

export function rememberRequestId(request: IncomingMessage, id: string): string {
  requestIds.set(request, id);
  return id;
}

/** The status this client-error handler answered a request in flight with, if it did. */
export function refusedWith(request: IncomingMessage): number | undefined {
  return refused.get(request);
}

const extraTitles: Record<number, string> = {
  408: 'Request timeout / 请求超时',
  431: 'Request headers too large / 请求头过大',
};

export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'HPE_INVALID_EOF_STATE') {
    // The client closed its side mid-request: an abort, which the request log records for a request
    // in flight (src/plugins/request-log.ts); one still in its headers is logged here.
    if (!inFlight?.req) this.log.info({ event: 'client_aborted', phase: 'request' }, 'client aborted: the connection closed before the request was complete');
    socket.destroy();
    return;
  }
  const refusal = refusals[error.code ?? ''] ?? malformed;
  const requestId = (inFlight?.req && requestIds.get(inFlight.req)) || uuidv7();
  if (inFlight?.req) refused.set(inFlight.req, refusal.status);
  this.log.info({ reqId: requestId, event: 'client_error', status: refusal.status, code: refusal.code, cause: error.code ?? null }, 'request refused before routing');
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy(error);
    return;
  }
  const body = JSON.stringify({
    type: `urn:kpo:problem:${refusal.code}`,
    title: extraTitles[refusal.status] ?? titleFor(refusal.status),
    status: refusal.status,
    detail: refusal.detail,
    code: refusal.code,
    requestId,
  } satisfies Problem);
  const headers = {
    ...BASELINE_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${head}\r\n${body}`);
  // end() lets the answer leave first; a client that never reads it must not hold the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}
