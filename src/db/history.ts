import { getTableColumns, sql, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { badRequest } from '../lib/errors.js';
import { rowsOf } from './rows.js';
import type { Db, Executor } from './types.js';

/**
 * The system-versioned tables (migration 0013): every version of every row is kept in history.<table>
 * with the transaction-time range [sys_from, sys_to) in which it was current, by database triggers,
 * whoever writes. A table a figure reads must be one of these: a migration that adds such a table
 * calls `select history.enable('<table>', '<since>')`, and the name goes here.
 */
export const VERSIONED_TABLES = [
  'departments',
  'leaders',
  'projects',
  'project_supporting_departments',
  'project_status_changes',
  'groundbreaking_batches',
  'annual_plans',
  'leader_assignments',
  'progress_reports',
  'progress_report_revisions',
  'project_investment_rollups',
  'declared_figures',
  'inspections',
  'inspection_projects',
  'inspection_leaders',
  'inspection_departments',
  'project_issues',
  'special_bonds',
  'warning_rules',
  'project_comments',
  'project_milestones',
  'publications',
  'supervision_orders',
  'supervision_order_steps',
  'supervision_escalation_rules',
  'assessment_rules',
] as const;

export type VersionedTableName = (typeof VERSIONED_TABLES)[number];

/** The columns history adds to a table's own: when a version was current and which transactions began and ended it. */
export const SYSTEM_COLUMNS = ['sys_from', 'sys_to', 'sys_txid', 'sys_ended_txid', 'sys_ended_by'] as const;

/**
 * Runs `work` on the records as they were known at `knownAt` (SQL:2011 `FOR SYSTEM_TIME AS OF`), or
 * on the current ones when it is undefined. The as-known-at transaction is read-only and REPEATABLE
 * READ, sets kpo.known_at and puts the schema known_at first in its search_path: each versioned
 * table's name then means its view known_at.<table> (its versions current at that instant, migration
 * 0013), while the tables that are not versioned (API keys, the audit trail) are the live ones. So the
 * queries of a current answer, unchanged, give the answer as it was known then.
 */
export async function readKnownAt<T>(
  db: Db,
  knownAt: string | undefined,
  work: (executor: Db) => Promise<T>,
  { snapshot = false }: { snapshot?: boolean } = {},
): Promise<T> {
  // `snapshot`: an answer of several statements reads one snapshot even of the current records.
  if (knownAt === undefined && !snapshot) return work(db);
  return db.transaction(
    async (tx) => {
      if (knownAt !== undefined) await enterKnownAt(tx, knownAt);
      return work(tx);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Makes the rest of a read-only transaction see the records as known at `knownAt` (see readKnownAt).
 * An instant before the history's horizon (versions moved to cold storage, docs/history.md) is a
 * 400: what is left would give a wrong answer, not the one given then.
 */
export async function enterKnownAt(tx: Executor, knownAt: string): Promise<void> {
  const [row] = await rowsOf<{ before_horizon: boolean; known_from: string }>(
    tx,
    sql`select set_config('search_path', 'known_at, public', true), set_config('kpo.known_at', ${knownAt}, true),
          h.known_from::text, ${knownAt}::timestamptz < h.known_from as before_horizon
        from (select coalesce(max(known_from), '-infinity') as known_from from history.horizon) h`,
  );
  if (row?.before_horizon) {
    throw badRequest('known_at_before_history', `knownAt ${knownAt} is before ${row.known_from}, from when the history is kept here; older versions were moved to cold storage / knownAt 早于本库保存的历史起点（更早的版本已转存）`, {
      parameter: 'knownAt',
      knownFrom: row.known_from,
    });
  }
}

/**
 * A repository (or any reader made from a database) that answers on the current records, or on the
 * records as known at an instant: `const reader = knownAtReader(db, (d) => createXRepository({ db: d }))`,
 * then `reader(knownAt, (x) => x.find(…))`. The current one is made once; an as-known-at one per call,
 * on readKnownAt's transaction.
 */
export function knownAtReader<R>(db: Db, create: (db: Db) => R, options: { snapshot?: boolean } = {}) {
  const current = create(db);
  return <T>(knownAt: string | undefined, work: (reader: R) => Promise<T>): Promise<T> =>
    readKnownAt(db, knownAt, (executor) => work(executor === db ? current : create(executor)), options);
}

/** A row read from history.<table> (raw column names) as drizzle would read it from the table: its field names and types. */
export function rowOfTable<T extends PgTable>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  return Object.fromEntries(
    columns.map(([key, column]) => [key, raw[column.name] === null || raw[column.name] === undefined ? null : column.mapFromDriverValue(raw[column.name])]),
  ) as T['$inferSelect'];
}

/**
 * An instant to compute as known at, such that the answer is exactly what any later request with
 * that knownAt gets: versions are stamped with their transaction's start, so no transaction begun by
 * the instant may still be open (it could commit versions "known" then after the answer was made).
 * The database's clock now, once every transaction begun by then has ended — waiting at most
 * `waitMs` — else just before the start of the oldest still open. `lagMs`: how far it is behind now.
 * Called before the computing transaction begins.
 */
export async function settledInstant(db: Db, { waitMs }: { waitMs: number }): Promise<{ at: string; lagMs: number }> {
  const [now] = await rowsOf<{ t: string }>(db, sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Any open transaction begun by then, not only those that have written yet: one may write later.
    const [row] = await rowsOf<{ at: string; lag_ms: number }>(
      db,
      sql`select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
            (extract(epoch from clock_timestamp() - t) * 1000)::float8 as lag_ms
          from (select least(${now!.t}::timestamptz,
            (select min(xact_start) - interval '1 microsecond' from pg_stat_activity
              where pid <> pg_backend_pid() and datname = current_database() and backend_type = 'client backend'
                and xact_start is not null and xact_start <= ${now!.t}::timestamptz)) as t) s`,
    );
    if (row!.at === now!.t || Date.now() >= deadline) return { at: row!.at, lagMs: Number(row!.lag_ms) };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
