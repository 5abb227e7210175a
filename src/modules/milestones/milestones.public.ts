/** The milestones module's face: the table other modules' SQL reads (warnings, metrics, OC4IDS) and how a status is derived. */
export { statusSql, statusOn, DUE_WITHIN_DAYS } from './milestones.status.js';
export { projectMilestones } from './milestones.table.js';
