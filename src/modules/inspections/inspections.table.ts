import { check, date, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { inspectionKind } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';
import { leaders } from '../leaders/leaders.table.js';
import { departments } from '../departments/departments.table.js';

/** 督查/现场检查/走访/现场办公: a dated visit to one or more project sites. */
export const inspections = pgTable(
  'inspections',
  {
    id: idColumn(),
    kind: text('kind').$type<(typeof inspectionKind.values)[number]>().notNull(),
    inspectedOn: date('inspected_on').notNull(),
    title: text('title').notNull(),
    team: text('team'),
    findings: text('findings'),
    outcome: text('outcome'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('inspections_date_idx').on(t.inspectedOn, t.id),
    check('inspections_kind_check', oneOf(t.kind, inspectionKind.values)),
  ],
);

export const inspectionProjects = pgTable(
  'inspection_projects',
  {
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.projectId] }), index('inspection_projects_project_idx').on(t.projectId)],
);

export const inspectionLeaders = pgTable(
  'inspection_leaders',
  {
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'cascade' }),
    leaderId: uuid('leader_id')
      .notNull()
      .references(() => leaders.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.leaderId] })],
);

export const inspectionDepartments = pgTable(
  'inspection_departments',
  {
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.departmentId] })],
);
