import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { projects } from '../projects/projects.table.js';
import { annualPlans } from './plans.table.js';
import type { CreatePlan, ListPlansQuery, Plan, ProjectPlansQuery, UpdatePlan } from './plans.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byYearListId = keyset({ year: annualPlans.year, list: annualPlans.list, id: annualPlans.id });
const byId = keyset({ id: annualPlans.id });

const RESOURCE = 'annual_plan';

export function createPlansRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(annualPlans).where(eq(annualPlans.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row as Plan;
  }

  /** A project's plans by year and list. */
  async function listForProject({ projectId, query }: { projectId: string; query: ProjectPlansQuery }) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
    if (!project) throw notFound('project', projectId);
    const filters = { ...query, projectId };
    const found = await byYearListId.list(
      query,
      (after) => db.select().from(annualPlans).where(and(eq(annualPlans.projectId, projectId), after)),
      { filters },
    );
    return { items: found.items as Plan[], nextCursor: found.nextCursor };
  }

  async function list(query: ListPlansQuery) {
    const found = await byId.list(
      query,
      (after) =>
        db
          .select()
          .from(annualPlans)
          .where(
            and(
              query.year === undefined ? undefined : eq(annualPlans.year, query.year),
              query.list ? eq(annualPlans.list, query.list) : undefined,
              query.stage ? eq(annualPlans.stage, query.stage) : undefined,
              after,
            ),
          ),
    );
    return { items: found.items as Plan[], nextCursor: found.nextCursor };
  }

  /** A second plan for the same (project, year, list) is refused by annual_plans_project_year_list_key (409). */
  async function create({ projectId, input, context }: { projectId: string; input: CreatePlan; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const [project] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
      if (!project) throw notFound('project', projectId);
      const row = await insertAudited(tx, annualPlans, { values: { ...input, projectId }, resourceType: RESOURCE, context });
      return row as Plan;
    });
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdatePlan; context: RequestContext }) {
    const row = await db.transaction((tx) => updateAudited(tx, annualPlans, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
    return row as Plan;
  }

  /** Taking a project off a list is a real removal (membership, not history); the audit keeps the row. */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    await db.transaction((tx) => deleteAudited(tx, annualPlans, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, listForProject, list, create, update, remove };
}
