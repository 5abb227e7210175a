import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Executor } from '../db/types.js';
import { etagOf, expectedFromIfMatch, ifMatchHeaderDescription, type ExpectedVersion } from './etag.js';
import type { ScopedContext } from './request-context.js';

/** Who writes, for the audit trail, and the key's scope, which the repository asks inside its transaction. */
export function contextOf(request: FastifyRequest): ScopedContext {
  return {
    actor: request.actor,
    actorRole: request.principal?.role ?? null,
    onBehalfOf: request.onBehalfOf,
    requestId: request.id,
    scope: request.scope,
  };
}

/**
 * Headers schema for PATCH and DELETE: If-Match is documented (and enforced as 428 in code). An ETag we
 * issue is at most 12 characters ("v", 9 digits and the quotes, src/lib/etag.ts): anything over 200 can never match.
 */
export const ifMatchHeaders = z.object({
  'if-match': z.string().max(200).optional().describe(ifMatchHeaderDescription),
});

/** What the request's If-Match accepts (428 without one); the repository compares it with the locked row. */
export function expectedVersion(request: FastifyRequest): ExpectedVersion {
  return expectedFromIfMatch(request.headers['if-match']);
}

export function withEtag<T extends { version: number }>(reply: FastifyReply, row: T): T {
  reply.header('etag', etagOf(row.version));
  return row;
}

export const etagResponseHeaders = {
  ETag: { description: 'Version of the returned record, for If-Match / 记录版本（用于 If-Match）', schema: { type: 'string' } },
};

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Sends JSON that was already serialised through the route's response schema (e.g. a cached
 * answer): Fastify sends a string with a JSON content type as it is, without serialising again.
 * Typed loosely because the route's reply type is the schema's object, not its text.
 */
export function sendSerialized(reply: FastifyReply, json: string) {
  return reply.type(JSON_UTF8).send(json as never);
}

/** What the idempotency plugin gives a route whose answer is stored with its write (src/plugins/idempotency.ts). */
export interface IdempotentWrite {
  /**
   * Inside the write's transaction, once the reply carries the answer's status and headers: stores
   * the serialised body under the request's key. Throws when another request holds the key, which
   * rolls the write back; the request is then answered as that one was.
   */
  store(tx: Executor, reply: FastifyReply, body: string): Promise<void>;
}

/**
 * Sends the 201 of a create whose route stores its answer with its write (config.idempotency
 * 'with-write'). `create` runs the repository's write, handing it `beforeCommit`: inside the write's
 * transaction that sets Location and ETag, serialises the record through the route's response schema
 * and stores the text under the Idempotency-Key. The same text is sent after the commit; if the write
 * fails after all, the answer's headers are taken back, so its error goes out without them.
 */
export async function sendCreated<T extends { id: string; version: number }>(
  request: FastifyRequest,
  reply: FastifyReply,
  location: (record: T) => string,
  create: (beforeCommit: (tx: Executor, record: T) => Promise<void>) => Promise<unknown>,
) {
  let body = '';
  try {
    await create(async (tx, record) => {
      reply.status(201).header('location', location(record)).type(JSON_UTF8);
      withEtag(reply, record);
      body = String(reply.serialize(record));
      await request.idempotentWrite?.store(tx, reply, body);
    });
  } catch (error) {
    for (const name of ['location', 'etag', 'content-type']) reply.removeHeader(name);
    throw error;
  }
  return sendSerialized(reply, body);
}
