import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/types.js';
import { redactSecrets } from '../lib/credentials.js';
import { uuidv7 } from '../lib/ids.js';
import { JSON_LIMITS } from '../lib/json-text.js';
import { problemResponses } from '../lib/problem.js';
import { jsonTooDeep, idempotencyInProgress, idempotencyKeyReused, idempotencyOutcomeUnknown, invalidIdempotencyKey } from './idempotency.errors.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency.store.js';

const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
const DAY_MS = 24 * 60 * 60 * 1000;

export const idempotencyKeyHeader = z
  .string()
  .max(255) // what KEY_PATTERN allows, stated so the OpenAPI document shows it
  .regex(KEY_PATTERN)
  .optional()
  .describe(
    'Optional unique key (1–255 visible ASCII characters, e.g. a UUID) that makes a retry safe: the same key with the same request replays the first answer (with Idempotency-Replayed: true) instead of acting twice; the same key with another body is a 422, and while the first is still running a 409. Kept 24 hours per caller. / 可选的幂等键（1–255个可见 ASCII 字符，如 UUID）：同一键、同一请求的重试返回首次结果（带 Idempotency-Replayed: true），不会重复执行；同一键不同请求体返回 422，首次请求仍在处理时返回 409。每个调用方保留24小时。',
  );

/** Whose keys these are: the API key that sent the request (request.actor is its id). */
export function callerOf(request: FastifyRequest): string {
  return request.actor;
}

interface KeyState {
  key: string;
  requestHash: string;
  token?: string;
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

/**
 * Idempotency-Key for every POST under /v1 (RFC draft "The Idempotency-Key HTTP Header Field").
 *
 * Guarantee: the handler commits its record in its own transaction; the answer is stored after,
 * in onSend. A crash between the two never loses the record: the key stays in_progress and
 * retries are refused (409) until it expires, so the request is never run twice under one key.
 * A 5xx releases the key (the handler's transaction rolled back), so a retry runs again.
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

    async function storeOutcome(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const state = states.get(request);
      if (!state?.token) return payload;
      const claim = { caller: callerOf(request), key: state.key, token: state.token };
      state.token = undefined;
      const replayable = payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload);
      try {
        if (reply.statusCode >= 500 || !replayable) await store.release(claim);
        else {
          const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => {
            const value = reply.getHeader(name);
            return value === undefined ? [] : [[name, String(value)]];
          }));
          const body = payload === null || payload === undefined ? null : String(payload);
          await store.complete({ ...claim, response: { status: reply.statusCode, headers, body } });
        }
      } catch (err) {
        // The answer still goes out; the key stays in_progress, so a retry cannot act twice.
        request.log.error({ err, idempotencyKey: redactSecrets(state.key) }, 'storing the idempotent response failed');
      }
      return payload;
    }

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
