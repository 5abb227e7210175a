import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { integer, numeric, timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../lib/ids.js';

/** Primary key: a UUIDv7 made by the service, so ids sort by creation. */
export const idColumn = () => uuid('id').primaryKey().$defaultFn(() => uuidv7());

/** Money in 万元 (ten thousand yuan) with 4 fraction digits: exact to the yuan, read as a string. */
export const money = (name: string) => numeric(name, { precision: 18, scale: 4 });

/** Optimistic-concurrency counter behind the ETag; bumped by every change. */
export const versionColumn = () => integer('version').notNull().default(1);

export const timestamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const archivedAt = () => timestamp('archived_at', { withTimezone: true, mode: 'string' });

/** A check constraint body that keeps a text column inside its code list. */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return sql`${column} in (${sql.raw(list)})`;
}
