import { check, index, integer, pgTable, uniqueIndex, uuid, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, money, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { planList, planStage } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';
import { groundbreakingBatches } from '../batches/batches.table.js';

/** 年度计划: a project on one list for one year, with its stage and planned investment. */
export const annualPlans = pgTable(
  'annual_plans',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    list: text('list').notNull(),
    stage: text('stage').notNull(),
    plannedInvestment: money('planned_investment').notNull(),
    batchId: uuid('batch_id').references(() => groundbreakingBatches.id, { onDelete: 'restrict' }),
    notes: text('notes'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('annual_plans_project_year_list_key').on(t.projectId, t.year, t.list),
    index('annual_plans_year_list_idx').on(t.year, t.list, t.projectId),
    index('annual_plans_batch_idx').on(t.batchId),
    check('annual_plans_list_check', oneOf(t.list, planList.values)),
    check('annual_plans_stage_check', oneOf(t.stage, planStage.values)),
    check('annual_plans_year_check', sql`${t.year} between 2000 and 2100`),
    check('annual_plans_planned_investment_check', sql`${t.plannedInvestment} >= 0`),
  ],
);
