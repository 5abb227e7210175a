import { asc } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import type { RequestContext } from '../../lib/request-context.js';
import { recordAudit, updateAudited } from '../audit/audit.public.js';
import { assessmentRuleKeys, ruleDefinitions } from './assessment.rules.js';
import type { UpdateAssessmentRule } from './assessment.schemas.js';
import { assessmentRules as rules, type AssessmentRuleKey } from './assessment.table.js';

const RESOURCE = 'assessment_rule';
type RuleRow = typeof rules.$inferSelect;

const order = (key: string) => assessmentRuleKeys.indexOf(key as AssessmentRuleKey);

export function present(row: RuleRow) {
  const definition = ruleDefinitions[row.key];
  return { ...row, kind: definition.kind, counts: definition.counts };
}

/** The rules, seeded from their defaults on first read (audited as "system"), as the warning rules are. */
export function createAssessmentRulesRepository({ db }: { db: Db }) {
  async function seedMissing(tx: Executor, requestId: string) {
    const inserted = await tx
      .insert(rules)
      .values(assessmentRuleKeys.map((key) => ({ key, enabled: true, points: ruleDefinitions[key].defaultPoints })))
      .onConflictDoNothing({ target: rules.key })
      .returning();
    for (const row of inserted) await recordAudit(tx, { actor: 'system', requestId }, { action: 'create', resourceType: RESOURCE, resourceId: row.id, after: row });
  }

  /**
   * Every rule in evaluation order. With `knownAt` (under readKnownAt, nothing written): the rules as
   * they stood then, a rule not yet stored then at its default (which a request then would have seeded).
   */
  async function all({ requestId, knownAt }: { requestId: string; knownAt?: string | undefined }): Promise<RuleRow[]> {
    let rows = await db.select().from(rules).orderBy(asc(rules.key));
    if (knownAt) {
      const stored = new Map(rows.map((r) => [r.key, r]));
      const epoch = '1970-01-01T00:00:00.000Z';
      return assessmentRuleKeys.map(
        (key) => stored.get(key) ?? { id: key, key, enabled: true, points: Number(ruleDefinitions[key].defaultPoints).toFixed(2), version: 0, createdAt: epoch, updatedAt: epoch },
      );
    }
    if (rows.length < assessmentRuleKeys.length) {
      await db.transaction((tx) => seedMissing(tx, requestId));
      rows = await db.select().from(rules);
    }
    return rows.sort((a, b) => order(a.key) - order(b.key));
  }

  async function list({ requestId }: { requestId: string }) {
    return { items: (await all({ requestId })).map(present) };
  }

  async function get({ key, requestId }: { key: AssessmentRuleKey; requestId: string }) {
    return present((await all({ requestId })).find((r) => r.key === key)!);
  }

  async function update({ key, expectedVersion, patch, context }: { key: AssessmentRuleKey; expectedVersion: ExpectedVersion; patch: UpdateAssessmentRule; context: RequestContext }) {
    await all({ requestId: context.requestId });
    const row = await db.transaction(async (tx) => {
      const current = await lockAtVersion(tx, rules, { id: key, column: rules.key, expectedVersion, label: RESOURCE });
      return updateAudited(tx, rules, { id: current.id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
    return present(row);
  }

  return { all, list, get, update };
}
