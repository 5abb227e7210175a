import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../db/columns.js';

export type IdempotencyState = 'in_progress' | 'completed';

/**
 * Idempotency-Key claims and the responses they produced, per caller and key. Kept in the
 * database (not in memory) so a retry that lands on another instance finds them.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').$type<IdempotencyState>().notNull(),
    /** Which request holds the claim: only it may complete or release the key. */
    claimToken: text('claim_token').notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    completedAt: timestamptz('completed_at'),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.caller, t.key] }),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
    check('idempotency_keys_state_check', sql`${t.state} in ('in_progress', 'completed')`),
    check(
      'idempotency_keys_completed_check',
      sql`(${t.state} = 'completed') = (${t.responseStatus} is not null and ${t.completedAt} is not null)`,
    ),
  ],
);
