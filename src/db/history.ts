import { sql, type SQL } from 'drizzle-orm';

/**
 * The system-versioned tables (migration 0013): every version of every row is kept in history.<table>
 * with the transaction-time range [sys_from, sys_to) in which it was current, by database triggers,
 * whoever writes. A table a figure reads must be one of these: a migration that adds such a table
 * calls `select history.enable('<table>', '<since>')`, and the name goes here.
 */
export const VERSIONED_TABLES = [
  'departments',
  'leaders',
  'projects',
  'project_supporting_departments',
  'project_status_changes',
  'groundbreaking_batches',
  'annual_plans',
  'leader_assignments',
  'progress_reports',
  'progress_report_revisions',
  'project_investment_rollups',
  'declared_figures',
  'inspections',
  'inspection_projects',
  'inspection_leaders',
  'inspection_departments',
  'project_issues',
  'special_bonds',
  'warning_rules',
  'project_comments',
] as const;

export type VersionedTableName = (typeof VERSIONED_TABLES)[number];

/** The columns history adds to a table's own: when a version was current and which transactions began and ended it. */
export const SYSTEM_COLUMNS = ['sys_from', 'sys_to', 'sys_txid', 'sys_ended_txid', 'sys_ended_by'] as const;

/**
 * The rows of `table` as they were known at `knownAt` (SQL:2011 `FOR SYSTEM_TIME AS OF`): the table
 * itself when knownAt is undefined, else the versions current at that moment. It goes where the
 * table's name would, `from ${knownAtRows('projects', knownAt)} p`, and has the table's columns (plus
 * the sys_ ones), so one query serves both.
 */
export function knownAtRows(table: VersionedTableName, knownAt: string | undefined): SQL {
  const name = sql.identifier(table);
  if (knownAt === undefined) return sql`${name}`;
  return sql`(select * from history.${name} where sys_from <= ${knownAt}::timestamptz and sys_to > ${knownAt}::timestamptz)`;
}

/** Every versioned table as known at `knownAt`, for queries that read several: `${t.projects} p join ${t.annual_plans} ap …`. */
export function knownAtTables(knownAt: string | undefined): Record<VersionedTableName, SQL> {
  return Object.fromEntries(VERSIONED_TABLES.map((t) => [t, knownAtRows(t, knownAt)])) as Record<VersionedTableName, SQL>;
}
