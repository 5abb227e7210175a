import fp from 'fastify-plugin';
import { loggableUrl, redactSecrets } from '../lib/credentials.js';

/**
 * One JSON line per request when the response is sent, replacing Fastify's two lines ("incoming
 * request" / "request completed"; the app sets disableRequestLogging). The request id comes from
 * the request's child logger as `reqId`, so a line joins the error lines of the same request.
 */
export const requestLogPlugin = fp(
  async function requestLog(app) {
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          url: loggableUrl(request.url),
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
          actor: request.actor,
          ...(request.onBehalfOf ? { onBehalfOf: redactSecrets(request.onBehalfOf) } : {}),
        },
        'request completed',
      );
    });
  },
  { name: 'request-log' },
);
