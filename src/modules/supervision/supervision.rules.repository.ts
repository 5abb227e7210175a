import { asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import type { RequestContext } from '../../lib/request-context.js';
import { recordAudit, updateAudited } from '../audit/audit.public.js';
import type { UpdateEscalationRule } from './supervision.schemas.js';
import { supervisionEscalationRules as rules } from './supervision.table.js';

const RESOURCE = 'supervision_escalation_rule';

/** The defaults: three days overdue at the office's level, three more at the leader's. */
export const ESCALATION_DEFAULTS = [
  { fromLevel: 1, enabled: true, overdueDays: 3 },
  { fromLevel: 2, enabled: true, overdueDays: 3 },
] as const;

type RuleRow = typeof rules.$inferSelect;

const present = (row: RuleRow) => ({ ...row, toLevel: row.fromLevel + 1 });

/**
 * The escalation rules, seeded from their defaults by code on first read (as the warning rules are),
 * so a fresh or emptied database always has them; the seeding is audited under the actor "system".
 */
export function createEscalationRulesRepository({ db }: { db: Db }) {
  async function seedMissing(tx: Executor, requestId: string) {
    const inserted = await tx.insert(rules).values([...ESCALATION_DEFAULTS]).onConflictDoNothing({ target: rules.fromLevel }).returning();
    for (const row of inserted) {
      await recordAudit(tx, { actor: 'system', requestId }, { action: 'create', resourceType: RESOURCE, resourceId: row.id, after: row });
    }
  }

  async function all({ requestId }: { requestId: string }): Promise<RuleRow[]> {
    let rows = await db.select().from(rules).orderBy(asc(rules.fromLevel));
    if (rows.length < ESCALATION_DEFAULTS.length) {
      await db.transaction((tx) => seedMissing(tx, requestId));
      rows = await db.select().from(rules).orderBy(asc(rules.fromLevel));
    }
    return rows;
  }

  async function list({ requestId }: { requestId: string }) {
    return { items: (await all({ requestId })).map(present) };
  }

  async function get({ fromLevel, requestId }: { fromLevel: number; requestId: string }) {
    const row = (await all({ requestId })).find((r) => r.fromLevel === fromLevel)!;
    return present(row);
  }

  async function update({ fromLevel, expectedVersion, patch, context }: { fromLevel: number; expectedVersion: ExpectedVersion; patch: UpdateEscalationRule; context: RequestContext }) {
    await all({ requestId: context.requestId });
    const row = await db.transaction(async (tx) => {
      const [current] = await tx.select({ id: rules.id }).from(rules).where(eq(rules.fromLevel, fromLevel));
      await lockAtVersion(tx, rules, { id: current!.id, expectedVersion, label: RESOURCE });
      return updateAudited(tx, rules, { id: current!.id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
    return present(row);
  }

  return { all, list, get, update };
}
