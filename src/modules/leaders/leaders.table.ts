import { pgTable, text } from 'drizzle-orm/pg-core';
import { archivedAt, idColumn, timestamps, versionColumn } from '../../db/columns.js';

/** 镇领导: a town leader who watches projects (领导挂点制). */
export const leaders = pgTable('leaders', {
  id: idColumn(),
  name: text('name').notNull(),
  title: text('title').notNull(),
  phone: text('phone'),
  archivedAt: archivedAt(),
  version: versionColumn(),
  ...timestamps(),
});
