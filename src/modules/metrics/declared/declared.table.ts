import { check, date, integer, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamps, versionColumn } from '../../../db/columns.js';
import { planList } from '../../../domain/codes.js';
import { figureKeys } from '../metrics.keys.js';

/**
 * 公布数: a figure as somebody published it (e.g. "估算总投资75.7亿元"), kept beside the figure the
 * records derive, so that a disagreement is shown rather than hidden. Never used as a total.
 */
export const declaredFigures = pgTable(
  'declared_figures',
  {
    id: idColumn(),
    list: text('list').$type<(typeof planList.values)[number]>().notNull(),
    year: integer('year').notNull(),
    figure: text('figure').notNull(),
    /** Counts, 万元 amounts and rates (0.25) alike, hence a wider scale than money. */
    value: numeric('value', { precision: 20, scale: 6 }).notNull(),
    source: text('source').notNull(),
    /** The as-of date it was published for: it is reconciled with the derived figure of that date only. */
    asOf: date('as_of').notNull(),
    notes: text('notes'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('declared_figures_list_year_figure_as_of_key').on(t.list, t.year, t.figure, t.asOf),
    check('declared_figures_list_check', oneOf(t.list, planList.values)),
    check('declared_figures_figure_check', oneOf(t.figure, figureKeys)),
    check('declared_figures_year_check', sql`${t.year} between 2000 and 2100`),
    check('declared_figures_value_check', sql`${t.value} >= 0`),
  ],
);
