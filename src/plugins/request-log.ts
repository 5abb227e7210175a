import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { loggableUrl, redactSecrets } from '../lib/credentials.js';
import { refusedWith } from './client-errors.js';
import { routeOf } from '../lib/route-of.js';

/**
 * One JSON line per request when the response is sent, replacing Fastify's two lines ("incoming
 * request" / "request completed"; the app sets disableRequestLogging). The request id comes from
 * the request's child logger as `reqId`, so a line joins the error lines of the same request.
 *
 * A client that hangs up before its answer is sent (mid-body, or while the handler runs) gets no
 * "request completed" line: it gets one "client aborted" line at info level instead, says in `phase`
 * whether its request had arrived whole, and is counted in http_client_aborts_total. An abort is
 * the client's doing, never a fault of the service or its database.
 */
export const requestLogPlugin = fp(
  async function requestLog(app) {
    const aborts = new Counter({
      name: 'http_client_aborts_total',
      help: 'Requests whose client closed the connection before the response was sent, by route pattern, method and phase (request: before its body had arrived; response: while it was being answered)',
      labelNames: ['method', 'route', 'phase'] as const,
      registers: [app.metricsRegistry],
    });

    app.addHook('onRequest', (request, reply, done) => {
      let finished = false;
      reply.raw.once('finish', () => (finished = true));
      reply.raw.once('close', () => {
        if (finished) return;
        const refusedStatus = refusedWith(request.raw);
        if (refusedStatus !== undefined) {
          // Node answered it (a 408 when the body stalled): src/plugins/client-errors.ts logged that.
          request.log.info({ event: 'request_refused', status: refusedStatus, method: request.method, route: routeOf(request).url ?? null, url: loggableUrl(request.url), durationMs: Math.round(reply.elapsedTime * 100) / 100 }, 'request refused before it arrived whole');
          return;
        }
        const phase = request.raw.complete ? 'response' : 'request';
        const route = routeOf(request).url ?? 'unmatched';
        aborts.inc({ method: request.method, route, phase });
        request.log.info(
          {
            event: 'client_aborted',
            phase,
            method: request.method,
            route: routeOf(request).url ?? null,
            url: loggableUrl(request.url),
            durationMs: Math.round(reply.elapsedTime * 100) / 100,
            actor: request.actor,
          },
          'client aborted: the connection closed before the response was sent',
        );
      });
      done();
    });

    app.addHook('onResponse', (request, reply, done) => {
      const route = routeOf(request).url ?? null;
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
          ...(request.onBehalfOf ? { onBehalfOf: redactSecrets(request.onBehalfOf) } : {}),
          // The client's address (the proxy's X-Forwarded-For only with TRUST_PROXY) and its user agent,
          // cut to 200 characters with anything shaped like a key's secret masked, as in the URL.
          remoteAddress: request.ip,
          ...(typeof userAgent === 'string' ? { userAgent: redactSecrets(userAgent).slice(0, 200) } : {}),
        },
        'request completed',
      );
      done();
    });
  },
  { name: 'request-log', dependencies: ['metrics'] },
);
