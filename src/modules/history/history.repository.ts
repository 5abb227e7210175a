import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { isoFromPg } from '../../db/columns.js';
import { rowOfTable, VERSIONED_TABLES, type VersionedTableName } from '../../db/history.js';
import { rowsOf } from '../../db/rows.js';
import type { Db } from '../../db/types.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { HistoryQuery } from './history.schemas.js';

/** A record's versions page by when they became current (unique per record: see migration 0013). */
const byValidFrom = keyset({ sys_from: sql`h.sys_from` });

interface VersionRow extends Record<string, unknown> {
  sys_from: string;
  sys_to: string;
  sys_ended_by: 'update' | 'delete' | null;
  changed_by: ChangedBy | null;
  ended_by_change: ChangedBy | null;
}

interface ChangedBy {
  actor: string | null;
  actorRole: string | null;
  onBehalfOf: string | null;
  requestId: string | null;
}

const nobody: ChangedBy = { actor: null, actorRole: null, onBehalfOf: null, requestId: null };

/** Who acted in a transaction: its first audit event (every event of one transaction has the same request). */
const changedByOf = (xid: ReturnType<typeof sql>) => sql`(
  select json_build_object('actor', a.actor, 'actorRole', a.actor_role, 'onBehalfOf', a.on_behalf_of, 'requestId', a.request_id)
  from audit_events a where a.xact_id = ${xid} order by a.id limit 1)`;

export function createHistoryRepository({ db }: { db: Db }) {
  /**
   * The versions of the row of `table` whose `id` is `id`, oldest first, each mapped to the record's
   * own fields as drizzle reads them (a version has the table's columns as they were then).
   */
  async function versionsOf<T extends PgTable>({ table, id, label, query }: { table: T; id: string; label: string; query: HistoryQuery }) {
    const name = getTableName(table);
    if (!(VERSIONED_TABLES as readonly string[]).includes(name)) throw new Error(`${name} is not a versioned table`);
    const page = byValidFrom.page(query, { ...query, id });
    const rows = await rowsOf<VersionRow>(
      db,
      sql`select h.*, ${changedByOf(sql`h.sys_txid`)} as changed_by,
            case when h.sys_ended_txid is null then null else ${changedByOf(sql`h.sys_ended_txid`)} end as ended_by_change
          from history.${sql.identifier(name as VersionedTableName)} h
          where h.id = ${id} ${page.where ? sql`and ${page.where}` : sql``}
          order by ${sql.join(page.orderBy, sql`, `)}
          limit ${page.limit}`,
    );
    if (rows.length === 0 && !query.cursor) throw notFound(label, id);
    const found = page.toPage(rows);
    return {
      nextCursor: found.nextCursor,
      items: found.items.map((row) => ({
        validFrom: isoFromPg(row.sys_from),
        validTo: row.sys_to === 'infinity' ? null : isoFromPg(row.sys_to),
        endedBy: row.sys_ended_by,
        changedBy: row.changed_by ?? nobody,
        endedByChange: row.sys_ended_by ? (row.ended_by_change ?? nobody) : null,
        record: rowOfTable(table, row),
      })),
    };
  }

  return { versionsOf };
}
