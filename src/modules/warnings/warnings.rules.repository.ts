import { asc } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { updateAudited } from '../audit/audit.public.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.public.js';
import type { RequestContext } from '../../lib/request-context.js';
import { invalidThresholds } from './warnings.errors.js';
import { ruleDefinitions, warningRuleKeys, type WarningRuleKey } from './warnings.rules.js';
import { warningRules } from './warnings.table.js';
import type { UpdateWarningRule } from './warnings.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const RESOURCE = 'warning_rule';
const SYSTEM: Omit<RequestContext, 'requestId'> = { actor: 'system' };

type RuleRow = typeof warningRules.$inferSelect;

const order = (key: string) => warningRuleKeys.indexOf(key as WarningRuleKey);

function present(row: RuleRow) {
  return { ...row, unit: ruleDefinitions[row.key].unit };
}

/** Exact comparison of two decimal strings through PostgreSQL would cost a round trip; these have ≤ 4 places. */
function scaled(value: string): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole!) * 10000n + BigInt(fraction.padEnd(4, '0'));
}

function checkThresholds(key: WarningRuleKey, yellow: string, red: string | null) {
  const definition = ruleDefinitions[key];
  for (const [name, value] of [['yellowThreshold', yellow], ['redThreshold', red]] as const) {
    if (value === null) continue;
    if (definition.wholeNumbers && scaled(value) % 10000n !== 0n) {
      throw invalidThresholds(`${name} of ${key} counts ${definition.unit}: a whole number is needed, got ${value}`);
    }
    if (scaled(value) > BigInt(definition.maxThreshold) * 10000n) {
      throw invalidThresholds(`${name} of ${key} must be at most ${definition.maxThreshold}, got ${value}`);
    }
  }
  if (key === 'missing_reports' && scaled(yellow) < 10000n) {
    throw invalidThresholds('yellowThreshold of missing_reports must be at least 1 period');
  }
  if (red !== null && scaled(yellow) >= scaled(red)) {
    throw invalidThresholds(`yellowThreshold (${yellow}) must be below redThreshold (${red})`);
  }
}

/**
 * The rules are seeded from their defaults by code on first read (not by the migration), so a
 * fresh or emptied database always has them; the seeding is audited under the actor "system".
 */
export function createWarningRulesRepository({ db }: { db: Db }) {
  async function seedMissing(tx: Executor, requestId: string) {
    const inserted = await tx
      .insert(warningRules)
      .values(warningRuleKeys.map((key) => ({ key, enabled: true, ...ruleDefinitions[key].defaults })))
      .onConflictDoNothing({ target: warningRules.key })
      .returning();
    for (const row of inserted) {
      await recordAudit(tx, { ...SYSTEM, requestId }, { action: 'create', resourceType: RESOURCE, resourceId: row.id, after: row });
    }
  }

  /**
   * Every rule in evaluation order, seeding the defaults first when any is missing. With `knownAt`,
   * the rules as they stood then; a rule not yet stored then was its default, which a request at that
   * moment would have seeded.
   */
  async function all({ requestId, knownAt }: { requestId: string; knownAt?: string | undefined }): Promise<RuleRow[]> {
    // Under readKnownAt: the table is its versions of then, and nothing is written.
    if (knownAt) return withDefaults(await db.select().from(warningRules));
    let rows = await db.select().from(warningRules).orderBy(asc(warningRules.key));
    if (rows.length < warningRuleKeys.length) {
      await db.transaction((tx) => seedMissing(tx, requestId));
      rows = await db.select().from(warningRules).orderBy(asc(warningRules.key));
    }
    return rows.sort((a, b) => order(a.key) - order(b.key));
  }

  function withDefaults(rows: RuleRow[]): RuleRow[] {
    const stored = new Map(rows.map((row) => [row.key, row]));
    const epoch = '1970-01-01T00:00:00.000Z';
    // As seeding would store them: numeric(12, 4) reads back with four decimals.
    const stored4 = (value: string | null) => (value === null ? null : (Number(scaled(value)) / 10000).toFixed(4));
    return warningRuleKeys.map((key) => {
      const defaults = ruleDefinitions[key].defaults;
      const seeded = { ...defaults, yellowThreshold: stored4(defaults.yellowThreshold)!, redThreshold: stored4(defaults.redThreshold) };
      return stored.get(key) ?? { id: key, key, enabled: true, ...seeded, schedule: 'elapsed_time' as const, version: 0, createdAt: epoch, updatedAt: epoch };
    });
  }

  async function list({ requestId }: { requestId: string }) {
    return { items: (await all({ requestId })).map(present) };
  }

  async function getByKey({ key, requestId }: { key: WarningRuleKey; requestId: string }) {
    const row = (await all({ requestId })).find((r) => r.key === key);
    if (!row) throw notFound(RESOURCE, key);
    return present(row);
  }

  async function update({ key, expectedVersion, patch, context }: { key: WarningRuleKey; expectedVersion: ExpectedVersion; patch: UpdateWarningRule; context: RequestContext }) {
    await all({ requestId: context.requestId });
    const row = await db.transaction(async (tx) => {
      // A stale ETag is reported before the thresholds: the caller's view of the rule is out of date.
      const current = await lockAtVersion(tx, warningRules, { id: key, column: warningRules.key, expectedVersion, label: RESOURCE });
      const yellow = patch.yellowThreshold ?? current.yellowThreshold;
      const red = patch.redThreshold === undefined ? current.redThreshold : patch.redThreshold;
      checkThresholds(key, yellow, red);
      if (patch.schedule !== undefined && patch.schedule !== current.schedule && key !== 'behind_schedule') throw invalidThresholds(`schedule applies to behind_schedule only, not to ${key}`);
      return updateAudited(tx, warningRules, { id: current.id, expectedVersion, patch, resourceType: RESOURCE, context });
    });
    return present(row);
  }

  return { all, list, getByKey, update };
}

export type WarningRuleRow = RuleRow;
