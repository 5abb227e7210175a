import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { planList } from '../../domain/codes.js';
import { rowsOf } from '../../db/rows.js';
import { dateInChina } from '../../lib/china-time.js';
import { evaluatedCte, type RuleSetting } from '../warnings/warnings.public.js';
import { createWarningRulesRepository } from '../warnings/warnings.public.js';
import type { WarningRuleKey } from '../warnings/warnings.public.js';
import { emitWebhookEvent } from './webhooks.outbox.js';
import { webhookLightStates as states } from './webhooks.table.js';

// Any fixed 64-bit number: one instance evaluates at a time, the others skip the tick.
const LIGHTS_LOCK_KEY = 7_305_221_009;

/**
 * Lights are computed on read, so a change of light has no write to hook: this evaluation compares
 * today's light of every project on every plan list of the current year with the last one announced
 * and emits warning.light_changed for each difference, recording the new light in the same
 * transaction. The first evaluation of a (year, list) records the lights without announcing them.
 */
export async function evaluateLightChanges({ db, now = new Date() }: { db: Db; now?: Date }): Promise<number> {
  const asOf = dateInChina(now);
  const year = Number(asOf.slice(0, 4));
  const ruleRows = await createWarningRulesRepository({ db }).all({ requestId: 'webhook-light-evaluation' });
  const rules = Object.fromEntries(
    ruleRows.map((r) => [r.key, { enabled: r.enabled, yellow: r.yellowThreshold, red: r.redThreshold }]),
  ) as Record<WarningRuleKey, RuleSetting>;
  return db.transaction(async (tx) => {
    const [lock] = await rowsOf<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${LIGHTS_LOCK_KEY}) as locked`);
    if (!lock?.locked) return 0;
    let emitted = 0;
    for (const list of planList.values) {
      const current = await rowsOf<{ project_id: string; light: string }>(
        tx,
        sql`${evaluatedCte({ year, list, asOf, rules })} select e.project_id::text as project_id, e.light from evaluated e`,
      );
      const known = await tx.select().from(states).where(and(eq(states.year, year), eq(states.list, list)));
      const previous = new Map(known.map((s) => [s.projectId, s.light]));
      const baseline = known.length === 0;
      for (const row of current) {
        const before = previous.get(row.project_id);
        if (before === row.light) continue;
        if (!baseline && !(before === undefined && row.light === 'green')) {
          await emitWebhookEvent(tx, 'warning.light_changed', { projectId: row.project_id, year, list, asOf, previousLight: before ?? null, light: row.light });
          emitted++;
        }
        await tx
          .insert(states)
          .values({ projectId: row.project_id, year, list, light: row.light })
          .onConflictDoUpdate({ target: [states.projectId, states.year, states.list], set: { light: row.light, updatedAt: sql`now()` } });
      }
    }
    return emitted;
  });
}
