import { and, asc, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/types.js';
import { badRequest } from '../../lib/errors.js';
import { auditEvents } from '../audit/audit.table.js';
import type { ListChangesQuery } from './changes.schemas.js';

interface Position {
  /** Transaction id (xid8) as a decimal string. */
  x: string;
  /** Audit event id within that transaction. */
  i: number;
}

const START: Position = { x: '0', i: 0 };
const positionShape = z.strictObject({ x: z.string().regex(/^\d{1,20}$/), i: z.number().int().min(0) });

export function encodeChangeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeChangeCursor(cursor: string | undefined): Position {
  if (cursor === undefined) return START;
  try {
    const parsed = positionShape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this change feed issued');
}

/**
 * The change feed reads the audit trail in (transaction id, event id) order and only rows of
 * transactions older than its snapshot's xmin: every such transaction has ended, so no row can
 * later appear before a position already handed out. Ids from a sequence would not do: they are
 * taken at insert, so id 11 may be visible while id 10 is still uncommitted.
 */
export function createChangesRepository({ db }: { db: Db }) {
  /** `visible`: the audit events this reader may see (visibleEvents of the audit module); the feed skips the others. */
  async function list(query: ListChangesQuery, { visible }: { visible?: SQL | undefined } = {}) {
    const from = decodeChangeCursor(query.after);
    const types = query.types?.split(',');
    const rows = await db
      .select({
        id: auditEvents.id,
        xactId: sql<string>`${auditEvents.xactId}::text`,
        occurredAt: auditEvents.occurredAt,
        action: auditEvents.action,
        resourceType: auditEvents.resourceType,
        resourceId: auditEvents.resourceId,
        actor: auditEvents.actor,
        requestId: auditEvents.requestId,
        after: auditEvents.after,
      })
      .from(auditEvents)
      .where(
        and(
          sql`${auditEvents.xactId} < pg_snapshot_xmin(pg_current_snapshot())`,
          sql`(${auditEvents.xactId}, ${auditEvents.id}) > (${from.x}::xid8, ${from.i}::bigint)`,
          types ? inArray(auditEvents.resourceType, types) : undefined,
          visible,
        ),
      )
      .orderBy(asc(auditEvents.xactId), asc(auditEvents.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const items = page.map((row) => ({
      cursor: encodeChangeCursor({ x: row.xactId, i: row.id }),
      changeId: row.id,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      kind: row.action,
      occurredAt: row.occurredAt,
      actor: row.actor,
      requestId: row.requestId,
      state: (row.after as Record<string, unknown> | null) ?? null,
      link: `/v1/audit-events/${row.id}`,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: last ? last.cursor : encodeChangeCursor(from), hasMore: rows.length > query.limit };
  }

  return { list };
}
