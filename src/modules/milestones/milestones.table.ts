import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { milestoneKind } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';

/**
 * 节点计划: the nodes a project is run against (开工, 主体结构完工, 竣工验收, 投产 …), each with the
 * date planned now, the date planned when the schedule was first approved (kept when plans slip),
 * a forecast and the date it was achieved. Its status on a day is derived (milestones.status.ts).
 */
export const projectMilestones = pgTable(
  'project_milestones',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<(typeof milestoneKind.values)[number]>().notNull(),
    /** Required for kind `other`, optional otherwise. */
    title: text('title'),
    plannedDate: date('planned_date').notNull(),
    /** The planned date when the schedule was approved; set at creation, changed only by re-baselining. */
    baselineDate: date('baseline_date').notNull(),
    forecastDate: date('forecast_date'),
    actualDate: date('actual_date'),
    /** How the achievement is evidenced (a certificate, a report, a photograph's reference). */
    evidence: text('evidence'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('project_milestones_project_idx').on(t.projectId, t.plannedDate, t.id),
    index('project_milestones_planned_idx').on(t.plannedDate),
    check('project_milestones_kind_check', oneOf(t.kind, milestoneKind.values)),
    check('project_milestones_title_check', sql`${t.kind} <> 'other' or ${t.title} is not null`),
  ],
);
