import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/types.js';
import { rowsOf } from '../../db/rows.js';

/** A record changed since an instant, as the history tables tell it (docs/history.md). */
export interface ChangedRecord {
  table: string;
  recordType: string;
  id: string;
  projectId: string | null;
  changedAt: string;
  changes: number;
}

/**
 * The versioned tables the figures read, with the record type the audit trail names them by and the
 * project each row belongs to. A revision is named by its report: a correction is a report's change.
 */
const SOURCES: { table: string; recordType: string; id: SQL; projectId: SQL; from?: SQL }[] = [
  { table: 'projects', recordType: 'project', id: sql`h.id::text`, projectId: sql`h.id` },
  { table: 'annual_plans', recordType: 'annual_plan', id: sql`h.id::text`, projectId: sql`h.project_id` },
  { table: 'project_status_changes', recordType: 'project', id: sql`h.project_id::text`, projectId: sql`h.project_id` },
  { table: 'progress_reports', recordType: 'progress_report', id: sql`h.id::text`, projectId: sql`h.project_id` },
  {
    table: 'progress_report_revisions',
    recordType: 'progress_report',
    id: sql`h.report_id::text`,
    projectId: sql`p.project_id`,
    from: sql`left join lateral (select r.project_id from history.progress_reports r where r.id = h.report_id order by r.sys_from desc limit 1) p on true`,
  },
  { table: 'leader_assignments', recordType: 'leader_assignment', id: sql`h.id::text`, projectId: sql`h.project_id` },
  { table: 'declared_figures', recordType: 'declared_figure', id: sql`h.id::text`, projectId: sql`null::uuid` },
  { table: 'project_issues', recordType: 'issue', id: sql`h.id::text`, projectId: sql`h.project_id` },
  { table: 'special_bonds', recordType: 'special_bond', id: sql`h.id::text`, projectId: sql`h.project_id` },
  { table: 'groundbreaking_batches', recordType: 'groundbreaking_batch', id: sql`h.id::text`, projectId: sql`null::uuid` },
  { table: 'warning_rules', recordType: 'warning_rule', id: sql`h.key::text`, projectId: sql`null::uuid` },
  { table: 'project_milestones', recordType: 'project_milestone', id: sql`h.id::text`, projectId: sql`h.project_id` },
];

/**
 * Every record of those tables with a version begun or ended after `since` and at or before `until`:
 * what was created, changed, corrected or deleted in between. One row per record and table.
 */
export async function changedSince(tx: Executor, { since, until }: { since: string; until: string }): Promise<ChangedRecord[]> {
  const parts = SOURCES.map(
    (s) => sql`
      select ${s.table}::text as "table", ${s.recordType}::text as "recordType", ${s.id} as id, ${s.projectId}::text as "projectId",
             to_char(max(greatest(case when h.sys_from > ${since}::timestamptz and h.sys_from <= ${until}::timestamptz then h.sys_from end,
                                  case when h.sys_to > ${since}::timestamptz and h.sys_to <= ${until}::timestamptz then h.sys_to end)) at time zone 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "changedAt",
             count(*)::int as changes
      from history.${sql.raw(s.table)} h ${s.from ?? sql``}
      where (h.sys_from > ${since}::timestamptz and h.sys_from <= ${until}::timestamptz)
         or (h.sys_to > ${since}::timestamptz and h.sys_to <= ${until}::timestamptz)
      group by 1, 2, 3, 4`,
  );
  return rowsOf<ChangedRecord>(tx, sql`${sql.join(parts, sql` union all `)} order by 5, 1, 3`);
}
