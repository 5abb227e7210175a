import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/types.js';
import { progressReportRevisions as revisions, progressReports as reports } from './reports.table.js';

const other = alias(reports, 'other_report');
const otherRevision = alias(revisions, 'other_revision');
// Inside a raw sql template an alias renders as its bare name, so the FROM clause names the tables.
const otherFrom = sql`${reports} ${sql.identifier('other_report')}`;
const otherRevisionFrom = sql`${revisions} ${sql.identifier('other_revision')}`;

/**
 * Sum of the current investmentCompleted of the same project's reports whose period ends by this
 * report's period end; `sameYear` limits it to this report's calendar year. Summed as numeric in
 * SQL and returned as text so that no driver turns it into a float.
 */
function investmentUpToThisPeriod({ sameYear }: { sameYear: boolean }) {
  return sql<string>`(
    select sum(${otherRevision.investmentCompleted})::text
    from ${otherFrom}
    join ${otherRevisionFrom} on ${otherRevision.reportId} = ${other.id} and ${otherRevision.revision} = ${other.currentRevision}
    where ${other.projectId} = ${reports.projectId}
      and ${other.periodEnd} <= ${reports.periodEnd}
      ${sameYear ? sql`and ${other.periodStart} >= make_date(extract(year from ${reports.periodStart})::int, 1, 1)` : sql``}
  )`;
}

/** A report as the API shows it: its row, the figures of its current revision and the derived totals. */
export const reportView = {
  id: reports.id,
  projectId: reports.projectId,
  period: reports.period,
  periodStart: reports.periodStart,
  periodEnd: reports.periodEnd,
  dueDate: reports.dueDate,
  departmentId: reports.departmentId,
  submittedAt: reports.submittedAt,
  late: reports.late,
  currentRevision: reports.currentRevision,
  reviewStatus: reports.reviewStatus,
  reviewedAt: reports.reviewedAt,
  reviewedBy: reports.reviewedBy,
  returnReason: reports.returnReason,
  resubmittedAt: reports.resubmittedAt,
  investmentCompleted: revisions.investmentCompleted,
  physicalProgress: revisions.physicalProgress,
  workOngoing: revisions.workOngoing,
  narrative: revisions.narrative,
  correctionReason: revisions.correctionReason,
  revisedAt: revisions.recordedAt,
  yearToDateInvestment: investmentUpToThisPeriod({ sameYear: true }),
  cumulativeInvestment: investmentUpToThisPeriod({ sameYear: false }),
  version: reports.version,
  createdAt: reports.createdAt,
  updatedAt: reports.updatedAt,
};

export function selectReportViews(executor: Executor) {
  return executor
    .select(reportView)
    .from(reports)
    .innerJoin(revisions, and(eq(revisions.reportId, reports.id), eq(revisions.revision, reports.currentRevision)));
}

/** A report as selectReportViews returns it. */
export type ReportView = Awaited<ReturnType<typeof selectReportViews>>[number];
