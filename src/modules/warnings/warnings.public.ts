/** The warnings module's face: the evaluation of the lights under the rules as stored (the webhook light announcer uses it). */
export { evaluatedCte, type RuleSetting } from './warnings.queries.js';
export { createWarningRulesRepository, type WarningRuleRow } from './warnings.rules.repository.js';
export type { WarningRuleKey } from './warnings.rules.js';
