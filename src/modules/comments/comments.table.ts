import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamptz } from '../../db/columns.js';
import { apiKeyRole } from '../../domain/codes.js';
import type { ApiKeyRole } from '../api-keys/api-keys.table.js';
import { leaders } from '../leaders/leaders.table.js';
import { projects } from '../projects/projects.table.js';

/**
 * 领导批示 / 意见: a remark or instruction on a project by the office or an assigned leader.
 * Append-only: a comment is a record of what was said, so it has no version and is never changed;
 * a correction is a new comment.
 */
export const projectComments = pgTable(
  'project_comments',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    /** The API key that wrote it (request.actor). */
    authorKeyId: text('author_key_id').notNull(),
    authorRole: text('author_role').$type<ApiKeyRole>().notNull(),
    /** The key's leader when a leader key wrote it: whose 批示 this is. */
    leaderId: uuid('leader_id').references(() => leaders.id, { onDelete: 'restrict' }),
    /** X-Actor of the writing request: recorded, not trusted. */
    onBehalfOf: text('on_behalf_of'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    index('project_comments_project_created_idx').on(t.projectId, t.createdAt, t.id),
    check('project_comments_body_check', sql`char_length(${t.body}) between 1 and 2000`),
    check('project_comments_author_role_check', oneOf(t.authorRole, apiKeyRole.values)),
  ],
);
