import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { notFound } from '../../lib/errors.js';
import { afterKey, decodeCursor, toPage } from '../../lib/pagination.js';
import type { Principal } from '../../lib/access.js';
import { recordAudit, type RequestContext } from '../audit/audit.repository.js';
import { projects } from '../projects/projects.table.js';
import { projectComments } from './comments.table.js';
import type { Comment, CreateComment, ListCommentsQuery } from './comments.schemas.js';

const RESOURCE = 'project_comment';

export function createCommentsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(projectComments).where(eq(projectComments.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row as Comment;
  }

  /** Newest first: (created_at, id) descending, so a comment written while paging never shifts a page. */
  async function listForProject({ projectId, query }: { projectId: string; query: ListCommentsQuery }) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
    if (!project) throw notFound('project', projectId);
    const filters = { ...query, projectId };
    const after = decodeCursor(query.cursor, filters, 2);
    const rows = await db
      .select()
      .from(projectComments)
      .where(
        and(
          eq(projectComments.projectId, projectId),
          after ? afterKey([projectComments.createdAt, projectComments.id], after, 'desc') : undefined,
        ),
      )
      .orderBy(desc(projectComments.createdAt), desc(projectComments.id))
      .limit(query.limit + 1);
    return toPage(rows as Comment[], query.limit, (r) => [r.createdAt, r.id], filters);
  }

  /** Append-only: there is no update or delete; the audit event keeps the author next to the text. */
  async function create({
    projectId,
    input,
    principal,
    context,
  }: {
    projectId: string;
    input: CreateComment;
    principal: Principal;
    context: RequestContext;
  }) {
    return db.transaction(async (tx) => {
      const [project] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
      if (!project) throw notFound('project', projectId);
      const [row] = await tx
        .insert(projectComments)
        .values({
          projectId,
          body: input.body,
          authorKeyId: principal.keyId,
          authorRole: principal.role,
          leaderId: principal.role === 'leader' ? principal.leaderId : null,
          onBehalfOf: context.onBehalfOf ?? null,
        })
        .returning();
      await recordAudit(tx, context, { action: 'create', resourceType: RESOURCE, resourceId: row!.id, after: row });
      return row as Comment;
    });
  }

  return { getById, listForProject, create };
}
