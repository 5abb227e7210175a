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
  days_overdue: number;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

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
              to_char(greatest(o.reply_due_date, coalesce(o.last_escalated_on, o.reply_due_date)), 'YYYY-MM-DD') as reference,
              (${today}::date - o.reply_due_date) as days_overdue
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
        const label = supervisionLevel.labels[String(toLevel) as '2' | '3'];
        const since = daysBetween(item.reference, today);
        const reason =
          `Reply overdue by ${Number(item.days_overdue)} days (due ${before!.replyDueDate}); ${since} days since ${item.reference} reach the rule of level ${fromLevel} (${item.overdue_days} days): escalated to level ${toLevel} (${label.en}) / ` +
          `答复逾期${Number(item.days_overdue)}天（期限${before!.replyDueDate}），自${item.reference}起已满${item.overdue_days}天，升级为${label.zh}`;
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
