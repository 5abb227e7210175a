import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { Principal } from '../../lib/principal.js';
import { recordAudit } from '../audit/audit.public.js';
import type { ScopedContext } from '../../lib/request-context.js';
import { projects } from '../projects/projects.table.js';
import { projectComments } from './comments.table.js';
import type { Comment, CreateComment, ListCommentsQuery } from './comments.schemas.js';

const byCreatedAtIdDesc = keyset({ createdAt: projectComments.createdAt, id: projectComments.id }, 'desc');

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
    const found = await byCreatedAtIdDesc.list(
      query,
      (after) => db.select().from(projectComments).where(and(eq(projectComments.projectId, projectId), after)),
      { filters },
    );
    return { items: found.items as Comment[], nextCursor: found.nextCursor };
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
    context: ScopedContext;
  }) {
    return db.transaction(async (tx) => {
      const [project] = await tx.select({ id: projects.id, departmentId: projects.departmentId }).from(projects).where(eq(projects.id, projectId));
      if (!project) throw notFound('project', projectId);
      await context.scope.projects(tx, { what: 'comments', projectIds: [projectId], known: [project] });
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
