import { check, date, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamptz, timestamps, versionColumn } from '../../db/columns.js';
import { figureBasis, planList } from '../../domain/codes.js';

/**
 * 发布: the figures of one question (list, year, asOf, basis) as the office published them, frozen.
 * `content` is the exact JSON text of the answer and `sha256` its digest: the text is kept as text
 * (not jsonb, which would reorder keys and reformat numbers), so the hash can be checked against what
 * GET sends. A publication is never edited; it can only be withdrawn (withdrawn_at and its reason),
 * and a database trigger (migration) refuses any change to the frozen columns whoever makes it.
 */
export const publications = pgTable(
  'publications',
  {
    id: idColumn(),
    list: text('list').$type<(typeof planList.values)[number]>().notNull(),
    year: integer('year').notNull(),
    asOf: date('as_of').notNull(),
    basis: text('basis').$type<(typeof figureBasis.values)[number]>().notNull(),
    /** The instant the figures were computed as known at, as the answers state it. */
    knownAt: text('known_at').notNull(),
    title: text('title').notNull(),
    note: text('note'),
    /** The API key that published, its role and the X-Actor it named. */
    publishedBy: text('published_by').notNull(),
    publishedByRole: text('published_by_role'),
    publishedOnBehalfOf: text('published_on_behalf_of'),
    content: text('content').notNull(),
    sha256: text('sha256').notNull(),
    withdrawnAt: timestamptz('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
    withdrawnBy: text('withdrawn_by'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('publications_list_year_idx').on(t.list, t.year, t.asOf),
    check('publications_list_check', oneOf(t.list, planList.values)),
    check('publications_basis_check', oneOf(t.basis, figureBasis.values)),
    check('publications_year_check', sql`${t.year} between 2000 and 2100`),
    check('publications_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('publications_withdrawn_check', sql`(${t.withdrawnAt} is null) = (${t.withdrawnReason} is null)`),
  ],
);

export type PublicationRow = typeof publications.$inferSelect;
