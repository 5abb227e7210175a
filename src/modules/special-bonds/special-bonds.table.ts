import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, money, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { bondOutcome } from '../../domain/codes.js';
import { projects } from '../projects/projects.table.js';

type BondOutcome = (typeof bondOutcome.values)[number];

/** 专项债: a special-bond application for a project, and its outcome. */
export const specialBonds = pgTable(
  'special_bonds',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    bondBatch: text('bond_batch'),
    appliedOn: date('applied_on').notNull(),
    amountRequested: money('amount_requested').notNull(),
    outcome: text('outcome').$type<BondOutcome>().notNull().default('pending'),
    amountGranted: money('amount_granted'),
    decidedOn: date('decided_on'),
    notes: text('notes'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('special_bonds_project_idx').on(t.projectId),
    index('special_bonds_decided_idx').on(t.decidedOn),
    check('special_bonds_outcome_check', oneOf(t.outcome, bondOutcome.values)),
    check('special_bonds_amounts_check', sql`${t.amountRequested} >= 0 and (${t.amountGranted} is null or ${t.amountGranted} >= 0)`),
    check(
      'special_bonds_granted_check',
      sql`${t.outcome} <> 'granted' or (${t.amountGranted} is not null and ${t.decidedOn} is not null)`,
    ),
  ],
);
