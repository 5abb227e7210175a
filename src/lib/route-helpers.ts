import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
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

/**
 * Sends JSON that was already serialised through the route's response schema (e.g. a cached
 * answer): Fastify sends a string with a JSON content type as it is, without serialising again.
 * Typed loosely because the route's reply type is the schema's object, not its text.
 */
export function sendSerialized(reply: FastifyReply, json: string) {
  return reply.type('application/json; charset=utf-8').send(json as never);
}
