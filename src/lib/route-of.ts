import type { FastifyRequest } from 'fastify';

const ROUTE = Symbol('kpo.routeOptions');

type RouteView = FastifyRequest['routeOptions'];

/**
 * `request.routeOptions`, built once per request. Fastify's getter builds a new twelve-field object
 * on every read, and the hooks of every request read it five times (auth, cursors, metrics, the log
 * line); the route does not change during a request.
 */
export function routeOf(request: FastifyRequest): RouteView {
  const holder = request as unknown as { [ROUTE]?: RouteView };
  return (holder[ROUTE] ??= request.routeOptions);
}
