import { sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../db/columns.js';

/**
 * Secrets the service makes for itself and every instance must share (the key that signs list
 * cursors): kept in the database, made once by whichever instance starts first.
 */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  /** base64url of 32 random bytes. */
  value: text('value').notNull(),
  createdAt: timestamptz('created_at').notNull().default(sql`now()`),
});
