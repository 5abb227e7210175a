import { and, eq, sql } from 'drizzle-orm';
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
  if (change.resourceType === 'issue' && created && after) {
    return [{ type: 'issue.opened', data: { issueId: change.resourceId, issue: after } }];
  }
  if (change.resourceType === 'issue' && before && after && before.status !== 'resolved' && after.status === 'resolved') {
    return [{ type: 'issue.resolved', data: { issueId: change.resourceId, issue: after } }];
  }
  return [];
}

/**
 * Writes an event to the outbox with one delivery per active subscription that wants it, in the
 * caller's transaction: the event exists exactly when the change commits. Without a subscriber
 * nothing is written.
 */
export async function emitWebhookEvent(tx: Executor, type: WebhookEventType, data: Row): Promise<void> {
  const subscribers = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.active, true), sql`${type} = any(${webhookSubscriptions.eventTypes})`));
  if (subscribers.length === 0) return;
  const [event] = await tx.insert(webhookEvents).values({ type, data }).returning({ id: webhookEvents.id });
  await tx
    .insert(webhookDeliveries)
    .values(subscribers.map((s) => ({ id: uuidv7(), subscriptionId: s.id, eventId: event!.id })));
}

/** Called by recordAudit for every audited change, in its transaction. */
export async function recordWebhookEvents(tx: Executor, change: AuditedChange): Promise<void> {
  for (const event of eventsOfChange(change)) await emitWebhookEvent(tx, event.type, event.data);
}
