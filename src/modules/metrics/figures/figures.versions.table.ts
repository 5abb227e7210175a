import { bigint, integer, pgTable } from 'drizzle-orm/pg-core';

/**
 * A change counter for everything the figures read (projects, plans, status changes, reports and
 * their revisions, declared figures, leaders, their assignments, departments), so a computed answer
 * can be reused until one of them changes. Kept by database triggers (migration 0010): every
 * transaction that writes one of those tables adds 1 to one shard, at commit time.
 *
 * `sum(changes)` as seen by one snapshot is the number of committed changing transactions that
 * snapshot sees. A later snapshot sees a superset of an earlier one's commits, so two snapshots with
 * the same sum see the same commits, hence the same figures: the sum is an exact version of the
 * figures' inputs. Sharded by backend (pg_backend_pid() % 64) so concurrent writers rarely touch
 * the same row, and bumped by a deferred trigger, the last lock a transaction takes, so it cannot
 * take part in a deadlock.
 *
 * PostgreSQL will not ALTER a table with pending deferred trigger events: a migration (or admin
 * script) that writes rows of these tables and then alters one of them in the same transaction runs
 * `SET CONSTRAINTS ALL IMMEDIATE` between the two. Never truncate or lower this table: the counter
 * only grows.
 */
export const figureVersions = pgTable('figure_versions', {
  shard: integer('shard').primaryKey(),
  changes: bigint('changes', { mode: 'number' }).notNull().default(0),
});
