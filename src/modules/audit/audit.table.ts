import { sql } from 'drizzle-orm';
import { bigserial, customType, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';
import { auditAction } from '../../domain/codes.js';

/** A 64-bit transaction id (PostgreSQL xid8), read as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8', fromDriver: (value) => String(value) });

export type AuditAction = (typeof auditAction.values)[number];

/** Every create, change and delete, written in the same transaction as the change itself. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamptz('occurred_at').notNull().default(sql`now()`),
    /** The API key id (or "system"); with its role at the time of the change. */
    actor: text('actor').notNull(),
    actorRole: text('actor_role'),
    /** The person the calling system names in X-Actor; recorded, never trusted for access. */
    onBehalfOf: text('on_behalf_of'),
    action: text('action').$type<AuditAction>().notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    requestId: text('request_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    /** The writing transaction: the change feed orders by it and reads only finished transactions. */
    xactId: xid8('xact_id').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index('audit_events_resource_idx').on(t.resourceType, t.resourceId, t.id),
    index('audit_events_actor_idx').on(t.actor, t.id),
    index('audit_events_time_idx').on(t.occurredAt),
    index('audit_events_xact_idx').on(t.xactId, t.id),
  ],
);
