import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { idColumn, oneOf, timestamps, timestamptz, versionColumn } from '../../db/columns.js';
import { projects } from '../projects/projects.table.js';
import { deliveryStatuses, webhookEventTypes, type DeliveryStatus, type WebhookEventType } from './webhooks.events.js';

/** Who wants which events, where; the secret signs every delivery and is shown once. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: idColumn(),
  url: text('url').notNull(),
  eventTypes: text('event_types').array().$type<WebhookEventType[]>().notNull(),
  description: text('description'),
  active: boolean('active').notNull().default(true),
  secret: text('secret').notNull(),
  version: versionColumn(),
  ...timestamps(),
});

/** The outbox: one row per event, written in the transaction of the change that caused it. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: idColumn(),
    type: text('type').$type<WebhookEventType>().notNull(),
    occurredAt: timestamptz('occurred_at').notNull().default(sql`now()`),
    data: jsonb('data').notNull(),
  },
  (t) => [check('webhook_events_type_check', oneOf(t.type, webhookEventTypes))],
);

/** One event to one subscription; fanned out with the event, claimed by workers with SKIP LOCKED. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: idColumn(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().default(sql`now()`),
    /** While a worker sends it; past this instant another worker may take it over. */
    leaseUntil: timestamptz('lease_until'),
    lastResponseCode: integer('last_response_code'),
    lastError: text('last_error'),
    deliveredAt: timestamptz('delivered_at'),
    redeliveryOf: uuid('redelivery_of'),
    ...timestamps(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sending')`),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.id),
    // Deleting an event deletes its deliveries (cascade): found by index, not by a scan.
    index('webhook_deliveries_event_idx').on(t.eventId),
    check('webhook_deliveries_status_check', oneOf(t.status, deliveryStatuses)),
  ],
);

/** Every HTTP try of a delivery: the log behind GET …/deliveries. */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamptz('started_at').notNull(),
    finishedAt: timestamptz('finished_at').notNull().default(sql`now()`),
    responseCode: integer('response_code'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** The last warning light announced per project, plan list and year, so a tick emits only changes. */
export const webhookLightStates = pgTable(
  'webhook_light_states',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    list: text('list').notNull(),
    light: text('light').notNull(),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.year, t.list] })],
);
