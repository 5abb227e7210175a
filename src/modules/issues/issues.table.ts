import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { issueCategory, issueHandlingMode, issueSource, issueStatus } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';
import { departments } from '../departments/departments.table.js';
import { inspections } from '../inspections/inspections.table.js';
import { progressReports } from '../reports/reports.table.js';

/** 问题/堵点难题: a problem a project needs solved, taken by the 三办 office. */
export const projectIssues = pgTable(
  'project_issues',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    category: text('category').$type<(typeof issueCategory.values)[number]>().notNull().default('other'),
    source: text('source').$type<(typeof issueSource.values)[number]>().notNull(),
    inspectionId: uuid('inspection_id').references(() => inspections.id, { onDelete: 'set null' }),
    reportId: uuid('report_id').references(() => progressReports.id, { onDelete: 'set null' }),
    raisedBy: text('raised_by'),
    raisedOn: date('raised_on').notNull(),
    handlingMode: text('handling_mode').$type<(typeof issueHandlingMode.values)[number]>().notNull(),
    assignedDepartmentId: uuid('assigned_department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
    assigneeName: text('assignee_name'),
    dueDate: date('due_date'),
    status: text('status').$type<(typeof issueStatus.values)[number]>().notNull().default('open'),
    resolution: text('resolution'),
    resolvedOn: date('resolved_on'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('project_issues_project_idx').on(t.projectId),
    index('project_issues_department_idx').on(t.assignedDepartmentId),
    index('project_issues_status_idx').on(t.status, t.dueDate),
    index('project_issues_inspection_idx').on(t.inspectionId),
    // Deleting a report sets its issues' report_id to null: without this, a scan of every issue per report.
    index('project_issues_report_idx').on(t.reportId).where(sql`${t.reportId} is not null`),
    check('project_issues_category_check', oneOf(t.category, issueCategory.values)),
    check('project_issues_source_check', oneOf(t.source, issueSource.values)),
    check('project_issues_mode_check', oneOf(t.handlingMode, issueHandlingMode.values)),
    check('project_issues_status_check', oneOf(t.status, issueStatus.values)),
    check(
      'project_issues_resolution_check',
      sql`${t.status} <> 'resolved' or (${t.resolution} is not null and ${t.resolvedOn} is not null)`,
    ),
    check('project_issues_resolved_on_check', sql`${t.resolvedOn} is null or ${t.resolvedOn} >= ${t.raisedOn}`),
  ],
);
