/** The warnings module's face: the evaluation of the lights under the rules as stored (the webhook light announcer uses it). */
export { evaluatedCte, type RuleSetting } from './warnings.queries.js';
import type { Db } from '../../db/types.js';
import { knownAtReader } from '../../db/history.js';
import { createWarningsRepository } from './warnings.repository.js';
import { createWarningRulesRepository } from './warnings.rules.repository.js';
import type { RollupQuery } from './warnings.schemas.js';

export { createWarningRulesRepository, type WarningRuleRow } from './warnings.rules.repository.js';
export type { WarningRuleKey } from './warnings.rules.js';

/**
 * The warning rollup as a value, the answer GET /v1/warnings/rollup gives for the same query: the
 * lights and the rules they are judged under, read together, as they are or as both were known then.
 */
export function createWarningRollup({ db }: { db: Db }) {
  const judge = knownAtReader(db, (d) => ({ rules: createWarningRulesRepository({ db: d }), warnings: createWarningsRepository({ db: d }) }));
  return ({ query, requestId }: { query: RollupQuery; requestId: string }) =>
    judge(query.knownAt, async (r) => r.warnings.rollup({ query, rules: await r.rules.all({ requestId, knownAt: query.knownAt }) }));
}
