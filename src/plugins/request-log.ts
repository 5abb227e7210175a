import fp from 'fastify-plugin';
import { loggableUrl } from '../lib/credentials.js';

/** A header value as the log may show it: any long run of a key's alphabet (a secret, a key pasted in the wrong header) masked. */
const loggableText = (text: string) => text.replace(/[0-9A-Za-z_-]{24,}/g, '[REDACTED]');

/**
 * One JSON line per request when the response is sent, replacing Fastify's two lines ("incoming
 * request" / "request completed"; the app sets disableRequestLogging). The request id comes from
 * the request's child logger as `reqId`, so a line joins the error lines of the same request.
 */
export const requestLogPlugin = fp(
  async function requestLog(app) {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? null;
      const userAgent = request.headers['user-agent'];
      // Probes and scrapes answered well are routine (a Docker healthcheck alone is ≈8,600 lines a day):
      // debug. Their failures stay at info, beside every other request.
      const routine = (route?.startsWith('/health/') || route === '/metrics') && reply.statusCode < 400;
      request.log[routine ? 'debug' : 'info'](
        {
          method: request.method,
          route,
          url: loggableUrl(request.url),
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
          actor: request.actor,
          ...(request.onBehalfOf ? { onBehalfOf: request.onBehalfOf } : {}),
          // The client's address (the proxy's X-Forwarded-For only with TRUST_PROXY) and its user agent,
          // cut to 200 characters with anything shaped like a key's secret masked, as in the URL.
          remoteAddress: request.ip,
          ...(typeof userAgent === 'string' ? { userAgent: loggableText(userAgent).slice(0, 200) } : {}),
        },
        'request completed',
      );
    });
  },
  { name: 'request-log' },
);
