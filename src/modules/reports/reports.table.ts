import { boolean, check, date, index, integer, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, money, oneOf, timestamps, versionColumn, timestamptz } from '../../db/columns.js';
import { reportReviewStatus } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';
import { departments } from '../departments/departments.table.js';

/**
 * 进度报送: one report per project per half-month period ('2022-03-H2'). The figures live in
 * revisions; `currentRevision` points at the one in force. A correction adds a revision.
 */
export const progressReports = pgTable(
  'progress_reports',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    dueDate: date('due_date').notNull(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
    /** When the first revision reached the office; lateness is judged on it, not on corrections. */
    submittedAt: timestamptz('submitted_at').notNull(),
    late: boolean('late').notNull(),
    currentRevision: integer('current_revision').notNull().default(1),
    /** The office's review (填报 → 审核 → 退回): submitted when posted and after every correction. */
    reviewStatus: text('review_status').$type<(typeof reportReviewStatus.values)[number]>().notNull().default('submitted'),
    reviewedAt: timestamptz('reviewed_at'),
    /** The API key that made the last review decision. */
    reviewedBy: text('reviewed_by'),
    /** Why the office returned it (kept after the correction, for the record). */
    returnReason: text('return_reason'),
    /** When a returned report was corrected and so submitted again; lateness of a resubmission is judged on it. */
    resubmittedAt: timestamptz('resubmitted_at'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('progress_reports_project_period_key').on(t.projectId, t.period),
    index('progress_reports_period_idx').on(t.periodEnd, t.projectId),
    index('progress_reports_late_idx').on(t.late, t.periodEnd),
    index('progress_reports_department_idx').on(t.departmentId, t.periodEnd),
    check('progress_reports_period_check', sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])-H[12]$'`),
    check('progress_reports_period_dates_check', sql`${t.periodEnd} >= ${t.periodStart}`),
    check('progress_reports_review_status_check', oneOf(t.reviewStatus, reportReviewStatus.values)),
    // The review queue: a department's reports awaiting review, oldest first.
    index('progress_reports_review_idx').on(t.reviewStatus, t.submittedAt, t.id),
  ],
);

export const progressReportRevisions = pgTable(
  'progress_report_revisions',
  {
    reportId: uuid('report_id')
      .notNull()
      .references(() => progressReports.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    investmentCompleted: money('investment_completed').notNull(),
    physicalProgress: numeric('physical_progress', { precision: 5, scale: 2 }),
    workOngoing: boolean('work_ongoing').notNull(),
    narrative: text('narrative'),
    correctionReason: text('correction_reason'),
    actor: text('actor').notNull(),
    recordedAt: timestamptz('recorded_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.reportId, t.revision] }),
    check('progress_report_revisions_investment_check', sql`${t.investmentCompleted} >= 0`),
    check(
      'progress_report_revisions_progress_check',
      sql`${t.physicalProgress} is null or (${t.physicalProgress} >= 0 and ${t.physicalProgress} <= 100)`,
    ),
  ],
);
