import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../../db/types.js';
import { BEARER_SCHEME, urlCarriesKey } from '../../lib/credentials.js';
import { AppError } from '../../lib/errors.js';
import type { RateLimiter } from '../../lib/rate-limit.js';
import { ApiKeyCache, checkKeyShape, createApiKeysRepository, hashKey, LAST_USED_RESOLUTION_MS } from '../api-keys/api-keys.public.js';
import { defaultAccess, rolesOf, rolesText, type Access } from './access.roles.js';
import { scopeOf } from './access.scope.js';
import { actorOf } from './access.actor.js';
import { routeOf } from '../../lib/route-of.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Authenticated keys of this instance; the revoking route drops a key from it at once. */
    apiKeyCache: ApiKeyCache;
  }
}

const REALM = 'Bearer realm="kpo"';

function isPublicUrl(url: string): boolean {
  return url.startsWith('/health/') || url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/');
}

function authError(status: 401 | 403 | 429, code: string, title: string, detail: string) {
  return new AppError({ code, status, title, detail });
}

const unauthorized = (code: string, detail: string) => authError(401, code, 'Authentication required / 需要认证', detail);

export interface AccessOptions {
  database: Database;
  limiter: RateLimiter;
  windowMs: number;
  failuresPerIp: number;
}

/**
 * Authentication (API keys, Bearer) and function-level authorisation (the route's roles), both in
 * onRequest so that nothing is parsed for a caller who may not call. Object-level checks (which
 * department's record) need the record: each request carries its key's scope (./access.scope.ts),
 * which the repositories ask inside the write's transaction, on the rows they lock.
 */
export const accessPlugin = fp<AccessOptions>(
  async function auth(app, { database, limiter, windowMs, failuresPerIp }) {
    const keys = createApiKeysRepository({ db: database.db });
    const cache = new ApiKeyCache();
    await cache.follow(database);
    app.decorate('apiKeyCache', cache);
    app.addHook('onClose', async () => cache.close());
    app.decorateRequest('principal', null);
    app.decorateRequest('actor', 'anonymous');
    app.decorateRequest('onBehalfOf', null);
    // Derived from the principal when a write asks for it, so it can never disagree with the key.
    app.decorateRequest('scope', {
      getter(this: FastifyRequest) {
        return scopeOf({ principal: this.principal, log: this.log });
      },
    });

    // Every route says who may call it; the OpenAPI document shows it (security + x-required-roles).
    app.addHook('onRoute', (route: RouteOptions) => {
      const declared = route.config?.access;
      const access: Access = declared ?? (isPublicUrl(route.url) ? 'public' : defaultAccess(route.method));
      route.config = { ...route.config, access };
      if (!route.schema || (route.schema as { hide?: boolean }).hide) return;
      const schema = route.schema as Record<string, unknown>;
      if (access === 'public') {
        schema.security = [];
        return;
      }
      schema.security = [{ [BEARER_SCHEME]: [] }];
      schema['x-required-roles'] = [...rolesOf(access)];
      // Fastify's HEAD twin of a GET route shares its schema: the line is added once.
      const line = rolesText(access);
      const text = schema.description === undefined ? '' : String(schema.description);
      if (!text.endsWith(line)) schema.description = text ? `${text}\n\n${line}` : line;
    });

    async function refuse(request: FastifyRequest, reply: FastifyReply, error: AppError, keyId: string | null): Promise<never> {
      await limiter.hit(`authfail:${request.ip}`, failuresPerIp, windowMs);
      request.log.warn({ event: 'authentication_failed', reason: error.code, keyId, ip: request.ip }, 'authentication failed');
      reply.header('www-authenticate', error.code === 'authentication_required' ? REALM : `${REALM}, error="invalid_token"`);
      throw error;
    }

    app.addHook('onRequest', async (request, reply) => {
      request.onBehalfOf = actorOf(request.headers);

      // Unmatched URLs fall through to the 404 handler. A route registered before this plugin (the
      // metrics plugin's /metrics) has no declared access: it gets its method's default.
      if (routeOf(request).url === undefined) return;
      const access = routeOf(request).config?.access ?? defaultAccess(request.method);
      if (access === 'public') return;

      const bucket = `authfail:${request.ip}`;
      const failures = limiter.now?.peek(bucket, failuresPerIp, windowMs) ?? (await limiter.peek(bucket, failuresPerIp, windowMs));
      if (!failures.allowed) {
        request.log.warn({ event: 'authentication_throttled', ip: request.ip }, 'too many failed authentications');
        reply.header('retry-after', String(failures.resetSeconds));
        throw authError(429, 'too_many_failed_authentications', 'Too many requests / 请求过多', `Too many failed authentications from this address; try again in ${failures.resetSeconds} s`);
      }

      if (urlCarriesKey(request.url)) {
        return refuse(request, reply, unauthorized('api_key_in_url', 'API keys are accepted only in the Authorization header (Bearer); a key that was put in a URL may be in logs and proxies: revoke it and make a new one'), null);
      }

      const authorization = request.headers.authorization;
      if (!authorization) {
        return refuse(request, reply, unauthorized('authentication_required', 'Send an API key as "Authorization: Bearer kpo_live_…"'), null);
      }
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!match) return refuse(request, reply, unauthorized('invalid_authorization', 'The Authorization header must be "Bearer <API key>"'), null);
      const shape = checkKeyShape(match[1]!);
      if (shape !== 'ok') {
        const detail = shape === 'bad_checksum' ? 'The API key fails its checksum: it was mistyped or truncated' : 'This is not an API key of this service (kpo_live_…)';
        return refuse(request, reply, unauthorized('invalid_api_key', detail), null);
      }
      const hash = hashKey(match[1]!);
      const now = Date.now();
      const cached = cache.get(hash, now);
      let principal;
      if (cached) {
        principal = cached.principal;
        if (now - cached.lastUsedAtMs >= LAST_USED_RESOLUTION_MS) {
          cached.lastUsedAtMs = now;
          await keys.touch(principal.keyId);
        }
      } else {
        const version = cache.version;
        const result = await keys.authenticate(hash);
        if (!result.ok) {
          const detail = { unknown: 'No such API key', revoked: 'This API key has been revoked', expired: 'This API key has expired' }[result.reason];
          const code = { unknown: 'invalid_api_key', revoked: 'api_key_revoked', expired: 'api_key_expired' }[result.reason];
          return refuse(request, reply, unauthorized(code, detail), result.keyId ?? null);
        }
        principal = result.principal;
        cache.set(hash, { principal, expiresAtMs: result.expiresAtMs, lastUsedAtMs: now }, version);
      }
      request.principal = principal;
      request.actor = principal.keyId;

      const allowed = rolesOf(access);
      if (!allowed.includes(principal.role)) {
        request.log.warn({ event: 'access_denied', keyId: principal.keyId, role: principal.role, required: allowed }, 'role may not call this route');
        throw authError(403, 'forbidden_role', 'Forbidden / 无权限', `This operation needs one of the roles ${allowed.join(', ')}; this key's role is ${principal.role}`);
      }
      if (principal.readOnly && request.method !== 'GET' && request.method !== 'HEAD') {
        request.log.warn({ event: 'access_denied', keyId: principal.keyId, role: principal.role, reason: 'read_only' }, 'read-only key tried to write');
        throw authError(403, 'read_only_key', 'Forbidden / 无权限', 'This key is read-only');
      }
    });
  },
  { name: 'auth', dependencies: ['errors'] },
);
