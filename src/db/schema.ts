// Every table, for drizzle-kit and for code that needs the whole schema.
export * from '../modules/departments/departments.table.js';
export * from '../modules/leaders/leaders.table.js';
export * from '../modules/projects/projects.table.js';
export * from '../modules/batches/batches.table.js';
export * from '../modules/plans/plans.table.js';
export * from '../modules/leader-assignments/leader-assignments.table.js';
export * from '../modules/reports/reports.table.js';
export * from '../modules/inspections/inspections.table.js';
export * from '../modules/issues/issues.table.js';
export * from '../modules/special-bonds/special-bonds.table.js';
export * from '../modules/audit/audit.table.js';
export * from '../modules/warnings/warnings.table.js';
export * from '../plugins/idempotency.table.js';
export * from '../modules/webhooks/webhooks.table.js';
