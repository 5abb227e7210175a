import { check, date, index, pgTable, primaryKey, text, uniqueIndex, uuid, bigserial } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { archivedAt, idColumn, money, oneOf, timestamps, versionColumn, timestamptz } from '../../db/columns.js';
import { projectCategory, projectStatus } from '../../domain/codes.js';
import { departments } from '../departments/departments.table.js';

/** 项目: a key construction project. `status` is the latest entry of its status history. */
export const projects = pgTable(
  'projects',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    ownerUnit: text('owner_unit'),
    category: text('category').notNull(),
    industry: text('industry'),
    location: text('location'),
    description: text('description'),
    estimatedInvestment: money('estimated_investment').notNull(),
    status: text('status').notNull().default('planning'),
    plannedStartDate: date('planned_start_date'),
    plannedCompletionDate: date('planned_completion_date'),
    actualStartDate: date('actual_start_date'),
    actualCompletionDate: date('actual_completion_date'),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
    archivedAt: archivedAt(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('projects_code_key').on(t.code),
    index('projects_department_idx').on(t.departmentId, t.id),
    index('projects_status_idx').on(t.status),
    check('projects_category_check', oneOf(t.category, projectCategory.values)),
    check('projects_status_check', oneOf(t.status, projectStatus.values)),
    check('projects_estimated_investment_check', sql`${t.estimatedInvestment} >= 0`),
    check(
      'projects_planned_dates_check',
      sql`${t.plannedCompletionDate} is null or ${t.plannedStartDate} is null or ${t.plannedCompletionDate} >= ${t.plannedStartDate}`,
    ),
  ],
);

/** Departments that support a project beside the responsible one (协办部门). */
export const projectSupportingDepartments = pgTable(
  'project_supporting_departments',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.departmentId] })],
);

/**
 * Dated status history: each row is a transition effective on `effectiveDate` (which may lie in
 * the past), so the status on any day is the last row effective by then.
 */
export const projectStatusChanges = pgTable(
  'project_status_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    effectiveDate: date('effective_date').notNull(),
    reason: text('reason'),
    actor: text('actor').notNull(),
    recordedAt: timestamptz('recorded_at').notNull().default(sql`now()`),
  },
  (t) => [
    index('project_status_changes_project_idx').on(t.projectId, t.effectiveDate, t.id),
    check('project_status_changes_to_check', oneOf(t.toStatus, projectStatus.values)),
  ],
);
