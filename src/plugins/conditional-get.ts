import fp from 'fastify-plugin';
import { noneMatchHits } from '../lib/etag.js';

/**
 * If-None-Match on a GET (or HEAD) of a record (RFC 9110 §13.1.2): when it names the ETag the answer
 * carries, the answer is 304 Not Modified with that ETag and no body, so a client that holds the
 * record spends no bandwidth on it again. Only successful answers with an ETag qualify.
 */
export const conditionalGetPlugin = fp(
  async function conditionalGet(app) {
    app.addHook('onSend', (request, reply, payload, done) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
      const etag = reply.getHeader('etag');
      if (typeof etag !== 'string' || !noneMatchHits(request.headers['if-none-match'], etag)) return done(null, payload);
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      done(null, '');
    });
  },
  { name: 'conditional-get' },
);
