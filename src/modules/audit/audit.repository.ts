import type { Executor } from '../../db/types.js';
import { auditEvents } from './audit.table.js';

export interface RequestContext {
  actor: string;
  requestId: string;
}

export interface AuditInput {
  action: 'create' | 'update' | 'delete' | 'archive' | 'transition' | 'import';
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit event; call it with the transaction that makes the change. */
export async function recordAudit(tx: Executor, context: RequestContext, event: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actor: context.actor,
    requestId: context.requestId,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    before: event.before ?? null,
    after: event.after ?? null,
  });
}
