import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { archivedAt, idColumn, timestamps, versionColumn } from '../../db/columns.js';

/** 责任部门: a town department that answers for projects. */
export const departments = pgTable(
  'departments',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    contactPerson: text('contact_person'),
    contactPhone: text('contact_phone'),
    archivedAt: archivedAt(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('departments_code_key').on(t.code), uniqueIndex('departments_name_key').on(t.name)],
);
