import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { notFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { keyset } from '../../lib/pagination.js';
import { recordAudit } from '../audit/audit.public.js';
import type { RequestContext } from '../../lib/request-context.js';
import { hostNotAllowed } from './webhooks.errors.js';
import { isHostAllowed } from './webhooks.hosts.js';
import type { CreateSubscription, ListDeliveriesQuery, UpdateSubscription } from './webhooks.schemas.js';
import { newSecret } from './webhooks.signature.js';
import { webhookDeliveries as deliveries, webhookDeliveryAttempts as attempts, webhookEvents as events, webhookSubscriptions as subscriptions } from './webhooks.table.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byId = keyset({ id: subscriptions.id });
const byIdDesc = keyset({ id: deliveries.id }, 'desc');

const RESOURCE = 'webhook_subscription';

type SubscriptionRow = typeof subscriptions.$inferSelect;

/** The secret never leaves through reads, the audit trail or the change feed. */
function withoutSecret({ secret: _secret, ...rest }: SubscriptionRow) {
  return rest;
}

export function createWebhooksRepository({ db, config }: { db: Db; config: Config }) {
  function checkHost(url: string) {
    if (!isHostAllowed(url, config.WEBHOOK_ALLOWED_HOSTS)) throw hostNotAllowed(url);
  }

  async function create({ input, context }: { input: CreateSubscription; context: RequestContext }) {
    checkHost(input.url);
    return db.transaction(async (tx) => {
      const [row] = await tx
        .insert(subscriptions)
        .values({ url: input.url, eventTypes: input.eventTypes, description: input.description ?? null, active: input.active ?? true, secret: newSecret() })
        .returning();
      await recordAudit(tx, context, { action: 'create', resourceType: RESOURCE, resourceId: row!.id, after: withoutSecret(row!) });
      return row!;
    });
  }

  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return withoutSecret(row);
  }

  async function list(query: { limit: number; cursor?: string | undefined }) {
    const found = await byId.list(
      query,
      (after) => db.select().from(subscriptions).where(after),
    );
    return { items: found.items.map(withoutSecret), nextCursor: found.nextCursor };
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateSubscription; context: RequestContext }) {
    if (patch.url !== undefined) checkHost(patch.url);
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, subscriptions, { id, expectedVersion, label: RESOURCE });
      const after = await writeNextVersion(tx, subscriptions, before, patch);
      if (!after) return withoutSecret(before);
      await recordAudit(tx, context, { action: 'update', resourceType: RESOURCE, resourceId: id, before: withoutSecret(before), after: withoutSecret(after) });
      return withoutSecret(after);
    });
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    await db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, subscriptions, { id, expectedVersion, label: RESOURCE });
      await tx.delete(subscriptions).where(eq(subscriptions.id, id));
      await recordAudit(tx, context, { action: 'delete', resourceType: RESOURCE, resourceId: id, before: withoutSecret(before) });
    });
  }

  /** Newest first, each with its attempts. */
  async function listDeliveries({ id, query }: { id: string; query: ListDeliveriesQuery }) {
    await getById({ id });
    const filters = { ...query, id };
    const found = await byIdDesc.list(
      query,
      (after) =>
        db
          .select({ delivery: deliveries, eventType: events.type })
          .from(deliveries)
          .innerJoin(events, eq(events.id, deliveries.eventId))
          .where(and(eq(deliveries.subscriptionId, id), query.status ? eq(deliveries.status, query.status) : undefined, after)),
      { filters, keyOf: (r) => [r.delivery.id] },
    );
    const ids = found.items.map((r) => r.delivery.id);
    const log = ids.length
      ? await db.select().from(attempts).where(inArray(attempts.deliveryId, ids)).orderBy(asc(attempts.deliveryId), asc(attempts.attempt))
      : [];
    return {
      nextCursor: found.nextCursor,
      items: found.items.map(({ delivery, eventType }) => ({
        ...presentDelivery(delivery, eventType),
        attemptLog: log.filter((a) => a.deliveryId === delivery.id).map(({ deliveryId: _d, ...a }) => a),
      })),
    };
  }

  /** Sends the event of a delivery again, as a new delivery that keeps the event id. */
  async function redeliver({ id }: { id: string }) {
    return db.transaction(async (tx) => {
      const [original] = await tx
        .select({ delivery: deliveries, eventType: events.type })
        .from(deliveries)
        .innerJoin(events, eq(events.id, deliveries.eventId))
        .where(eq(deliveries.id, id));
      if (!original) throw notFound('webhook_delivery', id);
      const [row] = await tx
        .insert(deliveries)
        .values({ id: uuidv7(), subscriptionId: original.delivery.subscriptionId, eventId: original.delivery.eventId, redeliveryOf: id })
        .returning();
      return { ...presentDelivery(row!, original.eventType), attemptLog: [] };
    });
  }

  return { create, getById, list, update, remove, listDeliveries, redeliver };
}

function presentDelivery(row: typeof deliveries.$inferSelect, eventType: typeof events.$inferSelect.type) {
  const { leaseUntil: _lease, ...rest } = row;
  const finished = row.status === 'succeeded' || row.status === 'failed';
  return { ...rest, eventType, nextAttemptAt: finished ? null : row.nextAttemptAt };
}
