import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { deleteVersioned, insertAudited, updateVersioned } from '../../db/versioned.js';
import { notFound } from '../../lib/errors.js';
import { afterKey, decodeCursor, toPage } from '../../lib/pagination.js';
import type { RequestContext } from '../audit/audit.repository.js';
import { projects } from '../projects/projects.table.js';
import { annualPlans } from './plans.table.js';
import type { CreatePlan, ListPlansQuery, Plan, ProjectPlansQuery, UpdatePlan } from './plans.schemas.js';

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
    const after = decodeCursor(query.cursor, filters, 3);
    const rows = await db
      .select()
      .from(annualPlans)
      .where(
        and(
          eq(annualPlans.projectId, projectId),
          after ? afterKey([annualPlans.year, annualPlans.list, annualPlans.id], after) : undefined,
        ),
      )
      .orderBy(asc(annualPlans.year), asc(annualPlans.list), asc(annualPlans.id))
      .limit(query.limit + 1);
    return toPage(rows as Plan[], query.limit, (r) => [r.year, r.list, r.id], filters);
  }

  async function list(query: ListPlansQuery) {
    const after = decodeCursor(query.cursor, query, 1);
    const rows = await db
      .select()
      .from(annualPlans)
      .where(
        and(
          query.year === undefined ? undefined : eq(annualPlans.year, query.year),
          query.list ? eq(annualPlans.list, query.list) : undefined,
          query.stage ? eq(annualPlans.stage, query.stage) : undefined,
          after ? afterKey([annualPlans.id], after) : undefined,
        ),
      )
      .orderBy(asc(annualPlans.id))
      .limit(query.limit + 1);
    return toPage(rows as Plan[], query.limit, (r) => [r.id], query);
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

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: number; patch: UpdatePlan; context: RequestContext }) {
    const row = await db.transaction((tx) => updateVersioned(tx, annualPlans, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
    return row as Plan;
  }

  /** Taking a project off a list is a real removal (membership, not history); the audit keeps the row. */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: number; context: RequestContext }) {
    await db.transaction((tx) => deleteVersioned(tx, annualPlans, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, listForProject, list, create, update, remove };
}
