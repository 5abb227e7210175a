import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { customType, integer, numeric, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../lib/ids.js';

/** Primary key: a UUIDv7 made by the service, so ids sort by creation. */
export const idColumn = () => uuid('id').primaryKey().$defaultFn(() => uuidv7());

/** Money in 万元 (ten thousand yuan) with 4 fraction digits: exact to the yuan, read as a string. */
export const money = (name: string) => numeric(name, { precision: 18, scale: 4 });

/** Optimistic-concurrency counter behind the ETag; bumped by every change. */
export const versionColumn = () => integer('version').notNull().default(1);

/** PostgreSQL prints '2022-04-02 08:30:00.123456+00' in a UTC session; the API speaks ISO 8601. */
export function isoFromPg(value: string): string {
  const utc = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)\+00$/.exec(value);
  return utc ? `${utc[1]}T${utc[2]}Z` : new Date(value).toISOString();
}

/** timestamptz read as an ISO 8601 UTC string, keeping PostgreSQL's microseconds. */
export const timestamptz = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp with time zone',
  fromDriver: (value) => isoFromPg(String(value)),
});

export const timestamps = () => ({
  createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
});

export const archivedAt = () => timestamptz('archived_at');

/** A check constraint body that keeps a text column inside its code list. */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return sql`${column} in (${sql.raw(list)})`;
}
