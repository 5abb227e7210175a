import { check, date, pgTable, text } from 'drizzle-orm/pg-core';
import { archivedAt, idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { batchStatus } from '../../domain/codes.js';

type BatchStatus = (typeof batchStatus.values)[number];

/** 集体开工/动工: a dated ceremony at which several projects start together. */
export const groundbreakingBatches = pgTable(
  'groundbreaking_batches',
  {
    id: idColumn(),
    name: text('name').notNull(),
    ceremonyDate: date('ceremony_date').notNull(),
    status: text('status').$type<BatchStatus>().notNull().default('planned'),
    location: text('location'),
    notes: text('notes'),
    archivedAt: archivedAt(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [check('groundbreaking_batches_status_check', oneOf(t.status, batchStatus.values))],
);
