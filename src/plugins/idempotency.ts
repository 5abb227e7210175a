import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Db, Executor } from '../db/types.js';
import type { IdempotentWrite } from '../lib/route-helpers.js';
import { redactSecrets } from '../lib/credentials.js';
import { uuidv7 } from '../lib/ids.js';
import { JSON_LIMITS } from '../lib/json-text.js';
import { problemResponses } from '../lib/problem.js';
import { jsonTooDeep, idempotencyInProgress, idempotencyKeyReused, idempotencyOutcomeUnknown, invalidIdempotencyKey } from './idempotency.errors.js';
import { problemText } from './errors.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency.store.js';
import { routeOf } from '../lib/route-of.js';

const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
const DAY_MS = 24 * 60 * 60 * 1000;

export const idempotencyKeyHeader = z
  .string()
  .max(255) // what KEY_PATTERN allows, stated so the OpenAPI document shows it
  .regex(KEY_PATTERN)
  .optional()
  .describe(
    'Optional unique key (1–255 visible ASCII characters, e.g. a UUID) that makes a retry safe: the same key with the same request replays the first answer (with Idempotency-Replayed: true) instead of acting twice; the same key with another body is a 422, and while the first is still running a 409 (POST /v1/progress-reports, whose answer is stored with the report, waits for the first instead and replays its answer). Kept 24 hours per caller. / 可选的幂等键（1–255个可见 ASCII 字符，如 UUID）：同一键、同一请求的重试返回首次结果（带 Idempotency-Replayed: true），不会重复执行；同一键不同请求体返回 422，首次请求仍在处理时返回 409（POST /v1/progress-reports 的结果与报送在同一事务中保存，会等待首次请求完成并返回其结果）。每个调用方保留24小时。',
  );

/** Whose keys these are: the API key that sent the request (request.actor is its id). */
export function callerOf(request: FastifyRequest): string {
  return request.actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on a POST with an Idempotency-Key whose route stores its answer with its write. */
    idempotentWrite?: IdempotentWrite;
  }
  interface FastifyContextConfig {
    /**
     * 'with-write': the route stores its answer under the key inside its own write's transaction
     * (request.idempotentWrite, src/lib/route-helpers.ts sendCreated), one commit instead of a
     * claim, the write and the stored answer each committing on their own.
     */
    idempotency?: 'with-write';
  }
}

interface KeyState {
  key: string;
  requestHash: string;
  token?: string;
  /** The route stores its answer with its write (config.idempotency 'with-write'). */
  withWrite?: boolean;
  /** with-write: the answer is stored (in the write's transaction), or the outcome was settled in onSend. */
  settled?: boolean;
}

/**
 * Object keys sorted, so the same JSON written in another key order is the same request. The JSON
 * parser (src/plugins/json-body.ts) has bounded the depth already; the bound is kept here too, so no
 * body from any parser can take this recursion past it.
 */
function canonical(value: unknown, depth = 0): unknown {
  if (depth > JSON_LIMITS.depth) throw jsonTooDeep();
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k], depth + 1)]));
  }
  return value;
}

function requestHashOf(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(canonical(request.body ?? null));
  return createHash('sha256').update(`${request.method}\n${request.url}\n${body}`).digest('base64url');
}

const asArray = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]);

function actsOnV1(route: RouteOptions): boolean {
  return asArray(route.method).includes('POST') && route.url.startsWith('/v1/');
}

/** Every acting POST documents the header and the 400/409/422 it can cause. */
function documentKey(route: RouteOptions) {
  const schema = (route.schema ??= {}) as Record<string, unknown>;
  const headers = schema.headers;
  if (headers === undefined) schema.headers = z.object({ 'idempotency-key': idempotencyKeyHeader });
  else if (headers instanceof z.ZodObject) schema.headers = headers.extend({ 'idempotency-key': idempotencyKeyHeader });
  schema.response = { ...problemResponses(400, 409, 422), ...(schema.response as object | undefined) };
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  return Object.fromEntries(
    REPLAYED_HEADERS.flatMap((name) => {
      const value = reply.getHeader(name);
      return value === undefined ? [] : [[name, String(value)]];
    }),
  );
}

const replayable = (payload: unknown) => payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload);
const bodyOf = (payload: unknown) => (payload === null || payload === undefined ? null : String(payload));

/**
 * Idempotency-Key for every POST under /v1 (RFC draft "The Idempotency-Key HTTP Header Field").
 *
 * Claim first (most routes): the key is claimed (in_progress) before the handler, the handler commits
 * its record in its own transaction and the answer is stored after, in onSend. A crash between the
 * two never loses the record: the key stays in_progress and retries are refused (409) until it
 * expires, so the request is never run twice under one key. A 5xx releases the key (the handler's
 * transaction rolled back), so a retry runs again.
 *
 * With the write (config.idempotency 'with-write', the report submission): nothing is claimed up
 * front; the route serialises its answer inside its transaction and stores it under the key there, so
 * the record and its answer commit together or not at all. A request with the same key meanwhile
 * waits on the key's row (or on the record's own unique index) until the first one's transaction
 * ends, then is answered as the first was. An answer that did not come from a committed write (a
 * 4xx) is stored after, in onSend, as with claim first; a 5xx stores nothing.
 */
export const idempotencyPlugin = fp(
  async function idempotency(app, opts: { db: Db; ttlMs?: number; staleAfterMs?: number }) {
    const store: IdempotencyStore = createIdempotencyStore({ db: opts.db, ttlMs: opts.ttlMs ?? DAY_MS, staleAfterMs: opts.staleAfterMs ?? 5 * 60_000 });
    const states = new WeakMap<FastifyRequest, KeyState>();

    async function readKey(request: FastifyRequest) {
      const header = request.headers['idempotency-key'];
      if (header === undefined) return;
      const key = Array.isArray(header) ? header.join(',') : header;
      if (!KEY_PATTERN.test(key)) throw invalidIdempotencyKey();
      states.set(request, { key, requestHash: requestHashOf(request) });
    }

    async function claimKey(request: FastifyRequest, reply: FastifyReply) {
      const state = states.get(request);
      if (!state) return;
      await store.purgeExpired().catch((err: unknown) => request.log.warn({ err }, 'purging expired idempotency keys failed'));
      if (routeOf(request).config.idempotency === 'with-write') {
        state.withWrite = true;
        request.idempotentWrite = {
          async store(tx: Executor, answerReply: FastifyReply, body: string) {
            const response = { status: answerReply.statusCode, headers: replayedHeaders(answerReply), body };
            if (await store.storeCompleted(tx, { caller: callerOf(request), key: state.key, requestHash: state.requestHash, response })) {
              state.settled = true;
              return;
            }
            // Held by a request that finished first: this write rolls back and onSend answers as that one was.
            throw idempotencyInProgress();
          },
        };
        return;
      }
      const token = uuidv7();
      const result = await store.claim({ caller: callerOf(request), key: state.key, requestHash: state.requestHash, token });
      if (result.outcome === 'claimed') {
        state.token = token;
        return;
      }
      if (result.outcome === 'mismatch') throw idempotencyKeyReused();
      if (result.outcome === 'in_progress') {
        if (result.stale) throw idempotencyOutcomeUnknown();
        reply.header('retry-after', '1');
        throw idempotencyInProgress();
      }
      const { status, headers, body } = result.response;
      reply.status(status).headers(headers).header('idempotency-replayed', 'true');
      return reply.send(body ?? undefined);
    }

    /** with-write, an answer not stored with a write: stored now if the key is free, else the key's first answer stands. */
    async function settleWithWrite(request: FastifyRequest, reply: FastifyReply, payload: unknown, state: KeyState) {
      if (state.settled) return payload;
      state.settled = true;
      // A 5xx: the write rolled back and nothing is stored, so a retry runs again.
      if (reply.statusCode >= 500 || !replayable(payload)) return payload;
      const claim = { caller: callerOf(request), key: state.key, requestHash: state.requestHash };
      let held;
      try {
        if (await store.storeCompleted(opts.db, { ...claim, response: { status: reply.statusCode, headers: replayedHeaders(reply), body: bodyOf(payload) } })) return payload;
        held = await store.lookup(opts.db, claim);
      } catch (err) {
        request.log.error({ err, idempotencyKey: redactSecrets(state.key) }, 'storing the idempotent response failed');
        return payload;
      }
      if (!held) return payload;
      if (held.outcome !== 'completed') {
        // Answered here: an error thrown from onSend would reach Fastify's fallback handler, not ours.
        const error = held.outcome === 'mismatch' ? idempotencyKeyReused() : held.stale ? idempotencyOutcomeUnknown() : idempotencyInProgress();
        if (held.outcome === 'in_progress' && !held.stale) reply.header('retry-after', '1');
        reply.status(error.status).type('application/problem+json');
        return problemText(request, error);
      }
      const { status, headers, body } = held.response;
      reply.removeHeader('content-type').removeHeader('retry-after');
      reply.status(status).headers(headers).header('idempotency-replayed', 'true');
      return body ?? '';
    }

    async function storeOutcome(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const state = states.get(request);
      if (state?.withWrite) return settleWithWrite(request, reply, payload, state);
      if (!state?.token) return payload;
      const claim = { caller: callerOf(request), key: state.key, token: state.token };
      state.token = undefined;
      try {
        if (reply.statusCode >= 500 || !replayable(payload)) await store.release(claim);
        else await store.complete({ ...claim, response: { status: reply.statusCode, headers: replayedHeaders(reply), body: bodyOf(payload) } });
      } catch (err) {
        // The answer still goes out; the key stays in_progress, so a retry cannot act twice.
        request.log.error({ err, idempotencyKey: redactSecrets(state.key) }, 'storing the idempotent response failed');
      }
      return payload;
    }

    app.decorateRequest('idempotentWrite', undefined);
    app.addHook('onRoute', (route) => {
      if (!actsOnV1(route)) return;
      documentKey(route);
      route.preValidation = [...asArray(route.preValidation), readKey];
      route.preHandler = [...asArray(route.preHandler), claimKey];
      route.onSend = [...asArray(route.onSend), storeOutcome];
    });
  },
  { name: 'idempotency', dependencies: ['auth', 'errors'] },
);
