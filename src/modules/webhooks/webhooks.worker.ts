import type { FastifyBaseLogger } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import { rowsOf } from '../../db/rows.js';
import { isHostAllowed } from './webhooks.hosts.js';
import { signatureHeader } from './webhooks.signature.js';
import { clip } from '../../lib/problem.js';
import { WEBHOOK_ERROR_MAX } from './webhooks.schemas.js';
import { webhookDeliveries as deliveries, webhookDeliveryAttempts as attempts } from './webhooks.table.js';

interface Claimed {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  active: boolean;
  event_id: string;
  type: string;
  occurred_at: string;
  data: unknown;
}

interface Outcome {
  responseCode: number | null;
  error: string | null;
}

export type WorkerConfig = Pick<
  Config,
  | 'WEBHOOK_ALLOWED_HOSTS'
  | 'WEBHOOK_BATCH_SIZE'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_LEASE_MS'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_RETRY_CAP_MS'
  | 'WEBHOOK_MAX_ATTEMPTS'
>;

/** Exponential backoff with full jitter: a uniform delay in [0, min(cap, base · 2^(attempt-1))). */
export function retryDelayMs(attempt: number, config: Pick<Config, 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_CAP_MS'>, random = Math.random): number {
  const ceiling = Math.min(config.WEBHOOK_RETRY_CAP_MS, config.WEBHOOK_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Sends due deliveries. A batch is claimed in a short transaction with FOR UPDATE SKIP LOCKED and
 * leased (status 'sending', lease_until); the HTTP request runs outside any transaction, so no
 * connection is held while a receiver is slow. Instances running this share the work; a delivery
 * is sent again only if its worker died before recording the answer and the lease ran out.
 */
export function createDeliverySender({ db, config, logger }: { db: Db; config: WorkerConfig; logger?: FastifyBaseLogger }) {
  async function claim(): Promise<Claimed[]> {
    return db.transaction((tx) =>
      rowsOf<Claimed>(
        tx,
        sql`with due as (
            select d.id from webhook_deliveries d
            where (d.status = 'pending' and d.next_attempt_at <= now())
               or (d.status = 'sending' and d.lease_until < now())
            order by d.next_attempt_at, d.id
            limit ${config.WEBHOOK_BATCH_SIZE}
            for update skip locked
          ), claimed as (
            update webhook_deliveries d
            set status = 'sending', attempts = d.attempts + 1,
                lease_until = now() + make_interval(secs => ${config.WEBHOOK_LEASE_MS / 1000}), updated_at = now()
            from due where d.id = due.id
            returning d.id, d.attempts, d.subscription_id, d.event_id
          )
          select c.id, c.attempts, s.url, s.secret, s.active, e.id as event_id, e.type,
                 to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at, e.data
          from claimed c
          join webhook_subscriptions s on s.id = c.subscription_id
          join webhook_events e on e.id = c.event_id`,
      ),
    );
  }

  async function post(item: Claimed): Promise<Outcome> {
    if (!item.active) return { responseCode: null, error: 'subscription is inactive' };
    if (!isHostAllowed(item.url, config.WEBHOOK_ALLOWED_HOSTS)) return { responseCode: null, error: 'host not allowed by WEBHOOK_ALLOWED_HOSTS' };
    const body = JSON.stringify({ id: item.event_id, type: item.type, occurredAt: item.occurred_at, data: item.data });
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(item.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'kpo-webhooks/1',
          'kpo-signature': signatureHeader(item.secret, timestamp, body),
          'kpo-event-id': item.event_id,
          'kpo-event-type': item.type,
          'kpo-delivery-id': item.id,
        },
        body,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { responseCode: response.status, error: null };
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      return { responseCode: response.status, error: `HTTP ${response.status}${redirect}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const message = (error instanceof Error ? error.message : String(error)) + (cause ? ` (${cause})` : '');
      return { responseCode: null, error: clip(message, WEBHOOK_ERROR_MAX) };
    }
  }

  async function record(item: Claimed, startedAt: string, outcome: Outcome): Promise<void> {
    const done = outcome.error === null;
    const exhausted = !done && (item.attempts >= config.WEBHOOK_MAX_ATTEMPTS || outcome.error === 'subscription is inactive');
    const delayMs = done || exhausted ? 0 : retryDelayMs(item.attempts, config);
    await db.transaction(async (tx) => {
      // Only the lease holder records: a worker whose lease ran out and was overtaken writes nothing.
      const updated = await tx
        .update(deliveries)
        .set({
          status: done ? 'succeeded' : exhausted ? 'failed' : 'pending',
          leaseUntil: null,
          lastResponseCode: outcome.responseCode,
          lastError: outcome.error,
          deliveredAt: done ? sql`now()` : null,
          nextAttemptAt: sql`now() + make_interval(secs => ${delayMs / 1000})`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(deliveries.id, item.id), eq(deliveries.status, 'sending'), eq(deliveries.attempts, item.attempts)))
        .returning({ id: deliveries.id });
      if (updated.length === 0) return;
      await tx.insert(attempts).values({ deliveryId: item.id, attempt: item.attempts, startedAt, responseCode: outcome.responseCode, error: outcome.error });
    });
  }

  /** Claims one batch and sends it; returns how many deliveries were attempted. */
  async function runOnce(): Promise<number> {
    const batch = await claim();
    await Promise.all(
      batch.map(async (item) => {
        const startedAt = new Date().toISOString();
        const outcome = await post(item);
        if (outcome.error) logger?.warn({ deliveryId: item.id, attempt: item.attempts, error: outcome.error }, 'webhook delivery failed');
        await record(item, startedAt, outcome);
      }),
    );
    return batch.length;
  }

  return { runOnce };
}
