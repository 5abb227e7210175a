import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/rows.js';
import type { Db } from '../db/types.js';
import { badRequest } from '../lib/errors.js';
import { routeOf } from '../lib/route-of.js';

/**
 * Every cursor the service hands out (a list's `nextCursor`, the change feed's `nextCursor` and each
 * change's `cursor`) carries an HMAC-SHA256 tag under a secret shared by every instance (kept in
 * server_secrets), and every cursor sent back (`cursor`, the feed's `after`) must carry a valid one:
 * a cursor a client wrote or altered is a 400 `invalid_cursor` before its values go anywhere near a
 * query, on every list and on the feed alike. Signing happens here, at the edge, so the lists keep
 * their own plain cursor formats (src/lib/pagination.ts, the change feed's positions).
 */
const SECRET_NAME = 'cursor-signing';
/** 128 bits of tag: unforgeable in practice, and a cursor stays well inside the 1000 characters a query takes. */
const TAG_BYTES = 16;
const SIGNED = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/;

/** The shared secret: made once by the first instance to start (the insert that loses a race changes nothing). */
async function cursorSecret(db: Db): Promise<Buffer> {
  const candidate = randomBytes(32).toString('base64url');
  await db.execute(sql`insert into server_secrets (name, value) values (${SECRET_NAME}, ${candidate}) on conflict (name) do nothing`);
  const [row] = await rowsOf<{ value: string }>(db, sql`select value from server_secrets where name = ${SECRET_NAME}`);
  return Buffer.from(row!.value, 'base64url');
}

export function cursorSigner(secret: Buffer) {
  const tagOf = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, TAG_BYTES);
  return {
    sign: (payload: string) => `${payload}.${tagOf(payload).toString('base64url')}`,
    /** The payload of a cursor this service signed; a 400 for anything else. */
    open(cursor: string): string {
      const match = SIGNED.exec(cursor);
      const tag = match ? Buffer.from(match[2]!, 'base64url') : undefined;
      if (!match || tag!.length !== TAG_BYTES || !timingSafeEqual(tag!, tagOf(match[1]!))) {
        throw badRequest('invalid_cursor', 'The cursor is not one this service issued; start again without it / 游标无效：请不带游标重新开始');
      }
      return match[1]!;
    },
  };
}

/** Query parameters that carry a cursor back. */
const CURSOR_PARAMS = ['cursor', 'after'] as const;

type Body = { nextCursor?: unknown; items?: unknown };

export const cursorsPlugin = fp<{ db: Db }>(
  async function cursors(app, { db }) {
    // Read on first use, not at start: the service starts (and says it is not ready) while the
    // database is away, and a failed read is tried again by the next request.
    let signer: Promise<ReturnType<typeof cursorSigner>> | undefined;
    const signerOf = () => (signer ??= cursorSecret(db).then(cursorSigner, (error: unknown) => {
      signer = undefined;
      throw error;
    }));

    // Before validation, so a list's own checks see the plain cursor it issued. Both hooks run on
    // every request and almost never have a cursor to handle: they wait (for the secret) only then.
    app.addHook('preValidation', (request, _reply, done) => {
      const query = request.query as Record<string, unknown> | undefined;
      if (!query || typeof query !== 'object') return done();
      // Only where the route takes a cursor: elsewhere the parameter is unknown, the route's 400.
      const accepted = (routeOf(request).schema?.querystring as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      // A repeated parameter is left to the route's schema, which refuses it.
      const names = CURSOR_PARAMS.filter((name) => name in accepted && typeof query[name] === 'string');
      if (names.length === 0) return done();
      // `done` is called once: with the secret's failure, with a forged cursor's 400, or to go on.
      signerOf().then((signer) => {
        let refused: unknown;
        try {
          for (const name of names) query[name] = signer.open(query[name] as string);
        } catch (error) {
          refused = error;
        }
        done(refused as Error | undefined);
      }, done);
    });

    app.addHook('preSerialization', (_request, _reply, payload: unknown, done) => {
      if (!payload || typeof payload !== 'object') return done(null, payload);
      const body = payload as Body;
      const items = Array.isArray(body.items) ? (body.items as { cursor?: unknown }[]) : [];
      const signs = typeof body.nextCursor === 'string' || items.some((item) => typeof item?.cursor === 'string');
      if (!signs) return done(null, payload);
      signerOf().then(({ sign }) => {
        if (typeof body.nextCursor === 'string') body.nextCursor = sign(body.nextCursor);
        for (const item of items) if (item && typeof item.cursor === 'string') item.cursor = sign(item.cursor);
        done(null, payload);
      }, done);
    });
  },
  { name: 'cursors', dependencies: ['errors'] },
);
