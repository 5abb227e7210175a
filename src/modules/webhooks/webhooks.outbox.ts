import { sql, type Placeholder } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import type { Executor } from '../../db/types.js';
import { uuidv7 } from '../../lib/ids.js';
import type { WebhookEventType } from './webhooks.events.js';
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from './webhooks.table.js';

/** What recordAudit knows about a change; the events are derived from it. */
interface AuditedChange {
  action: string;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

type Row = Record<string, unknown>;

const asRow = (value: unknown): Row | undefined => (value && typeof value === 'object' ? (value as Row) : undefined);

/** The webhook events a change means; most changes mean none. */
export function eventsOfChange(change: AuditedChange): { type: WebhookEventType; data: Row }[] {
  const before = asRow(change.before);
  const after = asRow(change.after);
  const created = change.action === 'create' || change.action === 'import';
  if (change.resourceType === 'project' && before && after && before.status !== after.status) {
    return [{ type: 'project.status_changed', data: { projectId: change.resourceId, fromStatus: before.status, toStatus: after.status, project: after } }];
  }
  if (change.resourceType === 'progress_report' && created && after) {
    const data = { reportId: change.resourceId, report: after };
    return after.late === true
      ? [{ type: 'report.submitted', data }, { type: 'report.late', data }]
      : [{ type: 'report.submitted', data }];
  }
  if (change.resourceType === 'progress_report' && before && after && before.reviewStatus !== after.reviewStatus) {
    const data = { reportId: change.resourceId, report: after };
    if (after.reviewStatus === 'approved') return [{ type: 'report.approved', data }];
    if (after.reviewStatus === 'returned') return [{ type: 'report.returned', data: { ...data, reason: after.returnReason } }];
    // A returned report corrected: it is submitted again.
    if (before.reviewStatus === 'returned') return [{ type: 'report.submitted', data }];
  }
  if (change.resourceType === 'issue' && created && after) {
    return [{ type: 'issue.opened', data: { issueId: change.resourceId, issue: after } }];
  }
  if (change.resourceType === 'issue' && before && after && before.status !== 'resolved' && after.status === 'resolved') {
    return [{ type: 'issue.resolved', data: { issueId: change.resourceId, issue: after } }];
  }
  return [];
}

/** An active subscription and the event types it wants. */
export interface Subscriber {
  id: string;
  eventTypes: string[];
}

/** A PostgreSQL text[] literal of event types (none of them holds a comma, quote or brace). */
export function textArray(types: readonly WebhookEventType[]): string {
  return `{${types.join(',')}}`;
}

/**
 * The active subscriptions that want any of `types`, as one JSON value: a scalar subquery that
 * recordAudit puts in its insert's RETURNING, so an audited change learns its subscribers in the
 * round trip that records it. `types` may be a placeholder of a prepared statement, bound to
 * textArray(types).
 */
export function subscribersOf(types: WebhookEventType[] | Placeholder) {
  const wanted = Array.isArray(types) ? textArray(types) : types;
  return sql<Subscriber[]>`(select coalesce(json_agg(json_build_object('id', s.id, 'eventTypes', s.event_types)), '[]'::json)
    from ${webhookSubscriptions} s where s.active and s.event_types && ${wanted}::text[])`;
}

/**
 * Writes an event to the outbox with one delivery per subscriber that wants it, in the caller's
 * transaction: the event exists exactly when the change commits. Without a subscriber nothing is
 * written. `subscribers`: already known (recordAudit), else read here.
 */
export async function emitWebhookEvent(tx: Executor, type: WebhookEventType, data: Row, subscribers?: Subscriber[]): Promise<void> {
  const known = subscribers ?? (await rowsOf<{ subscribers: Subscriber[] }>(tx, sql`select ${subscribersOf([type])} as subscribers`))[0]!.subscribers;
  const wanting = known.filter((s) => s.eventTypes.includes(type));
  if (wanting.length === 0) return;
  const [event] = await tx.insert(webhookEvents).values({ type, data }).returning({ id: webhookEvents.id });
  await tx
    .insert(webhookDeliveries)
    .values(wanting.map((s) => ({ id: uuidv7(), subscriptionId: s.id, eventId: event!.id })));
}
