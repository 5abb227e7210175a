import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import cors from '@fastify/cors';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/types.js';
import { uuidv7 } from './lib/ids.js';
import { carriesSecret } from './lib/credentials.js';
import { errorsPlugin, frameworkErrors } from './plugins/errors.js';
import { responseSerializerCompiler } from './plugins/response-serializer.js';
import { clientErrorHandler, rememberRequestId } from './plugins/client-errors.js';
import { openapiPlugin } from './plugins/openapi.js';
import { accessPlugin } from './modules/access/access.public.js';
import { createRateLimiter } from './lib/rate-limit.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { metricsPlugin } from './plugins/metrics.js';
import { requestLogPlugin } from './plugins/request-log.js';
import { jsonBodyPlugin } from './plugins/json-body.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { cursorsPlugin } from './plugins/cursors.js';
import { conditionalGetPlugin } from './plugins/conditional-get.js';
import { healthRoutes, healthTag } from './modules/health/health.routes.js';
import { apiTags, v1Routes } from './modules/registry.js';
import { webhookWorkerPlugin } from './modules/webhooks/webhooks.plugin.js';
import { escalationWorkerPlugin } from './modules/supervision/supervision.plugin.js';

export interface AppDependencies {
  config: Config;
  database: Database;
  logger?: FastifyBaseLogger;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the whole service. It never listens: src/server.ts does that, tests inject. */
export async function buildApp({ config, database, logger }: AppDependencies) {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Node looks for expired requests every 30 s by default, and in practice times a stalled body out
    // only once headersTimeout (60 s) has passed too: a stalled body got its 408 after 65 s. Both
    // set to the request timeout and checked every quarter second, REQUEST_TIMEOUT_MS is what it says.
    http: { headersTimeout: config.REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 250 },
    clientErrorHandler,
    trustProxy: config.TRUST_PROXY,
    // A caller's X-Request-Id is kept when it is sane, so logs join across systems.
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      const value = Array.isArray(header) ? header[0] : header;
      // Never one shaped like a key's secret: the id is on every log line of the request.
      return rememberRequestId(req, value && REQUEST_ID_PATTERN.test(value) && !carriesSecret(value) ? value : uuidv7());
    },
    ajv: { customOptions: { coerceTypes: false } },
    // src/plugins/request-log.ts writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ crossCheck: config.RESPONSE_CROSS_CHECK }));
  // Hooks that never wait are written with `done` here and in the plugins: an async one costs a
  // promise and a microtask per request, and they run on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Counters for the rate limits and the failed-authentication limit: Redis when REDIS_URL is set.
  const limiter = await createRateLimiter({ ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}), logger: app.log });

  // First, so their onResponse hooks see every route, /docs and the 404 handler included. (/metrics is
  // registered before auth's onRoute hook: auth falls back to the method's default access for it.)
  await app.register(metricsPlugin, { database });
  await app.register(requestLogPlugin);
  // Errors before auth (auth throws problems); auth's onRoute hook then documents every route that follows.
  await app.register(errorsPlugin);
  await app.register(jsonBodyPlugin);
  // Answers compressed for clients that accept it (gzip, deflate, brotli at a fast level; static files
  // and streams too): the OpenAPI document is ≈2 MB as JSON, ≈0.1 MB gzipped. Reads only: a write's
  // answer is one record, and the idempotency plugin must store it as sent (its onSend runs after
  // compress's). Request bodies are not decompressed (the body limits count what arrives).
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.includes('GET') && !methods.includes('HEAD')) route.compress = false;
  });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    globalDecompression: false,
  });
  // Before auth, so that a browser can read the 401/403/429 problems auth answers with.
  await app.register(cors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    exposedHeaders: ['ETag', 'X-Request-Id', 'Location', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'Idempotency-Replayed'],
    allowedHeaders: ['Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id', 'X-Actor', 'X-Actor*', 'Authorization', 'Idempotency-Key'],
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
  });
  // Before auth: helmet sets its headers in onRequest, so the 401/403/429 that auth throws carry them too.
  await app.register(securityHeadersPlugin);
  await app.register(accessPlugin, {
    database,
    limiter,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    failuresPerIp: config.AUTH_FAILURES_PER_IP,
  });
  // After auth, whose onRequest hook sets request.principal; it closes the limiter on close.
  await app.register(rateLimitPlugin, {
    limiter,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    perKey: config.RATE_LIMIT_PER_KEY,
    perIp: config.RATE_LIMIT_PER_IP,
  });
  await app.register(openapiPlugin, { ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}), persistAuthorization: config.DOCS_PERSIST_AUTHORIZATION, tags: [healthTag, ...apiTags] });
  await app.register(idempotencyPlugin, { db: database.db });
  await app.register(cursorsPlugin, { db: database.db });
  await app.register(conditionalGetPlugin);
  await app.register(healthRoutes, { database });
  await app.register(v1Routes, { prefix: '/v1', db: database.db, readDb: database.readDb, config });
  await app.register(webhookWorkerPlugin, { db: database.db, config });
  await app.register(escalationWorkerPlugin, { db: database.db, config });
  return app;
}
