import { and, eq, gte, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { emitWebhookEvent, eventsOfChange, subscribersOf, textArray } from '../webhooks/webhooks.public.js';
import { preparedStatement } from '../../db/prepared.js';
import { auditEvents, type AuditAction } from './audit.table.js';
import type { ListAuditEventsQuery } from './audit.schemas.js';
import type { Principal } from '../../lib/principal.js';
import type { RequestContext } from '../../lib/request-context.js';

const byIdDesc = keyset({ id: auditEvents.id }, 'desc');

export interface AuditInput {
  action: AuditAction;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

const p = sql.placeholder;
// Every audited write runs one of these two: built once (src/db/prepared.ts). The snapshots are cast
// from text so that a missing one is SQL NULL (through jsonb's encoder a null would be JSON null).
const auditValues = {
  actor: p('actor'),
  actorRole: p('actorRole'),
  onBehalfOf: p('onBehalfOf'),
  requestId: p('requestId'),
  action: p('action'),
  resourceType: p('resourceType'),
  resourceId: p('resourceId'),
  before: sql`${p('before')}::jsonb`,
  after: sql`${p('after')}::jsonb`,
};
const insertAudit = preparedStatement((executor) => executor.insert(auditEvents).values(auditValues).prepare('audit_insert'));
const insertAuditForSubscribers = preparedStatement((executor) =>
  executor
    .insert(auditEvents)
    .values(auditValues)
    .returning({ subscribers: subscribersOf(p('eventTypes')) })
    .prepare('audit_insert_subscribers'),
);

const snapshot = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Writes one audit event; call it with the transaction that makes the change. */
export async function recordAudit(tx: Executor, context: RequestContext, event: AuditInput): Promise<void> {
  const values = {
    actor: context.actor,
    actorRole: context.actorRole ?? null,
    onBehalfOf: context.onBehalfOf ?? null,
    requestId: context.requestId,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    before: snapshot(event.before),
    after: snapshot(event.after),
  };
  // Webhook events of the change go to the outbox in the same transaction; the subscribers that
  // want them come back with the audit row (one round trip for both).
  const events = eventsOfChange(event);
  if (events.length === 0) return void (await insertAudit(tx, values));
  const [row] = await insertAuditForSubscribers(tx, { ...values, eventTypes: textArray(events.map((e) => e.type)) });
  for (const e of events) await emitWebhookEvent(tx, e.type, e.data, row!.subscribers);
}

/**
 * Records only admins may read (API keys, webhook subscriptions with their target URLs): their audit
 * events and changes are hidden from every other role, as the records themselves are.
 */
export const ADMIN_ONLY_RESOURCES = ['api_key', 'webhook_subscription'];

/** The resource types a reader may not see in the audit trail or the change feed. */
export function hiddenResourceTypes(role: string | undefined): string[] {
  return role === 'admin' ? [] : ADMIN_ONLY_RESOURCES;
}

/**
 * Records a department key may read only when they are addressed to its department (supervision
 * orders: GET /v1/supervision-orders shows a department its own), with the field of the record that
 * names the department. Their audit events and changes follow the record: a department key sees
 * those whose snapshot (after, or before for a delete) names its department. The field is never
 * changed after the record is created, so every event of a record falls on the same side.
 */
export const DEPARTMENT_SCOPED_RESOURCES: Readonly<Record<string, string>> = { supervision_order: 'departmentId' };

/**
 * The audit events (and so the changes) a key may read: none of the admin-only records unless it
 * is an admin's, and for a department key only its own of the department-scoped records.
 */
export function visibleEvents(principal: Pick<Principal, 'role' | 'departmentId'> | null | undefined): SQL | undefined {
  const hidden = hiddenResourceTypes(principal?.role);
  const conditions: SQL[] = hidden.length > 0 ? [notInArray(auditEvents.resourceType, hidden)] : [];
  if (principal?.role === 'department') {
    for (const [type, field] of Object.entries(DEPARTMENT_SCOPED_RESOURCES)) {
      conditions.push(
        sql`(${auditEvents.resourceType} <> ${type} or coalesce(${auditEvents.after}, ${auditEvents.before}) ->> ${field}::text = ${principal.departmentId ?? ''}::text)`,
      );
    }
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** Reading the trail; writing happens only through recordAudit inside each module's transaction. */
export function createAuditRepository({ db }: { db: Db }) {
  /** `visible`: the events this reader may see (visibleEvents); another is not found. */
  async function getById({ id, visible }: { id: number; visible?: SQL | undefined }) {
    const [row] = await db.select().from(auditEvents).where(and(eq(auditEvents.id, id), visible));
    if (!row) throw notFound('audit_event', String(id));
    return toAuditEvent(row);
  }

  /** Newest first: ids grow with commits, so the cursor is the id alone. */
  async function list(query: ListAuditEventsQuery, { visible }: { visible?: SQL | undefined } = {}) {
    const found = await byIdDesc.list(
      query,
      (after) =>
        db
          .select()
          .from(auditEvents)
          .where(
            and(
              query.resourceType ? eq(auditEvents.resourceType, query.resourceType) : undefined,
              visible,
              query.resourceId ? eq(auditEvents.resourceId, query.resourceId) : undefined,
              query.actor ? eq(auditEvents.actor, query.actor) : undefined,
              query.action ? eq(auditEvents.action, query.action) : undefined,
              query.from ? gte(auditEvents.occurredAt, query.from) : undefined,
              query.to ? lt(auditEvents.occurredAt, query.to) : undefined,
              after,
            ),
          ),
    );
    return { items: found.items.map(toAuditEvent), nextCursor: found.nextCursor };
  }

  return { getById, list };
}

type Snapshot = Record<string, unknown> | null;

/** recordAudit stores whole rows (or nothing), so before and after are objects or null. */
function toAuditEvent(row: typeof auditEvents.$inferSelect) {
  return { ...row, before: row.before as Snapshot, after: row.after as Snapshot };
}
