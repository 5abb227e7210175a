/** The supervision module's face: the escalation run (its worker plugin, the demo) and the tables the assessment reads. */
export { escalateOverdueOrders, escalationReason } from './supervision.escalation.js';
export { supervisionOrders, supervisionOrderSteps, supervisionEscalationRules } from './supervision.table.js';
