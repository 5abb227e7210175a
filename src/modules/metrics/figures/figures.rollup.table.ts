import { check, index, integer, numeric, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { oneOf } from '../../../db/columns.js';
import { figureBasis } from '../../../domain/codes.js';
import { projects } from '../../projects/projects.table.js';

/**
 * Investment completed per project and year, as running totals by half-month period: what the
 * summary reads instead of the report revisions (one row per project instead of 24 reports and
 * their revisions). `cumulative[i]` (1-based, i = 1 for January H1 … 24 for December H2) is the
 * exact sum of the in-force revisions' `investment_completed` of the project's reports of the year
 * whose period is one of the first i; `first_period` is the first period with a report, so a
 * project "has reported by period k" when `first_period <= k`. A row exists only while the project
 * has a report in the year.
 *
 * Kept by database triggers (migration 0007) in the transaction of every write to
 * progress_reports / progress_report_revisions, whoever writes (the API, the demo writer, an
 * admin's SQL), so it cannot drift from the reports. Versioned like the reports (migration 0013), so
 * `knownAt` reads its rows as they were then.
 */
export const investmentRollups = pgTable(
  'project_investment_rollups',
  {
    year: integer('year').notNull(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /**
     * Which reports the row sums (figureBasis): 'submitted' every report not returned by the office,
     * 'approved' only the approved ones. A project-year has a row per basis that has a report.
     */
    basis: text('basis').notNull().default('submitted'),
    cumulative: numeric('cumulative').array().notNull(),
    firstPeriod: smallint('first_period').notNull(),
  },
  // project_id alone: a deleted project's rows (cascade) are found without a scan.
  (t) => [
    primaryKey({ columns: [t.year, t.basis, t.projectId] }),
    index('project_investment_rollups_project_idx').on(t.projectId),
    check('project_investment_rollups_basis_check', oneOf(t.basis, figureBasis.values)),
  ],
);
