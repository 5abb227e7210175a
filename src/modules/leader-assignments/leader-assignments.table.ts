import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { leaderRole } from '../../domain/codes.js';
import { leaders } from '../leaders/leaders.table.js';
import { projects } from '../projects/projects.table.js';

/** 挂点领导: which leader watches which project, from when to when, in what role. */
export const leaderAssignments = pgTable(
  'leader_assignments',
  {
    id: idColumn(),
    leaderId: uuid('leader_id')
      .notNull()
      .references(() => leaders.id, { onDelete: 'restrict' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    role: text('role').$type<(typeof leaderRole.values)[number]>().notNull().default('lead'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    notes: text('notes'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('leader_assignments_project_idx').on(t.projectId),
    index('leader_assignments_leader_idx').on(t.leaderId),
    check('leader_assignments_role_check', oneOf(t.role, leaderRole.values)),
    check('leader_assignments_dates_check', sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
  ],
);
