import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { apiKeyRole } from '../../domain/codes.js';
import { idColumn, oneOf, timestamptz } from '../../db/columns.js';
import type { Role } from '../../lib/principal.js';
import { departments } from '../departments/departments.table.js';
import { leaders } from '../leaders/leaders.table.js';

/** The role column's type, under the name the comments table (its author's role) knows it by. */
export type ApiKeyRole = Role;

/**
 * API keys. The key itself is never stored: only its SHA-256 (the key carries 178 random bits, so a
 * fast hash is enough) and its last four characters, so people can tell their keys apart.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: idColumn(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    departmentId: uuid('department_id').references(() => departments.id),
    leaderId: uuid('leader_id').references(() => leaders.id),
    readOnly: boolean('read_only').notNull().default(false),
    secretHash: text('secret_hash').notNull().unique(),
    lastFour: text('last_four').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    lastUsedAt: timestamptz('last_used_at'),
  },
  (t) => [
    check('api_keys_role_check', oneOf(t.role, apiKeyRole.values)),
    // A department key is bound to exactly one department, a leader key to one leader, and no other
    // role carries either binding.
    check(
      'api_keys_binding_check',
      sql`(${t.role} = 'department') = (${t.departmentId} is not null) and (${t.role} = 'leader') = (${t.leaderId} is not null)`,
    ),
    check('api_keys_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
    index('api_keys_created_idx').on(t.createdAt, t.id),
  ],
);
