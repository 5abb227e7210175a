import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import type { Db } from '../../db/types.js';
import { writeNextVersion } from '../../db/versioned.js';
import { supervisionLevel } from '../../domain/codes.js';
import { dateInChina } from '../../lib/china-time.js';
import { recordAudit } from '../audit/audit.public.js';
import { emitWebhookEvent } from '../webhooks/webhooks.public.js';
import { createEscalationRulesRepository } from './supervision.rules.repository.js';
import { supervisionOrders as orders, supervisionOrderSteps as steps } from './supervision.table.js';

const SYSTEM = { actor: 'system', actorRole: null, onBehalfOf: null } as const;

interface Due {
  id: string;
  overdue_days: number;
  reference: string;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Why an order went up a level, in both languages (stored on its escalation step and sent with its event). */
export function escalationReason({ fromLevel, replyDueDate, reference, overdueDays, today }: { fromLevel: number; replyDueDate: string; reference: string; overdueDays: number; today: string }): string {
  const toLevel = fromLevel + 1;
  const label = supervisionLevel.labels[String(toLevel) as '2' | '3'];
  const late = daysBetween(replyDueDate, today);
  return (
    `Reply overdue by ${late} days (due ${replyDueDate}); ${daysBetween(reference, today)} days since ${reference} reach the rule of level ${fromLevel} (${overdueDays} days): escalated to level ${toLevel} (${label.en}) / ` +
    `答复逾期${late}天（期限${replyDueDate}），自${reference}起已满${overdueDays}天，升级为${label.zh}`
  );
}

/**
 * Escalates every order whose fix plan is overdue by its level's rule: waiting for a reply (issued or
 * sent back), and `overdueDays` past its reply deadline, or past its last escalation when that is
 * later (each level gets its own days). One level per run; the clock of the next level starts on the
 * day of the escalation. Orders are claimed with FOR UPDATE SKIP LOCKED in the transaction that
 * escalates them, so instances running this at once share the orders and none is escalated twice:
 * a second instance skips a row the first holds, and once the first commits the row no longer
 * matches (its level and last escalation moved). The partial unique index on the steps
 * (order, level reached) refuses a duplicate even so. `now` is the clock (tests move it).
 */
export async function escalateOverdueOrders({ db, now = new Date(), batchSize = 50 }: { db: Db; now?: Date; batchSize?: number }): Promise<number> {
  const today = dateInChina(now);
  const requestId = `supervision-escalation-${today}`;
  await createEscalationRulesRepository({ db }).all({ requestId });
  let escalated = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const due = await rowsOf<Due>(
        tx,
        sql`select o.id, r.overdue_days,
              to_char(greatest(o.reply_due_date, coalesce(o.last_escalated_on, o.reply_due_date)), 'YYYY-MM-DD') as reference
            from supervision_orders o
            join supervision_escalation_rules r on r.from_level = o.level and r.enabled
            where o.status in ('issued', 'returned') and o.level < 3
              and greatest(o.reply_due_date, coalesce(o.last_escalated_on, o.reply_due_date)) + r.overdue_days <= ${today}::date
            order by o.reply_due_date, o.id
            limit ${batchSize}
            for update of o skip locked`,
      );
      for (const item of due) {
        const [before] = await tx.select().from(orders).where(eq(orders.id, item.id));
        const fromLevel = before!.level;
        const toLevel = fromLevel + 1;
        const reason = escalationReason({ fromLevel, replyDueDate: before!.replyDueDate, reference: item.reference, overdueDays: item.overdue_days, today });
        const after = await writeNextVersion(
          tx,
          orders,
          before!,
          { level: toLevel, escalationCount: before!.escalationCount + 1, lastEscalatedOn: today },
          { force: true },
        );
        const [step] = await tx
          .insert(steps)
          .values({
            orderId: item.id, kind: 'escalate', stepOn: today, fromStatus: before!.status, toStatus: before!.status, fromLevel, toLevel,
            note: reason, actor: SYSTEM.actor, onBehalfOf: null, orderVersion: after!.version,
          })
          .returning();
        await recordAudit(tx, { ...SYSTEM, requestId }, { action: 'transition', resourceType: 'supervision_order', resourceId: item.id, before, after });
        await emitWebhookEvent(tx, 'supervision.escalated', { orderId: item.id, fromLevel, toLevel, escalatedOn: today, reason, step, order: after });
      }
      return due.length;
    });
    escalated += n;
    if (n < batchSize) return escalated;
  }
}
